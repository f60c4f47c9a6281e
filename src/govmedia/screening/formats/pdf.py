"""PDF text layers, page by page. A PDF without text (a scan) needs a human look."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from govmedia.screening.extract import Deadline, Segment, Unreadable


def segments_of_pdf(path: Path, deadline: Deadline) -> Iterator[Segment]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTFigure, LTImage, LTTextContainer

    found = False
    segments = []
    for number, page in enumerate(extract_pages(str(path)), start=1):
        deadline.check()
        lines = []
        pictures = 0
        for element in page:
            if isinstance(element, LTTextContainer):
                lines.extend(line for line in element.get_text().splitlines() if line.strip())
            elif isinstance(element, LTFigure | LTImage):
                pictures += 1
        for i, line in enumerate(lines, start=1):
            found = True
            segments.append(Segment(f"第{number}页第{i}行", line))
        # Pictures, and a page with pictures but no text (a scanned page among typed ones), need a human look.
        for k in range(1, pictures + 1):
            segments.append(Segment(f"第{number}页图片{k}", "", image=True))
    if not found:
        raise Unreadable("PDF没有文字层（可能是扫描件），无法自动检查，需人工审核")
    yield from segments
