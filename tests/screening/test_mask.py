"""`govmedia mask IN OUT`: a de-identified copy in the same format, everything else kept, never over the original."""

from __future__ import annotations

import io
import os
import re
import zipfile

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.shared import Pt
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from govmedia.screening.mask import MaskError, mask_file, mask_text

from .builders import add_footnote, id_number, luhn_complete, png_bytes, to_shared_strings

ID1 = id_number("320509", "19850412", "021")
ID2 = id_number("320584", "19730606", "113")
CARD = luhn_complete("6212261", 19)
MOBILE = "18651234567"
SPACED_MOBILE = "139 1234 5678"

MASKED = {
    ID1: ID1[:6] + "*" * 8 + ID1[-4:],
    ID2: ID2[:6] + "*" * 8 + ID2[-4:],
    CARD: CARD[:6] + "*" * 9 + CARD[-4:],
    MOBILE: "186****4567",
    SPACED_MOBILE: "139 **** 5678",
    "孙丽": "孙*",
    "欧阳娜娜": "欧阳**",
}
ROWS = [
    ("序号", "姓名", "身份证号", "联系电话", "银行卡号"),
    ("1", "孙丽", ID1, MOBILE, CARD),
    ("2", "欧阳娜娜", ID2, SPACED_MOBILE, "无"),
]
TITLE = "2024年度就业困难人员认定名单公示"
FOOTER_LINE = "联系人：区就业管理中心，电话0512-63456789。"


def masked_rows():
    return [tuple(MASKED.get(v, v) for v in row) for row in ROWS]


def privacy_blocks(screener, path):
    result = screener.scan_file(path)
    assert result.error is None, result.error
    return [f for f in result.findings if f.category == "privacy" and f.severity == "block"]


def test_mask_values_follow_the_policy_patterns():
    text, report = mask_text(f"身份证{ID1}，手机{MOBILE}，银行卡{CARD}")
    assert text == f"身份证{MASKED[ID1]}，手机{MASKED[MOBILE]}，银行卡{MASKED[CARD]}"
    assert dict(report.counts) == {"id_card": 1, "mobile": 1, "bank_card": 1}


# -- text ---------------------------------------------------------------------------------------------


def write_txt(path, newline="\n"):
    lines = [TITLE, *("\t".join(row) for row in ROWS), FOOTER_LINE]
    path.write_bytes(newline.join(lines).encode("utf-8") + newline.encode())
    return path


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_text_file_is_masked_cell_by_cell_and_everything_else_is_kept(screener, tmp_path, newline):
    source = write_txt(tmp_path / "名单.txt", newline)
    original = source.read_bytes()
    report = mask_file(source, tmp_path / "名单-脱敏.txt", screener)
    expected = [TITLE, *("\t".join(row) for row in masked_rows()), FOOTER_LINE]
    assert (tmp_path / "名单-脱敏.txt").read_bytes() == (newline.join(expected) + newline).encode("utf-8")
    assert source.read_bytes() == original
    assert dict(report.counts) == {"id_card": 2, "mobile": 2, "bank_card": 1, "name": 2}
    assert report.summary() == "已脱敏：姓名2处，身份证号2处，手机号2处，银行卡号1处"


# -- html ---------------------------------------------------------------------------------------------


def write_html(path):
    cells = "".join(
        "<tr>" + "".join(f"<{'th' if r == 0 else 'td'}>{v}</{'th' if r == 0 else 'td'}>" for v in row) + "</tr>"
        for r, row in enumerate(ROWS))
    path.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{TITLE}</title>'
        f'<style>td {{ border: 1px solid #000 }}</style></head><body>'
        f'<h1 class="title">{TITLE}</h1><table class="list">{cells}</table>'
        f'<p>请联系<b style="color:red">{MOBILE[:7]}</b>{MOBILE[7:]}核实。</p>'
        f'<p>{FOOTER_LINE}</p><p>电话：<a href="tel:{MOBILE}">{MOBILE}</a></p>'
        f'<img src="a.png" alt="照片"></body></html>', "utf-8")
    return path


