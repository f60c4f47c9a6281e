"""Reprint directives (第六条): 24 hours per account, done by a published reprint tied to the directive."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from govmedia.publishing import actions, directives
from govmedia.publishing.directives import OVERDUE_PREFIX, SOON_PREFIX
from govmedia.publishing.models import Kind, Notification
from govmedia.publishing.tasks import hourly_directive_reminders
from govmedia.registry.models import Account

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _local(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def _at(text):
    return time_machine.travel(_local(text), tick=False)


@pytest.fixture
def accounts(bureau):
    def get(platform, name):
        return Account.objects.get(platform__name=platform, name=name)

    return {"wechat": get("微信公众号", "吴江人社"), "weibo": get("新浪微博", "吴江人社"), "douyin": get("抖音", "吴江人社"),
            "inspection": get("微信公众号", "吴江劳动监察"), "talent": get("微信公众号", "吴江人才服务")}


def _directive(office, accounts, received="2026-11-27 09:00", title="人社部：进一步做好高校毕业生就业工作"):
    with _at(received):
        return actions.create_directive(title=title, source="人力资源和社会保障部", url="https://www.mohrss.gov.cn/a.html",
                                        received_at=_local(received), accounts=accounts, actor=office)


def _reprint(directive, accounts, at, people, *, kind=Kind.REPRINT, tied=True, failed=()):
    """clerk writes the reprint; clerk2, chief and leader approve; clerk records it published on each account
    (or, for the accounts in ``failed``, a failure)."""
    clerk, clerk2, chief, leader = people
    with _at(at):
        draft = actions.create_draft(accounts=accounts, title=directive.title, kind=kind, actor=clerk,
                                     source_name=directive.source, original_title=directive.title,
                                     directive=directive if tied else None)
        actions.submit_draft(draft, actor=clerk)
        for person in (clerk2, chief, leader):
            actions.decide(draft, verdict="approve", actor=person)
        for account in accounts:
            if account in failed:
                actions.record_publication(draft, account=account, actor=clerk, failure_reason="平台接口超时")
            else:
                actions.record_publication(draft, account=account, actor=clerk,
                                           url=f"https://example.com/{account.pk}")
    return draft


@pytest.fixture
def people(clerk, clerk2, chief, leader):
    return clerk, clerk2, chief, leader


def test_a_directive_received_at_nine_is_due_at_nine_the_next_morning(office, accounts):
    directive = _directive(office, [accounts["wechat"]])
    assert directive.due_at == _local("2026-11-28 09:00")


@pytest.mark.parametrize(("moment", "expected"), [
    ("2026-11-28 08:59:59", "due"),
    ("2026-11-28 09:00:00", "due"),
    ("2026-11-28 09:00:01", "overdue"),
])
def test_an_account_is_due_until_the_deadline_and_overdue_a_second_after(office, accounts, moment, expected):
    directive = _directive(office, [accounts["wechat"]])
    with _at(moment):
        assert directives.account_status(directive, accounts["wechat"]) == expected
        assert directives.rows(directive)[0]["status"] == expected


def test_a_reprint_published_before_the_deadline_is_done(office, accounts, people):
    directive = _directive(office, [accounts["wechat"]])
    draft = _reprint(directive, [accounts["wechat"]], "2026-11-28 08:30", people)
    with _at("2026-11-29 12:00"):
        assert directives.account_status(directive, accounts["wechat"]) == "done"
        [row] = directives.rows(directive)
    assert (row["status"], row["status_label"], row["published_at"], row["draft"]) == (
        "done", "已转载", _local("2026-11-28 08:30"), draft)


def test_a_reprint_published_after_the_deadline_is_done_late(office, accounts, people):
    directive = _directive(office, [accounts["wechat"]])
    _reprint(directive, [accounts["wechat"]], "2026-11-28 10:00", people)
    assert directives.account_status(directive, accounts["wechat"]) == "done_late"
    assert directives.rows(directive)[0]["status_label"] == "逾期转载"


def test_a_publication_on_an_account_the_directive_does_not_name_changes_nothing(office, accounts, people):
    directive = _directive(office, [accounts["wechat"], accounts["weibo"]])
    _reprint(directive, [accounts["wechat"], accounts["douyin"]], "2026-11-28 08:00", people)
    with _at("2026-11-28 08:30"):
        table = [(r["account"], r["status"], r["status_label"]) for r in directives.rows(directive)]
    assert table == [(accounts["wechat"], "done", "已转载"), (accounts["weibo"], "due", "待转载")]


def test_an_original_draft_or_an_untied_reprint_does_not_fulfil_the_directive(office, accounts, people):
    directive = _directive(office, [accounts["weibo"]])
    _reprint(directive, [accounts["weibo"]], "2026-11-28 08:00", people, kind=Kind.ORIGINAL)
    _reprint(directive, [accounts["weibo"]], "2026-11-28 08:10", people, tied=False)
    with _at("2026-11-28 09:00:01"):
        assert directives.rows(directive)[0]["status_label"] == "已逾期"


def test_a_failed_publication_does_not_fulfil_the_directive(office, accounts, people):
    directive = _directive(office, [accounts["wechat"], accounts["weibo"]])
    _reprint(directive, [accounts["wechat"], accounts["weibo"]], "2026-11-28 08:00", people, failed=[accounts["weibo"]])
    with _at("2026-11-28 08:30"):
        assert directives.account_status(directive, accounts["wechat"]) == "done"
        assert directives.account_status(directive, accounts["weibo"]) == "due"


@pytest.fixture
def two_directives(office, accounts):
    later = _directive(office, [accounts["wechat"], accounts["weibo"], accounts["inspection"], accounts["talent"]],
                       received="2026-11-27 09:00", title="转发：关于做好冬季劳动保障监察工作的通知")
    earlier = _directive(office, [accounts["wechat"], accounts["inspection"]], received="2026-11-26 12:00",
                         title="转发：全国人社系统行风建设通报")
    return earlier, later


def _pairs(items):
    return [(i["directive"], i["account"], i["status"]) for i in items]


def test_the_clerk_sees_the_bureaus_pending_reprints_earliest_deadline_first(two_directives, accounts, clerk):
    earlier, later = two_directives
    with _at("2026-11-27 13:00"):
        items = directives.due_for(clerk)
    assert _pairs(items) == [(earlier, accounts["wechat"], "overdue"), (later, accounts["wechat"], "due"),
                             (later, accounts["weibo"], "due")]
    assert [i["status_label"] for i in items] == ["已逾期", "待转载", "待转载"]


def test_an_institutions_clerk_sees_only_the_institutions_pending_reprints(two_directives, accounts, outsider):
    earlier, later = two_directives
    with _at("2026-11-27 13:00"):
        assert _pairs(directives.due_for(outsider)) == [(earlier, accounts["inspection"], "overdue"),
                                                        (later, accounts["inspection"], "due")]


def test_the_office_sees_every_units_pending_reprints_and_the_auditor_none(two_directives, accounts, office,
                                                                             auditor):
    earlier, later = two_directives
    with _at("2026-11-27 13:00"):
        assert _pairs(directives.due_for(office)) == [
            (earlier, accounts["wechat"], "overdue"), (earlier, accounts["inspection"], "overdue"),
            (later, accounts["wechat"], "due"), (later, accounts["weibo"], "due"),
            (later, accounts["inspection"], "due"), (later, accounts["talent"], "due")]
        assert directives.due_for(auditor) == []


def test_a_reprinted_account_leaves_the_todo_list(two_directives, accounts, people, clerk):
    earlier, later = two_directives
    _reprint(later, [accounts["weibo"]], "2026-11-27 15:00", people)
    with _at("2026-11-27 16:00"):
        assert _pairs(directives.due_for(clerk)) == [(earlier, accounts["wechat"], "overdue"),
                                                     (later, accounts["wechat"], "due")]


def test_the_todo_list_takes_the_same_queries_however_many_directives(office, accounts, clerk,
                                                                     django_assert_max_num_queries):
    for day in range(1, 7):
        _directive(office, [accounts["wechat"], accounts["weibo"]], received=f"2026-11-0{day} 09:00")
    assert clerk.roles  # read once per request by the page; not what is measured here
    with django_assert_max_num_queries(1):
        items = directives.due_for(clerk)
    assert len(items) == 12


def _reminded(prefix):
    return {n.person.username: n.text for n in Notification.objects.filter(text__startswith=prefix)}


def test_reminders_go_to_the_units_clerks_and_section_heads_six_hours_before_and_once_overdue(
        office, accounts, bureau):
    _directive(office, [accounts["wechat"], accounts["inspection"]])
    mail.outbox.clear()
    with _at("2026-11-28 02:59:59"):
        assert directives.send_directive_reminders() == 0
    with _at("2026-11-28 03:00"):
        assert directives.send_directive_reminders() == 5
    soon = _reminded(SOON_PREFIX)
    assert set(soon) == {"clerk", "clerk2", "chief", "deputy", "staff1"}  # not office, leaders, vendor, staff2
    assert "微信公众号「吴江人社」" in soon["clerk"] and "吴江劳动监察" not in soon["clerk"]
    assert "微信公众号「吴江劳动监察」" in soon["staff1"] and "须在11月28日09:00前转载" in soon["staff1"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(bureau[name].email
                                                          for name in ("clerk", "clerk2", "chief", "deputy"))
    with _at("2026-11-28 09:00"):
        assert directives.send_directive_reminders() == 0  # already reminded; not yet overdue
    with _at("2026-11-28 09:00:01"):
        assert directives.send_directive_reminders() == 5
        assert directives.send_directive_reminders() == 0
    assert set(_reminded(OVERDUE_PREFIX)) == {"clerk", "clerk2", "chief", "deputy", "staff1"}


def test_a_unit_that_has_reprinted_is_not_reminded(office, accounts, people):
    directive = _directive(office, [accounts["wechat"], accounts["inspection"]])
    _reprint(directive, [accounts["wechat"]], "2026-11-28 08:00", people)
    with _at("2026-11-28 08:30"):
        assert directives.send_directive_reminders() == 1
    assert set(_reminded(SOON_PREFIX)) == {"staff1"}


def test_the_periodic_job_sends_the_reminders(office, accounts):
    _directive(office, [accounts["wechat"]])
    mail.outbox.clear()
    with _at("2026-11-28 09:30"):
        result = hourly_directive_reminders.call_local()
    assert result == 4 and len(mail.outbox) == 4
