"""Vendor pages: the office records, the auditor reads, nobody else enters (403). Thin: check → action → redirect."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from govmedia.org.models import Person
from govmedia.registry.models import Account
from govmedia.vendors import access, actions, queries
from govmedia.vendors.forms import (
    AgreementForm,
    AssignmentForm,
    ContractForm,
    StaffForm,
    SupervisionForm,
    VendorForm,
)
from govmedia.vendors.models import Agreement, Assignment, Contract, Vendor

PAGE_SIZE = 30
SORTS = {
    "name": lambda r: r.vendor.name,
    "contract": lambda r: (r.contract.until is None, r.contract.until or timezone.localdate()),
    "agreement": lambda r: (r.agreement.until is None, r.agreement.until or timezone.localdate()),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_view(user) -> None:
    if not access.can_view_vendors(user):
        raise PermissionDenied


def _require_manage(user) -> None:
    if not access.can_manage_vendors(user):
        raise PermissionDenied


def _get_vendor_for_user(user, pk: int, *, manage: bool = False) -> Vendor:
    (_require_manage if manage else _require_view)(user)
    return get_object_or_404(queries.vendors(), pk=pk)


def _apply_error(form, error: actions.VendorError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _filtered_rows(request) -> tuple[list, dict, str]:
    on = timezone.localdate()
    qs = queries.vendors()
    active = {}
    if q := request.GET.get("q", "").strip():
        qs, active["q"] = qs.filter(name__icontains=q), q
    rows = queries.rows(on, qs)
    if request.GET.get("state") == "attention":
        rows, active["state"] = [r for r in rows if r.needs_attention], "attention"
    sort = request.GET.get("sort", "name")
    key = SORTS.get(sort.lstrip("-"), SORTS["name"])
    rows.sort(key=key, reverse=sort.startswith("-"))
    return rows, active, sort


@login_required
def vendor_list(request):
    _require_view(request.user)
    rows, active, sort = _filtered_rows(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "vendors/vendor_list.html", {
        "page": page, "active": active, "sort": sort, "query": query.urlencode(),
        "can_manage": access.can_manage_vendors(request.user),
    })


@login_required
def vendor_export(request):
    _require_view(request.user)
    rows, _, _ = _filtered_rows(request)
    book = Workbook()
    sheet = book.active
    sheet.title = "外包单位"
    sheet.append(["单位名称", "统一社会信用代码", "联系人", "联系电话", "合同状态", "合同有效至", "保密与安全协议状态",
                  "协议有效至", "外包人员数", "最近评价"])
    for r in rows:
        latest = f"{r.latest.period} {r.latest.get_grade_display()}（{r.latest.score}分）" if r.latest else ""
        sheet.append([r.vendor.name, r.vendor.credit_code, r.vendor.contact, r.vendor.phone, r.contract.label,
                      r.contract.until, r.agreement.label, r.agreement.until, r.staff, latest])
    for column, width in zip("ABCDEFGHIJ", (30, 22, 10, 16, 10, 12, 16, 12, 10, 28), strict=True):
        sheet.column_dimensions[column].width = width
    data = io.BytesIO()
    book.save(data)
    response = HttpResponse(data.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="vendors-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def vendor_new(request):
    _require_manage(request.user)
    form = VendorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vendor = actions.save_vendor(actor=request.user, **form.cleaned_data)
        except actions.VendorError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"已登记外包单位「{vendor}」。请继续登记合同和保密与安全协议。")
            return redirect("vendor_detail", pk=vendor.pk)
    return render(request, "vendors/form.html", {"form": form, "title": "登记外包单位"})


@login_required
def vendor_edit(request, pk: int):
    vendor = _get_vendor_for_user(request.user, pk, manage=True)
    initial = {key: getattr(vendor, key) for key in actions.VENDOR_FIELDS}
    form = VendorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_vendor(vendor, actor=request.user, **form.cleaned_data)
        except actions.VendorError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "已保存。")
            return redirect("vendor_detail", pk=vendor.pk)
    return render(request, "vendors/form.html", {"form": form, "title": f"修改外包单位：{vendor}", "vendor": vendor})


@login_required
def vendor_detail(request, pk: int):
    vendor = _get_vendor_for_user(request.user, pk)
    on = timezone.localdate()
    staff = list(vendor.staff.select_related("person").order_by("person__username"))
    assignments = list(Assignment.objects.filter(person__vendor_link__vendor=vendor)
                       .select_related("person", "account__platform", "account__unit").order_by("ended_at", "-id"))
    return render(request, "vendors/vendor_detail.html", {
        "vendor": vendor, "row": queries.row(vendor, on), "staff": staff, "assignments": assignments,
        "contracts": vendor.contracts.all(), "agreements": vendor.agreements.all(),
        "supervisions": vendor.supervisions.all(), "can_manage": access.can_manage_vendors(request.user),
        "today": on,
    })


def _term_page(request, pk: int, form_class, title: str, save):
    vendor = _get_vendor_for_user(request.user, pk, manage=True)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            save(vendor, upload=data.pop("file"), actor=request.user, **data)
        except actions.VendorError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"已登记{title}。")
            return redirect("vendor_detail", pk=vendor.pk)
    return render(request, "vendors/form.html", {"form": form, "title": f"登记{title}：{vendor}", "vendor": vendor,
                                                 "multipart": True})


@login_required
def contract_new(request, pk: int):
    return _term_page(request, pk, ContractForm, "外包合同", actions.add_contract)


@login_required
def agreement_new(request, pk: int):
    return _term_page(request, pk, AgreementForm, "保密与安全协议", actions.add_agreement)


@login_required
def staff_new(request, pk: int):
    vendor = _get_vendor_for_user(request.user, pk, manage=True)
    form = StaffForm(queries.unlinked_vendor_people(), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = actions.link_staff(vendor, form.cleaned_data["person"], actor=request.user)
        except actions.VendorError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"已将{link.person}登记为「{vendor}」的外包人员，请为其分配账号。")
            return redirect("vendor_detail", pk=vendor.pk)
    return render(request, "vendors/form.html", {"form": form, "title": f"登记外包人员：{vendor}", "vendor": vendor})


@login_required
def assignment_new(request, pk: int):
    vendor = _get_vendor_for_user(request.user, pk, manage=True)
    people = Person.objects.filter(vendor_link__vendor=vendor).order_by("username")
    accounts = (Account.objects.not_cancelled().select_related("unit", "platform")
                .order_by("unit__sort_order", "platform__sort_order", "id"))
    form = AssignmentForm(people, accounts, request.POST or None, initial={"person": request.GET.get("person")})
    if request.method == "POST" and form.is_valid():
        try:
            assignment = actions.assign_account(form.cleaned_data["person"], form.cleaned_data["account"],
                                                actor=request.user)
        except actions.VendorError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"已将{assignment.account}分配给{assignment.person}。")
            return redirect("vendor_detail", pk=vendor.pk)
    return render(request, "vendors/form.html", {"form": form, "title": f"分配账号：{vendor}", "vendor": vendor})


@login_required
@require_POST
def assignment_end(request, pk: int):
    _require_manage(request.user)
    assignment = get_object_or_404(Assignment.objects.select_related("person__vendor_link", "account__platform"), pk=pk)
    actions.end_assignment(assignment, actor=request.user)
    messages.success(request, f"已收回{assignment.person}对{assignment.account}的操作权限。")
    return redirect("vendor_detail", pk=assignment.person.vendor_link.vendor_id)


@login_required
def supervision_new(request, pk: int):
    vendor = _get_vendor_for_user(request.user, pk, manage=True)
    initial = {"evaluated_on": timezone.localdate(), "evaluator": request.user.full_name or request.user.username}
    form = SupervisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_supervision(vendor, actor=request.user, **form.cleaned_data)
        except actions.VendorError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "已登记监督评价。")
            return redirect("vendor_detail", pk=vendor.pk)
    return render(request, "vendors/form.html", {"form": form, "title": f"登记监督评价：{vendor}", "vendor": vendor})


def _file_response(term) -> FileResponse:
    if not term.file:
        raise Http404
    response = FileResponse(term.file.open("rb"), as_attachment=True)
    name = term.file_name or term.file.name.rsplit("/", 1)[-1]
    response["Content-Disposition"] = (f"attachment; filename=\"{term.file.name.rsplit('/', 1)[-1]}\"; "
                                       f"filename*=UTF-8''{quote(name)}")
    return response


@login_required
def contract_file(request, pk: int):
    _require_view(request.user)
    return _file_response(get_object_or_404(Contract, pk=pk))


@login_required
def agreement_file(request, pk: int):
    _require_view(request.user)
    return _file_response(get_object_or_404(Agreement, pk=pk))
