"""Typos in official writing, at scanning speed.

Two lists of literal forms go into one automaton: the curated misspellings (data/misspellings.tsv, always
reported) and the typo forms generated ahead of time from jieba's dictionary and ECSpell's sound/shape confusion
sets (data/typo_forms.tsv, built by scripts/build_typo_forms.py). A generated form is only a suspicion: it is
confirmed when putting the correct word in its place raises the best-segmentation log-probability of a small
window around it (a unigram word model over jieba's dictionary frequencies, plus data/context_words.txt) by more
than THRESHOLD. So the costly part runs per automaton hit, on a few dozen characters, never per sentence.

No Django here; jieba is only read for its dictionary file, lazily, on the first score.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Confirmation threshold in nats of log-probability gain (e^4 ≈ 55 times more probable with the correction).
# On ECSpell's odw.train, where more than half of the sentences hold a typo, 2-fold tuning for precision 0.90
# picks 2–3; real text holds far fewer typos, so the shipped value is stricter: the bureau's own regulation
# (3,098 clean characters) then raises one hit instead of three (scripts/eval_typos.py prints it).
THRESHOLD = 4.0
# A form holding one of the COMMON_CHARS commonest single-character words (的 是 一 在 了 将 以 …) turns up by
# chance across word boundaries (现将有关 → 现象?, 以德为先 → 行为?), so it must gain COMMON_CHAR_MARGIN more.
COMMON_CHARS = 30
COMMON_CHAR_MARGIN = 2.0
# Characters looked at on either side of a hit, stopping earlier at clause punctuation.
WINDOW = 8
# A generated form followed by one of these is most likely part of a place name (将军尧镇、老埠村、特诊科 …),
# which no general dictionary knows.
NAME_SUFFIXES = frozenset("村镇乡县区市省州旗街路")
# Frequency given to the words of data/context_words.txt (official expressions jieba's dictionary lacks): that of
# a moderately common word, so 人社局 reads as one word and is not "corrected" to 人社区.
CONTEXT_WORD_FREQ = 1000
# Longest dictionary word the segmenter considers; longer entries are rare and only slow the search down.
MAX_WORD = 8
CLAUSE_BREAKS = frozenset("，。；：！？、,.;:!?（）()《》〈〉“”‘’\"'「」『』【】[]〔〕…—\n\r\t 　")

_SURROGATE = re.compile("[\ud800-\udfff]")

CURATED = "curated"
GENERATED = "generated"


@dataclass(frozen=True)
class TypoForm:
    form: str       # as wrongly written
    correct: str    # what it should be
    source: str     # CURATED | GENERATED


def _data_lines(name: str):
    text = resources.files("govmedia.screening").joinpath("data", name).read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@lru_cache(maxsize=1)
def load_forms() -> list[TypoForm]:
    """Curated and generated forms; a curated entry replaces a generated one with the same form."""
    forms: dict[str, TypoForm] = {}
    for parts in _data_lines("typo_forms.tsv"):
        if len(parts) >= 2 and parts[0] and parts[1] and parts[0] != parts[1]:
            forms[parts[0]] = TypoForm(parts[0], parts[1], GENERATED)
    for parts in _data_lines("misspellings.tsv"):
        if len(parts) >= 2 and parts[0] and parts[1] and parts[0] != parts[1]:
            forms[parts[0]] = TypoForm(parts[0], parts[1], CURATED)
    return list(forms.values())


@lru_cache(maxsize=1)
def _word_model() -> tuple[dict[str, float | None], float, frozenset[str]]:
    """The unigram model over jieba's dictionary: log P(word) for every word, None for a string that is only the
    start of longer words (so the search stops at the first string that is neither); the log-probability of an
    unknown single character; and the COMMON_CHARS commonest single-character words."""
    import jieba

    path = resources.files(jieba).joinpath("dict.txt")
    counts: dict[str, int] = {}
    with path.open("r", encoding="utf-8") as f:
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
    log_total = math.log(sum(counts.values()))
    # An unknown character costs as much as a word seen half a time: below every real word (jieba's floor is 3),
    # so a run of unknown characters never beats a dictionary word covering them.
    oov = math.log(0.5) - log_total
    table: dict[str, float | None] = {}
    for word in counts:
        for k in range(2, len(word)):
            table.setdefault(word[:k], None)
    for word, n in counts.items():
        table[word] = math.log(n) - log_total
    singles = sorted((w for w in counts if len(w) == 1), key=lambda w: (-counts[w], w))
    return table, oov, frozenset(singles[:COMMON_CHARS])


class ContextScorer:
    """Best-segmentation log-probability under a unigram model of jieba's dictionary (loaded once, shared)."""

    def __init__(self, window: int = WINDOW):
        self.window = window

    def best(self, s: str) -> float:
        """Log-probability of the most probable segmentation of s: a plain dynamic programme over prefixes."""
        table, oov, _ = _word_model()
        n = len(s)
        score = [0.0] + [-math.inf] * n
        for i in range(n):
            here = score[i]
            # A single character is always allowed, known or not, so every position is reachable.
            one = here + (table.get(s[i]) or oov)
            if one > score[i + 1]:
                score[i + 1] = one
            for j in range(i + 2, min(n, i + MAX_WORD) + 1):
                piece = s[i:j]
                if piece not in table:
                    break  # no dictionary word starts this way
                lp = table[piece]
                if lp is not None and here + lp > score[j]:
                    score[j] = here + lp
        return score[n]

    def span(self, sentence: str, start: int, end: int) -> tuple[int, int]:
        """The window around [start, end): up to `window` characters each side, not past clause punctuation."""
        lo = start
        while lo > 0 and start - lo < self.window and sentence[lo - 1] not in CLAUSE_BREAKS:
            lo -= 1
        hi = end
        while hi < len(sentence) and hi - end < self.window and sentence[hi] not in CLAUSE_BREAKS:
            hi += 1
        return lo, hi

    def gain(self, sentence: str, start: int, end: int, correct: str) -> float:
        """How much more probable the window reads with `correct` in place of sentence[start:end]."""
        lo, hi = self.span(sentence, start, end)
        as_written = sentence[lo:hi]
        corrected = sentence[lo:start] + correct + sentence[end:hi]
        return self.best(corrected) - self.best(as_written)

    def threshold(self, form: TypoForm) -> float:
        """The gain a generated form needs."""
        common = _word_model()[2]
        return THRESHOLD + (COMMON_CHAR_MARGIN if any(ch in common for ch in form.form) else 0.0)


