"""GET /api/v1/incidents and /api/v1/incidents/{id}: the pages' filters and permissions over JSON."""

from __future__ import annotations

from govmedia.incidents import actions
from govmedia.incidents.models import Incident


def test_the_list_carries_what_a_client_needs(api, office, stolen, weibo):
    response = api(office).get("/incidents", status="open", kind="stolen")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["items"]
    assert row["id"] == stolen.pk and row["accounts"] == [weibo.pk]
    assert (row["kind"], row["kind_label"], row["severity"], row["status"]) == ("stolen", "账号被盗", "severe", "open")
    assert row["unit_name"] == "苏州市吴江区人力资源和社会保障局" and row["closed_at"] is None


def test_the_list_shows_a_person_only_their_units_incidents(api, outsider, clerk, institution, bureau_unit):
    seen = {i["unit"] for i in api(outsider).get("/incidents").json()["items"]}
    assert seen == {institution.pk}
    assert {i["unit"] for i in api(clerk).get("/incidents").json()["items"]} == {bureau_unit.pk}
    assert api(clerk).get("/incidents", unit=institution.pk).json()["count"] == 0


def test_the_list_pages_and_filters_by_dates(api, auditor):
    all_ = api(auditor).get("/incidents", limit=1)
    assert all_.json()["count"] == Incident.objects.count() and len(all_.json()["items"]) == 1
    assert api(auditor).get("/incidents", occurred_from="2999-01-01").json()["count"] == 0


def test_a_bad_filter_is_refused_in_chinese(api, office):
    response = api(office).get("/incidents", kind="flood")
    assert response.status_code == 422
    assert "取值应为 stolen、wrong_post、leak、counterfeit、app_attacked" in response.json()["detail"]


def test_an_incident_with_its_timeline(api, clerk, stolen):
    actions.add_action(stolen, taken_at=stolen.occurred_at, what="冻结账号", actor=clerk)
    body = api(clerk).get(f"/incidents/{stolen.pk}").json()
    assert body["description"] == "账号被异地登录并发布广告。"
    assert [(a["taken_by"], a["what"]) for a in body["actions"]] == [("李明", "冻结账号")]


def test_another_units_incident_is_not_found_and_a_vendor_is_refused(api, outsider, vendor, stolen):
    assert api(outsider).get(f"/incidents/{stolen.pk}").status_code == 404
    assert api(vendor).get("/incidents").status_code == 403
    assert api(vendor).get(f"/incidents/{stolen.pk}").status_code == 403
    assert api().get("/incidents").status_code == 401
