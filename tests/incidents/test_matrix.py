"""Who may open which incident page: role × page × object, generated from one table (as tests/test_permissions_matrix).

A cell "own/other" is the answer for an object of the persona's unit, then of another unit. Outcomes: 200, 403,
404, 405, "login" (to the sign-in page with next), "done" (a permitted POST that redirects onwards).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver
from django.utils import timezone

from govmedia.demo import BUREAU, load_demo
from govmedia.incidents import actions
from govmedia.incidents import urls as incident_urls
from govmedia.incidents.models import EmergencyPlan, Kind
from govmedia.org.models import Person, Unit

COLUMNS = ("office", "clerk", "clerk2", "chief", "deputy", "leader", "director", "auditor", "vendor", "staff1")
READERS = "200 200 200 200 200 200 200 200 403 200"           # everyone on the staff; not the vendor
RECORDERS = "200 200 200 200 200 403 200 403 403 200"         # the office and each unit's registry editors
RECORD_POST = "done done done done done 403 done 403 403 done"
UNIT_READ = "200/200 200/404 200/404 200/404 200/404 200/404 200/404 200/200 403/403 200/404"
UNIT_RECORD = "done/done done/404 done/404 done/404 done/404 403/404 done/404 403/403 403/403 done/404"
NOT_GET = " ".join(["405/405"] * len(COLUMNS))
EARLIER = f"{timezone.localtime(timezone.now() - timedelta(days=1)):%Y-%m-%dT%H:%M}"


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    path: str            # {incident}, {plan} are the persona's unit's (own) or another unit's (other)
    anonymous: str
    outcomes: str
    data: dict | None = None


PAGES = [
    Page("incident_list", "GET", "/incidents/", "login", READERS),
    Page("incident_export", "GET", "/incidents/export.xlsx", "login", READERS),
    Page("incident_new", "GET", "/incidents/new/", "login", RECORDERS),
    Page("incident_new", "POST", "/incidents/new/", "login", RECORD_POST, {
        "unit": "{unit}", "title": "矩阵事件", "kind": Kind.LEAK, "severity": "general", "occurred_at": EARLIER,
        "reported_at": EARLIER, "description": "矩阵测试"}),
    Page("incident_detail", "GET", "/incidents/{incident}/", "login", UNIT_READ),
    Page("incident_action", "GET", "/incidents/{incident}/actions/", "login", NOT_GET),
    Page("incident_action", "POST", "/incidents/{incident}/actions/", "login", UNIT_RECORD,
         {"taken_at": EARLIER, "what": "矩阵处置"}),
    Page("incident_close", "GET", "/incidents/{incident}/close/", "login", NOT_GET),
    Page("incident_close", "POST", "/incidents/{incident}/close/", "login", UNIT_RECORD, {"summary": "矩阵结案"}),
    Page("retraction_list", "GET", "/retractions/", "login", READERS),
    Page("retraction_export", "GET", "/retractions/export.xlsx", "login", READERS),
    Page("retraction_new", "GET", "/retractions/new/", "login", RECORDERS),
    Page("plan_list", "GET", "/emergency-plans/", "login", READERS),
    Page("plan_new", "GET", "/emergency-plans/new/", "login", RECORDERS),
    Page("plan_document", "GET", "/emergency-plans/{plan}/document/", "login", UNIT_READ.replace("done", "200")),
    Page("drill_list", "GET", "/drills/", "login", READERS),
    Page("drill_new", "GET", "/drills/new/", "login", RECORDERS),
]


def _cases():
    for page in PAGES:
        label = f"{page.method} {page.path}"
        yield pytest.param(page, "anonymous", "own", page.anonymous, id=f"{label}-anonymous")
        for persona, cell in zip(COLUMNS, page.outcomes.split(), strict=True):
            if "{" not in page.path:
                yield pytest.param(page, persona, "own", cell, id=f"{label}-{persona}")
                continue
            own, other = cell.split("/")
            yield pytest.param(page, persona, "own", own, id=f"{label}-{persona}-own unit")
            yield pytest.param(page, persona, "other", other, id=f"{label}-{persona}-other unit")


@pytest.fixture(scope="module")
def _objects(django_db_setup, django_db_blocker):
    """The demo bureau and an open incident (with one action) per unit kind, rolled back after the module."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        office = Person.objects.get(username="office")
        now = timezone.now()
        objects = {}
        for key, unit in (("bureau", Unit.objects.get(name=BUREAU)), ("institution", Person.objects.get(
                username="staff1").unit)):
            incident = actions.open_incident(unit=unit, kind=Kind.STOLEN, severity="major", title=f"{key}矩阵",
                                             occurred_at=now - timedelta(days=2), reported_at=now - timedelta(days=2),
                                             description="矩阵测试", actor=office)
            actions.add_action(incident, taken_at=now - timedelta(days=2), what="先行处置", actor=office)
            objects[key] = {"incident": incident.pk, "plan": EmergencyPlan.objects.filter(unit=unit).first().pk,
                            "unit": unit.pk}
        yield objects
        transaction.set_rollback(True)


def _own(persona: Person | None) -> str:
    return "institution" if persona is not None and persona.unit.kind == "institution" else "bureau"


@pytest.mark.parametrize(("page", "persona", "which", "expected"), list(_cases()))
def test_each_persona_gets_the_expected_answer_from_each_page(
        _objects, bureau, client, signed_in, page, persona, which, expected):
    person = None if persona == "anonymous" else bureau[persona]
    if person is not None:
        client = signed_in(person)
    own = _own(person)
    unit = own if which == "own" else {"bureau": "institution", "institution": "bureau"}[own]
    path = page.path.format(**_objects[unit])
    data = {k: v.format(**_objects[own]) if isinstance(v, str) else v for k, v in (page.data or {}).items()}
    response = client.post(path, data) if page.method == "POST" else client.get(path)
    if expected == "login":
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={path}")
    elif expected == "done":
        assert response.status_code == 302, response.content.decode()[:300]
        assert response["Location"].startswith("/incidents/")
    else:
        assert response.status_code == int(expected)


def _names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        names |= _names(pattern.url_patterns) if isinstance(pattern, URLResolver) else {pattern.name}
    return names


def test_the_matrix_covers_every_page_of_the_incidents_app():
    assert _names(incident_urls.urlpatterns) == {page.name for page in PAGES}
