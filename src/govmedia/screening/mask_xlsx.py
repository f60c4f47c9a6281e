"""De-identifying a workbook in place: only the XML parts holding a masked value are rewritten, every other part
(pictures, shapes, styles, macros' neighbours) is copied byte for byte.

Where a value lives, and what happens to it:
- a shared string (<c t="s">): rewritten in sharedStrings.xml when every cell using it is masked alike, else the
  masked cells get their own inline string; a shared string no cell shows any more is masked too, and so is one
  no cell uses at all, so the original never stays in the file;
- an inline string, a plain string (t="str") or a number (an ID typed as a number): the cell becomes masked text;
- a formula: a value written in the formula itself is masked there; a cached result holding one is dropped, and
  the workbook recalculates on opening;
- comments (legacy and threaded) and the text of shapes: rewritten where they are;
- the copies Excel keeps of cell values — chart caches, pivot caches, external-link caches: a text copy is masked,
  a number cache holding one is dropped (Excel rebuilds it from the cells), a pivot cache refreshes on opening.
"""

from __future__ import annotations

import zipfile
from collections import Counter, defaultdict
from functools import partial
from pathlib import Path

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter

from govmedia.screening.engine import Screener
from govmedia.screening.extract import Segment
from govmedia.screening.formats.xlsx import (
    COMMENTS,
    DRAWING,
    MAIN,
    THREADED,
    THREADED_COMMENTS,
    comment_pieces,
    parse,
    pieces_text,
    related,
    shape_pieces,
    sheet_parts,
    text_nodes,
)
from govmedia.screening.mask import MaskReport, Slot, distribute, mask_slots

SHARED_STRINGS = "xl/sharedStrings.xml"
CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
PIVOT_DEFINITION = "pivotCacheDefinition"
# Parts holding copies of cell values.
CACHE_FOLDERS = ("xl/charts/", "xl/pivotCache/", "xl/externalLinks/")
# The workbook's children after calcPr, in the schema's order: calcPr goes before the first of them.
AFTER_CALC = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
              "fileRecoveryPr", "webPublishObjects", "extLst")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def number_text(raw: str) -> str:
    """A number as scanning reads it: openpyxl's value (an int when written without . or E, else a float), as
    formats.xlsx.cell_text prints it."""
    if raw.lstrip("-").isdigit():
        return raw
    try:
        value = float(raw)
    except ValueError:
        return raw
    return str(int(value)) if value.is_integer() else str(value)


def _set_inline(cell, text: str) -> None:
    """The cell shows `text` as its own string (before any extLst, as the schema orders a cell's children)."""
    for child in list(cell):
        if child.tag in (f"{MAIN}v", f"{MAIN}is"):
            cell.remove(child)
    for attribute in ("t", "vm", "cm"):   # value metadata described the old value
        cell.attrib.pop(attribute, None)
    cell.set("t", "inlineStr")
    holder = cell.makeelement(f"{MAIN}is", {})
    t = holder.makeelement(f"{MAIN}t", {XML_SPACE: "preserve"})
    t.text = text
    holder.append(t)
    extension = cell.find(f"{MAIN}extLst")
    if extension is not None:
        extension.addprevious(holder)
    else:
        cell.append(holder)


def _cells(sheet_root):
    """(cell element, row, column) in order; a cell or row without its reference follows the previous one."""
    row_number = 0
    for row in sheet_root.iter(f"{MAIN}row"):
        row_number = int(row.get("r") or row_number + 1)
        column = 0
        for cell in row.iter(f"{MAIN}c"):
            ref = cell.get("r")
            if ref:
                letters, row_number = coordinate_from_string(ref)
                column = column_index_from_string(letters)
            else:
                column += 1
            yield cell, row_number, column


