"""The home page: the office sees a row of state counts; anyone else their unit's accounts not up to date."""

from __future__ import annotations

import re
from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from govmedia.reports import home

from .conftest import add_account, add_post, make_unit


def _panel(person) -> str:
    return render_to_string("reports/_home.html", home.context(person, timezone.now())).strip()


def test_the_office_sees_the_count_of_accounts_in_each_state_linking_to_the_dashboard(watched, office, signed_in):
    html = signed_in(office).get("/").content.decode()
    assert 'id="home-update-states"' in html
    counts = dict(re.findall(r'href="/dashboard/\?state=(\w+)" data-state="\w+"><span[^>]*>[^<]*</span> '
                             r'<span class="fw-semibold">(\d+)</span>', html))
    context = home.context(office, timezone.now())["reports_home"]
    assert counts == {t["value"]: str(t["count"]) for t in context["tiles"]}
    assert int(counts["dormant"]) >= 2 and int(counts["veto"]) >= 1  # 就业中心's own among them


def test_a_clerk_sees_their_units_accounts_that_are_not_up_to_date(watched):
    html = _panel(watched.clerk)
    assert 'id="home-update-attention"' in html
    listed = re.findall(r'href="/dashboard/accounts/(\d+)/"', html)
    assert listed == [str(watched.accounts[k].pk) for k in ("never", "dormant", "veto", "overdue", "due")]
    assert "10天未更新" in html and "开设以来未发布" in html


def test_nothing_shows_when_every_account_of_the_unit_is_up_to_date(bureau):
    ns = make_unit("苏州市吴江区勤勉中心", "勤勉中心")
    add_post(add_account(ns, "wechat", "微信公众号"), timezone.now() - timedelta(days=1))
    assert _panel(ns.clerk) == ""


def test_the_menu_offers_reports_to_those_who_may_open_them(bureau, clerk, vendor, signed_in, client):
    html = signed_in(clerk).get("/dashboard/").content.decode()
    assert 'href="/dashboard/"><i class="bi bi-speedometer2"></i> 监测看板' in html
    assert 'href="/reports/"' in html and 'href="/reports/compliance/"' in html
    client.logout()
    html = signed_in(vendor).get("/dashboard/").content.decode()
    assert 'href="/dashboard/"><i class="bi bi-speedometer2"></i> 监测看板' in html
    assert 'href="/reports/"' not in html and 'href="/reports/compliance/"' not in html
