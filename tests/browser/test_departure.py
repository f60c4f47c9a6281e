"""The office records clerk's departure in a real browser: clerk's open session ends, the handover tasks appear,
and a task closes only with evidence."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from govmedia.demo import DEMO_PASSWORD
from govmedia.registry.models import today
from govmedia.security.models import HandoverTask

pytestmark = pytest.mark.browser


def _sign_in(page, live_server, person, totp) -> None:
    """The real sign-in page, with the authenticator's code when the person's role needs the second factor."""
    from govmedia.web.signin import requires_second_factor

    device = totp.device(person) if requires_second_factor(person) else None
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(person.username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    if device is not None:
        page.wait_for_url(f"{live_server.url}/login/verify/")
        page.locator("input[name=token]").fill(totp.code(device))
        page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{live_server.url}/")


def test_the_office_records_a_departure_and_works_the_handover_tasks(
        browser, page, live_server, office, clerk, totp, console_errors, screenshot):
    # clerk is signed in elsewhere, in another browser.
    clerk_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    clerk_page = clerk_context.new_page()
    _sign_in(clerk_page, live_server, clerk, totp)

    _sign_in(page, live_server, office, totp)
    page.get_by_role("navigation").get_by_role("button", name="安全管理").click()
    page.get_by_role("link", name="人员审查与离岗").click()
    expect(page.get_by_role("heading", name="人员审查与离岗（第十二条(二)）")).to_be_visible()
    page.locator("#people").get_by_role("link", name="李明").click()
    page.get_by_role("link", name="登记离岗或调岗").click()

    consequences = page.locator("#departure-consequences")
    expect(consequences).to_contain_text("终止其全部登录会话")
    expect(consequences).to_contain_text("为其负责的3个账号生成交接任务")
    expect(page.get_by_label("离岗日期")).to_have_value(f"{today():%Y-%m-%d}")
    screenshot(page, "security-01-departure-confirm")
    page.get_by_role("button", name="确认离岗").click()

    expect(page).to_have_url(f"{live_server.url}/security/handovers/?person=clerk")
    expect(page.locator(".alert-success")).to_contain_text("终止登录会话1个")
    expect(page.locator("#handovers tbody tr")).to_have_count(11)
    expect(page.locator("#handovers tbody tr[data-kind='new_custodian']")).to_have_count(2)
    screenshot(page, "security-02-handover-tasks")

    # clerk's next click lands on the sign-in page.
    clerk_page.goto(f"{live_server.url}/accounts/")
    expect(clerk_page).to_have_url(f"{live_server.url}/login/?next=/accounts/")
    clerk_context.close()

    # A task closes only with evidence.
    row = page.locator("#handovers tbody tr[data-kind='revoke_access']", has_text="微信公众号「吴江人社」")
    row.get_by_role("link", name="办理").click()
    page.get_by_role("button", name="完成任务").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("请填写完成情况及佐证材料")
    page.get_by_label("完成情况及佐证").fill("已在公众平台后台移除李明的运营者权限，截图存档")
    page.get_by_role("button", name="完成任务").click()
    expect(page.locator("#task-state")).to_have_text("已完成")
    expect(page.locator("#task-evidence")).to_contain_text("已在公众平台后台移除李明的运营者权限，截图存档")
    screenshot(page, "security-03-handover-done")

    # The 账号安全 page now lists the accounts clerk kept as violations until a new custodian is named.
    page.get_by_role("navigation").get_by_role("button", name="安全管理").click()
    page.get_by_role("link", name="账号安全").click()
    expect(page.locator("#violation-alert")).to_contain_text("3个账号的保管不符合要求")
    expect(page.locator("#security-accounts tbody tr", has_text="抖音")).to_contain_text("保管人「李明」已于")
    screenshot(page, "security-04-account-security")
    page.locator("#security-accounts tbody tr", has_text="微信公众号").get_by_role("link", name="吴江人社").click()
    expect(page.locator("#devices")).to_contain_text("WJRS-PC-0107")
    expect(page.locator("#account-handovers li")).to_have_count(4)
    screenshot(page, "security-05-account-detail")

    assert HandoverTask.objects.open().filter(person=clerk).count() == 10
    assert console_errors == []
