"""The account registry (台账) over JSON: the same questions, actions and permissions as its pages.

Each endpoint: fetch with permission (another unit's object the caller cannot see → 404; seen but not
theirs to change → 403) → turn ids into objects → one action → the changed object.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from govmedia.api.pagination import Pages
from govmedia.api.schemas import (
    AccountDetailOut,
    AccountIn,
    AccountOut,
    ErrorOut,
    EventIn,
    EventOut,
    FilingCompleteIn,
    FilingFilter,
    FilingRowOut,
    PlatformOut,
)
from govmedia.org import access
from govmedia.org.models import Person, Unit
from govmedia.registry import actions, queries
from govmedia.registry.actions import RegistryError
from govmedia.registry.models import Account, Filing, LifecycleEvent, Platform
from govmedia.registry.models import Status as AccountStatus

router = Router(tags=["台账"])

REFUSALS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _accounts():
    return Account.objects.select_related("unit", "platform").prefetch_related("managers")


def _filings():
    return Filing.objects.select_related("event__account__unit", "event__account__platform")


def _account_for(user: Person, pk: int, qs=None) -> Account:
    account = get_object_or_404(qs if qs is not None else _accounts(), pk=pk)
    if not access.can_view_unit(user, account.unit_id):
        raise Http404
    return account


def _require_editor(user: Person, unit_id: int) -> None:
    # Checked before the body's references are looked up, so a caller without the right learns nothing more.
    if not access.can_edit_registry(user, unit_id):
        raise PermissionDenied("您无权变更该单位的账号台账")


def _unit(pk: int, field: str) -> Unit:
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None:
        raise RegistryError(f"主办单位（编号 {pk}）不存在", field)
    return unit


def _platform(ref: int | str) -> Platform:
    if isinstance(ref, str) and not ref.strip().isdigit():
        platform = Platform.objects.filter(name=ref.strip()).first()
    else:
        platform = Platform.objects.filter(pk=int(ref)).first()
    if platform is None:
        raise RegistryError(f"平台「{ref}」不存在", "platform")
    return platform


def _managers(unit: Unit, usernames: list[str]) -> list[Person]:
    found = {p.username: p for p in Person.objects.filter(unit=unit, is_active=True, username__in=usernames)}
    for username in usernames:
        if username not in found:
            raise RegistryError(f"专职管理人员「{username}」不是「{unit.name}」的在岗人员", "managers")
    return [found[u] for u in dict.fromkeys(usernames)]


@router.get("/platforms", response=list[PlatformOut], summary="平台名单")
def list_platforms(request):
    return Platform.objects.all()


@router.get("/accounts", response=list[AccountOut], summary="可见的账号")
@paginate(Pages)
def list_accounts(request, unit: int | None = None, platform: int | None = None,
                  status: AccountStatus | None = None, q: str = ""):
    params = {"unit": "" if unit is None else str(unit), "platform": "" if platform is None else str(platform),
              "status": status.value if status else "", "q": q}
    qs, _ = queries.filter_accounts(request.auth, params)
    return qs.prefetch_related("managers")


@router.get("/accounts/{account_id}", response={200: AccountDetailOut, 404: ErrorOut}, summary="账号及其变动事项")
def get_account(request, account_id: int):
    events = LifecycleEvent.objects.select_related("filing")
    return _account_for(request.auth, account_id, _accounts().prefetch_related(Prefetch("events", queryset=events)))


@router.post("/accounts", response={201: AccountOut, **REFUSALS}, summary="登记账号（开设申请）")
def create_account(request, payload: AccountIn):
    user = request.auth
    if not access.can_edit_any_registry(user):
        raise PermissionDenied("您无权登记账号")
    unit = _unit(payload.unit, "unit")
    _require_editor(user, unit.pk)
    account = actions.register_account(
        unit=unit, platform=_platform(payload.platform), name=payload.name, subject=payload.subject,
        purpose=payload.purpose, platform_uid=payload.platform_uid, url=payload.url,
        managers=_managers(unit, payload.managers), preconditions=payload.preconditions,
        opened_on=payload.opened_on, actor=user,
    )
    return Status(201, _accounts().get(pk=account.pk))


@router.post("/accounts/{account_id}/events", response={201: EventOut, **REFUSALS},
             summary="登记开设、变更、关停或注销")
def create_event(request, account_id: int, payload: EventIn):
    user = request.auth
    account = _account_for(user, account_id)
    _require_editor(user, account.unit_id)
    changes = payload.changes.model_dump(exclude_none=True) if payload.changes else {}
    if "unit" in changes:
        changes["unit"] = _unit(changes["unit"], "unit")
    event = actions.record_event(
        account, kind=payload.kind, effective_date=payload.effective_date, note=payload.note, changes=changes,
        notice=payload.notice, public_notice=payload.public_notice, actor=user,
    )
    return Status(201, LifecycleEvent.objects.select_related("filing").get(pk=event.pk))


@router.get("/filings", response=list[FilingRowOut], summary="可见的备案事项")
@paginate(Pages)
def list_filings(request, status: FilingFilter | None = None, unit: int | None = None):
    qs = queries.filings_for(request.auth)
    if status == "open":
        qs = qs.open()
    elif status:
        qs = qs.in_status(status)
    if unit is not None:
        qs = qs.filter(event__account__unit_id=unit)
    return qs.order_by("due_date", "id")


@router.post("/filings/{filing_id}/complete", response={200: FilingRowOut, **REFUSALS}, summary="记录已完成备案")
def complete_filing(request, filing_id: int, payload: FilingCompleteIn):
    user = request.auth
    filing = get_object_or_404(_filings(), pk=filing_id)
    if not access.can_view_unit(user, filing.event.account.unit_id):
        raise Http404
    _require_editor(user, filing.event.account.unit_id)
    actions.complete_filing(filing, filed_on=payload.filed_on, reference=payload.reference, actor=user)
    return _filings().get(pk=filing.pk)
