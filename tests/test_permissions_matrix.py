"""Who may open which page: a role × page × object matrix generated from one table (NetBox-style).

Each row of PAGES names a page and the status each persona gets. For a page about one object the cell reads
"own/other": the object in the persona's unit, then an object of another unit. Outcomes: 200 permitted,
403 seen but not permitted, 404 another unit's object the persona cannot see, 405 wrong method,
"login" a redirect to the sign-in page, "done" a permitted POST that redirects onwards, "home" the sign-in
page sending a signed-in person home.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver

from govmedia.audit import urls as audit_urls
from govmedia.checks import urls as checks_urls
from govmedia.demo import load_demo
from govmedia.org.models import Person
from govmedia.registry import actions
from govmedia.registry import urls as registry_urls
from govmedia.registry.models import Account, EventKind, Filing, Platform
from govmedia.web import urls as web_urls
from govmedia.workcal import urls as workcal_urls

COLUMNS = ("office", "clerk", "clerk2", "chief", "deputy", "leader", "director", "auditor", "vendor", "staff1")
EVERYONE = " ".join(["200"] * len(COLUMNS))
EDITORS = "200 200 200 200 200 403 200 403 403 200"          # leader, auditor and vendor change nothing
UNIT_VIEW = "200/200 200/404 200/404 200/404 200/404 200/404 200/404 200/200 200/404 200/404"
UNIT_EDIT = "200/200 200/404 200/404 200/404 200/404 403/404 200/404 403/403 403/404 200/404"
OFFICE_POST = "done " + " ".join(["403"] * (len(COLUMNS) - 1))
CALENDAR_POST = {"day": "2027-01-04", "is_workday": "0", "note": "矩阵测试"}


@dataclass(frozen=True)
class Page:
    name: str            # the URL name, so the coverage test can prove every page is here
    method: str
    path: str            # {account}, {filing}, {platform} are filled in per persona
    anonymous: str
    outcomes: str        # one cell per COLUMNS entry
    data: dict | None = None


PAGES = [
    Page("home", "GET", "/", "login", EVERYONE),
    Page("login", "GET", "/login/", "200", " ".join(["home"] * len(COLUMNS))),
    Page("logout", "GET", "/logout/", "405", " ".join(["405"] * len(COLUMNS))),
    Page("password_change", "GET", "/password/", "login", EVERYONE),
    Page("account_list", "GET", "/accounts/", "login", EVERYONE),
    Page("account_export", "GET", "/accounts/export.xlsx", "login", EVERYONE),
    Page("ledger_import", "GET", "/accounts/import/", "login", EDITORS),
    Page("ledger_template", "GET", "/accounts/import/template.xlsx", "login", EVERYONE),
    Page("account_new", "GET", "/accounts/new/", "login", EDITORS),
    Page("account_detail", "GET", "/accounts/{account}/", "login", UNIT_VIEW),
    *[Page("event_new", "GET", f"/accounts/{{account}}/events/{kind}/", "login", UNIT_EDIT) for kind in EventKind],
    Page("filing_list", "GET", "/filings/", "login", EVERYONE),
    Page("filing_complete", "GET", "/filings/{filing}/", "login", UNIT_EDIT),
    Page("consolidation", "GET", "/consolidation/", "login", EVERYONE),
    Page("platform_list", "GET", "/platforms/", "login", EVERYONE),
    Page("platform_list", "POST", "/platforms/", "login", OFFICE_POST, {"name": "矩阵平台"}),
    Page("platform_toggle", "GET", "/platforms/{platform}/toggle/", "login", " ".join(["405"] * len(COLUMNS))),
    Page("platform_toggle", "POST", "/platforms/{platform}/toggle/", "login", OFFICE_POST, {}),
    Page("public_accounts", "GET", "/public/accounts/", "200", EVERYONE),
    Page("calendar", "GET", "/calendar/", "login", EVERYONE),
    Page("calendar", "POST", "/calendar/", "login", OFFICE_POST, CALENDAR_POST),
    Page("audit_list", "GET", "/audit/", "login", "403 403 403 403 403 403 403 200 403 403"),
    Page("check", "GET", "/check/", "login", EVERYONE),
    Page("mask", "GET", "/check/mask/", "login", " ".join(["405"] * len(COLUMNS))),
    # The sign-in's second step (signed-in personas have given it) and the 安全管理员's pages, which the auditor
    # reads; the secadmin and sysadmin columns are in tests/org/test_signin_matrix.py.
    Page("otp_verify", "GET", "/login/verify/", "login", " ".join(["home"] * len(COLUMNS))),
    Page("otp_setup", "GET", "/login/setup/", "login", " ".join(["home"] * len(COLUMNS))),
    *[Page(name, "GET", f"/secadmin/{part}/", "login", "403 403 403 403 403 403 403 200 403 403")
      for name, part in (("secadmin_lockouts", "lockouts"), ("secadmin_sessions", "sessions"),
                         ("secadmin_failures", "failures"), ("secadmin_devices", "devices"))],
    *[Page(name, "POST", path, "login", " ".join(["403"] * len(COLUMNS)), data)
      for name, path, data in (("secadmin_unlock", "/secadmin/lockouts/unlock/", {"username": "clerk"}),
                               ("secadmin_end_session", "/secadmin/sessions/clerk/end/", {}),
                               ("secadmin_reset_device", "/secadmin/devices/office/reset/", {}))],
]


def _cases():
    for page in PAGES:
        label = f"{page.method} {page.path}"
        yield pytest.param(page, "anonymous", "own", page.anonymous, id=f"{label}-anonymous")
        for persona, cell in zip(COLUMNS, page.outcomes.split(), strict=True):
            if "{" not in page.path or "{platform}" in page.path:
                yield pytest.param(page, persona, "own", cell, id=f"{label}-{persona}")
                continue
            own, other = cell.split("/")
            yield pytest.param(page, persona, "own", own, id=f"{label}-{persona}-own unit")
            yield pytest.param(page, persona, "other", other, id=f"{label}-{persona}-other unit")


@pytest.fixture(scope="module")
def _objects(django_db_setup, django_db_blocker):
    """The demo bureau and a filing on an institution's account, loaded once, rolled back after the module."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        office = Person.objects.get(username="office")
        bureau_account = Account.objects.get(name="吴江人社", platform__name="微信公众号")
        institution_account = Account.objects.get(name="吴江劳动监察")
        actions.record_event(institution_account, kind=EventKind.CHANGE, effective_date=date(2026, 6, 1),
                             note="矩阵测试", actor=office)
        yield {
            "bureau": {"account": bureau_account.pk,
                       "filing": Filing.objects.filter(event__account__unit=bureau_account.unit).first().pk},
            "institution": {"account": institution_account.pk,
                            "filing": Filing.objects.get(event__account=institution_account).pk},
            "platform": Platform.objects.get(name="快手").pk,
        }
        transaction.set_rollback(True)


