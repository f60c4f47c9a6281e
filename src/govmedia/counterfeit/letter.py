"""The letter to the platform (致平台函) asking it to deal with a counterfeit account, as a formal 函 (.docx).

Layout after GB/T 9704-2012: A4 with the standard margins; the issuing unit and the title centred in 宋体 (二号);
the addressee flush left; the body in 仿宋 三号 with a two-character first-line indent; the issuing unit and the
date flush right at the end. Everything comes from the case as recorded (its verification, its coordination
records and the letter step's contact and issuing unit), so the same case always gives the same letter.
"""

from __future__ import annotations

import io
from datetime import date

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from govmedia.counterfeit.models import CounterfeitCase
from govmedia.registry.models import Account

PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGINS = {"top_margin": Cm(3.7), "bottom_margin": Cm(3.5), "left_margin": Cm(2.8), "right_margin": Cm(2.6)}
TITLE_FONT, BODY_FONT = "宋体", "仿宋"
BODY_SIZE = Pt(16)   # 三号
TITLE_SIZE = Pt(22)  # 二号


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def title(case: CounterfeitCase) -> str:
    return f"关于请求处置假冒政务新媒体账号“{case.name}”的函"


def addressee(case: CounterfeitCase) -> str:
    return f"{case.platform}平台运营单位："


def _genuine(account: Account) -> str:
    parts = [f"{account.platform.name}“{account.name}”"]
    details = []
    if account.platform_uid:
        details.append(f"账号ID：{account.platform_uid}")
    if account.url:
        details.append(f"链接：{account.url}")
    if details:
        parts.append(f"（{'，'.join(details)}）")
    return "".join(parts) + f"，主办单位为{account.unit.name}"


def body(case: CounterfeitCase) -> list[str]:
    """The body's paragraphs, in order."""
    unit = case.letter_unit
    link = f"（链接：{case.url}）" if case.url else ""
    genuine = list(case.imitates.select_related("platform", "unit").order_by("pk"))
    paragraphs = [
        f"近日，我单位接到群众举报并经核实，贵平台上名为“{case.name}”的账号{link}冒用我单位名义开设、运营，"
        f"该账号并非{unit}或其直属单位开设或授权运营的政务新媒体账号。"
    ]
    if genuine:
        listed = "；".join(_genuine(a) for a in genuine)
        paragraphs.append(f"我单位的官方账号为：{listed}。以上账号均已在我单位政务新媒体账号公示名录中公布，"
                          "请以此为准。")
    agencies = "、".join(dict.fromkeys(c.agency_label() for c in case.coordinations.all()))
    reported = f"我单位已将有关情况向{agencies}反映。" if agencies else ""
    paragraphs.append(
        "该账号易误导公众、损害政府公信力，并可能被用于骗取群众个人信息。根据《中华人民共和国网络安全法》"
        "《互联网用户账号信息管理规定》等有关规定，特函请贵平台对上述账号予以核查，依法依规采取关闭、注销等处置措施，"
        f"并将处置结果函告我单位。{reported}"
    )
    paragraphs.append("特此函告，请予支持为盼。")
    paragraphs.append(f"联系人及电话：{case.letter_contact}")
    return paragraphs


def build_letter(case: CounterfeitCase) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for name, value in MARGINS.items():
        setattr(section, name, value)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    reference = _paragraph(document, f"案件编号：{case.reference}", WD_ALIGN_PARAGRAPH.RIGHT, size=Pt(12))
    reference.paragraph_format.space_after = Pt(12)
    heading = _paragraph(document, title(case), WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=TITLE_SIZE, bold=True)
    heading.paragraph_format.space_after = Pt(18)
    _paragraph(document, addressee(case), WD_ALIGN_PARAGRAPH.LEFT)
    for text in body(case):
        paragraph = _paragraph(document, text, WD_ALIGN_PARAGRAPH.JUSTIFY)
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号
    issued = timezone.localtime(case.letter_at).date() if case.letter_at else timezone.localdate()
    signature = _paragraph(document, case.letter_unit, WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.space_before = Pt(48)
    _paragraph(document, chinese_date(issued), WD_ALIGN_PARAGRAPH.RIGHT)
    document.core_properties.title = title(case)[:200]
    document.core_properties.author = case.letter_unit[:200]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraph(document, text: str, align, *, font: str = BODY_FONT, size=BODY_SIZE, bold: bool = False):
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.line_spacing = Pt(28)
    run = paragraph.add_run(text)
    run.font.name = "Times New Roman"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    run.font.size = size
    run.font.bold = bold
    return paragraph
