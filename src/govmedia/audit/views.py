from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.org import access


@login_required
def audit_list(request):
    """The auditor's filterable, read-only view of the log; there is no edit or delete path."""
    if not access.can_view_audit_log(request.user):
        raise PermissionDenied
    qs = AuditEvent.objects.order_by("-seq")
    params = request.GET
    if (kind := params.get("type", "")).isdigit():
        qs = qs.filter(event_type=int(kind))
    if actor := params.get("actor", "").strip():
        qs = qs.filter(actor_name__icontains=actor)
    if obj := params.get("object", "").strip():
        qs = qs.filter(object_repr__icontains=obj)
    tz = timezone.get_current_timezone()
    if start := parse_date(params.get("from", "") or ""):
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end := parse_date(params.get("to", "") or ""):
        qs = qs.filter(at__lte=datetime.combine(end, time.max, tzinfo=tz))
    page = Paginator(qs, 50).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(request, "audit/audit_list.html", {
        "page": page, "types": EventType.choices, "params": params, "query": query.urlencode(),
    })
