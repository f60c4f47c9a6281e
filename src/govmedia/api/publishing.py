"""Drafts and their three-level review (第八条) over JSON: the same actions and the same answer to "who may do
what" (``workflow.allowed_actions``) as the pages.

Each endpoint: fetch with permission (a draft the caller cannot view → 404) → turn ids into objects → one
action → the changed draft. Refusals from the actions (``PublishingError``) map by their code: "forbidden" →
403, "conflict" → 409, "invalid" → 422, each as ``{"detail": 中文说明, "field": …}``.
"""

from datetime import datetime
from typing import Literal

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, NinjaAPI, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from govmedia.api.pagination import Pages, RowsOf
from govmedia.api.schemas import ErrorOut, _check_url
from govmedia.org import access
from govmedia.org.models import Person
from govmedia.publishing import actions, queries, workflow
from govmedia.publishing.actions import PublishingError
from govmedia.publishing.models import (
    Decision,
    Draft,
    Importance,
    Kind,
    Publication,
    ReprintDirective,
    Stage,
)
from govmedia.publishing.models import Status as DraftStatus
from govmedia.registry.models import Account

router = Router(tags=["稿件审核"])

HTTP_STATUS = {"forbidden": 403, "conflict": 409, "invalid": 422}
REFUSALS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def register(api: NinjaAPI) -> None:
    """Mount the router and map the actions' refusals to HTTP statuses."""

    @api.exception_handler(PublishingError)
    def publishing_error(request, exc: PublishingError):
        return api.create_response(request, {"detail": exc.message, "field": exc.field},
                                   status=HTTP_STATUS.get(exc.code, 422))

    api.add_router("/", router)


# ---- bodies ------------------------------------------------------------------------------------------------


class DraftFields(Schema):
    """What a writer fills in; every field optional, so PATCH changes only what it names."""

    account: int | None = Field(None, description="发布账号编号（单个）")
    accounts: list[int] | None = Field(None, description="发布账号编号（可多个，须属同一主办单位）")
    title: str | None = Field(None, max_length=200)
    body: str | None = Field(None, description="正文（富文本 HTML，保存前清洗）")
    importance: Importance | None = Field(None, description="normal 一般信息；major 重要重大信息（须主要负责人终审）")
    kind: Kind | None = Field(None, description="original 原创；reprint 转载（须注明来源和原标题）")
    source_name: str | None = Field(None, max_length=200)
    original_title: str | None = Field(None, max_length=200)
    source_url: str | None = Field(None, max_length=500)
    other_units: str | None = Field(None, max_length=300, description="内容涉及的其他单位（须填写沟通协调情况）")
    coordination_note: str | None = None

    check_url = field_validator("source_url")(_check_url)


class DraftPatch(DraftFields):
    directive: int | None = Field(None, description="所响应的转载通知编号；传 null 取消关联，不传则不变")


class DraftIn(DraftFields):
    title: str = Field(max_length=200)
    directive: int | None = Field(None, description="所响应的转载通知编号")


class DecisionIn(Schema):
    decision: Literal["approve", "return"] = Field(description="approve 同意；return 退回修改（须填写意见）")
    comment: str = Field("", max_length=2000)
    override_reason: str = Field("", max_length=2000, description="签发时稿件有阻断问题须填写放行理由")
    stage: Stage | None = Field(None, description="所审核的环节；若已由他人处理则返回 409")
    content_hash: str | None = Field(None, description="所审核的版本（稿件的 content_hash）；稿件已被修改则返回 409")


class PublicationIn(Schema):
    account: int
    url: str = Field("", max_length=500)
    published_at: datetime | None = None
    failure_reason: str = Field("", max_length=300)

    check_url = field_validator("url")(_check_url)


class DirectiveIn(Schema):
    title: str = Field(max_length=200)
    source: str = Field(max_length=200)
    url: str = Field("", max_length=500)
    received_at: datetime
    accounts: list[int]

    check_url = field_validator("url")(_check_url)


