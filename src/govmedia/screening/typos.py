"""Typos in official writing (错别字), beyond any fixed list of wrong forms.

Two sources of findings:
- curated misspellings (data/misspellings.tsv), literal forms that are always wrong: always reported;
- confusable words: where a character sits outside every word (neither pair it forms with a neighbour occurs
  inside a dictionary word), each dictionary word of 2–4 characters that would cover it with one of its
  confusable characters (ECSpell's sound and shape sets, data/confusion.tsv) is a suspicion — 大数局 → 数据.
  A suspicion is confirmed when the clause reads more probably with the word in place: the best segmentation
  of the clause under a unigram word model (jieba's dictionary frequencies plus data/context_words.txt) gains
  more than THRESHOLD in log-probability when the word is one of its segments.

Clauses repeat in real documents (tables, boilerplate, 人力资源和社会保障局), so each clause's suspicions are
remembered (MEMO clauses), and so are the candidate words around each suspected character (NEAR_MEMO). No Django
here; jieba is only read for its dictionary file, lazily, on first use.

Building the model from that file takes about a second; the built model is kept in the user's cache (cache.py)
and loaded from there in about a third of that, found again by this module's code, the data files and the
dictionary file's path, inode, size and times; marshal reads it only if it is the user's own and whole (its
SHA-256 agrees).
"""

from __future__ import annotations

import bisect
import hashlib
import importlib.util
import itertools
import marshal
import math
import operator
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from govmedia.screening.cache import read_own, readable_dir, store

# Confirmation threshold in nats of log-probability gain (e^4.5 ≈ 90 times more probable with the correction).
# On ECSpell's odw.train the settings from 3.5 to 6 give precision 0.86 to 0.93 at recall 0.63 to 0.49
# (scripts/eval_typos.py); 4.5 keeps both of the targets (P ≥ 0.85, R ≥ 0.5) with about the same margin,
# since unseen text moves each by a few points.
THRESHOLD = 4.5
# A correction of what is already a dictionary word (研判 → 研制) needs this much more: a word spelled right
# is far more often meant than mistyped. On odw.train a quarter of such hits were false, one in thirteen of the rest.
REAL_WORD_MARGIN = 2.0
# Suspicions gaining no more than this are dropped, most unscored (an exact bound, margins included): the lowest
# threshold scripts/eval_typos.py tries.
FLOOR = 3.0
# Words a typo is corrected towards: 2–4 characters, at least this frequent in jieba's dictionary (above its
# floor of 3, where it keeps many typos of its own: 条列, 保正).
WORD_LENGTHS = (2, 3, 4)
WORD_MIN_FREQ = 5
# A character is left alone when it forms, with a neighbour, a pair found inside a word this frequent: it is
# then most likely part of that word. Rarer words would hide real typos (数局 is inside some rare word); on
# odw.train 50, 150, 400 and 1,000 give recall 0.54, 0.56, 0.57 and 0.58 at the same precision, and 1,000
# halves the speed.
PAIR_MIN_FREQ = 400
# A correction followed by one of these is most likely part of a place name (将军尧镇、老埠村、特诊科 …),
# which no general dictionary knows.
NAME_SUFFIXES = frozenset("村镇乡县区市省州旗街路")
# Replacing one of the COMMON_CHARS commonest single-character words (了 是 在 和 的 …) needs this much more: they
# stand beside anything (在区图书馆 is not 地区).
COMMON_CHARS = 30
COMMON_CHAR_MARGIN = 2.0
# After a determiner comes a one-character noun (本图、此件、该表): kept, it is not corrected.
DETERMINERS = frozenset("本该此各每")
# An organisation or place suffix is never corrected into another (扶贫开发局 / 开发区, 草原局 / 草原区).
UNIT_SUFFIXES = NAME_SUFFIXES | frozenset("局科处所段院厅委办队站馆")
# Person names are not words: a clause of two or three characters starting with one of the commonest surnames
# (王芳、刘洋、陈静 in a 公示 list) is left alone, and elsewhere a correction that keeps the surname is made only
# towards a word at least NAME_WORD_FREQ frequent (张伟 is not a typo of 张本; 严焚 is one of 严禁).
SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
                     "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
