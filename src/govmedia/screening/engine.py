"""The screening engine: normalise once, one automaton for every literal list, rules decide, offsets mapped back.

``Screener`` is built once (it compiles the automaton) and then scans texts, segments and files.
"""

from __future__ import annotations

import operator
import re
import threading
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import ahocorasick_rs

from govmedia.screening.compiled import LARGE_LEXICON, CompiledLexicon
from govmedia.screening.extract import Deadline, Segment, Unreadable, segments_of_file
from govmedia.screening.findings import BLOCK, INFO, SEVERITY_RANK, FileResult, Finding
from govmedia.screening.lexicons import Entry, parse_lines, read_file, shipped
from govmedia.screening.normalize import Normalized, normalize, normalize_each
from govmedia.screening.rules import ONLY_TERMS, Context, Hit, Rule, Term
from govmedia.screening.rules.advertising import AdvertisingRule
from govmedia.screening.rules.expression import ExpressionRule, TypoRule
from govmedia.screening.rules.maps import MapRule, has_approval_number
from govmedia.screening.rules.privacy import PrivacyRule
from govmedia.screening.rules.reprint import ReprintRule, whitelist_entries
from govmedia.screening.rules.secrecy import SecrecyRule
from govmedia.screening.rules.sensitive import SensitiveRule, default_entries

