"""Every refusal the API gives, as JSON with a Chinese ``detail`` a person can act on."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from govmedia.publishing.models import Decision, Draft, Publication, ReprintDirective
from govmedia.registry.actions import RegistryError
from govmedia.registry.models import Account, Filing, LifecycleEvent

NOT_FOUND = "未找到"
FORBIDDEN = "您无权执行此操作"
UNAUTHENTICATED = "未登录或令牌无效"

# Names that are not model fields, or whose model label would mislead.
_LABELS = {
    "payload": "请求体",
    "changes": "变更内容",
    "notice": "停更公告",
    "public_notice": "变更公告",
    "status": "状态",
    "q": "关键词",
    "limit": "每页条数",
    "offset": "起始位置",
    "account_id": "账号编号",
    "filing_id": "备案事项编号",
    "decision": "审核结论",
}

_PROBLEMS = {
    "missing": "缺少此项",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文本",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为对象（键值对）",
    "model_attributes_type": "应为对象（键值对）",
    "extra_forbidden": "不接受此项",
}


def field_label(name: str) -> str:
    if name in _LABELS:
        return _LABELS[name]
    for model in (Account, LifecycleEvent, Filing, Draft, Decision, Publication, ReprintDirective):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            continue
    return name


_UNION_MEMBERS = {"int", "str"}


def _field_name(loc: tuple | list) -> str:
    """("body", "payload", "changes", "unit") -> "changes.unit"; ("query", "limit") -> "limit"."""
    parts = [str(p) for p in loc[1:]]
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]  # the endpoint's parameter name, not something the client sent
    # Union members (int | str) add their type names to the location; the client never sees those.
    parts = [p for p in parts if p not in _UNION_MEMBERS and not p.isdigit()] or parts
    return ".".join(parts) or "payload"


def _choices(expected: str) -> str:
    """pydantic's "'open', 'filed' or 'overdue'" -> "open、filed、overdue"."""
    return expected.replace("' or '", "', '").replace("'", "").replace(", ", "、")


def _problem(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    loc = error.get("loc") or ("",)
    if str(loc[-1]) in _UNION_MEMBERS:
        return "应为编号（整数）或名称（文本）"
    if kind in _PROBLEMS:
        return _PROBLEMS[kind]
    if kind == "value_error":
        return str(ctx.get("error", "取值无效")).removeprefix("Value error, ")
    if kind in ("enum", "literal_error"):
        return f"取值应为 {_choices(str(ctx.get('expected', '')))}".strip()
    if kind == "string_too_long":
        return f"过长，最多 {ctx.get('max_length')} 个字符"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    return "取值无效"


def validation_summary(errors: list[dict]) -> str:
    by_field: dict[str, str] = {}
    for error in errors:
        name = _field_name(error.get("loc", ()))
        by_field.setdefault(name, _problem(error))  # the first problem of a field is enough to fix it
    return "请求有误：" + "；".join(
        f"{field_label(name.rsplit('.', 1)[-1])}（{name}）：{problem}" for name, problem in by_field.items()
    )


def register(api: NinjaAPI) -> None:
    def reply(request: HttpRequest, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(RegistryError)
    def registry_error(request, exc: RegistryError):
        return reply(request, 422, {"detail": exc.message, "field": exc.field})

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc: PermissionDenied):
        return reply(request, 403, {"detail": str(exc) or FORBIDDEN})

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return reply(request, 404, {"detail": NOT_FOUND})

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        return reply(request, 422, {"detail": validation_summary(exc.errors), "errors": exc.errors})

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        response = reply(request, 401, {"detail": UNAUTHENTICATED})
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # ninja raises 400 for a body that is not JSON; its other HttpErrors are rare and kept as they are.
        detail = "请求体无法解析，应为 JSON" if exc.status_code == 400 else str(exc)
        return reply(request, exc.status_code, {"detail": detail})
