"""What the draft page shows: findings marked in place, and differences between versions.

Everything returned as safe HTML is built from escaped pieces; the body is split into the same segments the
screening engine scanned (screening.formats.html.segments_of_html), so a finding's ``where`` (正文第3段, 表格1第2行
第3列, 标题) and its start/end offsets land on the text the reader sees.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from govmedia.screening.extract import Deadline, Segment, Unreadable
from govmedia.screening.findings import CATEGORY_LABEL, SEVERITY_LABEL, SEVERITY_RANK
from govmedia.screening.formats.html import segments_of_html

TOKEN = re.compile(r"[A-Za-z0-9]+|\s+|.", re.S)


@dataclass(frozen=True)
class Paragraph:
    where: str
    html: SafeString
    marked: int  # findings marked in it
    label: bool  # show ``where`` beside it (table cells, pictures)


def segments(body: str) -> list[Segment]:
    if not body.strip():
        return []
    try:
        return [s for s in segments_of_html(body, Deadline()) if not s.where.startswith("链接")]
    except Unreadable:
        return []


def highlighted(text: str, findings: list[dict]) -> tuple[SafeString, int]:
    """The text with each finding marked, escaped piece by piece; overlapping findings keep the first."""
    spans = sorted({(f["start"], f["end"], f["severity"], f["message"]) for f in findings
                    if 0 <= f["start"] < f["end"] <= len(text)})
    out, pos, marked = [], 0, 0
    for start, end, severity, message in spans:
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        out.append(f'<mark class="gm-{escape(severity)}" title="{escape(message)}">{escape(text[start:end])}</mark>')
        pos, marked = end, marked + 1
    out.append(escape(text[pos:]))
    return mark_safe("".join(out)), marked  # noqa: S308 — every piece above is escaped


def annotated_body(body: str, findings: list[dict]) -> list[Paragraph]:
    """The body as the engine read it, a paragraph per segment, each finding highlighted where it was found."""
    by_where: dict[str, list[dict]] = {}
    for f in findings:
        by_where.setdefault(f["where"], []).append(f)
    rows = []
    for segment in segments(body):
        text = f"〔图片：{segment.text or '无说明文字'}〕" if segment.image else segment.text
        html, marked = highlighted(text, [] if segment.image else by_where.get(segment.where, []))
        if segment.image and by_where.get(segment.where):
            html, marked = mark_safe(f'<mark class="gm-info">{html}</mark>'), len(by_where[segment.where])  # noqa: S308
        rows.append(Paragraph(segment.where, html, marked, segment.table is not None or segment.image))
    return rows


def findings_table(findings: list[dict]) -> list[dict]:
    """Findings with their Chinese labels, the most serious first."""
    rows = [f | {"category_label": CATEGORY_LABEL.get(f["category"], f["category"]),
                 "severity_label": SEVERITY_LABEL.get(f["severity"], f["severity"])} for f in findings]
    return sorted(rows, key=lambda f: SEVERITY_RANK.get(f["severity"], 9))


def _chunks(old: str, new: str) -> list[tuple[str, str]]:
    """(removed, added) pairs — equal text has both the same. A single unchanged character between two changes
    is folded into them, so 12月→11月底前 reads as one replacement rather than a scatter of digits. Numbers and
    Latin words compare whole; Chinese compares by character (it has no word breaks)."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    chunks: list[list[str]] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        chunks.append(["=" if op == "equal" else "~", "".join(a[a1:a2]), "".join(b[b1:b2])])
    merged: list[list[str]] = []
    for i, chunk in enumerate(chunks):
        between = 0 < i < len(chunks) - 1 and chunks[i + 1][0] == "~" and merged and merged[-1][0] == "~"
        if chunk[0] == "~" or (between and len(chunk[1]) <= 1):
            if merged and merged[-1][0] == "~":
                merged[-1][1] += chunk[1]
                merged[-1][2] += chunk[2]
                continue
            chunk = ["~", chunk[1], chunk[2]]
        merged.append(chunk)
    return [(a, b) if op == "~" else (a, a) for op, a, b in merged]


def text_diff(old: str, new: str) -> SafeString:
    """Characters deleted from ``old`` in <del>, inserted in ``new`` in <ins> (Chinese has no word breaks)."""
    out = []
    for removed, added in _chunks(old, new):
        if removed == added:
            out.append(escape(removed))
            continue
        if removed:
            out.append(f"<del>{escape(removed)}</del>")
        if added:
            out.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(out))  # noqa: S308 — every piece above is escaped


def title_pair(original: str, current: str) -> tuple[SafeString, SafeString]:
    """第七条: the original title with what was removed marked, and the current title with what was added."""
    old, new = [], []
    for removed, added in _chunks(original, current):
        if removed == added:
            old.append(escape(removed))
            new.append(escape(added))
            continue
        if removed:
            old.append(f"<del>{escape(removed)}</del>")
        if added:
            new.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(old)), mark_safe("".join(new))  # noqa: S308 — every piece above is escaped


def _paragraph_texts(body: str) -> list[str]:
    return [f"〔图片：{s.text}〕" if s.image else s.text for s in segments(body)]


def body_diff(old_body: str, new_body: str) -> list[tuple[str, SafeString]]:
    """Paragraph by paragraph: ("equal"|"insert"|"delete"|"replace", html), changed paragraphs diffed by character."""
    old, new = _paragraph_texts(old_body), _paragraph_texts(new_body)
    rows: list[tuple[str, SafeString]] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [("equal", mark_safe(escape(text))) for text in old[a1:a2]]  # noqa: S308
        elif op == "delete":
            rows += [("delete", mark_safe(f"<del>{escape(text)}</del>")) for text in old[a1:a2]]  # noqa: S308
        elif op == "insert":
            rows += [("insert", mark_safe(f"<ins>{escape(text)}</ins>")) for text in new[b1:b2]]  # noqa: S308
        else:
            pairs = max(a2 - a1, b2 - b1)
            for k in range(pairs):
                before = old[a1 + k] if a1 + k < a2 else ""
                after = new[b1 + k] if b1 + k < b2 else ""
                rows.append(("replace", text_diff(before, after)))
    return rows
