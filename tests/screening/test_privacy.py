"""第十一条(三) personal information: identifiers are judged by their checks, never by their length alone."""

from __future__ import annotations

import unicodedata

import pytest
from docx import Document
from openpyxl import Workbook

from .builders import id_number, luhn_complete, luhn_valid, wrong_check_digit

VALID_ID = id_number("320509", "19850412", "021")


def privacy(findings, rule=None):
    return [f for f in findings if f.category == "privacy" and (rule is None or f.rule == rule)]


def spans(text, findings):
    return [text[f.start:f.end] for f in findings]


# -- ID numbers -------------------------------------------------------------------------------------


def test_a_valid_18_digit_id_number_blocks_at_its_exact_place(screener):
    text = f"李明，身份证号{VALID_ID}，认定类别：长期失业人员。"
    found = privacy(screener.scan_text(text), "id_card")
    assert len(found) == 1
    assert found[0].severity == "block"
    assert spans(text, found) == [VALID_ID]


def test_an_id_number_with_a_wrong_check_digit_is_not_an_id(screener):
    assert privacy(screener.scan_text(f"编号{wrong_check_digit(VALID_ID)}")) == []


@pytest.mark.parametrize("area", ["990509", "000000", "100509", "800509"])
def test_an_id_number_from_no_province_is_not_an_id_even_with_a_right_check_digit(screener, area):
    assert privacy(screener.scan_text(f"编号{id_number(area, '19850412', '021')}")) == []


@pytest.mark.parametrize("birth", ["19850230", "19851301", "19850000", "18500101", "20990101"])
def test_an_id_number_with_an_impossible_birth_date_is_not_an_id(screener, birth):
    assert privacy(screener.scan_text(f"编号{id_number('320509', birth, '021')}")) == []


def test_a_february_29_birth_date_is_real_only_in_a_leap_year(screener):
    assert privacy(screener.scan_text(f"身份证{id_number('320509', '19840229', '021')}"), "id_card")
    assert privacy(screener.scan_text(f"身份证{id_number('320509', '19850229', '021')}")) == []


def test_an_id_number_ending_in_x_is_found_in_either_case(screener):
    with_x = next(n for n in (id_number("110105", "19491231", f"{s:03d}") for s in range(1000)) if n.endswith("X"))
    for number in (with_x, with_x[:-1] + "x"):
        text = f"身份证号：{number}。"
        assert spans(text, privacy(screener.scan_text(text), "id_card")) == [number]


def test_a_15_digit_old_id_number_is_found(screener):
    text = "老身份证号320509850412021仍可查询。"
    assert spans(text, privacy(screener.scan_text(text), "id_card")) == ["320509850412021"]


def test_a_15_digit_number_with_an_impossible_date_is_not_an_old_id(screener):
    assert privacy(screener.scan_text("流水号320509851332021")) == []


def test_an_id_number_inside_a_longer_number_is_not_an_id(screener):
    assert privacy(screener.scan_text(f"订单号9{VALID_ID}7")) == []


# -- mobiles --------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", [
    "18651234567", "186-5123-4567", "186 5123 4567", "+8618651234567", "+86 186 5123 4567", "+86-18651234567",
    "８６５１２３４５６７",
])
def test_a_mobile_number_is_found_however_it_is_separated(screener, written):
    written = written if not written.startswith("８") else "１" + written  # full-width digits, whole number
    text = f"请张伟同志（手机{written}）报送材料。"
    found = privacy(screener.scan_text(text), "mobile")
    assert len(found) == 1
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", text[found[0].start:found[0].end]) if ch.isdigit())
    assert digits.endswith("4567") and len(digits) == 11


@pytest.mark.parametrize("text", [
    "政策咨询请拨打0512-63456789或12333。",
    "咨询电话：0512－63456789，监督电话：12345。",
    "服务热线：400-820-8820。",
    "全年发放失业保险金15000000000元。",
    "合计￥13912345678。",
])
def test_office_lines_hotlines_and_amounts_are_not_mobiles(screener, text):
    assert privacy(screener.scan_text(text)) == []


# -- bank cards -------------------------------------------------------------------------------------


def test_a_luhn_valid_card_number_with_card_context_blocks(screener):
    card = luhn_complete("4367421", 19)
    text = f"补发资金已打入申请人银行卡{card}。"
    assert spans(text, privacy(screener.scan_text(text), "bank_card")) == [card]


def test_a_unionpay_card_number_needs_no_context(screener):
    card = luhn_complete("6212261", 19)
    text = f"请核对{card}是否正确"
    assert spans(text, privacy(screener.scan_text(text), "bank_card")) == [card]


def test_a_card_number_written_in_groups_of_four_is_found(screener):
    card = luhn_complete("622202", 16)
    grouped = " ".join(card[i:i + 4] for i in range(0, 16, 4))
    text = f"卡号：{grouped}"
    assert spans(text, privacy(screener.scan_text(text), "bank_card")) == [grouped]


def test_a_card_number_failing_luhn_is_not_a_card_even_beside_银行卡(screener):
    card = luhn_complete("6212261", 19)
    broken = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert not luhn_valid(broken)
    assert privacy(screener.scan_text(f"银行卡号{broken}")) == []


def test_a_luhn_valid_long_number_without_context_or_unionpay_prefix_is_not_a_card(screener):
    number = luhn_complete("4111", 16)
    assert privacy(screener.scan_text(f"编号{number}")) == []


