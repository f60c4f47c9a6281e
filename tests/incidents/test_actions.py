"""Incidents, their timeline and closing; retractions; emergency plans and drills (第十条) — through the actions."""

from __future__ import annotations

from datetime import date, timedelta

import docx
import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govmedia import policy
from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.incidents import actions, queries
from govmedia.incidents.actions import IncidentError
from govmedia.incidents.models import Drill, EmergencyPlan, Incident, Kind
from govmedia.monitoring.actions import record_post
from govmedia.org.models import Unit
from govmedia.registry.models import Account


def _open(unit, actor, **overrides):
    now = timezone.now()
    fields = {"unit": unit, "kind": Kind.LEAK, "severity": "major", "title": "推文泄露个人信息",
              "occurred_at": now - timedelta(hours=3), "reported_at": now - timedelta(hours=2),
              "description": "推文附件含未脱敏身份证号。", "actor": actor} | overrides
    return actions.open_incident(**fields)


def test_an_incident_is_recorded_with_its_accounts_and_audited(bureau_unit, weibo, clerk, audit):
    audit.mark()
    incident = _open(bureau_unit, clerk, accounts=[weibo])
    assert audit.new() == [EventType.INCIDENT_OPENED]
    row = AuditEvent.objects.order_by("-seq").first()
    assert row.after["kind"] == "信息泄露" and row.after["accounts"] == [str(weibo)]
    assert list(incident.accounts.all()) == [weibo] and incident.is_open
    assert list(Incident.objects.open()) == [incident, *Incident.objects.open().exclude(pk=incident.pk)]


def test_an_account_of_another_unit_is_refused(bureau_unit, institution, office):
    other = Account.objects.filter(unit=institution).first()
    with pytest.raises(IncidentError, match=f"账号「{other}」不属于「{bureau_unit.name}」") as refused:
        _open(bureau_unit, office, accounts=[other])
    assert refused.value.field == "accounts"


@pytest.mark.parametrize(("overrides", "message", "field"), [
    ({"title": " "}, "请填写事件名称", "title"),
    ({"description": ""}, "请填写事件经过", "description"),
    ({"occurred_at": timezone.now() + timedelta(days=1)}, "发生时间不能晚于现在", "occurred_at"),
    ({"reported_at": timezone.now() - timedelta(days=2)}, "报告时间不能早于发生时间", "reported_at"),
])
def test_an_incident_with_a_missing_or_impossible_fact_is_refused(bureau_unit, clerk, overrides, message, field):
    with pytest.raises(IncidentError, match=message) as refused:
        _open(bureau_unit, clerk, **overrides)
    assert refused.value.field == field


@pytest.mark.parametrize("who", ["auditor", "vendor", "leader", "staff1"])
def test_who_may_not_record_for_the_bureau_is_refused(bureau, bureau_unit, who):
    with pytest.raises(PermissionDenied):
        _open(bureau_unit, bureau[who])


def test_the_office_records_for_any_unit(institution, office):
    assert _open(institution, office).unit == institution


def test_the_timeline_grows_until_the_incident_is_closed_with_its_summary(stolen, clerk, office, audit):
    audit.mark()
    with pytest.raises(IncidentError, match="请先登记至少一项处置措施"):
        actions.close_incident(stolen, summary="已处理", actor=office)
    first = actions.add_action(stolen, taken_at=timezone.now() - timedelta(minutes=40),
                               what="联系平台冻结账号", actor=clerk)
    second = actions.add_action(stolen, taken_at=timezone.now() - timedelta(minutes=45), taken_by="区委网信办",
                                what="通报网信办", actor=office)
    assert (first.taken_by, second.taken_by) == ("李明", "区委网信办")
    assert list(stolen.actions.all()) == [second, first]  # in the order they were taken
    with pytest.raises(IncidentError, match="请填写处置总结"):
        actions.close_incident(stolen, summary="  ", actor=office)
    closed = actions.close_incident(stolen, summary="账号已找回，密码已更换。", actor=office)
    assert not closed.is_open and closed.closed_by == office
    assert audit.new() == [EventType.INCIDENT_ACTION, EventType.INCIDENT_ACTION, EventType.INCIDENT_CLOSED]
    with pytest.raises(IncidentError, match="不能再添加处置措施"):
        actions.add_action(closed, taken_at=timezone.now(), what="补充", actor=office)
    with pytest.raises(IncidentError, match="该事件已处置完毕"):
        actions.close_incident(closed, summary="再次", actor=office)
    assert stolen not in Incident.objects.open()


def test_an_action_before_the_incident_happened_is_refused(stolen, clerk):
    with pytest.raises(IncidentError, match="处置时间不能早于事件发生时间"):
        actions.add_action(stolen, taken_at=stolen.occurred_at - timedelta(minutes=1), what="x", actor=clerk)


def test_a_retraction_of_a_recorded_post_takes_its_title_and_link(weibo, clerk, stolen, audit):
    post, _ = record_post(account=weibo, published_at=timezone.now() - timedelta(minutes=30), title="广告推文",
                          url="https://weibo.example/1", source="manual", actor=clerk)
    audit.mark()
    retraction = actions.record_retraction(account=weibo, post=post, retracted_at=timezone.now(),
                                           retracted_by="张伟", reason="盗号者发布的广告", incident=stolen, actor=clerk)
    assert (retraction.title, retraction.url, retraction.unit) == ("广告推文", "https://weibo.example/1", weibo.unit)
    assert audit.new() == [EventType.RETRACTION_RECORDED]
    assert list(stolen.retractions.all()) == [retraction]