def plausible(text: str, start: int, end: int, form: TypoForm) -> bool:
    """Cheap checks before the score. A generated form is left alone right before a place-name suffix, and right
    beside a digit (3月31日至…, 2个等级): numbers, dates and codes are not words."""
    if form.source == CURATED:
        return True
    after = text[end] if end < len(text) else ""
    before = text[start - 1] if start > 0 else ""
    return after not in NAME_SUFFIXES and not (after.isdigit() or before.isdigit())


def confirm(text: str, start: int, end: int, form: TypoForm, scorer: ContextScorer) -> bool:
    """Curated misspellings always; a generated form only when the correction gains more than its threshold."""
    if form.source == CURATED:
        return True
    if not plausible(text, start, end, form):
        return False
    return scorer.gain(text, start, end, form.correct) > scorer.threshold(form)


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    form: TypoForm
    gain: float         # math.inf for curated forms
    needed: float       # the gain it must exceed


@lru_cache(maxsize=1)
def _automaton():
    import ahocorasick_rs

    forms = load_forms()
    # Standard semantics so that overlapping=True reports every form: a chance form must not hide a real one.
    return ahocorasick_rs.AhoCorasick([f.form for f in forms]), forms


@lru_cache(maxsize=1)
def _default_scorer() -> ContextScorer:
    return ContextScorer()


def candidates(text: str, scorer: ContextScorer | None = None) -> list[Candidate]:
    """Every form occurrence that passes the cheap checks, with its gain (unthresholded; for tuning and tests)."""
    if not text:
        return []
    scorer = scorer or _default_scorer()
    automaton, forms = _automaton()
    try:
        matches = automaton.find_matches_as_indexes(text, overlapping=True)
    except UnicodeEncodeError:  # a lone surrogate: replace it, one character for one, so offsets hold
        matches = automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)
    out = []
    for index, start, end in matches:
        form = forms[index]
        if not plausible(text, start, end, form):
            continue
        if form.source == CURATED:
            out.append(Candidate(start, end, form, math.inf, -math.inf))
        else:
            out.append(Candidate(start, end, form, scorer.gain(text, start, end, form.correct), scorer.threshold(form)))
    return out


def choose(found: list[Candidate]) -> list[tuple[int, int, str, str]]:
    """Non-overlapping hits, the strongest first (curated, then by gain, then longer), in text order."""
    taken: list[Candidate] = []
    for c in sorted(found, key=lambda c: (-c.gain, c.start - c.end, c.start)):
        if all(c.end <= t.start or t.end <= c.start for t in taken):
            taken.append(c)
    return [(c.start, c.end, c.form.form, c.form.correct) for c in sorted(taken, key=lambda c: c.start)]


def find_typos(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, form, correct) for each confirmed typo in text; standalone, with its own cached automaton."""
    found = [c for c in candidates(text) if c.gain > c.needed]
    return choose(found)
