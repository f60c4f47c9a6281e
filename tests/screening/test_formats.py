"""Every input format is read whole, and every finding names a place a person can find (where)."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml import parse_xml
from openpyxl import Workbook

from .builders import add_footnote, id_number, png_bytes, write_pdf

ID = id_number("320509", "19850412", "021")
MOBILE = "18651234567"


def places(result, category=None):
    assert result.error is None, result.error
    return [(f.where, f.rule) for f in result.findings if category is None or f.category == category]


# -- text -------------------------------------------------------------------------------------------


def test_a_text_file_is_read_line_by_line_and_tab_cells_by_column(screener, tmp_path):
    path = tmp_path / "通知.txt"
    path.write_text(f"关于报送材料的通知\n\n请联系张伟（手机{MOBILE}）。\n序号\t姓名\t身份证号\n1\t孙丽\t{ID}\n", "utf-8")
    assert places(screener.scan_file(path), "privacy") == [
        ("第3行", "mobile"), ("第5行第2列", "name"), ("第5行第3列", "id_card")]


def test_a_gb18030_text_file_and_a_markdown_file_are_read(screener, tmp_path):
    gbk = tmp_path / "旧系统导出.txt"
    gbk.write_bytes(f"联系人手机{MOBILE}".encode("gb18030"))
    md = tmp_path / "稿件.md"
    md.write_text(f"# 标题\n\n- 来源：网络\n- 手机 {MOBILE}\n", "utf-8")
    assert places(screener.scan_file(gbk)) == [("第1行", "mobile")]
    assert places(screener.scan_file(md)) == [("第4行", "mobile"), ("第3行", "no_source")]


def test_finding_offsets_are_offsets_in_that_places_text(screener, tmp_path):
    path = tmp_path / "a.txt"
    line = f"请联系张伟（手机{MOBILE}）。"
    path.write_text(f"第一行\n{line}\n", "utf-8")
    [finding] = screener.scan_file(path).findings
    assert line[finding.start:finding.end] == MOBILE


# -- html -------------------------------------------------------------------------------------------

ARTICLE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>人社服务快办行动</title>
<style>.x::after {{ content: "网络赌博" }}</style><script>var phone = "{MOBILE}"; // 网络赌博</script></head>
<body><div id="js_content">
<section><p>全国人社系统开展“人社服务快办行动”。</p>
<p>咨询请联系<span style="color:red">张老师</span>，手机<strong>{MOBILE}</strong>。</p>
<p><img src="qr.png" alt="扫码购买课程"></p>
<p>详见<a href="https://example.com/join?wx=加微信领取">报名链接</a>。</p></section>
<noscript>网络赌博</noscript>
</div></body></html>"""


def test_an_article_page_is_read_with_alt_texts_and_link_targets_but_not_scripts_or_styles(screener, tmp_path):
    path = tmp_path / "article.html"
    path.write_text(ARTICLE, "utf-8")
    result = screener.scan_file(path)
    assert places(result) == [("正文第3段", "mobile"), ("图片1", "lure"), ("链接1", "lure"), ("图片1", "image")]
    assert not [f for f in result.findings if f.category == "sensitive"]
    image = next(f for f in result.findings if f.rule == "image")
    assert image.severity == "info" and image.text == "扫码购买课程"


# -- docx -------------------------------------------------------------------------------------------


def build_docx(path):
    document = Document()
    document.add_paragraph("关于2024年度就业困难人员认定的公示")
    document.add_paragraph("")  # an empty line is not a paragraph a reader counts
    document.add_paragraph(f"联系人：张伟，手机{MOBILE}。")
    outer = document.add_table(rows=2, cols=2)
    outer.cell(0, 0).text = "说明"
    outer.cell(0, 1).text = "见内表"
    inner = outer.cell(1, 1).add_table(rows=2, cols=2)
    inner.cell(0, 0).text = "身份证号"
    inner.cell(1, 0).text = ID
    second = document.add_table(rows=1, cols=1)
    second.cell(0, 0).text = "来源：网络"
    section = document.sections[0]
    section.header.paragraphs[0].text = "内部资料 注意保存"
    section.footer.paragraphs[0].text = "加微信咨询"
    document.add_paragraph().add_run().add_picture(io.BytesIO(png_bytes()))
    document.save(path)
    add_footnote(path, f"申请人银行卡6212261102009988778，手机{MOBILE}")
    return path


def test_a_word_document_is_read_in_body_tables_nested_tables_headers_footers_and_footnotes(screener, tmp_path):
    result = screener.scan_file(build_docx(tmp_path / "公示.docx"))
    assert places(result) == [
        ("正文第2段", "mobile"),
        ("表格1第2行第2列内嵌表格1第2行第1列", "id_card"),
        ("页眉第1段", "internal"),
        ("页眉第1段", "internal"),
        ("脚注1", "bank_card"),
        ("脚注1", "mobile"),
        ("表格2第1行第1列", "no_source"),
        ("页脚第1段", "lure"),
        ("图片1", "image"),
    ]


