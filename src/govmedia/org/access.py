"""Who may see and change what: the one place every page, API endpoint and test asks.

A person sees and changes their own unit's data; the office (局办公室管理员) sees and changes all units;
the auditor sees everything and changes nothing; an outsourced operator never changes the registry.
"""

from __future__ import annotations

from django.db.models import QuerySet

from govmedia.org.models import Person, Role, Unit

REGISTRY_EDITORS = (Role.CLERK, Role.SECTION_CHIEF, Role.DIRECTOR)


def sees_all_units(user: Person) -> bool:
    return user.is_authenticated and user.has_role(Role.OFFICE, Role.AUDITOR)


def is_office(user: Person) -> bool:
    return user.is_authenticated and user.has_role(Role.OFFICE)


def visible_units(user: Person) -> QuerySet[Unit]:
    if sees_all_units(user):
        return Unit.objects.all()
    if user.is_authenticated and user.unit_id:
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.none()


def can_view_unit(user: Person, unit_id: int) -> bool:
    return sees_all_units(user) or (user.is_authenticated and user.unit_id == unit_id)


def editable_units(user: Person) -> QuerySet[Unit]:
    if not user.is_authenticated or user.has_role(Role.AUDITOR):
        return Unit.objects.none()
    if is_office(user):
        return Unit.objects.all()
    if user.unit_id and user.has_role(*REGISTRY_EDITORS):
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.none()


def can_edit_registry(user: Person, unit_id: int) -> bool:
    """Register, open, change, close, cancel accounts and complete filings for this unit."""
    if not user.is_authenticated or user.has_role(Role.AUDITOR):
        return False
    if user.has_role(Role.OFFICE):
        return True
    return user.unit_id == unit_id and user.has_role(*REGISTRY_EDITORS)


def can_edit_any_registry(user: Person) -> bool:
    return editable_units(user).exists()


def can_manage_reference_data(user: Person) -> bool:
    """The approved platform list and the working-day calendar belong to the lead office."""
    return is_office(user) and not user.has_role(Role.AUDITOR)


def can_view_audit_log(user: Person) -> bool:
    return user.is_authenticated and user.has_role(Role.AUDITOR)
