"""The screening engine as the web pages use it: one compiled Screener per process, uploads in a temp folder."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile

from govmedia.screening import Screener
from govmedia.screening.extract import SUPPORTED
from govmedia.screening.findings import FileResult
from govmedia.screening.mask import HANDLERS, MaskReport, mask_file


@lru_cache(maxsize=1)
def screener() -> Screener:
    return Screener()


def safe_suffix(name: str, allowed) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if suffix in allowed else ""


def scan_upload(upload: UploadedFile) -> FileResult:
    suffix = safe_suffix(upload.name, SUPPORTED | {".png", ".jpg", ".jpeg"}) or ".bin"
    with tempfile.TemporaryDirectory(prefix="govmedia-scan-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        result = screener().scan_file(path)
    result.path = upload.name
    return result


def mask_upload(upload: UploadedFile) -> tuple[bytes, MaskReport]:
    suffix = safe_suffix(upload.name, HANDLERS)
    with tempfile.TemporaryDirectory(prefix="govmedia-mask-") as folder:
        source = Path(folder) / f"source{suffix}"
        target = Path(folder) / f"masked{suffix}"
        with source.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        report = mask_file(source, target, screener())
        return target.read_bytes(), report
