"""Normalisation before matching, with a map back to the original offsets.

Full-width → half-width and compatibility forms (NFKC), traditional → simplified (OpenCC's character table),
case folded, and interference characters between two CJK characters dropped (赌 博, 赌*博, 赌·博, zero-width).
Every normalised character remembers the index of the original character it came from.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from itertools import accumulate, repeat
from operator import add
from typing import NamedTuple

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


class Normalized(NamedTuple):
    """A text as matched, and where each of its characters came from (a named tuple: one is made for each text a
    rule looks at, 30,000 per 20 MB, and a frozen dataclass takes four times as long to make)."""

    text: str              # normalised text
    index: Sequence[int]   # index[i] = offset in the original of normalised char i
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


def _drop_interference(text: str, folded: str, index: Sequence[int]) -> Normalized:
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


# Texts from this many characters on are folded by a table lookup over their code points (_fold_in_bulk):
# str.translate asks a mapping for each character, ≈50 ns each, 4× slower on a 20 MB input.
BULK = 1 << 14
_UNSURE = 0xFFFFFFFF  # in the bulk table: a character folded one by one (below)


# Blocks that NFKC and lower() leave as they are (CJK ideographs, Hangul syllables, private use): only OpenCC's
# table folds them, which makes _bulk_table three times faster to build (a test compares it with _fold).
_PLAIN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xAC00, 0xD7A4), (0xE000, 0xF900))


@lru_cache(maxsize=1)
def _bulk_table():
    """The fold of every character of the Basic Multilingual Plane as one code point, or _UNSURE where it is not
    one (it expands or vanishes), where the character is a lone surrogate, and at U+FFFF, where every character
    beyond the plane is clipped to."""
    import numpy

    fold = _fold.__wrapped__  # not through its cache: 65,536 characters would push out the ones in use
    table = list(range(0x10000))
    table[0xD800:0xE000] = [_UNSURE] * 0x800
    table[0xFFFF] = _UNSURE
    plain = bytearray(0x10000)
    for lo, hi in _PLAIN_BLOCKS:
        plain[lo:hi] = b"\1" * (hi - lo)
    for code, simple in t2s_table().items():
        if code < 0x10000 and plain[code]:
            table[code] = ord(simple)
    for code in range(0xFFFF):
        if not plain[code] and table[code] != _UNSURE:
            out = fold(chr(code))
            table[code] = ord(out) if len(out) == 1 else _UNSURE
    return numpy.array(table, dtype="<u4")


def _fold_in_bulk(text: str) -> tuple[str, list[tuple[int, str]]] | None:
    """text.translate(_FOLD) and the (offset, fold) of each character folding to more than one, from a table
    lookup in C (numpy); None where only the slow path is right: a lone surrogate, a character folding to
    nothing. The few characters the table is unsure of are folded here, one by one."""
    import numpy

    codes = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    out = _bulk_table().take(codes, mode="clip")
    expanding: list[tuple[int, str]] = []
    unsure = numpy.flatnonzero(out == _UNSURE)
    for at, code in zip(unsure.tolist(), codes[unsure].tolist(), strict=True):
        if 0xD800 <= code < 0xE000:
            return None
        folded = _FOLD[code]
        if not folded:
            return None
        out[at] = ord(folded[0])  # an expanding one's first character holds its place until it is spliced in
        if len(folded) > 1:
            expanding.append((at, folded))
    result = out.tobytes().decode("utf-32-le")
    if expanding:
        pieces, done = [], 0
        for at, folded in expanding:
            pieces += (result[done:at], folded)
            done = at + 1
        pieces.append(result[done:])
        result = "".join(pieces)
    return result, expanding


def normalize_each(texts: list[str]) -> tuple[list[str], dict[int, Normalized]]:
    """normalize(t).text for every t, folded in one pass over them all (speed only, same result).

    Also returns, by position, the Normalized of the texts whose offsets change (an expanding character or a
    dropped interference run); every other text's index is simply 0, 1, 2, …
    """
    joined = "\n".join(texts)
    bulk = _fold_in_bulk(joined) if len(joined) >= BULK and not _FOLD.lossy else None
    if bulk is None:
        texts = [without_surrogates(t) for t in texts]
        joined = "\n".join(texts)
        folded = joined.translate(_FOLD)
        if _FOLD.lossy:
            norms = [normalize(text) for text in texts]
            return [n.text for n in norms], dict(enumerate(norms))
        expanding = [(m.start(), _FOLD[ord(m.group())]) for m in _FOLD.expanding_re().finditer(joined)] \
            if len(folded) != len(joined) else []
    else:
        folded, expanding = bulk
    starts = list(accumulate(map(add, map(len, texts), repeat(1)), initial=0))  # in C: 10⁵ lexicon terms
    grown: dict[int, int] = {}  # text → characters its expanding characters added
    for at, expanded in expanding:
        i = bisect_right(starts, at) - 1
        grown[i] = grown.get(i, 0) + len(expanded) - 1
    if not grown and joined.count("\n") == folded.count("\n") == len(texts) - 1:
        out, folded_starts = folded.split("\n"), starts  # no text holds a line break: split in C
    else:
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
