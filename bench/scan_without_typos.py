"""Diagnostic for bench/screening_bench.py: what `govmedia scan --json --lexicon LEX PATH` does, with the typo
family off (Screener(typos=False)) — the same output otherwise, so the table can show what that family costs.

Run: python bench/scan_without_typos.py LEXICON PATH
"""

from __future__ import annotations

import json
import sys

from govmedia.screening.engine import Screener


def main(argv: list[str]) -> int:
    lexicon, path = argv
    screener = Screener.from_files([lexicon], None, typos=False)
    result = screener.scan_file(path)
    print(json.dumps({"files": [result.as_dict()]}, ensure_ascii=False, indent=2))
    if result.error:
        return 2
    return 1 if result.blocks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
