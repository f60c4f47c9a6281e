"""Word lists: the shipped defaults under data/, and the files a user names with --lexicon / --whitelist."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from govmedia.screening.findings import BLOCK, INFO, WARN

SEVERITIES = {BLOCK: BLOCK, WARN: WARN, INFO: INFO, "阻断": BLOCK, "警告": WARN, "提示": INFO}


class LexiconError(ValueError):
    """A lexicon line that cannot be read; the message names the file and line (Chinese)."""


@dataclass(frozen=True, slots=True)  # slots: a lexicon may hold millions
class Entry:
    term: str
    category: str
    severity: str


def parse_lines(lines, *, source: str, default_category: str = "违禁词", default_severity: str = BLOCK) -> list[Entry]:
    """One term per line, '#' comments, optional tab-separated category and severity."""
    entries = []
    shared: dict[str, str] = {}  # one string object per category, however many terms share it
    for number, raw in enumerate(lines, start=1):
        line = (raw.split("#", 1)[0] if "#" in raw else raw).rstrip("\r\n")
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("\t")]
        term = parts[0]
        category = parts[1] if len(parts) > 1 and parts[1] else default_category
        severity = parts[2] if len(parts) > 2 and parts[2] else default_severity
        if severity not in SEVERITIES:
            raise LexiconError(f"{source} 第{number}行：级别「{severity}」无效，应为 block、warn 或 info")
        entries.append(Entry(term, shared.setdefault(category, category), SEVERITIES[severity]))
    return entries


def read_file(path: str | Path, **kwargs) -> list[Entry]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LexiconError(f"词表文件「{path}」无法读取") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise LexiconError(f"词表文件「{path}」编码无法识别（应为UTF-8）") from exc
    return parse_lines(text.splitlines(), source=str(path), **kwargs)


@cache
def shipped(name: str) -> tuple[str, ...]:
    """A shipped list under data/: its non-comment lines, tabs kept."""
    text = resources.files("govmedia.screening").joinpath("data", name).read_text("utf-8")
    return tuple(line for line in (raw.split("#", 1)[0].rstrip() for raw in text.splitlines()) if line.strip())
