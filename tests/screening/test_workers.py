"""The typo family in a worker process (`govmedia scan` on two cores): the same findings as one process."""

from __future__ import annotations

import json
import sys
import time

import pytest

from govmedia.screening import Screener, engine
from govmedia.screening.compiled import CompiledLexicon
from govmedia.screening.extract import Deadline, Segment, segments_of_file, segments_of_text
from govmedia.screening.lexicons import read_file
from govmedia.screening.rules.expression import TypoRule
from govmedia.screening.workers import Worker

from .builders import id_number

TEXT = (
    "关于认定名单的公示\n"
    f"李明，身份证号{id_number('320509', '19850412', '021')}，手机18651234567。\n"
    "会议研究了下一步的工作安牌，要求再接再励，发展大数局产业。\n"
    "扫码购买，全网最低价！机密★10年\n"
    "来源：网络\n"
    "美国、日本、台湾等国家代表出席。2024年2月30日起施行苏人社发[2024]12号文件（见附件：行政区划示意图。\n"
    "序号\t姓名\t身份证号码\n1\t王芳\t" + id_number("320509", "19900101", "013") + "\n"
)


def segments() -> list[Segment]:
    # A lone surrogate (from a broken file) and line breaks inside a cell cross the pipe as they are.
    # Two paragraphs of one cell share their place: findings at one offset keep one process's order.
    return [*segments_of_text(TEXT), Segment("图片1", "请于本周五前报送有关才料", image=True), Segment("图片2", "", image=True),
            Segment("表格1第1行第1列", "工作安牌\ud800，再接再励\n\u2028发展大数局产业", table="表格1", row=1, col=1),
            Segment("表格1第1行第2列", "再接再励，全网最低价", table="表格1", row=1, col=2),
            Segment("表格1第1行第2列", "全网最低价，再接再励", table="表格1", row=1, col=2)]


def as_dicts(findings) -> list[dict]:
    return [f.as_dict() for f in findings]


def test_findings_with_the_worker_are_those_of_one_process():
    expected = as_dicts(Screener().scan_segments(segments()))
    # Every kind is there, typos in a picture's alt text and in a cell's second paragraph too.
    assert {f["rule"] for f in expected} >= {"typo", "id_card", "mobile", "name", "image", "hk_mo_tw", "date",
                                             "doc_number_brackets", "brackets", "no_approval_number"}
    assert {f["where"] for f in expected if f["rule"] == "typo"} >= {"图片1", "表格1第1行第1列", "表格1第1行第2列"}
    here = Screener()
    with Worker(cores=2) as worker:
        assert worker.parallel
        for _ in range(2):  # one worker serves input after input
            remote = worker.session()
            asked = []
            def answered(bound, hits=remote.hits, asked=asked):
                asked.append(bound)
                found = hits(bound)
                assert found is not None   # the worker's, not this process's
                return found
            remote.hits = answered
            assert as_dicts(here.scan_segments(segments(), remote=remote)) == expected
            assert sorted(asked) == engine.batch_bounds(segments())   # each batch's, once
        assert worker.parallel   # the worker answered them: nothing fell back to this process


def test_the_whitelist_clears_the_workers_hits():
    whitelist = ["工作安牌"]
    expected = as_dicts(Screener(whitelist=whitelist).scan_segments(segments()))
    def typos_in_it(found):
        return [f for f in found if f["rule"] == "typo" and f["text"] in "工作安牌"]
    assert not typos_in_it(expected)
    assert typos_in_it(as_dicts(Screener().scan_segments(segments())))   # the whitelist is what clears it
    with Worker(cores=2) as worker:
        found = Screener(whitelist=whitelist).scan_segments(segments(), remote=worker.session())
        assert worker.parallel   # the worker's hits, cleared here
    assert as_dicts(found) == expected


