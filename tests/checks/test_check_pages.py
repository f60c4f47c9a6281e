"""The 发布前检查 page: paste or upload, see findings; upload a roster, download its de-identified copy."""

import io
from urllib.parse import unquote

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent

ID = "320584197306061131"


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "公示名单"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_pasted_text_shows_each_finding_with_its_excerpt_masked(signed_in, clerk):
    client = signed_in(clerk)
    response = client.post("/check/", {"text": f"请孙丽同志（身份证{ID}）报名。\n来源：网络"})
    page = response.content.decode()
    assert response.status_code == 200
    table = page[page.index('id="findings"'):page.index("</table>")]
    assert "含公民身份号码" in table and ID not in table and "320*************31" in table
    assert "转载来源「网络」" in page
    assert '<mark class="gm-block"' in page  # the pasted text is shown with the ID marked
    row = AuditEvent.objects.filter(event_type=EventType.CONTENT_SCREENED).first()
    assert row.actor_id == clerk.pk and row.after == {"findings": 2, "blocking": 1, "error": None}


def test_clean_text_is_reported_clean(signed_in, clerk):
    page = signed_in(clerk).post("/check/", {"text": "区人社局举办2026年度招聘会。"}).content.decode()
    assert 'id="check-clean"' in page


def test_a_file_that_cannot_be_read_needs_manual_review_never_clean(signed_in, vendor):
    upload = SimpleUploadedFile("通知.docx", b"this is not a zip", content_type="application/octet-stream")
    page = signed_in(vendor).post("/check/", {"file": upload}).content.decode()
    assert 'id="check-error"' in page and "需人工审核" in page
    assert 'id="check-clean"' not in page


def test_an_uploaded_workbook_is_checked_cell_by_cell(signed_in, clerk):
    data = _xlsx([["姓名", "身份证号"], ["孙丽", ID]])
    upload = SimpleUploadedFile("名单.xlsx", data)
    page = signed_in(clerk).post("/check/", {"file": upload}).content.decode()
    assert "公示名单!B2" in page and "公示名单!A2" in page


def test_the_mask_download_is_the_same_workbook_with_identifiers_masked(signed_in, clerk):
    data = _xlsx([["姓名", "身份证号", "备注"], ["孙丽", ID, "已审核"]])
    response = signed_in(clerk).post("/check/mask/", {"file": SimpleUploadedFile("名单.xlsx", data)})
    assert response.status_code == 200
    assert "名单-脱敏.xlsx" in unquote(response["Content-Disposition"])
    sheet = load_workbook(io.BytesIO(response.content))["公示名单"]
    assert [c.value for c in sheet[2]] == ["孙*", "320584********1131", "已审核"]
    row = AuditEvent.objects.filter(event_type=EventType.FILE_MASKED).first()
    assert row.object_repr == "名单.xlsx" and row.after == {"name": 1, "id_card": 1}


def test_masking_an_unsupported_file_is_refused_with_a_chinese_reason(signed_in, clerk):
    response = signed_in(clerk).post("/check/mask/", {"file": SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4")},
                                     follow=True)
    assert "不支持对「扫描件.pdf」脱敏" in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=EventType.FILE_MASKED).exists()
