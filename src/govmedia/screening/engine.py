"""The screening engine: normalise once, one automaton for every literal list, rules decide, offsets mapped back.

``Screener`` is built once (it compiles the automaton) and then scans texts, segments and files.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import ahocorasick_rs

from govmedia.screening.extract import Deadline, Segment, Unreadable, segments_of_file
from govmedia.screening.findings import BLOCK, INFO, SEVERITY_RANK, FileResult, Finding
from govmedia.screening.lexicons import Entry, parse_lines, read_file, shipped
from govmedia.screening.normalize import normalize
from govmedia.screening.rules import Context, Hit, Rule, Term
from govmedia.screening.rules.advertising import AdvertisingRule
from govmedia.screening.rules.expression import ExpressionRule
from govmedia.screening.rules.maps import MapRule, has_approval_number
from govmedia.screening.rules.privacy import PrivacyRule
from govmedia.screening.rules.reprint import ReprintRule
from govmedia.screening.rules.secrecy import SecrecyRule
from govmedia.screening.rules.sensitive import SensitiveRule, default_entries

WHITELIST = "whitelist"
NAME_HEADER = re.compile(r"姓\s*名|名\s*字|申请人|联系人|户主")
PERSON_NAME = re.compile(r"^[\u4e00-\u9fa5]{2,4}$")
IDENTIFIER_RULES = {"id_card", "mobile", "bank_card"}


def mask_excerpt(text: str) -> str:
    """Privacy values appear masked in reports: keep the first 3 and last 2 characters."""
    if len(text) <= 5:
        return text[:1] + "*" * (len(text) - 1)
    return text[:3] + "*" * (len(text) - 5) + text[-2:]


class Screener:
    """Compiled rules. ``lexicons`` are extra Entry lists; ``whitelist`` phrases suppress what they cover."""

    def __init__(
        self,
        lexicons: Iterable[Entry] = (),
        whitelist: Iterable[str] | None = None,
        reprint_sources: Iterable[str] | None = None,
        leaders: list[tuple[str, str]] | None = None,
        typos: bool = True,
    ):
        typo_forms, scorer = [], None
        if typos:
            try:
                from govmedia.screening.typos import ContextScorer, load_forms

                typo_forms, scorer = load_forms(), ContextScorer()
            except ImportError:  # the typo tables are optional data
                typo_forms = []
        self.rules: list[Rule] = [
            PrivacyRule(), SecrecyRule(), AdvertisingRule(),
            SensitiveRule(default_entries() + list(lexicons)),
            ExpressionRule(leaders=leaders, typo_forms=typo_forms, scorer=scorer),
            MapRule(), ReprintRule(list(reprint_sources) if reprint_sources is not None else None),
        ]
        whitelist_terms = list(shipped("whitelist_default.txt")) + list(whitelist or [])
        by_pattern: dict[str, list[Term | str]] = defaultdict(list)
        for rule in self.rules:
            for term in rule.terms():
                pattern = normalize(term.pattern).text
                if pattern:
                    by_pattern[pattern].append(Term(pattern, term.rule, term.data))
        for phrase in whitelist_terms:
            pattern = normalize(phrase).text
            if pattern:
                by_pattern[pattern].append(WHITELIST)
        self.patterns = list(by_pattern)
        self.owners = [by_pattern[p] for p in self.patterns]
        self.automaton = ahocorasick_rs.AhoCorasick(self.patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    @classmethod
    def from_files(cls, lexicon_files: Iterable[str] = (), whitelist_file: str | None = None, **kwargs) -> Screener:
        lexicons: list[Entry] = []
        for path in lexicon_files:
            lexicons.extend(read_file(path))
        whitelist = [e.term for e in read_file(whitelist_file)] if whitelist_file else None
        return cls(lexicons=lexicons, whitelist=whitelist, **kwargs)

    # -- scanning -----------------------------------------------------------------------------------

    def scan_segment(self, segment: Segment) -> list[Finding]:
        if segment.image:
            return [self._image_finding(segment)]
        norm = normalize(segment.text)
        per_rule: dict[int, list] = defaultdict(list)
        allowed: list[tuple[int, int]] = []
        if self.patterns:
            for index, start, end in self.automaton.find_matches_as_indexes(norm.text, overlapping=False):
                for owner in self.owners[index]:
                    if owner == WHITELIST:
                        allowed.append((start, end))
                    else:
                        per_rule[id(owner.rule)].append((start, end, owner))
        findings = []
        for rule in self.rules:
            ctx = Context(segment, norm, per_rule.get(id(rule), []))
            for hit in rule.check(ctx):
                if hit.category != "privacy" and any(a <= hit.start and hit.end <= b for a, b in allowed):
                    continue
                findings.append(self._finding(segment, norm, hit))
        return findings

    def scan_segments(self, segments: Iterable[Segment]) -> list[Finding]:
        segments = list(segments)
        findings: list[Finding] = []
        for segment in segments:
            findings.extend(self.scan_segment(segment))
        if any(has_approval_number(normalize(s.text).text) for s in segments if "审图号" in s.text or "（" in s.text):
            findings = [f for f in findings if f.rule != "no_approval_number"]
        findings.extend(self._names_beside_identifiers(segments, findings))
        return sorted(_unique(findings), key=lambda f: (SEVERITY_RANK[f.severity], f.where, f.start))

    def scan_text(self, text: str, where: str = "正文") -> list[Finding]:
        from govmedia.screening.extract import segments_of_text

        if "\n" not in text and "\t" not in text:
            return self.scan_segments([Segment(where, text)])
        return self.scan_segments(segments_of_text(text))

    def scan_file(self, path: str | Path) -> FileResult:
        path = Path(path)
        result = FileResult(str(path))
        try:
            segments = segments_of_file(path, Deadline())
        except Unreadable as exc:
            result.error = str(exc)
            return result
        result.findings = self.scan_segments(segments)
        return result

    # -- helpers ------------------------------------------------------------------------------------

    @staticmethod
    def _finding(segment: Segment, norm, hit: Hit) -> Finding:
        start, end = norm.span(hit.start, hit.end)
        excerpt = segment.text[start:end]
        if not hit.keep_text:
            excerpt = mask_excerpt(excerpt)
        return Finding(hit.category, hit.rule, hit.severity, segment.where, start, end, excerpt, hit.message,
                       hit.suggestion)

    @staticmethod
    def _image_finding(segment: Segment) -> Finding:
        return Finding("map", "image", INFO, segment.where, 0, len(segment.text), segment.text[:50],
                       "图片需人工查看：如为地图须有审图号，并核查图中是否含个人信息", "")

    @staticmethod
    def _names_beside_identifiers(segments: list[Segment], findings: list[Finding]) -> list[Finding]:
        """A name in a 姓名 column, in a row that also holds an ID, mobile or card number."""
        by_table: dict[str, list[Segment]] = defaultdict(list)
        for s in segments:
            if s.table is not None:
                by_table[s.table].append(s)
        flagged_rows = {(f.where, f.rule) for f in findings if f.rule in IDENTIFIER_RULES}
        flagged_where = {where for where, _ in flagged_rows}
        extra = []
        for cells in by_table.values():
            name_cols = {s.col for s in cells if NAME_HEADER.search(s.text) and len(s.text) <= 10}
            if not name_cols:
                continue
            rows: dict[int, list[Segment]] = defaultdict(list)
            for s in cells:
                rows[s.row].append(s)
            for row in rows.values():
                if not any(s.where in flagged_where for s in row):
                    continue
                for s in row:
                    value = s.text.strip()
                    if s.col in name_cols and PERSON_NAME.match(value):
                        start = s.text.index(value)
                        extra.append(Finding("privacy", "name", BLOCK, s.where, start, start + len(value),
                                             value[:1] + "*" * (len(value) - 1),
                                             "与身份证号等标识信息同列公示的姓名，须去标识化处理（第十一条）", "姓保留，名以*代替"))
        return extra


def _unique(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.where, f.start, f.end, f.rule)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def parse_lexicon_text(text: str, source: str = "词表") -> list[Entry]:
    return parse_lines(text.splitlines(), source=source)
