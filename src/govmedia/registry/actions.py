"""Everything that changes the registry: checks the regulation's rules, writes, audits.

Each function takes the acting person as ``actor``, refuses with a ``RegistryError`` whose message is the
Chinese reason naming the rule, and changes nothing when it refuses.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from govmedia import policy
from govmedia.audit.actions import actor_label, record
from govmedia.audit.events import EventType
from govmedia.org import access
from govmedia.org.actions import clearance_refusal
from govmedia.org.models import Person, Role, Section, Unit
from govmedia.registry.models import Account, EventKind, Filing, LifecycleEvent, Platform, today
from govmedia.workcal.calendar import add_workdays

EDITABLE_FIELDS = ("name", "platform_uid", "url", "subject", "purpose")
_EVENT_AUDIT = {
    EventKind.OPEN: EventType.ACCOUNT_OPENED,
    EventKind.CHANGE: EventType.ACCOUNT_CHANGED,
    EventKind.CLOSE: EventType.ACCOUNT_CLOSED,
    EventKind.CANCEL: EventType.ACCOUNT_CANCELLED,
}


class RegistryError(Exception):
    """A refusal; ``message`` is shown to the user as it is, ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _require_editor(actor: Person, unit: Unit) -> None:
    if not access.can_edit_registry(actor, unit.pk):
        raise PermissionDenied(f"您无权变更「{unit.name}」的账号台账")


def _require_office(actor: Person) -> None:
    if not access.can_manage_reference_data(actor):
        raise PermissionDenied("只有局办公室管理员可以维护平台名单")


def check_subject(unit: Unit, subject: str) -> None:
    """第四条: the certification subject is the owning unit, never a section or a person."""
    subject = subject.strip()
    if not subject:
        raise RegistryError("请填写认证主体（应为主办单位全称）", "subject")
    if Section.objects.filter(name=subject).exists():
        raise RegistryError(
            f"内设机构「{subject}」不得作为账号主体或认证主体，认证主体应为「{unit.name}」（第四条）", "subject"
        )
    if Person.objects.filter(full_name=subject).exists() or subject.endswith(("个人", "本人")):
        raise RegistryError(f"不得以个人名义开设政务新媒体，认证主体应为「{unit.name}」（第四条）", "subject")
    if subject != unit.name:
        raise RegistryError(f"认证主体「{subject}」与主办单位不符，应为「{unit.name}」（第四条）", "subject")


def check_purpose(purpose: str) -> None:
    for word in policy.CAMPAIGN_PURPOSE_WORDS:
        if word in purpose:
            raise RegistryError(f"不得为专项活动或专项工作单独开设政务新媒体（第四条）：开设用途含「{word}」", "purpose")


def check_one_per_platform(unit: Unit, platform: Platform, exclude: Account | None = None) -> None:
    existing = Account.objects.not_cancelled().filter(unit=unit, platform=platform)
    if exclude is not None:
        existing = existing.exclude(pk=exclude.pk)
    first = existing.first()
    if first is not None:
        raise RegistryError(
            f"「{unit.name}」在{platform.name}已有账号「{first.name}」，一个单位在同一平台原则上只开设一个账号，"
            "请将信息发布、互动交流、办事服务集成到该账号（第五条）",
            "platform",
        )


def check_preconditions(preconditions: dict) -> dict[str, str]:
    cleaned = {}
    for key, label in policy.OPENING_PRECONDITIONS.items():
        evidence = str((preconditions or {}).get(key, "")).strip()
        if not evidence:
            raise RegistryError(f"开设条件不完整：缺少「{label}」的佐证材料（第四条）", f"pre_{key}")
        cleaned[key] = evidence[:500]
    return cleaned


def check_managers(unit: Unit, managers: list[Person]) -> None:
    for person in managers:
        if person.unit_id != unit.pk:
            raise RegistryError(f"专职管理人员「{person}」不属于「{unit.name}」", "managers")
    if managers and all(p.has_role(Role.VENDOR) for p in managers):
        raise RegistryError("不得将账号全权交由外包人员管理，须有本单位在编在岗人员（第二条、第十二条）", "managers")
    for person in managers:
        if reason := clearance_refusal(person, "专职管理人员"):
            raise RegistryError(reason, "managers")


def _snapshot(account: Account) -> dict:
    return {
        "unit": account.unit.name,
        "platform": account.platform.name,
        **{field: getattr(account, field) for field in EDITABLE_FIELDS},
        "managers": sorted(p.username for p in account.managers.all()) if account.pk else [],
    }


