"""Registry pages: thin — fetch with permission, one action, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govmedia import policy
from govmedia.org import access
from govmedia.org.models import Unit
from govmedia.registry import actions, ledger, queries
from govmedia.registry.forms import AccountOpenForm, EventForm, FilingForm, LedgerImportForm
from govmedia.registry.models import Account, EventKind, Filing, FilingStatus, Platform, Status, today

ACCOUNT_SORTS = {
    "unit": "unit__sort_order", "platform": "platform__sort_order", "name": "name",
    "opened": "opened_on", "status": "status_code",
}
PAGE_SIZE = 50


def _get_account_for_user(user, pk: int) -> Account:
    account = get_object_or_404(Account.objects.select_related("unit", "platform"), pk=pk)
    if not access.can_view_unit(user, account.unit_id):
        raise Http404
    return account


def _due_message(filing: Filing) -> str:
    provisional = "（暂定，超出官方节假日数据）" if filing.due_provisional else ""
    return f"须于{filing.due_date:%Y年%m月%d日}{provisional}前完成备案。"


def _apply_error(form, error: actions.RegistryError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@login_required
def account_list(request):
    qs, active = queries.filter_accounts(request.user, request.GET)
    sort = request.GET.get("sort", "unit")
    key = ACCOUNT_SORTS.get(sort.lstrip("-"), "unit__sort_order")
    qs = qs.order_by(("-" if sort.startswith("-") else "") + key, "platform__sort_order", "id")
    page = Paginator(qs.prefetch_related("managers"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "registry/account_list.html", {
        "page": page, "active": active, "sort": sort, "query": query.urlencode(),
        "units": access.visible_units(request.user), "platforms": Platform.objects.all(),
        "statuses": Status.choices, "can_edit": access.can_edit_any_registry(request.user),
    })


@login_required
def account_export(request):
    qs, _ = queries.filter_accounts(request.user, request.GET)
    data = ledger.export_accounts(qs, actor=request.user)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ledger-{today():%Y%m%d}.xlsx"'
    return response


@login_required
def account_new(request):
    if not access.can_edit_any_registry(request.user):
        raise PermissionDenied
    form = AccountOpenForm(request.user, request.POST or None,
                           initial={"unit": request.user.unit_id, "subject": getattr(request.user.unit, "name", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = actions.register_account(
                unit=data["unit"], platform=data["platform"], name=data["name"], subject=data["subject"],
                purpose=data["purpose"], platform_uid=data["platform_uid"], url=data["url"],
                managers=list(data["managers"]), preconditions=form.preconditions(),
                opened_on=data["opened_on"], actor=request.user,
            )
        except actions.RegistryError as error:
            _apply_error(form, error)
        else:
            opened = account.events.select_related("filing").first()
            messages.success(request, f"已登记{account}。" + (_due_message(opened.filing) if opened else ""))
            return redirect("account_detail", pk=account.pk)
    return render(request, "registry/account_form.html", {"form": form})


@login_required
def account_detail(request, pk: int):
    account = _get_account_for_user(request.user, pk)
    on = today()
    events = account.events.select_related("filing").all()
    return render(request, "registry/account_detail.html", {
        "account": account, "status": account.status(on),
        "events": [(e, e.filing, e.filing.status(on)) for e in events],
        "can_edit": access.can_edit_registry(request.user, account.unit_id),
        "kinds": _allowed_kinds(account),
        "preconditions": [(label, account.preconditions.get(key, "")) for key, label in
                          policy.OPENING_PRECONDITIONS.items()],
    })


def _allowed_kinds(account: Account) -> list[tuple[str, str]]:
    if account.cancelled_on:
        return []
    if not account.opened_on:
        return [(EventKind.OPEN.value, "登记开设"), (EventKind.CANCEL.value, "撤销登记（注销）")]
    kinds = [(EventKind.CHANGE.value, "登记变更")]
    kinds.append((EventKind.CANCEL.value, "登记注销") if account.closed_on else (EventKind.CLOSE.value, "登记关停"))
    return kinds


@login_required
def event_new(request, pk: int, kind: str):
    account = _get_account_for_user(request.user, pk)
    if kind not in EventKind.values:
        raise Http404
    if not access.can_edit_registry(request.user, account.unit_id):
        raise PermissionDenied
    form = EventForm(request.user, account, kind, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = actions.record_event(
                account, kind=kind, effective_date=data["effective_date"], note=data.get("note", ""),
                changes=form.changes(), notice=data.get("notice", ""), public_notice=data.get("public_notice", ""),
                actor=request.user,
            )
        except actions.RegistryError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"已登记{event.get_kind_display()}。" + _due_message(event.filing))
            return redirect("account_detail", pk=account.pk)
    return render(request, "registry/event_form.html", {"form": form, "account": account,
                                                         "kind_label": EventKind(kind).label})


@login_required
def filing_list(request):
    on = today()
    qs = queries.filings_for(request.user)
    status = request.GET.get("status", "open")
    if status in FilingStatus.values:
        qs = qs.in_status(status, on)
    elif status == "open":
        qs = qs.open()
    if (unit := request.GET.get("unit", "")).isdigit():
        qs = qs.filter(event__account__unit_id=int(unit))
    page = Paginator(qs.order_by("due_date", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "registry/filing_list.html", {
        "page": page, "rows": [(f, f.status(on)) for f in page], "status": status, "statuses": FilingStatus.choices,
        "units": access.visible_units(request.user), "unit": unit, "query": query.urlencode(),
    })


@login_required
def filing_complete(request, pk: int):
    filing = get_object_or_404(Filing.objects.select_related("event__account__unit", "event__account__platform"), pk=pk)
    account = filing.event.account
    if not access.can_view_unit(request.user, account.unit_id):
        raise Http404
    if not access.can_edit_registry(request.user, account.unit_id):
        raise PermissionDenied
    form = FilingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.complete_filing(filing, filed_on=form.cleaned_data["filed_on"],
                                    reference=form.cleaned_data["reference"], actor=request.user)
        except actions.RegistryError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "已记录备案。")
            return redirect("account_detail", pk=account.pk)
    return render(request, "registry/filing_form.html", {"form": form, "filing": filing, "account": account,
                                                          "status": filing.status()})


@login_required
def consolidation(request):
    return render(request, "registry/consolidation.html", {
        "duplicates": queries.duplicate_groups(request.user),
        "similar": queries.similar_across_platforms(request.user),
    })


@login_required
def platform_list(request):
    can_manage = access.can_manage_reference_data(request.user)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            platform = actions.add_platform(name=request.POST.get("name", ""), actor=request.user)
        except actions.RegistryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"已将「{platform.name}」加入核准平台名单。")
        return redirect("platform_list")
    return render(request, "registry/platform_list.html", {"platforms": Platform.objects.all(), "can_manage": can_manage})


@login_required
@require_POST
def platform_toggle(request, pk: int):
    if not access.can_manage_reference_data(request.user):
        raise PermissionDenied
    platform = get_object_or_404(Platform, pk=pk)
    actions.set_platform_approved(platform, not platform.approved, actor=request.user)
    messages.success(request, f"「{platform.name}」已{'核准' if platform.approved else '停用'}。")
    return redirect("platform_list")


@login_required
def ledger_import(request):
    if not access.can_edit_any_registry(request.user):
        raise PermissionDenied
    form = LedgerImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = ledger.import_accounts(form.cleaned_data["file"], actor=request.user)
        if result.ok:
            messages.success(request, f"已导入{result.created}个账号。")
            return redirect("account_list")
    return render(request, "registry/ledger_import.html", {"form": form, "result": result,
                                                           "columns": ledger.COLUMNS})


@login_required
def ledger_template(request):
    response = HttpResponse(ledger.template_workbook(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="ledger-template.xlsx"'
    return response


def public_accounts(request):
    """No sign-in: citizens check whether an account is genuine (running accounts only)."""
    accounts = (Account.objects.in_status(Status.RUNNING).select_related("unit", "platform")
                .order_by("unit__sort_order", "platform__sort_order", "id"))
    return render(request, "registry/public_accounts.html", {"accounts": accounts, "units": Unit.objects.all()})