class DecisionOut(Schema):
    id: int
    stage: Stage
    stage_label: str
    decision: str
    decision_label: str
    comment: str
    override_reason: str
    actor: str
    actor_name: str
    decided_at: datetime


class PublicationOut(Schema):
    id: int
    account: int
    account_name: str
    url: str
    published_at: datetime | None
    failure_reason: str
    recorded_by: str
    recorded_at: datetime


class DraftRowOut(Schema):
    id: int
    title: str
    accounts: list[int]
    account_names: list[str]
    author: str
    author_name: str
    importance: Importance
    kind: Kind
    status: DraftStatus
    status_label: str
    stage: Stage | None
    stage_label: str | None
    updated_at: datetime


class DraftOut(DraftRowOut):
    body: str
    unit: int
    section: str | None
    source_name: str
    original_title: str
    source_url: str
    other_units: str
    coordination_note: str
    directive: int | None
    content_hash: str
    created_at: datetime
    decisions: list[DecisionOut] = Field(description="当前送审版本的审核意见")
    findings: list[dict] = Field(description="最近一次送审的内容检查结果")
    overridden: bool = Field(description="签发时放行了阻断问题")
    publications: list[PublicationOut]
    allowed_actions: dict[str, str | None] = Field(description="动作 → null（可执行）或不可执行的原因")


class DirectiveOut(Schema):
    id: int
    title: str
    source: str
    url: str
    received_at: datetime
    due_at: datetime
    accounts: list[int]
    done_accounts: list[int] = Field(description="已发布对应转载稿件的账号")
    overdue: bool
    created_by: str


# ---- answers -----------------------------------------------------------------------------------------------


def _decision(decision: Decision) -> dict:
    return {"id": decision.pk, "stage": decision.stage, "stage_label": decision.get_stage_display(),
            "decision": decision.verdict, "decision_label": decision.get_verdict_display(),
            "comment": decision.comment, "override_reason": decision.override_reason,
            "actor": decision.actor.username, "actor_name": str(decision.actor), "decided_at": decision.decided_at}


def _publication(publication: Publication) -> dict:
    return {"id": publication.pk, "account": publication.account_id, "account_name": str(publication.account),
            "url": publication.url, "published_at": publication.published_at,
            "failure_reason": publication.failure_reason, "recorded_by": publication.recorded_by.username,
            "recorded_at": publication.recorded_at}


def _row(draft: Draft, status: DraftStatus, stage: Stage | None) -> dict:
    accounts = sorted(draft.accounts.all(), key=lambda a: a.pk)  # prefetched with their platforms by the list
    return {"id": draft.pk, "title": draft.title, "accounts": [a.pk for a in accounts],
            "account_names": [str(a) for a in accounts], "author": draft.author.username,
            "author_name": str(draft.author), "importance": draft.importance, "kind": draft.kind,
            "status": status, "status_label": status.label, "stage": stage,
            "stage_label": stage.label if stage else None, "updated_at": draft.updated_at}


def _body(draft: Draft, user: Person) -> dict:
    state = workflow.state_of(draft)
    allowed = workflow.allowed_actions(draft, user, state)
    publications = draft.publications.select_related("account__platform", "recorded_by").order_by("id")
    return _row(draft, state.status, state.stage) | {
        "body": draft.body, "unit": draft.unit_id, "section": draft.section.name if draft.section else None,
        "source_name": draft.source_name, "original_title": draft.original_title, "source_url": draft.source_url,
        "other_units": draft.other_units, "coordination_note": draft.coordination_note,
        "directive": draft.directive_id, "content_hash": draft.content_hash, "created_at": draft.created_at,
        "decisions": [_decision(d) for d in state.decisions],
        "findings": state.submission.findings if state.submission else [],
        "overridden": any(d.override_reason for d in state.decisions),
        "publications": [_publication(p) for p in publications],
        "allowed_actions": {action: (str(refusal) if refusal is not None else None)
                            for action, refusal in allowed.items()},
    }


