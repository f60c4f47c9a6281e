"""Incident pages: fetch with permission → form → one action → redirect."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from govmedia.incidents import access, actions, queries
from govmedia.incidents.forms import ActionForm, CloseForm, DrillForm, IncidentForm, PlanForm, RetractionForm
from govmedia.incidents.models import EmergencyPlan, Incident, Kind, Severity

PAGE_SIZE = 50
INCIDENT_SORTS = {"occurred": "occurred_at", "reported": "reported_at", "unit": "unit__sort_order",
                  "kind": "kind", "severity": "severity", "closed": "closed_at"}
RETRACTION_SORTS = {"at": "retracted_at", "unit": "unit__sort_order", "account": "account__name"}
DRILL_SORTS = {"held": "held_on", "unit": "unit__sort_order"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reader(request) -> None:
    if not access.can_view_incidents(request.user):
        raise PermissionDenied


def _incident_for(user, pk: int) -> Incident:
    if not access.can_view_incidents(user):
        raise PermissionDenied
    incident = get_object_or_404(Incident.objects.select_related("unit", "recorded_by", "closed_by"), pk=pk)
    if not access.can_view(user, incident.unit_id):
        raise Http404
    return incident


def _list(request, qs, sorts: dict, default: str):
    sort = request.GET.get("sort", default)
    key = sorts.get(sort.lstrip("-"))
    if key is None:
        sort, key = default, sorts[default.lstrip("-")]
    qs = qs.order_by(("-" if sort.startswith("-") else "") + key, "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "sort": sort, "query": query.urlencode(), "params": request.GET,
            "units": access.viewable_units(request.user), "can_record": access.can_record_any(request.user)}


def _apply(form, error: actions.IncidentError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _xlsx(title: str, headers: list[str], rows, filename: str) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def incident_list(request):
    _reader(request)
    context = _list(request, queries.filter_incidents(request.user, request.GET), INCIDENT_SORTS, "-occurred")
    return render(request, "incidents/incident_list.html", context | {
        "kinds": Kind.choices, "severities": Severity.choices,
    })


@login_required
def incident_export(request):
    _reader(request)
    qs = queries.filter_incidents(request.user, request.GET).prefetch_related("accounts__platform")
    rows = ([i.unit.name, i.get_kind_display(), i.get_severity_display(), i.title,
             "、".join(str(a) for a in i.accounts.all()), _when(i.occurred_at), _when(i.reported_at),
             "处置中" if i.is_open else "处置完毕", _when(i.closed_at), i.description, i.summary] for i in qs)
    return _xlsx("突发事件", ["单位", "类型", "严重程度", "事件名称", "涉及账号", "发生时间", "报告时间", "状态",
                           "处置完毕时间", "事件经过", "处置总结"], rows, "incidents")


@login_required
def incident_new(request):
    _reader(request)
    if not access.can_record_any(request.user):
        raise PermissionDenied
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = IncidentForm(request.user, request.POST or None,
                        initial={"unit": request.user.unit_id, "occurred_at": now, "reported_at": now})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = actions.open_incident(
                unit=data["unit"], kind=data["kind"], severity=data["severity"], title=data["title"],
                occurred_at=data["occurred_at"], reported_at=data["reported_at"], description=data["description"],
                accounts=data["accounts"], actor=request.user)
        except actions.IncidentError as error:
            _apply(form, error)
        else:
            messages.success(request, f"已登记突发事件「{incident}」。请随时登记处置措施。")
            return redirect("incident_detail", pk=incident.pk)
    return render(request, "incidents/incident_form.html", {"form": form})


@login_required
def incident_detail(request, pk: int, action_form=None, close_form=None):
    incident = _incident_for(request.user, pk)
    can_record = access.can_record(request.user, incident.unit_id) and incident.is_open
    now = timezone.localtime().replace(second=0, microsecond=0)
    return render(request, "incidents/incident_detail.html", {
        "incident": incident, "can_record": can_record,
        "actions": incident.actions.select_related("recorded_by"),
        "accounts": incident.accounts.select_related("platform"),
        "retractions": incident.retractions.select_related("account__platform"),
        "action_form": action_form or ActionForm(initial={"taken_at": now}),
        "close_form": close_form or CloseForm(),
        "can_retract": access.can_record(request.user, incident.unit_id),
    })


@login_required
@require_POST
def incident_action(request, pk: int):
    incident = _incident_for(request.user, pk)
    if not access.can_record(request.user, incident.unit_id):
        raise PermissionDenied
    form = ActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_action(incident, taken_at=data["taken_at"], what=data["what"], taken_by=data["taken_by"],
                               actor=request.user)
        except actions.IncidentError as error:
            _apply(form, error)
        else:
            messages.success(request, "已登记处置措施。")
            return redirect("incident_detail", pk=incident.pk)
    return incident_detail(request, pk, action_form=form)


@login_required
@require_POST
def incident_close(request, pk: int):
    incident = _incident_for(request.user, pk)
    if not access.can_record(request.user, incident.unit_id):
        raise PermissionDenied
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            actions.close_incident(incident, summary=form.cleaned_data["summary"], actor=request.user)
        except actions.IncidentError as error:
            _apply(form, error)
        else:
            messages.success(request, "事件已处置完毕。")
            return redirect("incident_detail", pk=incident.pk)
    return incident_detail(request, pk, close_form=form)


@login_required
def retraction_list(request):
    _reader(request)
    context = _list(request, queries.filter_retractions(request.user, request.GET), RETRACTION_SORTS, "-at")
    return render(request, "incidents/retraction_list.html", context)


@login_required
def retraction_export(request):
    _reader(request)
    rows = ([r.unit.name, str(r.account), r.title, r.url, _when(r.retracted_at), r.retracted_by, r.reason,
             str(r.incident or "")] for r in queries.filter_retractions(request.user, request.GET))
    return _xlsx("撤稿记录", ["单位", "账号", "内容标题", "内容链接", "撤稿时间", "撤稿决定人", "撤稿原因", "关联事件"],
                 rows, "retractions")


@login_required
def retraction_new(request):
    _reader(request)
    if not access.can_record_any(request.user):
        raise PermissionDenied
    initial = {"retracted_at": timezone.localtime().replace(second=0, microsecond=0)}
    if (incident_id := request.GET.get("incident", "")).isdigit():
        incident = _incident_for(request.user, int(incident_id))
        initial |= {"incident": incident.pk, "account": incident.accounts.values_list("pk", flat=True).first()}
    form = RetractionForm(request.user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            retraction = actions.record_retraction(
                account=data["account"], post=data["post"], title=data["title"], url=data["url"],
                retracted_at=data["retracted_at"], retracted_by=data["retracted_by"], reason=data["reason"],
                incident=data["incident"], actor=request.user)
        except actions.IncidentError as error:
            _apply(form, error)
        else:
            messages.success(request, f"已登记撤稿：{retraction.title}。")
            if retraction.incident_id:
                return redirect("incident_detail", pk=retraction.incident_id)
            return redirect("retraction_list")
    return render(request, "incidents/retraction_form.html", {"form": form})


@login_required
def plan_list(request):
    """Each unit's emergency plan in force and its last drill, due ones flagged."""
    _reader(request)
    rows = queries.readiness(access.viewable_units(request.user))
    if request.GET.get("state") == "due":
        rows = [r for r in rows if r.drill_due]
    return render(request, "incidents/plan_list.html", {
        "rows": rows, "state": request.GET.get("state", ""), "can_record": access.can_record_any(request.user),
        "due_before": queries.drill_due_before(timezone.localdate()),
        "plans": EmergencyPlan.objects.filter(unit__in=access.viewable_units(request.user))
        .select_related("unit", "recorded_by")[:PAGE_SIZE],
    })


