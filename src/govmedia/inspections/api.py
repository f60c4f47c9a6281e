"""巡检与检查整改 over JSON under /api/v1: rectification items, with the same questions, actions and
permissions as the pages.

Refusals: an item the caller cannot see → 404; seen but not theirs to act on → 403; not in a state that allows
the action → 409; bad input → 422 — each as ``{"detail": 中文说明, "field": …}``.
"""

from datetime import date, datetime
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from govmedia.api.pagination import Pages
from govmedia.api.schemas import ErrorOut
from govmedia.inspections import access, actions, queries
from govmedia.inspections.actions import RectificationError
from govmedia.inspections.models import Rectification, RectStatus, Severity, Source

router = Router(tags=["巡检与检查整改"])

HTTP_STATUS = {"conflict": 409, "invalid": 422}
REFUSALS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RectificationOut(Schema):
    id: int
    account: int
    account_name: str
    platform_name: str
    unit: int
    unit_name: str
    source: Source = Field(description="patrol 巡检；inspection 检查")
    severity: Severity = Field(description="severe 严重；major 较重；general 一般")
    severity_label: str
    problem: str
    opened_at: datetime
    due_date: date
    due_provisional: bool
    status: RectStatus = Field(description="open 待整改；overdue 逾期未整改；answered 待验收；accepted 已整改")
    status_label: str
    answered_at: datetime | None
    accepted_at: datetime | None
    escalated_at: datetime | None
    post: int | None
    inspection: int | None

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id

    @staticmethod
    def resolve_account_name(obj) -> str:
        return obj.account.name

    @staticmethod
    def resolve_platform_name(obj) -> str:
        return obj.account.platform.name

    @staticmethod
    def resolve_unit(obj) -> int:
        return obj.unit_id

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_severity_label(obj) -> str:
        return obj.get_severity_display()

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.status().value

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.status().label

    @staticmethod
    def resolve_post(obj) -> int | None:
        return obj.post_id

    @staticmethod
    def resolve_inspection(obj) -> int | None:
        return obj.inspection_result.inspection_id if obj.inspection_result_id else None


class EventOut(Schema):
    kind: str
    kind_label: str
    at: datetime
    actor: str
    text: str
    evidence_name: str
    due_date: date | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_name


class RectificationDetailOut(RectificationOut):
    events: list[EventOut]
    allowed_actions: list[str] = Field(description="调用者此刻可执行的操作：answer、accept、reopen")

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())


class AnswerIn(Schema):
    text: str = Field(description="整改情况说明：采取了什么措施、何时完成")


class AcceptIn(Schema):
    note: str = Field("", description="验收意见（可选）")


class ReopenIn(Schema):
    reason: str = Field(description="退回理由")


def _item_for(user, pk: int) -> Rectification:
    item = get_object_or_404(Rectification.objects.select_related(
        "unit", "account__platform", "inspection_result"), pk=pk)
    if not access.can_view_rectification(user, item):
        raise Http404
    return item


def _detail(item: Rectification, user) -> Rectification:
    item = _item_for(user, item.pk)
    item.allowed_actions = sorted(access.allowed_actions(item, user))
    return item


def _refusal(error: RectificationError):
    return Status(HTTP_STATUS.get(error.code, 422), {"detail": error.message, "field": error.field})


@router.get("/rectifications", response=list[RectificationOut], summary="可见的整改事项")
@paginate(Pages)
def list_rectifications(request, status: Literal["open", "overdue", "answered", "accepted", "pending"] | None = None,
                        source: Source | None = None, unit: int | None = None, account: int | None = None,
                        severity: Severity | None = None):
    params = {"status": status or "", "source": source.value if source else "",
              "severity": severity.value if severity else "",
              "unit": "" if unit is None else str(unit), "account": "" if account is None else str(account)}
    qs, _ = queries.filter_rectifications(request.auth, params)
    return qs.order_by("due_date", "id")


@router.get("/rectifications/{item_id}", response={200: RectificationDetailOut, 404: ErrorOut},
            summary="整改事项及其整改过程")
def get_rectification(request, item_id: int):
    item = _item_for(request.auth, item_id)
    return _detail(item, request.auth)


def _act(request, item_id: int, action, **fields):
    """One step of a rectification through its action (which checks the step and writes the audit log)."""
    item = _item_for(request.auth, item_id)
    try:
        action(item, actor=request.auth, **fields)
    except RectificationError as error:
        return _refusal(error)
    return _detail(item, request.auth)


@router.post("/rectifications/{item_id}/answer", response={200: RectificationDetailOut, **REFUSALS},
             summary="责任单位提交整改材料")
def answer(request, item_id: int, payload: AnswerIn):
    return _act(request, item_id, actions.answer_rectification, text=payload.text)


@router.post("/rectifications/{item_id}/accept", response={200: RectificationDetailOut, **REFUSALS},
             summary="局办公室验收通过")
def accept(request, item_id: int, payload: AcceptIn):
    return _act(request, item_id, actions.accept_rectification, note=payload.note)


@router.post("/rectifications/{item_id}/reopen", response={200: RectificationDetailOut, **REFUSALS},
             summary="局办公室退回重办（按严重程度重新计算期限）")
def reopen(request, item_id: int, payload: ReopenIn):
    return _act(request, item_id, actions.reopen_rectification, reason=payload.reason)