def _drafts():
    return Draft.objects.select_related("author", "section").prefetch_related(
        Prefetch("accounts", queryset=Account.objects.select_related("platform")))


def _draft_for(user: Person, pk: int) -> Draft:
    draft = get_object_or_404(_drafts(), pk=pk)
    if not workflow.can_view(draft, user):
        raise Http404
    return draft


def _accounts(ids: list[int], field: str) -> list[Account]:
    found = Account.objects.select_related("platform").in_bulk(ids)
    for pk in ids:
        if pk not in found:
            raise PublishingError(f"账号（编号 {pk}）不存在", field=field)
    return [found[pk] for pk in dict.fromkeys(ids)]


def _target_accounts(payload: DraftFields) -> list[Account] | None:
    """"account" and "accounts" together name the targets; None when the body names neither."""
    if payload.account is None and payload.accounts is None:
        return None
    ids = ([payload.account] if payload.account is not None else []) + (payload.accounts or [])
    return _accounts(ids, "accounts")


def _directive_of(user: Person, payload: DraftIn | DraftPatch) -> ReprintDirective | None:
    """The named directive among those the caller can see; an unknown or invisible one is refused alike."""
    if payload.directive is None:
        return None
    directive = queries.directives_for(user).filter(pk=payload.directive).first()
    if directive is None:
        raise PublishingError(f"转载通知（编号 {payload.directive}）不存在", field="directive")
    return directive


def _fields(payload: DraftFields) -> dict:
    names = ("title", "body", "importance", "kind", "source_name", "original_title", "source_url", "other_units",
             "coordination_note")
    return {name: value for name, value in payload.model_dump(include=set(names)).items() if value is not None}


def _aware(moment: datetime | None) -> datetime | None:
    # A time without an offset is read as the bureau's local time (Asia/Shanghai).
    return timezone.make_aware(moment) if moment is not None and timezone.is_naive(moment) else moment


# ---- drafts ------------------------------------------------------------------------------------------------


@router.get("/drafts", response=list[DraftRowOut], summary="可见的稿件")
@paginate(Pages)
def list_drafts(request, status: DraftStatus | None = None, mine: bool = False, waiting: bool = False):
    """``mine``: drafts I wrote; ``waiting``: drafts whose current level I may decide (我的待办).

    Visibility, status and the waiting level are all decided in SQL (queries.visible_drafts, with_state and
    waiting_for, which mirror workflow.can_view and may_decide), so a page costs the same for any number of drafts."""
    user = request.auth
    qs = queries.with_state(queries.visible_drafts(user)).select_related("author").prefetch_related(
        Prefetch("accounts", queryset=Account.objects.select_related("platform")))
    if mine:
        qs = qs.filter(author=user)
    if status:
        qs = qs.filter(status_code=status)
    if waiting:
        qs = qs.filter(pk__in=queries.waiting_for(user).values("pk"))
    return RowsOf(qs.order_by("-updated_at", "-id"), _listed_row)


def _listed_row(draft: Draft) -> dict:
    return _row(draft, *queries.listed_state(draft))


@router.get("/drafts/{draft_id}", response={200: DraftOut, 404: ErrorOut}, summary="稿件、审核进度与可执行动作")
def get_draft(request, draft_id: int):
    return _body(_draft_for(request.auth, draft_id), request.auth)


@router.post("/drafts", response={201: DraftOut, **REFUSALS}, summary="撰写稿件")
def create_draft(request, payload: DraftIn):
    user = request.auth
    draft = actions.create_draft(accounts=_target_accounts(payload) or [], directive=_directive_of(user, payload),
                                 actor=user, **_fields(payload))
    return Status(201, _body(_drafts().get(pk=draft.pk), user))


