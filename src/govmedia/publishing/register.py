"""《区人社局信息发布审核登记表》 (第八条): the review record of a draft, as rows for the page and as a .docx form.

Everything comes from the draft's CURRENT submission (``workflow.state_of``): an edit makes earlier approvals
irrelevant, so they are not shown. Works at any status — levels not yet reached read 待审 (or 未送审 before the
version is submitted). Screening findings are summarised by category and severity; the matched text itself
(an ID number, say) never goes into the form, only where it is and what the rule says.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from govmedia.publishing import workflow
from govmedia.publishing.models import Decision, Draft, Importance, Kind, Stage, Status
from govmedia.screening.findings import BLOCK, CATEGORY_LABEL, SEVERITY_LABEL, SEVERITY_RANK

FORM_TITLE = "区人社局信息发布审核登记表"
OVERRIDE_FLAG = "【阻断问题放行】"  # marks an override wherever it appears; the .docx prints it in red
PENDING = "待审"
NOT_SUBMITTED = "未送审"
SHANGHAI = ZoneInfo("Asia/Shanghai")
HASH_PREFIX = 12

# GB/T 9704-2012 page: A4, top 37 mm, bottom 35 mm, left 28 mm, right 26 mm → a 156 mm wide text block.
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGINS = {"top_margin": Cm(3.7), "bottom_margin": Cm(3.5), "left_margin": Cm(2.8), "right_margin": Cm(2.6)}
COLUMNS = (Cm(2.9), Cm(5.2), Cm(2.6), Cm(4.9))  # label | value | label | value
PAIRED = {"撰稿人": "送审时间"}  # printed side by side in one row of the form
TITLE_FONT, LABEL_FONT, VALUE_FONT = "宋体", "黑体", "仿宋"


def format_time(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value, SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def level_label(stage: Stage) -> str:
    return f"{stage.label}（{workflow.STAGE_ROLE[stage].label}）"


LEVEL_LABELS = frozenset(level_label(stage) for stage in Stage)


def register_rows(draft: Draft) -> list[tuple[str, str]]:
    """The form's rows as (label, value); a value may hold several lines separated by "\\n"."""
    state = workflow.state_of(draft)
    current = state.submission if state.status != Status.DRAFT else None
    accounts = list(draft.accounts.select_related("platform"))
    rows = [
        ("稿件标题", draft.title),
        ("发布账号", "，".join(str(a) for a in accounts)),
        ("信息类型", _kind(draft)),
        ("重要程度", draft.get_importance_display()
         + ("（须主要负责人终审）" if draft.importance == Importance.MAJOR else "")),
        ("撰稿人", f"{draft.author}（{draft.section}）" if draft.section else str(draft.author)),
        ("送审时间", format_time(current.submitted_at) if current else NOT_SUBMITTED),
    ]
    editors = list(draft.editors.all())
    if editors:  # co-writers: named on the form, and never among its reviewers
        rows.append(("修改人", "、".join(str(p) for p in editors)))
    if draft.other_units.strip():
        rows.append(("涉及其他单位", draft.other_units))
        rows.append(("沟通协调情况", draft.coordination_note or "未填写"))
    rows += _levels(draft, state)
    rows.append(("检查结果", _screening(current, state.decisions) if current else "尚未送审检查"))
    rows.append(("发布情况", _publications(draft, current, accounts)))
    return rows


def register_footer(draft: Draft, now: datetime | None = None) -> str:
    return f"生成时间：{format_time(now or timezone.now())}　　版本标识：{draft.content_hash[:HASH_PREFIX]}"


def _kind(draft: Draft) -> str:
    if draft.kind != Kind.REPRINT:
        return Kind.ORIGINAL.label
    lines = [Kind.REPRINT.label, f"来源：{draft.source_name}", f"原标题：{draft.original_title}"]
    if draft.source_url:
        lines.append(f"原文链接：{draft.source_url}")
    if draft.original_title and draft.original_title.strip() != draft.title.strip():
        # 第七条: a changed title must not distort the original; reviewers see both.
        lines.append(f"标题有改动：发布标题《{draft.title}》，原标题《{draft.original_title}》")
    return "\n".join(lines)


def _levels(draft: Draft, state: workflow.State) -> list[tuple[str, str]]:
    by_stage = {d.stage: d for d in state.decisions}
    returned = state.status == Status.RETURNED
    rows = []
    for stage in workflow.stages_for(draft):
        label = level_label(stage)
        decision = by_stage.get(stage.value)
        if decision is not None:
            rows.append((label, _decision(decision)))
        elif state.status == Status.DRAFT:
            rows.append((label, NOT_SUBMITTED))
        elif returned:
            rows.append((label, "稿件已退回修改，未进入本环节"))
        else:
            rows.append((label, PENDING))
    return rows


def _decision(decision: Decision) -> str:
    if decision.verdict == Decision.Verdict.RETURN:
        opinion = f"退回修改：{decision.comment}"
    else:
        opinion = decision.comment or Decision.Verdict.APPROVE.label
    lines = [f"意见：{opinion}"]
    if decision.override_reason:
        lines.append(f"{OVERRIDE_FLAG}放行理由：{decision.override_reason}")
    lines += [f"审核人：{decision.actor}", f"时间：{format_time(decision.decided_at)}"]
    return "\n".join(lines)


