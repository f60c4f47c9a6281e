"""Article HTML (WeChat style): the text of each block, image alt text, and link targets."""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html

from govmedia.screening.extract import Deadline, Segment, Unreadable

BLOCKS = {"p", "div", "section", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
          "figcaption", "dd", "dt", "caption", "article", "body", "title"}
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


def skipped(element) -> bool:
    return any(isinstance(a.tag, str) and a.tag.lower() in SKIP for a in element.iterancestors())


def _nearest(element, tags: tuple[str, ...]):
    return next((a for a in element.iterancestors() if isinstance(a.tag, str) and a.tag.lower() in tags), None)


class _Tables:
    """Table numbers in document order and each table's own rows (not a nested table's), computed once."""

    def __init__(self, root):
        self.numbers = {t: k for k, t in enumerate(root.iter("table"), start=1)}
        self.row_numbers: dict = {}
        counters: dict = {}
        for row in root.iter("tr"):
            table = _nearest(row, ("table",))
            if table is not None:
                counters[table] = counters.get(table, 0) + 1
                self.row_numbers[row] = counters[table]

    def cell_of(self, element) -> tuple[str, int, int] | None:
        """(表格k, row, col) of the table cell holding element (itself a td/th, or a block inside one)."""
        cell = element if element.tag.lower() in ("td", "th") else _nearest(element, ("td", "th"))
        if cell is None:
            return None
        row = cell.getparent()
        table = _nearest(cell, ("table",))
        if row is None or table is None or row not in self.row_numbers:
            return None
        cells = [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        return f"表格{self.numbers[table]}", self.row_numbers[row], cells.index(cell) + 1


def blocks(root) -> Iterator[tuple[object, str | None, tuple | None]]:
    """(element, paragraph-or-None, cell-or-None) for each block a reader sees, in document order.

    Shared by scanning and masking so both name places alike: 正文第3段, or 表格1第2行第3列 for text in a table
    (a 公示 table in an article, where a 姓名 column sits beside ID numbers)."""
    tables = _Tables(root)
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag.lower() not in BLOCKS or skipped(element):
            continue
        cell = tables.cell_of(element) if tables.numbers else None
        yield element, (f"{cell[0]}第{cell[1]}行第{cell[2]}列" if cell else None), cell


def segments_of_html(source: str, deadline: Deadline) -> Iterator[Segment]:
    if not source.strip():
        return
    try:
        root = lxml.html.document_fromstring(source)
    except Exception as exc:  # noqa: BLE001
        raise Unreadable("网页无法解析") from exc
    number = 0
    for i, (element, where, cell) in enumerate(blocks(root)):
        if i % 2000 == 0:
            deadline.check()
        text = " ".join(_own_text(element).split())
        if not text:
            continue
        if cell:
            yield Segment(where, text, table=cell[0], row=cell[1], col=cell[2])
        else:
            number += 1
            yield Segment(f"正文第{number}段", text)
    images = links = 0
    for element in root.iter("img", "a"):
        if skipped(element):
            continue
        if element.tag == "img":
            images += 1
            alt = (element.get("alt") or element.get("title") or "").strip()
            yield Segment(f"图片{images}", alt, image=True)
        elif element.get("href"):
            links += 1
            yield Segment(f"链接{links}", element.get("href"))
