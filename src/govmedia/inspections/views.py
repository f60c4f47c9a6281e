"""Rectification pages: thin — fetch with permission, one action, redirect."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govmedia import policy
from govmedia.inspections import access, actions, export, queries
from govmedia.inspections.actions import RectificationError
from govmedia.inspections.forms import AcceptForm, AnswerForm, ReopenForm
from govmedia.inspections.models import Rectification, RectificationEvent, RectStatus, Severity, Source
from govmedia.org import access as org_access
from govmedia.registry.models import Account, today

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get_item_for_user(user, pk: int) -> Rectification:
    item = get_object_or_404(Rectification.objects.select_related(
        "unit", "account__platform", "post", "inspection_result__inspection"), pk=pk)
    if not access.can_view_rectification(user, item):
        raise Http404
    return item


def _query(request, *drop: str) -> str:
    query = request.GET.copy()
    for key in ("page", *drop):
        query.pop(key, None)
    return query.urlencode()


@login_required
def rectification_list(request):
    qs, active = queries.filter_rectifications(request.user, request.GET)
    sort = request.GET.get("sort", "due")
    page = Paginator(queries.sorted_by(qs, sort), PAGE_SIZE).get_page(request.GET.get("page"))
    on = today()
    units = org_access.visible_units(request.user)
    counts = queries.counts_for(request.user)
    return render(request, "inspections/rectification_list.html", {
        "page": page, "rows": [(item, item.status(on)) for item in page], "active": active, "sort": sort,
        "query": _query(request), "sort_query": _query(request, "sort"),
        "units": units, "accounts": Account.objects.filter(unit__in=units).select_related("platform"),
        "statuses": RectStatus.choices, "sources": Source.choices, "severities": Severity.choices,
        "status_counts": [(st, counts[st.value]) for st in RectStatus],
    })


@login_required
def rectification_export(request):
    qs, _ = queries.filter_rectifications(request.user, request.GET)
    data = export.export_rectifications(queries.sorted_by(qs, request.GET.get("sort", "due")), actor=request.user)
    response = HttpResponse(data, content_type=XLSX)
    name = f"整改事项-{today():%Y%m%d}.xlsx"
    response["Content-Disposition"] = (f"attachment; filename=\"rectifications-{today():%Y%m%d}.xlsx\"; "
                                       f"filename*=UTF-8''{quote(name)}")
    return response


def _detail(request, item: Rectification, *, status: int = 200, **forms):
    allowed = access.allowed_actions(item, request.user)
    return render(request, "inspections/rectification_detail.html", {
        "item": item, "status": item.status(), "events": list(item.events.all()), "allowed": allowed,
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "workdays": policy.RECTIFY_WORKDAYS[item.severity],
    }, status=status)


@login_required
def rectification_detail(request, pk: int):
    return _detail(request, _get_item_for_user(request.user, pk))


def _refused(request, item, error: RectificationError, form, name: str):
    if error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
        return _detail(request, item, **{name: form})
    messages.error(request, error.message)
    return redirect("rectification_detail", pk=item.pk)


@login_required
@require_POST
def rectification_answer(request, pk: int):
    item = _get_item_for_user(request.user, pk)
    if not access.is_answerer(request.user, item.unit_id):
        raise PermissionDenied
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, item, answer_form=form)
    try:
        actions.answer_rectification(item, text=form.cleaned_data["text"], evidence=form.cleaned_data["evidence"],
                                     actor=request.user)
    except RectificationError as error:
        return _refused(request, item, error, form, "answer_form")
    messages.success(request, "已提交整改材料，等待局办公室验收。")
    return redirect("rectification_detail", pk=item.pk)


@login_required
@require_POST
def rectification_accept(request, pk: int):
    item = _get_item_for_user(request.user, pk)
    if not access.is_verifier(request.user):
        raise PermissionDenied
    form = AcceptForm(request.POST)
    form.is_valid()
    try:
        actions.accept_rectification(item, note=form.cleaned_data.get("note", ""), actor=request.user)
    except RectificationError as error:
        return _refused(request, item, error, form, "accept_form")
    messages.success(request, "整改已验收通过。")
    return redirect("rectification_detail", pk=item.pk)


@login_required
@require_POST
def rectification_reopen(request, pk: int):
    item = _get_item_for_user(request.user, pk)
    if not access.is_verifier(request.user):
        raise PermissionDenied
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, reopen_form=form)
    try:
        actions.reopen_rectification(item, reason=form.cleaned_data["reason"], actor=request.user)
    except RectificationError as error:
        return _refused(request, item, error, form, "reopen_form")
    item.refresh_from_db()
    messages.success(request, f"已退回重办，新的整改期限为{item.due_date:%Y年%m月%d日}。")
    return redirect("rectification_detail", pk=item.pk)


@login_required
def rectification_evidence(request, pk: int, event_pk: int):
    item = _get_item_for_user(request.user, pk)
    event = get_object_or_404(RectificationEvent, pk=event_pk, rectification=item)
    if not event.evidence:
        raise Http404
    return FileResponse(event.evidence.open("rb"), as_attachment=True, filename=event.evidence_name)
