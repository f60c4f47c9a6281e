"""Excel workbooks: every cell of every sheet, as 表名!C2, and every cell's comment, as 表名!C2批注."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from govmedia.screening.extract import Deadline, Segment


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
    for sheet, ref, text in comments(path):
        yield Segment(f"{sheet}!{ref}批注", text)


MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _xml(archive: zipfile.ZipFile, name: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(archive.read(name), parser)


def _targets(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, target part name)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.namelist():
        return {}
    out = {}
    for rel in _xml(archive, rels).iter(f"{REL}Relationship"):
        target = rel.get("Target") or ""
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id")] = (rel.get("Type") or "", target)
    return out


def comments(path: Path) -> Iterator[tuple[str, str, str]]:
    """(sheet title, cell, text) of every comment (批注); read from the package, as openpyxl's read-only mode
    does not load them. Parsed without entities, like the rest of the workbook."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            return
        sheets = _targets(archive, "xl/workbook.xml")
        for sheet in _xml(archive, "xl/workbook.xml").iter(f"{MAIN}sheet"):
            _, sheet_part = sheets.get(sheet.get(f"{OFFICE_REL}id"), ("", ""))
            if sheet_part not in names:
                continue
            for kind, target in _targets(archive, sheet_part).values():
                if not kind.endswith("/comments") or target not in names:
                    continue
                for comment in _xml(archive, target).iter(f"{MAIN}comment"):
                    body = comment.find(f"{MAIN}text")
                    text = "".join(t.text or "" for t in body.iter(f"{MAIN}t")) if body is not None else ""
                    if text.strip():
                        yield sheet.get("name") or "", comment.get("ref") or "", text
