"""Turning files into places of text (segments), within size, entry-count and time limits.

Each segment has a ``where`` a person can find (正文第3段, 表格1第2行第3列, 公示名单!C2, 页眉, 第2页) and,
for table cells, the table, row and column so rules can read a row (a 姓名 column beside an ID number).
Anything that cannot be read raises ``Unreadable`` with a Chinese reason: it is never reported as clean.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from govmedia import policy

TEXT_SUFFIXES = {".txt", ".md", ".csv", ".tsv"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".xlsx", ".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff"}


class Unreadable(Exception):
    """The file cannot be screened; the message (Chinese) says why. It needs a human look."""


# A piece of a place's text and how to write it back (a Word run's w:t, a shared string's t, a shape's a:t):
# scanning joins the pieces, masking writes the same-length result back over them (mask.distribute).
Piece = tuple[Callable[[], str], Callable[[str], None]]


def text_piece(element) -> Piece:
    """The text of an XML element, as a piece."""
    return (lambda: element.text or ""), (lambda value: setattr(element, "text", value))


def pieces_text(pieces: list[Piece]) -> str:
    return "".join(get() for get, _ in pieces)


class Segment(NamedTuple):
    """A place of a file and its text (a named tuple: a 20 MB text has 70,000 lines, and a frozen dataclass takes
    four times as long to make)."""

    where: str
    text: str
    table: str | None = None
    row: int | None = None
    col: int | None = None
    image: bool = False        # an embedded picture: reported for a human look


class Deadline:
    def __init__(self, seconds: float | None = None):
        # Read the policy at call time, so a changed limit applies without re-importing this module.
        self.seconds = policy.SCREEN_SECONDS_PER_FILE if seconds is None else seconds
        self.until = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.until:
            raise Unreadable(f"处理超时（超过{self.seconds:g}秒），需人工审核")


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable("文本编码无法识别（应为UTF-8或GB18030）")


def segments_of_text(text: str, deadline: Deadline | None = None) -> Iterator[Segment]:
    """Plain text: one segment a line; a line with tabs is a table row, one segment a cell."""
    for number, line in enumerate(text.splitlines(), start=1):
        if deadline and number % 5000 == 0:
            deadline.check()
        if "\t" in line:
            for col, cell in enumerate(line.split("\t"), start=1):
                if cell.strip():
                    yield Segment(f"第{number}行第{col}列", cell, table="正文表格", row=number, col=col)
        elif line.strip():
            yield Segment(f"第{number}行", line)


def check_zip(path: Path) -> None:
    """Refuse zip bombs before anything is extracted: entry count, total and per-entry inflation."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise Unreadable("文件已损坏或不是有效的Office文档，无法读取") from exc
    if len(infos) > policy.SCREEN_MAX_ZIP_ENTRIES:
        raise Unreadable(f"文件内部条目过多（{len(infos)}个），疑似恶意文件")
    total = sum(info.file_size for info in infos)
    if total > policy.SCREEN_MAX_UNCOMPRESSED_BYTES:
        raise Unreadable(f"文件解压后过大（{total // (1024 * 1024)}MB），疑似压缩炸弹")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > policy.SCREEN_MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise Unreadable("文件压缩比异常，疑似压缩炸弹")
    with zipfile.ZipFile(path) as archive:
        for info in infos:
            if _declares_dtd(archive, info):
                raise Unreadable(f"文件内部的「{info.filename}」含有文档类型（DTD）或实体声明，Office文档不会这样写，疑似恶意构造")


# How an XML part can begin: a byte-order mark, or "<" in UTF-8, UTF-16 or UTF-32 without one.
_XML_STARTS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"<", b"\x00<", b"\x00\x00\x00<")
PROLOG_LIMIT = 64 * 1024  # Office writes a one-line prolog; a longer one is padding meant to hide something


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an XML part declares a DTD or entities before its root element, as libxml2 itself reads it
    (any encoding, comments and processing instructions included) — only up to the root's start tag. The
    parsers never expand entities; refusing such a file outright also refuses whatever it was built to try."""
    from lxml import etree

    try:
        with archive.open(info) as f:
            chunk = f.read(4096)
            if not (info.filename.lower().endswith((".xml", ".rels", ".vml")) or chunk.startswith(_XML_STARTS)):
                return False  # a picture, a printer setting: not XML
            parser = etree.XMLPullParser(events=("start",), resolve_entities=False, load_dtd=False,
                                         no_network=True)
            read = 0
            while chunk and read < PROLOG_LIMIT:
                read += len(chunk)
                parser.feed(chunk)
                for _, element in parser.read_events():
                    docinfo = element.getroottree().docinfo
                    return bool(docinfo.doctype) or docinfo.internalDTD is not None
                chunk = f.read(4096)
    except etree.XMLSyntaxError as exc:
        raise Unreadable(f"文件内部的「{info.filename}」不是有效的XML，无法读取") from exc
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:  # encrypted, corrupt, bad method
        raise Unreadable(f"文件内部的「{info.filename}」无法读取") from exc
    return read >= PROLOG_LIMIT  # no root element within the limit: padding


def segments_of_file(path: Path, deadline: Deadline | None = None) -> list[Segment]:
    deadline = deadline or Deadline()
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise Unreadable("文件不存在或无法打开") from exc
    if size > policy.SCREEN_MAX_FILE_BYTES:
        raise Unreadable(f"文件过大（{size // (1024 * 1024)}MB，上限{policy.SCREEN_MAX_FILE_BYTES // (1024 * 1024)}MB）")
    if suffix in IMAGE_SUFFIXES:
        return [Segment("图片", "", image=True)]
    if suffix not in SUPPORTED:
        raise Unreadable(f"不支持的文件类型「{suffix or '无扩展名'}」，需人工审核")
    try:
        if suffix in TEXT_SUFFIXES:
            return list(segments_of_text(decode_text(path.read_bytes()), deadline))
        if suffix in HTML_SUFFIXES:
            from govmedia.screening.formats.html import segments_of_html

            return list(segments_of_html(decode_text(path.read_bytes()), deadline))
        if suffix == ".pdf":
            from govmedia.screening.formats.pdf import segments_of_pdf

            return list(segments_of_pdf(path, deadline))
        check_zip(path)
        if suffix == ".docx":
            from govmedia.screening.formats.docx import segments_of_docx

            return list(segments_of_docx(path, deadline))
        from govmedia.screening.formats.xlsx import segments_of_xlsx

        return list(segments_of_xlsx(path, deadline))
    except Unreadable:
        raise
    except MemoryError as exc:
        raise Unreadable("文件过大，无法处理") from exc
    except Exception as exc:  # noqa: BLE001 — any parser failure means "needs manual review", never clean
        raise Unreadable(f"文件已损坏或格式不正确，无法读取（{type(exc).__name__}）") from exc
