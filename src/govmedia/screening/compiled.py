"""Large lexicons (--lexicon files of LARGE_LEXICON terms or more), compiled once and kept in the user's cache.

ahocorasick_rs builds its automaton in a time that grows faster than the number of patterns (measured here:
10⁵ terms 0.4 s, 10⁶ 10 s, 10⁷ 150 s and 4 GB) and cannot keep a built automaton between runs, so a list of
10⁷ terms would cost every scan minutes. Such a list is compiled instead into a MARISA trie (marisa-trie) of its
normalised terms, written with their categories into the cache and memory-mapped by every later run in
milliseconds. Matching asks the trie, at each position where the first two characters of some term stand and
the third may continue one, for every term starting there: slower per character than the automaton (≈1.5 s per
20 MB against ≈0.3 s for 10⁷ terms), which is why smaller lists stay in the automaton.

A compiled list is found again by its file's path, inode, size and modification and change times (the change
time moves on every write and every touch, so an edit that keeps the size and resets the modification time is
seen too), together with the code and data that normalise terms: any change to either compiles it anew. The
cache folder is cache.py's.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import operator
import re
import sys
from array import array
from pathlib import Path

import marisa_trie

from govmedia.screening import normalize
from govmedia.screening.cache import readable_dir, store
from govmedia.screening.lexicons import Entry
from govmedia.screening.normalize import normalize_each

LARGE_LEXICON = 200_000  # terms: from here on a list is compiled (the automaton would take seconds to build)
FORMAT = 4  # the layout of the files below


@functools.cache
def _code() -> str:
    """What a compilation depends on besides the file: this module, the normaliser and OpenCC's table."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for module in (__file__, normalize.__file__):
        digest.update(Path(module).read_bytes())
    digest.update(repr(sorted(normalize.t2s_table().items())).encode("utf-8"))
    return digest.hexdigest()


def _key(path: Path) -> str | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    state = (f"{_code()}\0{path.resolve()}\0{stat.st_dev}\0{stat.st_ino}\0{stat.st_size}\0{stat.st_mtime_ns}\0"
             f"{stat.st_ctime_ns}")
    return f"{_place(path)}-{_digest(state)}"


def _place(path: Path) -> str:
    """The first part of a file's key: the same for every compilation of it, so a new one replaces the old."""
    return _digest(str(path.resolve()))[:16]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _kinds_below(kind_of: array, count: int) -> bool:
    """Every kind number below count (a damaged .kinds file is not trusted). In C: max() over 10⁷ numbers takes
    0.1 s; with fewer than 256 kinds every number's upper three bytes are zero and its low byte is looked up."""
    if count > 256 or kind_of.itemsize != 4 or sys.byteorder != "little":
        return not kind_of or max(kind_of) < count
    data = kind_of.tobytes()
    too_large = bytes(0 if value < count else 1 for value in range(256))
    n = len(kind_of)
    return all(data[k::4].count(0) == n for k in (1, 2, 3)) and 1 not in data[0::4].translate(too_large)


