"""Article HTML (WeChat style): the text of each block, image alt text, and link targets."""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html

from govmedia.screening.extract import Deadline, Segment, Unreadable

BLOCKS = {"p", "div", "section", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
          "figcaption", "dd", "dt", "caption", "article", "body"}
SKIP = {"script", "style", "noscript", "template"}


def _own_text(element) -> str:
    """Text of an element excluding nested block elements (they are segments of their own)."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        tag = child.tag.lower()
        if tag not in BLOCKS and tag not in SKIP:
            parts.append(_own_text(child))
        elif tag == "br":
            parts.append("\n")
        parts.append(child.tail or "")
    return "".join(parts)


def segments_of_html(source: str, deadline: Deadline) -> Iterator[Segment]:
    if not source.strip():
        return
    try:
        root = lxml.html.document_fromstring(source)
    except Exception as exc:  # noqa: BLE001
        raise Unreadable("网页无法解析") from exc
    number = images = links = 0
    for i, element in enumerate(root.iter()):
        if i % 2000 == 0:
            deadline.check()
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in BLOCKS:
            text = " ".join(_own_text(element).split())
            if text:
                number += 1
                yield Segment(f"正文第{number}段", text)
        elif tag == "img":
            images += 1
            alt = (element.get("alt") or element.get("title") or "").strip()
            yield Segment(f"图片{images}", alt, image=True)
        elif tag == "a" and element.get("href"):
            links += 1
            yield Segment(f"链接{links}", element.get("href"))
