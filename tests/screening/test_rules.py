"""The rule families beyond privacy: secrecy, advertising, sensitive terms, expression, maps and reprints."""

from __future__ import annotations

import pytest

from govmedia.screening import Screener
from govmedia.screening.lexicons import LexiconError, read_file


def of(findings, category):
    return [f for f in findings if f.category == category]


def texts(text, findings):
    return [text[f.start:f.end] for f in findings]


# -- secrecy ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["绝密★长期\n关于研究部署有关工作的会议纪要", "机密★10年", "秘密★1年 关于调整的请示",
                                  "秘密\n关于某某事项的通知", "机密级"])
def test_a_classification_mark_blocks(screener, text):
    found = of(screener.scan_text(text), "secrecy")
    assert found and all(f.severity == "block" and f.rule == "classification" for f in found)


@pytest.mark.parametrize("marking", ["内部资料", "注意保存", "不得外传", "此件不公开", "内部资料 注意保存"])
def test_an_internal_only_marking_blocks(screener, marking):
    found = of(screener.scan_text(f"{marking}\n2024年工作要点"), "secrecy")
    assert found and all(f.severity == "block" for f in found)


@pytest.mark.parametrize("text", [
    "全体干部要增强保密意识，严防失泄密事件发生。",
    "保守国家秘密是每个公民的义务。",
    "对涉及国家秘密的政府信息，依法不予公开。",
    "各单位要注意保密工作，定期开展保密检查。",
    "秘密是守不住的，只有公开透明才能赢得信任。",
])
def test_prose_about_keeping_secrets_is_not_a_marking(screener, text):
    assert of(screener.scan_text(text), "secrecy") == []


# -- advertising ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, term", [
    ("扫码购买课程", "扫码购买"), ("详情加微信咨询", "加微信"), ("点击购买", "点击购买"), ("限时报名", "限时"),
    ("领取优惠券", "优惠券"), ("考证包过", "包过"), ("全网最低价", "全网最低"), ("扫 码 购 买", "扫 码 购 买"),
])
def test_a_purchase_lure_or_absolute_claim_warns(screener, text, term):
    found = of(screener.scan_text(text), "advertising")
    assert texts(text, found) == [term]
    assert found[0].severity == "warn"


@pytest.mark.parametrize("text", [
    "我区新增国家级技能大师工作室2个。",
    "2024年第一季度全区新增就业3000人。",
    "灵活就业人员可按最低缴费档次缴纳养老保险。",
    "实行限时办结制度。",
    "我区获评全国首批人力资源服务业高质量发展示范区。",
])
def test_government_usage_is_not_advertising(screener, text):
    assert of(screener.scan_text(text), "advertising") == []


# -- sensitive terms and lexicons ------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["网络赌博", "網絡賭博", "网 络 赌 博", "网*络*赌*博", "网·络·赌·博", "网\u200b络赌\u200d博",
                                     "网络 * 赌博", "网络－赌博"])
def test_a_banned_term_is_found_through_evasions(screener, written):
    text = f"警惕{written}陷阱"
    found = of(screener.scan_text(text), "sensitive")
    assert texts(text, found) == [written]
    assert found[0].severity == "block"


def test_a_full_width_latin_term_is_found(screener):
    text = "出售Ｋ粉"
    assert texts(text, of(screener.scan_text(text), "sensitive")) == ["Ｋ粉"]


def test_a_term_matches_only_whole(screener):
    # 网络赌博 is listed, 赌博 alone is not: government anti-gambling news is not gambling content.
    assert of(screener.scan_text("依法打击赌博违法犯罪活动。"), "sensitive") == []


def test_interference_characters_are_only_dropped_between_chinese_characters(screener):
    assert of(screener.scan_text("网络 2024 赌博"), "sensitive") == []


LEXICON = "# 本局补充词表：词\t类别\t级别\n代办养老保险\n违规返还\t违规\twarn\n内部价\t广告\t提示   # 中文级别也可\n\n"


def test_a_lexicon_file_reads_comments_tabs_categories_and_severities(tmp_path):
    path = tmp_path / "补充词表.txt"
    path.write_text(LEXICON, encoding="utf-8")
    entries = read_file(path)
    assert [(e.term, e.category, e.severity) for e in entries] == [
        ("代办养老保险", "违禁词", "block"), ("违规返还", "违规", "warn"), ("内部价", "广告", "info")]


def test_lexicon_terms_are_found_with_their_category_and_severity(tmp_path):
    path = tmp_path / "补充词表.txt"
    path.write_text(LEXICON, encoding="utf-8")
    screener = Screener.from_files([str(path)])
    text = "可代办养老保险，另有违規返還，享內部價"
    found = of(screener.scan_text(text), "sensitive")
    assert [(text[f.start:f.end], f.rule, f.severity) for f in found] == [
        ("代办养老保险", "违禁词", "block"), ("违規返還", "违规", "warn"), ("內部價", "广告", "info")]


