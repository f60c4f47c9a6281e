"""Excel workbooks: every cell of every sheet, as 表名!C2, and every cell's comment, as 表名!C2批注."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from govmedia.screening.extract import Deadline, Piece, Segment, pieces_text, text_piece


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def segments_of_xlsx(path: Path, deadline: Deadline) -> Iterator[Segment]:
    workbook = load_workbook(str(path), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # a wrong stated size must not hide rows
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if r % 1000 == 0:
                    deadline.check()
                for c, value in enumerate(row, start=1):
                    text = cell_text(value)
                    if text.strip():
                        yield Segment(f"{sheet.title}!{get_column_letter(c)}{r}", text, table=sheet.title, row=r, col=c)
    finally:
        workbook.close()
    with zipfile.ZipFile(path) as archive:
        for sheet, part in sheet_parts(archive):
            for comments in related(archive, part, COMMENTS):
                for ref, pieces in comment_pieces(parse(archive, comments)):
                    yield Segment(f"{sheet}!{ref}批注", pieces_text(pieces))
            for drawing in related(archive, part, DRAWING):
                for n, pieces in enumerate(shape_pieces(parse(archive, drawing)), start=1):
                    yield Segment(f"{sheet}!图形{n}", pieces_text(pieces))


# -- the package, read directly: what openpyxl's read-only mode does not load, and what masking rewrites in place

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
DRAWING_MAIN = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
SHEET_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
THREADED = "{http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments}"
COMMENTS, THREADED_COMMENTS, DRAWING = "/comments", "/threadedComment", "/drawing"

def parse(archive: zipfile.ZipFile, name: str):
    """An XML part, without entities or network (check_zip has refused any DTD already)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)
    return etree.fromstring(archive.read(name), parser)


def _targets(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, target part name)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.namelist():
        return {}
    out = {}
    for rel in parse(archive, rels).iter(f"{REL}Relationship"):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External":
            continue
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id")] = (rel.get("Type") or "", target)
    return out


def sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, part name) of every worksheet, in the workbook's order."""
    if "xl/workbook.xml" not in archive.namelist():
        return []
    targets = _targets(archive, "xl/workbook.xml")
    names = set(archive.namelist())
    out = []
    for sheet in parse(archive, "xl/workbook.xml").iter(f"{MAIN}sheet"):
        _, part = targets.get(sheet.get(f"{OFFICE_REL}id"), ("", ""))
        if part in names:
            out.append((sheet.get("name") or "", part))
    return out


def related(archive: zipfile.ZipFile, part: str, kind: str) -> list[str]:
    """Part names that `part` relates to with a relationship type ending in `kind`."""
    names = set(archive.namelist())
    return [target for rel_type, target in _targets(archive, part).values()
            if rel_type.endswith(kind) and target in names]


def text_nodes(parent, ns: str) -> list[Piece]:
    """The <t> texts of a string item (<si>, <is>, a comment's <text>) in order: its own and its runs', not the
    phonetic guides (<rPh>) no one sees."""
    nodes = []
    for child in parent:
        if child.tag == f"{ns}t":
            nodes.append(child)
        elif child.tag == f"{ns}r":
            nodes.extend(child.iter(f"{ns}t"))
    return [text_piece(t) for t in nodes]


def comment_pieces(root) -> list[tuple[str, list[Piece]]]:
    """(cell, pieces) of every comment of a comments part that holds text."""
    out = []
    for comment in root.iter(f"{MAIN}comment"):
        body = comment.find(f"{MAIN}text")
        pieces = text_nodes(body, MAIN) if body is not None else []
        if pieces_text(pieces).strip():
            out.append((comment.get("ref") or "", pieces))
    return out


def shape_pieces(root) -> list[list[Piece]]:
    """The text of every shape (text box, callout) of a drawing part, paragraphs joined by line breaks."""
    out = []
    for shape in root.iter(f"{SHEET_DRAWING}sp"):
        pieces: list[Piece] = []
        for number, paragraph in enumerate(shape.iter(f"{DRAWING_MAIN}p")):
            if number:
                pieces.append((lambda: "\n", lambda v: None))
            pieces.extend(text_piece(t) for t in paragraph.iter(f"{DRAWING_MAIN}t"))
        if pieces_text(pieces).strip():
            out.append(pieces)
    return out
