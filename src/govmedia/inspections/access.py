"""Who may see and do what with inspections and rectification items, built on ``org.access``.

- Rectification items are seen by their unit's people and by those who see all units (office, auditor).
- The unit answers: its 信息员, 科室负责人 or 主要负责人 (not 外包人员, not a 签发人 alone, never the auditor).
- The office (局办公室管理员) accepts or reopens an answer — never one it gave itself (no 自答自验).
- Inspections and the 通报 belong to the office; the auditor reads them; nobody else sees them.
"""

from __future__ import annotations

from govmedia.org import access
from govmedia.org.models import Person, Role

ANSWERERS = (Role.CLERK, Role.SECTION_CHIEF, Role.DIRECTOR)


def can_view_rectification(user: Person, item) -> bool:
    return access.can_view_unit(user, item.unit_id)


def is_answerer(user: Person, unit_id: int) -> bool:
    return (user.is_authenticated and not user.has_role(Role.AUDITOR) and user.unit_id == unit_id
            and user.has_role(*ANSWERERS))


def is_verifier(user: Person) -> bool:
    """The office, acting; the auditor changes nothing even when it also holds the office role."""
    return access.is_office(user) and not user.has_role(Role.AUDITOR)


def can_view_inspections(user: Person) -> bool:
    return access.sees_all_units(user)


def can_run_inspections(user: Person) -> bool:
    return is_verifier(user)


def allowed_actions(item, user: Person) -> set[str]:
    """The one answer to "what may this person do with this item now", for pages, API and tests alike."""
    from govmedia.inspections.models import RectStatus

    status = item.status()
    allowed = set()
    if status in (RectStatus.OPEN, RectStatus.OVERDUE) and is_answerer(user, item.unit_id):
        allowed.add("answer")
    if status == RectStatus.ANSWERED and is_verifier(user) and last_answerer_id(item) != user.pk:
        allowed |= {"accept", "reopen"}
    return allowed


def last_answerer_id(item) -> int | None:
    from govmedia.inspections.models import EventKind

    return (item.events.filter(kind=EventKind.ANSWERED).order_by("-at", "-id")
            .values_list("actor_id", flat=True).first())
