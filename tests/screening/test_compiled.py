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
    with pytest.MonkeyPatch.context() as patch:   # module-scoped: the function-scoped monkeypatch is not here yet
        patch.setenv("GOVMEDIA_CACHE_DIR", str(path.parent / "cache"))
        compiled = CompiledLexicon.compile(path, entries)
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
    first_entry = {p.name for p in cache.iterdir()}
    assert any(f.rule == "违禁词" for f in Screener.from_files([str(path)], typos=False).scan_text("兼职刷单"))
    second_entry = {p.name for p in cache.iterdir()} - first_entry
    assert len(first_entry) == len(second_entry) == 4
    path.write_text(LEXICON + "兼职刷单\n网络博彩\n", "utf-8")
    Screener.from_files([str(path)], typos=False)
    # The cache does not grow with every edit of a list: the newest earlier compilation is kept (another
    # installation may be using it), older ones are deleted.
    names = {p.name for p in cache.iterdir()}
    assert len(names) == 8 and second_entry <= names and not first_entry & names
    other = tmp_path / "另一词表.txt"
    other.write_text(LEXICON, "utf-8")
    Screener.from_files([str(other)], typos=False)
    assert len(list(cache.iterdir())) == 12 and CompiledLexicon.cached(path) is not None   # another file's stay


def test_small_lexicons_stay_in_the_automaton(lexicon, cache):
    assert len(read_file(lexicon)) < LARGE_LEXICON
    screener = Screener.from_files([str(lexicon)], typos=False)
    assert screener.compiled == [] and not cache.exists()


def test_a_damaged_or_unwritable_cache_only_costs_a_compilation(lexicon, tmp_path, monkeypatch, cache):
    monkeypatch.setattr(engine, "LARGE_LEXICON", 5)
    Screener.from_files([str(lexicon)], typos=False)
    assert CompiledLexicon.cached(lexicon) is not None
    for suffix, damage in ((".marisa", b"\0" * 10), (".kinds", b"\0\0"), (".kinds", b"\xff" * 4 * 7), (".json", b"{"),
                           (".json", b"{}"), (".bloom", b"\0" * 10), (".bloom", bytes(8192))):  # the right size for this list, its bits gone
        Screener.from_files([str(lexicon)], typos=False)   # compiled again, whole
        for part in cache.glob(f"*{suffix}"):
            part.write_bytes(damage)
        assert CompiledLexicon.cached(lexicon) is None, suffix
    blocked = tmp_path / "a-file"
    blocked.write_text("", "utf-8")
    monkeypatch.setenv("GOVMEDIA_CACHE_DIR", str(blocked / "cache"))   # a folder inside a file: cannot be made
    screener = Screener.from_files([str(lexicon)], typos=False)
    assert [f.rule for f in screener.scan_text("严禁网络赌博")] == ["赌博", "繁体"]
    assert CompiledLexicon.cached(lexicon) is None


def test_a_full_disk_leaves_no_partial_file_and_loses_nothing(lexicon, cache):
    """Writing stops after 4 KB (RLIMIT_FSIZE, in a child process): the compilation cannot be saved."""
    import resource
    import signal
    import subprocess
    import sys

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    lexicon.write_text(LEXICON + "".join(f"词条{i:05d}\n" for i in range(3000)), "utf-8")
    code = ("from govmedia.screening import Screener, engine\n"
            "engine.LARGE_LEXICON = 5\n"
            f"print([f.rule for f in Screener.from_files([{str(lexicon)!r}], typos=False).scan_text('严禁网络赌博')])")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, preexec_fn=small_files,
                         timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "['赌博', '繁体']"
    assert list(cache.iterdir()) == []                  # the .partial file is gone, no entry vouches for it
    subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, check=True)   # without the limit
    assert sorted(p.suffix for p in cache.iterdir()) == [".bloom", ".json", ".kinds", ".marisa"]


def test_a_cache_folder_others_may_write_is_not_read(lexicon, monkeypatch, cache):
    monkeypatch.setattr(engine, "LARGE_LEXICON", 5)
    Screener.from_files([str(lexicon)], typos=False)
    assert CompiledLexicon.cached(lexicon) is not None
    cache.chmod(0o777)
    assert CompiledLexicon.cached(lexicon) is None


def test_the_command_reads_a_compiled_lexicon_from_the_cache(govmedia, tmp_path, cache):
    """A lexicon of LARGE_LEXICON terms: the first scan compiles it, the next reads the compilation (a category
    changed in the cache shows), and any write to the file — even one keeping its size and modification time —
    compiles it anew."""
    rng = random.Random(7)
    terms = {"网络赌博"}
    while len(terms) < LARGE_LEXICON:
        terms.add("".join(rng.choice("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥") for _ in range(rng.randrange(3, 7))))
    path = tmp_path / "大词表.txt"
    path.write_text("".join(f"{t}\t违禁词\n" for t in sorted(terms)), "utf-8")
    text = tmp_path / "稿件.txt"
    text.write_text("严禁网络赌博，严禁网络赌场。\n", "utf-8")

    def found() -> list[tuple[str, str]]:
        run = govmedia("scan", "--json", "--lexicon", path, text, timeout=180)
        assert run.returncode in (0, 1), run.stderr
        return [(f["rule"], f["text"]) for f in json.loads(run.stdout)["files"][0]["findings"]
                if f["category"] == "sensitive" and f["text"].startswith("网络赌") and f["rule"] != "赌博"]  # not shipped

    assert found() == [("违禁词", "网络赌博")]
    [meta] = cache.glob("*.json")
    meta.write_text(meta.read_text("utf-8").replace("违禁词", "缓存中的类别"), "utf-8")
    assert found() == [("缓存中的类别", "网络赌博")]      # read from the cache, not from the file
    stat = path.stat()
    path.write_text(path.read_text("utf-8").replace("网络赌博", "网络赌场"), "utf-8")   # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))                             # same modification time
    assert found() == [("违禁词", "网络赌场")]          # compiled anew


def test_entries_keep_the_terms_as_written(lexicon):
    compiled = CompiledLexicon.compile(lexicon, read_file(lexicon))
    found = {entry for start, end, key in compiled.find("网络赌博") for entry in compiled.entries(key)}
    assert Entry("網絡賭博", "繁体", "block") in found and Entry("网络赌博", "赌博", "block") in found


def test_the_filter_lets_every_start_of_a_term_through_and_few_other_positions():
    """compiled._starts never misses where a term of two or more characters starts (that would lose a finding);
    the trie turns down the rest, so they need only be few."""
    from govmedia.screening.compiled import _bloom, _starts

    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 300)] + list("ab1，\n𝐀")
    terms = {"".join(rng.choice(alphabet) for _ in range(rng.randrange(2, 6))) for _ in range(30_000)}
    text = "".join(rng.choice(alphabet) for _ in range(200_000))
    bloom = _bloom(sorted(terms))
    starts = set(_starts(bloom, text).tolist())
    longest = max(map(len, terms))
    true = {i for i in range(len(text)) if any(text[i:i + n] in terms for n in range(2, longest + 1))}
    assert true and true <= starts
    heads = {term[:3] for term in terms if len(term) >= 3} | {term for term in terms if len(term) == 2}
    assert len(starts - {i for i in range(len(text)) if text[i:i + 3] in heads or text[i:i + 2] in heads}) < 0.005 * len(text)
