"""Pages of 账号安全与人员: thin — fetch with permission, one action, redirect.

Another unit's account (or task) the person cannot see → 404; seen but not theirs to change → 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from govmedia import policy
from govmedia.org import access as org_access
from govmedia.org.models import Person
from govmedia.registry.models import Account, today
from govmedia.security import access, actions, export, queries
from govmedia.security.forms import (
    ClearanceForm,
    CustodianForm,
    DepartureForm,
    DeviceForm,
    DeviceRemoveForm,
    HandoverCloseForm,
    RotationForm,
)
from govmedia.security.models import CredentialRotation, Device, HandoverKind, HandoverState
from govmedia.security.summary import password_state

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get_account_for_user(user, pk: int) -> Account:
    account = get_object_or_404(Account.objects.select_related("unit", "platform"), pk=pk)
    if not access.can_view_account(user, account):
        raise Http404
    return account


def _get_person_for_user(user, username: str) -> Person:
    if not access.can_view_people(user):
        raise PermissionDenied
    person = get_object_or_404(Person.objects.select_related("unit", "section"), username=username)
    if person.unit_id and not org_access.can_view_unit(user, person.unit_id):
        raise Http404
    return person


def _apply_error(form, error: actions.SecurityError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- the 账号安全 list and one account ----------------------------------------------------------------------

@login_required
def account_list(request):
    rows, active = queries.filter_rows(request.user, request.GET)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    return render(request, "security/account_list.html", {
        "page": page, "active": active, "sort": active["sort"], "query": _query(request),
        "filter_query": query.urlencode(), "units": org_access.visible_units(request.user),
        "statuses": queries.PASSWORD_STATUSES, "violation_count": sum(1 for r in rows if r.violations),
    })


@login_required
def account_export(request):
    rows, _ = queries.filter_rows(request.user, request.GET)
    response = HttpResponse(export.workbook(rows, actor=request.user), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="account-security-{today():%Y%m%d}.xlsx"'
    return response


def _account_context(request, account: Account, **forms) -> dict:
    user = request.user
    row = queries.security_rows(user, queries.accounts_with_security(user).filter(pk=account.pk))[0]
    can_manage = access.can_manage_custody(user, account)
    return {
        "account": account, "row": row, "can_manage": can_manage,
        "can_rotate": access.can_record_rotation(user, account),
        "rotations": CredentialRotation.objects.filter(account=account)[:20],
        "removed_devices": Device.objects.filter(account=account, removed_at__isnull=False).select_related("owner"),
        "tasks": [(t, t.state()) for t in queries.handover_tasks_for(user).filter(account=account)
                  .order_by("-opened_at", "id")],
        "custodian_form": forms.get("custodian_form") or (CustodianForm(account) if can_manage else None),
        "device_form": forms.get("device_form") or (DeviceForm(account) if can_manage else None),
    }


@login_required
def account_detail(request, pk: int):
    account = _get_account_for_user(request.user, pk)
    return render(request, "security/account_detail.html", _account_context(request, account))


@login_required
@require_POST
def custodian_set(request, pk: int):
    account = _get_account_for_user(request.user, pk)
    if not access.can_manage_custody(request.user, account):
        raise PermissionDenied
    form = CustodianForm(account, request.POST)
    if form.is_valid():
        try:
            custody = actions.set_custodian(account, form.cleaned_data["custodian"], actor=request.user)
        except actions.SecurityError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"已指定「{custody.person}」为{account}的保管人。")
            return redirect("security_account", pk=account.pk)
    return render(request, "security/account_detail.html", _account_context(request, account, custodian_form=form))


@login_required
@require_POST
def device_add(request, pk: int):
    account = _get_account_for_user(request.user, pk)
    if not access.can_manage_custody(request.user, account):
        raise PermissionDenied
    form = DeviceForm(account, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            device = actions.add_device(account, owner=data["owner"], kind=data["kind"],
                                        asset_number=data["asset_number"], description=data["description"],
                                        actor=request.user)
        except actions.SecurityError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"已登记登录设备{device}。")
            return redirect("security_account", pk=account.pk)
    return render(request, "security/account_detail.html", _account_context(request, account, device_form=form))


@login_required
@require_POST
def device_remove(request, pk: int):
    device = get_object_or_404(Device.objects.select_related("account__unit", "account__platform"), pk=pk)
    account = device.account
    if not access.can_view_account(request.user, account):
        raise Http404
    if not access.can_manage_custody(request.user, account):
        raise PermissionDenied
    form = DeviceRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写停用原因（如：设备已收回、报废、人员离岗）。")
    else:
        try:
            actions.remove_device(device, reason=form.cleaned_data["reason"], actor=request.user)
        except actions.SecurityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"已停用登录设备{device}。")
    return redirect("security_account", pk=account.pk)


@login_required
def rotation_new(request, pk: int):
    account = _get_account_for_user(request.user, pk)
    if not access.can_record_rotation(request.user, account):
        raise PermissionDenied
    form = RotationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_rotation(account, changed_at=form.cleaned_data["changed_at"],
                                    new_password=form.cleaned_data["new_password"], actor=request.user)
        except actions.SecurityError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"已登记{account}的密码修改；系统未保存密码本身。")
            return redirect("security_account", pk=account.pk)
    last = CredentialRotation.objects.filter(account=account).values_list("changed_at", flat=True).first()
    return render(request, "security/rotation_form.html", {
        "form": form, "account": account, "state": password_state(account, last),
    })


# --- people ----------------------------------------------------------------------------------------------

@login_required
def people(request):
    if not access.can_view_people(request.user):
        raise PermissionDenied
    qs, active = queries.people_for(request.user, request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "security/people.html", {
        "page": page, "active": active, "query": _query(request), "units": org_access.visible_units(request.user),
        "states": queries.PEOPLE_STATES.items(), "can_manage": access.can_manage_people(request.user),
    })


def _person_context(request, person: Person, form=None) -> dict:
    can_manage = access.can_manage_people(request.user)
    return {
        "person": person, "can_manage": can_manage, "held": actions.held_accounts(person),
        "form": form or (ClearanceForm(initial={"clearance_on": person.clearance_on, "trained_on": person.trained_on})
                         if can_manage and not person.departed_on else None),
        "tasks": [(t, t.state()) for t in queries.handover_tasks_for(request.user).filter(person=person)],
    }


@login_required
def person_detail(request, username: str):
    person = _get_person_for_user(request.user, username)
    if request.method == "POST":
        if not access.can_manage_people(request.user):
            raise PermissionDenied
        form = ClearanceForm(request.POST)
        if form.is_valid():
            try:
                actions.record_clearance(person, clearance_on=form.cleaned_data["clearance_on"],
                                         trained_on=form.cleaned_data["trained_on"], actor=request.user)
            except actions.SecurityError as error:
                _apply_error(form, error)
            else:
                messages.success(request, f"已登记「{person}」的保密审查和岗前培训日期。")
                return redirect("security_person", username=person.username)
        return render(request, "security/person_detail.html", _person_context(request, person, form))
    return render(request, "security/person_detail.html", _person_context(request, person))


@login_required
def departure(request, username: str):
    person = _get_person_for_user(request.user, username)
    if not access.can_manage_people(request.user):
        raise PermissionDenied
    form = DepartureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.record_departure(person, on=form.cleaned_data["date"], actor=request.user)
        except actions.SecurityError as error:
            _apply_error(form, error)
        else:
            messages.success(request, (
                f"已登记「{person}」离岗：终止登录会话{result.sessions_ended}个，吊销接口令牌{result.tokens_revoked}个，"
                f"撤销角色{len(result.roles_removed)}个，生成交接任务{len(result.tasks)}项。"))
            return redirect(f"{reverse('security_handovers')}?person={person.username}")
    return render(request, "security/departure.html", {
        "form": form, "person": person, "held": actions.held_accounts(person),
        "workdays": [(HandoverKind(k).label, n) for k, n in policy.HANDOVER_WORKDAYS.items()
                     if k != HandoverKind.NEW_CUSTODIAN],
        "custodian_task": (HandoverKind.NEW_CUSTODIAN.label, policy.HANDOVER_WORKDAYS[HandoverKind.NEW_CUSTODIAN]),
    })


# --- handover tasks --------------------------------------------------------------------------------------

@login_required
def handover_list(request):
    on = today()
    qs = queries.handover_tasks_for(request.user)
    state = request.GET.get("state", "open")
    if state == HandoverState.OVERDUE:
        qs = qs.overdue(on)
    elif state == HandoverState.DONE:
        qs = qs.done()
    elif state == HandoverState.OPEN:
        qs = qs.open()
    else:
        state = "all"
    if person := request.GET.get("person", "").strip():
        qs = qs.filter(person__username=person)
    page = Paginator(qs.order_by("due_date", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "security/handover_list.html", {
        "page": page, "rows": [(t, t.state(on)) for t in page], "state": state, "person": person,
        "states": [("open", "待办（含逾期）"), ("overdue", "已逾期"), ("done", "已完成"), ("all", "全部")],
        "query": _query(request),
    })


@login_required
def handover_detail(request, pk: int):
    task = get_object_or_404(queries.handover_tasks_for(request.user), pk=pk)
    can_manage = access.can_manage_custody(request.user, task.account)
    form = None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = HandoverCloseForm(task, request.POST)
        if form.is_valid():
            try:
                actions.close_handover_task(task, evidence=form.cleaned_data["evidence"],
                                            custodian=form.cleaned_data.get("custodian"), actor=request.user)
            except actions.SecurityError as error:
                _apply_error(form, error)
            else:
                messages.success(request, f"交接任务「{task.account} {task.get_kind_display()}」已完成。")
                return redirect("security_handover", pk=task.pk)
    elif can_manage and not task.is_done and task.kind != HandoverKind.CHANGE_PASSWORD:
        form = HandoverCloseForm(task)
    return render(request, "security/handover_detail.html", {
        "task": task, "state": task.state(), "form": form, "can_manage": can_manage,
        "can_rotate": access.can_record_rotation(request.user, task.account),
    })
