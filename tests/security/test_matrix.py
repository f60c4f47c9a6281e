"""Who may open which 账号安全与人员 page and call which endpoint: role × page × object, generated from tables.

Pages follow tests/test_permissions_matrix.py: a cell per persona, "own/other" for a page about one object (the
object in the persona's unit, then one of another unit); 200, 403, 404, 405, "login" (redirect to sign in),
"done" (a permitted POST redirecting onwards). The API cells are derived from a small rights table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver
from django.utils import timezone
from jsonapi import BASE, Api

from govmedia.demo import DEMO_PASSWORD, load_demo
from govmedia.org import actions as org
from govmedia.org.actions import issue_token
from govmedia.org.models import Person, Role
from govmedia.registry import actions as registry
from govmedia.registry.models import Account, Platform, today
from govmedia.security import actions
from govmedia.security import urls as security_urls
from govmedia.security.api import router
from govmedia.security.models import Device, HandoverKind, HandoverTask

from .helpers import EVIDENCE

COLUMNS = ("office", "clerk", "clerk2", "chief", "deputy", "leader", "director", "auditor", "vendor", "staff1")
EVERYONE = " ".join(["200"] * len(COLUMNS))
NOT_ALLOWED = " ".join(["405/405"] * len(COLUMNS))   # POST-only: refused before the object is looked up
UNIT_VIEW = "200/200 200/404 200/404 200/404 200/404 200/404 200/404 200/200 200/404 200/404"
# Custody, devices, handover tasks: the office, and the unit's registry editors (信息员, 科室负责人, 主要负责人).
UNIT_MANAGE = "done/done done/404 done/404 done/404 done/404 403/404 done/404 403/403 403/404 done/404"
# A password change: the account's custodian (clerk for the bureau's 微信公众号, staff1 for the institution's) or the office.
ROTATE_GET = "200/200 200/404 403/404 403/404 403/404 403/404 403/404 403/403 403/404 200/404"
ROTATE_POST = ROTATE_GET.replace("200", "done")
PEOPLE_VIEW = "200 403 403 403 403 403 403 200 403 403"
OFFICE_ONLY = "200 403 403 403 403 403 403 403 403 403"
OFFICE_POST = "done 403 403 403 403 403 403 403 403 403"
STRONG = "Mx#2026matrix"


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    path: str             # {account}, {device}, {task}, {custodian} are filled in per unit
    anonymous: str
    outcomes: str
    data: dict | None = None


PAGES = [
    Page("security_accounts", "GET", "/security/accounts/", "login", EVERYONE),
    Page("security_accounts_export", "GET", "/security/accounts/export.xlsx", "login", EVERYONE),
    Page("security_account", "GET", "/security/accounts/{account}/", "login", UNIT_VIEW),
    Page("security_custodian_set", "GET", "/security/accounts/{account}/custodian/", "login", NOT_ALLOWED),
    Page("security_custodian_set", "POST", "/security/accounts/{account}/custodian/", "login", UNIT_MANAGE,
         {"custodian": "{custodian}"}),
    Page("security_device_add", "GET", "/security/accounts/{account}/devices/", "login", NOT_ALLOWED),
    Page("security_device_add", "POST", "/security/accounts/{account}/devices/", "login", UNIT_MANAGE,
         {"owner": "{custodian}", "kind": "office_pc", "asset_number": "MATRIX-1"}),
    Page("security_device_remove", "GET", "/security/devices/{device}/remove/", "login", NOT_ALLOWED),
    Page("security_device_remove", "POST", "/security/devices/{device}/remove/", "login", UNIT_MANAGE,
         {"reason": "矩阵测试"}),
    Page("security_rotation_new", "GET", "/security/accounts/{account}/rotations/", "login", ROTATE_GET),
    Page("security_rotation_new", "POST", "/security/accounts/{account}/rotations/", "login", ROTATE_POST,
         {"changed_at": "{now}", "new_password": STRONG}),
    Page("security_people", "GET", "/security/people/", "login", PEOPLE_VIEW),
    Page("security_person", "GET", "/security/people/clerk2/", "login", PEOPLE_VIEW),
    Page("security_person", "POST", "/security/people/clerk2/", "login", OFFICE_POST,
         {"clearance_on": "2026-01-05", "trained_on": "2026-01-06"}),
    Page("security_departure", "GET", "/security/people/clerk2/departure/", "login", OFFICE_ONLY),
    Page("security_departure", "POST", "/security/people/clerk2/departure/", "login", OFFICE_POST, {"date": "{today}"}),
    Page("security_handovers", "GET", "/security/handovers/", "login", EVERYONE),
    Page("security_handover", "GET", "/security/handovers/{task}/", "login", UNIT_VIEW),
    Page("security_handover", "POST", "/security/handovers/{task}/", "login", UNIT_MANAGE, {"evidence": "矩阵测试"}),
]


def _per_object(page: Page) -> bool:
    return any(key in page.path for key in ("{account}", "{device}", "{task}"))


def _cases():
    for page in PAGES:
        label = f"{page.method} {page.path}"
        yield pytest.param(page, "anonymous", "own", page.anonymous, id=f"{label}-anonymous")
        for persona, cell in zip(COLUMNS, page.outcomes.split(), strict=True):
            if not _per_object(page):
                yield pytest.param(page, persona, "own", cell, id=f"{label}-{persona}")
                continue
            own, other = cell.split("/")
            yield pytest.param(page, persona, "own", own, id=f"{label}-{persona}-own unit")
            yield pytest.param(page, persona, "other", other, id=f"{label}-{persona}-other unit")


def _leaver_task(unit, username: str, office) -> int:
    """A person of ``unit`` keeping a new 快手 account, departed: their 收回平台权限 task."""
    leaver = org.create_person(username=username, password=DEMO_PASSWORD, full_name=username, unit=unit,
                               roles=(Role.CLERK,), clearance_on=today(), trained_on=today(), actor="测试")
    account = registry.register_account(
        unit=unit, platform=Platform.objects.get(name="快手"), name=f"{username}快手号", subject=unit.name,
        preconditions=EVIDENCE, opened_on=today() - timedelta(days=30), existing=True, actor=office)
    actions.set_custodian(account, leaver, actor=office)
    actions.record_departure(leaver, on=today(), actor=office)
    return HandoverTask.objects.get(person=leaver, account=account, kind=HandoverKind.REVOKE_ACCESS).pk


@pytest.fixture(scope="module")
def _objects(django_db_setup, django_db_blocker):
    """The demo bureau plus a departed leaver in each unit, loaded once, rolled back after the module."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        office = Person.objects.get(username="office")
        wechat = Account.objects.get(platform__name="微信公众号", name="吴江人社")
        inspection = Account.objects.get(name="吴江劳动监察")
        yield {
            "bureau": {"account": wechat.pk, "custodian": Person.objects.get(username="clerk").pk,
                       "device": Device.objects.get(account=wechat).pk,
                       "task": _leaver_task(wechat.unit, "leaver1", office)},
            "institution": {"account": inspection.pk, "custodian": Person.objects.get(username="staff1").pk,
                            "device": Device.objects.get(account=inspection).pk,
                            "task": _leaver_task(inspection.unit, "leaver2", office)},
        }
        transaction.set_rollback(True)


