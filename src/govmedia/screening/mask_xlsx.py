"""De-identifying a workbook in place: only the XML parts holding a masked value are rewritten, every other part
(charts, images, shapes, pivot tables, macros' neighbours, styles) is copied byte for byte.

Where a value lives:
- a shared string (<c t="s">): rewritten in sharedStrings.xml when every cell using it is masked alike, else the
  masked cells get their own inline string — and a shared string no cell shows any more is masked too, so the
  original never stays in the file;
- an inline string or a number (an ID typed as a number): the cell becomes an inline string;
- a formula's cached result: dropped, and the workbook is marked to recalculate on opening;
- comments (legacy and threaded) and the text of shapes: rewritten where they are.
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
    for child in list(cell):
        if child.tag in (f"{MAIN}v", f"{MAIN}is"):
            cell.remove(child)
    cell.set("t", "inlineStr")
    holder = cell.makeelement(f"{MAIN}is", {})
    t = holder.makeelement(f"{MAIN}t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
    t.text = text
    holder.append(t)
    cell.append(holder)


def _record(writes: list, cell, part: str, new: str) -> None:
    writes.append((cell, new, part))   # settled once every cell has been decided (_settle_shared)


def _drop_cached(cell, changed: set) -> None:
    for child in list(cell):
        if child.tag == f"{MAIN}v":
            cell.remove(child)
    cell.attrib.pop("t", None)
    changed.add("recalculate")


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


def mask_xlsx(source: Path, target: Path, screener: Screener) -> MaskReport:
    with zipfile.ZipFile(source) as archive:
        roots: dict[str, object] = {}

        def root_of(name: str):
            if name not in roots:
                roots[name] = parse(archive, name)
            return roots[name]

        names = set(archive.namelist())
        shared = root_of(SHARED_STRINGS).findall(f"{MAIN}si") if SHARED_STRINGS in names else []
        shared_pieces = [text_nodes(si, MAIN) for si in shared]
        uses: Counter[int] = Counter()
        masked_shared: dict[int, list[tuple[object, str, str]]] = defaultdict(list)   # (cell, new text, part)
        changed: set[str] = set()
        slots: list[Slot] = []

        def written(part: str, write):
            def wrapper(new: str) -> None:
                write(new)
                changed.add(part)
            return wrapper

        for title, part in sheet_parts(archive):
            sheet = root_of(part)
            for cell, row, column in _cells(sheet):
                where = f"{title}!{get_column_letter(column)}{row}"
                kind = cell.get("t", "n")
                value = cell.find(f"{MAIN}v")
                if cell.find(f"{MAIN}f") is not None:   # a formula: only its cached result can hold a value
                    if value is not None and (value.text or "").strip():
                        slots.append(Slot(Segment(where, value.text, table=title, row=row, col=column),
                                          written(part, lambda new, c=cell: _drop_cached(c, changed))))
                    continue
                if kind == "s" and value is not None and (value.text or "").strip().isdigit():
                    index = int(value.text)
                    if index >= len(shared_pieces):
                        continue
                    uses[index] += 1
                    text = pieces_text(shared_pieces[index])
                    write = partial(_record, masked_shared[index], cell, part)
                elif kind == "inlineStr" and cell.find(f"{MAIN}is") is not None:
                    pieces = text_nodes(cell.find(f"{MAIN}is"), MAIN)
                    text = pieces_text(pieces)
                    write = written(part, partial(distribute, pieces))
                elif kind == "n" and value is not None and value.text:
                    text = number_text(value.text)
                    write = written(part, partial(_set_inline, cell))
                else:
                    continue   # booleans, errors, dates written as text
                if text.strip():
                    slots.append(Slot(Segment(where, text, table=title, row=row, col=column), write))
            for part_name in related(archive, part, COMMENTS):
                for ref, pieces in comment_pieces(root_of(part_name)):
                    slots.append(Slot(Segment(f"{title}!{ref}批注", pieces_text(pieces)),
                                      written(part_name, lambda new, p=pieces: distribute(p, new))))
            for part_name in related(archive, part, THREADED_COMMENTS):
                for note in root_of(part_name).iter(f"{THREADED}threadedComment"):
                    body = note.find(f"{THREADED}text")
                    if body is not None and (body.text or "").strip():
                        slots.append(Slot(Segment(f"{title}!{note.get('ref')}批注", body.text),
                                          written(part_name, lambda new, b=body: setattr(b, "text", new))))
            for part_name in related(archive, part, DRAWING):
                for n, pieces in enumerate(shape_pieces(root_of(part_name)), start=1):
                    slots.append(Slot(Segment(f"{title}!图形{n}", pieces_text(pieces)),
                                      written(part_name, lambda new, p=pieces: distribute(p, new))))

        report = mask_slots(slots, screener)
        _settle_shared(masked_shared, uses, shared_pieces, changed)
        if "recalculate" in changed:
            _recalculate_on_open(root_of("xl/workbook.xml"))
            changed.add("xl/workbook.xml")
        _write(archive, target, {name: roots[name] for name in changed if name in roots})
    return report


def _settle_shared(masked_shared, uses, shared_pieces, changed: set) -> None:
    for index, writes in masked_shared.items():
        if len(writes) < uses[index] or len({new for _, new, _ in writes}) > 1:
            for cell, new, part in writes:   # others still show the original: these cells get their own text
                _set_inline(cell, new)
                changed.add(part)
        if len(writes) == uses[index]:
            distribute(shared_pieces[index], writes[0][1])   # no cell shows the original: it leaves the file
            changed.add(SHARED_STRINGS)


def _recalculate_on_open(workbook) -> None:
    calc = workbook.find(f"{MAIN}calcPr")
    if calc is None:
        calc = workbook.makeelement(f"{MAIN}calcPr", {})
        workbook.append(calc)  # calcPr comes late in the workbook; Excel accepts it last before extLst
        extension = workbook.find(f"{MAIN}extLst")
        if extension is not None:
            extension.addprevious(calc)
    calc.set("fullCalcOnLoad", "1")


def _write(archive: zipfile.ZipFile, target: Path, rewritten: dict) -> None:
    from lxml import etree

    with zipfile.ZipFile(target, "w") as out:
        for info in archive.infolist():
            if info.filename in rewritten:
                data = etree.tostring(rewritten[info.filename], xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            else:
                data = archive.read(info)
            out.writestr(info, data, compress_type=info.compress_type)
