"""Who gets what from each monitoring page and endpoint: role × page × object, generated from one table.

Cells as in tests/test_permissions_matrix.py: 200 permitted, 403 seen but not permitted, 404 another unit's object
the persona cannot see, 405 wrong method, "login" the sign-in page, "done" a permitted POST that redirects onwards.
For a page about one object the cell reads "own/other": an object of the persona's unit, then of another unit.
API cells: 201/200 permitted, 403 refused, 404 or 422 (an account named in the body) for what is not seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver
from django.utils import timezone

from govmedia.demo import load_demo
from govmedia.monitoring import actions
from govmedia.monitoring import urls as monitoring_urls
from govmedia.monitoring.models import FeedKind, Interaction, InteractionKind, Post
from govmedia.org.actions import issue_token
from govmedia.org.models import Person
from govmedia.registry.models import Account

COLUMNS = ("office", "clerk", "clerk2", "chief", "deputy", "leader", "director", "auditor", "vendor", "staff1")
EVERYONE = " ".join(["200"] * len(COLUMNS))
NOT_GET = " ".join(["405"] * len(COLUMNS))
RECORDERS = "200 200 200 200 200 403 200 403 200 200"           # leader and auditor record nothing
UNIT_VIEW = "200/200 200/404 200/404 200/404 200/404 200/404 200/404 200/200 200/404 200/404"
UNIT_RECORD = "200/200 200/404 200/404 200/404 200/404 403/404 200/404 403/403 200/404 200/404"
UNIT_MANAGE = "200/200 200/404 200/404 200/404 200/404 403/404 200/404 403/403 403/404 200/404"  # no vendor
MANAGE_POST = UNIT_MANAGE.replace("200", "done")
FEED = {"kind": "rss", "url": "http://127.0.0.1:9/matrix.xml", "app_id": "", "secret_env": "", "enabled": "on"}


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    path: str            # {post}, {interaction}, {account}, {feed} are filled in per persona
    anonymous: str
    outcomes: str
    data: dict | None = None


PAGES = [
    Page("post_list", "GET", "/posts/", "login", EVERYONE),
    Page("post_export", "GET", "/posts/export.xlsx", "login", EVERYONE),
    Page("post_new", "GET", "/posts/new/", "login", RECORDERS),
    Page("post_import", "GET", "/posts/import/", "login", RECORDERS),
    Page("post_template", "GET", "/posts/import/template.xlsx", "login", EVERYONE),
    Page("post_detail", "GET", "/posts/{post}/", "login", UNIT_VIEW),
    Page("interaction_list", "GET", "/interactions/?status=unanswered", "login", EVERYONE),
    Page("interaction_export", "GET", "/interactions/export.xlsx", "login", EVERYONE),
    Page("interaction_import", "GET", "/interactions/import/", "login", RECORDERS),
    Page("interaction_template", "GET", "/interactions/import/template.xlsx", "login", EVERYONE),
    Page("interaction_reply", "GET", "/interactions/{interaction}/reply/", "login", UNIT_RECORD),
    Page("interaction_reply", "POST", "/interactions/{interaction}/reply/", "login",
         UNIT_RECORD.replace("200", "done"), {"reply": "矩阵测试回复"}),
    Page("feed_overview", "GET", "/feeds/", "login", EVERYONE),
    Page("feed_list", "GET", "/accounts/{account}/feeds/", "login", UNIT_VIEW),
    Page("feed_list", "POST", "/accounts/{account}/feeds/", "login", MANAGE_POST, FEED),
    Page("feed_edit", "GET", "/accounts/{account}/feeds/{feed}/", "login", UNIT_MANAGE),
    Page("feed_edit", "POST", "/accounts/{account}/feeds/{feed}/", "login", MANAGE_POST, FEED),
    Page("feed_fetch", "GET", "/accounts/{account}/feeds/{feed}/fetch/", "login", NOT_GET),
    Page("feed_fetch", "POST", "/accounts/{account}/feeds/{feed}/fetch/", "login", MANAGE_POST, {}),
]


@dataclass(frozen=True)
class Call:
    method: str
    path: str            # relative to /api/v1
    outcomes: str
    body: dict | None = None


API = [
    Call("POST", "/posts", "201/201 201/422 201/422 201/422 201/422 403/422 201/422 403/403 201/422 201/422"),
    Call("GET", "/posts", EVERYONE),
    Call("GET", "/interactions?unanswered=1", EVERYONE),
    Call("POST", "/interactions/{interaction}/reply", UNIT_RECORD, {"reply": "矩阵测试回复"}),
]


def _cases():
    for page in PAGES:
        label = f"{page.method} {page.path}"
        yield pytest.param(page, "anonymous", "own", page.anonymous, id=f"{label}-anonymous")
        for persona, cell in zip(COLUMNS, page.outcomes.split(), strict=True):
            if "/" not in cell:
                yield pytest.param(page, persona, "own", cell, id=f"{label}-{persona}")
                continue
            own, other = cell.split("/")
            yield pytest.param(page, persona, "own", own, id=f"{label}-{persona}-own unit")
            yield pytest.param(page, persona, "other", other, id=f"{label}-{persona}-other unit")


def _api_cases():
    for call in API:
        label = f"API {call.method} {call.path}"
        yield pytest.param(call, "anonymous", "own", "401", id=f"{label}-anonymous")
        for persona, cell in zip(COLUMNS, call.outcomes.split(), strict=True):
            if "/" not in cell:
                yield pytest.param(call, persona, "own", cell, id=f"{label}-{persona}")
                continue
            own, other = cell.split("/")
            yield pytest.param(call, persona, "own", own, id=f"{label}-{persona}-own unit")
            yield pytest.param(call, persona, "other", other, id=f"{label}-{persona}-other unit")


@pytest.fixture(scope="module")
def _objects(django_db_setup, django_db_blocker):
    """The demo bureau, plus an unanswered message and a content source in each unit; rolled back after."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        office = Person.objects.get(username="office")
        objects = {}
        for key, account in (("bureau", Account.objects.get(name="吴江人社", platform__name="微信公众号")),
                             ("institution", Account.objects.get(name="吴江劳动监察"))):
            item = actions.check_interaction(actions.InteractionData(
                account, InteractionKind.MESSAGE, f"{key}的矩阵留言", timezone.now() - timedelta(hours=2), "网友"))
            actions.add_interactions([item], actor="测试", object_repr="矩阵")
            feed = actions.configure_feed(account, kind=FeedKind.RSS, url="http://127.0.0.1:9/feed.xml", actor=office)
            objects[key] = {"account": account.pk, "feed": feed.pk,
                            "post": Post.objects.filter(account=account).first().pk,
                            "interaction": Interaction.objects.get(text=f"{key}的矩阵留言").pk}
        yield objects
        transaction.set_rollback(True)


