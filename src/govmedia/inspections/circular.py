"""The 通报 of an inspection (第十三条: 对于工作落实不到位、长期整改不到位以及拒绝整改的，予以公开通报), as .docx.

Drafted from the data on the day it is generated: per unit, what failed and what stayed unfixed or overdue,
with a table of every problem and its rectification state. Laid out as a government document (GB/T 9704-2012):
issuing organ in red, a 文号 placeholder the office fills in, a red rule, the title, the addressees, numbered
sections, the issuing organ and date. The office edits the draft before it is issued.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from govmedia.inspections.actions import problem_text
from govmedia.inspections.checklist import ITEMS
from govmedia.inspections.models import Inspection, Outcome, RectStatus
from govmedia.org.models import Unit
from govmedia.registry.models import today

DOC_NUMBER = "吴人社办〔{year}〕　　号"
ADDRESSEES = "各科室、各直属事业单位："
RED = RGBColor(0xC0, 0x00, 0x00)
TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
BODY_SIZE, TABLE_SIZE = Pt(16), Pt(10.5)   # 三号; 五号 in the table
CN_NUMBERS = "一二三四五六七八九十"
TABLE_COLUMNS = [("序号", Cm(1.1)), ("责任单位", Cm(2.8)), ("账号", Cm(2.9)), ("问题", Cm(5.0)),
                 ("严重程度", Cm(1.5)), ("整改期限", Cm(2.1)), ("整改情况", Cm(2.0))]


def issuer() -> str:
    """The lead office (第一条: 区人社局办公室为牵头科室) of the bureau."""
    bureau = Unit.objects.filter(kind=Unit.Kind.BUREAU).order_by("sort_order", "id").first()
    return f"{bureau.name if bureau else ''}办公室"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _sub(n: int) -> str:
    return f"（{CN_NUMBERS[n - 1] if n <= 10 else n}）"


def circular_data(inspection: Inspection, on: date | None = None) -> dict:
    """Everything the document says, as plain data (also what the tests read back)."""
    on = on or today()
    results = list(inspection.results.filter(outcome=Outcome.FAIL)
                   .select_related("account__unit", "account__platform", "rectification"))
    by_unit: dict = defaultdict(list)
    for r in results:
        item = getattr(r, "rectification", None)
        by_unit[r.account.unit].append((r, item, item.status(on) if item else None))
    units = sorted(by_unit, key=lambda u: (u.sort_order, u.pk))
    statuses = [s for rows in by_unit.values() for _, _, s in rows]
    return {
        "on": on, "issuer": issuer(), "units": [(u, by_unit[u]) for u in units], "failed": len(results),
        "accounts": inspection.accounts.count(),
        "inspected_units": inspection.accounts.values("unit").distinct().count(),
        "severity": {label: sum(1 for r in results if r.get_severity_display() == label)
                     for label in ("严重", "较重", "一般")},
        "accepted": statuses.count(RectStatus.ACCEPTED), "answered": statuses.count(RectStatus.ANSWERED),
        "open": statuses.count(RectStatus.OPEN), "overdue": statuses.count(RectStatus.OVERDUE),
    }


def build_circular(inspection: Inspection, on: date | None = None) -> bytes:
    data = circular_data(inspection, on)
    on = data["on"]
    doc = Document()
    _page(doc)
    _header(doc, inspection)
    _para(doc, f"关于{inspection.title}情况的通报", TITLE_FONT, Pt(22), align="center", space_after=Pt(16))
    _para(doc, ADDRESSEES, BODY_FONT, BODY_SIZE, indent=False)
    _para(doc, f"为贯彻落实《苏州市吴江区人社局政务新媒体管理制度》第十三条要求，局办公室于"
               f"{cn_date(timezone.localdate(inspection.opened_at))}组织开展{inspection.title}，对{data['inspected_units']}个单位的"
               f"{data['accounts']}个政务新媒体账号{cn_date(inspection.period_start)}至{cn_date(inspection.period_end)}"
               f"的运行情况进行了检查。现将有关情况通报如下：", BODY_FONT, BODY_SIZE)
    _heading(doc, "一、总体情况")
    items = "、".join(i.name for i in ITEMS)
    if data["failed"]:
        sev = data["severity"]
        summary = (f"本次检查对照{items}等{len(ITEMS)}项内容逐账号检查，共发现问题{data['failed']}个，涉及"
                   f"{len(data['units'])}个单位，其中严重问题{sev['严重']}个、较重问题{sev['较重']}个、一般问题{sev['一般']}个。"
                   f"截至{cn_date(on)}，已整改到位{data['accepted']}个，已提交整改材料待验收{data['answered']}个，"
                   f"尚未整改{data['open'] + data['overdue']}个（其中逾期未整改{data['overdue']}个）。")
    else:
        summary = f"本次检查对照{items}等{len(ITEMS)}项内容逐账号检查，未发现问题，受检账号运行规范。"
    _para(doc, summary, BODY_FONT, BODY_SIZE)
    _heading(doc, "二、存在的问题")
    if not data["units"]:
        _para(doc, "无。", BODY_FONT, BODY_SIZE)
    for n, (unit, rows) in enumerate(data["units"], start=1):
        _para(doc, f"{_sub(n)}{unit.name}", SUBHEADING_FONT, BODY_SIZE)
        for k, (r, item, _status) in enumerate(rows, start=1):
            due = f"，整改期限{cn_date(item.due_date)}" if item else ""
            _para(doc, f"{k}．{r.account}：{problem_text(r).rstrip('。')}（{r.get_severity_display()}{due}）。",
                  BODY_FONT, BODY_SIZE)
    _heading(doc, "三、整改未到位情况")
    unfixed = [(unit, [row for row in rows if row[2] != RectStatus.ACCEPTED]) for unit, rows in data["units"]]
    unfixed = [(unit, rows) for unit, rows in unfixed if rows]
    if not unfixed:
        _para(doc, f"截至{cn_date(on)}，本次检查发现的问题均已整改到位。", BODY_FONT, BODY_SIZE)
    for n, (unit, rows) in enumerate(unfixed, start=1):
        overdue = [row for row in rows if row[2] == RectStatus.OVERDUE]
        text = (f"{_sub(n)}{unit.name}：{len(rows)}个问题尚未整改到位" +
                (f"，其中{len(overdue)}个已超过整改期限仍未整改，予以通报批评" if overdue else "") + "。")
        details = "；".join(f"{r.account}{r.get_item_display()}问题{status.label}（期限{cn_date(item.due_date)}）"
                            for r, item, status in rows if item)
        _para(doc, text + (f"具体为：{details}。" if details else ""), BODY_FONT, BODY_SIZE)
    _heading(doc, "四、有关要求")
    _para(doc, "各单位要高度重视政务新媒体管理工作，严格落实“谁开设、谁主办、谁负责”的原则，对照本通报所列问题逐项整改，"
               "在规定期限内通过政务新媒体管理平台提交整改材料；举一反三，健全信息内容更新、三级审核、信息安全巡检等制度。"
               "局办公室将持续跟踪整改情况，对长期整改不到位以及拒绝整改的，予以公开通报。", BODY_FONT, BODY_SIZE)
    _para(doc, "附件：政务新媒体检查问题及整改情况表", BODY_FONT, BODY_SIZE, space_after=Pt(6))
    _table(doc, data)
    _para(doc, "", BODY_FONT, BODY_SIZE)
    _para(doc, data["issuer"], BODY_FONT, BODY_SIZE, align="right", indent=False)
    _para(doc, cn_date(on), BODY_FONT, BODY_SIZE, align="right", indent=False)
    _para(doc, "（此件公开发布）", BODY_FONT, BODY_SIZE, indent=True)
    doc.core_properties.title = f"关于{inspection.title}情况的通报"[:200]
    doc.core_properties.author = "政务新媒体管理平台"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- layout --------------------------------------------------------------------------------------------------


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _run(paragraph, text: str, font: str, size, *, bold: bool = False, color: RGBColor | None = None):
    run = paragraph.add_run(text)
    run.font.name = "Times New Roman"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    run.font.size, run.font.bold = size, bold
    if color is not None:
        run.font.color.rgb = color
    return run


ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def _para(doc, text: str, font: str, size, *, align: str = "justify", indent: bool | None = None,
          space_after=None, bold: bool = False, color: RGBColor | None = None):
    paragraph = doc.add_paragraph()
    paragraph.alignment = ALIGN[align]
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)  # 每页22行
    fmt.space_before, fmt.space_after = Pt(0), space_after if space_after is not None else Pt(0)
    if indent if indent is not None else align == "justify":
        fmt.first_line_indent = Pt(size.pt * 2)  # 首行缩进2字
    if text:
        _run(paragraph, text, font, size, bold=bold, color=color)
    return paragraph


def _heading(doc, text: str) -> None:
    _para(doc, text, HEADING_FONT, BODY_SIZE)


def _header(doc, inspection: Inspection) -> None:
    """发文机关标志 in red, the 文号 placeholder, and the red rule under it."""
    _para(doc, issuer(), TITLE_FONT, Pt(26), align="center", color=RED, space_after=Pt(12), indent=False)
    number = _para(doc, DOC_NUMBER.format(year=today().year), BODY_FONT, BODY_SIZE, align="center", indent=False,
                   space_after=Pt(18))
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    number._p.get_or_add_pPr().append(borders)


def _table(doc, data: dict) -> None:
    rows = [(r, item, status) for _, unit_rows in data["units"] for r, item, status in unit_rows]
    table = doc.add_table(rows=1 + max(1, len(rows)), cols=len(TABLE_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, (_, width) in zip(table.columns, TABLE_COLUMNS, strict=True):
        column.width = width
    for cell, (label, width) in zip(table.rows[0].cells, TABLE_COLUMNS, strict=True):
        cell.width = width
        _cell(cell, label, HEADING_FONT, center=True)
    if not rows:
        merged = table.rows[1].cells[0].merge(table.rows[1].cells[-1])
        _cell(merged, "未发现问题", BODY_FONT, center=True)
        return
    for n, ((r, item, status), row) in enumerate(zip(rows, table.rows[1:], strict=True), start=1):
        values = [str(n), r.account.unit.short_name or r.account.unit.name, str(r.account), problem_text(r),
                  r.get_severity_display(), f"{item.due_date:%Y-%m-%d}" if item else "",
                  status.label if status else "未下发"]
        for k, (cell, value, (_, width)) in enumerate(zip(row.cells, values, TABLE_COLUMNS, strict=True)):
            cell.width = width
            _cell(cell, value, BODY_FONT, center=k in (0, 4, 5, 6),
                  color=RED if status == RectStatus.OVERDUE and k == 6 else None)


def _cell(cell, text: str, font: str, *, center: bool = False, color: RGBColor | None = None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    _run(paragraph, text, font, TABLE_SIZE, color=color)