class _Workbook:
    """The package being masked: parsed parts on demand, the slots to scan, what changed."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = set(archive.namelist())
        self.roots: dict[str, object] = {}
        self.changed: set[str] = set()
        self.recalculate = False
        self.slots: list[Slot] = []
        shared = self.root(SHARED_STRINGS).findall(f"{MAIN}si") if SHARED_STRINGS in self.names else []
        self.shared_pieces = [text_nodes(si, MAIN) for si in shared]
        self.uses: Counter[int] = Counter()
        self.masked_shared: dict[int, list[tuple[object, str, str]]] = defaultdict(list)  # (cell, new, part)

    def root(self, name: str):
        if name not in self.roots:
            self.roots[name] = parse(self.archive, name)
        return self.roots[name]

    def add(self, segment: Segment, part: str, write) -> None:
        def wrapper(new: str) -> None:
            write(new)
            self.changed.add(part)
        self.slots.append(Slot(segment, wrapper))

    # -- where values live ------------------------------------------------------------------------

    def sheets(self) -> None:
        for title, part in sheet_parts(self.archive):
            for cell, row, column in _cells(self.root(part)):
                self.read_cell(cell, Segment(f"{title}!{get_column_letter(column)}{row}", "", table=title, row=row,
                                        col=column), part)
            for name in related(self.archive, part, COMMENTS):
                for ref, pieces in comment_pieces(self.root(name)):
                    self.add(Segment(f"{title}!{ref}批注", pieces_text(pieces)), name, partial(distribute, pieces))
            for name in related(self.archive, part, THREADED_COMMENTS):
                for note in self.root(name).iter(f"{THREADED}threadedComment"):
                    body = note.find(f"{THREADED}text")
                    if body is not None and (body.text or "").strip():
                        self.add(Segment(f"{title}!{note.get('ref')}批注", body.text), name,
                                 partial(setattr, body, "text"))
            for name in related(self.archive, part, DRAWING):
                for n, pieces in enumerate(shape_pieces(self.root(name)), start=1):
                    self.add(Segment(f"{title}!图形{n}", pieces_text(pieces)), name, partial(distribute, pieces))

    def read_cell(self, cell, place: Segment, part: str) -> None:
        kind = cell.get("t", "n")
        value = cell.find(f"{MAIN}v")
        raw = value.text if value is not None and value.text else ""
        formula = cell.find(f"{MAIN}f")
        if formula is not None:
            if (formula.text or "").strip():   # ="3205…" written into the formula itself
                self.add(_with(place, formula.text, "公式"), part, partial(setattr, formula, "text"))
            if raw.strip():
                self.add(_with(place, number_text(raw) if kind == "n" else raw), part,
                         lambda new, c=cell: self.drop_cached(c))
            return
        if kind == "s" and raw.strip().isdigit() and int(raw) < len(self.shared_pieces):
            index = int(raw)
            self.uses[index] += 1
            self.slots.append(Slot(_with(place, pieces_text(self.shared_pieces[index])),
                                   lambda new, c=cell, i=index: self.masked_shared[i].append((c, new, part))))
        elif kind == "inlineStr" and cell.find(f"{MAIN}is") is not None:
            pieces = text_nodes(cell.find(f"{MAIN}is"), MAIN)
            self.add(_with(place, pieces_text(pieces)), part, partial(distribute, pieces))
        elif kind in ("n", "str") and raw:
            self.add(_with(place, number_text(raw) if kind == "n" else raw), part, partial(_set_inline, cell))

    def unused_shared_strings(self) -> None:
        """A shared string no cell points at is still in the file: it is scanned and masked like any text."""
        for index, pieces in enumerate(self.shared_pieces):
            if not self.uses[index] and pieces_text(pieces).strip():
                self.add(Segment(f"共享字符串{index + 1}", pieces_text(pieces)), SHARED_STRINGS,
                         partial(distribute, pieces))

    def caches(self) -> None:
        for name in sorted(self.names):
            if not (name.startswith(CACHE_FOLDERS) and name.endswith(".xml") and "/_rels/" not in name):
                continue
            root = self.root(name)
            for n, element in enumerate(root.iter(), start=1):
                if not isinstance(element.tag, str):
                    continue
                if element.text and element.text.strip() and not len(element):
                    self.add(Segment(f"{name}#{n}", element.text), name,
                             lambda new, e=element, part=name: self.cached_text(e, new, part))
                if element.get("v"):   # pivot cache items: <s v="…"/>, <n v="…"/>
                    self.add(Segment(f"{name}#{n}v", element.get("v")), name,
                             lambda new, e=element, part=name: self.cached_item(e, new, part))

    # -- writing ------------------------------------------------------------------------------------

    def drop_cached(self, cell) -> None:
        for child in list(cell):
            if child.tag == f"{MAIN}v":
                cell.remove(child)
        cell.attrib.pop("t", None)
        self.recalculate = True

    def cached_text(self, element, new: str, part: str) -> None:
        number_cache = next(element.iterancestors(f"{CHART}numCache"), None)
        if number_cache is not None:   # not a number any more: drop the cache, Excel rebuilds it from the cells
            number_cache.getparent().remove(number_cache)
            return
        element.text = new
        parent = element.getparent()
        if parent is not None and parent.tag.endswith("}cell"):   # an external link's cached cell: now text
            parent.set("t", "str")

    def cached_item(self, element, new: str, part: str) -> None:
        if element.tag.endswith("}n"):
            element.tag = element.tag[:-1] + "s"   # a number item now holds text
        element.set("v", new)
        for name in self.names:   # the pivot cache is rebuilt from the cells when the workbook opens
            if f"/{PIVOT_DEFINITION}" in name and name.endswith(".xml") and "/_rels/" not in name:
                self.root(name).set("refreshOnLoad", "1")
                self.changed.add(name)

    def settle_shared(self) -> None:
        converted = 0
        for index, writes in self.masked_shared.items():
            if len(writes) < self.uses[index] or len({new for _, new, _ in writes}) > 1:
                for cell, new, part in writes:   # others still show the original: these cells get their own text
                    _set_inline(cell, new)
                    self.changed.add(part)
                    converted += 1
            if len(writes) == self.uses[index]:
                distribute(self.shared_pieces[index], writes[0][1])   # no cell shows the original: it leaves
                self.changed.add(SHARED_STRINGS)
        if converted and SHARED_STRINGS in self.names:
            table = self.root(SHARED_STRINGS)
            if (table.get("count") or "").isdigit():
                table.set("count", str(max(0, int(table.get("count")) - converted)))
                self.changed.add(SHARED_STRINGS)

    def mark_recalculation(self) -> None:
        workbook = self.root("xl/workbook.xml")
        calc = workbook.find(f"{MAIN}calcPr")
        if calc is None:
            calc = workbook.makeelement(f"{MAIN}calcPr", {})
            later = next((child for child in workbook if isinstance(child.tag, str)
                          and child.tag.removeprefix(MAIN) in AFTER_CALC), None)
            if later is not None:
                later.addprevious(calc)
            else:
                workbook.append(calc)
        calc.set("fullCalcOnLoad", "1")
        self.changed.add("xl/workbook.xml")

    def write(self, target: Path) -> None:
        from lxml import etree

        with zipfile.ZipFile(target, "w") as out:
            for info in self.archive.infolist():
                if info.filename in self.changed:
                    data = etree.tostring(self.roots[info.filename], xml_declaration=True, encoding="UTF-8",
                                          standalone=True)
                else:
                    data = self.archive.read(info)
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.external_attr, copy.compress_type = info.external_attr, info.compress_type
                out.writestr(copy, data)


def _with(place: Segment, text: str, suffix: str = "") -> Segment:
    return Segment(place.where + suffix, text, table=place.table if not suffix else None,
                   row=place.row if not suffix else None, col=place.col if not suffix else None)


def mask_xlsx(source: Path, target: Path, screener: Screener) -> MaskReport:
    with zipfile.ZipFile(source) as archive:
        book = _Workbook(archive)
        book.sheets()
        book.unused_shared_strings()
        book.caches()
        report = mask_slots([slot for slot in book.slots if slot.segment.text.strip()], screener)
        book.settle_shared()
        if book.recalculate:
            book.mark_recalculation()
        book.write(target)
    return report
