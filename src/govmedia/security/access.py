"""Who may see and do what in 账号安全与人员, built on org.access (the one permission module).

- Everyone who sees an account's unit sees its custodian, devices and password dates (never a password).
- The office, and the registry editors of the account's unit (信息员, 科室负责人, 主要负责人), name the
  custodian, register and remove devices, and close handover tasks.
- A password change is recorded by the account's custodian or by the office.
- The people register (保密审查, 岗前培训, departures) is the office's; the auditor reads it.
The auditor changes nothing; a vendor never changes custody; a departed person holds no role and no session.
"""

from __future__ import annotations

from govmedia.org import access
from govmedia.org.models import Person, Role


def _on_post(user: Person) -> bool:
    return user.is_authenticated and not user.departed_on and not user.has_role(Role.AUDITOR)


def can_view_account(user: Person, account) -> bool:
    return access.can_view_unit(user, account.unit_id)


def can_manage_custody(user: Person, account) -> bool:
    """Name the custodian, register or remove devices, close handover tasks."""
    return _on_post(user) and access.can_edit_registry(user, account.unit_id)


def custodian_id(account) -> int | None:
    from govmedia.security.models import Custody

    try:
        return account.custody.person_id
    except Custody.DoesNotExist:
        return None


def can_record_rotation(user: Person, account) -> bool:
    """第十二条(一): the custodian records the change of the password they keep; the office may too."""
    if not _on_post(user) or not can_view_account(user, account):
        return False
    return access.is_office(user) or custodian_id(account) == user.pk


def can_view_people(user: Person) -> bool:
    return access.sees_all_units(user)


def can_manage_people(user: Person) -> bool:
    """Record 保密审查 and 岗前培训 dates and departures: the lead office (第二条: 保密审查 is its duty)."""
    return _on_post(user) and access.can_manage_reference_data(user)
