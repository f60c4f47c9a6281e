"""Rule families. Each offers literal terms for the shared automaton and decides on its hits and regexes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from govmedia.screening.extract import Segment
from govmedia.screening.normalize import Normalized


@dataclass(frozen=True)
class Term:
    """A literal the automaton looks for (in normalised form) on behalf of one rule."""

    pattern: str
    rule: Rule
    data: object = None


@dataclass(frozen=True)
class Hit:
    """A rule's decision, at normalised offsets [start, end)."""

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


class Rule:
    name = "rule"

    def terms(self) -> Iterable[Term]:
        return ()

    def check(self, ctx: Context) -> Iterable[Hit]:
        return ()
