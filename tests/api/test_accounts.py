from django.db import connection
from django.test.utils import CaptureQueriesContext

from govmedia.audit.events import EventType
from govmedia.demo import BUREAU, INSTITUTIONS
from govmedia.org.models import Unit
from govmedia.registry.models import Account, Platform


def test_the_clerk_sees_only_the_bureau_among_the_units(api, clerk):
    response = api(clerk).get("/units")

    assert response.status_code == 200
    assert response.json() == [{"id": clerk.unit_id, "name": BUREAU, "short_name": "区人社局", "kind": "bureau"}]


def test_the_office_sees_every_unit(api, office):
    names = [unit["name"] for unit in api(office).get("/units").json()]

    assert names == [BUREAU, *(name for name, _ in INSTITUTIONS)]


def test_platforms_are_listed_with_their_approval(api, clerk):
    body = api(clerk).get("/platforms").json()

    assert body[0] == {"id": Platform.objects.get(name="微信公众号").pk, "name": "微信公众号", "approved": True}
    assert len(body) == Platform.objects.count()


def test_the_office_sees_the_accounts_of_every_unit(api, office):
    body = api(office).get("/accounts").json()

    assert body["count"] == Account.objects.count() == 6
    assert {row["unit"] for row in body["items"]} == set(Unit.objects.values_list("pk", flat=True))


def test_an_institutions_clerk_sees_only_its_own_units_accounts(api, outsider, inspection_account):
    body = api(outsider).get("/accounts").json()

    assert body["count"] == 1
    assert [row["id"] for row in body["items"]] == [inspection_account.pk]


def test_the_account_list_filters_by_unit_platform_status_and_text(api, office, weibo, bureau_unit):
    client = api(office)

    by_platform = client.get("/accounts", platform=weibo.platform_id).json()
    by_unit = client.get("/accounts", unit=bureau_unit.pk).json()
    by_text = client.get("/accounts", q="视频号").json()
    preparing = client.get("/accounts", status="preparing").json()

    assert [row["id"] for row in by_platform["items"]] == [weibo.pk]
    assert by_unit["count"] == 4
    assert [row["name"] for row in by_text["items"]] == ["吴江人社视频号"]
    assert preparing == {"items": [], "count": 0}


def test_the_account_list_pages_with_a_bounded_limit(api, office):
    client = api(office)

    page = client.get("/accounts", limit=2, offset=2).json()
    too_many = client.get("/accounts", limit=201)

    assert (len(page["items"]), page["count"]) == (2, 6)
    assert too_many.status_code == 422
    assert "每页条数（limit）：不能大于 200" in too_many.json()["detail"]


def test_an_account_reads_with_every_field_of_the_ledger(api, clerk, weibo):
    body = api(clerk).get(f"/accounts/{weibo.pk}").json()

    created_at = body.pop("created_at")
    assert created_at.startswith(f"{weibo.created_at:%Y-%m-%d}")
    # Derived states, tested with their own boundaries in tests/monitoring and tests/security.
    assert set(body.pop("update")) == {"last_post_at", "status", "due_at"}
    assert set(body.pop("security")) == {"password_changed_at", "password_due_at", "status"}
    assert body == {
        "id": weibo.pk, "unit": weibo.unit_id, "unit_name": BUREAU, "platform": weibo.platform_id,
        "platform_name": "新浪微博", "name": "吴江人社", "platform_uid": "wjrs", "url": "https://example.gov.cn/wjrs",
        "subject": BUREAU, "purpose": "发布人社政策、办事指南，回应群众关切", "managers": ["clerk2"],
        "preconditions": weibo.preconditions, "opened_on": f"{weibo.opened_on:%Y-%m-%d}", "closed_on": None,
        "cancelled_on": None, "status": "running", "status_label": "运行", "events": [],
    }
    assert set(body["preconditions"]) == {"managing_body", "trained_staff", "funding", "rules"}


def test_an_account_lists_its_events_each_with_its_filing(api, clerk):
    video = Account.objects.get(name="吴江人社视频号")

    events = api(clerk).get(f"/accounts/{video.pk}").json()["events"]

    assert [(e["kind"], e["recorded_by"]) for e in events] == [("change", "office（王芳）"), ("open", "office（王芳）")]
    assert events[0]["details"] == {"url": ["", "https://example.gov.cn/wjrs_video"]}
    assert set(events[0]["filing"]) == {"id", "due_date", "provisional", "status", "filed_on", "reference"}


def test_a_bureau_clerk_gets_404_for_an_institutions_account(api, clerk, inspection_account):
    response = api(clerk).get(f"/accounts/{inspection_account.pk}")

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到"}


def test_an_account_that_does_not_exist_is_404(api, office):
    assert api(office).get("/accounts/99999").status_code == 404


def test_registering_an_account_answers_201_with_it_in_preparation_and_audits_it_once(
        api, clerk, bureau_unit, new_account_body, audit):
    client = api(clerk)
    audit.mark()

    response = client.post("/accounts", new_account_body(bureau_unit, managers=["clerk", "clerk2"]))

    assert response.status_code == 201
    body = response.json()
    account = Account.objects.get(pk=body["id"])
    assert (body["status"], body["status_label"], body["opened_on"]) == ("preparing", "筹备", None)
    assert body["managers"] == ["clerk", "clerk2"]
    assert (body["platform_name"], body["unit_name"]) == ("快手", BUREAU)
    assert account.preconditions == body["preconditions"]
    assert audit.new() == [EventType.ACCOUNT_REGISTERED]


