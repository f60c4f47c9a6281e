"""The shared development corpus: each line's expected categories are found, its forbidden ones are not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).parents[2].parent / "shared" / "dev-corpus" / "screening.jsonl"
CASES = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]


def test_the_corpus_is_there_and_not_empty():
    assert len(CASES) >= 29


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_each_corpus_line_raises_what_it_expects_and_nothing_it_forbids(case, screener):
    findings = screener.scan_text(case["text"])
    raised = {f.category for f in findings if f.severity in ("block", "warn")}
    missing = set(case["expect"]) - raised
    forbidden = set(case["forbid"]) & raised
    assert not missing, f"{case['id']} ({case['note']}): not found {missing}; got {findings}"
    assert not forbidden, f"{case['id']} ({case['note']}): wrongly raised {forbidden}; got {findings}"
