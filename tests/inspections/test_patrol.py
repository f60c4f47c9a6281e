"""Patrols (第九条): published posts re-scanned; each blocking finding opens exactly one rectification item."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.inspections.models import Rectification, Severity, Source
from govmedia.inspections.patrol import fingerprint, run_patrol
from govmedia.inspections.tasks import daily_patrol
from govmedia.monitoring.models import Post
from govmedia.publishing.models import Notification
from govmedia.workcal.calendar import add_workdays

from .conftest import ID_NUMBER, id_number

FRIDAY = "2026-06-05 10:00 +0800"


@time_machine.travel(FRIDAY, tick=False)
def test_an_id_number_in_a_published_post_opens_one_item_due_within_five_working_days(bureau, weibo, make_post,
                                                                                       audit):
    post = make_post(weibo, f"经审核，以下人员符合条件，现予公示。\n申请人：王某某，身份证号：{ID_NUMBER}。")
    audit.mark()

    result = run_patrol(account_id=weibo.pk)

    item = Rectification.objects.get(post=post)
    assert result.opened == [item]
    assert (item.source, item.severity, item.unit, item.account) == (Source.PATROL, Severity.MAJOR, weibo.unit, weibo)
    # 较重 (privacy): 3 working days from Friday 5 June 2026 — Mon 8, Tue 9, Wed 10.
    assert item.due_date == date(2026, 6, 10) == add_workdays(date(2026, 6, 5), 3).date
    assert (item.due_date - date(2026, 6, 5)).days <= 7  # within 5 working days, weekend included
    assert item.status().value == "open"
    assert "含公民身份号码" in item.problem and ID_NUMBER not in item.problem  # shown masked, never stored plain
    assert ID_NUMBER not in str(item.finding) and item.fingerprint != ""
    assert audit.new() == [EventType.RECTIFICATION_OPENED, EventType.PATROL_RUN]
    run = AuditEvent.objects.filter(event_type=EventType.PATROL_RUN).latest("seq")
    assert run.after["opened"] == 1 and run.after["findings"] == 1 and run.after["posts"] == weibo.posts.count()


def test_running_the_patrol_again_opens_nothing_twice(bureau, weibo, wechat, make_post, audit):
    make_post(weibo, f"身份证号：{ID_NUMBER}")
    first = run_patrol()
    count = Rectification.objects.count()
    assert len(first.opened) >= 2  # ours, and the demo's 公示 on the bureau's 微信公众号
    audit.mark()

    second = run_patrol()

    assert second.opened == [] and Rectification.objects.count() == count
    assert second.findings == first.findings  # the same findings were seen, and recognised
    assert audit.new() == [EventType.PATROL_RUN]


def test_an_edit_that_moves_the_finding_does_not_open_it_again(bureau, weibo, make_post):
    post = make_post(weibo, f"身份证号：{ID_NUMBER}")
    run_patrol(account_id=weibo.pk)
    Post.objects.filter(pk=post.pk).update(text=f"（更正）\n公示如下。\n身份证号为 {ID_NUMBER} 的申请人")

    assert run_patrol(account_id=weibo.pk).opened == []
    assert Rectification.objects.filter(post=post).count() == 1


def test_each_distinct_blocking_finding_opens_its_own_item_by_severity(bureau, weibo, make_post):
    post = make_post(weibo, f"秘密★1年\n身份证号：{ID_NUMBER}\n身份证号：{ID_NUMBER}\n联系邮箱 zhang.san@example.com")

    run_patrol(account_id=weibo.pk)

    items = {i.finding["category"]: i for i in Rectification.objects.filter(post=post)}
    assert set(items) == {"secrecy", "privacy"}  # the repeated ID is one problem; the e-mail only warns
    assert items["secrecy"].severity == Severity.SEVERE and items["privacy"].severity == Severity.MAJOR
    assert items["secrecy"].due_date == add_workdays(items["secrecy"].opened_at.date(), 1).date


def test_the_database_refuses_a_second_item_for_the_same_finding(bureau, weibo, make_post):
    make_post(weibo, f"身份证号：{ID_NUMBER}")
    item = run_patrol(account_id=weibo.pk).opened[0]
    duplicate = Rectification(account=weibo, unit=weibo.unit, source=Source.PATROL, severity="major", problem="重复",
                              post=item.post, fingerprint=item.fingerprint, opened_at=item.opened_at, opened_by="测试",
                              due_date=item.due_date)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_fingerprint_ignores_width_spacing_and_line_but_not_the_field():
    assert fingerprint("id_card", ID_NUMBER, "第2行") == fingerprint("id_card", ID_NUMBER, "第9行")
    assert fingerprint("id_card", "３２０５０９１９９００１０１０２１Ｘ", "第1行") == fingerprint("id_card", ID_NUMBER, "第3行")
    assert fingerprint("id_card", ID_NUMBER, "标题") != fingerprint("id_card", ID_NUMBER, "第1行")
    assert fingerprint("mobile", ID_NUMBER, "第1行") != fingerprint("id_card", ID_NUMBER, "第1行")


def test_the_units_clerks_and_chiefs_are_told(bureau, weibo, make_post, clerk, chief, vendor, outsider):
    make_post(weibo, f"身份证号：{ID_NUMBER}")
    run_patrol(account_id=weibo.pk)
    told = set(Notification.objects.filter(text__startswith="信息安全巡检发现").values_list("person__username",
                                                                                          flat=True))
    assert {"clerk", "clerk2", "chief", "deputy"} <= told
    assert not told & {"vendor", "staff1", "office", "auditor"}


def test_the_command_shows_its_progress_and_honours_since_and_account(bureau, weibo, wechat, make_post):
    make_post(weibo, f"身份证号：{ID_NUMBER}", published="2026-06-01 10:00")
    make_post(weibo, f"身份证号：{id_number('19850202')}", published="2020-01-01 10:00")  # before --since
    out = io.StringIO()

    call_command("patrol", "--since", "2026-05-01", "--account", str(weibo.pk), stdout=out)

    text = out.getvalue()
    scanned = weibo.posts.filter(published_at__date__gte=date(2026, 5, 1)).count()
    assert f"已检查 {scanned} 条" in text
    assert f"巡检完成：检查 {scanned} 条发布内容，发现阻断问题 1 个，新下发整改 1 项" in text
    assert not Rectification.objects.filter(account=wechat, source=Source.PATROL).exists()


def test_the_command_refuses_an_unknown_account_or_date(bureau):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="账号（编号 999999）不存在"):
        call_command("patrol", "--account", "999999", stdout=io.StringIO())
    with pytest.raises(CommandError, match="格式不正确"):
        call_command("patrol", "--since", "2026-13-01", stdout=io.StringIO())


def test_the_daily_job_runs_the_patrol(bureau, wechat):
    mail.outbox.clear()
    result = daily_patrol.call_local()
    assert result["opened"] >= 1  # the demo's 公示 with an ID number
    assert Rectification.objects.filter(account=wechat, source=Source.PATROL).count() == result["opened"]
