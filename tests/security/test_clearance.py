"""第十二条(二): 保密审查 and 岗前培训 before the post — without both dates nobody becomes custodian, manager or
reviewer; the office records the dates on the people page (audited)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from govmedia.audit.events import EventType
from govmedia.demo import BUREAU, DEMO_PASSWORD
from govmedia.org import actions as org
from govmedia.org.actions import ClearanceError
from govmedia.org.models import Person, Role, Unit
from govmedia.registry.actions import RegistryError
from govmedia.registry.models import today
from govmedia.security import actions
from govmedia.security.actions import SecurityError

from .helpers import kuaishou

RULE = "（第十二条(二)：上岗前须通过保密审查，完成岗前安全及业务培训）"


@pytest.fixture
def newbie(bureau):
    """A new colleague of the bureau with no role and neither date recorded."""
    return org.create_person(username="newbie", password=DEMO_PASSWORD, full_name="新同事",
                             unit=Unit.objects.get(name=BUREAU), actor="测试")


@pytest.mark.parametrize("role", [Role.CLERK, Role.SECTION_CHIEF, Role.SIGNER, Role.DIRECTOR])
def test_no_review_role_without_clearance_and_training(newbie, office, role):
    with pytest.raises(ClearanceError) as refused:
        org.grant_role(newbie, role, actor=office)
    assert str(refused.value) == f"「新同事」尚未登记保密审查和岗前培训日期，不能担任{role.label}{RULE}"
    assert not newbie.role_grants.exists()


def test_a_role_that_does_not_review_needs_no_clearance(newbie, office):
    assert org.grant_role(newbie, Role.VENDOR, actor=office)


def test_once_both_dates_are_recorded_the_role_can_be_granted(newbie, office, audit):
    audit.mark()
    actions.record_clearance(newbie, clearance_on=date(2026, 3, 1), trained_on=date(2026, 3, 8), actor=office)
    newbie.refresh_from_db()
    assert org.grant_role(newbie, Role.CLERK, actor=office)
    assert audit.new() == [EventType.CLEARANCE_RECORDED, EventType.ROLE_GRANTED]


def test_training_alone_is_not_enough(newbie, office):
    actions.record_clearance(newbie, clearance_on=None, trained_on=date(2026, 3, 8), actor=office)
    newbie.refresh_from_db()
    with pytest.raises(ClearanceError, match="尚未登记保密审查日期，不能担任科室负责人"):
        org.grant_role(newbie, Role.SECTION_CHIEF, actor=office)


def test_no_account_manager_without_clearance(newbie, office):
    with pytest.raises(RegistryError) as refused:
        kuaishou(managers=[newbie])
    assert refused.value.field == "managers"
    assert refused.value.message == f"「新同事」尚未登记保密审查和岗前培训日期，不能担任专职管理人员{RULE}"


def test_the_api_refuses_a_manager_without_clearance(newbie, office, api):
    body = {"unit": newbie.unit_id, "platform": "快手", "name": "吴江人社快手号", "subject": BUREAU,
            "managers": ["newbie"], "preconditions": {
                "managing_body": "办公室", "trained_staff": "信息员1名", "funding": "预算", "rules": "制度"}}
    response = api(office).post("/accounts", body)
    assert response.status_code == 422
    assert response.json()["field"] == "managers"
    assert "「新同事」尚未登记保密审查和岗前培训日期" in response.json()["detail"]


def test_clearance_dates_cannot_be_in_the_future_and_unchanged_dates_write_nothing(newbie, office, audit):
    with pytest.raises(SecurityError, match="保密审查日期不能晚于今天"):
        actions.record_clearance(newbie, clearance_on=today() + timedelta(days=1), trained_on=None, actor=office)
    audit.mark()
    actions.record_clearance(newbie, clearance_on=None, trained_on=None, actor=office)
    assert audit.new() == []


def test_the_office_records_the_dates_on_the_person_page(newbie, office, signed_in, audit):
    client = signed_in(office)
    audit.mark()
    response = client.post("/security/people/newbie/", {"clearance_on": "2026-03-01", "trained_on": "2026-03-08"})
    assert (response.status_code, response["Location"]) == (302, "/security/people/newbie/")
    newbie = Person.objects.get(username="newbie")
    assert (newbie.clearance_on, newbie.trained_on) == (date(2026, 3, 1), date(2026, 3, 8))
    assert audit.new() == [EventType.CLEARANCE_RECORDED]
    page = client.get("/security/people/newbie/").content.decode()
    assert "2026-03-01" in page and "2026-03-08" in page


def test_the_people_list_shows_who_is_missing_a_date(newbie, office, signed_in):
    client = signed_in(office)
    response = client.get("/security/people/", {"state": "missing"})
    assert [p.username for p in response.context["page"]] == ["newbie"]
    everyone = client.get("/security/people/").context["page"]
    assert len(everyone) == Person.objects.count()


def test_the_auditor_reads_the_people_page_but_changes_nothing(newbie, auditor, signed_in):
    client = signed_in(auditor)
    assert client.get("/security/people/newbie/").status_code == 200
    assert client.post("/security/people/newbie/", {"clearance_on": "2026-03-01"}).status_code == 403
    assert Person.objects.get(username="newbie").clearance_on is None


def test_the_api_records_clearance_for_the_office_only(newbie, office, clerk, api):
    body = {"clearance_on": "2026-03-01", "trained_on": "2026-03-08"}
    assert api(clerk).post("/people/newbie/clearance", body).status_code == 403
    response = api(office).post("/people/newbie/clearance", body)
    assert response.status_code == 200
    assert response.json() == {"username": "newbie", "full_name": "新同事", "unit": newbie.unit_id,
                               "clearance_on": "2026-03-01", "trained_on": "2026-03-08", "departed_on": None,
                               "is_active": True, "roles": []}
