"""Inspection pages (第十三条): the office opens, fills in and closes inspections; the auditor reads them."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govmedia import policy
from govmedia.inspections import access, actions, queries
from govmedia.inspections.actions import RectificationError
from govmedia.inspections.checklist import ITEMS
from govmedia.inspections.forms import InspectionForm, checklist_decisions
from govmedia.inspections.models import Inspection, Outcome, Rectification, Severity
from govmedia.org.models import Unit
from govmedia.registry.models import Account, Platform, Status

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_SIZE = 30


def _require_viewer(user) -> None:
    if not access.can_view_inspections(user):
        raise PermissionDenied


def _get_inspection_for_user(user, pk: int) -> Inspection:
    _require_viewer(user)
    return get_object_or_404(Inspection.objects.select_related("opened_by", "closed_by"), pk=pk)


@login_required
def inspection_list(request):
    _require_viewer(request.user)
    qs = queries.inspections_for(request.user)
    page = Paginator(qs.order_by("-opened_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/inspection_list.html", {
        "page": page, "query": "", "can_run": access.can_run_inspections(request.user),
    })


def _candidate_accounts(params):
    """Running accounts, filtered by unit and platform (the form's checkboxes)."""
    qs = Account.objects.in_status(Status.RUNNING).select_related("unit", "platform").order_by(
        "unit__sort_order", "platform__sort_order", "id")
    active = {}
    for key in ("unit", "platform"):
        value = params.get(f"filter_{key}", "")
        if value.isdigit():
            qs, active[key] = qs.filter(**{f"{key}_id": int(value)}), int(value)
    return qs, active


@login_required
def inspection_new(request):
    if not access.can_run_inspections(request.user):
        raise PermissionDenied
    candidates, active = _candidate_accounts(request.GET)
    # A POST chooses among every running account: the filter only narrows what the page shows.
    choices = Account.objects.in_status(Status.RUNNING) if request.method == "POST" else candidates
    form = InspectionForm(choices, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = actions.open_inspection(title=data["title"], period_start=data["period_start"],
                                                 period_end=data["period_end"], accounts=list(data["accounts"]),
                                                 actor=request.user)
        except RectificationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"已发起检查，{len(data['accounts'])}个账号的系统数据已预填，请逐项检查。")
            return redirect("inspection_detail", pk=inspection.pk)
    return render(request, "inspections/inspection_form.html", {
        "form": form, "candidates": candidates, "active": active, "units": Unit.objects.all(),
        "platforms": Platform.objects.all(), "items": ITEMS,
        "selected": {int(v) for v in request.POST.getlist("accounts") if v.isdigit()},
    })


@login_required
def inspection_detail(request, pk: int):
    inspection = _get_inspection_for_user(request.user, pk)
    results = list(inspection.results.select_related("account__unit", "account__platform"))
    grid: dict = defaultdict(dict)
    for r in results:
        grid[r.account][r.item] = r
    rows = [(account, [by_item.get(item.code) for item in ITEMS]) for account, by_item in grid.items()]
    items = (Rectification.objects.filter(inspection_result__inspection=inspection)
             .select_related("account__platform", "unit", "inspection_result").order_by("unit__sort_order", "id"))
    return render(request, "inspections/inspection_detail.html", {
        "inspection": inspection, "items": ITEMS, "rows": rows,
        "pending": sum(1 for r in results if r.outcome == Outcome.PENDING),
        "failed": sum(1 for r in results if r.outcome == Outcome.FAIL),
        "rectifications": [(i, i.status()) for i in items],
        "can_run": access.can_run_inspections(request.user) and not inspection.is_closed,
    })


@login_required
def inspection_checklist(request, pk: int, account_pk: int):
    inspection = _get_inspection_for_user(request.user, pk)
    account = get_object_or_404(inspection.accounts.select_related("unit", "platform"), pk=account_pk)
    results = list(inspection.results.filter(account=account))
    order = {item.code: n for n, item in enumerate(ITEMS)}
    results.sort(key=lambda r: order.get(r.item, 99))
    editable = access.can_run_inspections(request.user) and not inspection.is_closed
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not access.can_run_inspections(request.user):
            raise PermissionDenied
        decisions, errors = checklist_decisions(request.POST, results)
        if not errors:
            try:
                changed = actions.record_results(inspection, account, decisions, actor=request.user)
            except RectificationError as error:
                errors["__all__"] = error.message
            else:
                messages.success(request, f"已保存{account}的检查结论（{changed}项有变化）。")
                return redirect("inspection_detail", pk=inspection.pk)
        # Show what was entered, with the errors beside it.
        for r in results:
            r.outcome = request.POST.get(f"outcome_{r.item}", r.outcome)
            r.severity = request.POST.get(f"severity_{r.item}", r.severity)
            r.note = request.POST.get(f"note_{r.item}", r.note)
    return render(request, "inspections/inspection_checklist.html", {
        "inspection": inspection, "account": account, "editable": editable, "errors": errors,
        "rows": [(r, r.spec, errors.get(r.item)) for r in results],
        "outcomes": Outcome.choices, "severities": Severity.choices, "workdays": policy.RECTIFY_WORKDAYS,
    })


@login_required
@require_POST
def inspection_close(request, pk: int):
    inspection = _get_inspection_for_user(request.user, pk)
    if not access.can_run_inspections(request.user):
        raise PermissionDenied
    try:
        items = actions.close_inspection(inspection, actor=request.user)
    except RectificationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"检查已完成，下发整改事项{len(items)}项。")
    return redirect("inspection_detail", pk=inspection.pk)


@login_required
def inspection_circular(request, pk: int):
    inspection = _get_inspection_for_user(request.user, pk)
    try:
        data = actions.generate_circular(inspection, actor=request.user)
    except RectificationError as error:
        messages.error(request, error.message)
        return redirect("inspection_detail", pk=inspection.pk)
    response = HttpResponse(data, content_type=DOCX)
    name = f"通报-{inspection.title}.docx"
    response["Content-Disposition"] = (f"attachment; filename=\"circular-{inspection.pk}.docx\"; "
                                       f"filename*=UTF-8''{quote(name)}")
    return response