@transaction.atomic
def register_account(
    *,
    unit: Unit,
    platform: Platform,
    name: str,
    subject: str,
    purpose: str = "",
    platform_uid: str = "",
    url: str = "",
    managers: list[Person] | None = None,
    preconditions: dict | None = None,
    opened_on: date | None = None,
    existing: bool = False,
    actor: Person,
) -> Account:
    """Record an account through the opening checklist (第四条, 第五条); with ``opened_on``, open it too.

    ``existing`` records an account that already runs (a ledger import): ``opened_on`` is set as history,
    with no new filing, and a second account on one platform is accepted so the consolidation page can
    list it for merging (第五条 清理整合) instead of the ledger hiding it.
    """
    _require_editor(actor, unit)
    name = name.strip()
    if not name:
        raise RegistryError("请填写账号名称", "name")
    if not platform.approved:
        raise RegistryError(f"「{platform.name}」不在核准的平台名单内，不得开设政务新媒体（第四条）", "platform")
    check_subject(unit, subject)
    check_purpose(purpose)
    cleaned = check_preconditions(preconditions or {})
    managers = list(managers or [])
    check_managers(unit, managers)
    if not existing:
        check_one_per_platform(unit, platform)
    account = Account.objects.create(
        unit=unit, platform=platform, name=name, subject=subject.strip(), purpose=purpose.strip(),
        platform_uid=platform_uid.strip(), url=url.strip(), preconditions=cleaned,
    )
    account.managers.set(managers)
    if existing:
        account.opened_on = opened_on
        account.save(update_fields=["opened_on"])
    record(EventType.ACCOUNT_REGISTERED, actor=actor, obj=account,
           after={**_snapshot(account), "preconditions": cleaned, "existing": existing, "opened_on": opened_on})
    if opened_on is not None and not existing:
        record_event(account, kind=EventKind.OPEN, effective_date=opened_on, actor=actor)
        account.refresh_from_db()  # record_event opened its own copy; the caller must see the opening
    return account


@transaction.atomic
def record_event(
    account: Account,
    *,
    kind: str,
    effective_date: date,
    actor: Person,
    note: str = "",
    changes: dict | None = None,
    notice: str = "",
    public_notice: str = "",
) -> LifecycleEvent:
    """Record 开设/变更/关停/注销 and the filing it requires, due 3 working days later (第三条).

    ``changes`` (for a change) may set name, platform_uid, url, subject, purpose and unit (a Unit);
    a new owning unit needs ``public_notice`` (第三条: 向社会公告). A closure needs its 停更公告 as ``notice``;
    a cancellation needs the account closed first, unless it never opened.
    """
    account = Account.objects.select_for_update().select_related("unit", "platform").get(pk=account.pk)
    _require_editor(actor, account.unit)
    kind = EventKind(kind)
    before = _snapshot(account)
    details: dict = {}
    if account.cancelled_on:
        raise RegistryError(f"该账号已于{account.cancelled_on:%Y-%m-%d}注销，不能再登记变动", "kind")
    if kind == EventKind.OPEN:
        if account.opened_on:
            raise RegistryError(f"该账号已于{account.opened_on:%Y-%m-%d}开设", "kind")
        account.opened_on = effective_date
    else:
        if kind != EventKind.CANCEL and not account.opened_on:
            raise RegistryError("该账号尚未开设，请先登记开设", "kind")
        if account.opened_on and effective_date < account.opened_on:
            raise RegistryError(f"生效日期不能早于开设日期{account.opened_on:%Y-%m-%d}", "effective_date")
    if kind == EventKind.CHANGE:
        details = _apply_changes(account, changes or {}, public_notice, actor)
    elif kind == EventKind.CLOSE:
        if account.closed_on:
            raise RegistryError(f"该账号已于{account.closed_on:%Y-%m-%d}关停", "kind")
        if not notice.strip():
            raise RegistryError("关停前须发布停更公告：请填写停更公告的链接或内容", "notice")
        account.closed_on = effective_date
        details = {"notice": notice.strip()[:500]}
    elif kind == EventKind.CANCEL:
        if account.opened_on and not account.closed_on:
            raise RegistryError("注销前须先关停并发布停更公告（停更公告 → 平台注销 → 备案）", "kind")
        if account.closed_on and effective_date < account.closed_on:
            raise RegistryError(f"注销日期不能早于关停日期{account.closed_on:%Y-%m-%d}", "effective_date")
        account.cancelled_on = effective_date
    account.save()
    event = LifecycleEvent.objects.create(
        account=account, kind=kind, effective_date=effective_date, details=details, note=note.strip()[:500],
        recorded_by=actor_label(actor)[1],
    )
    due = add_workdays(effective_date, policy.FILING_WORKDAYS)
    Filing.objects.create(event=event, due_date=due.date, due_provisional=due.provisional)
    record(
        _EVENT_AUDIT[kind], actor=actor, obj=account, before=before,
        after={**_snapshot(account), "effective_date": effective_date, "details": details,
               "filing_due": due.date, "provisional": due.provisional},
    )
    return event


