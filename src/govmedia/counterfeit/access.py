"""Who may see and work counterfeit cases, built on org.access: the office works them, the auditor reads them,
nobody else opens them (403). Reporting needs no sign-in at all."""

from __future__ import annotations

from govmedia.org import access
from govmedia.org.models import Person


def can_view_cases(user: Person) -> bool:
    return access.sees_all_units(user)


def can_work_cases(user: Person) -> bool:
    return access.can_manage_reference_data(user)
