"""Daily reminders of the weekly update (第六条), in the app and by e-mail (``publishing.notify``).

Each running account whose update is due or late (due, overdue, veto, dormant) is reminded to its managers
(专职管理人员) and its unit's 信息员, at most once a day: the notifications already written today are the
record (their address is the account's dashboard panel), so running the job twice repeats nothing. The office
gets one digest a day of the accounts in single veto (单项否决) or dormant (长期不更新).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from govmedia import policy
from govmedia.org.models import Person, Role
from govmedia.publishing import notify
from govmedia.publishing.models import Notification
from govmedia.registry.models import Account, Status
from govmedia.reports import dashboard

PREFIX = "更新提醒："
DIGEST_PREFIX = "账号更新日报："
DIGEST_STATES = ("veto", "dormant")
SHOWN_IN_DIGEST = 20


def _sent_today(prefix: str, now: datetime) -> set[str]:
    since = dashboard.local_midnight(timezone.localdate(now))
    return set(Notification.objects.filter(text__startswith=prefix, created_at__gte=since)
               .values_list("url", flat=True).distinct())


def _rows(now: datetime) -> list[dashboard.Row]:
    return dashboard.rows(Account.objects.in_status(Status.RUNNING, timezone.localdate(now)), now)


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日{local:%H:%M}"


def reminder_text(row: dashboard.Row) -> str:
    silence = "开设以来尚未发布内容" if row.never_posted else f"已{row.days}天未更新"
    deadline = f"应于{_when(row.due_at)}前更新" if row.status == "due" else f"已于{_when(row.due_at)}超期"
    return (f"{PREFIX}{row.account}{silence}（{row.status_label}），{deadline}"
            f"（第六条：每{policy.UPDATE_WEEKLY_DAYS}天至少更新一次）")


def send_update_reminders(now: datetime | None = None) -> int:
    """Remind managers and the unit's 信息员 of each account due or late; returns the notifications written."""
    now = now or timezone.now()
    late = [r for r in _rows(now) if r.status != "ok"]
    if not late:
        return 0
    done = _sent_today(PREFIX, now)
    todo = [r for r in late if reverse("update_account", args=[r.account.pk]) not in done]
    if not todo:
        return 0
    prefetch_related_objects([r.account for r in todo], "managers")
    clerks: dict[int, list[Person]] = {}
    for person in (Person.objects.filter(unit_id__in={r.account.unit_id for r in todo},
                                         role_grants__role=Role.CLERK, is_active=True).distinct().order_by("id")):
        clerks.setdefault(person.unit_id, []).append(person)
    sent = 0
    with transaction.atomic():  # e-mails go out once every notification is written
        for row in todo:
            people = {p.pk: p for p in [*row.account.managers.all(), *clerks.get(row.account.unit_id, [])]}
            recipients = [p for p in people.values() if p.is_active]
            if recipients:
                notify.send(recipients, reminder_text(row), reverse("update_account", args=[row.account.pk]))
                sent += len(recipients)
    return sent


def digest_text(rows: list[dashboard.Row]) -> str:
    counts = dashboard.state_counts(rows)
    names = "；".join(f"{r.account.unit.short_name or r.account.unit.name}{r.account}{r.days}天"
                     for r in rows[:SHOWN_IN_DIGEST])
    more = f"等{len(rows)}个" if len(rows) > SHOWN_IN_DIGEST else ""
    return (f"{DIGEST_PREFIX}单项否决{counts['veto']}个、长期不更新{counts['dormant']}个"
            f"（连续{policy.UPDATE_VETO_DAYS}天、{policy.UPDATE_DORMANT_DAYS}天以上未更新）：{names}{more}")


def send_office_digest(now: datetime | None = None) -> int:
    """One message a day to each 局办公室管理员 listing the accounts in veto or dormant; returns messages written."""
    now = now or timezone.now()
    rows, _ = dashboard.sort_rows([r for r in _rows(now) if r.status in DIGEST_STATES], dashboard.DEFAULT_SORT)
    if not rows or _sent_today(DIGEST_PREFIX, now):
        return 0
    office = notify.office()
    with transaction.atomic():
        notify.send(office, digest_text(rows), reverse("update_dashboard"))
    return len(office)
