"""Properties over arbitrary and adversarial text: no crash, offsets inside their place, masking is final."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govmedia.screening.extract import segments_of_text
from govmedia.screening.mask import mask_text

from .builders import id_number, luhn_complete

SETTINGS = settings(max_examples=200, deadline=None)

ID_X = next(n for n in (id_number("110105", "19491231", f"{s:03d}") for s in range(1000)) if n.endswith("X"))
CARD = luhn_complete("6212261", 19)
FRAGMENTS = [
    id_number("320509", "19850412", "021"), id_number("620102", "19900101", "017"), ID_X, ID_X.lower(),
    "320509850412021", "18651234567", "+86 186-5123-4567", "139 1234 5678", CARD,
    " ".join(CARD[i:i + 4] for i in range(0, 19, 4)), "孙丽", "欧阳娜娜", "姓名", "身份证号", "联系电话", "银行卡",
    "\t", "\n", "\r\n", "\r", "\u2028", " ", "*", "·", "-", "\u200b", "《", "》", "（", "）", "“", "”", "【", "】",
    "审图号", "GS（2024）0650号", "苏人社发[2024]88号", "来源：", "网络", "地图", "2024年2月30日", "2024年3月8日（星期六）",
    "網絡賭博", "网 络 赌 博", "zhangsan@qq.com", "长安花园3幢2单元501室", "12333", "0512-63456789", "元", "￥",
    "绝密★长期", "扫码购买", "台湾等国家", "Ｋ粉", "１８６５１２３４５６７", "㈠", "ﬁ", "İ", "ß",
]
TEXTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=30).map("".join)
ANY = st.one_of(st.text(), TEXTS)


def places(text: str) -> dict[str, str]:
    """The places scan_text reports, with their original text."""
    if "\t" not in text and len(text.splitlines()) <= 1:
        return {"正文": text}
    return {s.where: s.text for s in segments_of_text(text)}


@SETTINGS
@given(ANY)
def test_arbitrary_text_never_crashes_and_every_finding_stays_inside_its_place(screener, text):
    texts = places(text)
    for finding in screener.scan_text(text):
        assert finding.where in texts
        assert 0 <= finding.start <= finding.end <= len(texts[finding.where])
        assert finding.category in {"privacy", "secrecy", "advertising", "sensitive", "expression", "map", "reprint"}


@SETTINGS
@given(ANY)
def test_a_findings_excerpt_is_its_place_or_its_masked_form(screener, text):
    texts = places(text)
    for finding in screener.scan_text(text):
        original = texts[finding.where][finding.start:finding.end]
        if finding.category == "privacy":
            assert len(finding.text) == len(original) and (original == "" or finding.text != original or
                                                           set(original) <= {"*"})
        else:
            assert finding.text == original


@SETTINGS
@given(ANY)
def test_masking_a_text_twice_changes_nothing_more(screener, text):
    once, _ = mask_text(text, screener)
    twice, report = mask_text(once, screener)
    assert twice == once
    assert not report.counts


@SETTINGS
@given(ANY)
def test_a_masked_text_keeps_its_length_and_scans_clean_of_privacy_blocks(screener, text):
    masked, _ = mask_text(text, screener)
    assert len(masked) == len(text)
    assert [f for f in screener.scan_text(masked) if f.category == "privacy" and f.severity == "block"] == []