def test_an_id_number_that_also_looks_like_a_card_is_reported_once_as_an_id(screener):
    # A Gansu ID (62…) that also passes Luhn: the ID wins, the card check does not look inside it.
    gansu = next(n for n in (id_number("620102", "19900101", f"{s:03d}") for s in range(1000))
                 if n[-1] != "X" and luhn_valid(n))
    text = f"银行卡及身份证：{gansu}"
    found = privacy(screener.scan_text(text))
    assert [(f.rule, text[f.start:f.end]) for f in found] == [("id_card", gansu)]


# -- e-mail and addresses --------------------------------------------------------------------------------


@pytest.mark.parametrize("mail", ["zhangwei1985@qq.com", "ZhangWei@163.com", "zw@vip.163.com", "zw@gmail.com"])
def test_a_personal_mailbox_is_flagged(screener, mail):
    text = f"材料请发送至{mail}。"
    found = privacy(screener.scan_text(text), "email")
    assert spans(text, found) == [mail]
    assert found[0].severity == "warn"


@pytest.mark.parametrize("mail", ["wjrsj@wujiang.gov.cn", "rsj@suzhou.gov.cn", "bgs@mohrss.gov.cn"])
def test_a_government_mailbox_is_not_personal(screener, mail):
    assert privacy(screener.scan_text(f"材料请发送至{mail}。")) == []


@pytest.mark.parametrize("address", ["长安花园3幢2单元501室", "幸福新村12-3-402室", "松陵镇梅里路88号金域华府7栋1203室",
                                     "鲈乡二村21幢"])
def test_a_home_address_down_to_building_or_room_is_flagged(screener, address):
    text = f"申请人家住吴江区{address}，现申请临时救助。"
    found = privacy(screener.scan_text(text), "address")
    assert len(found) == 1
    assert address in text[found[0].start:found[0].end]


def test_an_office_street_address_is_not_a_home_address(screener):
    assert privacy(screener.scan_text("办公地址：苏州市吴江区中山南路1979号。")) == []


# -- names beside identifiers -------------------------------------------------------------------------------


def test_names_in_a_姓名_column_beside_id_numbers_are_found_in_tab_separated_text(screener):
    text = f"序号\t姓名\t身份证号\n1\t孙丽\t{VALID_ID}\n2\t欧阳娜娜\t{id_number('320584', '19730606', '113')}"
    names = privacy(screener.scan_text(text), "name")
    assert [(f.where, f.text) for f in names] == [("第2行第2列", "孙*"), ("第3行第2列", "欧***")]


def test_names_in_a_docx_table_beside_mobiles_are_found(screener, tmp_path):
    document = Document()
    document.add_paragraph("2024年度就业困难人员认定名单")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("序号", "姓名", "联系电话"), ("1", "孙丽", "18651234567"), ("2", "周涛", "0512-63456789")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "名单.docx"
    document.save(path)
    result = screener.scan_file(path)
    assert result.error is None
    assert [(f.rule, f.where) for f in privacy(result.findings)] == [
        ("name", "表格1第2行第2列"), ("mobile", "表格1第2行第3列")]


def test_names_in_an_xlsx_sheet_beside_id_numbers_are_found(screener, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "公示名单"
    sheet.append(["2024年度技能补贴公示"])
    sheet.append(["序号", "姓名", "身份证号", "补贴金额"])
    sheet.append([1, "孙丽", VALID_ID, 1500])
    sheet.append([2, "周涛", "320509********0213", 1500])
    path = tmp_path / "公示.xlsx"
    workbook.save(path)
    result = screener.scan_file(path)
    assert [(f.rule, f.where, f.text) for f in privacy(result.findings)] == [
        ("name", "公示名单!B3", "孙*"), ("id_card", "公示名单!C3", "320*************13")]


def test_a_name_list_without_identifiers_is_not_private(screener):
    text = "序号\t姓名\t单位\n1\t孙丽\t区人社局\n2\t周涛\t区就业中心"
    assert privacy(screener.scan_text(text)) == []


# -- what is not personal -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "李明，身份证号320509********0213，认定类别：长期失业人员。",
    "联系人：张**，手机186****4567。",
    "补贴已发放至621226*********8778账户。",
    "政策咨询请拨打0512-63456789或12333。",
    "统一社会信用代码：91320509MA1MXXXX7A。",
    "统一社会信用代码：12320509466956712X。",
    "截至10月底，全区累计发放失业保险金21983456元。",
    "项目编号320509202410310001已进入公示期。",
    "合同编号320509202412319999。",
    "批次号20240101123456789012。",
])
def test_masked_values_public_numbers_credit_codes_amounts_and_project_numbers_are_not_findings(screener, text):
    assert privacy(screener.scan_text(text)) == []


def test_every_privacy_excerpt_is_masked(screener):
    card = luhn_complete("6212261", 19)
    text = f"李明 身份证{VALID_ID} 手机18651234567 银行卡{card} 邮箱liming@qq.com 住长安花园3幢2单元501室"
    found = privacy(screener.scan_text(text))
    assert {f.rule for f in found} == {"id_card", "mobile", "bank_card", "email", "address"}
    for f in found:
        original = text[f.start:f.end]
        assert f.text != original and "*" in f.text and len(f.text) == len(original)


def test_a_name_right_of_a_姓名_label_in_a_form_row_is_found_but_not_the_label(screener):
    text = f"姓名\t孙丽\t身份证号\t{VALID_ID}\n户籍地\t吴江区\t联系电话\t0512-63456789"
    names = privacy(screener.scan_text(text), "name")
    assert [(f.where, f.text) for f in names] == [("第1行第2列", "孙*")]


def test_the_姓名_header_itself_is_never_a_name(screener):
    text = "序号\t姓名\t手机\n1\t孙丽\t18651234567\n姓名\t姓名\t18612345678"
    names = privacy(screener.scan_text(text), "name")
    assert [f.where for f in names] == ["第2行第2列"]
