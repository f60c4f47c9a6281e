"""Screening engine benchmark (issue 3): `govmedia scan` on a 20 MB Chinese text against a pure-Python trie.

Run: `make bench-screening`. It generates (seeded, so every run sees the same bytes; kept under var/bench/screening/
and reused) a 20 MB .txt of government sentences with sprinkled ID numbers, mobiles, cards, dates, document
numbers, markings, ad words, maps and sources — so every rule family fires — a 100,000-term lexicon and a
100× larger one, then times, each as its own process with the start included:

  a. `govmedia scan --json --lexicon LEX corpus.txt > /dev/null` (every rule family on), once from an empty cache
     (var/bench/screening/cache: the lexicon is compiled and the typo model built on that run), then with both
     loaded from it;
  b. bench/trie_baseline.py: a dict-of-dicts trie doing only the lexicon step, leftmost-longest;
  d. (a) with the 100× lexicon (10,000,000 terms), under an address-space cap and a time limit; when it cannot
     finish within them the table says why and measures the 10× lexicon instead. A list this large is compiled
     into the cache on its first use (screening/compiled.py): the first run is measured alone, from an empty
     cache (var/bench/screening/cache), then the runs that find it compiled;
  a′. (a) with the typo family off (bench/scan_without_typos.py), to show what that family costs;
  and (a) and (d) on a one-line file: process start plus lexicon loading alone.

Peak memory is each child's own maximum resident set (os.wait4) — for `govmedia scan`, which checks typos in a
worker process, the larger of the two — and the largest sum of both, sampled every 20 ms. It prints a Markdown table for
docs/benchmarks.md. (a), (b) and (a′) take turns, round after round, so that a machine whose speed drifts moves
them alike. Options: --repeat N (median of N runs, default 5), --big-terms N, --big-memory-mb N
(default 12,000), --big-timeout SECONDS (default 600).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ODW = Path("/work/shared/data/ecspell/odw.train")
SEED = 20261128
CORPUS_BYTES = 20 * 1024 * 1024
LEXICON_TERMS = 100_000
VERSION = 3  # bump when the generators change, so cached files are rebuilt
CATEGORIES = ("违禁词", "敏感词", "涉政", "低俗", "不实信息")
CJK = re.compile(r"^[\u4e00-\u9fa5]+$")


# -- data -------------------------------------------------------------------------------------------------

def odw_sentences() -> list[str]:
    """Column 3 of odw.train: the corrected sentences of real government writing."""
    out = []
    for line in ODW.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[2].strip():
            out.append(parts[2].strip())
    return out


def jieba_words() -> list[tuple[str, int]]:
    """jieba's dictionary words of 2–6 CJK characters with their frequency, in file order."""
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    words = []
    for line in path.read_text("utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and 2 <= len(parts[0]) <= 6 and CJK.match(parts[0]):
            words.append((parts[0], int(parts[1])))
    return words


def id_number(rng: random.Random) -> str:
    weights, check = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), "10X98765432"
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20000))
    body = f"3205{rng.randrange(1, 90):02d}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + check[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def luhn_complete(body: str) -> str:
    for digit in "0123456789":
        total = 0
        for i, ch in enumerate(reversed(body + digit)):
            n = int(ch)
            if i % 2:
                n = n * 2 - 9 if n > 4 else n * 2
            total += n
        if total % 10 == 0:
            return body + digit
    raise AssertionError


