"""Who may see and record vendors, and what a vendor's staff may operate (第二条), built on org.access.

The office records; the auditor reads; nobody else opens these pages. A vendor's staff member drafts for and
operates only the accounts assigned to them, and never decides in review (publishing.workflow.may_decide).
"""

from __future__ import annotations

from django.db.models import QuerySet

from govmedia.org import access
from govmedia.org.models import Person, Role
from govmedia.registry.models import Account
from govmedia.vendors.models import StaffLink


def can_view_vendors(user: Person) -> bool:
    return access.sees_all_units(user)


def can_manage_vendors(user: Person) -> bool:
    return access.can_manage_reference_data(user)


def is_vendor_staff(person: Person) -> bool:
    """Anyone with the 外包人员 role, or recorded as a vendor's staff member."""
    if not person.is_authenticated:
        return False
    return person.has_role(Role.VENDOR) or StaffLink.objects.filter(person=person).exists()


def accounts_operable_by(person: Person) -> QuerySet[Account] | None:
    """The accounts a vendor's staff member may draft for and operate; None for everyone else (unit rules apply)."""
    if not is_vendor_staff(person):
        return None
    return Account.objects.filter(vendor_assignments__person=person,
                                  vendor_assignments__ended_at__isnull=True).distinct()


def draft_refusal(person: Person, accounts) -> str | None:
    """Why this person may not write a draft for these accounts, in Chinese; None when they may."""
    operable = accounts_operable_by(person)
    if operable is None:
        return None
    allowed = set(operable.values_list("pk", flat=True))
    outside = [a for a in accounts if a.pk not in allowed]
    if not outside:
        return None
    if not allowed:
        return f"外包人员{person}尚未分配任何账号，不能撰写稿件；请联系局办公室分配账号（第二条）"
    names = "、".join(str(a) for a in outside)
    return f"外包人员只能为分配给本人的账号撰写稿件：{names}未分配给{person}（第二条）"