def test_registering_with_an_opening_date_opens_it_and_creates_its_filing(
        api, clerk, bureau_unit, new_account_body, audit):
    client = api(clerk)
    audit.mark()

    response = client.post("/accounts", new_account_body(bureau_unit, opened_on="2026-09-30"))

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["opened_on"]) == ("running", "2026-09-30")
    events = client.get(f"/accounts/{response.json()['id']}").json()["events"]
    assert [(e["kind"], e["filing"]["due_date"]) for e in events] == [("open", "2026-10-10")]
    assert audit.new() == [EventType.ACCOUNT_REGISTERED, EventType.ACCOUNT_OPENED]


def test_read_only_fields_sent_back_from_a_get_are_ignored(api, clerk, bureau_unit, new_account_body):
    body = new_account_body(bureau_unit, id=1, status="running", unit_name="别的单位", closed_on="2020-01-01",
                            created_at="2020-01-01T00:00:00Z", events=[{"kind": "open"}])

    response = api(clerk).post("/accounts", body)

    assert response.status_code == 201
    assert response.json()["id"] != 1
    assert (response.json()["status"], response.json()["closed_on"]) == ("preparing", None)
    assert response.json()["unit_name"] == BUREAU


def test_a_platform_may_be_given_by_name(api, clerk, bureau_unit, new_account_body):
    response = api(clerk).post("/accounts", new_account_body(bureau_unit, platform="小红书"))

    assert response.status_code == 201
    assert response.json()["platform_name"] == "小红书"


def test_a_second_account_of_a_unit_on_one_platform_is_refused_naming_the_existing_one(
        api, clerk, bureau_unit, weibo, new_account_body, audit):
    client = api(clerk)
    audit.mark()

    response = client.post("/accounts", new_account_body(bureau_unit, platform=weibo.platform_id, name="吴江人社2"))

    assert response.status_code == 422
    assert response.json() == {
        "detail": f"「{BUREAU}」在新浪微博已有账号「吴江人社」，一个单位在同一平台原则上只开设一个账号，"
                  "请将信息发布、互动交流、办事服务集成到该账号（第五条）",
        "field": "platform",
    }
    assert Account.objects.filter(platform=weibo.platform).count() == 1
    assert audit.new() == []


def test_an_account_without_every_opening_precondition_is_refused(api, clerk, bureau_unit, new_account_body):
    preconditions = {"managing_body": "办公室", "trained_staff": "已培训", "funding": "预算"}

    response = api(clerk).post("/accounts", new_account_body(bureau_unit, preconditions=preconditions))

    assert response.status_code == 422
    assert response.json()["detail"] == "开设条件不完整：缺少「政务新媒体各项管理制度健全、完备」的佐证材料（第四条）"


def test_a_manager_from_another_unit_is_refused_by_username(api, clerk, bureau_unit, new_account_body):
    response = api(clerk).post("/accounts", new_account_body(bureau_unit, managers=["clerk", "staff1"]))

    assert response.status_code == 422
    assert response.json() == {"detail": f"专职管理人员「staff1」不是「{BUREAU}」的在岗人员", "field": "managers"}


def test_an_unknown_unit_or_platform_is_refused_with_422(api, office, bureau_unit, new_account_body):
    client = api(office)

    no_unit = client.post("/accounts", new_account_body(bureau_unit, unit=99999))
    no_platform = client.post("/accounts", new_account_body(bureau_unit, platform="脸书"))

    assert (no_unit.status_code, no_unit.json()["detail"]) == (422, "主办单位（编号 99999）不存在")
    assert (no_platform.status_code, no_platform.json()["detail"]) == (422, "平台「脸书」不存在")


def test_the_auditor_cannot_register_an_account(api, auditor, bureau_unit, new_account_body, audit):
    client = api(auditor)
    audit.mark()

    response = client.post("/accounts", new_account_body(bureau_unit))

    assert (response.status_code, response.json()) == (403, {"detail": "您无权登记账号"})
    assert audit.new() == []


def test_a_vendor_cannot_register_an_account(api, vendor, bureau_unit, new_account_body):
    response = api(vendor).post("/accounts", new_account_body(bureau_unit))

    assert response.status_code == 403
    assert not Account.objects.filter(platform__name="快手").exists()


def test_a_bureau_clerk_cannot_register_an_account_for_an_institution(api, clerk, institution, new_account_body):
    response = api(clerk).post("/accounts", new_account_body(institution))

    assert (response.status_code, response.json()) == (403, {"detail": "您无权变更该单位的账号台账"})


def test_lists_take_as_many_queries_for_many_rows_as_for_few(api, office, bureau_unit, new_account_body):
    client = api(office)
    paths = ["/accounts", "/filings", "/public/accounts"]

    def queries() -> list[int]:
        counts = []
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            counts.append(len(captured))
        return counts

    before = queries()
    for platform in ("快手", "小红书", "今日头条"):
        client.post("/accounts", new_account_body(bureau_unit, platform=platform, managers=["clerk", "clerk2"],
                                                  opened_on="2026-09-30"))

    assert queries() == before