def sprinkle(rng: random.Random, clauses: list[str], terms: list[str]) -> str:
    """One line's worth of something a rule family looks for."""
    year = rng.randrange(2019, 2027)
    choice = rng.randrange(20)
    if choice == 0:
        return f"申请人身份证号码{id_number(rng)}，"
    if choice == 1:
        return f"联系电话1{rng.choice('3456789')}{rng.randrange(10**9):09d}，"
    if choice == 2:
        return f"银行卡号：{luhn_complete('62' + ''.join(rng.choice('0123456789') for _ in range(15)))}，"
    if choice == 3:
        return f"邮箱{''.join(rng.choice('abcdefgh') for _ in range(6))}@qq.com，"
    if choice == 4:
        return f"住址{rng.choice(['松陵', '盛泽', '同里'])}镇{rng.choice(['幸福', '长安', '江兴'])}花园小区{rng.randrange(1, 30)}幢{rng.randrange(101, 1802)}室，"
    if choice == 5:
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        weekday = "一二三四五六日"[day.weekday() if rng.random() < 0.8 else (day.weekday() + 1) % 7]
        return f"{day.year}年{day.month}月{day.day}日（星期{weekday}），"
    if choice == 6:
        return f"{year}年2月{rng.choice([29, 30, 31])}日起，"
    if choice == 7:
        return f"根据苏人社发{rng.choice(['[', '〔', '（'])}{year}{rng.choice([']', '〕', '）'])}{rng.randrange(1, 200)}号文件，"
    if choice == 8:
        return rng.choice(["美国、日本、台湾等国家", "中国与香港", "各国和澳门"]) + "，"
    if choice == 9:
        return rng.choice(["机密★10年 ", "内部资料，", "注意保密，", "不得外传，"])
    if choice == 10:
        return rng.choice(["扫码购买，", "全网最低价，", "加微信咨询，", "限时特惠，", "第一季度，"])
    if choice == 11:
        # No 审图号 anywhere: one in the file would clear every map finding of that file.
        return rng.choice(["附件：行政区划示意图，", "详见交通示意图，", "百度地图导航可达，"])
    if choice == 12:
        return rng.choice(["来源：网络 ", "来源：新华社 ", "转自：某某自媒体 ", "来源：苏州市人力资源和社会保障局 "])
    if choice == 13:
        return rng.choice(["严厉打击网络赌博，", "警惕网络 赌博，", "谨防兼职刷单，", "杀猪盘诈骗，"])
    if choice == 14:
        return rng.choice(["國家統一部署，", "ＡＢＣ１２３，", "提高服務質量，", "《通知》", "（试行"])
    if choice == 15:
        return rng.choice(terms) + "，"
    if choice == 16:
        return f"{rng.randrange(1, 13)}月{rng.randrange(1, 32)}日，"
    return rng.choice(clauses) + "，"


def make_corpus(path: Path, lexicon_terms: list[str]) -> None:
    rng = random.Random(SEED)
    sentences = odw_sentences()
    clauses = sorted({c for s in sentences for c in re.split(r"[，；。：！？]", s) if len(c) >= 4})
    written = 0
    with path.open("w", encoding="utf-8") as out:
        number = 0
        while written < CORPUS_BYTES:
            number += 1
            if number % 2000 == 1:  # now and then a table: a 姓名 column beside an ID number
                rows = ["序号\t姓名\t身份证号码\t联系电话"]
                for i in range(1, rng.randrange(3, 8)):
                    name = rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["伟", "芳", "建国", "秀英", "敏"])
                    rows.append(f"{i}\t{name}\t{id_number(rng)}\t0512-{rng.randrange(10**7, 10**8)}")
                line = "\n".join(rows)
            else:
                parts = []
                for _ in range(rng.randrange(1, 4)):
                    if rng.random() < 0.4:
                        parts.append(rng.choice(sentences))
                        continue
                    pieces = [rng.choice(clauses) for _ in range(rng.randrange(2, 5))]
                    if rng.random() < 0.35:
                        pieces.insert(rng.randrange(len(pieces) + 1), sprinkle(rng, clauses, lexicon_terms).rstrip("，"))
                    parts.append("，".join(pieces) + "。")
                line = "".join(parts)
            data = line + "\n"
            out.write(data)
            written += len(data.encode("utf-8"))


def lexicon_terms(words: list[tuple[str, int]], count: int, rng: random.Random) -> list[str]:
    """70 % dictionary words, 30 % random pairs of them. A real list of banned terms holds no 发展 or 申请人:
    words that occur in the ODW sentences (the corpus's source) are left out, and the corpus gets lexicon
    terms sprinkled at a known rate instead."""
    source = {s[i:i + n] for s in odw_sentences() for n in range(2, 7) for i in range(len(s) - n + 1)}
    words = [w for w, _ in words if w not in source]
    chosen = dict.fromkeys(rng.sample(words, int(count * 0.7)))
    short = [w for w in words if len(w) <= 3]
    while len(chosen) < count:
        chosen.setdefault(rng.choice(short) + rng.choice(short))
    return list(chosen)


