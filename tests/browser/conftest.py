"""Browser fixtures: Debian's Chromium through Playwright against pytest-django's live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govmedia.demo import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django would then refuse the test's own
# database calls as coming from "async context". The documented workaround for pytest-django + Playwright.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# The machine's network is closed: no first-run, sync, component or QUIC traffic to wait for.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("缺少 /usr/bin/chromium：请运行 make browser-deps（apt-get install chromium fonts-noto-cjk）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def console_errors():
    """Console errors and uncaught exceptions of the test's page (CSP violations are console errors)."""
    return []


@pytest.fixture
def page(browser, console_errors):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def sign_in(page, live_server, totp):
    """Sign a persona in through the real sign-in page: sign_in(person) leaves the page on the home page.

    A person whose role needs the second factor types the code their authenticator (bound through the real
    actions, see tests/conftest.py) shows, on the real verification page.
    """
    from govmedia.web.signin import requires_second_factor

    def do(person):
        device = totp.device(person) if requires_second_factor(person) else None
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("用户名").fill(person.username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        if device is not None:
            page.wait_for_url(f"{live_server.url}/login/verify/")
            page.get_by_label("动态口令").fill(totp.code(device))
            page.get_by_role("button", name="验证").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under var/screenshots/ for a person to look at the layout."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
