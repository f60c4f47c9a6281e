"""账号安全与人员 over JSON under /api/v1: the same actions and permissions as the pages.

Each endpoint: fetch with permission (an account the caller cannot see → 404; seen but not theirs to change
→ 403) → one action → the changed object. Refusals are {"detail": 中文, "field": …}: 422 for bad input,
409 for a state that forbids the action (a person already departed, a task already done).
A new password travels in the request body only; no response, log or audit row ever carries it.
"""

import datetime as dt
from datetime import date, datetime
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from govmedia.api.pagination import Pages
from govmedia.api.schemas import ErrorOut, SecurityOut
from govmedia.org.models import Person
from govmedia.registry.models import Account
from govmedia.security import access, actions, queries
from govmedia.security.models import CredentialRotation, HandoverKind, HandoverState
from govmedia.security.summary import security_of

router = Router(tags=["账号安全与人员"])

REFUSALS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RotationIn(Schema):
    changed_at: datetime = Field(description="修改时间；不带时区的按北京时间")
    new_password: str = Field(description="修改后的新密码：只用于检查强度和重复，不保存，只保留带密钥的摘要")


class RotationOut(Schema):
    id: int
    account: int
    changed_at: datetime
    recorded_by: str
    recorded_at: datetime

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id


class RotationCreatedOut(RotationOut):
    security: SecurityOut

    @staticmethod
    def resolve_security(obj) -> dict:
        return security_of(obj.account)


class CustodianIn(Schema):
    username: str = Field(description="保管人的用户名：本单位在岗、已通过保密审查并完成岗前培训的人员")


class CustodyOut(Schema):
    account: int
    username: str
    full_name: str
    since: datetime
    set_by: str

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.person.username

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.person.full_name


class ClearanceIn(Schema):
    clearance_on: date | None = Field(None, description="保密审查日期")
    trained_on: date | None = Field(None, description="岗前培训日期")


class PersonSecurityOut(Schema):
    username: str
    full_name: str
    unit: int | None
    clearance_on: date | None
    trained_on: date | None
    departed_on: date | None
    is_active: bool
    roles: list[str]

    @staticmethod
    def resolve_unit(obj) -> int | None:
        return obj.unit_id

    @staticmethod
    def resolve_roles(obj) -> list[str]:
        return sorted(obj.role_grants.values_list("role", flat=True))


class DepartureIn(Schema):
    date: dt.date = Field(description="离岗或调岗日期（不晚于今天）")


class HandoverTaskOut(Schema):
    id: int
    person: str
    account: int
    account_name: str
    kind: HandoverKind
    kind_label: str
    departed_on: date
    due_date: date
    due_provisional: bool
    state: HandoverState
    closed_at: datetime | None
    closed_by: str
    evidence: str
    settled_by: str

    @staticmethod
    def resolve_person(obj) -> str:
        return obj.person.username

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id

    @staticmethod
    def resolve_account_name(obj) -> str:
        return str(obj.account)

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.state()

    @staticmethod
    def resolve_settled_by(obj) -> str:
        return obj.settled_by()


class DepartureOut(Schema):
    username: str
    departed_on: date
    sessions_ended: int
    tokens_revoked: int
    roles_removed: list[str]
    tasks: list[HandoverTaskOut]


class HandoverCloseIn(Schema):
    evidence: str = Field("", max_length=2000, description="完成情况及佐证")
    custodian: str | None = Field(None, description="指定新保管人时：新保管人的用户名")


