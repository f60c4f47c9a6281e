"""The rectification and inspection pages as people use them: filters, sort, pages, export, forms, 通报, home."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from govmedia.audit.events import EventType
from govmedia.inspections import actions
from govmedia.inspections.models import Inspection, Rectification, RectStatus, Source

from .conftest import at

MONDAY = "2026-06-08 09:00 +0800"


def _ids(response) -> list[int]:
    return [item.pk for item, _ in response.context["rows"]]


def test_the_list_filters_sorts_and_marks_overdue_items(signed_in, office, weibo, brigade, make_item):
    with time_machine.travel(MONDAY, tick=False):
        severe, general = make_item(weibo, severity="severe"), make_item(brigade, severity="general")
    with time_machine.travel("2026-06-10 09:00 +0800", tick=False):
        client = signed_in(office)
        overdue = client.get("/rectifications/", {"status": "overdue", "source": "patrol"})
        by_severity = client.get("/rectifications/", {"source": "patrol", "sort": "-severity"})
        institution = client.get("/rectifications/", {"unit": brigade.unit_id, "source": "patrol"})
    assert _ids(overdue) == [severe.pk]
    assert '<tr class="rect-row-overdue table-danger">' in overdue.content.decode()
    assert _ids(by_severity)[-1] == severe.pk and _ids(by_severity)[0] == general.pk
    assert _ids(institution) == [general.pk]


def test_a_unit_sees_only_its_own_items(signed_in, outsider, weibo, brigade, make_item):
    make_item(weibo)
    theirs = make_item(brigade)
    ids = _ids(signed_in(outsider).get("/rectifications/"))
    assert theirs.pk in ids and set(ids) == set(Rectification.objects.filter(unit=brigade.unit).values_list("id",
                                                                                                            flat=True))


def test_the_list_pages_with_a_bounded_number_of_queries(signed_in, office, weibo, make_item):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(office)
    make_item(weibo)
    with CaptureQueriesContext(connection) as few:
        client.get("/rectifications/")
    for _ in range(55):
        make_item(weibo)
    with CaptureQueriesContext(connection) as many:
        first = client.get("/rectifications/")
    assert len(many) == len(few) <= 16  # no query per row
    second = client.get("/rectifications/", {"page": 2})
    assert len(_ids(first)) == 50 and not set(_ids(first)) & set(_ids(second))
    assert len(_ids(first)) + len(_ids(second)) == Rectification.objects.count()


def test_the_export_is_what_the_person_sees(signed_in, clerk, weibo, brigade, make_item, audit):
    with time_machine.travel(MONDAY, tick=False):
        ours = make_item(weibo, severity="severe")
        make_item(brigade)
    client = signed_in(clerk)
    audit.mark()
    with time_machine.travel("2026-06-10 09:00 +0800", tick=False):
        response = client.get("/rectifications/export.xlsx", {"source": "patrol"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "政务新媒体整改事项清单（导出日期：2026-06-10）"
    assert [c.value for c in sheet[2]][:9] == ["编号", "责任单位", "账号", "来源", "严重程度", "问题", "下发时间",
                                                "整改期限", "状态"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [r[0] for r in rows] == [ours.pk]
    assert rows[0][1:5] == ["苏州市吴江区人力资源和社会保障局", "新浪微博「吴江人社」", "巡检", "严重"]
    assert rows[0][7].date() == date(2026, 6, 9) and rows[0][8] == "逾期未整改"
    assert sheet.cell(row=3, column=9).fill.fgColor.rgb.endswith("F8D7DA")
    assert audit.new() == [EventType.REPORT_EXPORTED]


def test_the_unit_answers_with_a_file_and_the_office_accepts_on_the_page(client, signed_in, clerk, office, auditor,
                                                                        outsider, weibo, make_item):
    item = make_item(weibo)
    page = signed_in(clerk)
    refused = page.post(f"/rectifications/{item.pk}/answer/", {"text": ""})
    assert "请填写整改情况说明" in refused.content.decode() and Rectification.objects.get(pk=item.pk).answered_at is None
    response = page.post(f"/rectifications/{item.pk}/answer/", {
        "text": "已删除原文并重新发布脱敏版本", "evidence": SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 report")})
    assert response.status_code == 302
    detail = page.get(f"/rectifications/{item.pk}/").content.decode()
    assert "整改报告.pdf" in detail and "等待局办公室验收" in detail and 'id="answer-card"' not in detail
    event = Rectification.objects.get(pk=item.pk).events.get()
    page.logout()

    page = signed_in(auditor)
    download = page.get(f"/rectifications/{item.pk}/evidence/{event.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 report"
    assert 'id="verify-card"' not in page.get(f"/rectifications/{item.pk}/").content.decode()  # reads, never acts
    page.logout()
    assert signed_in(outsider).get(f"/rectifications/{item.pk}/evidence/{event.pk}/").status_code == 404
    client.logout()

    page = signed_in(office)
    assert 'id="verify-card"' in page.get(f"/rectifications/{item.pk}/").content.decode()
    assert page.post(f"/rectifications/{item.pk}/accept/", {"note": "同意销号"}).status_code == 302
    assert Rectification.objects.get(pk=item.pk).status() == RectStatus.ACCEPTED


def test_reopening_on_the_page_needs_a_reason_and_shows_the_new_deadline(signed_in, clerk, office, weibo, make_item):
    with time_machine.travel(MONDAY, tick=False):
        item = make_item(weibo)
        actions.answer_rectification(item, text="已整改", actor=clerk)
        page = signed_in(office)
        assert "请填写退回理由" in page.post(f"/rectifications/{item.pk}/reopen/", {"reason": ""}).content.decode()
        response = page.post(f"/rectifications/{item.pk}/reopen/", {"reason": "原文仍可访问"}, follow=True)
    text = response.content.decode()
    assert "已退回重办，新的整改期限为2026年06月11日" in text and "原文仍可访问" in text


def test_the_office_runs_an_inspection_through_the_pages(signed_in, office, weibo, brigade, audit):
    from govmedia.monitoring.models import Post, PostSource

    Post.objects.create(account=weibo, published_at=at("2026-05-29 10:00"), title="政策解读", text="正文",
                        source=PostSource.MANUAL)
    with time_machine.travel(MONDAY, tick=False):
        page = signed_in(office)
        form = page.get("/inspections/new/", {"filter_unit": weibo.unit_id})
        assert weibo in form.context["candidates"] and brigade not in form.context["candidates"]
        refused = page.post("/inspections/new/", {"title": "", "period_start": "2026-05-01",
                                                  "period_end": "2026-05-31"})
        assert "请填写检查名称" in refused.content.decode() and "请至少选择一个受检账号" in refused.content.decode()
        created = page.post("/inspections/new/", {"title": "五月检查", "period_start": "2026-05-01",
                                                  "period_end": "2026-05-31", "accounts": [weibo.pk, brigade.pk]})
        inspection = Inspection.objects.get(title="五月检查")
        assert created["Location"] == f"/inspections/{inspection.pk}/"
        checklist = f"/inspections/{inspection.pk}/accounts/{brigade.pk}/"
        manual = {"outcome_relevance": "pass", "outcome_review": "pass", "outcome_outsourcing": "pass"}
        missing_note = page.post(checklist, manual | {"outcome_security": "fail", "note_security": ""})
        assert "「账号安全」不通过，请在检查意见中写明存在的问题" in missing_note.content.decode()
        page.post(checklist, manual | {"outcome_security": "fail", "severity_security": "severe",
                                       "note_security": "管理员手机开启自动登录"})
        page.post(f"/inspections/{inspection.pk}/accounts/{weibo.pk}/", manual | {"outcome_security": "pass"})
        closed = page.post(f"/inspections/{inspection.pk}/close/", follow=True)
    assert "检查已完成，下发整改事项" in closed.content.decode(), closed.content.decode()[-3000:]
    security = Rectification.objects.get(inspection_result__inspection=inspection, account=brigade,
                                         inspection_result__item="security")
    assert security.source == Source.INSPECTION and security.due_date == date(2026, 6, 9)
    with time_machine.travel("2026-06-12 09:00 +0800", tick=False):
        page.logout()  # days later: a new session (idle sessions end)
        page = signed_in(office)
        audit.mark()
        circular = page.get(f"/inspections/{inspection.pk}/circular.docx")
    assert circular["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    text = "\n".join(p.text for p in Document(io.BytesIO(circular.content)).paragraphs)
    assert "关于五月检查情况的通报" in text and "苏州市吴江区劳动保障监察大队" in text
    assert "账号安全问题逾期未整改" in text
    assert audit.new() == [EventType.CIRCULAR_GENERATED]


def test_the_auditor_reads_an_inspection_but_cannot_change_it(signed_in, auditor):
    inspection = Inspection.objects.get(title__contains="政务新媒体检查")
    account = inspection.accounts.first()
    page = signed_in(auditor)
    checklist = page.get(f"/inspections/{inspection.pk}/accounts/{account.pk}/").content.decode()
    assert "保存检查结论" not in checklist and "<select" not in checklist
    assert page.post(f"/inspections/{inspection.pk}/accounts/{account.pk}/", {}).status_code == 403


def test_the_home_page_shows_my_units_items_due_and_the_office_the_overdue_count(signed_in, clerk, office, outsider,
                                                                                weibo, make_item):
    with time_machine.travel(MONDAY, tick=False):
        item = make_item(weibo, severity="severe")
    with time_machine.travel("2026-06-10 09:00 +0800", tick=False):
        from govmedia.inspections.home import context

        mine = context(clerk, at("2026-06-10 09:00"))
        theirs = context(outsider, at("2026-06-10 09:00"))
        office_view = context(office, at("2026-06-10 09:00"))
    assert [i.pk for i, _ in mine["rect_mine"]] == [item.pk] and mine["rect_mine"][0][1] == RectStatus.OVERDUE
    assert item.pk not in [i.pk for i, _ in theirs.get("rect_mine", [])]  # another unit's
    assert office_view["rect_office"]["overdue"] == Rectification.objects.overdue(date(2026, 6, 10)).count() >= 1


def test_the_home_page_card_appears_only_when_there_is_something_to_do(signed_in, clerk, auditor, weibo, make_item):
    page = signed_in(clerk)
    assert 'id="home-rectifications"' not in page.get("/").content.decode()  # the demo's bureau item is accepted
    item = make_item(weibo)
    home = page.get("/").content.decode()
    assert 'id="home-rectifications"' in home and f'href="/rectifications/{item.pk}/"' in home
    page.logout()
    assert 'id="home-rectifications"' not in signed_in(auditor).get("/").content.decode()  # acts on nothing
