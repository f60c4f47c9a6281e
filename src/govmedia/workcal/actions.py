"""Setting and removing overrides; open filing deadlines are recomputed in the same transaction."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from govmedia.audit.actions import actor_label, record
from govmedia.audit.events import EventType
from govmedia.workcal.models import WorkdayOverride


@transaction.atomic
def set_override(day: date, *, is_workday: bool, note: str = "", actor) -> WorkdayOverride:
    existing = WorkdayOverride.objects.filter(day=day).first()
    before = {"is_workday": existing.is_workday, "note": existing.note} if existing else None
    row, _ = WorkdayOverride.objects.update_or_create(
        day=day, defaults={"is_workday": is_workday, "note": note, "set_by": actor_label(actor)[1]}
    )
    record(EventType.WORKDAY_OVERRIDE_SET, actor=actor, obj=row, before=before,
           after={"is_workday": is_workday, "note": note})
    _recompute_open_deadlines(actor)
    return row


@transaction.atomic
def remove_override(day: date, *, actor) -> None:
    row = WorkdayOverride.objects.filter(day=day).first()
    if row is None:
        return
    record(EventType.WORKDAY_OVERRIDE_REMOVED, actor=actor, obj=row,
           before={"is_workday": row.is_workday, "note": row.note})
    row.delete()
    _recompute_open_deadlines(actor)


def _recompute_open_deadlines(actor) -> None:
    from govmedia.registry.actions import recompute_filing_deadlines

    recompute_filing_deadlines(actor=actor)