def test_a_retraction_names_a_post_of_its_own_account(bureau_unit, weibo, clerk):
    douyin = Account.objects.get(unit=bureau_unit, platform__name="抖音")
    post, _ = record_post(account=douyin, published_at=timezone.now() - timedelta(hours=1), title="抖音短视频",
                          source="manual", actor=clerk)
    with pytest.raises(IncidentError, match="不属于账号") as refused:
        actions.record_retraction(account=weibo, post=post, retracted_at=timezone.now(), retracted_by="张伟",
                                  reason="错误", actor=clerk)
    assert refused.value.field == "post"


def test_a_retraction_without_a_post_needs_a_title(weibo, clerk):
    with pytest.raises(IncidentError, match="请填写被撤内容的标题"):
        actions.record_retraction(account=weibo, retracted_at=timezone.now(), retracted_by="张伟", reason="错误",
                                  actor=clerk)


def test_a_retraction_joins_only_an_incident_of_its_unit(institution, weibo, office):
    other = _open(institution, office)
    with pytest.raises(IncidentError, match="不属于「苏州市吴江区人力资源和社会保障局」"):
        actions.record_retraction(account=weibo, title="t", retracted_at=timezone.now(), retracted_by="王芳",
                                  reason="r", incident=other, actor=office)


def _upload(name="预案.docx", content=b"PK\x03\x04 plan"):
    return SimpleUploadedFile(name, content)


def test_a_plan_is_stored_once_under_its_content_and_audited(bureau_unit, institution, office, audit):
    audit.mark()
    first = actions.save_plan(unit=bureau_unit, title="预案一", document=_upload(), approved_on=date(2026, 1, 5),
                              actor=office)
    second = actions.save_plan(unit=institution, title="预案二", document=_upload("副本.docx"),
                               approved_on=date(2026, 1, 6), actor=office)
    assert first.document.name == second.document.name and first.document.name.endswith(".docx")
    assert (first.filename, second.filename) == ("预案.docx", "副本.docx")
    assert first.document.open("rb").read() == b"PK\x03\x04 plan"
    assert audit.new() == [EventType.EMERGENCY_PLAN_SAVED] * 2


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("预案.exe", b"MZ"), "预案文件应为 .pdf、.doc、.docx、.wps、.ofd 格式"),
    (SimpleUploadedFile("预案.pdf", b"x" * (policy.EMERGENCY_PLAN_MAX_BYTES + 1)), "预案文件不得超过 20 MB"),
])
def test_a_plan_file_of_the_wrong_kind_or_size_is_refused(bureau_unit, office, upload, message):
    with pytest.raises(IncidentError, match=message):
        actions.save_plan(unit=bureau_unit, title="预案", document=upload, approved_on=date(2026, 1, 5), actor=office)


def test_a_drill_is_held_under_the_plan_in_force_that_day(bureau_unit, office, audit):
    today = timezone.localdate()
    old = actions.save_plan(unit=bureau_unit, title="旧预案", document=_upload(content=b"old"),
                            approved_on=today - timedelta(days=100), actor=office)
    new = actions.save_plan(unit=bureau_unit, title="新预案", document=_upload(content=b"new"),
                            approved_on=today - timedelta(days=30), actor=office)
    audit.mark()
    before = actions.record_drill(unit=bureau_unit, held_on=today - timedelta(days=31), scenario="盗号",
                                  participants="办公室", findings="无", actor=office)
    after = actions.record_drill(unit=bureau_unit, held_on=today - timedelta(days=30), scenario="误发",
                                 participants="办公室", findings="无", actor=office)
    assert (before.plan, after.plan) == (old, new)
    assert audit.new() == [EventType.DRILL_RECORDED] * 2


def test_a_drill_needs_its_scenario_participants_and_findings(bureau_unit, office):
    with pytest.raises(IncidentError, match="请填写参加人员"):
        actions.record_drill(unit=bureau_unit, held_on=date(2026, 2, 1), scenario="盗号", participants=" ",
                             findings="无", actor=office)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 5, 31), 12, date(2025, 5, 31)),
    (date(2024, 2, 29), 12, date(2023, 2, 28)),
    (date(2026, 3, 31), 1, date(2026, 2, 28)),
    (date(2026, 1, 15), 13, date(2024, 12, 15)),
])
def test_months_are_counted_on_the_calendar(day, months, expected):
    assert queries.months_before(day, months) == expected


def test_a_unit_is_due_for_a_drill_the_day_after_the_policy_months_run_out(bureau_unit, office):
    Drill.objects.filter(unit=bureau_unit).delete()
    actions.record_drill(unit=bureau_unit, held_on=date(2025, 6, 10), scenario="盗号", participants="办公室",
                         findings="无", actor=office)
    units = Unit.objects.filter(pk=bureau_unit.pk)
    assert policy.EMERGENCY_DRILL_MONTHS == 12
    with time_machine.travel(date(2026, 6, 10)):
        [row] = queries.readiness(units)
        assert (row.last_drill, row.drill_due) == (date(2025, 6, 10), False)
    with time_machine.travel(date(2026, 6, 11)):
        assert queries.readiness(units)[0].drill_due is True


def test_the_demo_shows_each_readiness_state(bureau):
    rows = {r.unit.short_name: r for r in queries.readiness(Unit.objects.all())}
    assert rows["区人社局"].plan is not None and not rows["区人社局"].drill_due
    assert rows["监察大队"].plan is not None and rows["监察大队"].drill_due
    assert rows["人服中心"].plan is None and rows["人服中心"].drill_due
    assert EmergencyPlan.objects.count() == 2
    with rows["区人社局"].plan.document.open("rb") as stored:
        text = [p.text for p in docx.Document(stored).paragraphs]
    assert text[0] == "政务新媒体网络安全事件应急预案"
    assert {i.is_open for i in Incident.objects.all()} == {True, False}
