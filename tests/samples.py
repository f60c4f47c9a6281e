"""Real files for upload tests, built here: a PDF (reportlab), a .docx (python-docx), a PNG (by hand)."""

from __future__ import annotations

import io
import struct
import zlib

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas


def pdf_bytes(text: str = "Confidentiality agreement") -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 760, text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def docx_bytes(text: str = "保密与安全协议") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    """A real grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
