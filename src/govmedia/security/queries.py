"""Named questions about account security and people, always asked on behalf of someone (their visible units).

A bureau has tens of accounts, not thousands: the security list derives each visible account's password
state and violations in Python, in a fixed number of queries, then filters, sorts and pages the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from govmedia.org import access as org_access
from govmedia.org.models import Person, Role
from govmedia.registry import queries as registry_queries
from govmedia.registry.models import Status, today
from govmedia.security.models import CredentialRotation, Custody, Device, HandoverTask
from govmedia.security.summary import LABELS, PasswordState, password_state

PASSWORD_STATUSES = list(LABELS.items())
SORTS = {
    "unit": lambda r: (r.account.unit.sort_order, r.account.platform.sort_order, r.account.pk),
    "name": lambda r: (r.account.name, r.account.pk),
    "custodian": lambda r: (r.custodian is None, str(r.custodian or ""), r.account.pk),
    "status": lambda r: ({"overdue": 0, "due": 1, "ok": 2}.get(r.state.status or "", 3), r.account.pk),
    "due": lambda r: (r.state.due_at is None, r.state.due_at or datetime.max.replace(tzinfo=UTC),
                      r.account.pk),
    "violations": lambda r: (-len(r.violations), r.account.pk),
}


@dataclass
class SecurityRow:
    """One account on the 账号安全 page: its custodian, active devices, password state and violations."""

    account: object
    custodian: Person | None
    devices: list = field(default_factory=list)
    state: PasswordState | None = None
    violations: list[str] = field(default_factory=list)


def custody_violations(account, custodian: Person | None, on=None) -> list[str]:
    """第二条/第十二条: an account that exists on its platform needs a custodian on post, cleared, not a vendor."""
    if account.status(on) not in (Status.RUNNING, Status.CLOSED):
        return []
    if custodian is None:
        return ["未指定保管人"]
    name = custodian.full_name or custodian.username
    problems = []
    if custodian.departed_on:
        problems.append(f"保管人「{name}」已于{custodian.departed_on:%Y-%m-%d}离岗")
    elif not custodian.clearance_on or not custodian.trained_on:
        missing = "和".join(label for value, label in ((custodian.clearance_on, "保密审查"),
                                                        (custodian.trained_on, "岗前培训")) if not value)
        problems.append(f"保管人「{name}」未登记{missing}")
    if Role.VENDOR in {g.role for g in custodian.role_grants.all()}:
        problems.append(f"保管人「{name}」是外包人员，账号不得全权交由非在编在岗人员管理")
    return problems


def accounts_with_security(user, devices: bool = True):
    return with_security(registry_queries.accounts_for(user), devices)


def with_security(qs, devices: bool = True):
    """Accounts with what the security rows read: last change, custodian (with roles), and active devices
    unless ``devices`` is False (counts and reminders do not show them)."""
    last = CredentialRotation.objects.filter(account=OuterRef("pk")).order_by("-changed_at").values("changed_at")[:1]
    custodians = Person.objects.prefetch_related("role_grants")
    qs = qs.annotate(last_rotation=Subquery(last)).prefetch_related(
        Prefetch("custody", queryset=Custody.objects.prefetch_related(Prefetch("person", queryset=custodians))))
    if devices:
        qs = qs.prefetch_related(Prefetch("devices", queryset=Device.objects.active().select_related("owner"),
                                          to_attr="active_devices"))
    return qs


def security_rows(user, accounts=None) -> list[SecurityRow]:
    """Every account ``user`` sees (or the given queryset of them), with custody, devices and password state."""
    now = timezone.now()
    on = timezone.localdate(now)
    rows = []
    for account in (accounts if accounts is not None else accounts_with_security(user)):
        custodian = account.custody.person if _has_custody(account) else None
        rows.append(SecurityRow(
            account=account, custodian=custodian, devices=getattr(account, "active_devices", []),
            state=password_state(account, account.last_rotation, now),
            violations=custody_violations(account, custodian, on),
        ))
    return rows


def _has_custody(account) -> bool:
    try:
        account.custody  # noqa: B018 — the reverse one-to-one raises when there is none
    except Custody.DoesNotExist:
        return False
    return True


def filter_rows(user, params) -> tuple[list[SecurityRow], dict]:
    """The 账号安全 page's filters (unit, password status, violations only, free text) and sort."""
    qs = accounts_with_security(user).exclude(cancelled_on__lte=today())
    active: dict = {}
    if (unit := params.get("unit", "")).isdigit():
        qs, active["unit"] = qs.filter(unit_id=int(unit)), int(unit)
    if q := params.get("q", "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(platform__name__icontains=q) | Q(custody__person__full_name__icontains=q)
                       | Q(custody__person__username__icontains=q))
        active["q"] = q
    rows = security_rows(user, qs)
    if (status := params.get("status", "")) in LABELS:
        rows, active["status"] = [r for r in rows if r.state.status == status], status
    if params.get("violation") == "1":
        rows, active["violation"] = [r for r in rows if r.violations], True
    sort = params.get("sort", "unit")
    key = SORTS.get(sort.lstrip("-"), SORTS["unit"])
    rows.sort(key=key, reverse=sort.startswith("-"))
    active["sort"] = sort if sort.lstrip("-") in SORTS else "unit"
    return rows, active


def summary_counts(user) -> dict:
    rows = security_rows(user, accounts_with_security(user, devices=False).exclude(cancelled_on__lte=today()))
    return {
        "violations": sum(1 for r in rows if r.violations),
        "overdue": sum(1 for r in rows if r.state.status == "overdue"),
        "due": sum(1 for r in rows if r.state.status == "due"),
    }


def handover_tasks_for(user):
    return (HandoverTask.objects.with_progress()
            .filter(account__unit__in=org_access.visible_units(user))
            .select_related("account__unit", "account__platform", "person"))


def people_for(user, params) -> tuple:
    """People of the units ``user`` sees, with their clearance; filters: unit, state, free text."""
    people = Person.objects.all() if org_access.sees_all_units(user) else Person.objects.filter(
        unit__in=org_access.visible_units(user))  # the office also sees people attached to no unit
    qs = (people.select_related("unit", "section").prefetch_related("role_grants").order_by("unit__sort_order", "id"))
    active: dict = {}
    if (unit := params.get("unit", "")).isdigit():
        qs, active["unit"] = qs.filter(unit_id=int(unit)), int(unit)
    state = params.get("state", "")
    if state == "missing":
        qs = qs.filter(departed_on__isnull=True).filter(Q(clearance_on__isnull=True) | Q(trained_on__isnull=True))
    elif state == "cleared":
        qs = qs.filter(departed_on__isnull=True, clearance_on__isnull=False, trained_on__isnull=False)
    elif state == "departed":
        qs = qs.filter(departed_on__isnull=False)
    if state in PEOPLE_STATES:
        active["state"] = state
    if q := params.get("q", "").strip():
        qs, active["q"] = qs.filter(Q(full_name__icontains=q) | Q(username__icontains=q)), q
    return qs, active


PEOPLE_STATES = {"missing": "缺保密审查或岗前培训", "cleared": "已审查并培训", "departed": "已离岗"}