def write_lexicon(path: Path, terms, rng: random.Random) -> None:
    with path.open("w", encoding="utf-8") as out:
        for term in terms:
            out.write(f"{term}\t{rng.choice(CATEGORIES)}\n")


def big_terms(words: list[tuple[str, int]], base: list[str], count: int, rng: random.Random):
    """The base terms, then pairs of dictionary words absent from the corpus's source until `count` distinct
    terms: a larger list of the same kind, so the corpus matches it about as often as the base list."""
    source = {s[i:i + n] for s in odw_sentences() for n in range(2, 4) for i in range(len(s) - n + 1)}
    short = [w for w, _ in words if len(w) <= 3 and w not in source]
    seen = set(base)
    yield from base
    made = len(base)
    while made < count:
        term = rng.choice(short) + rng.choice(short)
        if term not in seen:
            seen.add(term)
            made += 1
            yield term


def prepare(folder: Path) -> tuple[Path, Path, Path]:
    """The corpus, the 100,000-term lexicon and a one-line .txt (start and lexicon loading alone)."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / f"corpus-v{VERSION}-{SEED}.txt"
    lexicon = folder / f"lexicon-v{VERSION}-{SEED}-{LEXICON_TERMS}.tsv"
    empty = folder / "one-line.txt"  # an empty file would not even compile the lexicon
    empty.write_text("附件：通知。\n", encoding="utf-8")
    if corpus.exists() and lexicon.exists():
        return corpus, lexicon, empty
    terms = lexicon_terms(jieba_words(), LEXICON_TERMS, random.Random(SEED))
    write_lexicon(lexicon, terms, random.Random(SEED + 1))
    make_corpus(corpus, terms)
    return corpus, lexicon, empty


def big_lexicon(folder: Path, count: int) -> Path:
    """The 100,000 terms first (same categories), then more of the same kind up to `count`."""
    path = folder / f"lexicon-v{VERSION}-{SEED}-{count}.tsv"
    if not path.exists():
        started = time.perf_counter()
        words = jieba_words()
        terms = lexicon_terms(words, LEXICON_TERMS, random.Random(SEED))
        partial = path.with_suffix(".partial")
        write_lexicon(partial, big_terms(words, terms, count, random.Random(SEED + 2)), random.Random(SEED + 1))
        partial.rename(path)
        print(f"  生成 {count:,} 词的词表用时 {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


# -- measuring ----------------------------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    peak_mb: float
    ok: bool
    why: str = ""
    out: bytes = b""
    together_mb: float = 0.0  # the largest sum of the process's and its children's resident sets, sampled


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its direct children (govmedia scan and its typo worker), now."""
    def rss(p: str) -> int:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return sum(rss(p) for p in [str(pid), *children]) / 1024


def run(cmd: list[str], *, capture: bool = False, memory_cap_mb: int | None = None,
        timeout: float | None = None, env: dict | None = None) -> Run:
    """One child process: wall seconds (start included), its own peak RSS (os.wait4), and whether it worked
    (exit 0 or 1 — 1 means "something blocks" — and no traceback)."""
    def limit() -> None:
        if memory_cap_mb:
            cap = memory_cap_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out if capture else subprocess.DEVNULL, stderr=err, cwd=ROOT,
                                preexec_fn=limit if memory_cap_mb else None, env=env)
        killed = False
        together = 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            together = max(together, tree_rss_mb(proc.pid))
            if timeout and time.perf_counter() - started > timeout and not killed:
                proc.kill()
                killed = True
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        out.seek(0)
        captured = out.read()
    peak = usage.ru_maxrss / 1024
    if killed:
        return Run(elapsed, peak, False, f"超过 {timeout:.0f} s 未完成，已终止")
    if "MemoryError" in stderr or "memory allocation" in stderr:
        return Run(elapsed, peak, False, f"内存超过上限 {memory_cap_mb:,} MB")
    if proc.returncode not in (0, 1) or "Traceback" in stderr:
        return Run(elapsed, peak, False, f"退出码 {proc.returncode}：{stderr.strip().splitlines()[-1:]}")
    return Run(elapsed, peak, True, out=captured, together_mb=together)