class CompiledLexicon:
    """A lexicon as a trie of normalised terms; kinds[kind_of[id]] lists the (term, category, severity) of the
    entries behind the trie's key `id` (several entries may normalise to one key)."""

    def __init__(self, trie: marisa_trie.Trie, kind_of: array, meta: dict, key: str | None = None):
        self.key = key  # its name in the cache, when it is there: another process loads exactly this one (load)
        self.trie = trie
        self.kind_of = kind_of
        self.kinds: list[list[list[str]]] = meta["kinds"]       # [[category, severity], …] per kind
        self.originals: dict[str, list[str]] = meta["originals"]  # id → terms as written, where not the key
        # The first two characters of every longer term → the characters that may follow them ("" when none);
        # kept as two strings, the heads (two characters each) and their followers (separated by line breaks,
        # which no term holds): parsed in a fraction of the time a JSON object of 160,000 keys takes.
        heads = meta["heads"]
        self.follow: dict[str, str] = dict(zip(map("".join, zip(heads[::2], heads[1::2], strict=True)),
                                               meta["followers"].split("\n"), strict=True))
        self.pairs = frozenset(meta["pairs"][i:i + 2] for i in range(0, len(meta["pairs"]), 2))  # two-character terms
        self.singles = frozenset(meta["singles"])
        self.longest: int = meta["longest"]

    @classmethod
    def cached(cls, path: str | Path) -> CompiledLexicon | None:
        """The compiled form of the file as it is now, if it was compiled before."""
        key = _key(Path(path))
        return cls.load(key) if key is not None else None

    @classmethod
    def load(cls, key: str) -> CompiledLexicon | None:
        """The compilation named key in the cache, if it is there and whole."""
        folder = readable_dir()
        if folder is None or not re.fullmatch(r"[0-9a-f]{16}-[0-9a-f]{32}", key) or not (folder / f"{key}.json").is_file():
            return None
        try:
            meta = json.loads((folder / f"{key}.json").read_text("utf-8"))
            trie = marisa_trie.Trie()
            trie.mmap(str(folder / f"{key}.marisa"))
            kind_of = array("I")
            kind_of.frombytes((folder / f"{key}.kinds").read_bytes())
            if len(kind_of) != len(trie) or not _kinds_below(kind_of, len(meta["kinds"])):
                return None
            return cls(trie, kind_of, meta, key)
        except Exception:  # a damaged entry (marisa says RuntimeError, json ValueError…) is compiled again
            return None

    @classmethod
    def compile(cls, path: str | Path, entries: list[Entry]) -> CompiledLexicon:
        """Compiles entries (read from path) and keeps the result in the cache when the cache can be written."""
        normalised, _ = normalize_each([e.term for e in entries])
        by_key: dict[str, list[Entry]] = {}
        for entry, key in zip(entries, normalised, strict=True):
            if key:
                by_key.setdefault(key, []).append(entry)
        trie = marisa_trie.Trie(by_key)
        kinds: dict[tuple, int] = {}
        kind_of = array("I", bytes(4 * len(trie)))
        originals: dict[str, list[str]] = {}
        for key, number in trie.iteritems():
            found = by_key[key]
            kind_of[number] = kinds.setdefault(tuple((e.category, e.severity) for e in found), len(kinds))
            if any(e.term != key for e in found):
                originals[str(number)] = [e.term for e in found]
        thirds: dict[str, set[str]] = {}
        for key in by_key:
            if len(key) >= 2:
                thirds.setdefault(key[:2], set()).update(key[2:3])
        follow = sorted(thirds.items())
        meta = {
            "kinds": [list(map(list, kind)) for kind in kinds],
            "originals": originals,
            "heads": "".join(head for head, _ in follow),
            "followers": "\n".join("".join(sorted(chars)) for _, chars in follow),
            "pairs": "".join(sorted(key for key in by_key if len(key) == 2)),
            "singles": "".join(sorted(key for key in by_key if len(key) == 1)),
            "longest": max(map(len, by_key), default=0),
        }
        return cls(trie, kind_of, meta, cls._store(Path(path), trie, kind_of, meta))

    @staticmethod
    def _store(path: Path, trie: marisa_trie.Trie, kind_of: array, meta: dict) -> str | None:
        """Each file written beside its final name and renamed; the .json last, so that it vouches for the rest.
        The key it is stored under; None when the cache cannot be written (the next run compiles again)."""
        key = _key(path)
        if key is not None and store(
                [(f"{key}.marisa", trie.save), (f"{key}.kinds", lambda f: Path(f).write_bytes(kind_of.tobytes())),
                 (f"{key}.json", lambda f: Path(f).write_text(json.dumps(meta, ensure_ascii=False), "utf-8"))],
                replaces=f"{_place(path)}-*"):
            return key
        return None

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, id) of every term in the (normalised) text, overlapping ones included."""
        out: list[tuple[int, int, int]] = []
        prefixes, longest, follow, pairs, key_id = (self.trie.iter_prefixes_with_ids, self.longest, self.follow,
                                                    self.pairs, self.trie.key_id)
        # The positions where a term's first two characters stand, found in C (each pair of neighbours looked up
        # in a dict); there the third character says whether a longer term may start, before the trie is asked.
        # (Doing the rest in C too — lists of the pairs, heads and third characters — measured slower.)
        neighbours = map(operator.add, text, itertools.islice(text, 1, None))
        for start in itertools.compress(itertools.count(), map(follow.__contains__, neighbours)):
            head = text[start:start + 2]
            if head in pairs:
                out.append((start, start + 2, key_id(head)))
            third = text[start + 2:start + 3]
            if third and third in follow[head]:
                for key, number in prefixes(text[start:start + longest]):
                    if len(key) >= 3:
                        out.append((start, start + len(key), number))
        if self.singles:
            singles = self.singles
            out.extend((start, start + 1, self.trie.key_id(ch)) for start, ch in enumerate(text) if ch in singles)
        return out

    def entries(self, number: int) -> list[Entry]:
        kind = self.kinds[self.kind_of[number]]
        terms = self.originals.get(str(number)) or [self.trie.restore_key(number)] * len(kind)
        return [Entry(term, category, severity) for term, (category, severity) in zip(terms, kind, strict=True)]