def _unit_of(persona: Person | None, which: str) -> str:
    own = "institution" if persona is not None and persona.unit.kind == "institution" else "bureau"
    return own if which == "own" else {"bureau": "institution", "institution": "bureau"}[own]


def _fill(text: str, values: dict) -> str:
    return text.format(now=f"{timezone.localtime():%Y-%m-%dT%H:%M}", today=f"{today():%Y-%m-%d}", **values)


@pytest.mark.parametrize(("page", "persona", "which", "expected"), list(_cases()))
def test_each_persona_gets_the_expected_answer_from_each_security_page(
    _objects, bureau, client, signed_in, page, persona, which, expected
):
    person = None if persona == "anonymous" else bureau[persona]
    if person is not None:
        client = signed_in(person)
    values = _objects[_unit_of(person, which)]
    path = _fill(page.path, values)
    data = {key: _fill(str(value), values) for key, value in (page.data or {}).items()}
    response = client.post(path, data) if page.method == "POST" else client.get(path)
    if expected == "login":
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={path}")
    elif expected == "done":
        assert response.status_code == 302, response.content.decode()[:2000]
        assert not response["Location"].startswith("/login/")
    else:
        assert response.status_code == int(expected)


def _names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        names |= _names(pattern.url_patterns) if isinstance(pattern, URLResolver) else {pattern.name}
    return names


def test_the_matrix_covers_every_security_page():
    assert _names(security_urls.urlpatterns) == {page.name for page in PAGES}


# --- the API ---------------------------------------------------------------------------------------------

class Rights(NamedTuple):
    sees_other: bool
    manages_own: bool       # custody and handover tasks of the own unit
    manages_other: bool
    rotates_own: bool       # the custodian of the own unit's account, or the office
    rotates_other: bool
    office: bool            # people: clearance and departures