def test_text_in_a_hyperlink_of_a_word_paragraph_is_read(screener, tmp_path):
    document = Document()
    paragraph = document.add_paragraph("联系方式：")
    paragraph._p.append(parse_xml(
        '<w:hyperlink xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:r><w:t>{MOBILE}</w:t></w:r></w:hyperlink>'))
    path = tmp_path / "link.docx"
    document.save(path)
    result = screener.scan_file(path)
    assert places(result) == [("正文第1段", "mobile")]
    assert (result.findings[0].start, result.findings[0].end) == (5, 16)


def test_scanning_a_word_document_does_not_change_it(screener, tmp_path):
    path = build_docx(tmp_path / "公示.docx")
    before = path.read_bytes()
    screener.scan_file(path)
    assert path.read_bytes() == before


# -- xlsx -------------------------------------------------------------------------------------------


def test_every_sheet_and_cell_of_a_workbook_is_read_as_sheet_and_cell(screener, tmp_path):
    workbook = Workbook()
    first = workbook.active
    first.title = "公示名单"
    first["A1"], first["B1"], first["C1"] = "序号", "姓名", "联系电话"
    first["A2"], first["B2"], first["C2"] = 1, "孙丽", int(MOBILE)   # typed in as a number
    other = workbook.create_sheet("附表")
    other["D10"] = "本表为内部资料"
    other["A1"] = "来源：网络"
    workbook.save(tmp_path / "名单.xlsx")
    result = screener.scan_file(tmp_path / "名单.xlsx")
    assert places(result) == [("公示名单!B2", "name"), ("公示名单!C2", "mobile"), ("附表!D10", "internal"),
                              ("附表!A1", "no_source")]


# -- pdf --------------------------------------------------------------------------------------------


def test_a_pdf_text_layer_is_read_by_page_and_line(screener, tmp_path):
    path = write_pdf(tmp_path / "通知.pdf", [["关于报送材料的通知", "请各单位按时报送。"],
                                             ["联系人：张伟", f"手机：{MOBILE}", "来源：网络"]])
    assert places(screener.scan_file(path)) == [("第2页第2行", "mobile"), ("第2页第3行", "no_source")]


# -- images -----------------------------------------------------------------------------------------


def test_an_image_file_is_reported_for_a_human_look(screener, tmp_path):
    path = tmp_path / "海报.png"
    path.write_bytes(png_bytes())
    result = screener.scan_file(path)
    assert [(f.where, f.category, f.severity) for f in result.findings] == [("图片", "map", "info")]
    assert not result.blocks


def _text_box(text: str, vml_fallback: bool) -> str:
    """A run holding a text box: a drawing (wps) with Word's VML copy as fallback, or an old VML box alone."""
    content = f'<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>'
    vml = f'<w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>'
    namespaces = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
                  'xmlns:v="urn:schemas-microsoft-com:vml"')
    if not vml_fallback:
        return f'<w:r {namespaces}>{vml}</w:r>'
    return (f'<w:r {namespaces}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>{content}'
            f'</wps:txbx></w:drawing></mc:Choice><mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>')


def test_text_boxes_in_the_body_and_the_header_are_read_once_each(screener, tmp_path):
    document = Document()
    document.add_paragraph("关于公布培训名单的通知")
    anchor = document.add_paragraph("见右侧说明")
    anchor._p.append(parse_xml(_text_box(f"咨询电话：{MOBILE}", vml_fallback=True)))
    document.add_paragraph("正文结束").add_run()._r.addnext(parse_xml(_text_box(f"身份证号{ID}", vml_fallback=False)))
    document.sections[0].header.paragraphs[0].text = "页眉"
    document.sections[0].header.paragraphs[0]._p.append(parse_xml(_text_box("内部资料 注意保存", vml_fallback=True)))
    path = tmp_path / "文本框.docx"
    document.save(path)
    result = screener.scan_file(path)
    assert places(result, "privacy") == [("文本框1第1段", "mobile"), ("文本框2第1段", "id_card")]
    assert ("页眉文本框1第1段", "internal") in places(result)
    # the anchoring paragraph itself does not repeat the box's text
    assert not any(f.where == "正文第2段" for f in result.findings)


def test_comments_on_cells_are_read_as_the_cells_comment(screener, tmp_path):
    from openpyxl.comments import Comment

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "公示名单"
    sheet["A1"], sheet["B1"] = "姓名", "备注"
    sheet["A2"] = "孙丽"
    sheet["A2"].comment = Comment(f"本人手机{MOBILE}，已电话核实", "经办人")
    extra = workbook.create_sheet("附表")
    extra["D4"].comment = Comment("内部资料 注意保存", "经办人")   # a comment on an empty cell
    path = tmp_path / "批注.xlsx"
    workbook.save(path)
    result = screener.scan_file(path)
    assert places(result, "privacy") == [("公示名单!A2批注", "mobile")]
    assert ("附表!D4批注", "internal") in places(result)
    finding = next(f for f in result.findings if f.rule == "mobile")
    assert (finding.start, finding.end) == (4, 15)
