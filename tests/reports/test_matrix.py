"""Who may open which page of the control room: role × page × object, generated from one table.

Cells as in tests/test_permissions_matrix.py: 200 permitted, 403 seen but not permitted, 404 another unit's
object the persona cannot see, "login" a redirect to the sign-in page. For a page about one account the cell
reads "own/other": an account of the persona's unit, then one of another unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver

from govmedia.demo import load_demo
from govmedia.registry.models import Account
from govmedia.reports import urls as reports_urls

COLUMNS = ("office", "clerk", "clerk2", "chief", "deputy", "leader", "director", "auditor", "vendor", "staff1")
EVERYONE = " ".join(["200"] * len(COLUMNS))
REPORTERS = "200 200 200 200 200 200 200 200 403 200"      # outsourced operators export no management reports
UNIT_VIEW = "200/200 200/404 200/404 200/404 200/404 200/404 200/404 200/200 200/404 200/404"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    outcomes: str
    anonymous: str = "login"


PAGES = [
    Page("update_dashboard", "/dashboard/", EVERYONE),
    Page("update_dashboard_export", "/dashboard/export.xlsx", EVERYONE),
    Page("update_account", "/dashboard/accounts/{account}/", UNIT_VIEW),
    Page("report_index", "/reports/", REPORTERS),
    Page("report_docx", "/reports/report.docx", REPORTERS),
    Page("report_xlsx", "/reports/report.xlsx?kind=quarter&year=2026&number=1", REPORTERS),
    Page("compliance", "/reports/compliance/", REPORTERS),
    Page("compliance_export", "/reports/compliance.xlsx", REPORTERS),
]


def _cases():
    for page in PAGES:
        yield pytest.param(page, "anonymous", "own", page.anonymous, id=f"{page.path}-anonymous")
        for persona, cell in zip(COLUMNS, page.outcomes.split(), strict=True):
            if "{" not in page.path:
                yield pytest.param(page, persona, "own", cell, id=f"{page.path}-{persona}")
                continue
            own, other = cell.split("/")
            yield pytest.param(page, persona, "own", own, id=f"{page.path}-{persona}-own unit")
            yield pytest.param(page, persona, "other", other, id=f"{page.path}-{persona}-other unit")


@pytest.fixture(scope="module")
def _accounts(django_db_setup, django_db_blocker):
    """The demo bureau, loaded once for the module and rolled back after it."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        yield {"bureau": Account.objects.get(name="吴江人社", platform__name="微信公众号").pk,
               "institution": Account.objects.get(name="吴江劳动监察").pk}
        transaction.set_rollback(True)


@pytest.mark.parametrize(("page", "persona", "which", "expected"), list(_cases()))
def test_each_persona_gets_the_expected_answer_from_each_page(_accounts, bureau, client, signed_in, page, persona,
                                                              which, expected):
    person = None if persona == "anonymous" else bureau[persona]
    if person is not None:
        client = signed_in(person)
    own = "institution" if person is not None and person.unit.kind == "institution" else "bureau"
    unit = own if which == "own" else {"bureau": "institution", "institution": "bureau"}[own]
    path = page.path.format(account=_accounts[unit])
    response = client.get(path)
    if expected == "login":
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={quote(path, safe='/')}")
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


def test_the_matrix_covers_every_page_of_the_reports_app():
    assert _names(reports_urls.urlpatterns) == {page.name for page in PAGES}
