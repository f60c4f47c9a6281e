from govmedia.audit.events import EventType
from govmedia.demo import INSTITUTIONS
from govmedia.org.models import Unit
from govmedia.registry.models import Account, LifecycleEvent


def test_a_change_effective_on_30_september_2026_must_be_filed_by_10_october(api, clerk, weibo, audit):
    client = api(clerk)
    audit.mark()

    response = client.post(f"/accounts/{weibo.pk}/events", {
        "kind": "change", "effective_date": "2026-09-30", "changes": {"name": "吴江人社发布"}, "note": "更名",
    })

    assert response.status_code == 201
    body = response.json()
    event = LifecycleEvent.objects.get(account=weibo)
    assert (body["id"], body["kind"], body["effective_date"]) == (event.pk, "change", "2026-09-30")
    assert body["details"] == {"name": ["吴江人社", "吴江人社发布"]}
    assert body["filing"]["due_date"] == "2026-10-10"  # 国庆 rest days, then Saturday 10-10 is a make-up workday
    assert body["filing"]["provisional"] is False
    assert Account.objects.get(pk=weibo.pk).name == "吴江人社发布"
    assert audit.new() == [EventType.ACCOUNT_CHANGED]


def test_a_change_effective_on_30_december_2026_is_due_provisionally_on_5_january_2027(api, clerk, weibo):
    response = api(clerk).post(f"/accounts/{weibo.pk}/events", {"kind": "change", "effective_date": "2026-12-30"})

    assert response.status_code == 201
    assert response.json()["filing"]["due_date"] == "2027-01-05"
    assert response.json()["filing"]["provisional"] is True  # 2027's official schedule is not yet known


def test_a_closure_without_its_notice_is_refused_and_changes_nothing(api, clerk, weibo, audit):
    client = api(clerk)
    audit.mark()

    response = client.post(f"/accounts/{weibo.pk}/events", {"kind": "close", "effective_date": "2026-09-30"})

    assert response.status_code == 422
    assert response.json() == {"detail": "关停前须发布停更公告：请填写停更公告的链接或内容", "field": "notice"}
    assert Account.objects.get(pk=weibo.pk).closed_on is None
    assert audit.new() == []


def test_an_account_closed_with_its_notice_can_then_be_cancelled(api, clerk, weibo, audit):
    client = api(clerk)
    audit.mark()

    closed = client.post(f"/accounts/{weibo.pk}/events", {
        "kind": "close", "effective_date": "2026-09-30", "notice": "https://example.gov.cn/notice/1"})
    cancelled = client.post(f"/accounts/{weibo.pk}/events", {"kind": "cancel", "effective_date": "2026-10-15"})

    assert (closed.status_code, cancelled.status_code) == (201, 201)
    assert client.get(f"/accounts/{weibo.pk}").json()["status"] == "cancelled"
    assert audit.new() == [EventType.ACCOUNT_CLOSED, EventType.ACCOUNT_CANCELLED]


def test_moving_an_account_to_another_unit_needs_a_public_notice(api, office, weibo, audit):
    client = api(office)
    centre = Unit.objects.get(name=INSTITUTIONS[1][0])
    audit.mark()

    silent = client.post(f"/accounts/{weibo.pk}/events", {
        "kind": "change", "effective_date": "2026-09-30", "changes": {"unit": centre.pk}})
    announced = client.post(f"/accounts/{weibo.pk}/events", {
        "kind": "change", "effective_date": "2026-09-30", "changes": {"unit": centre.pk},
        "public_notice": "https://example.gov.cn/notice/2"})

    assert (silent.status_code, silent.json()["field"]) == (422, "public_notice")
    assert announced.status_code == 201
    moved = Account.objects.get(pk=weibo.pk)
    assert (moved.unit, moved.subject) == (centre, centre.name)
    assert audit.new() == [EventType.ACCOUNT_CHANGED]


def test_a_bad_date_is_refused_with_422_and_a_chinese_detail_naming_the_field(api, clerk, weibo, audit):
    client = api(clerk)
    audit.mark()

    response = client.post(f"/accounts/{weibo.pk}/events", {"kind": "change", "effective_date": "2026-13-01"})

    assert response.status_code == 422
    assert response.json()["detail"] == "请求有误：生效日期（effective_date）：日期格式应为 YYYY-MM-DD"
    assert [error["loc"] for error in response.json()["errors"]] == [["body", "payload", "effective_date"]]
    assert audit.new() == []


def test_an_unknown_kind_is_refused_with_422_listing_the_kinds(api, clerk, weibo):
    response = api(clerk).post(f"/accounts/{weibo.pk}/events", {"kind": "merge", "effective_date": "2026-09-30"})

    assert response.status_code == 422
    assert response.json()["detail"] == "请求有误：事项（kind）：取值应为 open、change、close、cancel"


def test_a_body_that_is_not_json_is_refused_in_chinese(api, clerk, weibo):
    client = api(clerk)

    response = client.client.post(f"/api/v1/accounts/{weibo.pk}/events", "{kind: change", content_type="application/json",
                                   headers={"Authorization": f"Bearer {client.token}"})

    assert (response.status_code, response.json()) == (400, {"detail": "请求体无法解析，应为 JSON"})


def test_an_event_on_an_account_the_caller_cannot_see_is_404(api, clerk, inspection_account):
    response = api(clerk).post(f"/accounts/{inspection_account.pk}/events",
                               {"kind": "change", "effective_date": "2026-09-30"})

    assert response.status_code == 404
    assert not LifecycleEvent.objects.filter(account=inspection_account).exists()


def test_a_signer_who_sees_the_account_cannot_record_an_event(api, leader, weibo):
    response = api(leader).post(f"/accounts/{weibo.pk}/events", {"kind": "change", "effective_date": "2026-09-30"})

    assert response.status_code == 403
    assert not LifecycleEvent.objects.filter(account=weibo).exists()