def test_a_bad_severity_names_the_file_and_line_in_chinese(tmp_path):
    path = tmp_path / "坏词表.txt"
    path.write_text("# 注释\n好词\t类别\tblock\n坏词\t类别\t严重\n", encoding="utf-8")
    with pytest.raises(LexiconError) as raised:
        read_file(path)
    message = str(raised.value)
    assert str(path) in message and "第3行" in message and "严重" in message and "级别" in message


# -- expression -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, bracketed", [
    ("依据苏人社发[2024]88号执行", "[2024]"), ("依据苏人社发（2024）88号执行", "（2024）"),
    ("依据苏人社发【2024】88号执行", "【2024】"), ("根据人社部发(2024)11号文件", "(2024)"),
])
def test_a_document_number_year_must_use_六角括号(screener, text, bracketed):
    found = of(screener.scan_text(text), "expression")
    assert [(text[f.start:f.end], f.rule, f.suggestion) for f in found] == [
        (bracketed, "doc_number_brackets", "〔2024〕")]


@pytest.mark.parametrize("text", ["根据国办发〔2018〕123号文件", "人社部发〔2024〕11号",
                                  "本图审图号：GS（2024）0650号。", "审图号：苏S（2023）012号", "审图号：GS京（2022）1061号"])
def test_a_right_document_number_and_a_审图号_keeping_its_round_brackets_are_fine(screener, text):
    assert of(screener.scan_text(text), "expression") == []


@pytest.mark.parametrize("text, day", [
    ("报名时间为2024年4月31日至5月10日。", "2024年4月31日"), ("2023年2月29日", "2023年2月29日"),
    ("定于2月30日召开", "2月30日"), ("13月1日起施行", "13月1日"),
    ("讲座将于2024年3月8日（星期六）举行", "2024年3月8日（星期六）"), ("2024年3月8日(周六)", "2024年3月8日(周六)"),
])
def test_an_impossible_date_or_a_wrong_weekday_blocks(screener, text, day):
    found = of(screener.scan_text(text), "expression")
    assert [(text[f.start:f.end], f.rule, f.severity) for f in found] == [(day, "date", "block")]


@pytest.mark.parametrize("text", ["2024年2月29日", "讲座将于2024年3月8日（星期五）举行", "2024年3月10日（周日）",
                                  "2024年3月10日（星期天）", "12月31日前完成"])
def test_a_real_date_with_its_right_weekday_is_fine(screener, text):
    assert of(screener.scan_text(text), "expression") == []


@pytest.mark.parametrize("text, at", [
    ("请于“十一”前报送《2024年度工作总结。", "《"), ("详见2024年度工作总结》", "》"), ("他说：“请报送材料。", "“"),
    ("报送材料”", "”"), ("（一）报送材料（二", "（"), ("报送材料）", "）"), ("【通知报送材料", "【"), ("报送】材料", "】"),
])
def test_an_unbalanced_bracket_or_quote_warns_at_the_mark(screener, text, at):
    found = of(screener.scan_text(text), "expression")
    assert [(text[f.start:f.end], f.rule) for f in found] == [(at, "brackets")]


def test_balanced_brackets_and_quotes_are_fine(screener):
    assert of(screener.scan_text("请于“十一”前报送《关于（2024年）【重点】工作的总结》。"), "expression") == []


@pytest.mark.parametrize("text", ["欢迎来自美国、英国、台湾等国家的专家学者参会。", "香港、新加坡等国家",
                                  "推动中国和台湾的交流", "台湾与中国的贸易", "与美国和香港的企业"])
def test_hong_kong_macao_or_taiwan_as_a_country_blocks(screener, text):
    found = of(screener.scan_text(text), "expression")
    assert found and {f.rule for f in found} == {"hk_mo_tw"} and all(f.severity == "block" for f in found)


@pytest.mark.parametrize("text", ["欢迎来自美国、英国、台湾等国家和地区的专家学者参会。", "中国台湾、中国香港的学员",
                                  "香港、澳门等地区", "港澳台地区居民", "美国、台湾等国家（地区）", "大陆与台湾"])
def test_国家和地区_and_中国台湾_are_fine(screener, text):
    assert of(screener.scan_text(text), "expression") == []


@pytest.fixture(scope="module")
def with_leaders():
    return Screener(leaders=[("张三", "区长"), ("李四", "区委副书记")])


@pytest.mark.parametrize("text", ["区长张三出席会议", "张三区长出席会议", "区委副书记李四讲话", "副书记李四讲话",
                                  "张三同志出席", "区长张三、副区长王五出席"])
def test_a_leader_with_the_right_title_or_none_is_fine(with_leaders, text):
    assert of(with_leaders.scan_text(text), "expression") == []


