"""Changes to units, sections, people, roles and API tokens. Each writes its audit row."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.org.models import ApiToken, Person, Role, RoleGrant, Section, Unit

TOKEN_PREFIX = "gm_"


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
    actor,
) -> Person:
    """Create a person with a password that satisfies the sign-in policy, and grant their roles."""
    person = Person(username=username, full_name=full_name, unit=unit, section=section, email=email)
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
    """Grant a role; granting one already held changes nothing and writes nothing."""
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