def measure(cmd: list[str], repeat: int, label: str, **kwargs) -> Run:
    """Median wall time of `repeat` runs; the largest peak memory."""
    return measure_together([(cmd, label, kwargs)], repeat)[0]


def measure_together(commands: list[tuple[list[str], str, dict]], repeat: int) -> list[Run]:
    """measure() of each command, their runs taking turns (a, b, a, b, …): a machine that slows down or speeds up
    during the benchmark moves them alike, and their ratio stays fair."""
    runs: list[list[Run]] = [[] for _ in commands]
    for i in range(repeat):
        for (cmd, label, kwargs), done in zip(commands, runs, strict=True):
            if done and not done[-1].ok:
                continue
            # Only the first run keeps its output (for the counts); the others write to /dev/null.
            result = run(cmd, **{**kwargs, "capture": kwargs.get("capture", False) and i == 0})
            print(f"  {label} 第{i + 1}次：{result.seconds:.2f} s，峰值内存 {result.peak_mb:.0f} MB"
                  + ("" if result.ok else f"，失败：{result.why}"), file=sys.stderr)
            done.append(result)
    return [done[-1] if not done[-1].ok else
            Run(statistics.median(r.seconds for r in done), max(r.peak_mb for r in done), True, out=done[0].out,
                together_mb=max(r.together_mb for r in done)) for done in runs]


