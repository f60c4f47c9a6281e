"""Working-day arithmetic with the office's overrides applied: what the rest of the app calls."""

from __future__ import annotations

from datetime import date

from govmedia import workdays
from govmedia.workcal.models import WorkdayOverride


def overrides() -> dict[date, bool]:
    return dict(WorkdayOverride.objects.values_list("day", "is_workday"))


def add_workdays(day: date, n: int) -> workdays.Due:
    return workdays.add(day, n, overrides=overrides())
