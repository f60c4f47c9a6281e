"""Changes to units, sections, people, roles and API tokens. Each writes its audit row."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from govmedia import policy
from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.org.models import ApiToken, Person, Role, RoleGrant, Section, Unit

TOKEN_PREFIX = "gm_"
# 第十二条(二): roles that review or manage content, held only after 保密审查 and 岗前培训.
CLEARED_ROLES = (Role.CLERK, Role.SECTION_CHIEF, Role.SIGNER, Role.DIRECTOR)


class ClearanceError(ValueError):
    """第十二条(二): the person lacks 保密审查 or 岗前培训, or has left the post; str() is the Chinese reason."""


def clearance_refusal(person: Person, duty: str) -> str | None:
    """Why ``person`` may not take ``duty`` (e.g. "账号保管人"), naming them and what is missing; None if they may."""
    name = person.full_name or person.username
    if person.departed_on:
        return f"「{name}」已于{person.departed_on:%Y-%m-%d}离岗，不能担任{duty}"
    missing = [label for field, label in (("clearance_on", "保密审查"), ("trained_on", "岗前培训"))
               if not getattr(person, field)]
    if missing:
        return (f"「{name}」尚未登记{'和'.join(missing)}日期，不能担任{duty}"
                "（第十二条(二)：上岗前须通过保密审查，完成岗前安全及业务培训）")
    return None


class SeparationOfDutiesError(ValueError):
    """三权分立: the system administrator, the security administrator and the auditor are three different people;
    str() is the Chinese reason."""


@transaction.atomic
def create_unit(*, name: str, kind: str, short_name: str = "", sort_order: int = 0, actor) -> Unit:
    unit = Unit.objects.create(name=name, kind=kind, short_name=short_name, sort_order=sort_order)
    record(EventType.UNIT_CREATED, actor=actor, obj=unit, after={"name": name, "kind": kind})
    return unit


@transaction.atomic
def create_section(*, unit: Unit, name: str, is_lead_office: bool = False, actor) -> Section:
    section = Section.objects.create(unit=unit, name=name, is_lead_office=is_lead_office)
    record(EventType.SECTION_CREATED, actor=actor, obj=section, after={"unit": unit.name, "name": name})
    return section


@transaction.atomic
def create_person(
    *,
    username: str,
    password: str,
    full_name: str,
    unit: Unit | None,
    section: Section | None = None,
    roles: tuple[str, ...] = (),
    email: str = "",
    clearance_on: date | None = None,
    trained_on: date | None = None,
    actor,
) -> Person:
    """Create a person with a password that satisfies the sign-in policy, and grant their roles.

    Review roles (CLEARED_ROLES) need ``clearance_on`` and ``trained_on`` (第十二条(二)).
    """
    person = Person(username=username, full_name=full_name, unit=unit, section=section, email=email,
                    clearance_on=clearance_on, trained_on=trained_on)
    validate_password(password, person)
    person.set_password(password)
    person.password_changed_at = timezone.now()
    person.save()
    record(EventType.PERSON_CREATED, actor=actor, obj=person,
           after={"username": username, "unit": unit.name if unit else "", "section": section.name if section else ""})
    for role in roles:
        grant_role(person, role, actor=actor)
    return person


@transaction.atomic
def grant_role(person: Person, role: str, *, actor) -> bool:
    """Grant a role; granting one already held changes nothing and writes nothing.

    Raises ClearanceError for a review role (CLEARED_ROLES) the person is not cleared for (第十二条(二)), and
    SeparationOfDutiesError for a second of the roles policy.SEPARATED_ADMIN_ROLES (三权分立).
    """
    role = Role(role)
    if role in policy.SEPARATED_ADMIN_ROLES:
        held = RoleGrant.objects.filter(person=person, role__in=policy.SEPARATED_ADMIN_ROLES).exclude(role=role).first()
        if held is not None:
            raise SeparationOfDutiesError(
                f"三权分立：系统管理员、安全管理员和审计员须由不同人员担任，「{person}」已是{held.get_role_display()}，"
                f"不能再授予{role.label}")
    if role in CLEARED_ROLES and not RoleGrant.objects.filter(person=person, role=role).exists():
        reason = clearance_refusal(person, role.label)
        if reason:
            raise ClearanceError(reason)
    _, created = RoleGrant.objects.get_or_create(person=person, role=Role(role))
    if created:
        record(EventType.ROLE_GRANTED, actor=actor, obj=person, after={"role": Role(role).label})
        person.__dict__.pop("roles", None)
    return created


@transaction.atomic
def change_password(person: Person, new_password: str, *, actor) -> None:
    validate_password(new_password, person)
    person.set_password(new_password)
    person.password_changed_at = timezone.now()
    person.save(update_fields=["password", "password_changed_at"])
    record(EventType.PASSWORD_CHANGED, actor=actor, obj=person)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_token(person: Person, *, actor) -> str:
    """Return a new bearer token; only its digest is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(person=person, digest=_digest(token), prefix=token[:8])
    record(EventType.TOKEN_ISSUED, actor=actor, obj=person, after={"token": row.prefix + "…"})
    return token


def person_for_token(token: str) -> Person | None:
    row = (
        ApiToken.objects.select_related("person")
        .filter(digest=_digest(token), revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    return row.person if row else None
