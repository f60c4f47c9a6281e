"""Build src/govmedia/screening/data/typo_forms.tsv: typo forms of frequent words, generated ahead of time.

    .venv/bin/python scripts/build_typo_forms.py [--ecspell /work/shared/data/ecspell] [--max-bytes 2900000]
                                                 [--max-len 2]

For every all-CJK word of jieba's dictionary, each character is replaced in turn by each of its ECSpell sound
and shape confusables (both files, read in both directions). A result is a typo form when it is not itself a
word: absent from jieba's dictionary, or there only at jieba's floor frequency of 3, where jieba keeps many typos
of its own (条列, 保正, 照开 …). The typo character must be among the CHAR_RANK most frequent characters:
input methods offer common characters.

Far more forms exist than a committed file should hold, so each gets a prior
    log freq(word) + CHAR_WEIGHT · log freq(typo character) [+ VOCAB_BONUS]
— a frequent word mistyped as a common character; VOCAB_BONUS when the word occurs in ECSpell's official-writing
vocabulary (odw_vocab.txt) — and the best are kept until --max-bytes. Two-character words only by default:
on ECSpell's official-writing sentences a byte spent on them finds about twice as many typos as one spent on
longer words (see scripts/eval_typos.py); the classic longer misspellings are curated (misspellings.tsv).
A form reachable from several words keeps the most frequent one. Output is sorted: the same inputs give the same
bytes. Columns: form, correct word, source (sound | shape: the confusion set it came from).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "govmedia" / "screening" / "data"
ECSPELL = Path("/work/shared/data/ecspell")

CHAR_RANK = 3500          # the typo character is among the 3,500 commonest (about the 常用字 + 次常用字 tables)
CHAR_WEIGHT = 0.6         # how much a common typo character counts against a frequent word
MIN_WORD_FREQ = 20        # words rarer than this never make the budget anyway; skipping them saves time
FORM_MAX_FREQ = 3         # a form that jieba lists more often than its floor is a word in its own right
VOCAB_BONUS = 1.0         # a word of the official-writing vocabulary counts e (2.7) times as frequent
CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def jieba_frequencies() -> dict[str, int]:
    path = Path(jieba.__file__).parent / "dict.txt"
    freq: dict[str, int] = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2:
            freq[parts[0]] = int(parts[1])
    return freq


def confusions(ecspell: Path) -> dict[str, dict[str, str]]:
    """char → {confusable: 'sound'|'shape'}, made symmetric (the files list 理→里 but not 里→理)."""
    table: dict[str, dict[str, str]] = defaultdict(dict)
    for kind in ("shape", "sound"):  # sound last: a pair in both is the likelier sound slip
        data = json.loads((ecspell / f"{kind}Confusion.json").read_text("utf-8"))
        for ch, others in data.items():
            for other in others:
                if other != ch and len(ch) == 1 and len(other) == 1:
                    table[ch][other] = kind
                    table[other][ch] = kind
    return table


def official_words(ecspell: Path) -> set[str]:
    """Every substring of two or more characters of the official-writing vocabulary's phrases."""
    out = set()
    for line in (ecspell / "odw_vocab.txt").read_text("utf-8").splitlines():
        phrase = line.strip()
        for i in range(len(phrase)):
            for j in range(i + 2, len(phrase) + 1):
                out.add(phrase[i:j])
    return out


def build(ecspell: Path, max_bytes: int, max_len: int = 2) -> list[tuple[str, str, str]]:
    freq = jieba_frequencies()
    char_freq: Counter[str] = Counter()
    for word, n in freq.items():
        for ch in word:
            char_freq[ch] += n
    common = {ch for ch, _ in sorted(char_freq.items(), key=lambda kv: (-kv[1], kv[0]))[:CHAR_RANK]}
    table = confusions(ecspell)
    official = official_words(ecspell)

    # form → (prior, word freq, word, source); the most frequent word wins, ties by the word itself.
    best: dict[str, tuple[float, int, str, str]] = {}
    for word, n in freq.items():
        if not (2 <= len(word) <= max_len and n >= MIN_WORD_FREQ and CJK.match(word)):
            continue
        base = math.log(n) + (VOCAB_BONUS if word in official else 0.0)
        for i, ch in enumerate(word):
            for typo, kind in table.get(ch, {}).items():
                if typo not in common:
                    continue
                form = word[:i] + typo + word[i + 1:]
                if freq.get(form, 0) > FORM_MAX_FREQ:
                    continue
                old = best.get(form)
                if old is None or n > old[1] or (n == old[1] and word < old[2]):
                    best[form] = (base + CHAR_WEIGHT * math.log(char_freq[typo]), n, word, kind)

    # Keep the highest priors that fit the budget (ties broken by the form, so the cut is deterministic).
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
    kept, size = [], 0
    for form, (_, _, word, source) in ranked:
        line_bytes = len(f"{form}\t{word}\t{source}\n".encode())
        if size + line_bytes > max_bytes:
            break
        kept.append((form, word, source))
        size += line_bytes
    return sorted(kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecspell", type=Path, default=ECSPELL, help="ECSpell data folder")
    parser.add_argument("--max-bytes", type=int, default=2_900_000, help="size budget of typo_forms.tsv")
    parser.add_argument("--max-len", type=int, default=2, help="longest dictionary word to generate forms of")
    parser.add_argument("--out", type=Path, default=DATA / "typo_forms.tsv")
    args = parser.parse_args(argv)

    rows = build(args.ecspell, args.max_bytes, args.max_len)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write("\t".join(row) + "\n")
    if args.out.parent == DATA:
        shutil.copyfile(args.ecspell / "LICENSE", DATA / "ECSPELL-LICENSE")
    print(f"{len(rows)} forms, {args.out.stat().st_size} bytes → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
