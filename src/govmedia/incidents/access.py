"""Who sees and records incidents, retractions, emergency plans and drills (第十条), on top of org.access.

Everyone on the staff reads their own unit's records (the office and the auditor read all units); the office
records for every unit and a unit's registry editors (信息员, 科室负责人, 主要负责人) for their own; the auditor
changes nothing; an outsourced operator (外包人员) sees none of it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from govmedia.org import access
from govmedia.org.models import Person, Role, Unit


def can_view_incidents(user: Person) -> bool:
    return user.is_authenticated and not user.has_role(Role.VENDOR)


def viewable_units(user: Person) -> QuerySet[Unit]:
    return access.visible_units(user) if can_view_incidents(user) else Unit.objects.none()


def can_view(user: Person, unit_id: int) -> bool:
    return can_view_incidents(user) and access.can_view_unit(user, unit_id)


def recordable_units(user: Person) -> QuerySet[Unit]:
    return access.editable_units(user) if can_view_incidents(user) else Unit.objects.none()


def can_record(user: Person, unit_id: int) -> bool:
    return can_view_incidents(user) and access.can_edit_registry(user, unit_id)


def can_record_any(user: Person) -> bool:
    return recordable_units(user).exists()