@router.patch("/drafts/{draft_id}", response={200: DraftOut, **REFUSALS},
              summary="修改稿件（送审中或已通过的稿件修改后回到初审）")
def update_draft(request, draft_id: int, payload: DraftPatch):
    user = request.auth
    draft = _draft_for(user, draft_id)
    directive = _directive_of(user, payload) if "directive" in payload.model_fields_set else actions.UNCHANGED
    actions.update_draft(draft, accounts=_target_accounts(payload), directive=directive, actor=user,
                         **_fields(payload))
    return _body(_drafts().get(pk=draft.pk), user)


@router.post("/drafts/{draft_id}/submit", response={200: DraftOut, **REFUSALS}, summary="送审（运行内容检查）")
def submit_draft(request, draft_id: int):
    user = request.auth
    draft = _draft_for(user, draft_id)
    actions.submit_draft(draft, actor=user)
    return _body(_drafts().get(pk=draft.pk), user)


@router.post("/drafts/{draft_id}/decisions", response={201: DecisionOut, **REFUSALS},
             summary="审核：同意或退回当前环节")
def decide(request, draft_id: int, payload: DecisionIn):
    user = request.auth
    draft = _draft_for(user, draft_id)
    decision = actions.decide(draft, verdict=payload.decision, comment=payload.comment,
                              override_reason=payload.override_reason, stage=payload.stage,
                              content_hash=payload.content_hash, actor=user)
    return Status(201, _decision(decision))


@router.post("/drafts/{draft_id}/publications", response={201: PublicationOut, **REFUSALS},
             summary="登记发布（链接和时间，或失败原因）")
def record_publication(request, draft_id: int, payload: PublicationIn):
    user = request.auth
    draft = _draft_for(user, draft_id)
    account = _accounts([payload.account], "account")[0]
    publication = actions.record_publication(draft, account=account, url=payload.url,
                                             published_at=_aware(payload.published_at),
                                             failure_reason=payload.failure_reason, actor=user)
    return Status(201, _publication(Publication.objects.select_related("account__platform", "recorded_by")
                                    .get(pk=publication.pk)))


# ---- reprint directives (第六条) ------------------------------------------------------------------------------


def _directive(directive: ReprintDirective, now: datetime) -> dict:
    accounts = sorted(a.pk for a in directive.accounts.all())
    done = sorted(set(Publication.objects.filter(draft__directive=directive, published_at__isnull=False,
                                                 account_id__in=accounts).values_list("account_id", flat=True)))
    return {"id": directive.pk, "title": directive.title, "source": directive.source, "url": directive.url,
            "received_at": directive.received_at, "due_at": directive.due_at, "accounts": accounts,
            "done_accounts": done, "overdue": now > directive.due_at and len(done) < len(accounts),
            "created_by": directive.created_by.username}


@router.get("/directives", response=list[DirectiveOut], summary="可见的转载通知")
@paginate(Pages)
def list_directives(request):
    user = request.auth
    qs = ReprintDirective.objects.select_related("created_by").prefetch_related("accounts")
    if not access.sees_all_units(user):
        own = Account.objects.filter(directives=OuterRef("pk"), unit_id=user.unit_id)
        qs = qs.filter(Exists(own))
    now = timezone.now()
    return [_directive(d, now) for d in qs.order_by("-received_at", "-id")]


@router.post("/directives", response={201: DirectiveOut, **REFUSALS}, summary="下达转载通知（局办公室）")
def create_directive(request, payload: DirectiveIn):
    user = request.auth
    if not access.is_office(user):
        raise PublishingError("只有局办公室可以下达转载通知", "forbidden")  # before the body's ids are looked up
    directive = actions.create_directive(title=payload.title, source=payload.source, url=payload.url,
                                         received_at=_aware(payload.received_at),
                                         accounts=_accounts(payload.accounts, "accounts"), actor=user)
    return Status(201, _directive(directive, timezone.now()))
