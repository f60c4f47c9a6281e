"""Plain text from what platforms and the review workflow hold as HTML: what patrols re-scan and pages show."""

from __future__ import annotations

import html
import re

from govmedia.screening.extract import Deadline, Unreadable
from govmedia.screening.formats.html import segments_of_html

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


def plain_text(source: str) -> str:
    """The readable text of an HTML body, one block a line; images and link targets left out.

    Text without markup comes back as it is (trimmed). Uses the screening engine's HTML reader, so a patrol
    names the same paragraphs a reviewer saw; a body it cannot parse falls back to stripping the tags.
    """
    source = (source or "").strip()
    if not source:
        return ""
    if "<" not in source:
        return html.unescape(source)
    try:
        lines = [s.text for s in segments_of_html(source, Deadline())
                 if not s.image and not s.where.startswith("链接") and s.text.strip()]
    except Unreadable:
        lines = [html.unescape(_TAG.sub(" ", source))]
    return "\n".join(_SPACE.sub(" ", line).strip() for line in lines).strip()


def headline(text: str, length: int = 40) -> str:
    """A title for a post that has none (a Weibo status): its first line, cut to ``length`` characters."""
    first = next((line.strip() for line in (text or "").splitlines() if line.strip()), "")
    return first if len(first) <= length else first[:length - 1] + "…"
