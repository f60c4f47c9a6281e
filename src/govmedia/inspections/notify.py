"""Who hears about rectification items, in the app and by e-mail (``publishing.notify``), after commit.

- Items opened, accepted or reopened: the owning unit's 信息员 and 科室负责人.
- An answer: the office, which verifies it.
- An escalation: the office and the unit's leaders (主要负责人, 签发人, 科室负责人).
- The daily reminder: the unit's 信息员 and 科室负责人, once per person, item, deadline and phase.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.core.mail import send_mail
from django.db import transaction

from govmedia.org.models import Person, Role
from govmedia.publishing import notify as publishing_notify
from govmedia.publishing.models import Notification

UNIT_STAFF = (Role.CLERK, Role.SECTION_CHIEF)
UNIT_LEADERS = (Role.DIRECTOR, Role.SIGNER, Role.SECTION_CHIEF)
LIST_URL = "/rectifications/"
SOON_PREFIX, OVERDUE_PREFIX = "整改即将到期：", "整改已逾期："


_muted: ContextVar[bool] = ContextVar("inspections_notify_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Nobody is told of what happens inside (the demo data: it is history, not news)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _send(people, text: str, url: str) -> None:
    if not _muted.get():
        publishing_notify.send(people, text, url)


def item_url(item) -> str:
    return f"/rectifications/{item.pk}/"


def _people(unit_id: int | None, roles) -> list[Person]:
    qs = Person.objects.filter(role_grants__role__in=roles, is_active=True)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return list(qs.distinct().order_by("id"))


def office() -> list[Person]:
    return publishing_notify.office()


def opened(items: list, origin: str) -> None:
    """One message per unit for the items one patrol run or one inspection opened."""
    by_unit: dict[int, list] = defaultdict(list)
    for item in items:
        by_unit[item.unit_id].append(item)
    for unit_id, unit_items in by_unit.items():
        first = min(item.due_date for item in unit_items)
        text = (f"{origin}发现{len(unit_items)}个问题须整改，最早须在{first:%Y年%m月%d日}前完成（第十三条）："
                + "；".join(item.problem[:40] for item in unit_items[:3]))
        url = item_url(unit_items[0]) if len(unit_items) == 1 else f"{LIST_URL}?status=open"
        _send(_people(unit_id, UNIT_STAFF), text, url)


def answered(item) -> None:
    _send(office(), f"{item.unit}已提交整改材料，请验收：{item.problem[:60]}", item_url(item))


def accepted(item) -> None:
    _send(_people(item.unit_id, UNIT_STAFF), f"整改已验收通过：{item.problem[:60]}", item_url(item))


def reopened(item, reason: str) -> None:
    _send(_people(item.unit_id, UNIT_STAFF),
         f"整改被退回重办，须在{item.due_date:%Y年%m月%d日}前完成：{reason[:60]}", item_url(item))


def escalated(item) -> None:
    people = {p.pk: p for p in office() + _people(item.unit_id, UNIT_LEADERS)}
    _send(list(people.values()),
         f"整改逾期未完成（期限{item.due_date:%Y年%m月%d日}），{item.unit}：{item.problem[:60]}", item_url(item))


def send_reminders(items, on: date) -> int:
    """Remind the units of items due within RECTIFY_DUE_SOON_DAYS and of overdue ones; never twice the same.

    The Notification rows already written are the record: the text names the deadline, so a reopened item
    (new deadline) is reminded again. Returns the number of reminders written.
    """
    items = list(items)
    if not items:
        return 0
    staff: dict[int, list[Person]] = defaultdict(list)
    for person in (Person.objects.filter(unit_id__in={i.unit_id for i in items}, role_grants__role__in=UNIT_STAFF,
                                         is_active=True).distinct().order_by("id")):
        staff[person.unit_id].append(person)
    wanted = []
    for item in items:
        if item.due_date < on:
            text = f"{OVERDUE_PREFIX}{item.account}须于{item.due_date:%Y年%m月%d日}前完成整改：{item.problem}"
        else:
            when = "今天" if item.due_date == on else f"{item.due_date:%Y年%m月%d日}前"
            text = f"{SOON_PREFIX}{item.account}须在{when}完成整改（期限{item.due_date:%Y-%m-%d}）：{item.problem}"
        wanted += [(person, text[:300], item_url(item)) for person in staff[item.unit_id]]
    urls = {url for _, _, url in wanted}
    people = {p.pk for p, _, _ in wanted}
    sent_before = set(Notification.objects.filter(person_id__in=people, url__in=urls)  # notification_unread_idx
                      .values_list("person_id", "text", "url"))
    notes = [Notification(person=p, text=text, url=url) for p, text, url in wanted
             if (p.pk, text, url) not in sent_before]
    with transaction.atomic():
        Notification.objects.bulk_create(notes)
    for note in notes:
        if note.person.email:
            send_mail(f"【整改提醒】{note.text[:60]}", f"{note.text}\n\n{note.url}", None, [note.person.email],
                      fail_silently=True)
    return len(notes)