NAME_WORD_FREQ = 500
# Frequency given to the words of data/context_words.txt (official expressions jieba's dictionary lacks): that of
# a moderately common word, so 人社局 reads as one word and is not "corrected" to 人社区.
CONTEXT_WORD_FREQ = 1000
# Longest dictionary word the segmenter considers; longer entries are rare and only slow the search down.
MAX_WORD = 8
MEMO = 1 << 16
MEMO_CLAUSE = 200   # characters: longer clauses are scored but not remembered
NEAR_MEMO = 1 << 15  # neighbourhoods of a suspected character remembered, about 200 bytes each
CLAUSE_BREAKS = "，。；：！？、,.;:!?（）()《》〈〉“”‘’\"'「」『』【】[]〔〕…—\n\r\t 　"
CLAUSE = re.compile("[^" + re.escape(CLAUSE_BREAKS) + "]{2,}")

_SURROGATE = re.compile("[\ud800-\udfff]")

CURATED = "curated"
CONFUSABLE = "confusable"


@dataclass(frozen=True)
class Suspicion:
    start: int
    end: int
    form: str       # as written
    correct: str    # the word it should be
    source: str     # CURATED | CONFUSABLE
    gain: float     # math.inf for curated forms


def _data_lines(name: str):
    text = resources.files("govmedia.screening").joinpath("data", name).read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@lru_cache(maxsize=1)
def curated() -> dict[str, str]:
    """Curated misspellings: wrong form → correct form."""
    return {parts[0]: parts[1] for parts in _data_lines("misspellings.tsv")
            if len(parts) >= 2 and parts[0] and parts[1] and parts[0] != parts[1]}


@dataclass(frozen=True)
class Model:
    logp: dict[str, float | None]    # log P(word); None for a string that is only the start of longer words
    oov: float                       # log-probability of an unknown single character
    pairs: frozenset[str]            # two-character strings found inside frequent words
    # A word with one character replaced by \0 → the characters that stand there in dictionary words, in
    # dictionary order (\0 → 据 gives 数据). Characters, not words: one tuple per key, and the confusable ones
    # are picked by a set intersection in C — a key like 数\0 stands for hundreds of words. A tuple of shared,
    # interned characters rather than a string: iterating a string makes a new object per character and hashes
    # it, iterating the tuple reuses the characters' cached hashes (three times faster); it is also smaller,
    # and marshal stores each character once.
    index: dict[str, tuple[str, ...]]
    confusables: dict[str, frozenset[str]]  # character → the characters it is mistaken for
    name_floor: float                # log P of a word NAME_WORD_FREQ frequent
    common: frozenset[str]           # the COMMON_CHARS commonest single-character words


def _dictionary() -> Path:
    """jieba's dictionary file, found without importing jieba (which takes 0.1 s)."""
    spec = importlib.util.find_spec("jieba")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def _frequencies() -> dict[str, int]:
    counts: dict[str, int] = {}
    with _dictionary().open("r", encoding="utf-8") as f:
        for line in f:
            parts = line.split(" ")
            if len(parts) >= 2 and len(parts[0]) <= MAX_WORD:
                try:
                    n = int(parts[1])
                except ValueError:
                    continue
                if n > 0:
                    counts[parts[0]] = n
    for parts in _data_lines("context_words.txt"):
        word = parts[0].strip()
        if 0 < len(word) <= MAX_WORD:
            counts[word] = max(counts.get(word, 0), CONTEXT_WORD_FREQ)
    return counts


def _cjk(word: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in word)


@lru_cache(maxsize=1)
def model() -> Model:
    """The word model: from the cache when it was built before with the same code and data, else built (and
    cached)."""
    forget_judgements()   # what was judged by another model
    key = _model_key()
    found = _cached_model(key)
    if found is None:
        found = _build_model()
        payload = marshal.dumps(tuple(getattr(found, name) for name in Model.__dataclass_fields__))
        store([(_model_file(key), lambda path: Path(path).write_bytes(hashlib.sha256(payload).digest() + payload))],
              replaces=_model_file("*"))
    return found


def _model_key() -> str:
    """What the model is built from: this module, the data files, jieba's dictionary file as it is now, and the
    Python version (marshal's format may change with it)."""
    digest = hashlib.sha256(sys.version.encode())
    digest.update(Path(__file__).read_bytes())
    for name in ("context_words.txt", "confusion.tsv"):
        digest.update(resources.files("govmedia.screening").joinpath("data", name).read_bytes())
    dictionary = _dictionary()
    stat = dictionary.stat()
    # The change time and inode too: a copy that keeps the size and the modification time (cp -p) still moves them.
    digest.update(f"{dictionary.resolve()}\0{stat.st_ino}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}"
                  .encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:32]


def _model_file(key: str) -> str:
    return f"typo-model-{key}.marshal"


