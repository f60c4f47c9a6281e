"""Excel workbooks: every cell of every sheet, as 表名!C2."""

from __future__ import annotations

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
