"""The daily reminder of the weekly update (第六条): managers and the unit's 信息员, once a day per account, in the
app and by e-mail; and the office's digest of accounts in single veto or dormant."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from govmedia.org.actions import grant_role
from govmedia.org.models import Role
from govmedia.publishing.models import Notification
from govmedia.reports import reminders
from govmedia.reports.tasks import daily_update_reminders

from .conftest import add_account, add_post, local, make_unit


def _notes(person, prefix=reminders.PREFIX):
    return list(Notification.objects.filter(person=person, text__startswith=prefix).order_by("id"))


def test_managers_and_the_units_clerks_are_reminded_of_each_account_not_up_to_date(
        watched, django_capture_on_commit_callbacks, clerk):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders.send_update_reminders()
    assert sent > 0
    for person in (watched.clerk, watched.manager):
        urls = {n.url for n in _notes(person)}
        expected = {f"/dashboard/accounts/{watched.accounts[k].pk}/" for k in ("due", "overdue", "veto", "dormant", "never")}
        assert urls == expected  # the fresh account is not reminded
    overdue = next(n for n in _notes(watched.clerk) if n.url.endswith(f"/{watched.accounts['overdue'].pk}/"))
    last = timezone.localtime(watched.now - timedelta(days=10, hours=1) + timedelta(days=7))
    assert overdue.text == (f"更新提醒：抖音「就业中心overdue」已10天未更新（超期未更新），"
                            f"已于{last.month}月{last.day}日{last:%H:%M}超期（第六条：每7天至少更新一次）")
    due = next(n for n in _notes(watched.manager) if n.url.endswith(f"/{watched.accounts['due'].pk}/"))
    assert "（即将到期），应于" in due.text
    never = next(n for n in _notes(watched.manager) if n.url.endswith(f"/{watched.accounts['never'].pk}/"))
    assert "开设以来尚未发布内容（长期不更新）" in never.text
    theirs = {n.url for n in _notes(clerk)}
    assert theirs and not theirs & expected  # another unit's clerk hears of their own accounts only
    mails = [m for m in mail.outbox if m.to in ([watched.clerk.email], [watched.manager.email])]
    assert len(mails) == 10 and all(m.subject.startswith("【政务新媒体】更新提醒：") for m in mails)


def test_a_person_who_is_both_manager_and_clerk_hears_once_per_account(bureau):
    ns = make_unit("苏州市吴江区创业指导中心", "创业中心")
    grant_role(ns.manager, Role.CLERK, actor="测试")
    account = add_account(ns, "wechat", "微信公众号")
    reminders.send_update_reminders()
    assert [n.url for n in _notes(ns.manager)] == [f"/dashboard/accounts/{account.pk}/"]
    assert [n.url for n in _notes(ns.clerk)] == [f"/dashboard/accounts/{account.pk}/"]


def test_an_account_is_reminded_at_most_once_a_day(watched):
    first = reminders.send_update_reminders()
    assert first > 0
    assert reminders.send_update_reminders() == 0
    assert len(_notes(watched.clerk)) == 5
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        assert reminders.send_update_reminders() == first
    assert len(_notes(watched.clerk)) == 10


def test_a_day_begins_at_local_midnight(bureau):
    ns = make_unit("苏州市吴江区午夜中心", "午夜中心")
    account = add_account(ns, "wechat", "微信公众号")
    add_post(account, local("2026-11-01 12:00"))
    with time_machine.travel(local("2026-11-20 23:30"), tick=False):
        reminders.send_update_reminders()
    with time_machine.travel(local("2026-11-20 23:59"), tick=False):
        reminders.send_update_reminders()
    assert len(_notes(ns.clerk)) == 1
    with time_machine.travel(local("2026-11-21 00:01"), tick=False):  # 16:01 UTC: the same UTC day
        reminders.send_update_reminders()
    assert len(_notes(ns.clerk)) == 2


def test_a_person_who_left_is_not_reminded(watched):
    watched.manager.is_active = False
    watched.manager.save()
    reminders.send_update_reminders()
    assert _notes(watched.manager) == [] and len(_notes(watched.clerk)) == 5


def test_the_office_gets_one_digest_a_day_of_veto_and_dormant_accounts(watched, office, clerk,
                                                                        django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_office_digest() == 1
    [digest] = _notes(office, reminders.DIGEST_PREFIX)
    assert digest.url == "/dashboard/"
    assert "快手「就业中心veto」20天" in digest.text and "哔哩哔哩「就业中心never」" in digest.text
    assert "就业中心overdue" not in digest.text and "就业中心due" not in digest.text
    assert digest.text.startswith("账号更新日报：单项否决")
    assert [m.to for m in mail.outbox] == [[office.email]]
    assert _notes(clerk, reminders.DIGEST_PREFIX) == []
    assert reminders.send_office_digest() == 0  # not twice a day
    assert len(_notes(office, reminders.DIGEST_PREFIX)) == 1


def test_the_periodic_job_reminds_and_sends_the_digest(watched, office):
    result = daily_update_reminders.call_local()
    assert result["reminders"] > 0 and result["digest"] == 1
    assert daily_update_reminders.call_local() == {"reminders": 0, "digest": 0}
