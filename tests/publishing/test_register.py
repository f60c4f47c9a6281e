"""《区人社局信息发布审核登记表》: the rows and the .docx form, read back with python-docx."""

import io

import pytest
import time_machine
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import RGBColor

from govmedia.publishing import actions
from govmedia.publishing.models import Importance, Kind
from govmedia.publishing.register import FORM_TITLE, OVERRIDE_FLAG, build_register, register_rows
from govmedia.registry.models import Account

ID_NUMBER = "320509198504120213"


@pytest.fixture
def wechat(bureau, office):
    return Account.objects.get(platform__name="微信公众号", unit=office.unit)


@pytest.fixture
def weibo(bureau, office):
    return Account.objects.get(platform__name="新浪微博", unit=office.unit)


def _at(moment):
    return time_machine.travel(f"2026-11-27 {moment} +0800", tick=False)


@pytest.fixture
def signed_with_override(clerk, clerk2, chief, leader, wechat, weibo):
    """clerk writes a list with an ID number; clerk2 初审, chief 复审, leader 签发 with a written override."""
    with _at("09:00"):
        draft = actions.create_draft(accounts=[wechat, weibo], title="2026年度失业保险稳岗返还名单公示", actor=clerk,
                                     body=f"<p>李明，身份证号{ID_NUMBER}。</p>")
        actions.submit_draft(draft, actor=clerk)
    with _at("09:10"):
        actions.decide(draft, verdict="approve", actor=clerk2)
    with _at("10:20"):
        actions.decide(draft, verdict="approve", actor=chief, comment="已校对，数据与台账一致")
    with _at("11:30"):
        actions.decide(draft, verdict="approve", actor=leader, override_reason="惩戒公示，依法须公开")
    draft.refresh_from_db()
    return draft


def _read(data: bytes):
    return Document(io.BytesIO(data))


def _cells(document) -> dict[str, str]:
    """label → value of the form's table; a merged value cell appears once."""
    found = {}
    for row in document.tables[0].rows:
        cells = row.cells
        found[cells[0].text] = cells[1].text
        if cells[2]._tc is not cells[1]._tc:
            found[cells[2].text] = cells[3].text
    return found


def test_the_form_carries_every_levels_reviewer_time_and_opinion(signed_with_override):
    cells = _cells(_read(build_register(signed_with_override)))
    assert cells["初审（信息员）"] == "意见：同意\n审核人：赵敏\n时间：2026年11月27日 09:10"
    assert cells["复审（科室负责人）"] == "意见：已校对，数据与台账一致\n审核人：张伟\n时间：2026年11月27日 10:20"
    assert cells["签发（签发人）"] == (f"意见：同意\n{OVERRIDE_FLAG}放行理由：惩戒公示，依法须公开\n"
                                   "审核人：刘强\n时间：2026年11月27日 11:30")
    assert "终审（主要负责人）" not in cells  # a normal draft has three levels


def test_the_override_reason_is_flagged_in_red(signed_with_override):
    document = _read(build_register(signed_with_override))
    sign = next(row.cells[1] for row in document.tables[0].rows if row.cells[0].text == "签发（签发人）")
    flagged = next(p for p in sign.paragraphs if "惩戒公示，依法须公开" in p.text)
    flag = flagged.runs[0]
    assert flag.text == OVERRIDE_FLAG and flag.bold and flag.font.color.rgb == RGBColor(0xC0, 0, 0)


def test_the_form_carries_title_accounts_kind_author_and_submission_time(signed_with_override):
    cells = _cells(_read(build_register(signed_with_override)))
    assert cells["稿件标题"] == "2026年度失业保险稳岗返还名单公示"
    assert cells["发布账号"] == "微信公众号「吴江人社」，新浪微博「吴江人社」"
    assert cells["信息类型"] == "原创"
    assert cells["重要程度"] == "一般信息"
    assert cells["撰稿人"] == "李明（就业促进科）"
    assert cells["送审时间"] == "2026年11月27日 09:00"
    assert cells["发布情况"] == "尚未发布"


