"""Word documents: body paragraphs, tables (nested too), text boxes, headers, footers and footnotes.

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

from govmedia.screening.extract import Deadline, Piece, Segment, pieces_text, text_piece

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
FIXED_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
# Not this paragraph's own visible text: text boxes (their own paragraphs), deleted text, duplicate fallbacks,
# and properties (a w:tabs/w:tab there is a tab stop, not a tab).
SKIP_TAGS = {f"{W}txbxContent", f"{W}del", f"{W}moveFrom", f"{MC}Fallback", f"{W}pPr", f"{W}rPr"}

def text_pieces(element) -> list[Piece]:
    """The visible characters of a paragraph (or footnote) in order, each with a writer.

    Runs inside hyperlinks, tracked insertions and content controls count too (python-docx's paragraph.text
    skips them). Tabs and breaks read as \\t and \\n and are never rewritten; scanning and masking share this,
    so both see the same text at the same offsets.
    """
    pieces: list[Piece] = []

    def walk(el) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIP_TAGS:
                continue
            if tag == f"{W}t":
                pieces.append(text_piece(child))
            elif tag in FIXED_TEXT or tag == f"{W}br":
                fixed = FIXED_TEXT.get(tag) or ("\n" if child.get(f"{W}type") in (None, "textWrapping") else "")
                pieces.append((lambda f=fixed: f, lambda v: None))
            elif tag == f"{W}p" and pieces:
                pieces.append((lambda: "\n", lambda v: None))  # paragraphs of one footnote
                walk(child)
            else:
                walk(child)

    walk(element)
    return pieces


def _blocks(container) -> Iterator:
    """Body-level paragraphs and tables, including those inside block content controls (cover pages, TOCs)."""
    for child in container.iterchildren():
        if child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content)
        elif child.tag in (f"{W}p", f"{W}tbl"):
            yield child


def _table_paragraphs(table: Table, label: str) -> Iterator[tuple[str, Paragraph, tuple]]:
    for r, row in enumerate(table.rows, start=1):
        seen = set()
        for c, cell in enumerate(row.cells, start=1):
            if id(cell._tc) in seen:  # a merged cell repeats across the columns it spans
                continue
            seen.add(id(cell._tc))
            inner_tables = 0
            for block in _blocks(cell._tc):
                if block.tag == f"{W}p":
                    yield f"{label}第{r}行第{c}列", Paragraph(block, cell), (label, r, c)
                else:
                    inner_tables += 1
                    yield from _table_paragraphs(Table(block, cell), f"{label}第{r}行第{c}列内嵌表格{inner_tables}")


def _part_paragraphs(blocks, parent, label: str, tables_label: str):
    number = tables = 0
    for block in blocks:
        if block.tag == f"{W}p":
            paragraph = Paragraph(block, parent)
            if pieces_text(text_pieces(block)).strip():
                number += 1  # a person counts the paragraphs they can see, not empty lines
                yield f"{label}第{number}段", paragraph, None
        else:
            tables += 1
            yield from _table_paragraphs(Table(block, parent), f"{tables_label}{tables}")


def _text_box_paragraphs(root, parent, label: str, copies: bool):
    """Paragraphs of the text boxes anchored in root (文本框1第1段): a drawing's box (wps) or an old VML one. The
    VML copy Word keeps as mc:Fallback beside a drawing holds the same text: read only with `copies` (masking
    must rewrite it too, or the masked file still holds the value)."""
    boxes = fallbacks = 0
    for box in root.iter(f"{W}txbxContent"):
        if next(box.iterancestors(f"{MC}Fallback"), None) is not None:
            if not copies:
                continue
            fallbacks += 1
            name = f"{label}文本框副本{fallbacks}"
        else:
            boxes += 1
            name = f"{label}文本框{boxes}"
        yield from _part_paragraphs(_blocks(box), parent, name, f"{name}表格")


def paragraphs(document, copies: bool = False) -> Iterator[tuple[str, Paragraph, tuple | None]]:
    """(where, paragraph, (table, row, col) or None) for every paragraph a reader sees; with `copies`, also the
    fallback copies of text boxes that no reader sees twice."""
    yield from _part_paragraphs(_blocks(document.element.body), document, "正文", "表格")
    yield from _text_box_paragraphs(document.element.body, document, "", copies)
    for s, section in enumerate(document.sections, start=1):
        suffix = f"（第{s}节）" if len(document.sections) > 1 else ""
        for kind, part in (("页眉", section.header), ("页脚", section.footer),
                           ("首页页眉", section.first_page_header), ("首页页脚", section.first_page_footer),
                           ("偶数页页眉", section.even_page_header), ("偶数页页脚", section.even_page_footer)):
            # No definition of its own: linked to the previous section (already read), or none at all.
            # Asking python-docx for its paragraphs would add an empty header to the document.
            if part.is_linked_to_previous:
                continue
            yield from _part_paragraphs(_blocks(part._element), part, f"{kind}{suffix}", f"{kind}{suffix}表格")
            yield from _text_box_paragraphs(part._element, part, f"{kind}{suffix}", copies)


def footnote_elements(root) -> Iterator[tuple[str, object]]:
    for note in root.iter(f"{W}footnote"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        yield f"脚注{note.get(f'{W}id')}", note


def footnotes(path: Path) -> Iterator[tuple[str, str]]:
    """Footnote texts (python-docx has no footnote API); parsed without entities by docx's own parser."""
    with zipfile.ZipFile(path) as archive:
        if "word/footnotes.xml" not in archive.namelist():
            return
        root = parse_xml(archive.read("word/footnotes.xml"))
    for where, note in footnote_elements(root):
        text = pieces_text(text_pieces(note))
        if text.strip():
            yield where, text


def segments_of_docx(path: Path, deadline: Deadline) -> Iterator[Segment]:
    document = Document(str(path))
    for i, (where, paragraph, cell) in enumerate(paragraphs(document)):
        if i % 500 == 0:
            deadline.check()
        text = pieces_text(text_pieces(paragraph._p))
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
