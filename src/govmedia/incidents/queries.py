"""Questions the incident pages, the API and the home page ask: the same filters, the derived drill state."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date

from govmedia import policy
from govmedia.incidents import access
from govmedia.incidents.models import Drill, EmergencyPlan, Incident, Kind, Retraction, Severity
from govmedia.org.models import Person, Unit


def _day_bounds(params) -> tuple[datetime | None, datetime | None]:
    tz = timezone.get_current_timezone()
    start, end = parse_date(params.get("from", "") or ""), parse_date(params.get("to", "") or "")
    return (datetime.combine(start, time.min, tzinfo=tz) if start else None,
            datetime.combine(end, time.max, tzinfo=tz) if end else None)


def _unit_filter(qs, user: Person, params):
    qs = qs.filter(unit__in=access.viewable_units(user))
    unit = str(params.get("unit", "") or "")
    return qs.filter(unit_id=int(unit)) if unit.isdigit() else qs


def filter_incidents(user: Person, params) -> QuerySet[Incident]:
    """Incidents the person may see, narrowed by unit, kind, severity, state (open/closed), text and dates."""
    qs = _unit_filter(Incident.objects.select_related("unit"), user, params)
    if (kind := params.get("kind", "")) in Kind.values:
        qs = qs.filter(kind=kind)
    if (severity := params.get("severity", "")) in Severity.values:
        qs = qs.filter(severity=severity)
    state = params.get("state", "")
    if state == "open":
        qs = qs.open()
    elif state == "closed":
        qs = qs.filter(closed_at__isnull=False)
    if q := (params.get("q", "") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    start, end = _day_bounds(params)
    if start:
        qs = qs.filter(occurred_at__gte=start)
    if end:
        qs = qs.filter(occurred_at__lte=end)
    return qs


def filter_retractions(user: Person, params) -> QuerySet[Retraction]:
    qs = _unit_filter(Retraction.objects.select_related("unit", "account__platform", "incident"), user, params)
    if q := (params.get("q", "") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(reason__icontains=q) | Q(account__name__icontains=q))
    start, end = _day_bounds(params)
    if start:
        qs = qs.filter(retracted_at__gte=start)
    if end:
        qs = qs.filter(retracted_at__lte=end)
    return qs


def filter_drills(user: Person, params) -> QuerySet[Drill]:
    qs = _unit_filter(Drill.objects.select_related("unit", "plan"), user, params)
    start, end = parse_date(params.get("from", "") or ""), parse_date(params.get("to", "") or "")
    if start:
        qs = qs.filter(held_on__gte=start)
    if end:
        qs = qs.filter(held_on__lte=end)
    return qs


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def drill_due_before(on: date) -> date:
    """A unit whose last drill is before this day (or that has none) is due for one (第十条)."""
    return months_before(on, policy.EMERGENCY_DRILL_MONTHS)


@dataclass(frozen=True)
class Readiness:
    """One unit's emergency readiness: its plan in force, its last drill, and whether a drill is due."""

    unit: Unit
    plan: EmergencyPlan | None
    last_drill: date | None
    drill_due: bool


def readiness(units: QuerySet[Unit], on: date | None = None) -> list[Readiness]:
    on = on or timezone.localdate()
    limit = drill_due_before(on)
    units = units.annotate(last_drill=Max("drills__held_on")).order_by("sort_order", "id")
    plans: dict[int, EmergencyPlan] = {}
    for plan in EmergencyPlan.objects.filter(unit__in=units, approved_on__lte=on).order_by("-approved_on", "-id"):
        plans.setdefault(plan.unit_id, plan)
    return [Readiness(unit=u, plan=plans.get(u.pk), last_drill=u.last_drill,
                      drill_due=u.last_drill is None or u.last_drill < limit) for u in units]
