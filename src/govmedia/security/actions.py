"""Everything that changes 账号安全与人员: checks the regulation's rules, writes, audits in one transaction.

Each function takes the acting person as ``actor``, refuses with a ``SecurityError`` (its message the Chinese
reason, ``field`` the form field at fault, ``status`` the HTTP answer) or PermissionDenied, and changes
nothing when it refuses. A new password is an argument of ``record_rotation`` only: it is checked, hashed
with the server key and dropped — never stored, logged, audited or put into a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from govmedia import policy
from govmedia.audit.actions import actor_label, record
from govmedia.audit.events import EventType
from govmedia.org.actions import clearance_refusal
from govmedia.org.models import ApiToken, Person, Role, RoleGrant
from govmedia.registry.actions import RegistryError
from govmedia.registry.models import Account, today
from govmedia.security import access, credentials
from govmedia.security.models import (
    REFUSED_DEVICE_KINDS,
    CredentialRotation,
    Custody,
    Device,
    DeviceKind,
    HandoverKind,
    HandoverTask,
)
from govmedia.security.summary import start_of
from govmedia.workcal.calendar import add_workdays


class SecurityError(RegistryError):
    """A refusal shown to the user as it is. A RegistryError, so the API answers it as {"detail", "field"}."""

    def __init__(self, message: str, field: str | None = None, status: int = 422):
        super().__init__(message, field)
        self.status = status


def _name(person: Person) -> str:
    return person.full_name or person.username


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- custody and devices ---------------------------------------------------------------------------------

def custodian_refusal(account: Account, person: Person) -> str | None:
    """Why ``person`` cannot keep ``account``'s login: staff of its unit, on post, cleared and trained, no vendor."""
    if person.unit_id != account.unit_id:
        return f"「{_name(person)}」不属于主办单位「{account.unit.name}」，不能担任该账号的保管人"
    if person.has_role(Role.VENDOR):
        return (f"「{_name(person)}」是外包人员，账号不得全权交由非在编在岗人员管理，"
                "保管人须为本单位在编在岗人员（第二条、第十二条(二)）")
    if not person.is_active and not person.departed_on:
        return f"「{_name(person)}」的账户已停用，不能担任账号保管人"
    return clearance_refusal(person, "账号保管人")


@transaction.atomic
def set_custodian(account: Account, person: Person, *, actor: Person) -> Custody:
    """Name the account's custodian; naming the current one again changes nothing and writes nothing."""
    account = Account.objects.select_for_update().select_related("unit", "platform").get(pk=account.pk)
    _require(access.can_manage_custody(actor, account), f"您无权指定「{account}」的保管人")
    if account.cancelled_on:
        raise SecurityError(f"该账号已于{account.cancelled_on:%Y-%m-%d}注销", "custodian")
    current = Custody.objects.select_related("person").filter(account=account).first()
    if current is not None and current.person_id == person.pk:
        return current
    if reason := custodian_refusal(account, person):
        raise SecurityError(reason, "custodian")
    before = {"custodian": current.person.username if current else None}
    custody, _ = Custody.objects.update_or_create(
        account=account, defaults={"person": person, "since": timezone.now(), "set_by": actor_label(actor)[1]},
    )
    record(EventType.CUSTODIAN_SET, actor=actor, obj=account, before=before,
           after={"custodian": person.username, "name": _name(person)})
    return custody