def _cached_model(key: str) -> Model | None:
    """The cached model, or None when there is none, or it is damaged (its digest disagrees) or not a model."""
    folder = readable_dir()
    if folder is None:
        return None
    # Ours alone, like its folder: marshal must not read what someone else wrote. The digest (unkeyed) only
    # tells a damaged entry (a full disk, a crash) from a whole one.
    data = read_own(folder / _model_file(key))
    if data is None or hashlib.sha256(data[32:]).digest() != data[:32]:
        return None
    try:
        fields = marshal.loads(memoryview(data)[32:])  # noqa: S302 - our own file in our own folder, whole
        found = Model(*fields)
    except (ValueError, EOFError, TypeError):
        return None
    kinds = (dict, float, frozenset, dict, dict, float, frozenset)
    return found if all(isinstance(getattr(found, name), kind)
                        for name, kind in zip(Model.__dataclass_fields__, kinds, strict=True)) else None


def _build_model() -> Model:
    counts = _frequencies()
    log_total = math.log(sum(counts.values()))
    # An unknown character costs as much as a word seen half a time: below every real word (jieba's floor is 3),
    # so a run of unknown characters never beats a dictionary word covering them.
    oov = math.log(0.5) - log_total
    logp: dict[str, float | None] = {}
    for word in counts:
        for k in range(2, len(word)):
            logp.setdefault(word[:k], None)
    pairs: set[str] = set()
    index: dict[str, list[str]] = defaultdict(list)  # made tuples below
    for word, n in counts.items():
        logp[word] = math.log(n) - log_total
        if n >= PAIR_MIN_FREQ:
            pairs.update(word[k:k + 2] for k in range(len(word) - 1))
        if len(word) in WORD_LENGTHS and n >= WORD_MIN_FREQ and _cjk(word):
            for k in range(len(word)):
                index[word[:k] + "\0" + word[k + 1:]].append(word[k])
    confusables = {parts[0]: frozenset(parts[1]) for parts in _data_lines("confusion.tsv") if len(parts) == 2}
    singles = sorted((w for w in counts if len(w) == 1), key=lambda w: (-counts[w], w))
    return Model(logp, oov, frozenset(pairs), {k: tuple(map(sys.intern, v)) for k, v in index.items()}, confusables,
                 math.log(NAME_WORD_FREQ) - log_total, frozenset(singles[:COMMON_CHARS]))


def best(s: str) -> float:
    """Log-probability of the most probable segmentation of s."""
    return _forward(_segments(s, model()))[-1]


def _segments(s: str, m: Model) -> list[list[tuple[int, float]]]:
    """For each start i, (end, log P) of every segment s[i:end] may begin with: the single character, always
    allowed, known or not, then each dictionary word. Looked up once for both passes below."""
    get, oov = m.logp.get, m.oov
    n = len(s)
    out = []
    for i, ch in enumerate(s):
        here = [(i + 1, get(ch) or oov)]
        out.append(here)
        # A while loop, neither range() nor min(): two calls per character are measurable here.
        stop = i + MAX_WORD if i + MAX_WORD < n else n
        j = i + 2
        while j <= stop:
            lp = get(s[i:j], 0.0)
            if lp == 0.0:
                break  # no dictionary word starts this way
            if lp is not None:
                here.append((j, lp))
            j += 1
    return out


def _forward(segments: list[list[tuple[int, float]]]) -> list[float]:
    """score[i]: the best segmentation of s[:i] — a dynamic programme over prefixes."""
    score = [0.0] + [-math.inf] * len(segments)
    for i, here in enumerate(segments):
        before = score[i]
        for j, lp in here:
            if before + lp > score[j]:
                score[j] = before + lp
    return score


def _backward(segments: list[list[tuple[int, float]]]) -> list[float]:
    """score[i]: the best segmentation of s[i:]."""
    n = len(segments)
    score = [-math.inf] * n + [0.0]
    for i in range(n - 1, -1, -1):
        top = -math.inf
        for j, lp in segments[i]:
            if lp + score[j] > top:
                top = lp + score[j]
        score[i] = top
    return score


def _plausible(clause: str, start: int, end: int, word: str, m: Model) -> bool:
    """Not right before a place-name suffix, not beside a digit (3月31日至…, 2个等级), not a surname's given name:
    names and numbers are not words a dictionary knows."""
    after = clause[end] if end < len(clause) else ""
    before = clause[start - 1] if start else ""
    if after in NAME_SUFFIXES or after.isdigit() or before.isdigit():
        return False
    if word[-1] != clause[end - 1] and word[-1] in UNIT_SUFFIXES and clause[end - 1] in UNIT_SUFFIXES:
        return False
    if clause[start] in DETERMINERS and word[0] == clause[start]:
        return False
    return not (clause[start] in SURNAMES and word[0] == clause[start] and m.logp[word] < m.name_floor)


