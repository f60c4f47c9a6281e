"""Reprint directives (第六条): every account a directive names must reprint the item within 24 hours.

Status is derived, never stored. An account is done when a reprint draft tied to the directive (``Draft.directive``,
kind 转载) has a publication on that account with a publication time: on time (done) at or before ``due_at``,
late (done_late) after it. Until then it is due, and overdue once the clock is past ``due_at`` — ``due_at`` itself
still counts as in time. A publication on an account the directive does not name changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from govmedia import policy
from govmedia.org.models import Person, Role
from govmedia.publishing.models import Kind, Notification, Publication, ReprintDirective
from govmedia.registry.models import Account, today

DONE, DONE_LATE, DUE, OVERDUE = "done", "done_late", "due", "overdue"
STATUS_LABEL = {DONE: "已转载", DONE_LATE: "逾期转载", DUE: "待转载", OVERDUE: "已逾期"}
REMINDED = (Role.CLERK, Role.SECTION_CHIEF)  # 第六条 falls on the unit's 信息员 and 科室负责人
SOON_PREFIX, OVERDUE_PREFIX = "转载即将到期：", "转载已逾期："

DirectiveAccount = ReprintDirective.accounts.through  # one row per (directive, account) the directive names


def _reprints() -> QuerySet[Publication]:
    return Publication.objects.filter(draft__kind=Kind.REPRINT, published_at__isnull=False)


def status_of(due_at: datetime, published_at: datetime | None, now: datetime) -> str:
    if published_at is not None:
        return DONE if published_at <= due_at else DONE_LATE
    return OVERDUE if now > due_at else DUE


def account_status(directive: ReprintDirective, account: Account, now: datetime | None = None) -> str:
    """"done", "done_late", "due" or "overdue" for one account of the directive."""
    first = (_reprints().filter(draft__directive=directive, account=account).order_by("published_at")
             .values_list("published_at", flat=True).first())
    return status_of(directive.due_at, first, now or timezone.now())


def rows(directive: ReprintDirective, now: datetime | None = None) -> list[dict]:
    """One row per account the directive names: its status, and the first reprint published there (if any)."""
    now = now or timezone.now()
    accounts = list(directive.accounts.select_related("platform", "unit"))
    first: dict[int, Publication] = {}
    for publication in (_reprints().filter(draft__directive=directive, account__in=accounts)
                        .select_related("draft").order_by("published_at", "id")):
        first.setdefault(publication.account_id, publication)
    result = []
    for account in accounts:
        publication = first.get(account.pk)
        status = status_of(directive.due_at, publication.published_at if publication else None, now)
        result.append({
            "account": account, "status": status, "status_label": STATUS_LABEL[status],
            "published_at": publication.published_at if publication else None,
            "url": publication.url if publication else "",
            "draft": publication.draft if publication else None,
        })
    return result


def _pending() -> QuerySet:
    """(directive, account) pairs with no reprint published yet, on accounts not cancelled."""
    published = _reprints().filter(draft__directive_id=OuterRef("reprintdirective_id"),
                                   account_id=OuterRef("account_id"))
    live = Q(account__cancelled_on__isnull=True) | Q(account__cancelled_on__gt=today())
    return (DirectiveAccount.objects.filter(live).filter(~Exists(published))
            .select_related("reprintdirective", "account__platform", "account__unit")
            .order_by("reprintdirective__due_at", "reprintdirective_id", "account__unit__sort_order",
                      "account__platform__sort_order", "account_id"))  # accounts as the ledger lists them


def due_for(person: Person, now: datetime | None = None) -> list[dict]:
    """The home page's 待办: directive/account pairs not yet reprinted, earliest deadline first.

    The office sees every unit's; anyone else their own unit's; the auditor acts on nothing and sees none here.
    One query (plus the person's roles), however many directives there are.
    """
    if not person.is_authenticated:
        return []
    links = _pending()
    if not person.has_role(Role.OFFICE):
        if person.has_role(Role.AUDITOR) or not person.unit_id:
            return []
        links = links.filter(account__unit_id=person.unit_id)
    now = now or timezone.now()
    items = []
    for link in links:
        directive = link.reprintdirective
        status = status_of(directive.due_at, None, now)
        items.append({"directive": directive, "account": link.account, "due_at": directive.due_at,
                      "status": status, "status_label": STATUS_LABEL[status]})
    return items


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日{local:%H:%M}"


def send_directive_reminders(now: datetime | None = None) -> int:
    """Remind the unit's 信息员 and 科室负责人 of reprints due within DIRECTIVE_REMIND_HOURS, and of overdue ones.

    In the app and by e-mail, once per person, directive and phase (due soon / overdue): the Notification rows
    already written are the record, so running the job every hour repeats nothing. Returns the number of
    reminders written.
    """
    now = now or timezone.now()
    horizon = now + timedelta(hours=policy.DIRECTIVE_REMIND_HOURS)
    pending: dict[ReprintDirective, dict[int, list[Account]]] = defaultdict(lambda: defaultdict(list))
    for link in _pending().filter(reprintdirective__due_at__lte=horizon):
        pending[link.reprintdirective][link.account.unit_id].append(link.account)
    if not pending:
        return 0
    units = {unit_id for by_unit in pending.values() for unit_id in by_unit}
    people: dict[int, list[Person]] = defaultdict(list)
    for person in (Person.objects.filter(unit_id__in=units, role_grants__role__in=REMINDED, is_active=True)
                   .distinct().order_by("id")):
        people[person.unit_id].append(person)
    urls = {directive: f"/directives/{directive.pk}/" for directive in pending}
    earlier = (Notification.objects.filter(url__in=urls.values())
               .filter(Q(text__startswith=SOON_PREFIX) | Q(text__startswith=OVERDUE_PREFIX))
               .values_list("person_id", "url", "text"))
    sent_before = {(person_id, url, SOON_PREFIX if text.startswith(SOON_PREFIX) else OVERDUE_PREFIX)
                   for person_id, url, text in earlier}
    notes: list[Notification] = []
    for directive, by_unit in pending.items():
        overdue = now > directive.due_at
        prefix = OVERDUE_PREFIX if overdue else SOON_PREFIX
        deadline = f"已于{_when(directive.due_at)}到期" if overdue else f"须在{_when(directive.due_at)}前转载"
        for unit_id, accounts in by_unit.items():
            names = "、".join(str(a) for a in accounts)
            text = f"{prefix}《{directive.title}》{deadline}，{names}尚未转载（第六条）"
            notes += [Notification(person=p, text=text[:300], url=urls[directive]) for p in people[unit_id]
                      if (p.pk, urls[directive], prefix) not in sent_before]
    with transaction.atomic():
        Notification.objects.bulk_create(notes)
    for note in notes:
        if note.person.email:
            send_mail(f"【转载提醒】{note.text[:60]}", f"{note.text}\n\n{note.url}", None, [note.person.email],
                      fail_silently=True)
    return len(notes)