@transaction.atomic
def add_device(account: Account, *, owner: Person, kind: str, asset_number: str, description: str = "",
               actor: Person) -> Device:
    """Register a device allowed to sign in to the account; public and unsafe devices are refused (第十二条(一))."""
    account = Account.objects.select_for_update().select_related("unit", "platform").get(pk=account.pk)
    _require(access.can_manage_custody(actor, account), f"您无权登记「{account}」的登录设备")
    if kind not in DeviceKind.values:
        raise SecurityError("请选择设备类型", "kind")
    kind = DeviceKind(kind)
    if kind in REFUSED_DEVICE_KINDS:
        raise SecurityError(REFUSED_DEVICE_KINDS[kind], "kind")
    if owner.unit_id != account.unit_id:
        raise SecurityError(f"「{_name(owner)}」不属于主办单位「{account.unit.name}」，不能作为该账号登录设备的使用人",
                            "owner")
    if reason := clearance_refusal(owner, "登录设备使用人"):
        raise SecurityError(reason, "owner")
    asset_number = asset_number.strip()
    if not asset_number:
        raise SecurityError("请填写设备的资产编号", "asset_number")
    if Device.objects.active().filter(account=account, asset_number=asset_number).exists():
        raise SecurityError(f"资产编号「{asset_number}」的设备已登记在该账号下", "asset_number")
    device = Device.objects.create(
        account=account, owner=owner, kind=kind, asset_number=asset_number[:50],
        description=description.strip()[:100], added_at=timezone.now(), added_by=actor_label(actor)[1],
    )
    record(EventType.DEVICE_ADDED, actor=actor, obj=account,
           after={"device": device.pk, "kind": kind.label, "asset_number": device.asset_number,
                  "owner": owner.username, "description": device.description})
    return device


@transaction.atomic
def remove_device(device: Device, *, reason: str, actor: Person) -> Device:
    """Stop a device from signing in (停用); the row stays as history. Removing it twice changes nothing."""
    device = Device.objects.select_for_update().select_related("account__unit", "owner").get(pk=device.pk)
    _require(access.can_manage_custody(actor, device.account), f"您无权停用「{device.account}」的登录设备")
    if device.removed_at:
        return device
    reason = reason.strip()
    if not reason:
        raise SecurityError("请填写停用原因（如：设备已收回、报废、人员离岗）", "reason")
    device.removed_at, device.removed_by, device.removed_reason = timezone.now(), actor_label(actor)[1], reason[:300]
    device.save(update_fields=["removed_at", "removed_by", "removed_reason"])
    record(EventType.DEVICE_REMOVED, actor=actor, obj=device.account,
           after={"device": device.pk, "asset_number": device.asset_number, "owner": device.owner.username,
                  "reason": device.removed_reason})
    return device


# --- password rotations ----------------------------------------------------------------------------------

def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@transaction.atomic
def record_rotation(account: Account, *, changed_at: datetime, new_password: str, actor: Person) -> CredentialRotation:
    """Record that the account's platform password was changed to ``new_password`` at ``changed_at``.

    The password must meet the policy (CREDENTIAL_MIN_LENGTH, CREDENTIAL_MIN_CLASSES of digits, letters and
    symbols) and differ from the account's last CREDENTIAL_HISTORY passwords; only its keyed hash is kept.
    """
    account = Account.objects.select_for_update().select_related("unit", "platform").get(pk=account.pk)
    _require(access.can_record_rotation(actor, account), f"只有「{account}」的保管人或局办公室可以登记密码修改")
    if account.cancelled_on:
        raise SecurityError(f"该账号已于{account.cancelled_on:%Y-%m-%d}注销，无需再修改密码", "changed_at")
    changed_at = _aware(changed_at)
    if changed_at > timezone.now():
        raise SecurityError("修改时间不能晚于当前时间", "changed_at")
    history = list(CredentialRotation.objects.filter(account=account)
                   .order_by("-changed_at", "-id")[:policy.CREDENTIAL_HISTORY])
    # Minutes, as people type them: a change entered for the same minute as the last one is accepted.
    if history and changed_at < history[0].changed_at.replace(second=0, microsecond=0):
        raise SecurityError(
            f"修改时间不能早于上次登记的修改时间{timezone.localtime(history[0].changed_at):%Y-%m-%d %H:%M}",
            "changed_at")
    if reason := credentials.weakness(new_password):
        raise SecurityError(reason, "new_password")
    if any(credentials.matches(row.digest, account.pk, new_password) for row in history):
        raise SecurityError(f"新密码与该账号最近{policy.CREDENTIAL_HISTORY}次使用过的密码重复，请另设新密码（第十二条(一)）",
                            "new_password")
    rotation = CredentialRotation.objects.create(
        account=account, changed_at=changed_at, digest=credentials.digest(account.pk, new_password),
        key_id=credentials.key_id(), recorded_by=actor_label(actor)[1],
    )
    record(EventType.CREDENTIAL_ROTATED, actor=actor, obj=account, after={"changed_at": changed_at})
    return rotation


