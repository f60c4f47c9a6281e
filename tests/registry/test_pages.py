"""The registry through its real pages: forms, lists, the public page, and the headers every page carries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from govmedia import workdays
from govmedia.audit.models import AuditEvent
from govmedia.demo import BUREAU
from govmedia.registry import actions
from govmedia.registry.models import Account, EventKind, Filing, LifecycleEvent, Platform, Status, today
from govmedia.workcal.models import WorkdayOverride

from .lookups import FORM_EVIDENCE, INSPECTORATE, TALENT_CENTRE, _account, _platform, _unit


def _counts() -> tuple[int, int, int, int]:
    return (Account.objects.count(), LifecycleEvent.objects.count(), Filing.objects.count(),
            AuditEvent.objects.count())


def _opening_form(clerk, **overrides) -> dict:
    return {
        "unit": _unit().pk, "platform": _platform("快手").pk, "name": "吴江人社快手号", "platform_uid": "wjrs_ks",
        "url": "https://www.kuaishou.com/profile/wjrs", "subject": BUREAU, "purpose": "发布人社政策、办事指南",
        "managers": [clerk.pk], "opened_on": today().isoformat(), **FORM_EVIDENCE, **overrides,
    }


def _listed(response) -> list[Account]:
    return list(response.context["page"].object_list)


# --- Opening an account -----------------------------------------------------------------------------


def test_the_office_opens_an_account_and_lands_on_its_page_showing_the_filing_deadline(signed_in, office, clerk):
    client = signed_in(office)
    response = client.post("/accounts/new/", _opening_form(clerk))
    account = Account.objects.get(name="吴江人社快手号")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{account.pk}/"
    assert (account.unit.name, account.platform.name, account.platform_uid, account.url, account.subject) == (
        BUREAU, "快手", "wjrs_ks", "https://www.kuaishou.com/profile/wjrs", BUREAU)
    assert list(account.managers.all()) == [clerk]
    assert account.preconditions == {key.removeprefix("pre_"): value for key, value in FORM_EVIDENCE.items()}
    assert account.opened_on == today()
    due = workdays.add(today(), 3).date
    page = client.get(response["Location"]).content.decode()
    assert f'<td class="filing-due">{due:%Y-%m-%d}' in page
    assert "已登记快手「吴江人社快手号」" in page
    assert f"须于{due:%Y年%m月%d日}" in page  # "（暂定…）" may follow near a year end
    assert 'id="account-status">运行</span>' in page


def test_a_refused_opening_shows_the_reason_in_chinese_and_creates_nothing(signed_in, office, clerk):
    client = signed_in(office)
    before = _counts()
    response = client.post("/accounts/new/", _opening_form(clerk, platform=_platform("微信公众号").pk))
    assert response.status_code == 200
    assert f"「{BUREAU}」在微信公众号已有账号「吴江人社」" in response.content.decode()
    assert _counts() == before


def test_a_section_as_subject_is_refused_on_the_form(signed_in, office, clerk):
    client = signed_in(office)
    before = _counts()
    response = client.post("/accounts/new/", _opening_form(clerk, subject="就业促进科"))
    assert response.status_code == 200
    assert "内设机构「就业促进科」不得作为账号主体或认证主体" in response.content.decode()
    assert _counts() == before


def test_an_opening_without_a_precondition_is_refused_on_the_form(signed_in, office, clerk):
    client = signed_in(office)
    before = _counts()
    response = client.post("/accounts/new/", _opening_form(clerk, pre_funding=""))
    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()
    assert _counts() == before


def test_a_clerk_can_only_choose_their_own_unit_on_the_opening_form(signed_in, clerk):
    response = signed_in(clerk).get("/accounts/new/")
    assert [u.name for u in response.context["form"].fields["unit"].queryset] == [BUREAU]


# --- Events and filings -----------------------------------------------------------------------------


def _change_form(account: Account, **overrides) -> dict:
    return {"effective_date": today().isoformat(), "name": account.name, "platform_uid": account.platform_uid,
            "url": account.url, "subject": account.subject, "purpose": account.purpose,
            "unit": account.unit_id, "public_notice": "", "note": "", **overrides}


def test_a_clerk_records_a_change_through_the_form_and_is_told_the_deadline(signed_in, clerk):
    weibo = _account("吴江人社", "新浪微博")
    client = signed_in(clerk)
    assert client.get(f"/accounts/{weibo.pk}/events/change/").context["form"]["name"].value() == "吴江人社"
    response = client.post(f"/accounts/{weibo.pk}/events/change/",
                           _change_form(weibo, name="吴江人社发布", note="更名"), follow=True)
    weibo.refresh_from_db()
    assert weibo.name == "吴江人社发布"
    event = weibo.events.get()
    assert event.details == {"name": ["吴江人社", "吴江人社发布"]}
    assert f"须于{event.filing.due_date:%Y年%m月%d日}" in response.content.decode()


def test_a_new_owning_unit_without_notice_is_refused_on_the_form(signed_in, office):
    weibo = _account("吴江人社", "新浪微博")
    response = signed_in(office).post(f"/accounts/{weibo.pk}/events/change/",
                                      _change_form(weibo, unit=_unit(TALENT_CENTRE).pk))
    assert response.status_code == 200
    assert "主办单位发生变化的，应向社会公告（第三条）" in response.content.decode()
    weibo.refresh_from_db()
    assert weibo.unit.name == BUREAU
    assert not weibo.events.exists()


def test_a_closure_needs_its_notice_on_the_form(signed_in, clerk):
    weibo = _account("吴江人社", "新浪微博")
    client = signed_in(clerk)
    url = f"/accounts/{weibo.pk}/events/close/"
    refused = client.post(url, {"effective_date": today().isoformat(), "notice": ""})
    assert refused.status_code == 200
    assert "这个字段是必填项。" in refused.content.decode()
    weibo.refresh_from_db()
    assert weibo.closed_on is None
    response = client.post(url, {"effective_date": today().isoformat(), "notice": "https://weibo.com/wjrs/1"})
    assert response.status_code == 302
    weibo.refresh_from_db()
    assert weibo.closed_on == today()
    assert weibo.events.get().details == {"notice": "https://weibo.com/wjrs/1"}


def test_a_refused_cancellation_shows_the_order_of_steps(signed_in, clerk):
    weibo = _account("吴江人社", "新浪微博")
    response = signed_in(clerk).post(f"/accounts/{weibo.pk}/events/cancel/", {"effective_date": today().isoformat()})
    assert response.status_code == 200
    assert "注销前须先关停并发布停更公告" in response.content.decode()


def test_an_unknown_event_kind_is_not_found(signed_in, clerk):
    weibo = _account("吴江人社", "新浪微博")
    assert signed_in(clerk).get(f"/accounts/{weibo.pk}/events/merge/").status_code == 404


def test_a_clerk_completes_a_filing_through_the_form(signed_in, clerk):
    filing = Filing.objects.open().filter(event__account__name="吴江人社视频号").first()
    client = signed_in(clerk)
    page = client.get(f"/filings/{filing.pk}/").content.decode()
    assert f"备案截止 <strong>{filing.due_date:%Y-%m-%d}</strong>" in page
    response = client.post(f"/filings/{filing.pk}/", {"filed_on": today().isoformat(), "reference": "苏备2026-088"})
    assert response.status_code == 302
    filing.refresh_from_db()
    assert (filing.filed_on, filing.reference) == (today(), "苏备2026-088")
    detail = client.get(response["Location"]).content.decode()
    assert "苏备2026-088" in detail


def test_a_filing_cannot_be_completed_twice_on_the_form(signed_in, clerk):
    filing = Filing.objects.open().filter(event__account__name="吴江人社视频号").first()
    client = signed_in(clerk)
    client.post(f"/filings/{filing.pk}/", {"filed_on": today().isoformat(), "reference": "苏备2026-088"})
    response = client.post(f"/filings/{filing.pk}/", {"filed_on": today().isoformat(), "reference": "苏备2026-099"})
    assert response.status_code == 200
    assert f"该事项已于{today():%Y-%m-%d}备案（备案编号苏备2026-088）" in response.content.decode()
    filing.refresh_from_db()
    assert filing.reference == "苏备2026-088"


def test_a_filing_with_a_future_date_is_refused_on_the_form(signed_in, clerk):
    filing = Filing.objects.open().filter(event__account__name="吴江人社视频号").first()
    tomorrow = today() + timedelta(days=1)
    response = signed_in(clerk).post(f"/filings/{filing.pk}/", {"filed_on": tomorrow.isoformat(), "reference": "x"})
    assert "备案日期不能晚于今天" in response.content.decode()
    filing.refresh_from_db()
    assert filing.filed_on is None


def test_the_filing_list_shows_overdue_filings_only_when_asked(signed_in, office):
    overdue = actions.record_event(_account("吴江人社", "新浪微博"), kind=EventKind.CHANGE,
                                   effective_date=date(2026, 6, 1), note="旧变更", actor=office).filing
    not_due = actions.record_event(_account("吴江人社", "新浪微博"), kind=EventKind.CHANGE,
                                   effective_date=today() + timedelta(days=10), note="计划变更", actor=office).filing
    client = signed_in(office)
    listed = {f.pk for f, _ in client.get("/filings/?status=overdue").context["rows"]}
    assert overdue.pk in listed and not_due.pk not in listed
    assert listed == set(Filing.objects.overdue().values_list("pk", flat=True))
    assert not_due.pk in {f.pk for f, _ in client.get("/filings/").context["rows"]}


# --- The account list -------------------------------------------------------------------------------


def test_the_account_list_filters_by_unit(signed_in, office):
    response = signed_in(office).get(f"/accounts/?unit={_unit(INSPECTORATE).pk}")
    assert [a.name for a in _listed(response)] == ["吴江劳动监察"]


def test_the_account_list_filters_by_platform(signed_in, office):
    response = signed_in(office).get(f"/accounts/?platform={_platform('微信公众号').pk}")
    assert {a.unit.name for a in _listed(response)} == {BUREAU, INSPECTORATE, TALENT_CENTRE}
    assert {a.platform.name for a in _listed(response)} == {"微信公众号"}


def test_the_account_list_filters_by_status(signed_in, office, clerk):
    douyin = _account("吴江人社", "抖音")
    actions.record_event(douyin, kind=EventKind.CLOSE, effective_date=today(), notice="停更公告", actor=office)
    preparing = actions.register_account(
        unit=_unit(), platform=_platform("快手"), name="吴江人社快手号", subject=BUREAU,
        preconditions={k.removeprefix("pre_"): v for k, v in FORM_EVIDENCE.items()}, managers=[clerk], actor=office)
    client = signed_in(office)
    assert [a.pk for a in _listed(client.get("/accounts/?status=closed"))] == [douyin.pk]
    assert [a.pk for a in _listed(client.get("/accounts/?status=preparing"))] == [preparing.pk]
    running = {a.pk for a in _listed(client.get("/accounts/?status=running"))}
    assert running == set(Account.objects.in_status(Status.RUNNING).values_list("pk", flat=True))
    assert douyin.pk not in running and preparing.pk not in running


@pytest.mark.parametrize(("q", "expected"), [
    ("视频", ["吴江人社视频号"]),                      # name
    ("gh_wjldjc", ["吴江劳动监察"]),                   # platform account id
    ("人力资源服务中心", ["吴江人才服务"]),             # certification subject
    ("不存在的账号", []),
])
def test_the_account_list_searches_name_id_and_subject(signed_in, office, q, expected):
    assert [a.name for a in _listed(signed_in(office).get("/accounts/", {"q": q}))] == expected


def test_a_clerk_sees_only_their_own_units_accounts_even_when_asking_for_another(signed_in, clerk):
    client = signed_in(clerk)
    assert {a.unit.name for a in _listed(client.get("/accounts/"))} == {BUREAU}
    assert _listed(client.get(f"/accounts/?unit={_unit(INSPECTORATE).pk}")) == []


def test_the_account_list_sorts_by_opening_date_both_ways(signed_in, office):
    client = signed_in(office)
    ascending = [a.opened_on for a in _listed(client.get("/accounts/?sort=opened"))]
    descending = [a.opened_on for a in _listed(client.get("/accounts/?sort=-opened"))]
    assert ascending == sorted(ascending)
    assert descending == sorted(descending, reverse=True)
    assert len(set(ascending)) == 6


# Session, user, roles, the verified second-factor device, navigation, the page's own queries and the session
# save: the same for 6 or 66 accounts; one query per row would add 50.


def _sixty_more_accounts(office, bureau):
    """60 running accounts across the three units, each with a manager; 20 with an overdue filing."""
    units = [(_unit(), bureau["clerk"]), (_unit(INSPECTORATE), bureau["staff1"]),
             (_unit(TALENT_CENTRE), bureau["staff2"])]
    platforms = list(Platform.objects.all())
    preconditions = {k.removeprefix("pre_"): v for k, v in FORM_EVIDENCE.items()}
    created = []
    for i in range(60):
        unit, manager = units[i % 3]
        created.append(actions.register_account(
            unit=unit, platform=platforms[i % len(platforms)], name=f"测试账号{i:02}", subject=unit.name,
            preconditions=preconditions, managers=[manager], opened_on=date(2026, 1, 5), existing=True,
            actor=office))
    for account in created[:20]:
        actions.record_event(account, kind=EventKind.CHANGE, effective_date=date(2026, 6, 1), note="变更",
                             actor=office)
    return created


def test_the_account_list_pages_by_fifty(signed_in, office, bureau):
    _sixty_more_accounts(office, bureau)
    client = signed_in(office)
    first, second = client.get("/accounts/?sort=name"), client.get("/accounts/?sort=name&page=2")
    assert first.context["page"].paginator.count == 66
    assert (len(_listed(first)), len(_listed(second))) == (50, 16)
    assert not {a.pk for a in _listed(first)} & {a.pk for a in _listed(second)}
    assert "第2/2页，共66条" in second.content.decode()
    assert 'href="?sort=name&page=2"' in first.content.decode()


def _queries(client, path: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response


def test_the_account_list_runs_the_same_queries_for_66_accounts_as_for_6(signed_in, office, bureau):
    client = signed_in(office)
    few, _ = _queries(client, "/accounts/")
    _sixty_more_accounts(office, bureau)
    many, response = _queries(client, "/accounts/")
    assert many == few  # no query per account
    assert len(_listed(response)) == 50


def test_the_home_page_runs_the_same_queries_for_66_accounts_as_for_6(signed_in, office, bureau):
    client = signed_in(office)
    few, _ = _queries(client, "/")
    _sixty_more_accounts(office, bureau)
    many, response = _queries(client, "/")
    assert many == few  # every panel of every app: no query per account, filing or post
    assert response.context["total_accounts"] == 66
    assert response.context["overdue_count"] == Filing.objects.overdue().count() > 20
    assert len(response.context["attention"]) == 20  # the list is capped; the count above is not


# --- Consolidation, platforms, calendar --------------------------------------------------------------


def test_the_consolidation_page_lists_a_second_account_on_one_platform_and_similar_names(signed_in, office, clerk):
    actions.register_account(
        unit=_unit(), platform=_platform("微信公众号"), name="吴江人社服务号", subject=BUREAU,
        preconditions={k.removeprefix("pre_"): v for k, v in FORM_EVIDENCE.items()}, managers=[clerk],
        opened_on=date(2020, 1, 1), existing=True, actor=office)
    response = signed_in(office).get("/consolidation/")
    groups = response.context["duplicates"]
    assert [(g["unit"].name, g["platform"].name, sorted(a.name for a in g["accounts"])) for g in groups] == [
        (BUREAU, "微信公众号", ["吴江人社", "吴江人社服务号"])]
    pairs = {(p["a"].platform.name, p["b"].platform.name) for p in response.context["similar"]
             if p["a"].name == p["b"].name == "吴江人社"}
    assert ("微信公众号", "新浪微博") in pairs
    assert "吴江人社服务号" in response.content.decode()


def test_a_clerk_does_not_see_another_units_duplicates(signed_in, office, clerk, outsider):
    actions.register_account(
        unit=_unit(INSPECTORATE), platform=_platform("微信公众号"), name="吴江劳动监察服务号", subject=INSPECTORATE,
        preconditions={k.removeprefix("pre_"): v for k, v in FORM_EVIDENCE.items()}, managers=[outsider],
        opened_on=date(2020, 1, 1), existing=True, actor=office)
    response = signed_in(clerk).get("/consolidation/")
    assert response.context["duplicates"] == []
    assert "吴江劳动监察服务号" not in response.content.decode()


def test_the_office_adds_a_platform_to_the_approved_list(signed_in, office):
    response = signed_in(office).post("/platforms/", {"name": "西瓜视频"}, follow=True)
    assert Platform.objects.get(name="西瓜视频").approved
    assert "已将「西瓜视频」加入核准平台名单。" in response.content.decode()


def test_adding_a_platform_already_listed_is_refused_with_a_message(signed_in, office):
    response = signed_in(office).post("/platforms/", {"name": "抖音"}, follow=True)
    assert "平台「抖音」已在名单中" in response.content.decode()
    assert Platform.objects.filter(name="抖音").count() == 1


def test_the_office_withdraws_a_platform_and_it_leaves_the_opening_form(signed_in, office):
    kuaishou = _platform("快手")
    client = signed_in(office)
    assert client.post(f"/platforms/{kuaishou.pk}/toggle/").status_code == 302
    kuaishou.refresh_from_db()
    assert not kuaishou.approved
    assert kuaishou not in client.get("/accounts/new/").context["form"].fields["platform"].queryset


def test_a_clerk_can_neither_add_nor_withdraw_a_platform(signed_in, clerk):
    client = signed_in(clerk)
    kuaishou = _platform("快手")
    assert client.post("/platforms/", {"name": "西瓜视频"}).status_code == 403
    assert client.post(f"/platforms/{kuaishou.pk}/toggle/").status_code == 403
    assert not Platform.objects.filter(name="西瓜视频").exists()
    kuaishou.refresh_from_db()
    assert kuaishou.approved
    assert "加入名单" not in client.get("/platforms/").content.decode()


def test_the_office_sets_and_removes_a_calendar_override(signed_in, office):
    client = signed_in(office)
    response = client.post("/calendar/", {"day": "2027-01-04", "is_workday": "0", "note": "假设调休"})
    assert response.status_code == 302
    override = WorkdayOverride.objects.get()
    assert (override.day, override.is_workday, override.note) == (date(2027, 1, 4), False, "假设调休")
    assert client.post("/calendar/", {"remove": "2027-01-04"}).status_code == 302
    assert not WorkdayOverride.objects.exists()


def test_a_clerk_cannot_set_a_calendar_override(signed_in, clerk):
    client = signed_in(clerk)
    assert client.post("/calendar/", {"day": "2027-01-04", "is_workday": "0"}).status_code == 403
    assert not WorkdayOverride.objects.exists()
    assert 'name="is_workday"' not in client.get("/calendar/").content.decode()


def test_the_calendar_computes_a_deadline_for_any_day(signed_in, clerk):
    response = signed_in(clerk).get("/calendar/?start=2026-09-30")
    assert '<strong id="due-date">2026年10月10日</strong>' in response.content.decode()


# --- The public page and headers ---------------------------------------------------------------------


def test_the_public_page_lists_running_accounts_only_without_sign_in(client, office, clerk):
    douyin = _account("吴江人社", "抖音")
    actions.record_event(douyin, kind=EventKind.CLOSE, effective_date=today(), notice="停更公告", actor=office)
    actions.register_account(
        unit=_unit(), platform=_platform("快手"), name="吴江人社快手号", subject=BUREAU, platform_uid="wjrs_ks",
        preconditions={k.removeprefix("pre_"): v for k, v in FORM_EVIDENCE.items()}, managers=[clerk], actor=office)
    weibo = _account("吴江人社", "新浪微博")
    actions.record_event(weibo, kind=EventKind.CLOSE, effective_date=today() + timedelta(days=3), notice="停更公告",
                         actor=office)
    response = client.get("/public/accounts/")
    assert response.status_code == 200
    listed = {a.pk for a in response.context["accounts"]}
    assert listed == set(Account.objects.in_status(Status.RUNNING).values_list("pk", flat=True))
    assert weibo.pk in listed and douyin.pk not in listed
    page = response.content.decode()
    assert "wjrs_douyin" not in page and "wjrs_ks" not in page and "gh_wjldjc" in page


@pytest.mark.parametrize("path", ["/login/", "/public/accounts/"])
def test_anonymous_pages_carry_csp_and_frame_headers(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


@pytest.mark.parametrize("name", ["home", "account_list", "filing_list", "calendar"])
def test_signed_in_pages_carry_csp_frame_and_no_store_headers(signed_in, office, name):
    response = signed_in(office).get(reverse(name))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
