"""Who may open which counterfeit page and endpoint: role × page, generated from one table (like
tests/test_permissions_matrix.py). The public report needs no sign-in; the office works cases; the auditor reads
them; everyone else gets 403; anonymous visitors are sent to sign in (401 from the API)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver
from django.utils import timezone
from samples import png_bytes

from govmedia.counterfeit import actions, throttle
from govmedia.counterfeit import urls as counterfeit_urls
from govmedia.counterfeit.models import Agency
from govmedia.demo import load_demo
from govmedia.org.actions import issue_token
from govmedia.org.models import Person
from govmedia.registry.models import Account

from .conftest import FAKE

COLUMNS = ("office", "clerk", "clerk2", "chief", "deputy", "leader", "director", "auditor", "vendor", "staff1")
EVERYONE = " ".join(["200"] * len(COLUMNS))
READ = "200 403 403 403 403 403 403 200 403 403"
WORK = "done 403 403 403 403 403 403 403 403 403"
NOT_GET = " ".join(["405"] * len(COLUMNS))
DAY = "2026-01-05"


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    path: str
    anonymous: str
    outcomes: str
    data: dict | None = None


PAGES = [
    Page("counterfeit_report", "GET", "/public/counterfeit/", "200", EVERYONE),
    Page("counterfeit_report", "POST", "/public/counterfeit/", "200", EVERYONE, {}),  # unanswered: shown again
    Page("counterfeit_list", "GET", "/counterfeit/", "login", READ),
    Page("counterfeit_export", "GET", "/counterfeit/export.xlsx", "login", READ),
    Page("counterfeit_detail", "GET", "/counterfeit/{case}/", "login", READ),
    Page("counterfeit_letter_download", "GET", "/counterfeit/{case}/letter.docx", "login", READ),
    Page("counterfeit_screenshot", "GET", "/counterfeit/{case}/screenshot/", "login", READ),
    *[Page(name, "GET", path, "login", NOT_GET) for name, path, _ in (
        ("counterfeit_verify", "/counterfeit/{case}/verify/", None),
        ("counterfeit_coordinate", "/counterfeit/{case}/coordinations/", None),
        ("counterfeit_letter", "/counterfeit/{case}/letter/", None),
        ("counterfeit_report_up", "/counterfeit/{case}/report-up/", None),
        ("counterfeit_close", "/counterfeit/{case}/close/", None),
    )],
    Page("counterfeit_verify", "POST", "/counterfeit/{case}/verify/", "login", WORK, {"is_counterfeit": "yes"}),
    Page("counterfeit_coordinate", "POST", "/counterfeit/{case}/coordinations/", "login", WORK,
         {"agency": "telecom", "on": DAY, "contact": "电信 李工", "content": "协查"}),
    Page("counterfeit_letter", "POST", "/counterfeit/{case}/letter/", "login", WORK, {"unit": "区人社局", "contact": "王芳"}),
    Page("counterfeit_report_up", "POST", "/counterfeit/{case}/report-up/", "login", WORK,
         {"on": DAY, "to": "市人社局"}),
    Page("counterfeit_close", "POST", "/counterfeit/{case}/close/", "login", WORK, {"outcome": "已关闭"}),
]
ENDPOINTS = [
    ("GET", "/counterfeit-cases", "401", READ),
    ("GET", "/counterfeit-cases/{case}", "401", READ),
    ("POST", "/public/counterfeit-reports", "201", " ".join(["201"] * len(COLUMNS))),
]


@pytest.fixture(scope="module")
def _objects(_media, django_db_setup, django_db_blocker):
    """A case with a screenshot carried to its letter, so every page has something to show."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        office = Person.objects.get(username="office")
        case = actions.report(**FAKE, screenshot=png_bytes(), client=throttle.client_key("matrix"))
        actions.verify(case, is_counterfeit=True, imitates=[Account.objects.get(name="吴江人社",
                                                                                 platform__name="微信公众号")],
                       actor=office)
        actions.add_coordination(case, agency=Agency.CAC, on=timezone.localdate(), contact="网信办", content="通报",
                                 actor=office)
        actions.issue_letter(case, contact="王芳", unit="区人社局", actor=office)
        yield {"case": case.pk}
        transaction.set_rollback(True)


def _cases():
    for page in PAGES:
        label = f"{page.method} {page.path}"
        yield pytest.param(page, "anonymous", page.anonymous, id=f"{label}-anonymous")
        for persona, cell in zip(COLUMNS, page.outcomes.split(), strict=True):
            yield pytest.param(page, persona, cell, id=f"{label}-{persona}")


@pytest.mark.parametrize(("page", "persona", "expected"), list(_cases()))
def test_each_persona_gets_the_expected_answer_from_each_counterfeit_page(_objects, bureau, client, signed_in, page,
                                                                          persona, expected):
    if persona != "anonymous":
        client = signed_in(bureau[persona])
    path = page.path.format(**_objects)
    response = client.post(path, page.data) if page.method == "POST" else client.get(path)
    if expected == "login":
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={path}")
    elif expected == "done":
        assert response.status_code == 302 and response["Location"] == f"/counterfeit/{_objects['case']}/"
    else:
        assert response.status_code == int(expected)


@pytest.mark.parametrize(("method", "path", "anonymous", "outcomes"), ENDPOINTS)
def test_each_persona_gets_the_expected_answer_from_each_counterfeit_endpoint(_objects, bureau, client, method, path,
                                                                              anonymous, outcomes):
    url = "/api/v1" + path.format(**_objects)

    def call(headers: dict, address: str):
        if method == "POST":
            return client.post(url, FAKE, content_type="application/json", headers=headers, REMOTE_ADDR=address)
        return client.get(url, headers=headers)

    assert call({}, "192.0.2.1").status_code == int(anonymous)
    for i, (persona, cell) in enumerate(zip(COLUMNS, outcomes.split(), strict=True), start=2):
        token = issue_token(bureau[persona], actor="测试")
        assert call({"Authorization": f"Bearer {token}"}, f"192.0.2.{i}").status_code == int(cell), persona


def _names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        names |= _names(pattern.url_patterns) if isinstance(pattern, URLResolver) else {pattern.name}
    return names


def test_the_matrix_covers_every_counterfeit_page_and_endpoint():
    from govmedia.counterfeit.api import router

    assert _names(counterfeit_urls.urlpatterns) == {page.name for page in PAGES}
    assert set(router.path_operations) == {path.replace("{case}", "{case_id}") for _, path, _, _ in ENDPOINTS}