# --- people: clearance and departure ---------------------------------------------------------------------

@transaction.atomic
def record_clearance(person: Person, *, clearance_on: date | None, trained_on: date | None, actor: Person) -> Person:
    """Record (or correct) the dates of 保密审查 and 岗前培训 (第十二条(二)); unchanged dates write nothing."""
    _require(access.can_manage_people(actor), "只有局办公室管理员可以登记保密审查和岗前培训")
    person = Person.objects.select_for_update().get(pk=person.pk)
    on = today()
    for value, label, key in ((clearance_on, "保密审查日期", "clearance_on"), (trained_on, "岗前培训日期", "trained_on")):
        if value and value > on:
            raise SecurityError(f"{label}不能晚于今天", key)
    before = {"clearance_on": person.clearance_on, "trained_on": person.trained_on}
    after = {"clearance_on": clearance_on, "trained_on": trained_on}
    if before == after:
        return person
    person.clearance_on, person.trained_on = clearance_on, trained_on
    person.save(update_fields=["clearance_on", "trained_on"])
    record(EventType.CLEARANCE_RECORDED, actor=actor, obj=person, before=before, after=after)
    return person


@dataclass
class Departure:
    """What a departure did at once: sessions ended, tokens revoked, roles removed, tasks opened."""

    person: Person
    sessions_ended: int = 0
    tokens_revoked: int = 0
    roles_removed: list[str] = field(default_factory=list)
    tasks: list[HandoverTask] = field(default_factory=list)


def end_sessions(person: Person) -> int:
    """Delete the person's rows from the session table (SESSION_ENGINE is the database); returns how many."""
    mine = [s.pk for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
            if s.get_decoded().get("_auth_user_id") == str(person.pk)]
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)


def held_accounts(person: Person) -> list[tuple[Account, bool]]:
    """The not-cancelled accounts the person keeps (custodian) or manages, with whether they keep it."""
    kept = set(Custody.objects.filter(person=person).values_list("account_id", flat=True))
    accounts = (Account.objects.filter(cancelled_on__isnull=True)
                .filter(pk__in=set(person.managed_accounts.values_list("pk", flat=True)) | kept)
                .select_related("unit", "platform").order_by("id"))
    return [(account, account.pk in kept) for account in accounts]


@transaction.atomic
def record_departure(person: Person, *, on: date, actor: Person) -> Departure:
    """A departure or change of post (第十二条(一)): at once end the person's sessions, revoke their API tokens,
    remove their roles and stop their sign-in, and open the handover tasks of every account they held."""
    _require(access.can_manage_people(actor), "只有局办公室管理员可以登记人员离岗或调岗")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.pk == actor.pk:
        raise SecurityError("不能登记本人离岗，请由其他局办公室管理员办理", "username", status=409)
    if person.departed_on:
        raise SecurityError(f"「{_name(person)}」已于{person.departed_on:%Y-%m-%d}登记离岗", "date", status=409)
    if on > today():
        raise SecurityError("离岗日期不能晚于今天：离岗登记即时终止其登录和权限，请在离岗当日或之后登记", "date")
    result = Departure(person=person)
    before = {"departed_on": None, "is_active": person.is_active, "roles": sorted(person.roles)}

    for grant in RoleGrant.objects.filter(person=person).order_by("id"):
        label = Role(grant.role).label
        grant.delete()
        record(EventType.ROLE_REVOKED, actor=actor, obj=person, after={"role": label, "reason": "离岗或调岗"})
        result.roles_removed.append(label)
    person.__dict__.pop("roles", None)

    now = timezone.now()
    tokens = list(ApiToken.objects.filter(person=person, revoked_at__isnull=True).values_list("prefix", flat=True))
    if tokens:
        ApiToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=now)
        record(EventType.TOKEN_REVOKED, actor=actor, obj=person,
               after={"tokens": [prefix + "…" for prefix in tokens], "reason": "离岗或调岗"})
    result.tokens_revoked = len(tokens)

    result.sessions_ended = end_sessions(person)
    record(EventType.SESSIONS_ENDED, actor=actor, obj=person, after={"count": result.sessions_ended, "reason": "离岗或调岗"})

    person.departed_on, person.is_active = on, False
    person.save(update_fields=["departed_on", "is_active"])

    since = start_of(on)
    for account, keeps in held_accounts(person):
        kinds = [HandoverKind.CHANGE_PASSWORD, HandoverKind.REVOKE_ACCESS, HandoverKind.RECOVER_DEVICES]
        if keeps:
            kinds.append(HandoverKind.NEW_CUSTODIAN)
        for kind in kinds:
            due = add_workdays(on, policy.HANDOVER_WORKDAYS[kind.value])
            result.tasks.append(HandoverTask.objects.create(
                person=person, account=account, kind=kind, departed_on=on, since=since, opened_at=now,
                due_date=due.date, due_provisional=due.provisional,
            ))
    record(EventType.PERSON_DEPARTED, actor=actor, obj=person, before=before, after={
        "departed_on": on, "is_active": False, "sessions_ended": result.sessions_ended,
        "tokens_revoked": result.tokens_revoked, "roles_removed": result.roles_removed,
        "tasks": [f"{t.account} {t.get_kind_display()}（{t.due_date:%Y-%m-%d}前）" for t in result.tasks],
    })
    if result.tasks:
        from govmedia.security import reminders

        transaction.on_commit(lambda: reminders.handover_opened(result))
    return result


