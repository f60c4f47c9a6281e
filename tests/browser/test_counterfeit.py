"""A member of the public reports a fake in a real browser; the office carries the case to its letter."""

from __future__ import annotations

import re

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from govmedia.counterfeit.models import CaseStatus, CounterfeitCase
from govmedia.demo import BUREAU

pytestmark = pytest.mark.browser

QUESTION = re.compile(r"(\d+) (加|减) (\d+) 等于几？")


def answer(question: str) -> str:
    a, op, b = QUESTION.fullmatch(question).groups()
    return str(int(a) + int(b) if op == "加" else int(a) - int(b))


def test_a_public_report_becomes_a_case_the_office_carries_to_its_letter(
        page, live_server, sign_in, office, console_errors, screenshot):
    page.goto(f"{live_server.url}/public/accounts/")
    page.get_by_role("link", name="举报假冒账号").click()
    page.get_by_label("平台").fill("微信公众号")
    page.get_by_label("账号名称").fill("吴江人社服务中心")
    page.get_by_label("链接").fill("https://example.com/fake-center")
    page.get_by_label("情况描述").fill("冒用人社局名义发布“社保补贴领取”链接，要求填写银行卡号")
    page.get_by_label("验证题").fill(answer(page.locator("#challenge-question").inner_text()))
    screenshot(page, "30-counterfeit-report")
    page.get_by_role("button", name="提交举报").click()

    expect(page.locator("#report-received")).to_contain_text("举报已收到")
    case = CounterfeitCase.objects.get(name="吴江人社服务中心")
    expect(page.locator("#reference")).to_have_text(case.reference)

    sign_in(office)
    waiting = page.locator("#counterfeit-waiting")
    expect(waiting).to_contain_text("吴江人社服务中心")
    waiting.get_by_role("link", name="微信公众号「吴江人社服务中心」").click()
    expect(page.locator("#case-status")).to_have_text("待核实")
    closest = page.locator("#closest tbody tr").first
    expect(closest).to_contain_text("微信公众号「吴江人社」")
    expect(closest).to_contain_text("同平台")
    expect(closest.locator(".score")).to_have_text("83%")

    page.get_by_label("属于假冒账号", exact=True).check()
    expect(page.get_by_label("微信公众号「吴江人社」（区人社局）")).to_be_checked()  # the closest, ticked for us
    page.get_by_label("核实情况").fill("经核实非本局开设，头像与名称仿冒“吴江人社”")
    page.get_by_role("button", name="登记核实结论").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记核实结论")
    expect(page.locator("#case-status")).to_have_text("已核实")

    page.get_by_label("部门", exact=True).select_option(label="网信部门")
    page.get_by_label("部门名称").fill("吴江区委网信办")
    page.get_by_label("日期", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_label("对接人及联系方式").fill("张科长 0512-63001234")
    page.get_by_label("沟通内容").fill("通报假冒账号情况，请协调平台处置")
    page.get_by_role("button", name="记录协调").click()
    expect(page.locator("#coordinations")).to_contain_text("吴江区委网信办")
    expect(page.locator("#case-status")).to_have_text("已协调")

    expect(page.get_by_label("发函单位")).to_have_value(BUREAU)
    page.get_by_label("联系人及电话").fill("王芳 0512-63000001")
    page.get_by_role("button", name="生成致平台函").click()
    expect(page.locator("#case-status")).to_have_text("已致函")
    screenshot(page, "31-counterfeit-case")

    with page.expect_download() as download:
        page.locator("#letter-link").click()
    assert download.value.suggested_filename == f"致微信公众号平台函-{case.reference}.docx"
    text = "\n".join(p.text for p in docx.Document(download.value.path()).paragraphs)
    assert "关于请求处置假冒政务新媒体账号“吴江人社服务中心”的函" in text
    assert "微信公众号平台运营单位：" in text
    assert "https://example.com/fake-center" in text
    assert "微信公众号“吴江人社”（账号ID：gh_wjrs2015" in text
    assert "我单位已将有关情况向吴江区委网信办反映。" in text
    assert "联系人及电话：王芳 0512-63000001" in text and text.rstrip().splitlines()[-2] == BUREAU
    case.refresh_from_db()
    assert case.status() == CaseStatus.LETTER
    assert console_errors == []

