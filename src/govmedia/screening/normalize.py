"""Normalisation before matching, with a map back to the original offsets.

Full-width → half-width and compatibility forms (NFKC), traditional → simplified (OpenCC's character table),
case folded, and interference characters between two CJK characters dropped (赌 博, 赌*博, 赌·博, zero-width).
Every normalised character remembers the index of the original character it came from.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

INTERFERENCE = frozenset(" \t\u3000*-_·•.~|/\\\u200b\u200c\u200d\u2060\ufeff\u30fb\u2027\u2219\u22c5")
MAX_INTERFERENCE_RUN = 3


def is_interference(ch: str) -> bool:
    """Also the full-width forms (＊ － ． ／): they fold to an interference character."""
    return ch in INTERFERENCE or (not ch.isascii() and _fold(ch) in INTERFERENCE)


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    """Traditional → simplified, character by character (OpenCC's TSCharacters), so lengths never change."""
    table: dict[int, str] = {}
    try:
        data = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return table
    for line in data.splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            simple = parts[1].split(" ")[0]
            if len(simple) == 1 and simple != parts[0]:
                table[ord(parts[0])] = simple
    return table


@lru_cache(maxsize=65536)
def _fold(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch).lower()
    return out.translate(t2s_table())


@dataclass(frozen=True)
class Normalized:
    text: str              # normalised text
    index: list[int]       # index[i] = offset in the original of normalised char i
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised span [start, end)."""
        if end <= start:
            pos = self.index[start] if start < len(self.index) else len(self.original)
            return pos, pos
        return self.index[start], self.index[end - 1] + 1


class _FoldTable(dict):
    """ord → folded character(s) for str.translate, filled the first time each character is seen."""

    def __init__(self):
        super().__init__()
        self.lossy = False  # a character folded to nothing: only the character-by-character path is safe
        self.expanding: dict[int, str] = {}  # characters that fold to more than one (… → ..., ㈠ → (一))
        self._expanding_re: re.Pattern | None = None

    def __missing__(self, code: int) -> str:
        out = self[code] = _fold(chr(code))
        if len(out) != 1:
            self.lossy = self.lossy or not out
            self.expanding[code] = out
            self._expanding_re = None
        return out

    def expanding_re(self) -> re.Pattern:
        """The expanding characters seen so far: all those of any text already translated."""
        if self._expanding_re is None:
            self._expanding_re = re.compile(f"[{re.escape(''.join(map(chr, sorted(self.expanding))))}]")
        return self._expanding_re


_FOLD = _FoldTable()


@lru_cache(maxsize=1)
def _may_drop() -> re.Pattern:
    """An interference character or its fold, right after a CJK character. Every interference character folds to
    a single character of this set, so a run can be dropped only where this matches the folded text. (The set
    comes first so that the regex engine skips ahead to its characters: a CJK class first is 4× slower.)"""
    after = "".join(sorted(INTERFERENCE | {_fold(c) for c in INTERFERENCE}))
    return re.compile(f"[{re.escape(after)}](?<=[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff].)")


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """A lone surrogate (from a broken file or API input) becomes U+FFFD, same length, so offsets hold."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def normalize(text: str) -> Normalized:
    """Fast path (speed only, same result as character by character): str.translate folds the whole text in C;
    unless an interference run may be dropped, the index follows from where characters expanded."""
    text = without_surrogates(text)
    if text.isascii():  # nothing to drop (no CJK), nothing expands: only case
        return Normalized(text.lower(), list(range(len(text))), text)
    folded = text.translate(_FOLD)
    if _FOLD.lossy:
        return _normalize_by_character(text)
    index = list(range(len(text))) if len(folded) == len(text) else _expanded_index(text)
    if _may_drop().search(folded):
        return _drop_interference(text, folded, index)
    return Normalized(folded, index, text)


def _expanded_index(text: str) -> list[int]:
    """Each original offset once per character its fold produced; every character of text is in _FOLD."""
    index: list[int] = []
    done = 0
    for m in _FOLD.expanding_re().finditer(text):
        at = m.start()
        index.extend(range(done, at))
        index.extend([at] * len(_FOLD[ord(m.group())]))
        done = at + 1
    index.extend(range(done, len(text)))
    return index


def _drop_interference(text: str, folded: str, index: list[int]) -> Normalized:
    """The character-by-character result, from the full fold of text and its index: only where _may_drop
    matches can a run start (each interference character folds to one character), so only there is it judged."""
    kept: list[str] = []
    kept_index: list[int] = []
    done, n = 0, len(text)
    for m in _may_drop().finditer(folded):
        at = m.start()
        i = index[at]
        if not is_interference(text[i]):
            continue
        j = i
        while j < n and is_interference(text[j]) and j - i < MAX_INTERFERENCE_RUN:
            j += 1
        if j < n and j - i <= MAX_INTERFERENCE_RUN and is_cjk(_fold(text[j])[:1] or " "):
            kept.append(folded[done:at])
            kept_index.extend(index[done:at])
            done = at + (j - i)
    kept.append(folded[done:])
    kept_index.extend(index[done:])
    return Normalized("".join(kept), kept_index, text)


def normalize_each(texts: list[str]) -> tuple[list[str], dict[int, Normalized]]:
    """normalize(t).text for every t, folded in one str.translate over them all (speed only, same result).

    Also returns, by position, the Normalized of the texts whose offsets change (an expanding character or a
    dropped interference run); every other text's index is simply 0, 1, 2, …
    """
    texts = [without_surrogates(t) for t in texts]
    joined = "\n".join(texts)
    folded = joined.translate(_FOLD)
    if _FOLD.lossy:
        norms = [normalize(text) for text in texts]
        return [n.text for n in norms], dict(enumerate(norms))
    starts, pos = [], 0
    for text in texts:
        starts.append(pos)
        pos += len(text) + 1
    grown: dict[int, int] = {}  # text → characters its expanding characters added
    if len(folded) != len(joined):
        for m in _FOLD.expanding_re().finditer(joined):
            i = bisect_right(starts, m.start()) - 1
            grown[i] = grown.get(i, 0) + len(_FOLD[ord(m.group())]) - 1
    out, folded_starts, pos = [], [], 0
    for i, text in enumerate(texts):
        size = len(text) + grown.get(i, 0)
        folded_starts.append(pos)
        out.append(folded[pos:pos + size])
        pos += size + 1
    changed = {i: Normalized(out[i], _expanded_index(texts[i]), texts[i]) for i in grown}
    # The separator is neither CJK nor interference: each match lies in one text.
    for i in {bisect_right(folded_starts, m.start()) - 1 for m in _may_drop().finditer(folded)}:
        index = changed[i].index if i in changed else list(range(len(texts[i])))
        changed[i] = _drop_interference(texts[i], out[i], index)
        out[i] = changed[i].text
    return out, changed


def _normalize_by_character(text: str) -> Normalized:
    chars: list[str] = []
    index: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if chars and is_cjk(chars[-1]) and is_interference(ch):
            j = i
            while j < n and is_interference(text[j]) and j - i < MAX_INTERFERENCE_RUN:
                j += 1
            if j < n and j - i <= MAX_INTERFERENCE_RUN and is_cjk(_fold(text[j])[:1] or " "):
                i = j  # drop the run: it only separates two CJK characters
                continue
        folded = ch if ch.isascii() and not ch.isupper() else _fold(ch)
        for out in folded:
            chars.append(out)
            index.append(i)
        i += 1
    return Normalized("".join(chars), index, text)