# --- handover tasks --------------------------------------------------------------------------------------

@transaction.atomic
def close_handover_task(task: HandoverTask, *, evidence: str = "", custodian: Person | None = None,
                        actor: Person) -> HandoverTask:
    """Close a handover task with its evidence; 指定新保管人 by naming one (who becomes the custodian).

    修改密码 is not closed by hand: recording the new password (record_rotation) settles it. Closing
    收回登录设备 also stops the departed person's devices still registered on the account.
    """
    task = (HandoverTask.objects.with_progress().select_related("account__unit", "account__platform", "person")
            .select_for_update(of=("self",)).get(pk=task.pk))
    _require(access.can_manage_custody(actor, task.account), f"您无权办理「{task.account}」的交接任务")
    if task.is_done:
        raise SecurityError(f"该任务已完成：{task.settled_by()}", status=409)
    evidence = evidence.strip()
    if task.kind == HandoverKind.CHANGE_PASSWORD:
        raise SecurityError("请登记修改后的新密码：登记后此任务自动完成（第十二条(一)：管理人员变动后应及时变更密码）",
                            "evidence")
    if task.kind == HandoverKind.NEW_CUSTODIAN:
        if custodian is None:
            raise SecurityError("请指定新的保管人", "custodian")
        if custodian.pk == task.person_id:
            raise SecurityError(f"「{_name(custodian)}」已离岗，请指定其他人员", "custodian")
        set_custodian(task.account, custodian, actor=actor)
        evidence = f"指定「{_name(custodian)}」为保管人" + (f"；{evidence}" if evidence else "")
    elif not evidence:
        hint = {HandoverKind.REVOKE_ACCESS: "如：已在平台后台移除其管理员/运营者权限",
                HandoverKind.RECOVER_DEVICES: "如：已收回资产编号××的办公电脑并清除登录信息"}[HandoverKind(task.kind)]
        raise SecurityError(f"请填写完成情况及佐证材料（{hint}）", "evidence")
    if task.kind == HandoverKind.RECOVER_DEVICES:
        for device in Device.objects.active().filter(account=task.account, owner=task.person):
            remove_device(device, reason=f"人员离岗收回：{evidence}", actor=actor)
    task.closed_at, task.closed_by, task.evidence = timezone.now(), actor_label(actor)[1], evidence[:2000]
    task.save(update_fields=["closed_at", "closed_by", "evidence"])
    record(EventType.HANDOVER_TASK_CLOSED, actor=actor, obj=task.account,
           after={"task": task.pk, "kind": task.get_kind_display(), "person": task.person.username,
                  "evidence": task.evidence, "due_date": task.due_date, "late": today() > task.due_date})
    return task
