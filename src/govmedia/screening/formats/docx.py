"""Word documents: body paragraphs, tables (nested too), headers, footers and footnotes.

``paragraphs(document)`` is shared by scanning and masking, so both see the same places with the same names.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.table import Table
from docx.text.paragraph import Paragraph

from govmedia.screening.extract import Deadline, Segment

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _table_paragraphs(table: Table, label: str) -> Iterator[tuple[str, Paragraph, tuple]]:
    for r, row in enumerate(table.rows, start=1):
        seen = set()
        for c, cell in enumerate(row.cells, start=1):
            if id(cell._tc) in seen:  # a merged cell repeats across the columns it spans
                continue
            seen.add(id(cell._tc))
            for paragraph in cell.paragraphs:
                yield f"{label}第{r}行第{c}列", paragraph, (label, r, c)
            for k, inner in enumerate(cell.tables, start=1):
                yield from _table_paragraphs(inner, f"{label}第{r}行第{c}列内嵌表格{k}")


def paragraphs(document) -> Iterator[tuple[str, Paragraph, tuple | None]]:
    """(where, paragraph, (table, row, col) or None) for every paragraph a reader sees."""
    number = 0
    tables = 0
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            number += 1
            yield f"正文第{number}段", Paragraph(child, document), None
        elif child.tag == f"{W}tbl":
            tables += 1
            yield from _table_paragraphs(Table(child, document), f"表格{tables}")
    for s, section in enumerate(document.sections, start=1):
        suffix = f"（第{s}节）" if len(document.sections) > 1 else ""
        for kind, part in (("页眉", section.header), ("页脚", section.footer),
                           ("首页页眉", section.first_page_header), ("首页页脚", section.first_page_footer)):
            if part.is_linked_to_previous and s > 1:
                continue
            for i, paragraph in enumerate(part.paragraphs, start=1):
                yield f"{kind}{suffix}第{i}段", paragraph, None
            for t, table in enumerate(part.tables, start=1):
                yield from _table_paragraphs(table, f"{kind}{suffix}表格{t}")


def footnotes(path: Path) -> Iterator[tuple[str, str]]:
    """Footnote texts (python-docx has no footnote API); parsed without entities by docx's own parser."""
    with zipfile.ZipFile(path) as archive:
        if "word/footnotes.xml" not in archive.namelist():
            return
        root = parse_xml(archive.read("word/footnotes.xml"))
    for note in root.iter(f"{W}footnote"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator"):
            continue
        text = "".join(t.text or "" for t in note.iter(f"{W}t"))
        if text.strip():
            yield f"脚注{note.get(f'{W}id')}", text


def segments_of_docx(path: Path, deadline: Deadline) -> Iterator[Segment]:
    document = Document(str(path))
    for i, (where, paragraph, cell) in enumerate(paragraphs(document)):
        if i % 500 == 0:
            deadline.check()
        text = paragraph.text
        if text.strip():
            if cell:
                yield Segment(where, text, table=cell[0], row=cell[1], col=cell[2])
            else:
                yield Segment(where, text)
    for where, text in footnotes(path):
        yield Segment(where, text)
    images = len(document.inline_shapes)
    for n in range(1, images + 1):
        yield Segment(f"图片{n}", "", image=True)
