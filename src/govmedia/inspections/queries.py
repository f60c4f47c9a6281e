"""Named questions about rectification items and inspections, always asked on behalf of someone."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, Value, When

from govmedia.inspections.models import (
    Inspection,
    Rectification,
    RectStatus,
    Severity,
    Source,
)
from govmedia.org import access
from govmedia.registry.models import today

SEVERITY_RANK = Case(*(When(severity=s.value, then=Value(i)) for i, s in enumerate(Severity)),
                     output_field=IntegerField())
SORTS = {"due": "due_date", "opened": "opened_at", "unit": "unit__sort_order", "status": "status_code",
         "severity": "severity_rank", "account": "account__platform__sort_order"}


def rectifications_for(user):
    return (Rectification.objects.filter(unit__in=access.visible_units(user))
            .select_related("unit", "account__platform", "inspection_result__inspection"))


def filter_rectifications(user, params) -> tuple:
    """The list's filters — status, source, unit, account, severity, inspection, q — on what ``user`` sees."""
    on = today()
    qs = rectifications_for(user).with_status(on).annotate(severity_rank=SEVERITY_RANK)
    active: dict = {}
    status = params.get("status", "")
    if status == "pending":
        qs, active["status"] = qs.pending(), status
    elif status in RectStatus.values:
        qs, active["status"] = qs.in_status(status, on), status
    if (source := params.get("source", "")) in Source.values:
        qs, active["source"] = qs.filter(source=source), source
    if (severity := params.get("severity", "")) in Severity.values:
        qs, active["severity"] = qs.filter(severity=severity), severity
    for key, field in (("unit", "unit_id"), ("account", "account_id"),
                       ("inspection", "inspection_result__inspection_id")):
        value = str(params.get(key, "") or "")
        if value.isdigit():
            qs, active[key] = qs.filter(**{field: int(value)}), int(value)
    if q := str(params.get("q", "") or "").strip():
        qs, active["q"] = qs.filter(Q(problem__icontains=q) | Q(account__name__icontains=q)), q
    return qs, active


def sorted_by(qs, sort: str):
    key = SORTS.get(sort.lstrip("-"), "due_date")
    return qs.order_by(("-" if sort.startswith("-") else "") + key, "due_date", "id")


def counts_for(user) -> dict[str, int]:
    """How many visible items are in each status (one query)."""
    rows = rectifications_for(user).with_status().values("status_code").annotate(n=Count("id"))
    found = {r["status_code"]: r["n"] for r in rows}
    return {s.value: found.get(s.value, 0) for s in RectStatus}


def inspections_for(user):
    if not access.sees_all_units(user):
        return Inspection.objects.none()
    return Inspection.objects.select_related("opened_by").annotate(
        account_count=Count("accounts", distinct=True),
        failed=Count("results", filter=Q(results__outcome="fail"), distinct=True),
    )
