from datetime import timedelta

from govmedia.registry import actions
from govmedia.registry.models import Account, EventKind, Status, today


def test_the_public_list_needs_no_token_and_lists_only_running_accounts(
        api, clerk, bureau_unit, new_account_body):
    preparing = api(clerk).post("/accounts", new_account_body(bureau_unit)).json()
    douyin = Account.objects.get(unit=bureau_unit, platform__name="抖音")
    actions.record_event(douyin, kind=EventKind.CLOSE, effective_date=today() - timedelta(days=1),
                         notice="https://example.gov.cn/notice/3", actor=clerk)

    response = api().get("/public/accounts")

    assert response.status_code == 200
    listed = [(row["platform_name"], row["name"]) for row in response.json()["items"]]
    running = Account.objects.in_status(Status.RUNNING).order_by("unit__sort_order", "platform__sort_order", "id")
    assert listed == [(a.platform.name, a.name) for a in running]
    assert response.json()["count"] == 5
    assert preparing["status"] == "preparing"
    assert (preparing["platform_name"], preparing["name"]) not in listed
    assert ("抖音", "吴江人社") not in listed


def test_the_public_list_shows_only_what_a_citizen_needs(api, weibo):
    rows = api().get("/public/accounts").json()["items"]

    row = next(r for r in rows if r["platform_uid"] == "wjrs")
    assert row == {"unit_name": weibo.unit.name, "platform_name": "新浪微博", "name": "吴江人社",
                   "platform_uid": "wjrs", "url": "https://example.gov.cn/wjrs"}


def test_the_public_list_ignores_a_bad_token(client, bureau):
    response = client.get("/api/v1/public/accounts", headers={"Authorization": "Bearer nonsense"})

    assert response.status_code == 200