@pytest.mark.parametrize("text, name", [("副区长张三出席会议", "张三"), ("张三书记讲话", "张三"),
                                        ("市长张三出席", "张三"), ("区委书记李四讲话", "李四")])
def test_a_leader_with_a_wrong_title_blocks(with_leaders, text, name):
    found = of(with_leaders.scan_text(text), "expression")
    assert [(text[f.start:f.end], f.rule, f.severity) for f in found] == [(name, "leader_title", "block")]


def test_the_leaders_list_ships_empty(screener):
    assert of(screener.scan_text("市长张三出席会议"), "expression") == []


# -- maps -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["下图为全区零工市场布局地图。", "附件：吴江区就业服务站点分布示意图", "项目区位图如下"])
def test_text_presenting_a_map_without_审图号_warns(screener, text):
    found = of(screener.scan_text(text), "map")
    assert found and found[0].rule == "no_approval_number" and found[0].severity == "warn"


@pytest.mark.parametrize("text", ["文件要求定期自查问题地图、商业广告等信息内容。", "可用百度地图导航至服务大厅。",
                                  "下图为全区零工市场布局地图（审图号：苏S（2023）012号）。"])
def test_naming_problem_maps_or_a_map_with_its_审图号_is_not_a_problem(screener, text):
    assert of(screener.scan_text(text), "map") == []


def test_a_审图号_anywhere_in_the_document_covers_its_map(screener):
    text = "下图为全区零工市场分布示意图。\n正文若干。\n审图号：GS（2024）0650号"
    assert of(screener.scan_text(text), "map") == []
    assert of(screener.scan_text("下图为全区零工市场分布示意图。\n正文若干。"), "map")


# -- reprints ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["来源：人民网", "来源：新华社", "转自：学习强国", "转载自：央视新闻", "来源：江苏省人力资源和社会保障厅",
                                  "来源：苏州市吴江区人民政府", "来源：吴江区公共就业服务中心", "来源：苏州日报",
                                  "来源：教育部", "（来源：中国政府网）", "来源：吴江发布"])
def test_a_whitelisted_or_government_source_is_fine(screener, line):
    assert of(screener.scan_text(f"{line}\n全国人社系统开展服务快办行动。"), "reprint") == []


@pytest.mark.parametrize("line, source", [("来源：网络", "网络"), ("（来源：网络）", "网络"), ("本文来源：网络", "网络"),
                                          ("作者：张三 来源：网络", "网络"), ("转自：朋友圈", "朋友圈")])
def test_来源网络_is_not_a_source(screener, line, source):
    found = of(screener.scan_text(f"{line}\n听说明年退休年龄又要变了？"), "reprint")
    assert [(f.rule, f.text) for f in found] == [("no_source", source)]


@pytest.mark.parametrize("line, source", [("来源：某某教育科技有限公司", "某某教育科技有限公司"),
                                          ("来源：某某职业培训中心", "某某职业培训中心"), ("转载自：吴江融媒", "吴江融媒")])
def test_a_source_off_the_whitelist_warns(screener, line, source):
    found = of(screener.scan_text(f"{line}\n考证培训火热报名中。"), "reprint")
    assert [(f.rule, f.text, f.severity) for f in found] == [("unlisted_source", source, "warn")]


def test_a_source_of_funds_is_not_a_reprint_source(screener):
    assert of(screener.scan_text("项目资金来源：财政拨款。"), "reprint") == []


def test_a_custom_whitelist_adds_sources_and_keeps_the_shipped_ones(tmp_path):
    path = tmp_path / "稿源白名单.txt"
    path.write_text("# 本局认可的稿源\n吴江融媒\n", encoding="utf-8")
    screener = Screener.from_files(whitelist_file=str(path))
    assert of(screener.scan_text("转载自：吴江融媒\n正文"), "reprint") == []
    assert of(screener.scan_text("来源：人民网\n正文"), "reprint") == []
    assert of(screener.scan_text("来源：某某自媒体\n正文"), "reprint")


def test_a_source_list_given_in_code_replaces_the_shipped_one():
    screener = Screener(reprint_sources=["吴江融媒"])
    assert of(screener.scan_text("来源：吴江融媒\n正文"), "reprint") == []
    assert of(screener.scan_text("来源：人民网\n正文"), "reprint")


def test_a_审图号_in_a_word_documents_caption_covers_the_map_in_its_body(screener, tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("下图为全区零工市场分布示意图。")
    document.add_paragraph("图：吴江区零工市场分布（审图号：苏S（2023）012号）")
    with_number = tmp_path / "有审图号.docx"
    document.save(with_number)
    bare = Document()
    bare.add_paragraph("下图为全区零工市场分布示意图。")
    without = tmp_path / "无审图号.docx"
    bare.save(without)
    assert of(screener.scan_file(with_number).findings, "map") == []
    assert [(f.where, f.rule) for f in of(screener.scan_file(without).findings, "map")] == [
        ("正文第1段", "no_approval_number")]
