"""Counterfeit pages: the public report (no sign-in) and the office's cases (office works, auditor reads, 403
for everyone else). Thin: check → form → one action → redirect."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from govmedia.counterfeit import access, actions, challenge, letter, similarity, throttle
from govmedia.counterfeit.forms import (
    CloseForm,
    CoordinationForm,
    LetterForm,
    ReportForm,
    ReportUpForm,
    VerifyForm,
)
from govmedia.counterfeit.models import OPEN_STATUSES, CaseStatus, CounterfeitCase
from govmedia.org.models import Unit
from govmedia.registry.models import Account, Platform

PAGE_SIZE = 30
SORTS = {"reported": "reported_at", "status": "status_code", "platform": "platform", "name": "name"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- The public report ------------------------------------------------------------------------------------


def _report_page(request, form, status: int = 200, refusal: str = ""):
    question, token = challenge.new()
    return render(request, "counterfeit/public_report.html", {
        "form": form, "question": question, "token": token, "refusal": refusal,
        "platforms": Platform.objects.filter(approved=True).values_list("name", flat=True),
    }, status=status)


def public_report(request):
    """No sign-in: anyone reports a suspected counterfeit, answering a simple question; rate-limited per address."""
    if request.method != "POST":
        return _report_page(request, ReportForm())
    client = throttle.client_key(throttle.client_address(request))
    if throttle.exceeded(client, timezone.now()):
        return _report_page(request, ReportForm(), 429, throttle.REFUSAL)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        data, upload = form.cleaned_data, form.cleaned_data.get("screenshot")
        try:
            case = actions.report(platform=data["platform"], name=data["name"], url=data["url"],
                                  description=data["description"], client=client,
                                  screenshot=upload.read() if upload else None,
                                  screenshot_name=upload.name if upload else "截图")
        except actions.Throttled:
            return _report_page(request, ReportForm(), 429, throttle.REFUSAL)
        except actions.CounterfeitError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return render(request, "counterfeit/public_thanks.html", {"case": case})
    return _report_page(request, form)


# --- The office's cases -------------------------------------------------------------------------------------


def _require_view(user) -> None:
    if not access.can_view_cases(user):
        raise PermissionDenied


def _get_case_for_user(user, pk: int, *, work: bool = False) -> CounterfeitCase:
    if not (access.can_work_cases(user) if work else access.can_view_cases(user)):
        raise PermissionDenied
    return get_object_or_404(CounterfeitCase, pk=pk)


def _filtered(request):
    qs = CounterfeitCase.objects.with_status()
    active = {}
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        qs, active["status"] = qs.filter(status_code=status), status
    elif status == "open":
        qs, active["status"] = qs.filter(status_code__in=[s.value for s in OPEN_STATUSES]), "open"
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(reference__icontains=q) | Q(platform__icontains=q) | Q(url__icontains=q))
        active["q"] = q
    sort = request.GET.get("sort", "-reported")
    key = SORTS.get(sort.lstrip("-"), "reported_at")
    return qs.order_by(("-" if sort.startswith("-") else "") + key, "-id"), active, sort


@login_required
def case_list(request):
    _require_view(request.user)
    qs, active, sort = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "counterfeit/case_list.html", {
        "page": page, "active": active, "sort": sort, "query": query.urlencode(),
        "statuses": CaseStatus.choices,
    })


@login_required
def case_export(request):
    _require_view(request.user)
    qs, _, _ = _filtered(request)
    labels = dict(CaseStatus.choices)
    book = Workbook()
    sheet = book.active
    sheet.title = "假冒账号案件"
    sheet.append(["受理编号", "举报时间", "平台", "账号名称", "链接", "情况描述", "状态", "核实人", "致函时间",
                  "上报对象", "处置结果"])
    for case in qs:
        sheet.append([case.reference, timezone.localtime(case.reported_at).strftime("%Y-%m-%d %H:%M"), case.platform,
                      case.name, case.url, case.description, labels[case.status_code], case.verified_by,
                      timezone.localtime(case.letter_at).strftime("%Y-%m-%d") if case.letter_at else "",
                      case.reported_up_to, case.outcome])
    for column, width in zip("ABCDEFGHIJK", (16, 17, 12, 20, 30, 40, 12, 16, 12, 20, 30), strict=True):
        sheet.column_dimensions[column].width = width
    data = io.BytesIO()
    book.save(data)
    response = HttpResponse(data.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="counterfeit-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def _bureau_name() -> str:
    unit = Unit.objects.filter(kind=Unit.Kind.BUREAU).order_by("sort_order", "id").first()
    return unit.name if unit else ""


def _detail(request, case: CounterfeitCase, status: int = 200, **forms):
    state = case.status()
    can_work = access.can_work_cases(request.user)
    open_ = state not in (CaseStatus.CLOSED, CaseStatus.DISMISSED)
    matches = similarity.closest(case.platform, case.name)
    candidates = Account.objects.not_cancelled().select_related("unit", "platform").order_by(
        "unit__sort_order", "platform__sort_order", "id")
    coordinations = list(case.coordinations.all())
    shown = {}
    if can_work and open_:
        if state == CaseStatus.NEW:
            best = [m.account.pk for m in matches if m.same_platform][:1]
            shown["verify_form"] = VerifyForm(candidates, initial={"imitates": best})
        else:
            shown["coordination_form"] = CoordinationForm(initial={"on": timezone.localdate()})
            if coordinations:
                shown["letter_form"] = LetterForm(initial={"unit": case.letter_unit or _bureau_name(),
                                                           "contact": case.letter_contact})
            if case.letter_at and not case.reported_up_at:
                shown["report_up_form"] = ReportUpForm(initial={"on": timezone.localdate()})
            if case.reported_up_at:
                shown["close_form"] = CloseForm()
    shown.update(forms)
    return render(request, "counterfeit/case_detail.html", {
        "case": case, "status": state, "matches": matches, "coordinations": coordinations,
        "imitates": list(case.imitates.select_related("platform", "unit")), "can_work": can_work, **shown,
    }, status=status)


@login_required
def case_detail(request, pk: int):
    return _detail(request, _get_case_for_user(request.user, pk))


def _step(request, pk: int, form_name: str, make_form, act, done: str):
    case = _get_case_for_user(request.user, pk, work=True)
    form = make_form(request.POST)
    if form.is_valid():
        try:
            act(case, form.cleaned_data)
        except actions.CounterfeitError as error:
            if error.code == "conflict":
                messages.error(request, error.message)
                return redirect("counterfeit_detail", pk=case.pk)
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, done)
            return redirect("counterfeit_detail", pk=case.pk)
    return _detail(request, case, **{form_name: form})


@login_required
@require_POST
def case_verify(request, pk: int):
    accounts = Account.objects.not_cancelled().select_related("unit", "platform")
    return _step(request, pk, "verify_form", lambda data: VerifyForm(accounts, data),
                 lambda case, d: actions.verify(case, is_counterfeit=d["is_counterfeit"], note=d["note"],
                                                imitates=list(d["imitates"]), actor=request.user),
                 "已登记核实结论。")


@login_required
@require_POST
def case_coordinate(request, pk: int):
    return _step(request, pk, "coordination_form", CoordinationForm,
                 lambda case, d: actions.add_coordination(case, actor=request.user, **d), "已记录协调情况。")


@login_required
@require_POST
def case_letter(request, pk: int):
    return _step(request, pk, "letter_form", LetterForm,
                 lambda case, d: actions.issue_letter(case, actor=request.user, **d),
                 "已生成致平台函，请下载、用印后发送平台。")


@login_required
@require_POST
def case_report_up(request, pk: int):
    return _step(request, pk, "report_up_form", ReportUpForm,
                 lambda case, d: actions.report_upward(case, actor=request.user, **d), "已登记向上级报告。")


@login_required
@require_POST
def case_close(request, pk: int):
    return _step(request, pk, "close_form", CloseForm,
                 lambda case, d: actions.close(case, actor=request.user, **d), "已结案。")


@login_required
def case_letter_download(request, pk: int):
    case = _get_case_for_user(request.user, pk)
    if case.letter_at is None:
        raise Http404
    response = HttpResponse(letter.build_letter(case), content_type=DOCX)
    name = f"致{case.platform}平台函-{case.reference}.docx"
    response["Content-Disposition"] = (f'attachment; filename="letter-{case.reference}.docx"; '
                                       f"filename*=UTF-8''{quote(name)}")
    return response


@login_required
def case_screenshot(request, pk: int):
    case = _get_case_for_user(request.user, pk)
    if not case.screenshot:
        raise Http404
    # Served with the type found in its content, never sniffed (nosniff is on) and never as HTML.
    return FileResponse(case.screenshot.open("rb"), content_type=case.screenshot_type or "application/octet-stream")