def _apply_changes(account: Account, changes: dict, public_notice: str, actor: Person) -> dict:
    applied: dict = {}
    new_unit = changes.get("unit")
    if new_unit is not None and new_unit.pk != account.unit_id:
        if not public_notice.strip():
            raise RegistryError("主办单位发生变化的，应向社会公告（第三条）：请填写公告的链接或内容", "public_notice")
        _require_editor(actor, new_unit)
        check_one_per_platform(new_unit, account.platform, exclude=account)
        applied["unit"] = [account.unit.name, new_unit.name]
        account.unit = new_unit
        if "subject" not in changes:
            changes = {**changes, "subject": new_unit.name}
    for field in EDITABLE_FIELDS:
        if field in changes and changes[field] is not None:
            value = str(changes[field]).strip()
            if value != getattr(account, field):
                applied[field] = [getattr(account, field), value]
                setattr(account, field, value)
    if "name" in applied and not account.name:
        raise RegistryError("请填写账号名称", "name")
    if "subject" in applied or "unit" in applied:
        check_subject(account.unit, account.subject)
    if "purpose" in applied:
        check_purpose(account.purpose)
    if public_notice.strip():
        applied["public_notice"] = public_notice.strip()[:500]
    return applied


@transaction.atomic
def complete_filing(filing: Filing, *, filed_on: date, reference: str, actor: Person) -> Filing:
    """Record that the event was filed in the provincial system (省政务新媒体备案检查系统)."""
    filing = Filing.objects.select_for_update().select_related("event__account__unit").get(pk=filing.pk)
    _require_editor(actor, filing.event.account.unit)
    if filing.filed_on:
        raise RegistryError(f"该事项已于{filing.filed_on:%Y-%m-%d}备案（备案编号{filing.reference}）")
    reference = reference.strip()
    if not reference:
        raise RegistryError("请填写省备案系统中的备案编号", "reference")
    if filed_on > today():
        raise RegistryError("备案日期不能晚于今天", "filed_on")
    filing.filed_on, filing.reference, filing.filed_by = filed_on, reference[:100], actor_label(actor)[1]
    filing.save(update_fields=["filed_on", "reference", "filed_by"])
    record(EventType.FILING_COMPLETED, actor=actor, obj=filing.event.account,
           after={"event": str(filing.event), "filed_on": filed_on, "reference": reference,
                  "due_date": filing.due_date, "late": filed_on > filing.due_date})
    return filing


def recompute_filing_deadlines(*, actor) -> int:
    """After the calendar changed: move open filings' deadlines. Returns how many moved."""
    moved = []
    for filing in Filing.objects.open().select_related("event"):
        due = add_workdays(filing.event.effective_date, policy.FILING_WORKDAYS)
        if (due.date, due.provisional) != (filing.due_date, filing.due_provisional):
            filing.due_date, filing.due_provisional = due.date, due.provisional
            moved.append(filing)
    Filing.objects.bulk_update(moved, ["due_date", "due_provisional"])
    return len(moved)


@transaction.atomic
def add_platform(*, name: str, approved: bool = True, sort_order: int = 0, actor: Person) -> Platform:
    _require_office(actor)
    name = name.strip()
    if not name:
        raise RegistryError("请填写平台名称", "name")
    if Platform.objects.filter(name=name).exists():
        raise RegistryError(f"平台「{name}」已在名单中", "name")
    platform = Platform.objects.create(name=name, approved=approved, sort_order=sort_order)
    record(EventType.PLATFORM_ADDED, actor=actor, obj=platform, after={"name": name, "approved": approved})
    return platform


@transaction.atomic
def set_platform_approved(platform: Platform, approved: bool, *, actor: Person) -> Platform:
    _require_office(actor)
    if platform.approved == approved:
        return platform
    before = {"approved": platform.approved}
    platform.approved = approved
    platform.save(update_fields=["approved"])
    record(EventType.PLATFORM_CHANGED, actor=actor, obj=platform, before=before, after={"approved": approved})
    return platform
