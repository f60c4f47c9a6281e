"""De-identification (去标识化, 第十一条(三)) in the file's own format, one click.

The engine finds the values; each is replaced character by character with the same length (policy.MASK_KEEP),
so every run, cell, style and row stays where it was. Formats: .txt/.md/.csv/.tsv, .html, .docx, .xlsx.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from govmedia import policy
from govmedia.screening.engine import Screener
from govmedia.screening.extract import Segment, Unreadable, check_zip, decode_text

MASKED_RULES = {"id_card", "mobile", "bank_card", "name"}
KIND_LABEL = {"id_card": "身份证号", "mobile": "手机号", "bank_card": "银行卡号", "name": "姓名"}
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
                     "司徒", "夏侯", "轩辕", "端木", "呼延", "南宫", "独孤", "西门", "万俟", "闻人", "澹台")
MASKABLE = re.compile(r"[0-9A-Za-z\u4e00-\u9fa5]")


class MaskError(Exception):
    """Masking refused or impossible; the message is Chinese."""


def mask_value(rule: str, value: str) -> str:
    """Same length; separators kept; policy.MASK_KEEP characters kept at each end."""
    head, tail = policy.MASK_KEEP[rule]
    if rule == "name" and value.startswith(COMPOUND_SURNAMES):
        head = 2
    positions = [i for i, ch in enumerate(value) if MASKABLE.match(ch)]
    keep = set(positions[:head]) | (set(positions[len(positions) - tail:]) if tail else set())
    return "".join(ch if i in keep or i not in positions else policy.MASK_CHAR for i, ch in enumerate(value))


@dataclass
class Slot:
    """One place of text that can be rewritten: its segment and how to write characters back."""

    segment: Segment
    write: Callable[[str], None]


@dataclass
class MaskReport:
    counts: Counter = field(default_factory=Counter)
    left: Counter = field(default_factory=Counter)   # privacy findings not masked automatically (e-mail, address)

    def summary(self) -> str:
        done = "，".join(f"{KIND_LABEL[k]}{n}处" for k, n in self.counts.items()) or "未发现需脱敏的内容"
        left = "，".join(f"{k}{n}处" for k, n in self.left.items())
        return f"已脱敏：{done}" + (f"；请人工核查：{left}" if left else "")


def mask_slots(slots: list[Slot], screener: Screener) -> MaskReport:
    report = MaskReport()
    findings = screener.scan_segments([s.segment for s in slots])
    by_where: dict[str, list] = {}
    for f in findings:
        if f.category == "privacy":
            by_where.setdefault(f.where, []).append(f)
    for slot in slots:
        text = slot.segment.text
        chars = list(text)
        changed = False
        for f in by_where.get(slot.segment.where, []):
            if f.rule not in MASKED_RULES:
                report.left[{"email": "个人邮箱", "address": "住址"}.get(f.rule, f.rule)] += 1
                continue
            masked = mask_value(f.rule, text[f.start:f.end])
            chars[f.start:f.end] = list(masked)
            report.counts[f.rule] += 1
            changed = True
        if changed:
            slot.write("".join(chars))
    return report


def distribute(pieces: list[tuple[Callable[[], str], Callable[[str], None]]], new_text: str) -> None:
    """Write new_text back over pieces whose texts concatenate to the old text (same total length)."""
    pos = 0
    for get, set_ in pieces:
        old = get()
        set_(new_text[pos:pos + len(old)])
        pos += len(old)


# -- formats --------------------------------------------------------------------------------------


def _mask_text(source: Path, target: Path, screener: Screener) -> MaskReport:
    raw = source.read_bytes()
    text = decode_text(raw)
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    lines = text.split("\n")
    slots = []
    for number, line in enumerate(lines, start=1):
        body = line.rstrip("\r")
        cells = body.split("\t")

        if len(cells) > 1:
            for col, cell in enumerate(cells, start=1):
                def set_cell(new, n=number - 1, c=col - 1):
                    parts = lines[n].rstrip("\r").split("\t")
                    parts[c] = new
                    lines[n] = "\t".join(parts) + ("\r" if lines[n].endswith("\r") else "")
                slots.append(Slot(Segment(f"第{number}行第{col}列", cell, table="正文表格", row=number, col=col), set_cell))
        else:
            def set_line(new, n=number - 1):
                lines[n] = new + ("\r" if lines[n].endswith("\r") else "")
            slots.append(Slot(Segment(f"第{number}行", body), set_line))
    report = mask_slots(slots, screener)
    target.write_bytes("\n".join(lines).encode(encoding))
    return report


def _mask_docx(source: Path, target: Path, screener: Screener) -> MaskReport:
    from docx import Document

    from govmedia.screening.formats.docx import W, paragraphs

    check_zip(source)
    document = Document(str(source))
    slots = []
    for where, paragraph, cell in paragraphs(document):
        nodes = list(paragraph._p.iter(f"{W}t"))
        text = "".join(t.text or "" for t in nodes)
        if not text.strip():
            continue
        pieces = [(lambda t=t: t.text or "", lambda v, t=t: setattr(t, "text", v)) for t in nodes]
        segment = Segment(where, text, *(cell or (None, None, None)))
        slots.append(Slot(segment, lambda new, pieces=pieces: distribute(pieces, new)))
    report = mask_slots(slots, screener)
    document.save(str(target))
    return report


def _mask_xlsx(source: Path, target: Path, screener: Screener) -> MaskReport:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from govmedia.screening.formats.xlsx import cell_text

    check_zip(source)
    workbook = load_workbook(str(source))
    slots = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                text = cell_text(cell.value)
                if not text.strip() or cell.data_type == "f":
                    continue
                where = f"{sheet.title}!{get_column_letter(cell.column)}{cell.row}"

                def write(new, cell=cell):
                    cell.value = new  # a number that was an identifier becomes masked text
                    cell.data_type = "s"

                slots.append(Slot(Segment(where, text, table=sheet.title, row=cell.row, col=cell.column), write))
    report = mask_slots(slots, screener)
    workbook.save(str(target))
    return report


def _mask_html(source: Path, target: Path, screener: Screener) -> MaskReport:
    import lxml.html

    from govmedia.screening.formats.html import BLOCKS, SKIP

    raw = source.read_bytes()
    root = lxml.html.document_fromstring(decode_text(raw))
    slots = []
    number = 0
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag.lower() not in BLOCKS:
            continue
        pieces = []

        def collect(el, pieces):
            pieces.append((lambda el=el: el.text or "", lambda v, el=el: setattr(el, "text", v)))
            for child in el:
                if isinstance(child.tag, str) and child.tag.lower() not in BLOCKS and child.tag.lower() not in SKIP:
                    collect(child, pieces)
                pieces.append((lambda c=child: c.tail or "", lambda v, c=child: setattr(c, "tail", v)))

        collect(element, pieces)
        text = "".join(get() for get, _ in pieces)
        if text.strip():
            number += 1
            slots.append(Slot(Segment(f"正文第{number}段", text), lambda new, p=pieces: distribute(p, new)))
    report = mask_slots(slots, screener)
    target.write_bytes(lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>").encode("utf-8"))
    return report


HANDLERS = {".txt": _mask_text, ".md": _mask_text, ".csv": _mask_text, ".tsv": _mask_text,
            ".html": _mask_html, ".htm": _mask_html, ".docx": _mask_docx, ".xlsx": _mask_xlsx}


def mask_file(source: str | Path, target: str | Path, screener: Screener | None = None) -> MaskReport:
    """Write a de-identified copy of source to target (same format). Refuses to overwrite the source."""
    source, target = Path(source), Path(target)
    if not source.exists():
        raise MaskError(f"文件「{source}」不存在")
    if source.resolve() == target.resolve() or (target.exists() and os.path.samefile(source, target)):
        raise MaskError("输出文件不能与输入文件相同，原件须保留")
    suffix = source.suffix.lower()
    if suffix not in HANDLERS:
        raise MaskError(f"不支持对「{suffix or '无扩展名'}」文件脱敏（支持 .txt .html .docx .xlsx）")
    if target.suffix.lower() != suffix:
        raise MaskError(f"输出文件的格式应与输入相同（{suffix}）")
    if source.stat().st_size > policy.SCREEN_MAX_FILE_BYTES:
        raise MaskError("文件过大，无法脱敏")
    temporary = target.with_name(f".{target.stem}.part{target.suffix}")
    try:
        report = HANDLERS[suffix](source, temporary, screener or Screener())
        os.replace(temporary, target)
    except (Unreadable, MaskError):
        raise
    except Exception as exc:  # noqa: BLE001 — a file we cannot rewrite is reported, never half-written
        raise MaskError(f"文件无法读取或已损坏，未生成脱敏文件（{type(exc).__name__}）") from exc
    finally:
        temporary.unlink(missing_ok=True)
    return report