@login_required
def plan_new(request):
    _reader(request)
    if not access.can_record_any(request.user):
        raise PermissionDenied
    form = PlanForm(request.user, request.POST or None, request.FILES or None, initial={"unit": request.user.unit_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = actions.save_plan(unit=data["unit"], title=data["title"], document=data["document"],
                                     approved_on=data["approved_on"], actor=request.user)
        except actions.IncidentError as error:
            _apply(form, error)
        else:
            messages.success(request, f"已登记「{plan.unit.name}」应急预案：{plan}。")
            return redirect("plan_list")
    return render(request, "incidents/plan_form.html", {"form": form})


@login_required
def plan_document(request, pk: int):
    _reader(request)
    plan = get_object_or_404(EmergencyPlan, pk=pk)
    if not access.can_view(request.user, plan.unit_id):
        raise Http404
    return FileResponse(plan.document.open("rb"), as_attachment=True, filename=plan.filename)


@login_required
def drill_list(request):
    _reader(request)
    context = _list(request, queries.filter_drills(request.user, request.GET), DRILL_SORTS, "-held")
    return render(request, "incidents/drill_list.html", context)


@login_required
def drill_new(request):
    _reader(request)
    if not access.can_record_any(request.user):
        raise PermissionDenied
    form = DrillForm(request.user, request.POST or None, initial={"unit": request.user.unit_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            drill = actions.record_drill(unit=data["unit"], held_on=data["held_on"], plan=data["plan"],
                                         scenario=data["scenario"], participants=data["participants"],
                                         findings=data["findings"], actor=request.user)
        except actions.IncidentError as error:
            _apply(form, error)
        else:
            messages.success(request, f"已登记「{drill.unit.name}」{drill.held_on:%Y-%m-%d}的应急演练。")
            return redirect("drill_list")
    return render(request, "incidents/drill_form.html", {"form": form})