def test_an_article_page_is_masked_in_its_table_and_text_and_its_markup_is_kept(screener, tmp_path):
    source = write_html(tmp_path / "公示.html")
    out = tmp_path / "公示-脱敏.html"
    report = mask_file(source, out, screener)
    html = out.read_text("utf-8")
    for value, masked in MASKED.items():
        assert value not in html.replace(masked, "") and masked in html
    assert '<b style="color:red">186****</b>4567' in html  # a value split across tags is masked in place
    assert '<table class="list">' in html and html.count("<tr>") == 3 and html.count("<td>") == 10
    assert '<h1 class="title">' in html and FOOTER_LINE in html and 'alt="照片"' in html
    assert "td { border: 1px solid #000 }" in html
    assert f'<a href="tel:{MASKED[MOBILE]}">{MASKED[MOBILE]}</a>' in html  # the link target too
    assert dict(report.counts) == {"id_card": 2, "mobile": 5, "bank_card": 1, "name": 2}


# -- docx ---------------------------------------------------------------------------------------------


def write_docx(path, footnote=True, header=True):
    document = Document()
    document.add_heading(TITLE, level=1)
    paragraph = document.add_paragraph("请联系张老师，手机：")
    bold = paragraph.add_run(MOBILE)
    bold.bold = True
    bold.font.size = Pt(14)
    paragraph.add_run("，工作日接听。")
    split = document.add_paragraph("身份证号：")
    split.add_run(ID1[:9]).italic = True   # one number across two runs, each keeps its own formatting
    split.add_run(ID1[9:])
    table = document.add_table(rows=3, cols=5)
    table.style = "Table Grid"
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph(FOOTER_LINE, style="Intense Quote")
    document.add_paragraph().add_run().add_picture(io.BytesIO(png_bytes()))
    if header:
        document.sections[0].header.paragraphs[0].text = f"经办人手机{MOBILE}"
    document.save(path)
    if footnote:
        add_footnote(path, f"申请人银行卡{CARD}")
    return path


