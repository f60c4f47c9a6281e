"""Normalisation before matching, with a map back to the original offsets.

Full-width → half-width and compatibility forms (NFKC), traditional → simplified (OpenCC's character table),
case folded, and interference characters between two CJK characters dropped (赌 博, 赌*博, 赌·博, zero-width).
Every normalised character remembers the index of the original character it came from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

INTERFERENCE = frozenset(" \t\u3000*-_·•.~|/\\\u200b\u200c\u200d\u2060\ufeff")
MAX_INTERFERENCE_RUN = 3


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


def normalize(text: str) -> Normalized:
    chars: list[str] = []
    index: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch in INTERFERENCE and chars and is_cjk(chars[-1]):
            j = i
            while j < n and text[j] in INTERFERENCE and j - i < MAX_INTERFERENCE_RUN:
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
