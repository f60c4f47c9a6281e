"""Inspections (第十三条): facts pre-filled, the inspector's answers, items by severity, and the 通报 .docx."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from docx import Document

from govmedia.audit.events import EventType
from govmedia.inspections import actions
from govmedia.inspections.actions import RectificationError
from govmedia.inspections.circular import build_circular
from govmedia.inspections.facts import reply_cutoff
from govmedia.inspections.models import Inspection, Outcome, Rectification, RectStatus, Source
from govmedia.inspections.patrol import run_patrol
from govmedia.monitoring.models import Interaction, InteractionKind, Post, PostSource
from govmedia.publishing import actions as publishing
from govmedia.registry import actions as registry
from govmedia.registry.models import EventKind
from govmedia.workcal.calendar import add_workdays

from .conftest import ID_NUMBER, at

MAY = (date(2026, 5, 1), date(2026, 5, 31))
CHECK_DAY = "2026-06-08 10:00 +0800"  # a Monday


def _post(account, when: str, text: str = "政策解读。", title: str = "就业政策解读"):
    return Post.objects.create(account=account, published_at=at(when), title=title, text=text,
                               source=PostSource.MANUAL)


def _results(inspection) -> dict:
    return {(r.account_id, r.item): r for r in inspection.results.all()}


@pytest.fixture
def may_facts(bureau, office, wechat, brigade):
    """May 2026 as the system saw it: the bureau's account fine but for one reprint; the brigade's not."""
    with time_machine.travel("2026-05-04 09:00 +0800", tick=False):
        registry.record_event(brigade, kind=EventKind.CHANGE, effective_date=date(2026, 5, 4), note="更换管理员",
                              actor=office)  # due 7 May, never filed
    _post(wechat, "2026-05-28 10:00")
    _post(brigade, "2026-05-12 10:00", text=f"投诉人身份证号：{ID_NUMBER}", title="欠薪投诉处理结果")
    publishing.create_directive(title="人社部关于做好就业工作的通知", source="人力资源和社会保障部",
                                received_at=at("2026-05-20 09:00"), accounts=[wechat], actor=office)
    Interaction.objects.create(account=brigade, kind=InteractionKind.MESSAGE, text="请问欠薪怎么投诉？",
                               received_at=at("2026-05-25 10:00"))
    Interaction.objects.create(account=wechat, kind=InteractionKind.MESSAGE, text="补贴何时发放？",
                               received_at=at("2026-05-25 10:00"), replied_at=at("2026-05-26 10:00"), reply="已答复")
    with time_machine.travel("2026-06-01 02:10 +0800", tick=False):
        run_patrol(account_id=brigade.pk)  # the ID number: a 较重 patrol item, still open at the check


def _open(office, wechat, brigade) -> Inspection:
    with time_machine.travel(CHECK_DAY, tick=False):
        return actions.open_inspection(title="2026年5月政务新媒体检查", period_start=MAY[0], period_end=MAY[1],
                                       accounts=[wechat, brigade], actor=office)


def test_opening_prefills_what_the_system_knows(may_facts, office, wechat, brigade, audit):
    audit.mark()
    inspection = _open(office, wechat, brigade)
    r = _results(inspection)
    assert audit.new() == [EventType.INSPECTION_OPENED]
    assert r[wechat.pk, "update"].outcome == Outcome.PASS and "最近一次发布于2026年5月28日" in r[wechat.pk, "update"].evidence
    assert r[brigade.pk, "update"].outcome == Outcome.FAIL
    assert "单项否决" in r[brigade.pk, "update"].evidence  # 12 May → 1 June: 20 days without an update
    assert r[wechat.pk, "reprint"].outcome == Outcome.FAIL and "逾期未转载1条" in r[wechat.pk, "reprint"].evidence
    assert r[brigade.pk, "reprint"].outcome == Outcome.PASS
    assert r[brigade.pk, "filing"].outcome == Outcome.FAIL and "逾期未备案" in r[brigade.pk, "filing"].evidence
    assert r[brigade.pk, "content"].outcome == Outcome.FAIL and r[brigade.pk, "content"].severity == "major"
    assert "未整改1个" in r[brigade.pk, "content"].evidence and r[wechat.pk, "content"].outcome == Outcome.PASS
    assert r[brigade.pk, "interaction"].outcome == Outcome.FAIL and "1条" in r[brigade.pk, "interaction"].evidence
    assert r[wechat.pk, "interaction"].outcome == Outcome.PASS
    assert r[wechat.pk, "security"].outcome == Outcome.PENDING and not r[wechat.pk, "security"].auto


def test_a_message_is_late_once_its_reply_deadline_has_passed(db):
    # 5 working days after Mon 25 May 2026 is Mon 1 June: late from Tue 2 June.
    assert add_workdays(date(2026, 5, 25), 5).date == date(2026, 6, 1)
    assert reply_cutoff(date(2026, 6, 2), 5) == date(2026, 5, 25)
    assert reply_cutoff(date(2026, 6, 1), 5) == date(2026, 5, 24)


def test_closing_needs_every_item_decided_then_opens_an_item_per_failure(may_facts, office, wechat, brigade, audit):
    inspection = _open(office, wechat, brigade)
    with time_machine.travel(CHECK_DAY, tick=False):
        with pytest.raises(RectificationError, match="还有检查项没有结论"):
            actions.close_inspection(inspection, actor=office)
        manual = {"relevance", "review", "security", "outsourcing"}
        actions.record_results(inspection, wechat, {code: {"outcome": "pass"} for code in manual}, actor=office)
        with pytest.raises(RectificationError, match="不通过，请写明存在的问题"):
            actions.record_results(inspection, brigade, {"security": {"outcome": "fail", "note": ""}}, actor=office)
        decisions = {code: {"outcome": "pass"} for code in manual}
        decisions["security"] = {"outcome": "fail", "severity": "severe", "note": "管理员手机开启自动登录"}
        audit.mark()
        actions.record_results(inspection, brigade, decisions, actor=office)
        items = actions.close_inspection(inspection, actor=office)
    assert audit.new() == ([EventType.INSPECTION_PROBLEM_RECORDED] + [EventType.RECTIFICATION_OPENED] * 6
                           + [EventType.INSPECTION_CLOSED])
    by_item = {(i.account_id, i.inspection_result.item): i for i in items}
    assert set(by_item) == {(wechat.pk, "reprint"), (brigade.pk, "update"), (brigade.pk, "filing"),
                            (brigade.pk, "content"), (brigade.pk, "interaction"), (brigade.pk, "security")}
    assert all(i.source == Source.INSPECTION for i in items)
    security = by_item[brigade.pk, "security"]
    assert security.due_date == add_workdays(date(2026, 6, 8), 1).date == date(2026, 6, 9)
    assert security.problem == "账号安全（第十二条）：管理员手机开启自动登录"
    assert by_item[brigade.pk, "update"].due_date == date(2026, 6, 11)        # 较重: 3 working days
    assert by_item[wechat.pk, "reprint"].due_date == date(2026, 6, 15)        # 一般: 5 working days
    with pytest.raises(RectificationError, match="检查已完成"):
        actions.record_results(inspection, wechat, {"review": {"outcome": "fail", "note": "x"}}, actor=office)


def _closed_with_items(office, wechat, brigade) -> Inspection:
    inspection = _open(office, wechat, brigade)
    with time_machine.travel(CHECK_DAY, tick=False):
        manual = {"relevance", "review", "security", "outsourcing"}
        for account in (wechat, brigade):
            actions.record_results(inspection, account, {c: {"outcome": "pass"} for c in manual}, actor=office)
        actions.close_inspection(inspection, actor=office)
    return inspection


def _docx_text(data: bytes) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    rows = [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]
    return text, rows


def test_the_circular_names_each_unit_what_failed_and_what_stayed_unfixed(may_facts, office, clerk, wechat, brigade,
                                                                        audit):
    inspection = _closed_with_items(office, wechat, brigade)
    reprint = Rectification.objects.get(inspection_result__inspection=inspection, account=wechat)
    with time_machine.travel("2026-06-09 10:00 +0800", tick=False):
        actions.answer_rectification(reprint, text="已补转", actor=clerk)
        actions.accept_rectification(reprint, actor=office)
    with time_machine.travel("2026-06-20 10:00 +0800", tick=False):  # the brigade's items are all overdue now
        audit.mark()
        data = actions.generate_circular(inspection, actor=office)
        assert audit.new() == [EventType.CIRCULAR_GENERATED]
    text, rows = _docx_text(data)
    assert "关于2026年5月政务新媒体检查情况的通报" in text
    assert "吴人社办〔" in text and "各科室、各直属事业单位：" in text
    assert "苏州市吴江区人力资源和社会保障局办公室" in text and "2026年6月20日" in text
    assert "共发现问题5个，涉及2个单位" in text
    assert "已整改到位1个" in text and "逾期未整改4个" in text
    unfixed = text.split("三、整改未到位情况")[1].split("四、有关要求")[0]
    assert "苏州市吴江区劳动保障监察大队：4个问题尚未整改到位，其中4个已超过整改期限仍未整改，予以通报批评" in unfixed
    assert "苏州市吴江区人力资源和社会保障局" not in unfixed  # the bureau fixed its one problem
    assert "微信公众号「吴江劳动监察」更新频率问题逾期未整改" in unfixed
    header, *body = rows
    assert header == ["序号", "责任单位", "账号", "问题", "严重程度", "整改期限", "整改情况"]
    assert len(body) == 5
    bureau_row = next(row for row in body if row[2] == "微信公众号「吴江人社」")
    assert bureau_row[1] == "区人社局" and bureau_row[3].startswith("转载时效（第六条）") and bureau_row[6] == "已整改"
    assert {row[6] for row in body if row[2] == "微信公众号「吴江劳动监察」"} == {RectStatus.OVERDUE.label}


def test_a_circular_without_problems_says_so(bureau, office, weibo):
    _post(weibo, "2026-05-30 10:00")
    with time_machine.travel(CHECK_DAY, tick=False):
        inspection = actions.open_inspection(title="专项检查", period_start=MAY[0], period_end=MAY[1], accounts=[weibo],
                                             actor=office)
        actions.record_results(inspection, weibo, {c: {"outcome": "pass"} for c in
                                                   ("relevance", "review", "security", "outsourcing")}, actor=office)
        actions.close_inspection(inspection, actor=office)
        text, rows = _docx_text(build_circular(inspection))
    assert "未发现问题" in text and "均已整改到位" in text
    assert rows[1][0] == "未发现问题"


def test_no_circular_before_the_inspection_is_closed(may_facts, office, wechat, brigade):
    inspection = _open(office, wechat, brigade)
    with pytest.raises(RectificationError, match="检查完成后才能生成通报"):
        actions.generate_circular(inspection, actor=office)


@pytest.mark.parametrize(("field", "kwargs", "message"), [
    ("title", {"title": " "}, "请填写检查名称"),
    ("period_start", {"period_start": date(2026, 6, 1)}, "开始日期不能晚于结束日期"),
    ("period_end", {"period_end": date(2026, 6, 9)}, "结束日期不能晚于今天"),
    ("accounts", {"accounts": []}, "请至少选择一个受检账号"),
])
def test_opening_refuses_bad_input_by_field(bureau, office, weibo, field, kwargs, message):
    values = {"title": "检查", "period_start": MAY[0], "period_end": MAY[1], "accounts": [weibo]} | kwargs
    with time_machine.travel(CHECK_DAY, tick=False), pytest.raises(RectificationError, match=message) as refused:
        actions.open_inspection(actor=office, **values)
    assert refused.value.field == field
