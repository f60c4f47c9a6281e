"""Who may open which inspection and rectification page and call which endpoint: role × page × object,
generated from tables (as tests/test_permissions_matrix.py and tests/api/test_permission_matrix.py).

Pages: a cell reads "own/other" for a rectification item of the persona's unit, then one of the other unit.
Outcomes: 200; 403 seen but not permitted; 404 another unit's item the persona cannot see; 405 wrong method;
"login" the sign-in page; "done" a permitted POST that redirects onwards. Inspections belong to the office
(the auditor reads them) and are not unit-scoped, so their cells are single.

API: the rights table says what each persona sees and does; ``expected`` derives every status from it, and
every success writes exactly its audit row, every refusal none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver

from govmedia.audit.events import EventType
from govmedia.demo import INSTITUTIONS, load_demo
from govmedia.inspections import actions
from govmedia.inspections import urls as inspection_urls
from govmedia.inspections.models import Inspection, Source
from govmedia.monitoring.models import Post, PostSource
from govmedia.org.actions import issue_token
from govmedia.org.models import Person
from govmedia.registry.models import Account

COLUMNS = ("office", "clerk", "clerk2", "chief", "deputy", "leader", "director", "auditor", "vendor", "staff1")
EVERYONE = " ".join(["200"] * len(COLUMNS))
UNIT_VIEW = "200/200 200/404 200/404 200/404 200/404 200/404 200/404 200/200 200/404 200/404"
ANSWER = "403/403 done/404 done/404 done/404 done/404 403/404 done/404 403/403 403/404 done/404"
VERIFY = "done/done 403/404 403/404 403/404 403/404 403/404 403/404 403/403 403/404 403/404"
OFFICE_READS = "200 403 403 403 403 403 403 200 403 403"
OFFICE_ONLY = "200 403 403 403 403 403 403 403 403 403"
OFFICE_POST = "done 403 403 403 403 403 403 403 403 403"
POST_ONLY = " ".join(["405"] * len(COLUMNS))
POST_ONLY_UNIT = " ".join(["405/405"] * len(COLUMNS))
pytestmark = pytest.mark.django_db  # each test in its own transaction, inside the module's rolled-back one
CHECKLIST = {f"outcome_{code}": "pass" for code in ("relevance", "review", "security", "outsourcing")}


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    path: str            # {open}, {answered}, {event} per unit; {inspection}, {running}, {account} shared
    anonymous: str
    outcomes: str
    data: dict | None = None


PAGES = [
    Page("rectification_list", "GET", "/rectifications/", "login", EVERYONE),
    Page("rectification_export", "GET", "/rectifications/export.xlsx", "login", EVERYONE),
    Page("rectification_detail", "GET", "/rectifications/{open}/", "login", UNIT_VIEW),
    Page("rectification_answer", "GET", "/rectifications/{open}/answer/", "login", POST_ONLY_UNIT),
    Page("rectification_answer", "POST", "/rectifications/{open}/answer/", "login", ANSWER, {"text": "已删除原文"}),
    Page("rectification_accept", "POST", "/rectifications/{answered}/accept/", "login", VERIFY, {"note": ""}),
    Page("rectification_reopen", "POST", "/rectifications/{answered}/reopen/", "login", VERIFY, {"reason": "未删除"}),
    Page("rectification_evidence", "GET", "/rectifications/{answered}/evidence/{event}/", "login", UNIT_VIEW),
    Page("inspection_list", "GET", "/inspections/", "login", OFFICE_READS),
    Page("inspection_new", "GET", "/inspections/new/?filter_unit=1", "login", OFFICE_ONLY),
    Page("inspection_new", "POST", "/inspections/new/", "login", OFFICE_POST,
         {"title": "矩阵检查", "period_start": "2026-01-01", "period_end": "2026-01-31", "accounts": ["{account}"]}),
    Page("inspection_detail", "GET", "/inspections/{inspection}/", "login", OFFICE_READS),
    Page("inspection_checklist", "GET", "/inspections/{running}/accounts/{account}/", "login", OFFICE_READS),
    Page("inspection_checklist", "POST", "/inspections/{running}/accounts/{account}/", "login", OFFICE_POST,
         CHECKLIST),
    Page("inspection_close", "GET", "/inspections/{running}/close/", "login", POST_ONLY),
    Page("inspection_close", "POST", "/inspections/{running}/close/", "login", OFFICE_POST, {}),
    Page("inspection_circular", "GET", "/inspections/{inspection}/circular.docx", "login", OFFICE_READS),
]


def _unit_scoped(page: Page) -> bool:
    return any(key in page.path for key in ("{open}", "{answered}"))


def _cases():
    for page in PAGES:
        label = f"{page.method} {page.path}"
        yield pytest.param(page, "anonymous", "own", page.anonymous, id=f"{label}-anonymous")
        for persona, cell in zip(COLUMNS, page.outcomes.split(), strict=True):
            if not _unit_scoped(page):
                yield pytest.param(page, persona, "own", cell, id=f"{label}-{persona}")
                continue
            own, other = cell.split("/")
            yield pytest.param(page, persona, "own", own, id=f"{label}-{persona}-own unit")
            yield pytest.param(page, persona, "other", other, id=f"{label}-{persona}-other unit")


@pytest.fixture(autouse=True)
def _media():
    """The module's objects keep their evidence in the module's own media folder (see ``objects``)."""


def _item(account: Account, text: str):
    post = Post.objects.create(account=account, published_at=Post.objects.order_by("id").first().published_at,
                               title="矩阵测试", text=text, source=PostSource.MANUAL)
    return actions.open_rectification(account=account, source=Source.PATROL, severity="major",
                                      problem=f"矩阵测试：{text}", post=post, fingerprint=f"matrix-{post.pk}",
                                      actor="测试")


@pytest.fixture(scope="module")
def objects(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo bureau, and per unit an open item and an answered one with evidence; loaded once, rolled back."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast, MEDIA_ROOT=media), \
            transaction.atomic():
        load_demo()
        office = Person.objects.get(username="office")
        units = {}
        for key, account, answerer in (
                ("bureau", Account.objects.get(name="吴江人社", platform__name="微信公众号"), "clerk"),
                ("institution", Account.objects.get(unit__name=INSTITUTIONS[0][0]), "staff1")):
            answered = _item(account, "已答复的问题")
            event = actions.answer_rectification(answered, text="已整改", actor=Person.objects.get(username=answerer),
                                                 evidence=SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test"))
            units[key] = {"open": _item(account, "待整改的问题").pk, "answered": answered.pk, "event": event.pk,
                          "account": account.pk}
        running = actions.open_inspection(title="进行中的检查", period_start=date(2026, 1, 1),
                                          period_end=date(2026, 1, 31),
                                          accounts=[Account.objects.get(pk=units["bureau"]["account"])], actor=office)
        yield {**units, "inspection": Inspection.objects.get(title__contains="政务新媒体检查").pk,
               "running": running.pk, "account": units["bureau"]["account"]}
        transaction.set_rollback(True)


def _fill(template: str, persona: Person | None, which: str, objects: dict) -> str:
    own = "institution" if persona is not None and persona.unit.kind == "institution" else "bureau"
    unit = own if which == "own" else {"bureau": "institution", "institution": "bureau"}[own]
    return template.format(inspection=objects["inspection"], running=objects["running"], **objects[unit])


@pytest.mark.parametrize(("page", "persona", "which", "expected"), list(_cases()))
def test_each_persona_gets_the_expected_answer_from_each_page(objects, client, signed_in, page, persona, which,
                                                             expected):
    person = None if persona == "anonymous" else Person.objects.get(username=persona)
    if person is not None:
        client = signed_in(person)
    path = _fill(page.path, person, which, objects)
    data = {k: [_fill(v, person, which, objects) for v in vs] if isinstance(vs, list) else vs
            for k, vs in (page.data or {}).items()}
    response = client.post(path, data) if page.method == "POST" else client.get(path)
    if expected == "login":
        assert (response.status_code, unquote(response["Location"])) == (302, f"/login/?next={path}")
    elif expected == "done":
        assert response.status_code == 302, response.content.decode()[:300]
        assert not response["Location"].startswith("/login/")
    else:
        assert response.status_code == int(expected)


def _names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        names |= _names(pattern.url_patterns) if isinstance(pattern, URLResolver) else {pattern.name}
    return names


def test_the_matrix_covers_every_page_of_the_app():
    assert _names(inspection_urls.urlpatterns) == {page.name for page in PAGES}


def test_the_matrix_has_a_cell_for_every_persona_on_every_page():
    for page in PAGES:
        cells = page.outcomes.split()
        assert len(cells) == len(COLUMNS), page
        assert all(("/" in cell) == _unit_scoped(page) for cell in cells), page


# ---- the API ------------------------------------------------------------------------------------------------


class Rights(NamedTuple):
    sees_other: bool
    answers_own: bool
    verifies: bool


ROLES: dict[str | None, Rights] = {
    None: Rights(False, False, False),
    "office": Rights(True, False, True),
    "clerk": Rights(False, True, False),
    "clerk2": Rights(False, True, False),
    "chief": Rights(False, True, False),
    "deputy": Rights(False, True, False),
    "leader": Rights(False, False, False),     # 签发人 only: reads its unit's items, answers nothing
    "director": Rights(False, True, False),
    "auditor": Rights(True, False, False),
    "vendor": Rights(False, False, False),     # 外包人员 never answer for the unit
    "staff1": Rights(False, True, False),
}
ENDPOINTS = {
    "GET /rectifications?unit=": ("list", None),
    "GET /rectifications/{id}": ("read", None),
    "POST /rectifications/{id}/answer": ("answer", EventType.RECTIFICATION_ANSWERED),
    "POST /rectifications/{id}/accept": ("verify", EventType.RECTIFICATION_ACCEPTED),
    "POST /rectifications/{id}/reopen": ("verify", EventType.RECTIFICATION_REOPENED),
}


def expected_api(persona: str | None, endpoint: str, obj: str) -> str:
    if persona is None:
        return "401"
    rights, (kind, _) = ROLES[persona], ENDPOINTS[endpoint]
    sees = obj == "own" or rights.sees_other
    if kind == "list":
        return "200" if sees else "200 empty"
    if not sees:
        return "404"
    if kind == "read":
        return "200"
    allowed = rights.answers_own and obj == "own" if kind == "answer" else rights.verifies
    return "200" if allowed else "403"


API_CASES = [
    pytest.param(persona, endpoint, obj, expected_api(persona, endpoint, obj),
                 id=f"{persona or 'anonymous'}-{endpoint}-{obj}")
    for persona in ROLES for endpoint in ENDPOINTS for obj in (("own", "other") if persona else ("own",))
]


@pytest.mark.parametrize(("persona", "endpoint", "obj", "outcome"), API_CASES)
def test_the_api_answers_each_persona_as_the_rights_table_says(objects, client, audit, persona, endpoint, obj,
                                                               outcome):
    person = Person.objects.get(username=persona) if persona else None
    unit = _fill("{account}", person, obj, objects)
    ids = objects["bureau"] if int(unit) == objects["bureau"]["account"] else objects["institution"]
    item = ids["answered"] if ENDPOINTS[endpoint][0] == "verify" else ids["open"]
    headers = {"Authorization": f"Bearer {issue_token(person, actor='测试')}"} if person else {}
    unit_id = Account.objects.get(pk=unit).unit_id
    audit.mark()

    method, template = endpoint.split(" ", 1)
    path = "/api/v1" + template.replace("{id}", str(item)).split("?")[0]
    if method == "GET":
        response = client.get(path, {"unit": unit_id} if "?unit=" in template else {}, headers=headers)
    else:
        response = client.post(path, {"text": "已整改", "note": "", "reason": "未整改到位"},
                               content_type="application/json", headers=headers)

    empty = response.status_code == 200 and response.json().get("count") == 0
    assert f"{response.status_code}{' empty' if empty else ''}" == outcome, response.content.decode()[:300]
    event = ENDPOINTS[endpoint][1]
    assert audit.new() == ([event] if event and outcome == "200" else [])
