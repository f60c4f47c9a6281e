"""Who may see the monitoring dashboard and the reports, built on ``govmedia.org.access``.

Everyone signed in sees the update state of the accounts of the units they can see (the office and the auditor
all units, anyone else their own unit): the people who run an account must see that it is overdue. Reports and
the compliance summary are management documents: outsourced operators (外包人员) do not export them.
"""

from __future__ import annotations

from django.db.models import QuerySet

from govmedia.org import access
from govmedia.org.models import Person, Role, Unit
from govmedia.registry.models import Account

REPORT_ROLES = (Role.OFFICE, Role.AUDITOR, Role.CLERK, Role.SECTION_CHIEF, Role.SIGNER, Role.DIRECTOR)


def can_view_dashboard(user: Person) -> bool:
    return user.is_authenticated


def can_view_reports(user: Person) -> bool:
    return user.is_authenticated and user.has_role(*REPORT_ROLES)


def visible_units(user: Person) -> QuerySet[Unit]:
    return access.visible_units(user)


def visible_accounts(user: Person) -> QuerySet[Account]:
    return Account.objects.filter(unit__in=access.visible_units(user))


def report_units(user: Person) -> QuerySet[Unit]:
    """Units a person may choose as a report's scope; "all units" only for those who see all."""
    return access.visible_units(user) if can_view_reports(user) else Unit.objects.none()


def can_report_on_all_units(user: Person) -> bool:
    return can_view_reports(user) and access.sees_all_units(user)


def sees_all_units(user: Person) -> bool:
    return access.sees_all_units(user)


def can_view_unit(user: Person, unit_id: int) -> bool:
    return access.can_view_unit(user, unit_id)
