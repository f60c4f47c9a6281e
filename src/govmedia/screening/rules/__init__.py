"""Rule families. Each offers literal terms for the shared automaton and decides on its hits and regexes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from govmedia.screening.extract import Segment
from govmedia.screening.normalize import Normalized


@dataclass(frozen=True, slots=True)  # slots: one per lexicon term, and lexicons may hold millions
class Term:
    """A literal the automaton looks for (in normalised form) on behalf of one rule."""

    pattern: str
    rule: Rule
    data: object = None


class Hit(NamedTuple):
    """A rule's decision, at normalised offsets [start, end). A named tuple: a 20 MB input makes 50,000 of them, and
    a frozen dataclass takes four times as long to make."""

    start: int
    end: int
    category: str
    rule: str
    severity: str
    message: str
    suggestion: str = ""
    keep_text: bool = True   # False: privacy — the excerpt is masked


@dataclass
class Context:
    segment: Segment
    norm: Normalized
    matches: list[tuple[int, int, Term]] = field(default_factory=list)  # this rule's automaton matches

    @property
    def text(self) -> str:
        return self.norm.text


# A rule whose check() only ever looks at its automaton matches (Rule.trigger below).
ONLY_TERMS = re.compile(r"(?!)")


class Rule:
    name = "rule"
    # Speed only: when set, Screener.scan_segments calls check() only on texts where this pattern is found in the
    # normalised text, or that hold automaton matches of the rule's terms; it must therefore find something
    # wherever check() could hit, and never match across a line break. None: every text.
    trigger: re.Pattern | None = None
    # Speed only, with a trigger: (the original texts of a batch) → the positions of those the rule must see as
    # well, for a condition the trigger cannot state on normalised text. None: the trigger alone.
    also_triggered = None

    def terms(self) -> Iterable[Term]:
        return ()

    # Speed only: a rule that can judge a batch of texts joined by line breaks at once — the same hits as check()
    # on each text — offers check_batch, and Screener.scan_segments calls it once per batch instead of check() once
    # per text; the typo worker (workers.py) runs such rules of its families from the batch alone.
    check_batch = None  # (joined text, its automaton matches of this rule: (start, end, term), where each text
    #                     starts in it) → Iterable[Hit]

    def prepare(self) -> None:
        """Load anything loaded lazily on first use."""

    def check(self, ctx: Context) -> Iterable[Hit]:
        return ()
