"""假冒账号处置 over JSON under /api/v1.

``POST /public/counterfeit-reports`` needs no token (the same fields as the public page, the screenshot as
base64) and shares the page's per-address limit: the report over the limit answers 429. The cases are read by
the office and the auditor (``GET /counterfeit-cases``); everyone else gets 403.
"""


import base64
import binascii
from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from govmedia import policy
from govmedia.api.pagination import Pages
from govmedia.api.schemas import ErrorOut
from govmedia.counterfeit import access, actions, similarity, throttle
from govmedia.counterfeit.models import OPEN_STATUSES, CaseStatus, CounterfeitCase

router = Router(tags=["假冒账号处置"])

# base64 grows data by a third; anything longer than this cannot decode to an allowed screenshot.
MAX_BASE64 = policy.COUNTERFEIT_SCREENSHOT_MAX_BYTES * 4 // 3 + 8


class ReportIn(Schema):
    platform: str = Field(description="平台，如“微信公众号”")
    name: str = Field(description="疑似假冒账号的名称")
    url: str = Field("", description="疑似假冒账号的链接（可选）")
    description: str = Field(description="情况描述")
    screenshot: str | None = Field(None, description="截图（可选）：PNG、JPEG、GIF 或 WebP 图片的 base64，"
                                                     "可带 data:image/…;base64, 前缀")


class ReportOut(Schema):
    reference: str = Field(description="受理编号")
    detail: str


class CoordinationOut(Schema):
    agency: str
    agency_label: str
    on: date
    contact: str
    content: str


class MatchOut(Schema):
    account: int
    account_name: str
    platform_name: str
    unit_name: str
    score: int
    same_platform: bool


class CaseOut(Schema):
    id: int
    reference: str
    platform: str
    name: str
    url: str
    description: str
    reported_at: datetime
    status: CaseStatus
    status_label: str
    has_screenshot: bool
    verified_at: datetime | None
    is_counterfeit: bool | None
    imitates: list[int] = Field(description="被假冒的本局账号编号")
    letter_at: datetime | None
    reported_up_on: date | None
    reported_up_to: str
    closed_at: datetime | None
    outcome: str

    @staticmethod
    def resolve_reference(obj) -> str:
        return obj.reference or ""

    @staticmethod
    def resolve_status(obj) -> str:
        return getattr(obj, "status_code", None) or obj.status().value

    @staticmethod
    def resolve_status_label(obj) -> str:
        return CaseStatus(CaseOut.resolve_status(obj)).label

    @staticmethod
    def resolve_has_screenshot(obj) -> bool:
        return bool(obj.screenshot)

    @staticmethod
    def resolve_imitates(obj) -> list[int]:
        return sorted(a.pk for a in obj.imitates.all())


class CaseDetailOut(CaseOut):
    coordinations: list[CoordinationOut]
    closest: list[MatchOut]

    @staticmethod
    def resolve_coordinations(obj) -> list[dict]:
        return [{"agency": c.agency, "agency_label": c.agency_label(), "on": c.on, "contact": c.contact,
                 "content": c.content} for c in obj.coordinations.all()]

    @staticmethod
    def resolve_closest(obj) -> list[dict]:
        return [{"account": m.account.pk, "account_name": m.account.name, "platform_name": m.account.platform.name,
                 "unit_name": m.account.unit.name, "score": m.score, "same_platform": m.same_platform}
                for m in similarity.closest(obj.platform, obj.name)]


def _require_view(user) -> None:
    if not access.can_view_cases(user):
        raise PermissionDenied("只有局办公室和审计员可以查看假冒账号案件")


def _decode(data: str) -> bytes:
    text = data.strip()
    if text.startswith("data:") and "," in text:
        text = text.split(",", 1)[1]
    if len(text) > MAX_BASE64:
        raise actions.CounterfeitError(
            f"截图过大，上限{policy.COUNTERFEIT_SCREENSHOT_MAX_BYTES // (1024 * 1024)}MB", "screenshot")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise actions.CounterfeitError("截图应为 base64 编码的图片", "screenshot") from None


@router.post("/public/counterfeit-reports", auth=None, response={201: ReportOut, 422: ErrorOut, 429: ErrorOut},
             summary="举报假冒账号（无需令牌，按来源限频）")
def report_counterfeit(request, payload: ReportIn):
    client = throttle.client_key(throttle.client_address(request))
    if throttle.exceeded(client, timezone.now()):
        return Status(429, {"detail": throttle.REFUSAL})
    screenshot = _decode(payload.screenshot) if payload.screenshot else None
    try:
        case = actions.report(platform=payload.platform, name=payload.name, url=payload.url,
                              description=payload.description, client=client, screenshot=screenshot)
    except actions.Throttled:
        return Status(429, {"detail": throttle.REFUSAL})
    return Status(201, {"reference": case.reference, "detail": "举报已收到，感谢您的监督。本局将核实并依照规定处置。"})


@router.get("/counterfeit-cases", response={200: list[CaseOut], 403: ErrorOut}, summary="假冒账号案件")
@paginate(Pages)
def list_cases(request, status: CaseStatus | Literal["open"] | None = None):
    _require_view(request.auth)
    qs = CounterfeitCase.objects.with_status().prefetch_related("imitates").order_by("-reported_at", "-id")
    if status == "open":
        qs = qs.filter(status_code__in=[s.value for s in OPEN_STATUSES])
    elif status is not None:
        qs = qs.filter(status_code=CaseStatus(status).value)
    return qs


@router.get("/counterfeit-cases/{case_id}", response={200: CaseDetailOut, 403: ErrorOut, 404: ErrorOut},
            summary="假冒账号案件详情（含协调记录和最相近的本局账号）")
def get_case(request, case_id: int):
    _require_view(request.auth)
    return get_object_or_404(CounterfeitCase, pk=case_id)