def _path(page: Page, persona: Person | None, which: str, objects: dict) -> str:
    own_unit = "institution" if persona is not None and persona.unit.kind == "institution" else "bureau"
    unit = own_unit if which == "own" else {"bureau": "institution", "institution": "bureau"}[own_unit]
    return page.path.format(platform=objects["platform"], **objects[unit])


@pytest.mark.parametrize(("page", "persona", "which", "expected"), list(_cases()))
def test_each_persona_gets_the_expected_answer_from_each_page(
    _objects, bureau, client, signed_in, page, persona, which, expected
):
    person = None if persona == "anonymous" else bureau[persona]
    if person is not None:
        client = signed_in(person)
    path = _path(page, person, which, _objects)
    response = client.post(path, page.data) if page.method == "POST" else client.get(path)
    if expected == "login":
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={path}")
    elif expected == "home":
        assert (response.status_code, response["Location"]) == (302, "/")
    elif expected == "done":
        assert response.status_code == 302
        assert not response["Location"].startswith("/login/")
    else:
        assert response.status_code == int(expected)


def _names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _names(pattern.url_patterns)
        else:
            names.add(pattern.name)
    return names


def test_the_matrix_covers_every_page():
    pages = set().union(*(_names(m.urlpatterns) for m in (registry_urls, web_urls, workcal_urls, audit_urls, checks_urls)))
    assert pages == {page.name for page in PAGES}


def test_the_matrix_has_a_cell_for_every_persona_on_every_page():
    for page in PAGES:
        cells = page.outcomes.split()
        assert len(cells) == len(COLUMNS), page
        assert all(("/" in cell) == ("{account}" in page.path or "{filing}" in page.path) for cell in cells), page
