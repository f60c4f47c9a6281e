"""A draft written in the rich-text editor walks every level of 第八条 with different people, in a real browser."""

from __future__ import annotations

import docx
import pytest
from playwright.sync_api import expect

from govmedia.checks.service import screener
from govmedia.publishing import workflow
from govmedia.publishing.models import Draft, Stage, Status

pytestmark = pytest.mark.browser


def sign_out(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login/")


def decide(page, live_server, draft, stage_label: str, comment: str):
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    expect(page.locator("#decision-form")).to_contain_text(f"您正在进行{stage_label}")
    page.get_by_label("审核意见").fill(comment)
    page.get_by_role("button", name="同意", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text(f"已同意（{stage_label}）")


def test_a_draft_written_in_the_editor_is_reviewed_at_every_level_and_its_register_downloads(
        page, live_server, sign_in, clerk, clerk2, chief, leader, console_errors, screenshot):
    screener()  # compile the screening engine once, before the first submission waits on it
    sign_in(clerk)
    page.get_by_role("navigation").get_by_role("link", name="稿件审核", exact=True).click()
    page.get_by_role("link", name="撰写稿件").click()

    page.get_by_label("标题", exact=True).fill("2026年度就业补贴申领指南")
    editor = page.get_by_role("textbox", name="正文编辑区")
    expect(editor).to_be_visible()
    expect(page.locator("#id_body")).to_be_hidden()  # the editor replaces the plain textarea
    expect(page.locator("#reprint-fields")).to_be_hidden()  # source fields only for a reprint
    editor.click()
    page.keyboard.type("符合条件的人员可申领就业补贴。")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="加粗").click()
    page.keyboard.type("申领截止时间为12月31日。")
    page.get_by_role("button", name="加粗").click()
    page.keyboard.type("逾期不予受理。")
    page.get_by_label("微信公众号「吴江人社」").check()
    screenshot(page, "10-draft-editor")
    page.get_by_role("button", name="保存并送审").click()

    expect(page.locator(".alert-success")).to_contain_text("稿件已送审，等待初审。")
    draft = Draft.objects.get()
    assert draft.body == "<p>符合条件的人员可申领就业补贴。</p><p><b>申领截止时间为12月31日。</b>逾期不予受理。</p>"
    expect(page.locator("#draft-state")).to_contain_text("审核中 · 待初审")
    expect(page.locator("#decision-form")).to_have_count(0)  # the author never decides
    expect(page.locator("#why-not")).to_contain_text("撰稿人不能审核自己的稿件")
    sign_out(page)

    for person, label, comment in ((clerk2, "初审", "内容准确，同意"), (chief, "复审", "已校对"),
                                   (leader, "签发", "同意发布")):
        sign_in(person)
        decide(page, live_server, draft, label, comment)
        if person != leader:
            sign_out(page)

    expect(page.locator("#draft-state")).to_contain_text("已通过")
    for stage, name in ((Stage.FIRST, "赵敏"), (Stage.SECOND, "张伟"), (Stage.SIGN, "刘强")):
        expect(page.locator(f"#chain .chain-{stage.value} .reviewer")).to_have_text(name)
    screenshot(page, "11-draft-approved")
    assert workflow.state_of(draft).status == Status.APPROVED

    with page.expect_download() as download:
        page.locator("#register-link").click()
    assert download.value.suggested_filename.endswith(".docx")
    document = docx.Document(download.value.path())
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for name in ("李明", "赵敏", "张伟", "刘强"):
        assert name in text
    for opinion in ("内容准确，同意", "已校对", "同意发布"):
        assert opinion in text
    assert console_errors == []  # the editor's script ran under the CSP (script-src 'self')
