"""Draft content: sanitising the rich-text body, the content hash approvals bind to, and screening it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nh3

from govmedia.screening.extract import Deadline, Segment
from govmedia.screening.findings import BLOCK

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
                "a", "img", "table", "thead", "tbody", "tr", "th", "td", "span", "sub", "sup", "hr", "figure",
                "figcaption"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "td": {"colspan", "rowspan"},
                      "th": {"colspan", "rowspan"}}


def sanitize(html: str) -> str:
    """Keep structure and emphasis; drop scripts, styles, event handlers and unknown tags."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer").strip()


def content_hash(draft, attachment_hashes: list[str] | None = None) -> str:
    """What an approval binds to: every field a reader or reviewer relies on, and the attachments' bytes."""
    if attachment_hashes is None:
        attachment_hashes = sorted(draft.attachments.values_list("sha256", flat=True)) if draft.pk else []
    account_ids = sorted(draft.accounts.values_list("pk", flat=True)) if draft.pk else []
    payload = [draft.title, draft.body, draft.kind, draft.source_name, draft.original_title, draft.source_url,
               draft.importance, draft.other_units, draft.coordination_note, account_ids, attachment_hashes]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def screen(draft) -> list[dict]:
    """Run the engine over title, body and every attachment; an unreadable attachment blocks (fail closed)."""
    from govmedia.checks.service import screener
    from govmedia.screening.formats.html import segments_of_html

    engine = screener()
    segments = [Segment("标题", draft.title)]
    segments += list(segments_of_html(draft.body, Deadline())) if draft.body.strip() else []
    findings = [f.as_dict() for f in engine.scan_segments(segments)]
    for attachment in draft.attachments.all():
        result = engine.scan_file(Path(attachment.file.path))
        if result.error:
            findings.append({"category": "manual", "rule": "unreadable", "severity": BLOCK,
                             "where": f"附件「{attachment.name}」", "start": 0, "end": 0, "text": "",
                             "message": f"附件无法自动检查：{result.error}", "suggestion": "人工审核附件"})
        for f in result.findings:
            row = f.as_dict()
            row["where"] = f"附件「{attachment.name}」{row['where']}"
            findings.append(row)
    return findings