class _Bounded(dict):
    """A memo of at most `limit` entries, emptied when full (simpler than least-recently-used, and as good:
    documents repeat their clauses within a few pages)."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def keep(self, key, value):
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


class _Memo(_Bounded):
    """Clause → its suspicions, for clauses of at most MEMO_CLAUSE characters. `misses` counts the clauses scored."""

    misses = 0

    def suspicions(self, clause: str) -> tuple[tuple[int, int, str, float], ...]:
        found = self.get(clause)
        if found is None:
            self.misses += 1
            found = _clause_suspicions(clause)
            if len(clause) <= MEMO_CLAUSE:
                self.keep(clause, found)
        return found


memo = _Memo(MEMO)


def clause_suspicions(clause: str) -> tuple[tuple[int, int, str, float], ...]:
    """(start, end, correct word, gain) for every confusable word in one clause gaining more than FLOOR; the gain
    is less REAL_WORD_MARGIN for a correction of a dictionary word, less COMMON_CHAR_MARGIN for one replacing a
    common single-character word. Clauses of ordinary length are remembered; a huge one (a garbled cell) is not
    kept in memory."""
    return memo.suspicions(clause)


@lru_cache(maxsize=4096)
def _windows(n: int, i: int) -> tuple[tuple[int, int], ...]:
    """(start, end) of every WORD_LENGTHS window of a clause of n characters that covers character i."""
    return tuple((j, j + length) for length in WORD_LENGTHS
                 for j in range(max(0, i - length + 1), min(i, n - length) + 1))


def _clause_suspicions(clause: str) -> tuple[tuple[int, int, str, float], ...]:
    m = model()
    n = len(clause)
    if n < 2 or (n <= 3 and clause[0] in SURNAMES):
        return ()  # a bare name
    confusables = m.confusables
    # inside[k]: clause[k - 1:k + 1] is a pair found inside a frequent word (the pairs are made and looked up in C).
    inside = [False, *map(m.pairs.__contains__, map(operator.add, clause, clause[1:])), False]
    found = []
    for i, ch in enumerate(clause):
        if inside[i] or inside[i + 1] or ch not in confusables:
            continue
        # The candidates depend only on the REACH characters either side, and those neighbourhoods repeat
        # across clauses far more than the clauses themselves: fewer than half are new on the benchmark corpus.
        lo = i - REACH if i > REACH else 0
        key = _OFFSETS[i - lo] + clause[lo:i + REACH + 1]
        near = _NEAR.get(key)
        if near is None:
            near = _NEAR.keep(key, _candidates(key[1:], i - lo, m))
        if near:
            found.append((lo, near))
    if not found:
        return ()
    logp = m.logp
    segments = _segments(clause, m)
    forward, backward = _forward(segments), _backward(segments)
    out = []
    for lo, near in found:
        for start, end, word, is_word, replaces_common in near:
            gain = forward[lo + start] + logp[word] + backward[lo + end] - forward[n]
            if is_word:
                gain -= REAL_WORD_MARGIN
            if replaces_common:
                gain -= COMMON_CHAR_MARGIN
            if gain > FLOOR:
                out.append((lo + start, lo + end, word, gain))
    return tuple(out)


# Characters either side of a suspected character that its candidates depend on: a word of up to 4 characters
# covers 3 of them, and _plausible looks at the one beyond.
REACH = max(WORD_LENGTHS)
# The offset of the suspected character in its neighbourhood, as one character put before it: a string key takes
# less memory than a (neighbourhood, offset) tuple.
_OFFSETS = "".join(map(chr, range(REACH + 1)))
_NEAR = _Bounded(NEAR_MEMO)  # offset + neighbourhood → _candidates()


def _candidates(near: str, i: int, m: Model) -> tuple[tuple[int, int, str, bool, bool], ...]:
    """Each word covering near[i] with one of its confusable characters there, plausible in place and possibly
    gaining more than FLOOR, as (start, end, word, whether the written part is a dictionary word, whether a common
    single-character word is replaced): windows by length then start, replacements in dictionary order."""
    ch = near[i]
    others, common = m.confusables[ch], ch in m.common
    logp, known = m.logp, m.index.get
    wild = near[:i] + "\0" + near[i + 1:]   # each window of it is an index key
    out = []
    for j, k in _windows(len(near), i):
        chars = known(wild[j:k])
        if chars and (hits := others.intersection(chars)):
            key, written = wild[j:k], near[j:k]
            for c in sorted(hits, key=chars.index):
                word = key.replace("\0", c)
                if not _plausible(near, j, k, word, m):
                    continue
                is_word, replaces_common = logp.get(written) is not None, common and c != ch
                # Exact bound: the clause as written scores at least forward[start] + best(written) + backward[end],
                # and the margins come off whatever the clause says.
                bound = (logp[word] - _best_short(written, m) - (REAL_WORD_MARGIN if is_word else 0.0)
                         - (COMMON_CHAR_MARGIN if replaces_common else 0.0))
                if bound > FLOOR:
                    # The word differs from what is written only where ch stands.
                    out.append((j, k, word, is_word, replaces_common))
    return tuple(out)


_SHORT_BEST = _Bounded(MEMO)  # best() of the 2–4 characters a correction would replace: they repeat


def _best_short(s: str, m: Model) -> float:
    found = _SHORT_BEST.get(s)
    return _SHORT_BEST.keep(s, _forward(_segments(s, m))[-1]) if found is None else found


def forget_judgements() -> None:
    """Empties every memo of what a model judged: done when a model is loaded, and by tests that swap models."""
    memo.clear()
    _NEAR.clear()
    _SHORT_BEST.clear()


@lru_cache(maxsize=1)
def _curated_automaton():
    import ahocorasick_rs

    forms = list(curated())
    return ahocorasick_rs.AhoCorasick(forms), forms


def suspicions(text: str) -> list[Suspicion]:
    """Every curated form and every confusable word gaining more than FLOOR, unthresholded (for tuning)."""
    if not text:
        return []
    text = _SURROGATE.sub("\ufffd", text)  # one character for one: offsets hold
    automaton, forms = _curated_automaton()
    table = curated()
    out = [Suspicion(s, e, forms[k], table[forms[k]], CURATED, math.inf)
           for k, s, e in automaton.find_matches_as_indexes(text, overlapping=True)]
    out.extend(confusable_suspicions(text))
    return out


def confusable_suspicions(text: str, above: float = FLOOR) -> list[Suspicion]:
    """The confusable words gaining more than `above` (at least FLOOR)."""
    # Every clause of every line passes here, most of them known: the clauses and their memo entries are listed
    # in C, and only the clauses with suspicions are visited in Python.
    clauses = CLAUSE.findall(text)
    found = list(map(memo.get, clauses))
    for k in [k for k, known in enumerate(found) if known is None]:
        found[k] = memo.suspicions(clauses[k])
    # Where each clause with suspicions stands, found by str.find from the end of the last one (a match object per
    # clause, from CLAUSE.finditer, cost twice the listing): the first occurrence there that is a whole clause
    # (break characters or the text's ends either side) is the one — an earlier whole one would be a clause between
    # the two with the same text, hence the same suspicions, and so not passed over.
    out = []
    pos, n = 0, len(text)
    for clause, suspected in zip(itertools.compress(clauses, found), filter(None, found), strict=True):
        base, size = text.find(clause, pos), len(clause)
        while not ((base == 0 or text[base - 1] in CLAUSE_BREAKS)
                   and (base + size == n or text[base + size] in CLAUSE_BREAKS)):
            base = text.find(clause, base + 1)
        pos = base + size
        for start, end, word, gain in suspected:
            if gain > above:
                out.append(Suspicion(base + start, base + end, text[base + start:base + end], word, CONFUSABLE, gain))
    return out


def choose(found: list[Suspicion], threshold: float = THRESHOLD) -> list[Suspicion]:
    """Those above the threshold, non-overlapping, the strongest first (curated, then by gain), in text order."""
    starts: list[int] = []   # the taken spans, disjoint, kept in order: a new one is checked against its neighbours
    taken: list[Suspicion] = []
    for s in sorted((s for s in found if s.gain > threshold), key=lambda s: (-s.gain, s.start - s.end, s.start)):
        k = bisect.bisect_right(starts, s.start)
        if (k == 0 or taken[k - 1].end <= s.start) and (k == len(taken) or s.end <= taken[k].start):
            starts.insert(k, s.start)
            taken.insert(k, s)
    return taken


def find_typos(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, form, correct) for each typo found in text."""
    return [(s.start, s.end, s.form, s.correct) for s in choose(suspicions(text))]
