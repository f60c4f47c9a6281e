"""Large lexicons compiled into a cached trie (compiled.py): the same findings as the automaton, found again only
while the file is unchanged, and a cache that cannot be used costs time, never a finding."""

from __future__ import annotations

import json
import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govmedia.screening import Screener, engine
from govmedia.screening.compiled import LARGE_LEXICON, CompiledLexicon
from govmedia.screening.lexicons import Entry, read_file

# Terms as a user writes them: traditional and full-width forms, a split by interference, one character, Latin
# letters, duplicates under two categories, one inside another (网络赌博 / 赌博 / 赌博网站).
LEXICON = """网络赌博\t赌博\tblock
赌博\t赌博\twarn
赌博网站\t赌博
網絡賭博\t繁体\tblock
ＡＢＣ宝\t广告\twarn
刷 单\t诈骗
毒\t毒品\tinfo
k粉\t毒品
刷单\t兼职诈骗\twarn
"""
FRAGMENTS = ["网络", "赌博", "网站", "網絡", "賭博", "ABC宝", "ａｂｃ宝", "刷", "单", "刷-单", "毒", "K粉", "k 粉",
             "，", "\n", "\t", " ", "打击", "严禁", "。"]


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("GOVMEDIA_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def lexicon(tmp_path):
    path = tmp_path / "词表.txt"
    path.write_text(LEXICON, "utf-8")
    return path


def findings(screener: Screener, text: str) -> list[dict]:
    return [f.as_dict() for f in screener.scan_text(text)]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The same lexicon in the automaton and compiled (the cache is the test's own)."""
    path = tmp_path_factory.mktemp("lexicon") / "词表.txt"
    path.write_text(LEXICON, "utf-8")
    entries = read_file(path)
    os.environ["GOVMEDIA_CACHE_DIR"] = str(path.parent / "cache")
    try:
        compiled = CompiledLexicon.compile(path, entries)
    finally:
        del os.environ["GOVMEDIA_CACHE_DIR"]
    return Screener(lexicons=entries, typos=False), Screener(compiled=[compiled], typos=False)


def test_a_compiled_lexicon_finds_what_the_automaton_finds(both):
    automaton, compiled = both
    text = "严禁網絡賭博、赌博网站和刷 单，ＡＢＣ宝不是毒品，K粉是。\n打击网络赌博"
    expected = findings(automaton, text)
    assert {f["rule"] for f in expected} >= {"赌博", "繁体", "广告", "诈骗", "兼职诈骗", "毒品"}
    assert findings(compiled, text) == expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=25).map("".join))
def test_any_text_gets_the_same_findings_from_both(both, text):
    automaton, compiled = both
    assert findings(compiled, text) == findings(automaton, text)


def test_a_large_lexicon_is_compiled_once_and_found_again_until_the_file_changes(tmp_path, monkeypatch, cache):
    monkeypatch.setattr(engine, "LARGE_LEXICON", 5)
    path = tmp_path / "大词表.txt"
    path.write_text(LEXICON, "utf-8")
    first = Screener.from_files([str(path)], typos=False)
    assert len(first.compiled) == 1 and len(list(cache.glob("*.json"))) == 1
    assert CompiledLexicon.cached(path) is not None
    assert Screener.from_files([str(path)], typos=False).scan_text("严禁网络赌博")
    path.write_text(LEXICON + "兼职刷单\n", "utf-8")    # changed: the old compilation no longer answers for it
    assert CompiledLexicon.cached(path) is None
    assert any(f.rule == "违禁词" for f in Screener.from_files([str(path)], typos=False).scan_text("兼职刷单"))


def test_small_lexicons_stay_in_the_automaton(lexicon, cache):
    assert len(read_file(lexicon)) < LARGE_LEXICON
    screener = Screener.from_files([str(lexicon)], typos=False)
    assert screener.compiled == [] and not cache.exists()


def test_a_damaged_or_unwritable_cache_only_costs_a_compilation(lexicon, tmp_path, monkeypatch, cache):
    monkeypatch.setattr(engine, "LARGE_LEXICON", 5)
    Screener.from_files([str(lexicon)], typos=False)
    for part in cache.glob("*.kinds"):
        part.write_bytes(b"\0\0")                            # truncated
    assert CompiledLexicon.cached(lexicon) is None
    for part in cache.glob("*.json"):
        part.write_text("{", "utf-8")                         # not JSON
    assert CompiledLexicon.cached(lexicon) is None
    blocked = tmp_path / "a-file"
    blocked.write_text("", "utf-8")
    monkeypatch.setenv("GOVMEDIA_CACHE_DIR", str(blocked / "cache"))   # a folder inside a file: cannot be made
    screener = Screener.from_files([str(lexicon)], typos=False)
    assert [f.rule for f in screener.scan_text("严禁网络赌博")] == ["赌博", "繁体"]
    assert CompiledLexicon.cached(lexicon) is None


def test_the_command_reads_a_compiled_lexicon_from_the_cache(govmedia, tmp_path, cache):
    """A lexicon of LARGE_LEXICON terms: the first scan compiles it, the next finds it by path, size and time —
    proved by changing a term without changing either, which the cached compilation does not see."""
    rng = random.Random(7)
    terms = {"网络赌博"}
    while len(terms) < LARGE_LEXICON:
        terms.add("".join(rng.choice("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥") for _ in range(rng.randrange(3, 7))))
    path = tmp_path / "大词表.txt"
    path.write_text("".join(f"{t}\t违禁词\n" for t in sorted(terms)), "utf-8")
    text = tmp_path / "稿件.txt"
    text.write_text("严禁网络赌博，严禁网络赌场。\n", "utf-8")

    def rules() -> list[str]:
        run = govmedia("scan", "--json", "--lexicon", path, text, timeout=180)
        assert run.returncode in (0, 1), run.stderr
        return [f["text"] for f in json.loads(run.stdout)["files"][0]["findings"] if f["rule"] == "违禁词"]

    assert rules() == ["网络赌博"]
    assert len(list(cache.glob("*.marisa"))) == 1
    stat = path.stat()
    path.write_text(path.read_text("utf-8").replace("网络赌博", "网络赌场"), "utf-8")   # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))                             # same time
    assert rules() == ["网络赌博"]             # the compilation of the file as it was
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert rules() == ["网络赌场"]             # touched: compiled anew


def test_entries_keep_the_terms_as_written(lexicon):
    compiled = CompiledLexicon.compile(lexicon, read_file(lexicon))
    found = {entry for start, end, key in compiled.find("网络赌博") for entry in compiled.entries(key)}
    assert Entry("網絡賭博", "繁体", "block") in found and Entry("网络赌博", "赌博", "block") in found
