"""Persona × endpoint × object (the persona's own unit or the other one), generated from one small table.

The table says what each persona sees and changes; ``expected`` turns that into the status every endpoint
must answer: not seen → 404 (or an empty list), seen but not changeable → 403, no token → 401. Every
refusal and every read writes no audit row; every success writes exactly its own.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from govmedia.audit.events import EventType
from govmedia.registry import actions
from govmedia.registry.models import Account, EventKind, today


class Rights(NamedTuple):
    sees_other: bool
    edits_own: bool
    edits_other: bool


# The bureau's people, and staff1 of an institution; own unit = the persona's unit.
ROLES: dict[str | None, Rights] = {
    None: Rights(False, False, False),          # no token
    "office": Rights(True, True, True),
    "clerk": Rights(False, True, False),
    "chief": Rights(False, True, False),
    "director": Rights(False, True, False),
    "leader": Rights(False, False, False),      # 签发人 only: reads the registry, never changes it
    "auditor": Rights(True, False, False),
    "vendor": Rights(False, False, False),
    "staff1": Rights(False, True, False),
}


class Endpoint(NamedTuple):
    kind: str                   # list | read | create | change
    success: str = "200"
    audit: tuple[EventType, ...] = ()


ENDPOINTS = {
    "GET /accounts?unit=": Endpoint("list"),
    "GET /accounts/{id}": Endpoint("read"),
    "POST /accounts": Endpoint("create", "201", (EventType.ACCOUNT_REGISTERED,)),
    "POST /accounts/{id}/events": Endpoint("change", "201", (EventType.ACCOUNT_CHANGED,)),
    "GET /filings?unit=": Endpoint("list"),
    "POST /filings/{id}/complete": Endpoint("change", "200", (EventType.FILING_COMPLETED,)),
}


def expected(persona: str | None, endpoint: str, obj: str) -> str:
    if persona is None:
        return "401"
    rights, ep = ROLES[persona], ENDPOINTS[endpoint]
    sees = obj == "own" or rights.sees_other
    edits = rights.edits_own if obj == "own" else rights.edits_other
    if ep.kind == "list":
        return "200" if sees else "200 empty"
    if ep.kind == "read":
        return "200" if sees else "404"
    if ep.kind == "create":
        return ep.success if edits else "403"
    return ep.success if edits else "403" if sees else "404"


CASES = [
    pytest.param(persona, endpoint, obj, expected(persona, endpoint, obj),
                 id=f"{persona or 'anonymous'}-{endpoint}-{obj}")
    for persona in ROLES for endpoint in ENDPOINTS for obj in (("own", "other") if persona else ("own",))
]


def _request(client, endpoint: str, unit, account, filing, new_account_body):
    day = f"{today():%Y-%m-%d}"
    return {
        "GET /accounts?unit=": lambda: client.get("/accounts", unit=unit.pk),
        "GET /accounts/{id}": lambda: client.get(f"/accounts/{account.pk}"),
        "POST /accounts": lambda: client.post("/accounts", new_account_body(unit)),
        "POST /accounts/{id}/events": lambda: client.post(f"/accounts/{account.pk}/events",
                                                          {"kind": "change", "effective_date": day}),
        "GET /filings?unit=": lambda: client.get("/filings", unit=unit.pk),
        "POST /filings/{id}/complete": lambda: client.post(f"/filings/{filing.pk}/complete",
                                                           {"filed_on": day, "reference": "M-1"}),
    }[endpoint]()


@pytest.mark.parametrize(("persona", "endpoint", "obj", "outcome"), CASES)
def test_the_api_answers_each_persona_as_the_rights_table_says(
        persona, endpoint, obj, outcome, bureau, api, audit, bureau_unit, institution, new_account_body):
    person = bureau[persona] if persona else None
    own = person.unit if person else bureau_unit
    unit = own if obj == "own" else (institution if own == bureau_unit else bureau_unit)
    account = Account.objects.filter(unit=unit).order_by("id").first()
    # An open filing on the unit, so the filing list and its completion have something to act on.
    filing = actions.record_event(account, kind=EventKind.CHANGE, effective_date=today(), actor=bureau["office"]).filing
    client = api(person)
    audit.mark()

    response = _request(client, endpoint, unit, account, filing, new_account_body)

    empty = response.status_code == 200 and response.json().get("count") == 0
    assert f"{response.status_code}{' empty' if empty else ''}" == outcome
    ep = ENDPOINTS[endpoint]
    assert audit.new() == list(ep.audit if outcome == ep.success else ())
