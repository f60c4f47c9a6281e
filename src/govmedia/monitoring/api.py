"""常态化监管 over JSON under /api/v1: posts reported and listed, interactions and their replies.

Permissions are the pages' (monitoring/access.py): a post is reported by the account unit's editors, the office,
or the unit's outsourced operators; lists show what the caller's units own. An account named in a body that the
caller cannot see reads as "does not exist" (422), one they see but may not record for is refused (403).
Reporting the same post again (same platform ID, link, or time and title) answers 200 with the stored post.
"""

from datetime import datetime
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from govmedia.api.pagination import Pages
from govmedia.monitoring import access, actions
from govmedia.monitoring.actions import MonitoringError
from govmedia.monitoring.models import Interaction, InteractionKind, Post, PostKind, PostSource
from govmedia.org import access as org_access
from govmedia.registry.models import Account

router = Router(tags=["常态化监管"])

STATUS = {"invalid": 422, "forbidden": 403, "conflict": 409}


class ErrorOut(Schema):
    detail: str
    field: str | None = None


REFUSALS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PostIn(Schema):
    account: int = Field(description="账号编号")
    published_at: datetime = Field(description="发布时间；不带时区的按北京时间")
    title: str = Field(max_length=300)
    url: str = Field("", max_length=1000, description="内容在平台上的链接")
    kind: Literal["original", "reprint"] = Field("original", description="original 原创，reprint 转载")
    text: str = Field("", description="正文（纯文本）")
    external_id: str = Field("", max_length=200, description="平台内容ID；同一账号下相同的只登记一次")


class PostOut(Schema):
    id: int
    account: int
    account_name: str
    unit: int
    unit_name: str
    platform_name: str
    published_at: datetime
    title: str
    url: str
    kind: Literal["original", "reprint"]
    kind_label: str
    text: str
    source: str
    source_label: str
    external_id: str
    publication: int | None
    recorded_at: datetime

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id

    @staticmethod
    def resolve_account_name(obj) -> str:
        return obj.account.name

    @staticmethod
    def resolve_unit(obj) -> int:
        return obj.account.unit_id

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.account.unit.name

    @staticmethod
    def resolve_platform_name(obj) -> str:
        return obj.account.platform.name

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_source_label(obj) -> str:
        return obj.get_source_display()

    @staticmethod
    def resolve_publication(obj) -> int | None:
        return obj.publication_id


class InteractionOut(Schema):
    id: int
    account: int
    account_name: str
    unit: int
    platform_name: str
    kind: Literal["message", "comment"]
    kind_label: str
    author: str
    text: str
    received_at: datetime
    replied_at: datetime | None
    reply: str
    answered: bool

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id

    @staticmethod
    def resolve_account_name(obj) -> str:
        return obj.account.name

    @staticmethod
    def resolve_unit(obj) -> int:
        return obj.account.unit_id

    @staticmethod
    def resolve_platform_name(obj) -> str:
        return obj.account.platform.name

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_answered(obj) -> bool:
        return obj.replied_at is not None


class ReplyIn(Schema):
    reply: str = Field(description="回复内容")
    replied_at: datetime | None = Field(None, description="回复时间；不填为现在")


def _refused(error: MonitoringError):
    return Status(STATUS.get(error.code, 422), {"detail": error.message, "field": error.field})


def _visible(user):
    return org_access.visible_units(user)


@router.post("/posts", response={200: PostOut, 201: PostOut, **REFUSALS}, summary="报送一条发布内容")
def create_post(request, payload: PostIn):
    user = request.auth
    account = Account.objects.select_related("unit", "platform").filter(pk=payload.account).first()
    if account is None or not org_access.can_view_unit(user, account.unit_id):
        return Status(422, {"detail": f"账号（编号 {payload.account}）不存在", "field": "account"})
    if not access.can_record(user, account.unit_id):
        return Status(403, {"detail": f"您无权报送{account}的发布内容", "field": "account"})
    try:
        post, created = actions.record_post(
            account=account, published_at=actions.aware(payload.published_at), title=payload.title,
            url=payload.url, kind=payload.kind, text=payload.text, external_id=payload.external_id,
            source=PostSource.API, actor=user)
    except MonitoringError as error:
        return _refused(error)
    return Status(201 if created else 200, _posts().get(pk=post.pk))


def _posts():
    return Post.objects.select_related("account__unit", "account__platform")


@router.get("/posts", response=list[PostOut], summary="可见账号的发布内容（最新在前）")
@paginate(Pages)
def list_posts(request, account: int | None = None, unit: int | None = None, since: datetime | None = None,
               until: datetime | None = None, kind: PostKind | None = None, source: PostSource | None = None,
               q: str = ""):
    qs = _posts().filter(account__unit__in=_visible(request.auth))
    if account is not None:
        qs = qs.filter(account_id=account)
    if unit is not None:
        qs = qs.filter(account__unit_id=unit)
    if since is not None:
        qs = qs.filter(published_at__gte=actions.aware(since))
    if until is not None:
        qs = qs.filter(published_at__lt=actions.aware(until))
    if kind is not None:
        qs = qs.filter(kind=kind)
    if source is not None:
        qs = qs.filter(source=source)
    if q.strip():
        qs = qs.filter(title__icontains=q.strip())
    return qs.order_by("-published_at", "-id")


def _interactions():
    return Interaction.objects.select_related("account__unit", "account__platform")


@router.get("/interactions", response=list[InteractionOut], summary="可见账号的互动留言（最新在前）")
@paginate(Pages)
def list_interactions(request, unanswered: bool = False, account: int | None = None, unit: int | None = None,
                      kind: InteractionKind | None = None):
    qs = _interactions().filter(account__unit__in=_visible(request.auth))
    if unanswered:
        qs = qs.filter(replied_at__isnull=True)
    if account is not None:
        qs = qs.filter(account_id=account)
    if unit is not None:
        qs = qs.filter(account__unit_id=unit)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.order_by("-received_at", "-id")


@router.post("/interactions/{interaction_id}/reply", response={200: InteractionOut, **REFUSALS},
             summary="登记留言的回复")
def reply_interaction(request, interaction_id: int, payload: ReplyIn):
    user = request.auth
    interaction = get_object_or_404(_interactions(), pk=interaction_id)
    if not org_access.can_view_unit(user, interaction.account.unit_id):
        raise Http404
    if not access.can_record(user, interaction.account.unit_id):
        return Status(403, {"detail": f"您无权登记{interaction.account}的留言回复"})
    try:
        actions.record_reply(interaction, reply=payload.reply, actor=user,
                             replied_at=actions.aware(payload.replied_at) if payload.replied_at else None)
    except MonitoringError as error:
        return _refused(error)
    return _interactions().get(pk=interaction.pk)