def test_the_screening_summary_lists_the_blocking_finding_and_the_override_but_not_the_id_number(
        signed_with_override):
    document = _read(build_register(signed_with_override))
    result = _cells(document)["检查结果"]
    assert result.splitlines() == [
        "共发现1处：个人隐私（阻断）1处",
        "阻断问题1处：",
        "1. 正文第1段：含公民身份号码，须去标识化处理（第十一条）",
        f"{OVERRIDE_FLAG}签发环节由刘强书面放行：惩戒公示，依法须公开",
    ]
    everything = "\n".join(c.text for row in document.tables[0].rows for c in row.cells)
    assert ID_NUMBER not in everything


def test_the_page_is_a4_with_the_gb_t_9704_margins(signed_with_override):
    section = _read(build_register(signed_with_override)).sections[0]
    measured = [round(x.cm, 2) for x in (section.page_width, section.page_height, section.top_margin,
                                         section.bottom_margin, section.left_margin, section.right_margin)]
    assert measured == [21.0, 29.7, 3.7, 3.5, 2.8, 2.6]


def test_the_title_is_centred_bold_song_and_the_table_is_ruled(signed_with_override):
    document = _read(build_register(signed_with_override))
    title = document.paragraphs[0]
    run = title.runs[0]
    assert (title.text, title.alignment, run.bold) == (FORM_TITLE, WD_ALIGN_PARAGRAPH.CENTER, True)
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    borders = document.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {(child.tag.split("}")[1], child.get(qn("w:val"))) for child in borders} == {
        (edge, "single") for edge in ("top", "left", "bottom", "right", "insideH", "insideV")}


def test_the_footer_names_the_generation_time_and_the_version(signed_with_override):
    with _at("15:45"):
        document = _read(build_register(signed_with_override))
    assert document.paragraphs[-1].text == (
        f"生成时间：2026年11月27日 15:45　　版本标识：{signed_with_override.content_hash[:12]}")


def test_a_major_draft_shows_the_directors_final_review(clerk, clerk2, chief, leader, director, wechat):
    with _at("09:00"):
        draft = actions.create_draft(accounts=[wechat], title="关于调整最低工资标准的通知", body="<p>自2027年1月1日起执行。</p>",
                                     importance=Importance.MAJOR, actor=clerk)
        actions.submit_draft(draft, actor=clerk)
    for moment, person in (("09:05", clerk2), ("09:30", chief), ("10:00", leader)):
        with _at(moment):
            actions.decide(draft, verdict="approve", actor=person)
    with _at("16:00"):
        actions.decide(draft, verdict="approve", actor=director, comment="同意发布")
    cells = _cells(_read(build_register(draft)))
    assert cells["终审（主要负责人）"] == "意见：同意发布\n审核人：周建国\n时间：2026年11月27日 16:00"
    assert cells["重要程度"] == "重要重大信息（须主要负责人终审）"


def test_a_draft_without_findings_reads_no_problem_found(clerk, wechat):
    draft = actions.create_draft(accounts=[wechat], title="通知", actor=clerk)
    actions.submit_draft(draft, actor=clerk)
    assert dict(register_rows(draft))["检查结果"] == "未发现问题"


def test_a_reprint_with_a_changed_title_shows_both_titles_and_its_source(clerk, wechat):
    draft = actions.create_draft(
        accounts=[wechat], title="人社部：2027年起个人养老金全面实施", actor=clerk, kind=Kind.REPRINT,
        source_name="人力资源和社会保障部网站", original_title="个人养老金制度将在全国全面实施",
        source_url="https://www.mohrss.gov.cn/example.html")
    cells = _cells(_read(build_register(draft)))
    assert cells["信息类型"].splitlines() == [
        "转载",
        "来源：人力资源和社会保障部网站",
        "原标题：个人养老金制度将在全国全面实施",
        "原文链接：https://www.mohrss.gov.cn/example.html",
        "标题有改动：发布标题《人社部：2027年起个人养老金全面实施》，原标题《个人养老金制度将在全国全面实施》",
    ]


def test_a_reprint_under_its_original_title_is_not_marked_as_changed(clerk, wechat):
    draft = actions.create_draft(accounts=[wechat], title="个人养老金制度将在全国全面实施", actor=clerk,
                                 kind=Kind.REPRINT, source_name="人力资源和社会保障部网站",
                                 original_title="个人养老金制度将在全国全面实施")
    assert dict(register_rows(draft))["信息类型"] == "转载\n来源：人力资源和社会保障部网站\n原标题：个人养老金制度将在全国全面实施"


