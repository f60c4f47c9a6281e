"""突发事件与应急 over JSON under /api/v1: the same filters and permissions as the pages (read only)."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from govmedia.api.pagination import Pages
from govmedia.api.schemas import ErrorOut
from govmedia.incidents import access, queries
from govmedia.incidents.models import Incident, Kind, Severity

router = Router(tags=["突发事件与应急"])


class ActionOut(Schema):
    taken_at: datetime
    taken_by: str
    what: str


class IncidentOut(Schema):
    id: int
    unit: int
    unit_name: str
    kind: Kind
    kind_label: str
    severity: Severity
    title: str
    accounts: list[int]
    occurred_at: datetime
    reported_at: datetime
    status: Literal["open", "closed"]
    closed_at: datetime | None
    summary: str

    @staticmethod
    def resolve_unit(obj):
        return obj.unit_id

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_accounts(obj):
        return [a.pk for a in obj.accounts.all()]

    @staticmethod
    def resolve_status(obj):
        return "open" if obj.is_open else "closed"


class IncidentDetailOut(IncidentOut):
    description: str
    actions: list[ActionOut]

    @staticmethod
    def resolve_actions(obj):
        return list(obj.actions.all())


def _reader(user) -> None:
    if not access.can_view_incidents(user):
        raise PermissionDenied("您无权查看突发事件")


@router.get("/incidents", response={200: list[IncidentOut], 403: ErrorOut}, summary="可见的突发事件")
@paginate(Pages)
def list_incidents(request, unit: int | None = None, kind: Kind | None = None, severity: Severity | None = None,
                   status: Literal["open", "closed"] | None = None, q: str = "",
                   occurred_from: date | None = None, occurred_to: date | None = None):
    _reader(request.auth)
    params = {"unit": "" if unit is None else str(unit), "kind": kind.value if kind else "",
              "severity": severity.value if severity else "", "state": status or "", "q": q,
              "from": occurred_from.isoformat() if occurred_from else "",
              "to": occurred_to.isoformat() if occurred_to else ""}
    return (queries.filter_incidents(request.auth, params).prefetch_related("accounts")
            .order_by("-occurred_at", "-id"))


@router.get("/incidents/{incident_id}", response={200: IncidentDetailOut, 403: ErrorOut, 404: ErrorOut},
            summary="突发事件及其处置经过")
def get_incident(request, incident_id: int):
    _reader(request.auth)
    incident = get_object_or_404(Incident.objects.select_related("unit").prefetch_related("accounts", "actions"),
                                 pk=incident_id)
    if not access.can_view(request.auth, incident.unit_id):
        raise Http404
    return incident
