"""The user's cache folder for what `govmedia scan` builds once and reuses: compiled large lexicons (compiled.py)
and the typo word model (typos.py).

The folder must be the user's own and writable by nobody else, otherwise nothing is read from it or written to
it: entries planted by another user would silently change findings. Every entry is written beside its final
name and renamed into place, so a reader never sees half of one; a cache that cannot be written (no home, a full
disk, a folder that cannot be made) only means building again next time.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path | None:
    """GOVMEDIA_CACHE_DIR, else the XDG cache folder (~/.cache/govmedia/lexicons); None without a home."""
    if folder := os.environ.get("GOVMEDIA_CACHE_DIR"):
        return Path(folder)
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:
        return None
    return Path(base) / "govmedia" / "lexicons"


def trusted(folder: Path) -> bool:
    """Ours and writable by no one else."""
    try:
        stat = folder.stat()
    except OSError:
        return False
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


def readable_dir() -> Path | None:
    """The cache folder when it exists and can be trusted."""
    folder = cache_dir()
    return folder if folder is not None and trusted(folder) else None


def store(names_and_writers: list[tuple[str, Callable[[str], object]]], replaces: str | None = None) -> bool:
    """Writes each (file name, writer of a path) in turn, each to a temporary file renamed into place; False when
    the cache cannot be written. replaces: a glob of the entries this one makes obsolete (an earlier compilation
    of the same file, a model of earlier code), deleted once it is in place, so that the folder does not grow
    with every edit. Errors of the writers other than OSError and RuntimeError (marisa's for a full disk) are the
    caller's."""
    folder = cache_dir()
    if folder is None:
        return False
    temporary = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not trusted(folder):
            return False
        for name, write in names_and_writers:
            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".partial")
            os.close(handle)
            write(temporary)
            os.replace(temporary, folder / name)
            temporary = None
    except (OSError, RuntimeError):
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        return False
    written = {name for name, _ in names_and_writers}
    for old in folder.glob(replaces) if replaces else ():
        if old.name not in written:
            with contextlib.suppress(OSError):
                old.unlink()
    return True