def test_a_draft_still_in_review_shows_pending_levels(clerk, clerk2, wechat):
    with _at("09:00"):
        draft = actions.create_draft(accounts=[wechat], title="2026年度就业补贴申领指南", body="<p>可申领。</p>",
                                     actor=clerk)
        actions.submit_draft(draft, actor=clerk)
    with _at("09:10"):
        actions.decide(draft, verdict="approve", actor=clerk2)
    rows = dict(register_rows(draft))
    assert rows["初审（信息员）"] == "意见：同意\n审核人：赵敏\n时间：2026年11月27日 09:10"
    assert (rows["复审（科室负责人）"], rows["签发（签发人）"]) == ("待审", "待审")
    assert _cells(_read(build_register(draft)))["签发（签发人）"] == "待审"


def test_an_unsubmitted_draft_shows_no_review_and_no_screening(clerk, wechat):
    draft = actions.create_draft(accounts=[wechat], title="草稿", actor=clerk)
    rows = dict(register_rows(draft))
    assert (rows["送审时间"], rows["初审（信息员）"], rows["检查结果"]) == ("未送审", "未送审", "尚未送审检查")


def test_an_edit_after_approvals_leaves_only_the_current_versions_decisions(clerk, clerk2, chief, wechat):
    draft = actions.create_draft(accounts=[wechat], title="2026年度就业补贴申领指南", body="<p>可申领。</p>", actor=clerk)
    actions.submit_draft(draft, actor=clerk)
    actions.decide(draft, verdict="approve", actor=clerk2)
    actions.decide(draft, verdict="approve", actor=chief)
    draft = actions.update_draft(draft, body="<p>可于12月底前申领。</p>", actor=chief)
    rows = dict(register_rows(draft))
    assert [rows[label] for label in ("初审（信息员）", "复审（科室负责人）", "签发（签发人）")] == ["待审"] * 3


def test_a_returned_level_shows_the_comment_and_later_levels_are_not_reached(clerk, clerk2, wechat):
    draft = actions.create_draft(accounts=[wechat], title="2026年度就业补贴申领指南", actor=clerk)
    actions.submit_draft(draft, actor=clerk)
    actions.decide(draft, verdict="return", actor=clerk2, comment="请补充申领材料清单")
    rows = dict(register_rows(draft))
    assert rows["初审（信息员）"].startswith("意见：退回修改：请补充申领材料清单\n审核人：赵敏")
    assert rows["复审（科室负责人）"] == "稿件已退回修改，未进入本环节"


def test_the_coordination_with_other_units_is_shown_when_named(clerk, wechat):
    draft = actions.create_draft(accounts=[wechat], title="联合招聘会通知", actor=clerk, other_units="区教育局",
                                 coordination_note="已与区教育局办公室电话确认发布口径")
    rows = dict(register_rows(draft))
    assert (rows["涉及其他单位"], rows["沟通协调情况"]) == ("区教育局", "已与区教育局办公室电话确认发布口径")
    plain = actions.create_draft(accounts=[wechat], title="本单位通知", actor=clerk)
    assert "涉及其他单位" not in dict(register_rows(plain))


def test_the_publication_of_each_account_is_shown_with_link_or_failure(signed_with_override, clerk, wechat, weibo):
    with _at("14:00"):
        actions.record_publication(signed_with_override, account=wechat, actor=clerk,
                                   url="https://mp.weixin.qq.com/s/example")
        actions.record_publication(signed_with_override, account=weibo, actor=clerk, failure_reason="平台审核未通过")
    cells = _cells(_read(build_register(signed_with_override)))
    assert cells["发布情况"].splitlines() == [
        "微信公众号「吴江人社」：2026年11月27日 14:00发布 https://mp.weixin.qq.com/s/example",
        "新浪微博「吴江人社」：发布失败（平台审核未通过）",
    ]


def test_a_co_writer_is_named_on_the_form(clerk, clerk2, wechat):
    draft = actions.create_draft(accounts=[wechat], title="就业补贴指南", body="<p>初稿</p>", actor=clerk)
    actions.update_draft(draft, body="<p>改稿</p>", actor=clerk2)

    cells = _cells(_read(build_register(draft)))

    assert cells["修改人"] == str(clerk2)
