"""Who may open which vendor page and endpoint: role × page, generated from one table (like
tests/test_permissions_matrix.py). The office records; the auditor reads; everyone else gets 403 — vendor staff
included; anonymous visitors are sent to sign in (401 from the API)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver
from django.utils import timezone
from samples import pdf_bytes, upload

from govmedia.demo import load_demo
from govmedia.org.actions import issue_token
from govmedia.org.models import Person
from govmedia.vendors import actions
from govmedia.vendors import urls as vendor_urls
from govmedia.vendors.demo import VENDOR
from govmedia.vendors.models import Assignment, Vendor

COLUMNS = ("office", "clerk", "clerk2", "chief", "deputy", "leader", "director", "auditor", "vendor", "staff1")
READ = "200 403 403 403 403 403 403 200 403 403"
WRITE = "200 403 403 403 403 403 403 403 403 403"
POST = "done 403 403 403 403 403 403 403 403 403"


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    path: str
    outcomes: str


PAGES = [
    Page("vendor_list", "GET", "/vendors/", READ),
    Page("vendor_export", "GET", "/vendors/export.xlsx", READ),
    Page("vendor_new", "GET", "/vendors/new/", WRITE),
    Page("vendor_detail", "GET", "/vendors/{vendor}/", READ),
    Page("vendor_edit", "GET", "/vendors/{vendor}/edit/", WRITE),
    Page("vendor_contract_new", "GET", "/vendors/{vendor}/contracts/new/", WRITE),
    Page("vendor_agreement_new", "GET", "/vendors/{vendor}/agreements/new/", WRITE),
    Page("vendor_staff_new", "GET", "/vendors/{vendor}/staff/new/", WRITE),
    Page("vendor_assignment_new", "GET", "/vendors/{vendor}/assignments/new/", WRITE),
    Page("vendor_supervision_new", "GET", "/vendors/{vendor}/supervisions/new/", WRITE),
    Page("vendor_assignment_end", "GET", "/vendors/assignments/{assignment}/end/", " ".join(["405"] * 10)),
    Page("vendor_assignment_end", "POST", "/vendors/assignments/{assignment}/end/", POST),
    Page("vendor_contract_file", "GET", "/vendors/contracts/{contract}/file/", READ),
    Page("vendor_agreement_file", "GET", "/vendors/agreements/{agreement}/file/", READ),
]
ENDPOINTS = [("/vendors", "200 403 403 403 403 403 403 200 403 403")]


@pytest.fixture(scope="module")
def _objects(_media, django_db_setup, django_db_blocker):
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        office = Person.objects.get(username="office")
        vendor = Vendor.objects.get(name=VENDOR)
        day = timezone.localdate()
        contract = actions.add_contract(vendor, scope="排版", responsibilities="甲方审核", starts_on=day, ends_on=day,
                                        upload=upload("合同.pdf", pdf_bytes()), actor=office)
        agreement = actions.add_agreement(vendor, signed_on=day, ends_on=day, upload=upload("协议.pdf", pdf_bytes()),
                                          actor=office)
        yield {"vendor": vendor.pk, "contract": contract.pk, "agreement": agreement.pk,
               "assignment": Assignment.objects.get(person__username="vendor").pk}
        transaction.set_rollback(True)


def _cases():
    for page in PAGES:
        label = f"{page.method} {page.path}"
        yield pytest.param(page, "anonymous", "login", id=f"{label}-anonymous")
        for persona, cell in zip(COLUMNS, page.outcomes.split(), strict=True):
            yield pytest.param(page, persona, cell, id=f"{label}-{persona}")


@pytest.mark.parametrize(("page", "persona", "expected"), list(_cases()))
def test_each_persona_gets_the_expected_answer_from_each_vendor_page(_objects, bureau, client, signed_in, page,
                                                                     persona, expected):
    if persona != "anonymous":
        client = signed_in(bureau[persona])
    path = page.path.format(**_objects)
    response = client.post(path, {}) if page.method == "POST" else client.get(path)
    if expected == "login":
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={path}")
    elif expected == "done":
        assert response.status_code == 302 and not response["Location"].startswith("/login/")
    else:
        assert response.status_code == int(expected)


@pytest.mark.parametrize(("path", "outcomes"), ENDPOINTS)
def test_each_persona_gets_the_expected_answer_from_each_vendor_endpoint(_objects, bureau, client, path, outcomes):
    assert client.get(f"/api/v1{path}").status_code == 401
    for persona, cell in zip(COLUMNS, outcomes.split(), strict=True):
        token = issue_token(bureau[persona], actor="测试")
        response = client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == int(cell), persona


def _names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        names |= _names(pattern.url_patterns) if isinstance(pattern, URLResolver) else {pattern.name}
    return names


def test_the_matrix_covers_every_vendor_page_and_endpoint():
    from govmedia.vendors.api import router

    assert _names(vendor_urls.urlpatterns) == {page.name for page in PAGES}
    assert {path for path in router.path_operations} == {path for path, _ in ENDPOINTS}
