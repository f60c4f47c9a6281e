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


def _ours(stat: os.stat_result) -> bool:
    """The user's own and writable by no one else."""
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


def trusted(folder: Path) -> bool:
    try:
        return _ours(folder.stat())
    except OSError:
        return False


def read_own(path: Path) -> bytes | None:
    """The file's bytes if it is the user's own and writable by no one else (checked on the open file), else None."""
    try:
        with path.open("rb") as f:
            return f.read() if _ours(os.fstat(f.fileno())) else None
    except OSError:
        return None


def readable_dir() -> Path | None:
    """The cache folder when it exists and can be trusted."""
    folder = cache_dir()
    return folder if folder is not None and trusted(folder) else None


def store(names_and_writers: list[tuple[str, Callable[[str], object]]], replaces: str | None = None) -> bool:
    """Writes each (file name, writer of a path) in turn, each to a temporary file renamed into place; False when
    the cache cannot be written. replaces: a glob of the entries this one makes obsolete (an earlier compilation
    of the same file, a model of earlier code), deleted once it is in place but for the newest of them, so that
    the folder does not grow with every edit. Errors of the writers other than OSError and RuntimeError
    (marisa's for a full disk) are the caller's."""
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
    if replaces:
        _prune(folder, replaces, {name for name, _ in names_and_writers})
    return True


def _prune(folder: Path, pattern: str, written: set[str]) -> None:
    """Deletes the entries matching pattern but the one just written and the newest other one: two installations
    sharing the folder (with different code, so different keys) keep one each instead of deleting each other's."""
    entries: dict[str, list[Path]] = {}
    for path in folder.glob(pattern):
        if path.name not in written:
            entries.setdefault(path.name.split(".")[0], []).append(path)

    def newest(paths: list[Path]) -> float:
        with contextlib.suppress(OSError):
            return max(p.stat().st_mtime for p in paths)
        return 0.0

    for stem in sorted(entries, key=lambda stem: newest(entries[stem]), reverse=True)[1:]:
        for path in entries[stem]:
            with contextlib.suppress(OSError):
                path.unlink()
