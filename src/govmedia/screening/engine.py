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
from itertools import accumulate
from pathlib import Path

import ahocorasick_rs

from govmedia.screening.compiled import LARGE_LEXICON, CompiledLexicon, compiled_matches
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
    ):
        """rules: the rule families to run instead of all of them (the arguments before typos then do nothing).
        compiled: large lexicons matched outside the automaton (compiled.py), for the sensitive family."""
        self.rules: list[Rule] = rules if rules is not None else [rule for rule in [
            PrivacyRule(), SecrecyRule(), AdvertisingRule(),
            SensitiveRule(default_entries() + list(lexicons)),
            ExpressionRule(leaders=leaders),
            MapRule(), ReprintRule(list(reprint_sources) if reprint_sources is not None else None),
        ] + ([TypoRule()] if typos else [])]
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
        # The patterns of each batch rule's terms, and of the whitelist (Screener._own, Screener._allowed).
        batch_rules = {id(rule): position for position, rule in enumerate(self.rules) if rule.check_batch}
        self._patterns_of: dict[int, set[int]] = {position: set() for position in batch_rules.values()}
        self._whitelisted_patterns: set[int] = set()
        self._shared_patterns: set[int] = set()  # a batch rule's pattern that is also another kind's (Screener._own)
        for index, owners in enumerate(self.owners):
            for owner in owners:
                if owner is WHITELIST:
                    self._whitelisted_patterns.add(index)
                elif id(owner.rule) in batch_rules:
                    self._patterns_of[batch_rules[id(owner.rule)]].add(index)
                    if len({_group(o) for o in owners}) > 1:
                        self._shared_patterns.add(index)
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

    def _matches(self, text: str, found: list | None = None) -> list[tuple[int, int, int]]:
        """(pattern index, start, end) of the automaton's and the compiled lexicons' matches, _select-ed.
        found: the automaton's, when made already (copied)."""
        if found is None:
            found = self.automaton.find_matches_as_indexes(text, overlapping=True) if self.patterns else []
        else:
            found = list(found)
        found.extend((self._compiled_pattern(number, self.compiled[number], key), start, end)
                     for number, start, end, key in self.compiled_matches(text))
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
                if group is WHITELIST:
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
                if owner is WHITELIST:
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
                      remote=None) -> list[Finding]:
        """Findings of every segment; progress(done, total) is told after each batch of segments. remote: another
        process checking some batch families (workers.Remote); the findings are those of one process."""
        segments = list(segments)
        placed = self.placed_findings(segments, progress, remote)
        order: dict[str, int] = {}
        for s in segments:
            order.setdefault(s.where, len(order))
        # Most severe first, then in the order a reader meets them (正文第2段 before 正文第10段); among findings at
        # one place and offset (a cell's paragraphs share their place), segment by segment, then family by family
        # in the default rules' order, whichever process found them.
        ranks: dict[tuple[str, str], int] = {}  # (category, rule) → _family_rank: 50,000 findings, a few dozen kinds

        def key(p: tuple[int, Finding]) -> tuple:
            f = p[1]
            if (rank := ranks.get((f.category, f.rule))) is None:
                rank = ranks[f.category, f.rule] = _family_rank(f)
            return SEVERITY_RANK[f.severity], order.get(f.where, 0), f.start, p[0], rank
        placed.sort(key=key)
        return _unique([finding for _, finding in placed])

    def placed_findings(self, segments: list[Segment], progress=None, remote=None) -> list[tuple[int, Finding]]:
        """(index of its segment, finding) for every finding, unordered; the names beside identifiers last."""
        findings, places, normalised = self._scan_batches(segments, progress, remote)
        placed = list(zip(places, findings, strict=True))
        # A 审图号 anywhere in the input clears every map finding of it (no approval number spans a line break).
        if any(f.rule == "no_approval_number" for f in findings) and has_approval_number("\n".join(normalised)):
            placed = [p for p in placed if p[1].rule != "no_approval_number"]
        placed.extend((len(segments), f) for f in self._names_beside_identifiers(segments, findings))
        return placed

    def _scan_batches(self, segments: list[Segment], progress=None, remote=None
                      ) -> tuple[list[Finding], list[int], list[str]]:
        """scan_segment on every segment — the same findings, in the same order without a remote — with the index
        of each one's segment, and each normalised text; faster: batches are normalised in one pass and matched in
        one call, and a rule is called only where its trigger or its terms occur.

        With a remote, every batch is normalised and handed over first, so that it checks its families (each in its
        share of the batches) while this process goes on; this process places the remote's hits as they arrive."""
        bounds = batch_bounds(segments)
        remote_rules = self._remote_positions(remote)
        # batch → the positions of the rules the remote checks in it (each family in its own share of the batches)
        away: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
        for family in set(remote_rules.values()):
            for bound in remote.batches_of(family, bounds):
                away[bound].update((p, k) for p, k in remote_rules.items() if k == family)
        batches: dict[tuple[int, int], _Batch] = {}
        if remote_rules:
            for bound in bounds:
                batch = batches[bound] = self._batch(segments, *bound)
                remote.send(bound, batch.joined, batch.starts,
                            [(family, self._own(batch, position)) for position, family in away[bound].items()])
        out: dict[tuple[int, int], tuple[list[Finding], list[int], list[str]]] = {}
        unplaced = set(bounds) if remote_rules else set()  # batches whose remote hits are not placed yet

        def place(bound: tuple[int, int]) -> None:
            """The remote's hits in one scanned batch, placed with its findings (waited for if need be)."""
            unplaced.discard(bound)
            batch, (found, where, _) = batches.pop(bound), out[bound]
            hits = remote.hits(bound)
            if hits is None:  # the remote is gone: checked here
                hits = [hit for position in away[bound]
                        for hit in self.rules[position].check_batch(batch.joined, self._own(batch, position),
                                                                    batch.starts)]
            placed: dict[int, list[tuple[int, Finding]]] = defaultdict(list)
            self._place(-1, batch, hits, placed)  # no rule order to keep: the findings are ordered at the end
            for i, pairs in placed.items():
                found.extend(finding for _, finding in pairs)
                where.extend([batch.first + i] * len(pairs))

        done = 0
        for bound in bounds:
            batch = batches[bound] if remote_rules else self._batch(segments, *bound)
            out[bound] = self._scan_batch(batch, away.get(bound, ()))
            # Hits already in are placed now rather than after the last batch, when only the remote's last ones
            # should be left to wait for.
            for ready in [b for b in unplaced if b in out and remote.arrived(b)]:
                place(ready)
            done += bound[1] - bound[0]
            if progress:
                progress(done, len(segments))
        for bound in sorted(unplaced):
            place(bound)
        findings: list[Finding] = []
        places: list[int] = []
        normalised: list[str] = []
        for bound in bounds:
            found, where, texts = out.pop(bound)
            findings.extend(found)
            places.extend(where)
            normalised.extend(texts)
        return findings, places, normalised

    def _remote_positions(self, remote) -> dict[int, int]:
        """The batch rules the remote checks (those of its families, when batches can be joined): their positions,
        each with the index of its family in remote.families."""
        if remote is None or not self._joinable:
            return {}
        return {position: k for k, family in enumerate(remote.families) for position, rule in enumerate(self.rules)
                if isinstance(rule, family) and rule.check_batch}

    def _batch(self, segments: list[Segment], start: int, end: int) -> _Batch:
        batch = segments[start:end]
        texts, changed = normalize_each([s.text for s in batch])
        joined = "\n".join(texts)
        found = self.automaton.find_matches_as_indexes(joined, overlapping=True) \
            if self.patterns and self._joinable else []
        return _Batch(start, batch, texts, changed, joined, found)

    def _own(self, batch: _Batch, position: int) -> list[tuple[int, int, Term]]:
        """The matches of one rule's terms in a batch's joined text, as _select keeps them: leftmost-longest among
        those of each kind, and a match of a pattern that is also another kind's (the whitelist's, another rule's
        term) kept when that kind keeps it. The automaton's matches decide that: a compiled list's terms, which
        compete only with the sensitive family's, are matched after the batch goes to the worker."""
        rule, mine = self.rules[position], self._patterns_of[position]
        found = [m for m in batch.found if m[0] in mine]
        if not self._shared_patterns.isdisjoint(index for index, _, _ in found):
            return [(start, end, owner) for index, start, end in self._select(list(batch.found)) if index in mine
                    for owner in self.owners[index] if owner is not WHITELIST and owner.rule is rule]
        out: list[tuple[int, int, Term]] = []
        taken: dict[str, tuple[int, int]] = {}
        for index, start, end in sorted(found, key=lambda m: (m[1], -m[2])):
            for owner in self.owners[index]:
                if owner is not WHITELIST and owner.rule is rule:
                    kind = type(owner.data).__name__
                    if (last := taken.get(kind)) is None or start >= last[1] or last == (start, end):
                        taken[kind] = (start, end)
                        out.append((start, end, owner))
        return out

    def _scan_batch(self, batch: _Batch, away: Iterable[int] = ()
                    ) -> tuple[list[Finding], list[int], list[str]]:
        """The findings of a batch's segments (with their segment indexes) and its normalised texts; the batch rules
        at the positions `away` are left out (a remote checks them)."""
        texts, starts, joined = batch.texts, batch.starts, batch.joined
        findings: list[Finding] = []
        places: list[int] = []
        matches: dict[int, list] = defaultdict(list)
        # Rules (by position) judging the whole batch at once (Rule.check_batch): possible when no pattern spans
        # a line break.
        batched = [position for position, rule in enumerate(self.rules) if rule.check_batch and self._joinable]
        if self._joinable:
            for index, a, b in self._matches(joined, batch.found):
                i = bisect_right(starts, a) - 1
                matches[i].append((index, a - starts[i], b - starts[i]))
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
                found.update(rule.also_triggered([s.text for s in batch.segments]))
            triggered.append(found)
        always = any(found is None for found in triggered)
        active = set(matches).union(*(found for found in triggered if found is not None))
        from_batch: dict[int, list[tuple[int, Finding]]] = defaultdict(list)  # segment → (rule's position, finding)
        for position in batched:
            if position not in away:
                self._place(position, batch, self.rules[position].check_batch(joined, self._own(batch, position),
                                                                              starts), from_batch)
        for i, segment in enumerate(batch.segments):
            if segment.image:
                # A picture needs a human look; its alt text is text like any other, every rule called on it.
                found_here = [self._image_finding(segment)]
                if segment.text.strip():
                    placed = self._check(Segment(segment.where, segment.text), self._norm(batch, i),
                                         matches.get(i, ()), None, batched)
                    found_here += [f for _, f in sorted(placed + from_batch.get(i, []), key=operator.itemgetter(0))]
            elif not always and i not in active and i not in from_batch:
                continue  # no rule could hit here
            else:
                placed = []
                if always or i in active:
                    skip = {position for position, hit in enumerate(triggered) if hit is not None and i not in hit}
                    placed = self._check(segment, self._norm(batch, i), matches.get(i, ()), skip, batched)
                if i in from_batch:  # in rule order, as if every rule had been called here
                    placed = sorted(placed + from_batch[i], key=operator.itemgetter(0))
                found_here = [finding for _, finding in placed]
            findings.extend(found_here)
            places.extend([batch.first + i] * len(found_here))
        return findings, places, texts

    def _place(self, position: int, batch: _Batch, hits: Iterable[Hit], out: dict[int, list[tuple[int, Finding]]]
               ) -> None:
        """A batch rule's hits (at offsets of the joined text), placed in their segments (out: segment → (position,
        finding)) as _check would make them segment by segment; a picture's alt text is a segment like any other,
        a blank one holds nothing."""
        allowed = self._allowed(batch)
        for hit in hits:
            i = bisect_right(batch.starts, hit.start) - 1
            segment = batch.segments[i]
            if _whitelisted(hit, allowed.get(i, ())) or (segment.image and not segment.text.strip()):
                continue
            out[i].append((position, self._finding(segment, self._norm(batch, i), hit, batch.starts[i])))

    def _allowed(self, batch: _Batch) -> dict[int, list[tuple[int, int]]]:
        """The whitelist's matches in a batch, by segment, at offsets of the joined text: _select keeps them all."""
        if batch.allowed is None:
            batch.allowed = defaultdict(list)
            for index, start, end in batch.found:
                if index in self._whitelisted_patterns:
                    batch.allowed[bisect_right(batch.starts, start) - 1].append((start, end))
        return batch.allowed

    @staticmethod
    def _norm(batch: _Batch, i: int) -> Normalized:
        # An unchanged text's index is a range: what a list of 0, 1, 2, … would say, without making the list.
        return batch.changed.get(i) or Normalized(batch.texts[i], range(len(batch.texts[i])), batch.segments[i].text)

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


class _Batch:
    """Segments scanned together: normalised, joined by line breaks, with the automaton's raw matches."""

    __slots__ = ("first", "segments", "texts", "changed", "joined", "starts", "found", "allowed")

    def __init__(self, first: int, segments: list[Segment], texts: list[str], changed: dict[int, Normalized],
                 joined: str, found: list[tuple[int, int, int]]):
        self.first, self.segments, self.texts, self.changed, self.joined, self.found = \
            first, segments, texts, changed, joined, found
        self.starts = list(accumulate(map(len, texts[:-1]), lambda pos, size: pos + size + 1, initial=0))
        self.allowed: dict[int, list[tuple[int, int]]] | None = None


def _whitelisted(hit: Hit, allowed) -> bool:
    """Inside a whitelist span (a privacy value never is: an accepted phrase does not make an ID number public)."""
    return hit.category != "privacy" and any(a <= hit.start and hit.end <= b for a, b in allowed)


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
    return WHITELIST if owner is WHITELIST else (id(owner.rule), type(owner.data).__name__)


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