def _refusals(view):
    """A SecurityError with a status other than 422 (a conflict) answers with that status."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except actions.SecurityError as error:
            if error.status == 422:
                raise
            return Status(error.status, {"detail": error.message, "field": error.field})

    return wrapper


def _account_for(user: Person, pk: int) -> Account:
    account = get_object_or_404(Account.objects.select_related("unit", "platform"), pk=pk)
    if not access.can_view_account(user, account):
        raise Http404
    return account


def _person(username: str, field: str) -> Person:
    person = Person.objects.filter(username=username).first()
    if person is None:
        raise actions.SecurityError(f"用户「{username}」不存在", field)
    return person


def _tasks():
    from govmedia.security.models import HandoverTask

    return HandoverTask.objects.with_progress().select_related("account__unit", "account__platform", "person")


@router.get("/accounts/{account_id}/credential-rotations", response={200: list[RotationOut], 404: ErrorOut},
            summary="账号密码修改记录（只有时间，没有密码）")
@paginate(Pages)
def list_rotations(request, account_id: int):
    return CredentialRotation.objects.filter(account=_account_for(request.auth, account_id))


@router.post("/accounts/{account_id}/credential-rotations", response={201: RotationCreatedOut, **REFUSALS},
             summary="登记账号密码修改（第十二条(一)）")
def create_rotation(request, account_id: int, payload: RotationIn):
    user = request.auth
    account = _account_for(user, account_id)
    if not access.can_record_rotation(user, account):
        raise PermissionDenied(f"只有「{account}」的保管人或局办公室可以登记密码修改")
    rotation = actions.record_rotation(account, changed_at=payload.changed_at, new_password=payload.new_password,
                                       actor=user)
    return Status(201, CredentialRotation.objects.select_related("account").get(pk=rotation.pk))


@router.put("/accounts/{account_id}/custodian", response={200: CustodyOut, **REFUSALS}, summary="指定账号保管人")
def put_custodian(request, account_id: int, payload: CustodianIn):
    user = request.auth
    account = _account_for(user, account_id)
    if not access.can_manage_custody(user, account):
        raise PermissionDenied(f"您无权指定「{account}」的保管人")
    person = Person.objects.filter(username=payload.username, unit_id=account.unit_id).first()
    if person is None:
        raise actions.SecurityError(f"「{payload.username}」不是主办单位「{account.unit.name}」的人员", "username")
    custody = actions.set_custodian(account, person, actor=user)
    return custody


@router.post("/people/{username}/clearance", response={200: PersonSecurityOut, **REFUSALS},
             summary="登记保密审查和岗前培训日期（第十二条(二)）")
def post_clearance(request, username: str, payload: ClearanceIn):
    user = request.auth
    if not access.can_manage_people(user):
        raise PermissionDenied("只有局办公室管理员可以登记保密审查和岗前培训")
    person = get_object_or_404(Person, username=username)
    return actions.record_clearance(person, clearance_on=payload.clearance_on, trained_on=payload.trained_on,
                                    actor=user)


@router.post("/people/{username}/departure", response={200: DepartureOut, **REFUSALS},
             summary="登记人员离岗或调岗：即时终止会话、吊销令牌、撤销角色，生成交接任务")
@_refusals
def post_departure(request, username: str, payload: DepartureIn):
    user = request.auth
    if not access.can_manage_people(user):
        raise PermissionDenied("只有局办公室管理员可以登记人员离岗或调岗")
    person = get_object_or_404(Person, username=username)
    result = actions.record_departure(person, on=payload.date, actor=user)
    return {
        "username": person.username, "departed_on": payload.date, "sessions_ended": result.sessions_ended,
        "tokens_revoked": result.tokens_revoked, "roles_removed": result.roles_removed,
        "tasks": list(_tasks().filter(pk__in=[t.pk for t in result.tasks]).order_by("account_id", "id")),
    }


@router.get("/handover-tasks", response=list[HandoverTaskOut], summary="可见的离岗交接任务")
@paginate(Pages)
def list_handover_tasks(request, state: HandoverState | None = None, person: str = "", unit: int | None = None):
    qs = queries.handover_tasks_for(request.auth)
    if state == HandoverState.OPEN:
        qs = qs.open()
    elif state == HandoverState.OVERDUE:
        qs = qs.overdue()
    elif state == HandoverState.DONE:
        qs = qs.done()
    if person:
        qs = qs.filter(person__username=person)
    if unit is not None:
        qs = qs.filter(account__unit_id=unit)
    return qs.order_by("due_date", "id")


@router.post("/handover-tasks/{task_id}/close", response={200: HandoverTaskOut, **REFUSALS},
             summary="完成离岗交接任务（须有佐证；指定新保管人须指名）")
@_refusals
def close_handover_task(request, task_id: int, payload: HandoverCloseIn):
    user = request.auth
    task = get_object_or_404(queries.handover_tasks_for(user), pk=task_id)
    if not access.can_manage_custody(user, task.account):
        raise PermissionDenied(f"您无权办理「{task.account}」的交接任务")
    custodian = _person(payload.custodian, "custodian") if payload.custodian else None
    actions.close_handover_task(task, evidence=payload.evidence, custodian=custodian, actor=user)
    return _tasks().get(pk=task.pk)
