"""Large lexicons (--lexicon files of LARGE_LEXICON terms or more), compiled once and kept in the user's cache.

ahocorasick_rs builds its automaton in a time that grows faster than the number of patterns (measured here:
10⁵ terms 0.4 s, 10⁶ 10 s, 10⁷ 150 s and 4 GB) and cannot keep a built automaton between runs, so a list of
10⁷ terms would cost every scan minutes. Such a list is compiled instead into a MARISA trie (marisa-trie) of its
normalised terms, written with their categories into the cache and memory-mapped by every later run in
milliseconds. Matching asks the trie for every term starting at a position only where one may start: a Bloom
filter of the terms' first three characters (two for a two-character term), looked up for every position of a
text at once (numpy), lets through 108,000 of the 7.2 million positions of the benchmark's 20 MB (those where a
term's first three characters stand, and 0.1 % of the others). Still slower per character than the automaton,
which is why smaller lists stay in the automaton.

A compiled list is found again by its file's path, inode, size and modification and change times (the change
time moves on every write and every touch, so an edit that keeps the size and resets the modification time is
seen too), together with the code and data that normalise terms: any change to either compiles it anew. The
cache folder is cache.py's.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
from array import array
from pathlib import Path

import marisa_trie

from govmedia.screening import normalize
from govmedia.screening.cache import readable_dir, store
from govmedia.screening.lexicons import Entry
from govmedia.screening.normalize import normalize_each

LARGE_LEXICON = 20_000  # terms: from here on a list is compiled once, then loaded in milliseconds on every run
FORMAT = 5  # the layout of the files below
# The filter's size, log2 of its bits: about 64 bits per term of two or more characters, a power of two from 8 KB
# to 32 MB (10⁷ terms have 4.6 million distinct starts: 58 bits each, two set per start, 0.1 % false hits).
BLOOM_MIN_BITS, BLOOM_MAX_BITS = 16, 28
CHUNK = 1_000_000  # terms normalised or hashed at a time while compiling: the temporaries stay ≈100 MB
_NO_THIRD = 0x110000  # a two-character term's "third character": beyond every code point
_MIXERS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93)


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


def _mix(first, second):
    """The part of a start's hash its first two characters give (numpy uint64 arrays): shared by both questions
    _starts asks at each position."""
    import numpy

    with numpy.errstate(over="ignore"):  # multiplication modulo 2**64 is the point
        return first * numpy.uint64(_MIXERS[0]) ^ second * numpy.uint64(_MIXERS[1])


def _hashes(head, third, bits: int):
    """Two `bits`-bit hashes of each start, from _mix of its first two characters and its third (code points)."""
    import numpy

    with numpy.errstate(over="ignore"):
        mixed = head ^ third * numpy.uint64(_MIXERS[2])
        mixed ^= mixed >> numpy.uint64(31)
        mixed *= numpy.uint64(_MIXERS[3])
    return mixed >> numpy.uint64(64 - bits), (mixed >> numpy.uint64(8)) & numpy.uint64((1 << bits) - 1)


def _code_points(text: str):
    import numpy

    return numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(numpy.uint64)


def _bloom(keys: list[str]):
    """The filter _starts asks: each key's first three characters (a two-character key's two and _NO_THIRD), two
    bits each, set a CHUNK of keys at a time."""
    import numpy

    longer = [key[:3] for key in keys if len(key) >= 3]
    pairs = [key for key in keys if len(key) == 2]
    bits = min(max((64 * (len(longer) + len(pairs))).bit_length(), BLOOM_MIN_BITS), BLOOM_MAX_BITS)
    bloom = numpy.zeros(1 << (bits - 3), dtype=numpy.uint8)
    for starts, width in ((longer, 3), (pairs, 2)):
        for at in range(0, len(starts), CHUNK):
            codes = _code_points("".join(starts[at:at + CHUNK])).reshape(-1, width)
            third = codes[:, 2] if width == 3 else numpy.full(len(codes), _NO_THIRD, numpy.uint64)
            for hashed in _hashes(_mix(codes[:, 0], codes[:, 1]), third, bits):
                numpy.bitwise_or.at(bloom, hashed >> numpy.uint64(3),
                                    (numpy.uint64(1) << (hashed & numpy.uint64(7))).astype(numpy.uint8))
    return bloom


def _starts(bloom, text: str):
    """The positions of text where a term of two or more characters may start (numpy int64 array): every one
    where one does, and a few others (the filter's false hits, which the trie then turns down)."""
    import numpy

    if len(text) < 2:
        return numpy.zeros(0, dtype=numpy.int64)
    bits = (len(bloom) * 8).bit_length() - 1
    codes = _code_points(text)
    head = _mix(codes[:-1], codes[1:])
    third = numpy.append(codes[2:], numpy.uint64(_NO_THIRD + 1))  # past the end: no character, no term

    def maybe(hashes):
        one, two = hashes
        return ((bloom[one >> numpy.uint64(3)] >> (one & numpy.uint64(7)).astype(numpy.uint8))
                & (bloom[two >> numpy.uint64(3)] >> (two & numpy.uint64(7)).astype(numpy.uint8)) & 1).astype(bool)

    return numpy.flatnonzero(maybe(_hashes(head, third, bits))
                             | maybe(_hashes(head, numpy.full(len(head), _NO_THIRD, numpy.uint64), bits)))


class CompiledLexicon:
    """A lexicon as a trie of normalised terms; kinds[kind_of[id]] lists the (term, category, severity) of the
    entries behind the trie's key `id` (several entries may normalise to one key); bloom says where terms may
    start."""

    def __init__(self, trie: marisa_trie.Trie, kind_of: array, bloom, meta: dict, key: str | None = None):
        self.key = key  # its name in the cache, when it is there: another process loads exactly this one (load)
        self.trie = trie
        self.kind_of = kind_of
        self.kinds: list[list[list[str]]] = meta["kinds"]       # [[category, severity], …] per kind
        self.originals: dict[str, list[str]] = meta["originals"]  # id → terms as written, where not the key
        self.singles = frozenset(meta["singles"])  # one-character terms
        self.longest: int = meta["longest"]
        self.bloom = bloom  # numpy uint8 array, its bits the filter _starts asks

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
            import numpy

            # Mapped, not read: the command and its worker share one copy in memory.
            bloom = numpy.memmap(folder / f"{key}.bloom", dtype=numpy.uint8, mode="r")
            # A damaged filter would hide terms without a sound: its digest is checked (≈20 ms for 32 MB).
            if (len(bloom) & (len(bloom) - 1) or not BLOOM_MIN_BITS <= (len(bloom) * 8).bit_length() - 1 <= BLOOM_MAX_BITS
                    or hashlib.sha256(bloom).hexdigest() != meta["bloom"]):
                return None
            return cls(trie, kind_of, bloom, meta, key)
        except Exception:  # a damaged entry (marisa says RuntimeError, json ValueError…) is compiled again
            return None

    @classmethod
    def compile(cls, path: str | Path, entries: list[Entry]) -> CompiledLexicon:
        """Compiles entries (read from path) and keeps the result in the cache when the cache can be written."""
        terms = [e.term for e in entries]
        normalised = [key for at in range(0, len(terms), CHUNK) for key in normalize_each(terms[at:at + CHUNK])[0]]
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
        meta = {
            "kinds": [list(map(list, kind)) for kind in kinds],
            "originals": originals,
            "singles": "".join(sorted(key for key in by_key if len(key) == 1)),
            "longest": max(map(len, by_key), default=0),
        }
        bloom = _bloom([key for key in by_key if len(key) >= 2])
        meta["bloom"] = hashlib.sha256(bloom).hexdigest()
        return cls(trie, kind_of, bloom, meta, cls._store(Path(path), trie, kind_of, bloom, meta))

    @staticmethod
    def _store(path: Path, trie: marisa_trie.Trie, kind_of: array, bloom, meta: dict) -> str | None:
        """Each file written beside its final name and renamed; the .json last, so that it vouches for the rest.
        The key it is stored under; None when the cache cannot be written (the next run compiles again)."""
        key = _key(path)
        if key is not None and store(
                [(f"{key}.marisa", trie.save), (f"{key}.kinds", lambda f: Path(f).write_bytes(kind_of.tobytes())),
                 (f"{key}.bloom", bloom.tofile),
                 (f"{key}.json", lambda f: Path(f).write_text(json.dumps(meta, ensure_ascii=False), "utf-8"))],
                replaces=f"{_place(path)}-*"):
            return key
        return None

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, id) of every term in the (normalised) text, overlapping ones included: those of two or more
        characters by start then length, then the one-character ones."""
        out: list[tuple[int, int, int]] = []
        prefixes, longest = self.trie.iter_prefixes_with_ids, self.longest
        for start in _starts(self.bloom, text).tolist():
            out.extend((start, start + len(key), number) for key, number in prefixes(text[start:start + longest])
                       if len(key) >= 2)
        if self.singles:
            singles, key_id = self.singles, self.trie.key_id
            out.extend((start, start + 1, key_id(ch)) for start, ch in enumerate(text) if ch in singles)
        return out

    def entries(self, number: int) -> list[Entry]:
        kind = self.kinds[self.kind_of[number]]
        terms = self.originals.get(str(number)) or [self.trie.restore_key(number)] * len(kind)
        return [Entry(term, category, severity) for term, (category, severity) in zip(terms, kind, strict=True)]


def compiled_matches(lexicons: list[CompiledLexicon], text: str) -> list[tuple[int, int, int, int]]:
    """(lexicon number, start, end, term id) of every compiled lexicon's terms in the normalised text."""
    return [(number, start, end, key) for number, lexicon in enumerate(lexicons) for start, end, key in lexicon.find(text)]
