"""The office opens an account in a real browser; the public checks accounts; the home page draws its chart."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from govmedia import policy
from govmedia.demo import BUREAU
from govmedia.registry.models import Account

pytestmark = pytest.mark.browser


def fill_account_form(page, *, platform: str, name: str, opened_on: str = "") -> None:
    page.get_by_label("主办单位").select_option(label=BUREAU)
    page.get_by_label("平台", exact=True).select_option(label=platform)
    page.get_by_label("账号名称").fill(name)
    page.get_by_label("认证主体").fill(BUREAU)
    page.get_by_label("开设用途").fill("发布人社政策、办事指南")
    for label in policy.OPENING_PRECONDITIONS.values():
        page.get_by_label(label).fill(f"佐证：{label}（吴人社〔2026〕1号）")
    if opened_on:
        page.get_by_label("开设日期").fill(opened_on)
    page.get_by_role("button", name="提交开设登记").click()


def test_sign_in_open_account_and_see_the_filing_deadline(page, live_server, office, sign_in, screenshot):
    page.goto(f"{live_server.url}/login/")
    screenshot(page, "01-login")
    sign_in(office)
    page.get_by_role("navigation").get_by_role("link", name="账号台账", exact=True).click()
    expect(page.get_by_role("heading", name="政务新媒体账号台账")).to_be_visible()
    screenshot(page, "03-account-list")
    page.get_by_role("link", name="开设账号").click()

    # 2026-09-30 + 3 working days: 10月1日–7日 are the National Day holiday, 10月10日 (Saturday) is a make-up workday.
    fill_account_form(page, platform="快手", name="吴江人社快手号", opened_on="2026-09-30")

    account = Account.objects.get(name="吴江人社快手号")
    expect(page).to_have_url(f"{live_server.url}/accounts/{account.pk}/")
    screenshot(page, "05-account-detail")
    expect(page.locator("#events .filing-due")).to_have_text("2026-10-10")
    expect(page.locator(".alert-success")).to_contain_text("2026年10月10日")


def test_a_second_account_on_the_same_platform_is_refused_in_the_browser(page, live_server, office, sign_in, screenshot):
    sign_in(office)
    page.goto(f"{live_server.url}/accounts/new/")

    fill_account_form(page, platform="微信公众号", name="吴江人社服务号", opened_on="2026-09-30")

    expect(page).to_have_url(f"{live_server.url}/accounts/new/")
    refusal = page.locator(".invalid-feedback", has_text="第五条")
    expect(refusal).to_contain_text("已有账号「吴江人社」")
    expect(refusal).to_contain_text("一个单位在同一平台原则上只开设一个账号")
    screenshot(page, "04-account-form-errors")
    assert not Account.objects.filter(name="吴江人社服务号").exists()
    assert Account.objects.filter(unit__name=BUREAU, platform__name="微信公众号").count() == 1


def test_the_public_page_lists_accounts_without_sign_in(page, live_server, bureau, screenshot):
    page.goto(f"{live_server.url}/public/accounts/")

    expect(page).to_have_url(f"{live_server.url}/public/accounts/")  # no detour to the sign-in page
    rows = page.locator("#public-accounts tbody tr")
    expect(rows).to_have_count(6)
    names = {rows.nth(i).locator("td").nth(2).inner_text() for i in range(6)}
    assert names == {"吴江人社", "吴江劳动监察", "吴江人才服务", "吴江人社视频号"}
    expect(rows.filter(has_text="新浪微博")).to_contain_text("苏州市吴江区人力资源和社会保障局")
    screenshot(page, "06-public-accounts")


def test_the_home_page_draws_the_platform_chart(page, live_server, office, sign_in, console_errors, screenshot):
    sign_in(office)

    canvas = page.locator("#platform-chart canvas")
    expect(canvas).to_have_count(1)
    box = canvas.bounding_box()
    assert box["width"] > 100 and box["height"] > 100
    # The vendored Bootstrap stylesheet is served and parsed (an unstyled page would still "work").
    bootstrap_rules = page.evaluate(
        "[...document.styleSheets].filter(s => /bootstrap\\.min\\.css$/.test(s.href))"
        ".map(s => s.cssRules.length)[0] || 0"
    )
    assert bootstrap_rules > 1000
    page.wait_for_timeout(1000)  # let ECharts finish its entry animation before the screenshot
    screenshot(page, "02-home-office")
    assert console_errors == []  # a blocked script or style (CSP) or a missing file would be listed here
