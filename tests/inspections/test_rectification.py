"""The life of a rectification item: answered with evidence, accepted or reopened, overdue, escalated, reminded."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from govmedia.audit.events import EventType
from govmedia.inspections import actions
from govmedia.inspections.actions import RectificationError
from govmedia.inspections.models import EventKind, Rectification, RectStatus
from govmedia.inspections.tasks import daily_rectification_escalation, remind_due_rectifications
from govmedia.publishing.models import Notification
from govmedia.workcal.calendar import add_workdays

MONDAY = "2026-06-08 09:00 +0800"


def _reload(item) -> Rectification:
    return Rectification.objects.get(pk=item.pk)


def test_the_unit_answers_and_the_office_accepts(bureau, weibo, make_item, clerk, office, audit):
    with time_machine.travel(MONDAY, tick=False):
        item = make_item(weibo)
        assert item.due_date == date(2026, 6, 11)  # 较重: 3 working days
        audit.mark()
        actions.answer_rectification(item, text="已删除原文并重新发布脱敏版本", actor=clerk,
                                     evidence=SimpleUploadedFile("截图.png", b"\x89PNG fake", "image/png"))
        assert _reload(item).status() == RectStatus.ANSWERED
        actions.accept_rectification(item, note="同意销号", actor=office)
    item = _reload(item)
    assert item.status() == RectStatus.ACCEPTED
    assert [e.kind for e in item.events.all()] == [EventKind.ANSWERED, EventKind.ACCEPTED]
    answer = item.events.first()
    assert (answer.actor, answer.evidence_name) == (clerk, "截图.png") and answer.evidence.read() == b"\x89PNG fake"
    assert audit.new() == [EventType.RECTIFICATION_ANSWERED, EventType.RECTIFICATION_ACCEPTED]
    assert Notification.objects.filter(person=office, text__contains="已提交整改材料，请验收").exists()
    assert Notification.objects.filter(person=clerk, text__startswith="整改已验收通过").exists()


def test_an_item_is_open_on_its_due_date_and_overdue_the_next_day(bureau, weibo, make_item):
    with time_machine.travel(MONDAY, tick=False):
        item = make_item(weibo, severity="severe")
    assert item.due_date == date(2026, 6, 9)  # 严重: 1 working day
    with time_machine.travel("2026-06-09 23:59 +0800", tick=False):
        assert _reload(item).status() == RectStatus.OPEN
        assert not Rectification.objects.overdue().filter(pk=item.pk).exists()
    with time_machine.travel("2026-06-10 00:00 +0800", tick=False):
        assert _reload(item).status() == RectStatus.OVERDUE
        assert Rectification.objects.overdue().filter(pk=item.pk).exists()
        assert Rectification.objects.in_status("overdue").filter(pk=item.pk).exists()


def test_reopening_gives_a_new_deadline_by_severity_from_the_reopening_day(bureau, weibo, make_item, clerk, office,
                                                                          audit):
    with time_machine.travel(MONDAY, tick=False):
        item = make_item(weibo)
        actions.answer_rectification(item, text="已整改", actor=clerk)
    with time_machine.travel("2026-06-12 16:00 +0800", tick=False):  # a Friday, after the first deadline
        audit.mark()
        actions.reopen_rectification(item, reason="原文仍可访问，请在平台后台删除", actor=office)
        item = _reload(item)
        assert item.due_date == add_workdays(date(2026, 6, 12), 3).date == date(2026, 6, 17)
        assert item.status() == RectStatus.OPEN
        assert audit.new() == [EventType.RECTIFICATION_REOPENED]
        assert item.events.last().due_date == date(2026, 6, 17)
    with time_machine.travel("2026-06-18 09:00 +0800", tick=False):
        assert _reload(item).status() == RectStatus.OVERDUE
        actions.answer_rectification(item, text="已在后台删除", actor=clerk)  # an overdue item may still be answered
        assert _reload(item).status() == RectStatus.ANSWERED


def test_an_overdue_item_escalates_once(bureau, weibo, make_item, office, director, chief, audit):
    with time_machine.travel(MONDAY, tick=False):
        item = make_item(weibo, severity="severe")
    with time_machine.travel("2026-06-10 08:40 +0800", tick=False):
        audit.mark()
        assert daily_rectification_escalation.call_local() == 1
        assert actions.escalate_overdue() == 0
    item = _reload(item)
    assert item.escalated_at is not None
    assert [e.kind for e in item.events.all()] == [EventKind.ESCALATED]
    assert audit.new() == [EventType.RECTIFICATION_ESCALATED]
    told = set(Notification.objects.filter(text__startswith="整改逾期未完成").values_list("person__username", flat=True))
    assert {"office", "director", "chief", "deputy", "leader"} <= told and "clerk" not in told


def test_an_answered_item_never_escalates(bureau, weibo, make_item, clerk):
    with time_machine.travel(MONDAY, tick=False):
        item = make_item(weibo, severity="severe")
        actions.answer_rectification(item, text="已整改", actor=clerk)
    with time_machine.travel("2026-06-20 09:00 +0800", tick=False):
        assert actions.escalate_overdue() == 0


@pytest.mark.parametrize("persona", ["office", "auditor", "vendor", "leader", "staff1"])
def test_only_the_units_clerks_chiefs_and_director_answer(bureau, weibo, make_item, persona):
    item = make_item(weibo)
    with pytest.raises(PermissionDenied):
        actions.answer_rectification(item, text="已整改", actor=bureau[persona])
    assert _reload(item).answered_at is None


@pytest.mark.parametrize("persona", ["clerk", "clerk2", "chief", "director"])
def test_the_units_answerers_may_answer(bureau, weibo, make_item, persona):
    item = make_item(weibo)
    actions.answer_rectification(item, text="已整改", actor=bureau[persona])
    assert _reload(item).status() == RectStatus.ANSWERED


def test_refusals_say_what_is_wrong(bureau, weibo, make_item, clerk, office):
    item = make_item(weibo)
    with pytest.raises(RectificationError, match="请填写整改情况说明") as empty:
        actions.answer_rectification(item, text="  ", actor=clerk)
    assert (empty.value.field, empty.value.code) == ("text", "invalid")
    with pytest.raises(RectificationError, match="当前为「待整改」，不能验收"):
        actions.accept_rectification(item, actor=office)
    with pytest.raises(RectificationError, match="类型不支持"):
        actions.answer_rectification(item, text="见附件", actor=clerk,
                                     evidence=SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream"))
    assert _reload(item).answered_at is None and not item.events.exists()  # the refused answer left nothing
    actions.answer_rectification(item, text="已整改", actor=clerk)
    with pytest.raises(RectificationError, match="当前为「待验收」，不能提交整改材料"):
        actions.answer_rectification(item, text="再次提交", actor=clerk)
    with pytest.raises(RectificationError, match="请填写退回理由"):
        actions.reopen_rectification(item, reason="", actor=office)
    actions.accept_rectification(item, actor=office)
    with pytest.raises(RectificationError, match="当前为「已整改」，不能退回重办"):
        actions.reopen_rectification(item, reason="再看看", actor=office)


def test_nobody_accepts_their_own_answer(bureau, weibo, make_item, office, clerk):
    from govmedia.org.actions import grant_role
    from govmedia.org.models import Role

    grant_role(office, Role.CLERK, actor="测试")  # an office admin who is also the bureau's 信息员
    office = type(office).objects.get(pk=office.pk)
    item = make_item(weibo)
    actions.answer_rectification(item, text="已整改", actor=office)
    with pytest.raises(PermissionDenied, match="须由局办公室其他人员验收"):
        actions.accept_rectification(item, actor=office)


def test_the_daily_reminder_tells_the_unit_once_per_deadline(bureau, weibo, brigade, make_item, clerk, outsider):
    with time_machine.travel(MONDAY, tick=False):
        soon = make_item(weibo, severity="severe")          # due Tue 9 June
        later = make_item(brigade, severity="general")      # due Mon 15 June
    with time_machine.travel("2026-06-08 08:35 +0800", tick=False):
        mail.outbox.clear()
        first = remind_due_rectifications()
        again = remind_due_rectifications()
    notes = Notification.objects.filter(text__startswith="整改即将到期")
    assert first == notes.count() > 0 and again == 0
    assert {n.person.username for n in notes} == {"clerk", "clerk2", "chief", "deputy"}  # not the brigade's yet
    assert all(n.url == f"/rectifications/{soon.pk}/" for n in notes)
    assert {m.to[0] for m in mail.outbox} >= {clerk.email}
    with time_machine.travel("2026-06-16 08:35 +0800", tick=False):
        remind_due_rectifications()
    overdue = Notification.objects.filter(text__startswith="整改已逾期")
    assert {n.url for n in overdue} == {f"/rectifications/{soon.pk}/", f"/rectifications/{later.pk}/"}
    assert overdue.filter(person=outsider).exists()
