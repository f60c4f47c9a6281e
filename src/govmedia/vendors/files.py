"""What an uploaded file really is, read from its first bytes (never trusted from its name or its sender).

Used for contract and agreement scans here and for counterfeit-report screenshots. Returns the suffix the file
is stored under; None when the content is none of the accepted kinds.
"""

from __future__ import annotations

import zipfile

IMAGE_KINDS = {".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}
DOCUMENT_KINDS = {".pdf": "application/pdf",
                  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
HEAD_BYTES = 32


def image_kind(head: bytes) -> str | None:
    """The suffix of a PNG, JPEG, GIF or WebP image from its signature, else None (SVG is never an image here)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return ".png"
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return ".gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    return None


def document_kind(upload) -> str | None:
    """The suffix of a PDF, a .docx (a zip holding word/document.xml) or an image scan, else None."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                found = "word/document.xml" in archive.namelist()
        except zipfile.BadZipFile:
            found = False
        finally:
            upload.seek(0)
        return ".docx" if found else None
    return image_kind(head)


def image_kind_of_bytes(data: bytes) -> str | None:
    return image_kind(data[:HEAD_BYTES])
