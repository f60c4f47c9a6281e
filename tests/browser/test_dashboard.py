"""The office opens the monitoring dashboard in a real browser: states, a unit filter, and drawn charts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from govmedia.monitoring.models import Post, PostKind, PostSource
from govmedia.org import actions as org
from govmedia.org.models import Unit
from govmedia.registry.models import Account, Platform

pytestmark = pytest.mark.browser


def _silent_accounts():
    unit = org.create_unit(name="苏州市吴江区就业管理中心", kind=Unit.Kind.INSTITUTION, short_name="就业中心",
                           sort_order=9, actor="测试")
    now = timezone.now()
    accounts = {}
    for days, platform in ((10, "微信公众号"), (20, "新浪微博"), (2, "抖音")):
        account = Account.objects.create(unit=unit, platform=Platform.objects.get(name=platform),
                                         name=f"就业中心{days}天", subject=unit.name, opened_on=now.date() - timedelta(days=900))
        for extra in (0, 7, 30, 45):
            Post.objects.create(account=account, published_at=now - timedelta(days=days + extra, hours=1),
                                title=f"第{extra}条", kind=PostKind.ORIGINAL if extra % 2 == 0 else PostKind.REPRINT,
                                source=PostSource.MANUAL)
        accounts[days] = account
    return unit, accounts


def test_the_office_sees_silent_accounts_filters_by_unit_and_the_charts_draw(
        page, live_server, sign_in, office, console_errors, screenshot):
    unit, accounts = _silent_accounts()
    sign_in(office)
    navigation = page.get_by_role("navigation")
    navigation.get_by_role("button", name="常态监管").click()
    navigation.get_by_role("link", name="监测看板").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")

    ten = page.locator(f'tr[data-account="{accounts[10].pk}"]')
    twenty = page.locator(f'tr[data-account="{accounts[20].pk}"]')
    expect(ten.locator(".update-state")).to_have_text("超期未更新")
    expect(ten).to_contain_text("10天")
    expect(twenty.locator(".update-state")).to_have_text("单项否决")
    expect(twenty).to_contain_text("20天")

    page.get_by_label("主办单位").select_option(label=unit.name)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(f"**/dashboard/?unit={unit.pk}**")
    rows = page.locator("#dashboard-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first.locator(".update-state")).to_have_text("单项否决")  # the worst first
    expect(page.locator(f'tr[data-account="{accounts[2].pk}"] .update-state')).to_have_text("正常")
    expect(page.locator("#total-accounts")).to_have_text("3")

    for chart in ("weekly", "monthly", "states"):
        drawn = page.locator(f'#chart-{chart}[data-rendered="true"]')
        expect(drawn).to_have_count(1)
        assert drawn.locator("svg path").count() > 3  # bars, lines or slices, not an empty frame
    assert "就业中心" in page.locator("#chart-weekly svg").text_content()  # the stacked unit's legend
    screenshot(page, "50-update-dashboard")

    page.locator('#state-tiles a[data-state="veto"]').click()
    page.wait_for_url("**state=veto**")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("就业中心20天")

    rows.first.get_by_role("link", name="就业中心20天").click()
    expect(page.locator("#update-explanation")).to_contain_text("最近一次更新20天前")
    expect(page.locator('#chart-weekly[data-rendered="true"]')).to_have_count(1)
    screenshot(page, "51-update-account")
    assert console_errors == []