def _unit(persona: Person | None, which: str) -> str:
    own = "institution" if persona is not None and persona.unit.kind == "institution" else "bureau"
    return own if which == "own" else {"bureau": "institution", "institution": "bureau"}[own]


@pytest.mark.parametrize(("page", "persona", "which", "expected"), list(_cases()))
def test_each_persona_gets_the_expected_answer_from_each_page(
        _objects, bureau, client, signed_in, page, persona, which, expected):
    person = None if persona == "anonymous" else bureau[persona]
    if person is not None:
        client = signed_in(person)
    path = page.path.format(**_objects[_unit(person, which)])
    response = client.post(path, page.data) if page.method == "POST" else client.get(path)
    if expected == "login":
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/login/")
    elif expected == "done":
        assert response.status_code == 302, response.content.decode()[:300]
        assert not response["Location"].startswith("/login/")
    else:
        assert response.status_code == int(expected)


@pytest.mark.parametrize(("call", "persona", "which", "expected"), list(_api_cases()))
def test_each_persona_gets_the_expected_answer_from_each_endpoint(_objects, bureau, client, call, persona, which,
                                                                   expected):
    person = None if persona == "anonymous" else bureau[persona]
    objects = _objects[_unit(person, which)]
    headers = {"Authorization": f"Bearer {issue_token(person, actor='测试')}"} if person is not None else {}
    path = "/api/v1" + call.path.format(**objects)
    if call.method == "GET":
        response = client.get(path, headers=headers)
    else:
        body = call.body if call.body is not None else {
            "account": objects["account"], "title": f"矩阵测试 {persona}",
            "published_at": (timezone.now() - timedelta(hours=1)).isoformat()}
        response = client.post(path, body, content_type="application/json", headers=headers)
    assert response.status_code == int(expected), response.content.decode()[:300]


def _names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _names(pattern.url_patterns)
        else:
            names.add(pattern.name)
    return names


def test_the_matrix_covers_every_page_of_the_app():
    assert _names(monitoring_urls.urlpatterns) == {page.name for page in PAGES}


def test_the_matrix_covers_every_endpoint_of_the_app():
    from govmedia.monitoring.api import router

    declared = {(method, f"/{path.lstrip('/')}") for path, view in router.path_operations.items()
                for operation in view.operations for method in operation.methods}
    tested = {(call.method, call.path.split("?")[0].replace("{interaction}", "{interaction_id}")) for call in API}
    assert declared == tested


def test_every_cell_is_a_pair_exactly_where_the_page_is_about_one_object():
    for page in PAGES:
        cells = page.outcomes.split()
        assert len(cells) == len(COLUMNS), page
        assert all(("/" in cell) == ("{" in page.path) for cell in cells if cell != "405"), page
    for call in API:
        cells = call.outcomes.split()
        about_one = "{" in call.path or (call.method, call.path) == ("POST", "/posts")  # the body names an account
        assert len(cells) == len(COLUMNS) and all(("/" in cell) == about_one for cell in cells), call