def findings_summary(out: bytes) -> str:
    findings = json.loads(out)["files"][0]["findings"]
    by_category: dict[str, int] = {}
    for f in findings:
        by_category[f["category"]] = by_category.get(f["category"], 0) + 1
    return f"{len(findings):,} findings (" + ", ".join(f"{k} {v:,}" for k, v in sorted(by_category.items())) + ")"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of (a), (b) and (a′), taking turns; the median counts")
    parser.add_argument("--big-terms", type=int, default=100 * LEXICON_TERMS, help="the larger lexicon (100×)")
    parser.add_argument("--big-memory-mb", type=int, default=12_000, help="address-space cap of the larger run")
    parser.add_argument("--big-timeout", type=float, default=600, help="seconds before the larger run is stopped")
    parser.add_argument("--folder", default=str(ROOT / "var" / "bench" / "screening"))
    args = parser.parse_args()

    folder = Path(args.folder)
    corpus, lexicon, empty = prepare(folder)
    cache = folder / "cache"  # compiled lexicons (screening/compiled.py), emptied before the 100× runs
    env = {**os.environ, "GOVMEDIA_CACHE_DIR": str(cache)}
    mb = corpus.stat().st_size / (1024 * 1024)
    lines = sum(1 for _ in corpus.open(encoding="utf-8"))

    def scan(lex: Path, path: Path) -> list[str]:
        return [str(BIN / "govmedia"), "scan", "--json", "--lexicon", str(lex), str(path)]

    # From an empty cache first: that run compiles the lexicon and builds the typo model; the others load them.
    shutil.rmtree(cache, ignore_errors=True)
    a_first = measure(scan(lexicon, corpus), 1, "(a) govmedia scan，首次（缓存为空）", env=env)
    a, b, quiet = measure_together([
        (scan(lexicon, corpus), "(a) govmedia scan", {"capture": True, "env": env}),
        ([sys.executable, str(ROOT / "bench" / "trie_baseline.py"), str(lexicon), str(corpus)], "(b) 纯Python字典树",
         {"capture": True}),
        ([sys.executable, str(ROOT / "bench" / "scan_without_typos.py"), str(lexicon), str(corpus)],
         "(a′) 关闭错别字规则", {"capture": True, "env": env}),
    ], args.repeat)
    a_load = measure(scan(lexicon, empty), 1, "(a) 单行文件：启动并载入词表", env=env)
    if not (a_first.ok and a.ok and b.ok and quiet.ok and a_load.ok):
        raise SystemExit("基准运行失败，见上方输出")

    # The 100× lexicon; where it cannot be built within the caps, the 10× one, and the table says why.
    big_rows = []
    for count in dict.fromkeys([args.big_terms, 10 * LEXICON_TERMS]):
        path = big_lexicon(folder, count)
        caps = {"memory_cap_mb": args.big_memory_mb, "timeout": args.big_timeout, "env": env}
        shutil.rmtree(cache, ignore_errors=True)
        first = measure(scan(path, corpus), 1, f"(d) govmedia scan，{count:,}词，首次（编译词表）", **caps)
        d = measure(scan(path, corpus), args.repeat, f"(d) govmedia scan，{count:,}词，已编译", **caps) if first.ok else first
        d_load = measure(scan(path, empty), 1, f"(d) 单行文件：启动并载入已编译的{count:,}词", **caps) if d.ok else d
        big_rows.append((count, first, d, d_load))
        if d.ok:
            break

    rate = {name: mb / r.seconds for name, r in (("a", a), ("b", b), ("quiet", quiet))}
    now = datetime.datetime.now(datetime.UTC).astimezone()
    print(f"### {now:%Y-%m-%d}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    print()
    print(f"Corpus: {mb:.1f} MB, {lines:,} lines. Lexicon: {LEXICON_TERMS:,} terms. (a) reports "
          f"{findings_summary(a.out)}; (a′) {findings_summary(quiet.out)}; the trie counts "
          f"{int(b.out or 0):,} lexicon matches. Median of {args.repeat} runs each, taking turns, process start included.")
    print()
    print("| measure | result |")
    print("|---|---|")
    print(f"| (a) `govmedia scan --json`, {LEXICON_TERMS:,}-term lexicon, every rule family | "
          f"{a.seconds:.2f} s, **{rate['a']:.2f} MB/s** |")
    print(f"| (a) its first run, from an empty cache (compiles the lexicon, builds the typo model) | "
          f"{a_first.seconds:.2f} s, {mb / a_first.seconds:.2f} MB/s |")
    print(f"| (b) pure-Python dict-of-dicts trie, lexicon step only (bench/trie_baseline.py) | "
          f"{b.seconds:.2f} s, {rate['b']:.2f} MB/s |")
    print(f"| (c) ratio a/b (issue: ≥ 1.5×, aim 3×) | **{rate['a'] / rate['b']:.2f}×** |")
    for count, first, d, d_load in big_rows:
        times = f"{count // LEXICON_TERMS}×"
        if d.ok:
            print(f"| (d) (a) with a {count:,}-term lexicon ({times}), compiled on an earlier run, speed relative to "
                  f"(a) (issue: ≥ 0.7) | {d.seconds:.1f} s, {mb / d.seconds:.2f} MB/s, **{a.seconds / d.seconds:.2f}**; "
                  f"peak {d.peak_mb:,.0f} MB |")
            print(f"| (d) the first run with that lexicon, which compiles it into the cache | {first.seconds:.1f} s, "
                  f"{mb / first.seconds:.2f} MB/s, {a.seconds / first.seconds:.2f}; peak {first.peak_mb:,.0f} MB |")
            scan_big, scan_a = d.seconds - d_load.seconds, a.seconds - a_load.seconds
            alone = (f"the scan alone {scan_big:.1f} s against {scan_a:.1f} s for (a): {scan_a / scan_big:.2f}"
                     if scan_big > 0.1 * d.seconds else "the scan alone is lost in the run-to-run noise")
            print(f"| (d) of which start and loading the {count:,} compiled terms (run on a one-line file) | "
                  f"{d_load.seconds:.1f} s; {alone} |")
        else:
            print(f"| (d) (a) with a {count:,}-term lexicon ({times}) | not measured: {d.why} after "
                  f"{d.seconds:.0f} s, peak {d.peak_mb:,.0f} MB |")
    print(f"| (e) peak memory of (a) (issue: ≤ 600 MB) | **{a.peak_mb:.0f} MB** for the larger of its two processes; "
          f"{a.together_mb:.0f} MB for both together (sampled every 20 ms) |")
    print(f"| (a′) as (a) with the typo family off (bench/scan_without_typos.py) | {quiet.seconds:.2f} s, "
          f"{rate['quiet']:.2f} MB/s, {rate['quiet'] / rate['b']:.2f}× (b); peak {quiet.peak_mb:.0f} MB |")
    print(f"| start and loading the {LEXICON_TERMS:,}-term lexicon (run on a one-line file) | "
          f"{a_load.seconds:.2f} s |")
    print(f"| peak memory of (b) | {b.peak_mb:.0f} MB |")


if __name__ == "__main__":
    main()
