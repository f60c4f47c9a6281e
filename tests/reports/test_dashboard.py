"""The monitoring dashboard (第六条): each account's derived state, filters, sorting, paging, charts, export, and a
number of queries that does not grow with the number of accounts and posts."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import openpyxl
import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from govmedia.audit.events import EventType
from govmedia.monitoring.models import PostKind
from govmedia.publishing import actions as publishing
from govmedia.registry.models import Account, Platform
from govmedia.reports import views

from .conftest import add_account, add_post, local, make_unit

ROW = re.compile(r'<tr class="state-(\w+)" data-account="(\d+)">')
TILE = re.compile(r'data-state="(\w+)">\s*<div[^>]*>\s*<div class="card-body py-2">\s*<div class="small text-secondary">'
                  r'[^<]*</div>\s*<div class="fs-4 fw-semibold tile-count">(\d+)</div>')


def rows(response) -> list[tuple[int, str]]:
    assert response.status_code == 200
    return [(int(pk), state) for state, pk in ROW.findall(response.content.decode())]


def tiles(response) -> dict[str, int]:
    return {state: int(n) for state, n in TILE.findall(response.content.decode())}


def charts(response) -> dict:
    match = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    return json.loads(match.group(1))


def row_html(response, account) -> str:
    html = response.content.decode()
    start = html.index(f'data-account="{account.pk}"')
    return html[start:html.index("</tr>", start)]


def test_each_account_shows_the_state_its_silence_gives(watched, office, signed_in):
    response = signed_in(office).get(f"/dashboard/?unit={watched.unit.pk}")
    states = dict(rows(response))
    expected = {"fresh": "ok", "due": "due", "overdue": "overdue", "veto": "veto", "dormant": "dormant",
                "never": "dormant"}
    assert states == {watched.accounts[key].pk: state for key, state in expected.items()}
    assert tiles(response) == {"ok": 1, "due": 1, "overdue": 1, "veto": 1, "dormant": 2}
    html = response.content.decode()
    assert "超期未更新" in row_html(response, watched.accounts["overdue"])
    assert "单项否决" in row_html(response, watched.accounts["veto"])
    assert '<span id="total-accounts">6</span>' in html and "33.3%" in html  # 2 of 6 within the week


def test_a_row_shows_days_since_the_last_post_its_time_and_when_the_update_is_due(watched, office, signed_in):
    response = signed_in(office).get(f"/dashboard/?unit={watched.unit.pk}")
    last = timezone.localtime(watched.now - timedelta(days=10, hours=1))
    row = row_html(response, watched.accounts["overdue"])
    assert ">10天<" in row
    assert f"{last:%Y-%m-%d %H:%M}" in row
    assert f"{last + timedelta(days=7):%Y-%m-%d %H:%M}" in row
    never = row_html(response, watched.accounts["never"])
    assert "从未发布" in never and "2020-01-08 00:00" in never  # the clock runs from the opening


def test_only_running_accounts_are_listed(watched, office, signed_in):
    closed = add_account(watched, "closed", "小红书")
    closed.closed_on = timezone.localdate() - timedelta(days=1)
    closed.save()
    planned = add_account(watched, "planned", "快手", opened_on=timezone.localdate() + timedelta(days=3))
    listed = dict(rows(signed_in(office).get(f"/dashboard/?unit={watched.unit.pk}")))
    assert closed.pk not in listed and planned.pk not in listed and len(listed) == 6


def test_filters_by_state_platform_and_unit_keep_the_tiles_of_the_whole_selection(watched, office, signed_in):
    client = signed_in(office)
    response = client.get(f"/dashboard/?unit={watched.unit.pk}&state=dormant")
    assert sorted(pk for pk, _ in rows(response)) == sorted([watched.accounts["dormant"].pk, watched.accounts["never"].pk])
    assert tiles(response)["ok"] == 1  # the tiles count the unit, whatever state is picked
    kuaishou = Platform.objects.get(name="快手")
    listed = rows(client.get(f"/dashboard/?platform={kuaishou.pk}"))
    assert (watched.accounts["veto"].pk, "veto") in listed
    assert {pk for pk, _ in listed} == set(Account.objects.filter(platform=kuaishou).in_status("running")
                                            .values_list("pk", flat=True))
    other = make_unit("苏州市吴江区社会保险基金管理中心", "社保中心")
    mine = add_account(other, "wechat", "微信公众号")
    listed = rows(client.get(f"/dashboard/?unit={other.unit.pk}"))
    assert listed == [(mine.pk, "dormant")]


def test_a_tile_links_to_its_state_within_the_current_filters(watched, office, signed_in):
    html = signed_in(office).get(f"/dashboard/?unit={watched.unit.pk}&page=2").content.decode()
    assert f'href="?unit={watched.unit.pk}&state=veto" data-state="veto"' in html


def test_people_see_only_their_own_units_accounts(watched, clerk, signed_in, client):
    mine = dict(rows(signed_in(watched.clerk).get("/dashboard/")))
    assert set(mine) == {a.pk for a in watched.accounts.values()}
    client.logout()
    theirs = dict(rows(signed_in(clerk).get("/dashboard/")))
    assert theirs and not set(theirs) & set(mine)
    assert set(theirs) == set(Account.objects.filter(unit=clerk.unit).in_status("running").values_list("pk", flat=True))
    assert rows(signed_in(clerk).get(f"/dashboard/?unit={watched.unit.pk}")) == []  # another unit: nothing


def test_sorting_by_days_and_by_name(watched, office, signed_in):
    client = signed_in(office)
    by_days = [pk for pk, _ in rows(client.get(f"/dashboard/?unit={watched.unit.pk}&sort=-days"))]
    order = ["never", "dormant", "veto", "overdue", "due", "fresh"]
    assert by_days == [watched.accounts[k].pk for k in order]
    assert [pk for pk, _ in rows(client.get(f"/dashboard/?unit={watched.unit.pk}&sort=days"))] == by_days[::-1]
    by_name = [pk for pk, _ in rows(client.get(f"/dashboard/?unit={watched.unit.pk}&sort=name"))]
    assert by_name == [a.pk for a in sorted(watched.accounts.values(), key=lambda a: a.name)]
    worst_first = [pk for pk, _ in rows(client.get(f"/dashboard/?unit={watched.unit.pk}"))]
    assert worst_first == [watched.accounts[k].pk for k in order]  # default: state, then days


def test_the_list_is_paged(watched, office, signed_in, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    client = signed_in(office)
    first = rows(client.get(f"/dashboard/?unit={watched.unit.pk}&sort=-days"))
    second = client.get(f"/dashboard/?unit={watched.unit.pk}&sort=-days&page=2")
    assert [pk for pk, _ in first] == [watched.accounts[k].pk for k in ("never", "dormant", "veto", "overdue")]
    assert [pk for pk, _ in rows(second)] == [watched.accounts[k].pk for k in ("due", "fresh")]
    assert "第2/2页，共6条" in second.content.decode()


def test_an_overdue_reprint_directive_is_counted_on_its_account(watched, office, signed_in):
    publishing.create_directive(title="省厅：转发就业政策解读", source="江苏省人社厅", actor=office,
                                received_at=timezone.now() - timedelta(days=2),
                                accounts=[watched.accounts["fresh"], watched.accounts["due"]])
    publishing.create_directive(title="市局：转发社保提示", source="苏州市人社局", actor=office,
                                received_at=timezone.now() - timedelta(hours=2), accounts=[watched.accounts["fresh"]])
    client = signed_in(office)
    response = client.get(f"/dashboard/?unit={watched.unit.pk}&sort=-directives")
    assert rows(response)[0][0] in (watched.accounts["fresh"].pk, watched.accounts["due"].pk)
    assert 'badge text-bg-danger">1<' in row_html(response, watched.accounts["fresh"])  # the 2-hour-old one is not late
    assert "转载逾期 2 项" in response.content.decode()
    panel = client.get(f"/dashboard/accounts/{watched.accounts['fresh'].pk}/").content.decode()
    assert "省厅：转发就业政策解读" in panel and "已逾期" in panel and "市局：转发社保提示" in panel


def test_the_weekly_and_monthly_charts_count_posts_in_local_weeks_and_months(bureau, office, signed_in):
    with time_machine.travel(local("2026-11-18 10:00"), tick=False):  # a Wednesday; its Monday is 11-16
        ns = make_unit("苏州市吴江区职业技能鉴定中心", "鉴定中心")
        a = add_account(ns, "wechat", "微信公众号")
        b = add_account(ns, "weibo", "新浪微博")
        for when, kind, account in [
            ("2026-11-16 00:30", PostKind.ORIGINAL, a),  # still Sunday in UTC: must count in the week of 11-16
            ("2026-11-17 23:59", PostKind.REPRINT, b),
            ("2026-11-15 23:59", PostKind.ORIGINAL, a),  # Sunday: the week of 11-09
            ("2026-11-01 00:30", PostKind.ORIGINAL, b),  # October in UTC, November here
            ("2026-08-24 00:30", PostKind.REPRINT, a),   # the first day of the 13 weeks
            ("2026-08-23 23:00", PostKind.ORIGINAL, a),  # the day before: outside the weeks, inside the year
            ("2025-11-30 23:00", PostKind.ORIGINAL, a),  # before the 12 months
        ]:
            add_post(account, local(when), kind)
        data = charts(signed_in(office).get(f"/dashboard/?unit={ns.unit.pk}"))
    weekly = data["weekly"]
    assert weekly["labels"][0] == "08-24" and weekly["labels"][-1] == "11-16" and len(weekly["labels"]) == 13
    assert weekly["series"] == [{"name": "鉴定中心", "data": [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 2]}]  # 11-01 is a Sunday
    monthly = data["monthly"]
    assert monthly["labels"][0] == "2025-12" and monthly["labels"][-1] == "2026-11"
    by_month = dict(zip(monthly["labels"], zip(monthly["originals"], monthly["reprints"], monthly["share"],
                                               strict=True), strict=True))
    assert by_month["2026-11"] == (3, 1, 75.0)
    assert by_month["2026-08"] == (1, 1, 50.0)
    assert by_month["2026-10"] == (0, 0, None)
    assert sum(monthly["originals"]) + sum(monthly["reprints"]) == 6
    states = {s["value"]: s["count"] for s in data["states"]}
    assert states == {"ok": 2, "due": 0, "overdue": 0, "veto": 0, "dormant": 0}


def _accounts_with_history(ns, n: int, office) -> None:
    platforms = list(Platform.objects.all())
    now = timezone.now()
    for i in range(n):
        account = add_account(ns, f"号{i}", platforms[i % len(platforms)].name)
        for days in (1 + i % 20, 30, 60, 200):
            add_post(account, now - timedelta(days=days), PostKind.ORIGINAL if days % 2 else PostKind.REPRINT)
    publishing.create_directive(title=f"转载{n}", source="上级", actor=office, received_at=now - timedelta(days=3),
                                accounts=list(ns.accounts.values()))


def _count(client, path: str) -> int:
    client.get(path)  # warm: the first request after signing in may touch the session differently
    cache.clear()  # count the charts' queries too, not their cached answers
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_dashboard_asks_the_same_number_of_queries_for_3_and_for_30_accounts(bureau, office, signed_in):
    client = signed_in(office)
    small, large = make_unit("苏州市吴江区小单位", "小单位"), make_unit("苏州市吴江区大单位", "大单位", sort_order=10)
    _accounts_with_history(small, 3, office)
    everything_before = _count(client, "/dashboard/")
    _accounts_with_history(large, 30, office)
    assert _count(client, f"/dashboard/?unit={small.unit.pk}") == _count(client, f"/dashboard/?unit={large.unit.pk}")
    assert _count(client, "/dashboard/") == everything_before
    assert len(rows(client.get(f"/dashboard/?unit={large.unit.pk}"))) == 30


def test_the_account_panel_explains_the_state(watched, office, signed_in):
    client = signed_in(office)
    account = watched.accounts["overdue"]
    html = client.get(f"/dashboard/accounts/{account.pk}/").content.decode()
    due = timezone.localtime(watched.now - timedelta(days=10, hours=1) + timedelta(days=7))
    assert (f"最近一次更新10天前，应于{due.year}年{due.month}月{due.day}日{due:%H:%M}前更新。已超过应更新时间3天。"
            in html)
    assert "超期未更新" in html and 'id="chart-weekly"' in html
    never = client.get(f"/dashboard/accounts/{watched.accounts['never'].pk}/").content.decode()
    assert "开设以来尚未登记发布内容（2020年1月1日开设），应于2020年1月8日00:00前更新。" in never
    fresh = client.get(f"/dashboard/accounts/{watched.accounts['fresh'].pk}/").content.decode()
    assert "最近一次更新3天前" in fresh and "已超过" not in fresh


def test_the_account_panel_shows_its_weekly_counts_and_last_posts(watched, office, signed_in):
    account = watched.accounts["fresh"]
    add_post(account, timezone.now() - timedelta(hours=2), PostKind.REPRINT, title="转发：养老保险认证提醒")
    response = signed_in(office).get(f"/dashboard/accounts/{account.pk}/")
    html = response.content.decode()
    assert "转发：养老保险认证提醒" in html
    data = json.loads(re.search(r'<script id="account-charts" type="application/json">(.*?)</script>', html, re.S)
                      .group(1))
    assert sum(data["weekly"]["series"][0]["data"]) == 2
    assert sum(data["monthly"]["originals"]) == 1 and sum(data["monthly"]["reprints"]) == 1


def test_another_units_account_panel_is_not_found(watched, clerk, signed_in, client):
    assert signed_in(clerk).get(f"/dashboard/accounts/{watched.accounts['fresh'].pk}/").status_code == 404
    client.logout()
    assert signed_in(watched.clerk).get(f"/dashboard/accounts/{watched.accounts['fresh'].pk}/").status_code == 200


def test_the_export_holds_the_filtered_rows_and_is_audited(watched, office, signed_in, audit):
    client = signed_in(office)
    audit.mark()
    response = client.get(f"/dashboard/export.xlsx?unit={watched.unit.pk}&sort=-days")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    table = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [r[2] for r in table] == [watched.accounts[k].name for k in
                                     ("never", "dormant", "veto", "overdue", "due", "fresh")]
    assert [r[3] for r in table] == ["长期不更新", "长期不更新", "单项否决", "超期未更新", "即将到期", "正常"]
    assert table[3][4] == 10 and table[0][5] == "从未发布"
    assert audit.new() == [EventType.REPORT_EXPORTED]
    only_veto = client.get(f"/dashboard/export.xlsx?unit={watched.unit.pk}&state=veto")
    ws = openpyxl.load_workbook(io.BytesIO(only_veto.content)).active
    assert [r[2].value for r in ws.iter_rows(min_row=3)] == [watched.accounts["veto"].name]


@pytest.mark.parametrize("days,expected", [(4.99, "ok"), (5, "due"), (7, "due"), (7.0001, "overdue"),
                                           (13.999, "overdue"), (14, "veto"), (89.999, "veto"), (90, "dormant")])
def test_states_change_at_their_boundary_instants(bureau, office, signed_in, days, expected):
    ns = make_unit("苏州市吴江区边界中心", "边界中心")
    account = add_account(ns, "wechat", "微信公众号")
    with time_machine.travel(local("2026-11-18 10:00"), tick=False):
        add_post(account, timezone.now() - timedelta(days=days))
        assert rows(signed_in(office).get(f"/dashboard/?unit={ns.unit.pk}")) == [(account.pk, expected)]


def test_a_post_published_now_shows_at_once_while_finished_weeks_come_from_the_cache(watched, office, signed_in):
    client = signed_in(office)
    before = charts(client.get(f"/dashboard/?unit={watched.unit.pk}"))["weekly"]["series"]
    add_post(watched.accounts["veto"], timezone.now() - timedelta(minutes=5))
    add_post(watched.accounts["veto"], timezone.now() - timedelta(days=70))  # back-dated into a finished week
    after = charts(client.get(f"/dashboard/?unit={watched.unit.pk}"))["weekly"]["series"]
    assert after[0]["data"][-1] == before[0]["data"][-1] + 1
    assert after[0]["data"][:-1] == before[0]["data"][:-1]  # until the cached weeks expire
    cache.clear()
    recounted = charts(client.get(f"/dashboard/?unit={watched.unit.pk}"))["weekly"]["series"]
    assert sum(recounted[0]["data"]) == sum(after[0]["data"]) + 1
