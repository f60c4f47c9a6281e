"""Baseline for bench/screening_bench.py: the lexicon step alone, in the plainest pure Python.

Builds a dict-of-dicts trie from a `term<TAB>category` lexicon, then scans the corpus once with
leftmost-longest matching and prints the number of matches. No normalisation, no rules, no output per match:
the least work a Python screening tool could do with that lexicon.

Run: python bench/trie_baseline.py LEXICON CORPUS
"""

from __future__ import annotations

import sys

END = ""  # key marking "a term ends here"; never a character of the text


def build(lexicon_path: str) -> dict:
    root: dict = {}
    with open(lexicon_path, encoding="utf-8") as f:
        for line in f:
            term = line.split("#", 1)[0].split("\t", 1)[0].strip()
            if not term:
                continue
            node = root
            for ch in term:
                node = node.setdefault(ch, {})
            node[END] = True
    return root


def count_matches(root: dict, text: str) -> int:
    found, i, n = 0, 0, len(text)
    while i < n:
        node, j, end = root, i, 0
        while j < n:
            node = node.get(text[j])
            if node is None:
                break
            j += 1
            if END in node:
                end = j
        if end:
            found += 1
            i = end
        else:
            i += 1
    return found


def main(argv: list[str]) -> int:
    lexicon_path, corpus_path = argv
    root = build(lexicon_path)
    with open(corpus_path, encoding="utf-8") as f:
        text = f.read()
    print(count_matches(root, text))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
