"""Reminders of 账号安全与人员, in the app and by e-mail (publishing.notify).

Passwords due or overdue go to the account's custodian and the office; overdue handover tasks to the office
and the account unit's registry editors. Each reminder is written once per person and text: the text names
the due date, so the next cycle (after a new change) reminds again while a daily run repeats nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from govmedia.org.access import REGISTRY_EDITORS
from govmedia.org.models import Person
from govmedia.publishing import notify
from govmedia.publishing.models import Notification
from govmedia.registry.models import Account, today


def _on_post():
    return Person.objects.filter(is_active=True, departed_on__isnull=True)


def _office() -> list[Person]:
    return notify.office()  # a departure deactivates the person, so the active are the ones on post


def _editors(unit_ids: set[int]) -> list[Person]:
    return list(_on_post().filter(unit_id__in=unit_ids, role_grants__role__in=REGISTRY_EDITORS)
                .distinct().order_by("id"))


def _send_once(people: list[Person], text: str, url: str) -> int:
    """notify people who have not had this exact reminder yet; returns how many were notified."""
    text = text[:300]
    already = set(Notification.objects.filter(url=url, text=text).values_list("person_id", flat=True))
    fresh = [p for p in dict.fromkeys(people) if p.pk not in already]
    if fresh:
        notify.send(fresh, text, url)
    return len(fresh)


def handover_opened(departure) -> int:
    """After a departure: tell the office and the units' editors which handover tasks are now open."""
    person = departure.person
    units = {t.account.unit_id for t in departure.tasks}
    accounts = "、".join(dict.fromkeys(str(t.account) for t in departure.tasks))
    first_due = min(t.due_date for t in departure.tasks)
    text = (f"【离岗交接】「{person.full_name or person.username}」已离岗，{accounts}有{len(departure.tasks)}项交接任务，"
            f"最早须于{first_due:%Y-%m-%d}前完成（第十二条(一)）")
    with transaction.atomic():
        return _send_once(_office() + _editors(units), text, f"/security/handovers/?person={person.username}")


def send_password_reminders(now=None) -> int:
    """Daily: every running account whose password is due or overdue; returns the reminders written."""
    from govmedia.security.queries import security_rows

    now = now or timezone.now()
    office = _office()
    sent = 0
    rows = security_rows(None, _all_running())
    for row in rows:
        state = row.state
        if state.status not in ("due", "overdue"):
            continue
        due = timezone.localtime(state.due_at)
        if state.status == "due":
            text = f"【密码即将到期】{row.account}的密码须于{due:%Y-%m-%d}前修改（第十二条(一)：原则上每3个月变更一次）"
        else:
            text = f"【密码已逾期】{row.account}的密码已于{due:%Y-%m-%d}到期，请尽快修改并登记（第十二条(一)）"
        custodian = [row.custodian] if row.custodian and row.custodian.is_active and not row.custodian.departed_on else []
        with transaction.atomic():
            sent += _send_once(custodian + office, text, f"/security/accounts/{row.account.pk}/")
    return sent


def _all_running():
    from govmedia.security.queries import with_security

    return with_security(Account.objects.in_status("running").select_related("unit", "platform"), devices=False)


def send_handover_reminders(on=None) -> int:
    """Daily: each overdue handover task, once, to the office and the account unit's editors."""
    from govmedia.security.models import HandoverTask

    on = on or today()
    office = _office()
    sent = 0
    for task in HandoverTask.objects.overdue(on).select_related("account__unit", "account__platform", "person"):
        text = (f"【交接逾期】「{task.person.full_name or task.person.username}」离岗后，{task.account}的"
                f"「{task.get_kind_display()}」已于{task.due_date:%Y-%m-%d}到期，尚未完成（第十二条(一)）")
        with transaction.atomic():
            sent += _send_once(office + _editors({task.account.unit_id}), text, f"/security/handovers/{task.pk}/")
    return sent