def docx_texts(path):
    document = Document(path)
    body = [(p.style.name, p.text) for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return body, tables


def test_a_word_document_is_masked_keeping_runs_styles_tables_headers_and_footnotes(screener, tmp_path):
    source = write_docx(tmp_path / "公示.docx")
    out = tmp_path / "公示-脱敏.docx"
    report = mask_file(source, out, screener)

    body, tables = docx_texts(out)
    assert body[0] == ("Heading 1", TITLE)
    assert body[1] == ("Normal", f"请联系张老师，手机：{MASKED[MOBILE]}，工作日接听。")
    assert body[2] == ("Normal", f"身份证号：{MASKED[ID1]}")
    assert body[3] == ("Intense Quote", FOOTER_LINE)
    assert tables == [[list(row) for row in masked_rows()]]

    document = Document(out)
    runs = document.paragraphs[1].runs
    assert [(r.text, r.bold, r.font.size) for r in runs] == [
        ("请联系张老师，手机：", None, None), (MASKED[MOBILE], True, Pt(14)), ("，工作日接听。", None, None)]
    assert [(r.text, r.italic) for r in document.paragraphs[2].runs] == [
        ("身份证号：", None), (MASKED[ID1][:9], True), (MASKED[ID1][9:], None)]
    assert document.tables[0].style.name == "Table Grid"
    assert document.sections[0].header.paragraphs[0].text == f"经办人手机{MASKED[MOBILE]}"
    assert len(document.inline_shapes) == 1
    with zipfile.ZipFile(out) as archive:
        notes = archive.read("word/footnotes.xml").decode("utf-8")
    assert MASKED[CARD] in notes and CARD not in notes
    assert dict(report.counts) == {"mobile": 4, "id_card": 3, "name": 2, "bank_card": 2}


def test_masking_a_word_document_without_headers_adds_none(screener, tmp_path):
    source = write_docx(tmp_path / "无页眉.docx", footnote=False, header=False)
    out = tmp_path / "无页眉-脱敏.docx"
    mask_file(source, out, screener)
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(out) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        assert not [n for n in b.namelist() if re.match(r"word/(header|footer)\d*\.xml", n)]


# -- xlsx ---------------------------------------------------------------------------------------------


def write_xlsx(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "公示名单"
    sheet.append([TITLE])
    for row in ROWS:
        sheet.append(list(row))
    sheet["D3"] = int(MOBILE)        # typed in as a number, shown without thousands separators
    sheet["D3"].number_format = "0"
    sheet.append(["合计", None, None, None, None, 1500.5])
    sheet["F5"].number_format = "#,##0.00"
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["B2"].fill = PatternFill("solid", fgColor="FFFF00")
    sheet.column_dimensions["C"].width = 24
    sheet.merge_cells("A1:E1")
    other = workbook.create_sheet("说明")
    other["A1"] = FOOTER_LINE
    other["B3"] = f"经办人{MOBILE}"
    workbook.save(path)
    return path


def test_a_workbook_is_masked_keeping_other_cells_formats_fills_widths_and_sheets(screener, tmp_path):
    source = write_xlsx(tmp_path / "名单.xlsx")
    out = tmp_path / "名单-脱敏.xlsx"
    report = mask_file(source, out, screener)

    before, after = load_workbook(source), load_workbook(out)
    assert after.sheetnames == ["公示名单", "说明"]
    sheet = after["公示名单"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=4, max_col=5)]
    assert values == [list(r) for r in masked_rows()]
    assert sheet["A1"].value == TITLE and sheet["A1"].font.bold and sheet["A1"].font.size == 16
    assert sheet["B2"].fill.fgColor.rgb == before["公示名单"]["B2"].fill.fgColor.rgb
    assert sheet["F5"].value == 1500.5 and sheet["F5"].number_format == "#,##0.00"
    assert sheet["D3"].number_format == "0"
    assert sheet.column_dimensions["C"].width == 24
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:E1"]
    assert after["说明"]["A1"].value == FOOTER_LINE and after["说明"]["B3"].value == f"经办人{MASKED[MOBILE]}"
    for name in before.sheetnames:
        for row_before, row_after in zip(before[name].iter_rows(), after[name].iter_rows(), strict=True):
            for a, b in zip(row_before, row_after, strict=True):
                if b.value == a.value:
                    continue
                assert isinstance(b.value, str) and "*" in b.value, (a.coordinate, a.value, b.value)
    assert dict(report.counts) == {"name": 2, "id_card": 2, "mobile": 3, "bank_card": 1}


# -- every format -------------------------------------------------------------------------------------

WRITERS = {".txt": write_txt, ".html": write_html, ".docx": write_docx, ".xlsx": write_xlsx}


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_a_masked_file_scans_clean_of_privacy_and_masking_it_again_changes_nothing(screener, tmp_path, suffix):
    source = WRITERS[suffix](tmp_path / f"in{suffix}")
    assert privacy_blocks(screener, source)
    once, twice = tmp_path / f"once{suffix}", tmp_path / f"twice{suffix}"
    mask_file(source, once, screener)
    assert privacy_blocks(screener, once) == []
    report = mask_file(once, twice, screener)
    assert not report.counts and report.summary() == "已脱敏：未发现需脱敏的内容"
    assert screener.scan_file(once).findings == screener.scan_file(twice).findings
    if suffix in (".txt", ".html"):
        assert once.read_bytes() == twice.read_bytes()


# -- refusals -----------------------------------------------------------------------------------------


def test_mask_refuses_to_write_over_its_input_however_the_path_is_spelt(tmp_path, monkeypatch):
    source = write_txt(tmp_path / "名单.txt")
    original = source.read_bytes()
    (tmp_path / "sub").mkdir()
    os.symlink(source, tmp_path / "链接.txt")
    monkeypatch.chdir(tmp_path)
    for target in (source, "名单.txt", "./名单.txt", "sub/../名单.txt", tmp_path / "链接.txt"):
        with pytest.raises(MaskError, match="不能与输入文件相同"):
            mask_file(source, target)
    assert source.read_bytes() == original


@pytest.mark.parametrize("target", ["out.pdf", "out.docx"])
def test_mask_refuses_another_format_for_the_output(tmp_path, target):
    source = write_txt(tmp_path / "名单.txt")
    with pytest.raises(MaskError, match="格式"):
        mask_file(source, tmp_path / target)
    assert not (tmp_path / target).exists()


def test_mask_refuses_a_pdf(tmp_path):
    source = tmp_path / "a.pdf"
    source.write_bytes(b"%PDF-1.4")
    with pytest.raises(MaskError, match="不支持"):
        mask_file(source, tmp_path / "b.pdf")


# -- the command --------------------------------------------------------------------------------------


def test_the_mask_command_prints_counts_by_kind_and_writes_the_copy(govmedia, tmp_path):
    source = write_docx(tmp_path / "公示.docx")
    out = tmp_path / "公示-脱敏.docx"
    done = govmedia("mask", source, out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["已脱敏：手机号4处，身份证号3处，姓名2处，银行卡号2处", f"已写入 {out}"]
    assert out.exists()


@pytest.mark.parametrize("spelling", ["same", "dot", "parent"])
def test_the_mask_command_refuses_out_equal_to_in_with_exit_2_and_leaves_the_input_alone(govmedia, tmp_path,
                                                                                       spelling):
    source = write_xlsx(tmp_path / "名单.xlsx")
    original = source.read_bytes()
    target = {"same": str(source), "dot": f"{tmp_path}/./名单.xlsx", "parent": f"{tmp_path}/x/../名单.xlsx"}[spelling]
    (tmp_path / "x").mkdir(exist_ok=True)
    done = govmedia("mask", source, target)
    assert done.returncode == 2
    assert "输出文件不能与输入文件相同" in done.stderr and "Traceback" not in done.stderr + done.stdout
    assert source.read_bytes() == original


def test_the_mask_command_refuses_a_corrupt_file_in_chinese_without_writing(govmedia, tmp_path):
    source = tmp_path / "坏.docx"
    source.write_bytes(b"not a zip")
    done = govmedia("mask", source, tmp_path / "out.docx")
    assert done.returncode == 2
    assert "未脱敏" in done.stderr and "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "out.docx").exists()
    assert not list(tmp_path.glob(".*part*"))


def test_two_paragraphs_in_one_table_cell_are_masked_each_in_its_own_text(screener, tmp_path):
    document = Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "备注：请于工作日联系经办人核实情况"
    cell.add_paragraph(f"手机{MOBILE}")
    source, out = tmp_path / "cell.docx", tmp_path / "cell-out.docx"
    document.save(source)
    report = mask_file(source, out, screener)
    assert [p.text for p in Document(out).tables[0].cell(0, 0).paragraphs] == [
        "备注：请于工作日联系经办人核实情况", f"手机{MASKED[MOBILE]}"]
    assert dict(report.counts) == {"mobile": 1}


def test_personal_mail_and_addresses_are_left_for_a_person_and_said_so(screener, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("邮箱liming@qq.com\n家住长安花园3幢2单元501室\n", "utf-8")
    report = mask_file(source, tmp_path / "b.txt", screener)
    assert report.summary() == "已脱敏：未发现需脱敏的内容；请人工核查：个人邮箱1处，住址1处"
    assert (tmp_path / "b.txt").read_text("utf-8") == source.read_text("utf-8")


def test_a_text_box_and_the_fallback_copy_word_keeps_of_it_are_both_masked(screener, tmp_path):
    from .test_formats import _text_box

    document = Document()
    document.add_paragraph(TITLE)
    document.add_paragraph("说明见文本框")._p.append(parse_xml(_text_box(f"孙丽 {ID1} 电话{MOBILE}", vml_fallback=True)))
    source, target = tmp_path / "文本框.docx", tmp_path / "脱敏.docx"
    document.save(source)
    assert privacy_blocks(screener, source)
    report = mask_file(source, target, screener)
    assert report.counts["id_card"] == 2 and report.counts["mobile"] == 2   # the box and its copy
    assert privacy_blocks(screener, target) == []
    with zipfile.ZipFile(target) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert ID1 not in xml and MOBILE not in xml
    assert xml.count(MASKED[ID1]) == 2 and TITLE in xml


def test_comments_in_a_workbook_are_masked_with_its_cells(screener, tmp_path):
    from openpyxl.comments import Comment

    source, target = write_xlsx(tmp_path / "名单.xlsx"), tmp_path / "脱敏.xlsx"
    workbook = load_workbook(source)
    workbook.active["B2"].comment = Comment(f"核实：身份证{ID1}，手机{MOBILE}", "经办人")
    workbook.save(source)
    report = mask_file(source, target, screener)
    assert report.counts["id_card"] >= 3   # two rows and the comment
    assert privacy_blocks(screener, target) == []
    masked = load_workbook(target).active["B2"].comment.text
    assert masked == f"核实：身份证{MASKED[ID1]}，手机{MASKED[MOBILE]}"
    with zipfile.ZipFile(target) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8", "replace")
    assert ID1 not in everything and MOBILE not in everything


# -- workbooks rewritten in place ---------------------------------------------------------------------

XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
SHAPE = (f'<xdr:twoCellAnchor xmlns:xdr="{XDR}" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
         '<xdr:from><xdr:col>7</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff>'
         '</xdr:from><xdr:to><xdr:col>10</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>5</xdr:row><xdr:rowOff>0'
         '</xdr:rowOff></xdr:to><xdr:sp><xdr:nvSpPr><xdr:cNvPr id="9" name="文本框 1"/><xdr:cNvSpPr txBox="1"/>'
         '</xdr:nvSpPr><xdr:spPr/><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>经办人：孙丽 </a:t></a:r>'
         f'<a:r><a:t>{MOBILE[:5]}</a:t></a:r><a:r><a:t>{MOBILE[5:]}</a:t></a:r></a:p></xdr:txBody></xdr:sp>'
         '<xdr:clientData/></xdr:twoCellAnchor>')


def _rewrite_parts(path, edits):
    """Edit parts of a saved workbook: name → function(text) → text."""
    with zipfile.ZipFile(path) as old:
        parts = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in parts:
            if info.filename in edits:
                data = edits[info.filename](data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data)


def _all_bytes(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


def _roster_with_chart(path):
    """The roster workbook with a bar chart of the total (F5) by the ID column (C3:C4), not yet saved."""
    from openpyxl.chart import BarChart, Reference

    source = write_xlsx(path)
    workbook = load_workbook(source)
    sheet = workbook["公示名单"]
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=6, min_row=5, max_row=5))
    chart.set_categories(Reference(sheet, min_col=3, min_row=3, max_row=4))
    sheet.add_chart(chart, "H8")
    return source, workbook, sheet


def test_a_workbook_keeps_its_chart_picture_and_every_untouched_part_byte_for_byte(screener, tmp_path):
    from openpyxl.drawing.image import Image

    (source, workbook, sheet), target = _roster_with_chart(tmp_path / "图表.xlsx"), tmp_path / "脱敏.xlsx"
    sheet.add_image(Image(io.BytesIO(png_bytes(8, 8))), "H20")
    workbook.save(source)
    _rewrite_parts(source, {"xl/drawings/drawing1.xml": lambda xml: xml.replace("</wsDr>", SHAPE + "</wsDr>")})

    assert ("公示名单!图形1", "mobile") in [(f.where, f.rule) for f in screener.scan_file(source).findings]
    report = mask_file(source, target, screener)
    assert report.counts["mobile"] == 4   # two cells, the note sheet and the shape
    assert privacy_blocks(screener, target) == []
    everything = _all_bytes(target)
    for value in (ID1, ID2, CARD, MOBILE, MOBILE[:5] + MOBILE[5:]):
        assert value not in everything
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(target) as after:
        assert before.namelist() == after.namelist()
        untouched = [n for n in before.namelist() if before.read(n) == after.read(n)]
        assert {"xl/charts/chart1.xml", "xl/media/image1.png", "xl/styles.xml", "[Content_Types].xml",
                "xl/worksheets/_rels/sheet1.xml.rels", "xl/drawings/_rels/drawing1.xml.rels"} <= set(untouched)
        assert "xl/drawings/drawing1.xml" not in untouched
        assert f"{MOBILE[:3]}**" in after.read("xl/drawings/drawing1.xml").decode("utf-8")
    assert load_workbook(target)["公示名单"]._charts or load_workbook(target)["公示名单"]._images


def test_a_workbook_saved_with_shared_strings_is_masked_there_and_a_text_shown_unmasked_elsewhere_stays(
        screener, tmp_path):
    source, target = write_xlsx(tmp_path / "共享.xlsx"), tmp_path / "脱敏.xlsx"
    workbook = load_workbook(source)
    workbook["说明"]["A5"] = "孙丽"   # the same text, in a sheet without identifiers: not masked there
    workbook["说明"]["A6"] = ID2      # the same ID twice: one shared string, masked alike in both cells
    workbook.save(source)
    to_shared_strings(source)
    report = mask_file(source, target, screener)
    assert report.counts["id_card"] == 3
    after = load_workbook(target)
    assert [[c.value for c in row] for row in after["公示名单"].iter_rows(min_row=2, max_row=4, max_col=5)] == [
        list(r) for r in masked_rows()]
    assert after["说明"]["A5"].value == "孙丽" and after["说明"]["A6"].value == MASKED[ID2]
    with zipfile.ZipFile(target) as archive:
        cells = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
        strings = archive.read("xl/sharedStrings.xml").decode("utf-8")
    kinds = dict(re.findall(r'<c r="([A-Z]+\d+)"(?: s="\d+")? t="(\w+)"', cells))
    assert kinds["B3"] == "inlineStr"   # 孙丽 is still shown unmasked in 说明!A5: this cell gets its own text
    assert kinds["C3"] == "s"           # an ID used once is masked in the shared string itself
    everything = _all_bytes(target)
    assert ID1 not in everything and ID2 not in everything and CARD not in everything
    assert "孙丽" in strings.replace("&#23385;&#20029;", "孙丽")


def test_a_formula_whose_cached_result_holds_an_id_loses_the_cache_and_is_recalculated(screener, tmp_path):
    source, target = write_xlsx(tmp_path / "公式.xlsx"), tmp_path / "脱敏.xlsx"
    cached = f'<c r="G2" t="str"><f>C2&amp;""</f><v>{ID1}</v></c></row>'
    _rewrite_parts(source, {"xl/worksheets/sheet1.xml": lambda xml: xml.replace("</row>", cached, 2).replace(
        cached, "</row>", 1)})
    with zipfile.ZipFile(source) as archive:
        assert f"<v>{ID1}</v>" in archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    mask_file(source, target, screener)
    assert ID1 not in _all_bytes(target)
    sheet = load_workbook(target)["公示名单"]
    assert sheet["G2"].value == '=C2&""'
    with zipfile.ZipFile(target) as archive:
        assert 'fullCalcOnLoad="1"' in archive.read("xl/workbook.xml").decode("utf-8")


@pytest.mark.parametrize("raw", ["18651234567", "1.8651234567E10", "6212261234567889123", "1500.5", "-3", "0.1"])
def test_a_number_reads_the_same_to_masking_as_to_scanning(raw):
    from govmedia.screening.formats.xlsx import cell_text
    from govmedia.screening.mask_xlsx import number_text

    scanned = cell_text(int(raw) if raw.lstrip("-").isdigit() else float(raw))  # openpyxl's reading of <v>
    assert number_text(raw) == scanned


def test_every_copy_of_a_value_in_a_workbook_is_masked_or_dropped(screener, tmp_path):
    """Plain-string cells, formulas and their cached results, unused shared strings, chart and pivot caches."""
    (source, workbook, _), target = _roster_with_chart(tmp_path / "副本.xlsx"), tmp_path / "脱敏.xlsx"
    workbook.save(source)
    to_shared_strings(source)
    exponent = f"{int(MOBILE) / 10**10:.10f}".rstrip("0") + "E10"            # 1.8651234567E10
    cells = (f'<c r="G2" t="str"><v>{ID1}</v></c>'                            # a plain string, no formula
             f'<c r="H2"><f>D2*1</f><v>{exponent}</v></c>'                    # a cached number, written with E
             f'<c r="I2" t="str"><f>"{ID2}"</f><v>{ID2}</v></c>')             # a value inside the formula
    def chart_caches(xml: str) -> str:   # categories as text with their cache, values with a number cache
        xml = re.sub(r"<cat><numRef>(<f>[^<]*</f>)</numRef></cat>",
                     rf'<cat><strRef>\1<strCache><ptCount val="2"/><pt idx="0"><v>{ID1}</v></pt>'
                     rf'<pt idx="1"><v>{ID2}</v></pt></strCache></strRef></cat>', xml)
        return re.sub(r"<val><numRef>(<f>[^<]*</f>)</numRef></val>",
                      rf'<val><numRef>\1<numCache><ptCount val="1"/><pt idx="0"><v>{MOBILE}</v></pt>'
                      r"</numCache></numRef></val>", xml)

    pivot = ('<pivotCacheRecords xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
             f'<r><s v="{ID1}"/><n v="{MOBILE}"/></r></pivotCacheRecords>')
    definition = ('<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                  '<cacheSource type="worksheet"/></pivotCacheDefinition>')
    _rewrite_parts(source, {
        "xl/worksheets/sheet1.xml": lambda xml: xml.replace("</row>", cells + "</row>", 2).replace(
            cells + "</row>", "</row>", 1),
        "xl/sharedStrings.xml": lambda xml: xml.replace("</sst>", f"<si><t>{CARD}</t></si></sst>"),
        "xl/charts/chart1.xml": chart_caches,
    })
    with zipfile.ZipFile(source, "a") as archive:
        archive.writestr("xl/pivotCache/pivotCacheRecords1.xml", pivot)
        archive.writestr("xl/pivotCache/pivotCacheDefinition1.xml", definition)
    before = _all_bytes(source)
    assert all(v in before for v in (ID1, ID2, CARD, exponent, f"<v>{ID1}</v>", f"<v>{MOBILE}</v>"))

    mask_file(source, target, screener)
    after = _all_bytes(target)
    for value in (ID1, ID2, CARD, MOBILE, exponent):
        assert value not in after, value
    sheet = load_workbook(target)["公示名单"]
    assert sheet["G2"].value == MASKED[ID1]
    assert sheet["H2"].value == "=D2*1" and sheet["I2"].value == f'="{MASKED[ID2]}"'
    with zipfile.ZipFile(target) as archive:
        assert 'fullCalcOnLoad="1"' in archive.read("xl/workbook.xml").decode("utf-8")
        assert 'refreshOnLoad="1"' in archive.read("xl/pivotCache/pivotCacheDefinition1.xml").decode("utf-8")
        chart_xml = archive.read("xl/charts/chart1.xml").decode("utf-8")
    assert f"<v>{MASKED[ID1]}</v>" in chart_xml and "<numCache>" not in chart_xml and "<strCache>" in chart_xml
