"""Who may see and record what was published, built on the one permission module (govmedia.org.access).

Seeing follows the registry: a person sees the posts, interactions and content sources of the accounts of the
units they see (the office and the auditor: all). Recording posts and replies is for the unit's registry
editors (信息员, 科室负责人, 主要负责人), the office, and the unit's outsourced operators (外包人员), who run
accounts day to day (第二条) but never configure where posts are fetched from. The auditor changes nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet

from govmedia.org import access
from govmedia.org.models import Person, Role, Unit
from govmedia.registry.models import Account


def visible_accounts(user: Person) -> QuerySet[Account]:
    return Account.objects.filter(unit__in=access.visible_units(user)).select_related("unit", "platform")


def can_record(user: Person, unit_id: int) -> bool:
    """Report posts of the unit's accounts, import its posts and interactions, record replies."""
    if not user.is_authenticated or user.has_role(Role.AUDITOR):
        return False
    if access.can_edit_registry(user, unit_id):
        return True
    return user.unit_id == unit_id and user.has_role(Role.VENDOR)


def recordable_units(user: Person) -> QuerySet[Unit]:
    if not user.is_authenticated or user.has_role(Role.AUDITOR):
        return Unit.objects.none()
    if access.is_office(user):
        return Unit.objects.all()
    if user.unit_id and can_record(user, user.unit_id):
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.none()


def can_record_any(user: Person) -> bool:
    return recordable_units(user).exists()


def can_manage_feeds(user: Person, unit_id: int) -> bool:
    """Configure an account's content sources and fetch now: the office or the unit's registry editors."""
    return access.can_edit_registry(user, unit_id)
