"""GET /api/v1/rectifications and the answer/accept/reopen endpoints, as a client sees them."""

from __future__ import annotations

import pytest
import time_machine
from jsonapi import Api

from govmedia.inspections import actions
from govmedia.inspections.models import Rectification
from govmedia.org.actions import issue_token


@pytest.fixture
def api(client, bureau):
    return lambda person: Api(client, issue_token(person, actor="测试"))


def test_the_list_carries_account_source_due_date_and_status(api, office, weibo, brigade, make_item):
    with time_machine.travel("2026-06-08 09:00 +0800", tick=False):
        mine = make_item(weibo, severity="severe")
        make_item(brigade)
    with time_machine.travel("2026-06-10 09:00 +0800", tick=False):
        body = api(office).get("/rectifications", source="patrol", status="overdue").json()
    assert body["count"] == 1
    row = body["items"][0]
    assert row["id"] == mine.pk
    assert (row["account"], row["account_name"], row["platform_name"]) == (weibo.pk, "吴江人社", "新浪微博")
    assert (row["unit"], row["source"], row["severity"], row["severity_label"]) == (weibo.unit_id, "patrol", "severe",
                                                                                   "严重")
    assert (row["due_date"], row["status"], row["status_label"]) == ("2026-06-09", "overdue", "逾期未整改")
    assert row["post"] == mine.post_id and row["inspection"] is None


def test_each_unit_lists_only_its_own_items_and_the_office_all(api, office, clerk, outsider, weibo, brigade,
                                                               make_item):
    ours, theirs = make_item(weibo), make_item(brigade)
    everything = {r["id"] for r in api(office).get("/rectifications", limit=200).json()["items"]}
    assert {ours.pk, theirs.pk} <= everything and len(everything) == Rectification.objects.count()
    assert theirs.pk not in {r["id"] for r in api(clerk).get("/rectifications", limit=200).json()["items"]}
    assert {r["id"] for r in api(outsider).get("/rectifications", limit=200).json()["items"]} == set(
        Rectification.objects.filter(unit=brigade.unit).values_list("id", flat=True))
    assert api(clerk).get(f"/rectifications/{theirs.pk}").status_code == 404


def test_filters_and_pages(api, office, weibo, brigade, make_item):
    items = [make_item(weibo) for _ in range(3)]
    first = api(office).get("/rectifications", account=weibo.pk, limit=2).json()
    second = api(office).get("/rectifications", account=weibo.pk, limit=2, offset=2).json()
    assert first["count"] == second["count"] == 3
    assert [r["id"] for r in first["items"] + second["items"]] == [i.pk for i in items]
    assert api(office).get("/rectifications", unit=brigade.unit_id, source="patrol").json()["count"] == 0
    refused = api(office).get("/rectifications", status="closed")
    assert refused.status_code == 422 and "状态（status）：取值应为" in refused.json()["detail"]


def test_the_unit_answers_then_the_office_reopens_and_accepts(api, office, clerk, weibo, make_item):
    item = make_item(weibo)
    detail = api(clerk).get(f"/rectifications/{item.pk}").json()
    assert detail["allowed_actions"] == ["answer"] and detail["events"] == []

    answered = api(clerk).post(f"/rectifications/{item.pk}/answer", {"text": "已删除原文"})
    assert answered.status_code == 200
    body = answered.json()
    assert body["status"] == "answered" and body["allowed_actions"] == []
    assert [(e["kind"], e["actor"], e["text"]) for e in body["events"]] == [("answered", "李明", "已删除原文")]
    assert api(office).get(f"/rectifications/{item.pk}").json()["allowed_actions"] == ["accept", "reopen"]

    again = api(clerk).post(f"/rectifications/{item.pk}/answer", {"text": "再次提交"})
    assert again.status_code == 409 and again.json()["detail"] == "该整改事项当前为「待验收」，不能提交整改材料"

    reopened = api(office).post(f"/rectifications/{item.pk}/reopen", {"reason": "原文仍可访问"}).json()
    assert reopened["status"] == "open" and reopened["events"][-1]["due_date"] == reopened["due_date"]
    api(clerk).post(f"/rectifications/{item.pk}/answer", {"text": "已在后台删除"})
    accepted = api(office).post(f"/rectifications/{item.pk}/accept", {"note": "同意"}).json()
    assert accepted["status"] == "accepted" and accepted["accepted_at"] is not None


def test_refusals_name_the_field_and_change_nothing(api, office, clerk, weibo, make_item, audit):
    item = make_item(weibo)
    as_clerk, as_office = api(clerk), api(office)  # issuing the tokens is audited: before the mark
    audit.mark()
    empty = as_clerk.post(f"/rectifications/{item.pk}/answer", {"text": " "})
    assert empty.status_code == 422 and empty.json() == {"detail": "请填写整改情况说明（做了什么、何时完成）",
                                                         "field": "text"}
    missing = as_clerk.post(f"/rectifications/{item.pk}/answer", {})
    assert missing.status_code == 422 and "缺少此项" in missing.json()["detail"]
    forbidden = as_office.post(f"/rectifications/{item.pk}/answer", {"text": "代为整改"})
    assert forbidden.status_code == 403 and "信息员" in forbidden.json()["detail"]
    early = as_office.post(f"/rectifications/{item.pk}/accept", {})
    assert early.status_code == 409 and "不能验收" in early.json()["detail"]
    assert audit.new() == [] and Rectification.objects.get(pk=item.pk).answered_at is None


def test_an_answer_through_the_api_is_the_same_action(api, clerk, weibo, make_item):
    item = make_item(weibo)
    api(clerk).post(f"/rectifications/{item.pk}/answer", {"text": "已整改"})
    with pytest.raises(actions.RectificationError):
        actions.answer_rectification(item, text="重复", actor=clerk)


def test_the_endpoints_are_in_the_openapi_spec(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/rectifications", "/api/v1/rectifications/{item_id}", "/api/v1/rectifications/{item_id}/answer",
            "/api/v1/rectifications/{item_id}/accept", "/api/v1/rectifications/{item_id}/reopen"} <= set(paths)