def _screening(submission, decisions) -> str:
    findings = submission.findings
    if not findings:
        return "未发现问题"
    counts = Counter((f.get("category", ""), f.get("severity", "")) for f in findings)
    ordered = sorted(counts.items(), key=lambda item: (SEVERITY_RANK.get(item[0][1], 9), item[0][0]))
    parts = [f"{CATEGORY_LABEL.get(c, c)}（{SEVERITY_LABEL.get(s, s)}）{n}处" for (c, s), n in ordered]
    lines = [f"共发现{len(findings)}处：" + "；".join(parts)]
    blocking = [f for f in findings if f.get("severity") == BLOCK]
    if blocking:
        lines.append(f"阻断问题{len(blocking)}处：")
        lines += [f"{i}. {f.get('where', '')}：{f.get('message', '')}" for i, f in enumerate(blocking, start=1)]
        for d in decisions:
            if d.override_reason:
                lines.append(f"{OVERRIDE_FLAG}{d.get_stage_display()}环节由{d.actor}书面放行：{d.override_reason}")
    return "\n".join(lines)


def _publications(draft: Draft, submission, accounts) -> str:
    if submission is None:
        return "尚未发布"
    latest = {}
    # Per account the latest record counts, except that a failure never hides an earlier success.
    for p in submission.publications.order_by("id"):
        kept = latest.get(p.account_id)
        if kept is None or p.published_at or not kept.published_at:
            latest[p.account_id] = p
    if not latest:
        return "尚未发布"
    lines = []
    for account in accounts:
        p = latest.get(account.pk)
        if p is None:
            lines.append(f"{account}：尚未发布")
        elif p.published_at:
            lines.append(f"{account}：{format_time(p.published_at)}发布 {p.url}".rstrip())
        else:
            lines.append(f"{account}：发布失败（{p.failure_reason}）")
    return "\n".join(lines)


# --- the .docx form -------------------------------------------------------------------------------------------


def build_register(draft: Draft, now: datetime | None = None) -> bytes:
    """The form as .docx bytes, laid out like the paper form: title, unit line, bordered table, footer."""
    document = Document()
    _page(document)
    _default_font(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    _font(title.add_run(FORM_TITLE), TITLE_FONT, Pt(22), bold=True)  # 二号
    unit_line = document.add_paragraph()
    unit_line.paragraph_format.space_after = Pt(6)
    _font(unit_line.add_run(f"主办单位：{draft.unit.name}　　　　登记编号：第{draft.pk}号"), VALUE_FONT, Pt(12))
    _table(document, register_rows(draft))
    footer = document.add_paragraph()
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.paragraph_format.space_before = Pt(6)
    _font(footer.add_run(register_footer(draft, now)), VALUE_FONT, Pt(10.5))  # 五号
    document.core_properties.title = f"{FORM_TITLE}：{draft.title}"[:200]
    document.core_properties.author = "政务新媒体管理平台"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for name, value in MARGINS.items():
        setattr(section, name, value)


def _default_font(document) -> None:
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    _east_asian(normal.element.get_or_add_rPr(), VALUE_FONT)
    normal.font.name = "Times New Roman"


def _east_asian(rpr, name: str) -> None:
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _font(run, name: str, size, *, bold: bool = False, color: RGBColor | None = None):
    run.font.name = "Times New Roman"  # Latin letters and digits
    _east_asian(run._element.get_or_add_rPr(), name)
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _table(document, rows: list[tuple[str, str]]) -> None:
    values = dict(rows)
    partners = set(PAIRED.values())
    layout = [r for r in rows if r[0] not in partners]
    table = document.add_table(rows=len(layout), cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # a fixed layout: the columns keep the widths below
    _borders(table)
    for column, width in zip(table.columns, COLUMNS, strict=True):
        column.width = width  # the grid; Word reads the cell widths below, LibreOffice and WPS the grid
    for row, (label, value) in zip(table.rows, layout, strict=True):
        for cell, width in zip(row.cells, COLUMNS, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cells = row.cells
        _label(cells[0], label)
        if label in PAIRED:
            _value(cells[1], value)
            _label(cells[2], PAIRED[label])
            _value(cells[3], values.get(PAIRED[label], ""))
            continue
        level = label in LEVEL_LABELS
        _value(cells[1].merge(cells[3]), value, sign_off=level)
        if level:
            row.height, row.height_rule = Cm(2.2), WD_ROW_HEIGHT_RULE.AT_LEAST  # room as on the paper form


def _label(cell, text: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), LABEL_FONT, Pt(12))


def _value(cell, text: str, *, sign_off: bool = False) -> None:
    for i, line in enumerate(text.split("\n")):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if sign_off and line.startswith(("审核人：", "时间：")):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT  # signature and date at the right, as on paper
        if line.startswith(OVERRIDE_FLAG):
            _font(paragraph.add_run(OVERRIDE_FLAG), VALUE_FONT, Pt(12), bold=True, color=RGBColor(0xC0, 0, 0))
            _font(paragraph.add_run(line[len(OVERRIDE_FLAG):]), VALUE_FONT, Pt(12), bold=True)
        else:
            _font(paragraph.add_run(line), VALUE_FONT, Pt(12))


def _borders(table) -> None:
    """Explicit single-line borders on the table itself, so the form prints ruled whatever the style."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "8")  # eighths of a point: 1 pt
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    # Word rejects tblPr children out of schema order.
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                                 "w:tblDescription", "w:tblPrChange")