RIGHTS: dict[str | None, Rights] = {
    None: Rights(False, False, False, False, False, False),
    "office": Rights(True, True, True, True, True, True),
    "clerk": Rights(False, True, False, True, False, False),      # keeps the bureau's 微信公众号
    "clerk2": Rights(False, True, False, False, False, False),
    "chief": Rights(False, True, False, False, False, False),
    "director": Rights(False, True, False, False, False, False),
    "leader": Rights(False, False, False, False, False, False),
    "auditor": Rights(True, False, False, False, False, False),
    "vendor": Rights(False, False, False, False, False, False),
    "staff1": Rights(False, True, False, True, False, False),     # keeps the institution's account
}


class Endpoint(NamedTuple):
    kind: str               # read | list | rotate | manage | people
    success: str = "200"


ENDPOINTS = {
    "GET /accounts/{account_id}/credential-rotations": Endpoint("read"),
    "POST /accounts/{account_id}/credential-rotations": Endpoint("rotate", "201"),
    "PUT /accounts/{account_id}/custodian": Endpoint("manage"),
    "POST /people/{username}/clearance": Endpoint("people"),
    "POST /people/{username}/departure": Endpoint("people"),
    "GET /handover-tasks": Endpoint("list"),
    "POST /handover-tasks/{task_id}/close": Endpoint("manage"),
}


def expected(persona: str | None, endpoint: str, obj: str) -> str:
    if persona is None:
        return "401"
    rights, ep = RIGHTS[persona], ENDPOINTS[endpoint]
    sees = obj == "own" or rights.sees_other
    if ep.kind == "people":
        return ep.success if rights.office else "403"
    if ep.kind == "list":
        return "200" if sees else "200 empty"
    if ep.kind == "read":
        return "200" if sees else "404"
    allowed = {"rotate": (rights.rotates_own, rights.rotates_other),
               "manage": (rights.manages_own, rights.manages_other)}[ep.kind][obj == "other"]
    return ep.success if allowed else "403" if sees else "404"


API_CASES = [
    pytest.param(persona, endpoint, obj, expected(persona, endpoint, obj), id=f"{persona or 'anonymous'}-{endpoint}-{obj}")
    for persona in RIGHTS for endpoint in ENDPOINTS for obj in (("own", "other") if persona else ("own",))
]


def _call(client, token, endpoint: str, values: dict, custodian: str):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    api = Api(client, token)
    account, task = values["account"], values["task"]
    return {
        "GET /accounts/{account_id}/credential-rotations": lambda: api.get(f"/accounts/{account}/credential-rotations"),
        "POST /accounts/{account_id}/credential-rotations": lambda: api.post(
            f"/accounts/{account}/credential-rotations", {"changed_at": timezone.now().isoformat(), "new_password": STRONG}),
        "PUT /accounts/{account_id}/custodian": lambda: client.put(
            f"{BASE}/accounts/{account}/custodian", {"username": custodian}, content_type="application/json",
            headers=headers),
        "POST /people/{username}/clearance": lambda: api.post("/people/clerk2/clearance", {"clearance_on": "2026-01-05"}),
        "POST /people/{username}/departure": lambda: api.post("/people/clerk2/departure", {"date": f"{today():%Y-%m-%d}"}),
        "GET /handover-tasks": lambda: api.get("/handover-tasks", unit=values["unit"]),
        "POST /handover-tasks/{task_id}/close": lambda: api.post(f"/handover-tasks/{task}/close", {"evidence": "矩阵测试"}),
    }[endpoint]()


@pytest.mark.parametrize(("persona", "endpoint", "obj", "outcome"), API_CASES)
def test_the_security_api_answers_each_persona_as_the_rights_table_says(
        _objects, bureau, client, persona, endpoint, obj, outcome):
    person = bureau[persona] if persona else None
    values = dict(_objects[_unit_of(person, obj)])
    values["unit"] = Account.objects.get(pk=values["account"]).unit_id
    custodian = Person.objects.get(pk=values["custodian"]).username
    token = issue_token(person, actor="测试") if person else None

    response = _call(client, token, endpoint, values, custodian)

    empty = response.status_code == 200 and response.json().get("count") == 0
    assert f"{response.status_code}{' empty' if empty else ''}" == outcome, response.content.decode()[:500]


def test_the_api_matrix_covers_every_security_endpoint():
    declared = {f"{method} {path}" for path, view in router.path_operations.items()
                for operation in view.operations for method in operation.methods}
    assert declared == set(ENDPOINTS)