@pytest.mark.parametrize("when", ["before", "while checking", "after its first answers"])
def test_a_worker_that_dies_loses_no_finding(when, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_CHARS", 200)   # several batches
    expected = as_dicts(Screener().scan_segments(segments() * 20))
    bounds = engine.batch_bounds(segments() * 20)
    here = []   # the batches whose typos this process checked itself
    check_batch = TypoRule.check_batch
    monkeypatch.setattr(TypoRule, "check_batch", lambda rule, *args: here.append(1) or check_batch(rule, *args))
    with Worker(cores=2) as worker:
        if when == "before":
            worker._process.kill()
            worker._process.wait()
        remote = worker.session()
        if remote is not None and when != "before":
            asked = remote.hits

            def hits(bound):
                if when == "while checking":   # killed before its first answer is asked for
                    worker._process.kill()
                    worker._process.wait()
                found = asked(bound)   # after its first answers: this one is the worker's, the others mostly not
                worker._process.kill()
                worker._process.wait()
                return found
            remote.hits = hits
        found = Screener().scan_segments(segments() * 20, remote=remote)
        assert as_dicts(found) == expected
        if when == "before":
            assert len(here) == len(bounds)
        if when == "after its first answers":
            assert len(here) < len(bounds)   # the first batch's typos came from the worker
        for _ in range(500):   # its reader sees the pipe closed
            if not worker.parallel:
                break
            time.sleep(0.01)
        assert not worker.parallel and worker.session() is None   # later inputs are checked in this process
        assert as_dicts(Screener().scan_segments(segments() * 20, remote=worker.session())) == expected


def test_a_worker_that_cannot_start_leaves_its_family_here(monkeypatch):
    expected = as_dicts(Screener().scan_segments(segments()))
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with Worker(cores=2) as worker:
        found = Screener().scan_segments(segments(), remote=worker.session())
        assert as_dicts(found) == expected
        assert not worker.parallel


def test_one_core_starts_no_worker():
    with Worker(cores=1) as worker:
        assert not worker.parallel
        assert worker.session() is None


def test_the_command_reports_what_one_process_finds(govmedia, tmp_path):
    whitelist = tmp_path / "白名单.txt"
    whitelist.write_text("工作安牌\n", "utf-8")
    text = tmp_path / "稿件.txt"
    text.write_text(TEXT * 3, "utf-8")
    run = govmedia("scan", "--json", "--whitelist", whitelist, text)
    assert run.returncode == 1, run.stderr
    expected = Screener.from_files([], str(whitelist)).scan_file(text).as_dict()
    assert json.loads(run.stdout)["files"] == [{**expected, "path": str(text)}]
    assert any(f["rule"] == "typo" for f in expected["findings"])


COMPILED = "网络赌博\t赌博\tblock\n赌博\t赌博\twarn\n網絡賭博\t繁体\tblock\n刷 单\t诈骗\n毒\t毒品\tinfo\n"


@pytest.fixture
def compiled(tmp_path, monkeypatch):
    """A small lexicon compiled into the test's own cache (which the worker process inherits)."""
    monkeypatch.setenv("GOVMEDIA_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "大词表.txt"
    path.write_text(COMPILED, "utf-8")
    lexicon = CompiledLexicon.compile(path, read_file(path))
    assert lexicon.key is not None
    return lexicon


def many_segments() -> list[Segment]:
    lines = ["严禁网络赌博、網絡賭博和刷 单，远离毒品。再接再励！", "会议研究了下一步的工作安排。", TEXT]
    return [Segment(f"第{n}行", lines[n % 3]) for n in range(1, 301)]


def test_with_a_compiled_lexicon_and_several_batches_the_worker_checks_typos_everywhere_and_privacy_in_its_share(
        compiled, monkeypatch):
    """A compiled lexicon is matched here; the worker checks typos in every batch and privacy in its share of them
    (workers.FAMILY_SHARES), this process privacy in the others: the findings are those of one process."""
    from govmedia.screening import workers
    from govmedia.screening.rules.privacy import PrivacyRule

    monkeypatch.setattr(engine, "BATCH_CHARS", 2000)   # several batches of a small input
    segments = many_segments()
    expected = as_dicts(Screener(compiled=[compiled]).scan_segments(segments))
    assert {f["rule"] for f in expected} >= {"赌博", "繁体", "诈骗", "毒品", "typo", "id_card", "mobile"}
    bounds = engine.batch_bounds(segments)
    privacy_there = round(len(bounds) * workers.FAMILY_SHARES[1])
    assert 1 <= privacy_there < len(bounds)
    here = {"privacy": 0, "typo": 0, "compiled": 0}
    for rule, key in ((PrivacyRule, "privacy"), (TypoRule, "typo")):
        monkeypatch.setattr(rule, "check_batch", lambda self, *args, original=rule.check_batch, key=key:
                            here.__setitem__(key, here[key] + 1) or original(self, *args))
    find = compiled.find
    monkeypatch.setattr(compiled, "find", lambda text: here.__setitem__("compiled", here["compiled"] + 1) or find(text))
    with Worker(cores=2) as worker:
        found = Screener(compiled=[compiled]).scan_segments(segments, remote=worker.session())
        assert worker.parallel
    assert as_dicts(found) == expected
    assert here == {"privacy": len(bounds) - privacy_there, "typo": 0, "compiled": len(bounds)}


def test_the_command_reports_what_one_process_finds_with_a_compiled_lexicon(compiled, tmp_path, capsys):
    """`govmedia scan` (run here) with a compiled list and its worker reports what one process finds."""
    from govmedia.screening import cli

    text = tmp_path / "长稿件.txt"
    text.write_text("\n".join(s.text for s in many_segments() * 30), "utf-8")
    assert len(engine.batch_bounds(segments_of_file(text, Deadline()))) >= 2
    lexicon = tmp_path / "大词表.txt"
    expected = Screener(compiled=[CompiledLexicon.cached(lexicon)]).scan_file(text).as_dict()
    assert cli.scan(["--json", "--lexicon", str(lexicon), str(text)]) == 1
    assert json.loads(capsys.readouterr().out)["files"] == [{**expected, "path": str(text)}]
    assert {f["rule"] for f in expected["findings"]} >= {"赌博", "typo", "id_card"}


def test_findings_at_one_place_keep_the_families_order_whatever_a_list_calls_its_category():
    """Ties are ordered by family (privacy … sensitive, expression, map, reprint, typos last), whichever process
    found them; a lexicon's category becomes its findings' rule, and one called "typo" is still a sensitive term."""
    from govmedia.screening.lexicons import Entry

    screener = Screener(lexicons=[Entry("台湾等国家", "typo", "block")])
    at_taiwan = [(f.category, f.rule) for f in screener.scan_text("美国、台湾等国家代表出席") if f.start == 3]
    assert at_taiwan == [("sensitive", "typo"), ("expression", "hk_mo_tw")]
