"""Real identifiers and real files for the screening tests, built the way their makers build them."""

from __future__ import annotations

import zipfile
from pathlib import Path

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(area: str = "320509", birth: str = "19850412", sequence: str = "021") -> str:
    """An 18-digit citizen ID with its GB 11643 check digit, computed here independently of the engine."""
    body = area + birth + sequence
    total = sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def wrong_check_digit(number: str) -> str:
    last = number[-1]
    return number[:-1] + ("0" if last != "0" else "1")


def luhn_complete(prefix: str, length: int) -> str:
    """prefix padded with zeros to length-1 digits, then the Luhn check digit."""
    body = prefix + "0" * (length - 1 - len(prefix))
    for check in "0123456789":
        candidate = body + check
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            n = int(ch)
            if i % 2:
                n = n * 2 - 9 if n > 4 else n * 2
            total += n
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def luhn_valid(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


# -- files ------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W_NS}">
  <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
  <w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {{text}}</w:t></w:r></w:p></w:footnote>
</w:footnotes>
"""


def add_footnote(path: Path, text: str) -> None:
    """python-docx cannot write footnotes: add word/footnotes.xml, its relationship, content type and a reference
    at the end of the first body paragraph, as Word does."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/footnotes.xml"] = FOOTNOTES_XML.replace("{text}", text).encode("utf-8")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/word/footnotes.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdFootnotes1" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" '
        b'Target="footnotes.xml"/></Relationships>')
    document = parts["word/document.xml"].decode("utf-8")
    first_p_end = document.index("</w:p>")
    document = (document[:first_p_end] + '<w:r><w:footnoteReference w:id="1"/></w:r>' + document[first_p_end:])
    parts["word/document.xml"] = document.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def register_cjk_font() -> str:
    """reportlab's built-in CID font draws Chinese without a font file; pdfminer reads it back."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def write_pdf(path: Path, pages: list[list[str]]) -> Path:
    """One string per line, top to bottom, one list per page."""
    from reportlab.pdfgen import canvas

    font = register_cjk_font()
    pdf = canvas.Canvas(str(path))
    for lines in pages:
        pdf.setFont(font, 12)
        for i, line in enumerate(lines):
            pdf.drawString(72, 760 - 24 * i, line)
        pdf.showPage()
    pdf.save()
    return path


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    """A real (grey) PNG, written by hand: no imaging library needed."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def to_shared_strings(path: Path) -> Path:
    """Rewrite a workbook saved by openpyxl (which writes every text as an inline string) the way Excel saves it:
    texts in xl/sharedStrings.xml, one entry per distinct text, cells pointing at them."""
    import re

    inline = re.compile(r'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="inlineStr"><is><t>(.*?)</t></is></c>', re.S)
    table: dict[str, int] = {}

    def shared(match) -> str:
        index = table.setdefault(match.group(3), len(table))
        return f'<c r="{match.group(1)}"{match.group(2)} t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(path) as old:
        parts = [(info, old.read(info)) for info in old.infolist()]
    rewritten = []
    for info, data in parts:
        if info.filename.startswith("xl/worksheets/sheet"):
            data = inline.sub(shared, data.decode("utf-8")).encode("utf-8")
        rewritten.append((info, data))
    strings = "".join(f"<si><t>{text}</t></si>" for text in table)  # texts are already escaped in the sheets
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           f'count="{len(table)}" uniqueCount="{len(table)}">{strings}</sst>').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in rewritten:
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdShared" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/></Relationships>')
            new.writestr(info, data)
        new.writestr("xl/sharedStrings.xml", sst)
    return path
