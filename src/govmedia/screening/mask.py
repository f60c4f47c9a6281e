"""De-identification (去标识化, 第十一条(三)) in the file's own format, one click.

The engine finds the values; each is replaced character by character with the same length (policy.MASK_KEEP),
so every run, cell, style and row stays where it was. Formats: .txt/.md/.csv/.tsv, .html, .docx, .xlsx.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from govmedia import policy
from govmedia.screening.engine import Screener
from govmedia.screening.extract import Piece, Segment, Unreadable, check_zip, decode_text

MASKED_RULES = {"id_card", "mobile", "bank_card", "name"}
KIND_LABEL = {"id_card": "身份证号", "mobile": "手机号", "bank_card": "银行卡号", "name": "姓名"}
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
                     "司徒", "夏侯", "轩辕", "端木", "呼延", "南宫", "独孤", "西门", "万俟", "闻人", "澹台")


class MaskError(Exception):
    """Masking refused or impossible; the message is Chinese."""


def mask_value(rule: str, value: str) -> str:
    """Same length; separators kept; policy.MASK_KEEP characters kept at each end."""
    head, tail = policy.MASK_KEEP[rule]
    if rule == "name" and value.startswith(COMPOUND_SURNAMES):
        head = 2
    # Letters and digits of any width (１８６…, Ｘ) are masked; separators (space, -, +) stay where they were.
    positions = [i for i, ch in enumerate(value) if ch.isalnum()]
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
    # Several slots can share a place name (two paragraphs in one table cell): scan each under its own key so a
    # finding's offsets are applied to the text they were found in, and counted once.
    keyed = [slot.segment._replace(where=f"{slot.segment.where}\x00{k}") for k, slot in enumerate(slots)]
    findings = screener.scan_segments(keyed)
    by_key: dict[str, list] = {}
    for f in findings:
        if f.category == "privacy":
            by_key.setdefault(f.where, []).append(f)
    for slot, segment in zip(slots, keyed, strict=True):
        text = slot.segment.text
        chars = list(text)
        changed = False
        for f in by_key.get(segment.where, []):
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


def distribute(pieces: list[Piece], new_text: str) -> None:
    """Write new_text back over pieces whose texts concatenate to the old text (same total length)."""
    pos = 0
    for get, set_ in pieces:
        old = get()
        set_(new_text[pos:pos + len(old)])
        pos += len(old)


# -- formats --------------------------------------------------------------------------------------


def mask_text(text: str, screener: Screener | None = None) -> tuple[str, MaskReport]:
    """De-identify plain text: lines and tab-separated cells, named as scanning names them (第3行第2列)."""
    screener = screener or Screener(typos=False)  # privacy findings only: no typo model
    lines = text.splitlines(keepends=True)   # the same line breaks as scanning, each line keeping its own
    slots = []
    for number, line in enumerate(lines, start=1):
        body = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        ending = line[len(body):]
        cells = body.split("\t")
        if len(cells) > 1:
            for col, cell in enumerate(cells, start=1):
                def set_cell(new, n=number - 1, c=col - 1, ending=ending):
                    parts = lines[n][:len(lines[n]) - len(ending)].split("\t")
                    parts[c] = new
                    lines[n] = "\t".join(parts) + ending
                slots.append(Slot(Segment(f"第{number}行第{col}列", cell, table="正文表格", row=number, col=col), set_cell))
        else:
            def set_line(new, n=number - 1, ending=ending):
                lines[n] = new + ending
            slots.append(Slot(Segment(f"第{number}行", body), set_line))
    report = mask_slots(slots, screener)
    return "".join(lines), report


def _mask_text(source: Path, target: Path, screener: Screener) -> MaskReport:
    raw = source.read_bytes()
    text = decode_text(raw)
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    masked, report = mask_text(text, screener)
    target.write_bytes(masked.encode(encoding))
    return report


def _mask_docx(source: Path, target: Path, screener: Screener) -> MaskReport:
    from docx import Document
    from docx.oxml import parse_xml
    from lxml import etree

    from govmedia.screening.formats.docx import footnote_elements, paragraphs, pieces_text, text_pieces

    check_zip(source)
    document = Document(str(source))
    slots = []
    for where, paragraph, cell in paragraphs(document, copies=True):
        pieces = text_pieces(paragraph._p)
        text = pieces_text(pieces)
        if not text.strip():
            continue
        segment = Segment(where, text, *(cell or (None, None, None)))
        slots.append(Slot(segment, lambda new, pieces=pieces: distribute(pieces, new)))
    # Footnotes: python-docx keeps word/footnotes.xml as an opaque part; rewrite its bytes.
    notes_part = next((p for p in document.part.package.iter_parts() if str(p.partname) == "/word/footnotes.xml"),
                      None)
    notes_root = parse_xml(notes_part.blob) if notes_part is not None else None
    if notes_root is not None:
        for where, note in footnote_elements(notes_root):
            pieces = text_pieces(note)
            text = pieces_text(pieces)
            if text.strip():
                slots.append(Slot(Segment(where, text), lambda new, pieces=pieces: distribute(pieces, new)))
    report = mask_slots(slots, screener)
    if notes_root is not None and report.counts:
        notes_part._blob = etree.tostring(notes_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    document.save(str(target))
    return report


def _mask_xlsx(source: Path, target: Path, screener: Screener) -> MaskReport:
    from govmedia.screening.mask_xlsx import mask_xlsx

    check_zip(source)
    return mask_xlsx(source, target, screener)


def _mask_html(source: Path, target: Path, screener: Screener) -> MaskReport:
    import lxml.html

    from govmedia.screening.formats.html import BLOCKS, SKIP, blocks, skipped

    raw = source.read_bytes()
    root = lxml.html.document_fromstring(decode_text(raw))
    slots = []
    number = 0

    def collect(el, pieces):
        pieces.append((lambda el=el: el.text or "", lambda v, el=el: setattr(el, "text", v)))
        for child in el:
            if isinstance(child.tag, str) and child.tag.lower() not in BLOCKS and child.tag.lower() not in SKIP:
                collect(child, pieces)
            pieces.append((lambda c=child: c.tail or "", lambda v, c=child: setattr(c, "tail", v)))

    for element, where, cell in blocks(root):
        pieces = []
        collect(element, pieces)
        text = "".join(get() for get, _ in pieces)
        if not text.strip():
            continue
        if cell:
            segment = Segment(where, text, table=cell[0], row=cell[1], col=cell[2])
        else:
            number += 1
            segment = Segment(f"正文第{number}段", text)
        slots.append(Slot(segment, lambda new, p=pieces: distribute(p, new)))
    # Image alt texts and link targets (tel:186…) are scanned, so they are masked too; numbered as scanning does.
    images = links = 0
    for element in root.iter("img", "a"):
        if skipped(element):
            continue
        if element.tag == "img":
            images += 1
            attribute = "alt" if element.get("alt") else "title"
            if (element.get(attribute) or "").strip():
                slots.append(Slot(Segment(f"图片{images}", element.get(attribute)),
                                  lambda new, el=element, a=attribute: el.set(a, new)))
        elif element.get("href"):
            links += 1
            slots.append(Slot(Segment(f"链接{links}", element.get("href")),
                              lambda new, el=element: el.set("href", new)))
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
    if suffix in (".docx", ".xlsx"):
        check_zip(source)  # refuse a broken or hostile file before compiling the rules
    temporary = target.with_name(f".{target.stem}.part{target.suffix}")
    try:
        report = HANDLERS[suffix](source, temporary, screener or Screener(typos=False))
        os.replace(temporary, target)
    except (Unreadable, MaskError):
        raise
    except Exception as exc:  # noqa: BLE001 — a file we cannot rewrite is reported, never half-written
        raise MaskError(f"文件无法读取或已损坏，未生成脱敏文件（{type(exc).__name__}）") from exc
    finally:
        temporary.unlink(missing_ok=True)
    return report
