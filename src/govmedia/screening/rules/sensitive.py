"""Banned and sensitive terms: the shipped default lists plus any lexicon the user gives."""

from __future__ import annotations

from govmedia.screening.lexicons import Entry, parse_lines, shipped
from govmedia.screening.rules import ONLY_TERMS, Context, Hit, Rule, Term


def default_entries() -> list[Entry]:
    return parse_lines(shipped("sensitive_default.txt"), source="内置词表")


class SensitiveRule(Rule):
    name = "sensitive"
    trigger = ONLY_TERMS

    def __init__(self, entries: list[Entry]):
        self.entries = entries

    def terms(self):
        for entry in self.entries:
            yield Term(entry.term, self, entry)

    def check(self, ctx: Context):
        for start, end, term in ctx.matches:
            entry: Entry = term.data
            yield Hit(start, end, "sensitive", entry.category, entry.severity,
                      f"含{entry.category}「{entry.term}」，不得发布（第十一条“七条底线”）", "删除或改写")
