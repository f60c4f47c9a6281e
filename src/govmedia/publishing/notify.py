"""Notifications in the app and by e-mail, sent after the transaction commits."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from govmedia.org.models import Person, Role
from govmedia.publishing.models import Notification, Stage, Status


def send(people, text: str, url: str) -> None:
    people = [p for p in people if p.is_active]
    Notification.objects.bulk_create([Notification(person=p, text=text[:300], url=url) for p in people])
    emails = [p.email for p in people if p.email]

    def mail():
        for email in emails:
            send_mail(f"【政务新媒体】{text[:60]}", f"{text}\n\n{url}", None, [email], fail_silently=True)

    transaction.on_commit(mail)


def office() -> list[Person]:
    """The lead office's active administrators: who every app's office reminders go to."""
    return list(Person.objects.filter(role_grants__role=Role.OFFICE, is_active=True).distinct().order_by("id"))


def reviewers_for(draft, stage: Stage) -> list[Person]:
    from govmedia.publishing.workflow import STAGE_ROLE, may_decide

    role = STAGE_ROLE[stage]
    candidates = Person.objects.filter(unit_id=draft.unit_id, role_grants__role=role, is_active=True).distinct()
    if stage == Stage.SECOND and draft.section_id:
        candidates = candidates.filter(Q(section_id=draft.section_id))
    return [p for p in candidates if may_decide(draft, p, stage) is None]


def stage_waiting(draft, stage: Stage) -> None:
    send(reviewers_for(draft, stage), f"待{stage.label}：《{draft.title}》", f"/drafts/{draft.pk}/")


def author(draft, status: Status) -> None:
    send([draft.author], f"您的稿件《{draft.title}》{status.label}", f"/drafts/{draft.pk}/")


def directive_issued(directive) -> None:
    units = set(directive.accounts.values_list("unit_id", flat=True))
    people = Person.objects.filter(unit_id__in=units, role_grants__role__in=[Role.CLERK, Role.SECTION_CHIEF],
                                   is_active=True).distinct()
    send(list(people), f"转载通知：《{directive.title}》须在{timezone.localtime(directive.due_at):%m月%d日%H:%M}前转载",
          f"/directives/{directive.pk}/")


def mark_read(person, pk: int | None = None) -> int:
    """Mark one of the person's unread notifications, or all of them, as read; returns how many.

    Only the reader's own display state changes, so no audit row is written (nothing in the register moves).
    """
    unread = Notification.objects.filter(person=person, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