WHITELIST = "whitelist"
BATCH_CHARS = 1 << 17  # scan_segments normalises and matches this much text per call
SMALL_AUTOMATON = 5_000  # patterns: up to here the automaton is a DFA (20 MB with 170 patterns: 0.18 → 0.125 s)
NAME_HEADER = re.compile(r"姓\s*名|名\s*字|申请人|联系人|户主")
NAME_LABEL = re.compile(r"^(?:姓\s*名|申请人|联系人|户主)\s*[:：]?$")
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
        rules: list[Rule] | None = None,
        compiled: Iterable[CompiledLexicon] = (),
        elsewhere: tuple[type[Rule], ...] = (),
    ):
        """rules: the rule families to run instead of all of them (the arguments before typos then do nothing).
        compiled: large lexicons matched outside the automaton (compiled.py), for the sensitive family.
        elsewhere: families (their classes) left out here, run by another process (workers.py); with rules, the
        rules given are run as they are."""
        self.rules: list[Rule] = rules if rules is not None else [rule for rule in [
            PrivacyRule(), SecrecyRule(), AdvertisingRule(),
            SensitiveRule(default_entries() + list(lexicons)),
            ExpressionRule(leaders=leaders),
            MapRule(), ReprintRule(list(reprint_sources) if reprint_sources is not None else None),
        ] + ([TypoRule()] if typos else []) if not isinstance(rule, elsewhere)]
        whitelist_terms = list(shipped("whitelist_default.txt")) + list(whitelist or [])
        by_pattern: dict[str, list[Term | str]] = defaultdict(list)
        terms = [term for rule in self.rules for term in rule.terms()]
        normalised, _ = normalize_each([term.pattern for term in terms] + whitelist_terms)  # one pass: 10⁵ terms
        for term, pattern in zip(terms, normalised, strict=False):
            if pattern == term.pattern:
                by_pattern[term.pattern].append(term)  # the term's own string: no second copy per term
            elif pattern:
                by_pattern[pattern].append(Term(pattern, term.rule, term.data))
        for pattern in normalised[len(terms):]:
            if pattern:
                by_pattern[pattern].append(WHITELIST)
        self.patterns = list(by_pattern)
        # No pattern spans a line break, so a batch of texts joined by line breaks is scanned in one call.
        self._joinable = not any("\n" in p for p in self.patterns)
        self.owners = [by_pattern[p] for p in self.patterns]
        # Overlapping matches, then leftmost-longest within each kind of term (_select): a curated misspelling
        # overlapping 加微信 or a leader's name must not hide it, nor be hidden by it.
        # A DFA searches a third faster but grows with the patterns: for the rules' own lists, not a user's lexicon.
        implementation = ahocorasick_rs.Implementation.DFA if len(self.patterns) <= SMALL_AUTOMATON else None
        self.automaton = ahocorasick_rs.AhoCorasick(self.patterns, matchkind=ahocorasick_rs.MatchKind.Standard,
                                                    implementation=implementation)
        # Each pattern's groups (_group), made when the pattern is first matched: most of 10⁵ terms never are.
        self._groups: list[frozenset | None] = [None] * len(self.owners)
        self._shared_groups: dict[frozenset, frozenset] = {}  # most patterns have the same groups: one set for all
        self.compiled = list(compiled)
        self._compiled_index: dict[tuple[int, int], int] = {}  # (lexicon, its term id) → index into owners
        self._compiled_lock = threading.Lock()
        self._sensitive = next((r for r in self.rules if isinstance(r, SensitiveRule)), None)

    @classmethod
    def from_files(cls, lexicon_files: Iterable[str] = (), whitelist_file: str | None = None,
                   already_read: dict[str, list[Entry] | CompiledLexicon] | None = None, **kwargs) -> Screener:
        """already_read: files the caller has read (path → entries, or a compiled lexicon), not read twice — 10⁷
        terms take a minute. A lexicon of LARGE_LEXICON terms or more is compiled, or found compiled."""
        def entries(path: str) -> list[Entry]:
            return already_read[path] if already_read and path in already_read else read_file(path)

        lexicons: list[Entry] = []
        compiled: list[CompiledLexicon] = []
        for path in lexicon_files:
            known = already_read.get(path) if already_read else None
            if isinstance(known, CompiledLexicon) or (known is None and (known := CompiledLexicon.cached(path))):
                compiled.append(known)
                continue
            found = entries(path)
            if len(found) >= LARGE_LEXICON:
                compiled.append(CompiledLexicon.compile(path, found))
            else:
                lexicons.extend(found)
        whitelist = [e.term for e in entries(whitelist_file)] if whitelist_file else None
        if whitelist:
            # The editable whitelist names accepted phrases and, above all, accepted reprint sources (第七条):
            # it extends the shipped source list rather than replacing it.
            kwargs.setdefault("reprint_sources", list(whitelist_entries()) + whitelist)
        return cls(lexicons=lexicons, whitelist=whitelist, compiled=compiled, **kwargs)

    # -- scanning -----------------------------------------------------------------------------------

    def scan_segment(self, segment: Segment) -> list[Finding]:
        if segment.image:
            # A picture needs a human look; its alt text is text like any other.
            found = [self._image_finding(segment)]
            if segment.text.strip():
                found.extend(self.scan_segment(Segment(segment.where, segment.text)))
            return found
        norm = normalize(segment.text)
        return [finding for _, finding in self._check(segment, norm, self._matches(norm.text), None)]

    def _matches(self, text: str, compiled: list | None = None) -> list[tuple[int, int, int]]:
        """(pattern index, start, end) of the automaton's and the compiled lexicons' matches, _select-ed.
        compiled: compiled_matches(text), when another process has found them."""
        found = self.automaton.find_matches_as_indexes(text, overlapping=True) if self.patterns else []
        found.extend((self._compiled_pattern(number, self.compiled[number], key), start, end)
                     for number, start, end, key in (self.compiled_matches(text) if compiled is None else compiled))
        return self._select(found)

    def compiled_matches(self, text: str) -> list[tuple[int, int, int, int]]:
        return compiled_matches(self.compiled, text)

    def _compiled_pattern(self, number: int, lexicon: CompiledLexicon, key: int) -> int:
        """An index into owners for a compiled lexicon's term, made the first time the term is met: a list of
        10⁷ terms gets Python objects only for those a text holds."""
        index = self._compiled_index.get((number, key))
        if index is None:
            with self._compiled_lock:  # a Screener may serve several threads: one index per term, published last
                index = self._compiled_index.get((number, key))
                if index is None:
                    owners = [Term(entry.term, self._sensitive, entry) for entry in lexicon.entries(key)]
                    self.owners.append(owners)
                    self._groups.append(None)
                    index = self._compiled_index[(number, key)] = len(self.owners) - 1
        return index

    def _select(self, matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Leftmost-longest, non-overlapping, among the terms of one rule and kind; every whitelist match kept.
        A match is kept when it is selected for any of its pattern's owners; the same span matched twice (a term
        of a compiled lexicon that the shipped lists also hold) is kept twice."""
        if not matches:
            return matches
        kept: set[int] = set()
        taken: dict[object, tuple[int, int]] = {}  # group → the span it took last
        ordered = sorted(range(len(matches)), key=lambda k: (matches[k][1], -matches[k][2]))
        for k in ordered:
            index, start, end = matches[k]
            groups = self._groups[index]
            if groups is None:
                groups = frozenset(_group(owner) for owner in self.owners[index])
                groups = self._groups[index] = self._shared_groups.setdefault(groups, groups)
            for group in groups:
                if group == WHITELIST:
                    kept.add(k)
                elif (last := taken.get(group)) is None or start >= last[1] or last == (start, end):
                    taken[group] = (start, end)
                    kept.add(k)
        return [matches[k] for k in sorted(kept, key=lambda k: (matches[k][1], matches[k][2]))]

    def _check(self, segment: Segment, norm: Normalized, matches, skip: set[int] | None,
               batched: Iterable[int] = ()) -> list[tuple[int, Finding]]:
        """The rules on one segment, given its automaton matches: (the rule's position, finding), in rule order.
        Rules at positions in skip are not called when they have no match (their trigger is absent), those in
        batched never (they judge the whole batch)."""
        per_rule: dict[int, list] = defaultdict(list)
        allowed: list[tuple[int, int]] = []
        for index, start, end in matches:
            for owner in self.owners[index]:
                if owner == WHITELIST:
                    allowed.append((start, end))
                else:
                    per_rule[id(owner.rule)].append((start, end, owner))
        findings = []
        for position, rule in enumerate(self.rules):
            rule_matches = per_rule.get(id(rule), [])
            if (skip and not rule_matches and position in skip) or position in batched:
                continue
            ctx = Context(segment, norm, rule_matches)
            for hit in rule.check(ctx):
                if _whitelisted(hit, allowed):
                    continue
                findings.append((position, self._finding(segment, norm, hit)))
        return findings

    def prepare(self) -> Screener:
        """Load what the rules load lazily (the typo model), so the first text is not the slow one."""
        for rule in self.rules:
            rule.prepare()
        return self

    def scan_segments(self, segments: Iterable[Segment], progress: Callable[[int, int], None] | None = None,
                      more: Callable[[], list[tuple[int, Finding]]] | None = None,
                      compiled_elsewhere: Callable[[int, int], list | None] | None = None) -> list[Finding]:
        """Findings of every segment; progress(done, total) is told after each batch of segments. more: the
        placed_findings of these segments made elsewhere (the typo and map families in a worker process,
        workers.Worker), ordered with these as if made here. compiled_elsewhere(start, end): the
        compiled_matches of the batch of segments[start:end] (batch_bounds) when another process found them,
        else None."""
        segments = list(segments)
        placed = self.placed_findings(segments, progress, compiled_elsewhere)
        if more:
            placed.extend(more())
        order: dict[str, int] = {}
        for s in segments:
            order.setdefault(s.where, len(order))
        # Most severe first, then in the order a reader meets them (正文第2段 before 正文第10段); among findings at
        # one place and offset (a cell's paragraphs share their place), segment by segment, then family by family
        # in the default rules' order, whichever process found them.
        placed.sort(key=lambda p: (SEVERITY_RANK[p[1].severity], order.get(p[1].where, 0), p[1].start, p[0],
                                   _family_rank(p[1])))
        return _unique([finding for _, finding in placed])

    def placed_findings(self, segments: list[Segment], progress=None, compiled_elsewhere=None,
                        normalised: dict | None = None) -> list[tuple[int, Finding]]:
        """(index of its segment, finding) for every finding, unordered; the names beside identifiers last.
        normalised: normalize_each of the texts of some batches, by (start, end), made earlier by the caller."""
        findings, places, normalised = self._scan_batches(segments, progress, compiled_elsewhere, normalised)
        placed = list(zip(places, findings, strict=True))
        if any(f.rule == "no_approval_number" for f in findings) and any(
               has_approval_number(normalised[i]) for i, s in enumerate(segments) if "审图" in s.text or "(" in s.text
               or "（" in s.text):
            placed = [p for p in placed if p[1].rule != "no_approval_number"]
        placed.extend((len(segments), f) for f in self._names_beside_identifiers(segments, findings))
        return placed

    def _scan_batches(self, segments: list[Segment], progress=None, compiled_elsewhere=None,
                      prepared: dict | None = None) -> tuple[list[Finding], list[int], list[str]]:
        """scan_segment on every segment — the same findings in the same order — with the index of each one's
        segment, and each normalised text; faster: batches are normalised in one pass and matched in one call,
        and a rule is called only where its trigger or its terms occur."""
        findings: list[Finding] = []
        places: list[int] = []
        normalised: list[str] = []
        for start, end in batch_bounds(segments):
            given = compiled_elsewhere(start, end) if compiled_elsewhere and self._joinable else None
            self._scan_batch(segments[start:end], start, findings, places, normalised, given,
                             prepared.get((start, end)) if prepared else None)
            if progress:
                progress(end, len(segments))
        return findings, places, normalised

    def _scan_batch(self, batch: list[Segment], first: int, findings: list[Finding], places: list[int],
                    normalised: list[str], compiled: list | None = None,
                    prepared: tuple[list[str], dict] | None = None) -> None:
        texts, changed = prepared or normalize_each([s.text for s in batch])
        normalised.extend(texts)
        joined = "\n".join(texts)
        starts, pos = [], 0
        for text in texts:
            starts.append(pos)
            pos += len(text) + 1
        matches: dict[int, list] = defaultdict(list)
        # Rules (by position) judging the whole batch at once (Rule.check_batch): possible when no pattern spans
        # a line break; their terms' matches and the whitelist's are kept in the batch's coordinates too.
        batched = {position: [] for position, rule in enumerate(self.rules) if rule.check_batch and self._joinable}
        allowed: list[tuple[int, int]] = []
        if self._joinable:
            owners_of = {id(self.rules[position]): terms for position, terms in batched.items()}
            for index, a, b in self._matches(joined, compiled):
                i = bisect_right(starts, a) - 1
                matches[i].append((index, a - starts[i], b - starts[i]))
                if batched:
                    for owner in self.owners[index]:
                        if owner == WHITELIST:
                            allowed.append((a, b))
                        elif (terms := owners_of.get(id(owner.rule))) is not None:
                            terms.append((a, b, owner))
        else:
            for i, text in enumerate(texts):
                matches[i] = self._matches(text)
        # Rules (by position) each segment may skip: its trigger is not there.
        triggered: list[set[int] | None] = []
        for position, rule in enumerate(self.rules):
            if position in batched:
                triggered.append(set())  # called below, once for the batch
                continue
            if rule.trigger is None:
                triggered.append(None)
                continue
            found: set[int] = set()
            if rule.trigger is not ONLY_TERMS:
                pos = 0
                while (m := rule.trigger.search(joined, pos)) is not None:
                    i = bisect_right(starts, m.start()) - 1
                    found.add(i)
                    pos = starts[i + 1] if i + 1 < len(starts) else len(joined)
            if rule.also_triggered is not None:
                found.update(rule.also_triggered([s.text for s in batch]))
            triggered.append(found)
        always = any(found is None for found in triggered)
        active = set(matches).union(*(found for found in triggered if found is not None))
        from_batch: dict[int, list[tuple[int, Finding]]] = defaultdict(list)  # segment → (rule's position, finding)
        for position, rule_matches in batched.items():
            self._check_batch(position, batch, texts, changed, starts, joined, rule_matches, allowed, from_batch)
        for i, segment in enumerate(batch):
            if segment.image:
                found = self.scan_segment(segment)
            elif not always and i not in active and i not in from_batch:
                continue  # no rule could hit here
            else:
                placed = []
                if always or i in active:
                    skip = {position for position, hit in enumerate(triggered) if hit is not None and i not in hit}
                    placed = self._check(segment, self._norm(texts, changed, batch, i), matches.get(i, ()), skip,
                                         batched)
                if i in from_batch:  # in rule order, as if every rule had been called here
                    placed = sorted(placed + from_batch[i], key=operator.itemgetter(0))
                found = [finding for _, finding in placed]
            findings.extend(found)
            places.extend([first + i] * len(found))

    def _check_batch(self, position: int, batch: list[Segment], texts: list[str], changed: dict, starts: list[int],
                     joined: str, rule_matches, allowed, out: dict[int, list[tuple[int, Finding]]]) -> None:
        """A batch rule's hits, placed in their segments (out: segment → (position, finding)), as _check would
        make them segment by segment; a picture's alt text is left to scan_segment, which calls every rule."""
        allowed_in: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for a, b in allowed:
            allowed_in[bisect_right(starts, a) - 1].append((a, b))
        for hit in self.rules[position].check_batch(joined, rule_matches):
            i = bisect_right(starts, hit.start) - 1
            if batch[i].image or _whitelisted(hit, allowed_in.get(i, ())):
                continue
            out[i].append((position, self._finding(batch[i], self._norm(texts, changed, batch, i), hit, starts[i])))

    @staticmethod
    def _norm(texts: list[str], changed: dict, batch: list[Segment], i: int) -> Normalized:
        # An unchanged text's index is a range: what a list of 0, 1, 2, … would say, without making the list.
        return changed.get(i) or Normalized(texts[i], range(len(texts[i])), batch[i].text)

    def scan_text(self, text: str, where: str = "正文") -> list[Finding]:
        from govmedia.screening.extract import segments_of_text

        if "\t" not in text and len(text.splitlines()) <= 1:   # one place; lines split as in a .txt file
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
    def _finding(segment: Segment, norm, hit: Hit, offset: int = 0) -> Finding:
        """hit at offset in a batch's joined text (0: in the segment's own)."""
        start, end = norm.span(hit.start - offset, hit.end - offset)
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
        """A name in a 姓名 column (a 公示 list), or right of a 姓名 label (a form's row: 姓名 | 孙丽 | 身份证号 | …),
        in a row that also holds an ID, mobile or card number."""
        by_table: dict[str, list[Segment]] = defaultdict(list)
        for s in segments:
            if s.table is not None:
                by_table[s.table].append(s)
        flagged_where = {f.where for f in findings if f.rule in IDENTIFIER_RULES}
        extra = []
        for cells in by_table.values():
            name_cols = {s.col for s in cells if NAME_HEADER.search(s.text) and len(s.text.strip()) <= 10}
            if not name_cols:
                continue
            rows: dict[int, list[Segment]] = defaultdict(list)
            for s in cells:
                rows[s.row].append(s)
            for row in rows.values():
                if not any(s.where in flagged_where for s in row):
                    continue
                labelled = {s.col + 1 for s in row if NAME_LABEL.match(s.text.strip())}
                for s in row:
                    value = s.text.strip()
                    if ((s.col in name_cols or s.col in labelled) and PERSON_NAME.match(value)
                            and not NAME_HEADER.search(value)):
                        start = s.text.index(value)
                        extra.append(Finding("privacy", "name", BLOCK, s.where, start, start + len(value),
                                             value[:1] + "*" * (len(value) - 1),
                                             "与身份证号等标识信息同列公示的姓名，须去标识化处理（第十一条）", "姓保留，名以*代替"))
        return extra


def _whitelisted(hit: Hit, allowed) -> bool:
    """Inside a whitelist span (a privacy value never is: an accepted phrase does not make an ID number public)."""
    return hit.category != "privacy" and any(a <= hit.start and hit.end <= b for a, b in allowed)


def compiled_matches(lexicons: list[CompiledLexicon], text: str) -> list[tuple[int, int, int, int]]:
    """(lexicon number, start, end, term id) of every compiled lexicon's terms in the normalised text."""
    return [(number, start, end, key) for number, lexicon in enumerate(lexicons) for start, end, key in lexicon.find(text)]


def batch_bounds(segments: list[Segment]) -> list[tuple[int, int]]:
    """(start, end) of the batches scan_segments takes segments in: about BATCH_CHARS characters each."""
    bounds, start, size = [], 0, 0
    for end, segment in enumerate(segments, start=1):
        size += len(segment.text) + 1
        if size >= BATCH_CHARS or end == len(segments):
            bounds.append((start, end))
            start, size = end, 0
    return bounds


# The families in the order a default Screener runs them; a picture's finding comes before what its alt text holds.
_FAMILY_RANK = {category: rank for rank, category in enumerate(
    ("privacy", "secrecy", "advertising", "sensitive", "expression", "map", "reprint"))}


def _family_rank(finding: Finding) -> int:
    """A lexicon's own category is its findings' rule: a list may call one "typo" or "image", so the category is
    asked too."""
    if (finding.category, finding.rule) == ("map", "image"):
        return -1
    if (finding.category, finding.rule) == ("expression", "typo"):
        return len(_FAMILY_RANK)
    return _FAMILY_RANK.get(finding.category, len(_FAMILY_RANK))


def _group(owner) -> object:
    """Terms of one rule and one kind compete for a span (网络赌博 over 赌博); other kinds never hide them."""
    return WHITELIST if owner == WHITELIST else (id(owner.rule), type(owner.data).__name__)


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
