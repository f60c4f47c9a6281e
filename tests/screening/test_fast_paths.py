"""The engine's speed paths give exactly what the plain paths give.

normalize() folds with str.translate and judges interference only where it can be dropped; normalize_each() folds
many texts in one pass; scan_segments() matches a batch of segments in one automaton call and calls a rule only
where its trigger or its terms occur. The plain paths stay as the reference: normalisation character by
character, and scan_segment() on each segment alone with every rule called.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govmedia.screening import engine
from govmedia.screening import normalize as normalize_module
from govmedia.screening.extract import Segment
from govmedia.screening.normalize import (
    INTERFERENCE,
    Normalized,
    _normalize_by_character,
    normalize,
    normalize_each,
    without_surrogates,
)

from .builders import id_number, luhn_complete

# Chinese, traditional, full-width, interference, characters that expand (… → ..., ㈠ → (一), Ⅲ → iii), Latin.
ALPHABET = (list("网络赌博國家發展年月日号图密") + sorted(INTERFERENCE)
            + list("＊－．／～｜　\u00a0…⑴㈠Ⅲﬁİ①½ＡaB1２（）()《》“”【】"))

PIECES = [
    "申请人身份证号码{id}，", "联系电话13912345678，", "手机 139 1234 5678，", "银行卡号：{card}，", "邮箱abcdef@qq.com，",
    "住址幸福花园小区12幢301室，", "2024年2月30日起，", "2024年3月15日（星期一），", "根据苏人社发[2024]12号文件，",
    "美国、日本、台湾等国家", "中国与香港", "机密★10年", "内部资料", "扫码购买，", "全网最低价", "第一季度，",
    "附件：行政区划示意图，", "百度地图导航可达，", "来源：网络 ", "转自：某某自媒体 ", "来源：新华社 ",
    "严厉打击网络赌博，", "警惕网络 赌博，", "網絡賭博", "《通知》", "（试行", "”", "ＡＢＣ１２３，", "第㈠条……",
    "加强就业服务，", "推进高质量发展。", "完善社会保障体系，", "各单位要认真贯彻落实，",
    "严焚酒后驾驶，", "再接再励，", "按部就搬。", "第一季度，",   # typos, curated and confusable; 第一季度 is whitelisted (第一 is an ad word)
]


def random_text(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(size))


def corpus_lines(rng: random.Random, count: int) -> list[str]:
    lines = []
    for _ in range(count):
        parts = [rng.choice(PIECES) for _ in range(rng.randrange(1, 6))]
        lines.append("".join(parts).format(id=id_number(), card=luhn_complete("622202", 19)))
    return lines


def test_the_translate_path_normalises_exactly_as_character_by_character():
    rng = random.Random(3)
    texts = [random_text(rng, rng.randrange(0, 16)) for _ in range(20000)]
    texts += ["网 络 赌 博", "网　络＊赌・博", "网络    赌博", "第㈠条 网 络", "……网 络", "Ⅲ 级 响 应"]
    for text in texts:
        assert normalize(text) == _normalize_by_character(text), text


# Beyond the plane (𝐀 → a, 🀄 stays), the plane's last character (U+FFFF, where the table clips the others to), a line
# break inside a text; a lone surrogate (from a broken file: U+FFFD, same length) takes the slow path, so it comes in
# a third of the rounds only.
RARE = ["\U0001d400", "\U0001f004", "\uffff", "\ufffd", "\n"]


def test_the_bulk_table_folds_every_character_as_fold_does():
    table = normalize_module._bulk_table()
    fold = normalize_module._fold.__wrapped__
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000 or code == 0xFFFF:
            assert table[code] == normalize_module._UNSURE
            continue
        out = fold(chr(code))
        assert table[code] == (ord(out) if len(out) == 1 else normalize_module._UNSURE), hex(code)


@pytest.mark.parametrize("bulk", [False, True], ids=["translate", "table lookup"])
def test_normalising_many_texts_at_once_gives_each_text_its_own_normalisation(monkeypatch, bulk):
    monkeypatch.setattr(normalize_module, "BULK", 0 if bulk else 1 << 40)
    rng = random.Random(4)
    for round_ in range(300):
        alphabet = ALPHABET + [*RARE, "\ud800"][:len(RARE) + round_ % 3 // 2] if round_ % 3 else ALPHABET
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 16)))
                 for _ in range(rng.randrange(1, 40))]
        folded, changed = normalize_each(texts)
        for i, text in enumerate(texts):
            text = without_surrogates(text)
            expected = _normalize_by_character(text)
            assert folded[i] == expected.text, text
            assert (changed.get(i) or Normalized(folded[i], list(range(len(text))), text)) == expected, text


@pytest.mark.parametrize(("batch_chars", "bulk"), [(1, 1 << 14), (300, 1 << 14), (1 << 17, 1 << 14), (1 << 17, 0)],
                         ids=["one segment", "300 characters", "128 KB", "128 KB by table lookup"])
def test_batched_scanning_finds_exactly_what_scanning_each_segment_alone_finds(screener, monkeypatch, batch_chars,
                                                                               bulk):
    monkeypatch.setattr(engine, "BATCH_CHARS", batch_chars)
    monkeypatch.setattr(normalize_module, "BULK", bulk)   # the corpus is smaller than a batch that takes that path
    segments = [Segment(f"第{n}行", line, image=n % 50 == 0)   # now and then a picture with its alt text
                for n, line in enumerate(corpus_lines(random.Random(5), 400), start=1)]
    alone = {f for s in segments for f in screener.scan_segment(s)}
    batched = screener.scan_segments(segments)
    assert set(batched) == alone
    assert len(batched) == len(alone)
    assert len(screener.placed_findings(segments)) == len(alone)   # nothing found twice, before _unique hides it
    # Every family with a trigger or only terms took part, so a trigger too narrow would have shown; typos, which
    # are judged a batch at a time, among them, in pictures' alt text too.
    assert {f.category for f in batched} >= {"privacy", "secrecy", "advertising", "sensitive", "expression", "map",
                                               "reprint"}
    typos = [f for f in batched if f.rule == "typo"]
    assert {f.suggestion for f in typos} >= {"严禁", "再接再厉", "按部就班"}
    assert {f.where for f in typos} & {s.where for s in segments if s.image}


@given(st.text(alphabet="gsabz苏京审图号()（）0123456789号 字s\n", max_size=24))
@settings(max_examples=500)
def test_the_fast_approval_number_test_says_what_the_pattern_says(text):
    from govmedia.screening.rules.maps import APPROVAL, has_approval_number

    assert has_approval_number(text) == bool(APPROVAL.search(text))


def test_a_misspelling_the_whitelist_also_names_is_judged_in_a_batch_as_alone():
    """部份地区 is a curated misspelling the user has whitelisted, overlapping the misspelling 一部份: the typo check
    gets both, as every rule gets each match any of its pattern's kinds keeps (Screener._select), and the longer
    one, accepted, wins — in a batch, and through the worker, as alone."""
    from govmedia.screening import Screener
    from govmedia.screening.workers import Worker

    screener = Screener(whitelist=["部份地区"])
    segments = [Segment("第1行", "其中一部份地区已完成。"), Segment("第2行", "另一部份人员未到。")]
    alone = [f for s in segments for f in screener.scan_segment(s)]
    assert [f.text for f in alone] == ["一部份"] and alone[0].where == "第2行"
    assert screener.scan_segments(segments) == alone
    with Worker(cores=2) as worker:
        assert screener.scan_segments(segments, remote=worker.session()) == alone
        assert worker.parallel


def test_a_card_whose_context_is_the_line_before_in_its_own_cell_is_found_in_a_batch_and_by_the_worker():
    """Privacy judges each text whole where its trigger is, in a batch as alone: a cell's paragraphs are one text,
    and a card number's context (银行卡号) may stand in the paragraph before it."""
    from govmedia.screening import Screener
    from govmedia.screening.workers import Worker

    card = luhn_complete("4392", 16)   # not a UnionPay number: only its context makes it a card
    segments = [Segment("表格1第1行第1列", f"工资发放银行卡号\n{card}", table="表格1", row=1, col=1),
                Segment("表格1第2行第1列", f"编号\n{card}", table="表格1", row=2, col=1)]
    screener = Screener()
    alone = [f for s in segments for f in screener.scan_segment(s)]
    assert [(f.where, f.rule) for f in alone] == [("表格1第1行第1列", "bank_card")]
    assert screener.scan_segments(segments) == alone
    with Worker(cores=2) as worker:
        assert screener.scan_segments(segments, remote=worker.session()) == alone
        assert worker.parallel
