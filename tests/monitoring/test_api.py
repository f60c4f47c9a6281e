"""POST/GET /api/v1/posts and /api/v1/interactions as a client sees them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from govmedia.audit.events import EventType
from govmedia.monitoring.models import Interaction, Post


def _body(account, **overrides) -> dict:
    when = (timezone.now() - timedelta(hours=3)).replace(microsecond=0)
    return {"account": account.pk, "published_at": when.isoformat(), "title": "社保卡线上补办指南",
            "url": "https://mp.weixin.qq.com/s/api-1", "kind": "original", "text": "正文", "external_id": "",
            **overrides}


def test_a_post_reported_through_the_api_is_created_once(api, clerk, wechat, audit):
    client = api(clerk)
    audit.mark()

    created = client.post("/posts", _body(wechat))
    repeated = client.post("/posts", _body(wechat, title="重试时标题不同"))

    assert created.status_code == 201
    assert repeated.status_code == 200
    body = created.json()
    assert repeated.json()["id"] == body["id"]
    recorded_at = body.pop("recorded_at")
    assert recorded_at
    assert body == {
        "id": body["id"], "account": wechat.pk, "account_name": "吴江人社", "unit": wechat.unit_id,
        "unit_name": wechat.unit.name, "platform_name": "微信公众号", "published_at": body["published_at"],
        "title": "社保卡线上补办指南", "url": "https://mp.weixin.qq.com/s/api-1", "kind": "original",
        "kind_label": "原创", "text": "正文", "source": "api", "source_label": "接口报送",
        "external_id": "https://mp.weixin.qq.com/s/api-1", "publication": None,
    }
    assert audit.new() == [EventType.POST_RECORDED]


def test_a_time_without_an_offset_is_beijing_time(api, clerk, wechat):
    response = api(clerk).post("/posts", _body(wechat, published_at="2026-03-02T09:30:00"))

    assert datetime.fromisoformat(response.json()["published_at"]) == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def test_bad_posts_are_refused_with_the_field_named(api, clerk, wechat):
    client = api(clerk)

    future = client.post("/posts", _body(wechat, published_at=(timezone.now() + timedelta(days=1)).isoformat()))
    no_title = client.post("/posts", _body(wechat, title=" "))
    bad_kind = client.post("/posts", _body(wechat, kind="copy"))
    bad_url = client.post("/posts", _body(wechat, url="weixin"))

    assert (future.status_code, future.json()["field"]) == (422, "published_at")
    assert "晚于当前时间" in future.json()["detail"]
    assert no_title.json() == {"detail": "请填写标题", "field": "title"}
    assert bad_kind.status_code == 422 and "取值应为 original、reprint" in bad_kind.json()["detail"]
    assert (bad_url.status_code, bad_url.json()["field"]) == (422, "url")


def test_who_may_report_posts_for_an_account(api, wechat, brigade, vendor, leader, auditor, outsider, office):
    assert api(vendor).post("/posts", _body(wechat, title="外包人员报送")).status_code == 201
    assert api(office).post("/posts", _body(brigade, title="局办公室报送")).status_code == 201
    leader_answer = api(leader).post("/posts", _body(wechat, title="签发人"))
    auditor_answer = api(auditor).post("/posts", _body(brigade, title="审计员"))
    unseen = api(outsider).post("/posts", _body(wechat, title="他单位"))

    assert (leader_answer.status_code, auditor_answer.status_code) == (403, 403)
    assert leader_answer.json()["detail"] == "您无权报送微信公众号「吴江人社」的发布内容"
    assert unseen.json() == {"detail": f"账号（编号 {wechat.pk}）不存在", "field": "account"}
    assert unseen.status_code == 422
    assert not Post.objects.filter(title__in=["签发人", "审计员", "他单位"]).exists()


def test_the_post_list_shows_the_callers_units_newest_first_and_filters(api, office, outsider, wechat, brigade):
    everything = api(office).get("/posts").json()
    own = api(outsider).get("/posts").json()
    since = (timezone.now() - timedelta(days=7)).isoformat()
    recent = api(office).get("/posts", account=wechat.pk, since=since).json()
    until = api(office).get("/posts", unit=brigade.unit_id, until=since).json()
    paged = api(office).get("/posts", limit=2, offset=1).json()

    assert everything["count"] == Post.objects.count()
    times = [row["published_at"] for row in everything["items"]]
    assert times == sorted(times, reverse=True)
    assert {row["account"] for row in own["items"]} == {brigade.pk} and own["count"] == 2
    assert [row["title"] for row in recent["items"]] == ["2026年度灵活就业人员社保补贴申领指南",
                                                         "转发：人社部等部门关于做好高校毕业生等青年就业创业工作的通知"]
    assert until["count"] == 2 and {row["unit"] for row in until["items"]} == {brigade.unit_id}
    assert [row["id"] for row in paged["items"]] == [row["id"] for row in everything["items"][1:3]]


def test_unanswered_interactions_are_listed_for_the_callers_units(api, office, outsider, brigade):
    unanswered = api(office).get("/interactions", unanswered=1).json()
    own = api(outsider).get("/interactions").json()

    assert unanswered["count"] == Interaction.objects.filter(replied_at__isnull=True).count() == 3
    assert all(row["answered"] is False and row["replied_at"] is None for row in unanswered["items"])
    assert [(row["account"], row["answered"]) for row in own["items"]] == [(brigade.pk, True)]


def test_a_reply_is_recorded_through_the_api(api, clerk, leader, outsider, wechat):
    waiting = Interaction.objects.get(account=wechat, replied_at__isnull=True)

    refused = api(leader).post(f"/interactions/{waiting.pk}/reply", {"reply": "好的"})
    hidden = api(outsider).post(f"/interactions/{waiting.pk}/reply", {"reply": "好的"})
    empty = api(clerk).post(f"/interactions/{waiting.pk}/reply", {"reply": " "})
    done = api(clerk).post(f"/interactions/{waiting.pk}/reply", {"reply": "您好，请携带身份证和失业证明。"})
    again = api(clerk).post(f"/interactions/{waiting.pk}/reply", {"reply": "另一个回复"})

    assert (refused.status_code, hidden.status_code) == (403, 404)
    assert empty.json() == {"detail": "请填写回复内容", "field": "reply"}
    assert done.status_code == 200 and done.json()["answered"] is True
    assert again.status_code == 409
