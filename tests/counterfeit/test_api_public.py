"""POST /api/v1/public/counterfeit-reports: the page's fields as JSON, no token, the page's per-address limit."""

from __future__ import annotations

import base64

from samples import png_bytes

from govmedia.audit.events import EventType
from govmedia.counterfeit.models import CounterfeitCase

from .conftest import FAKE

PATH = "/api/v1/public/counterfeit-reports"


def _post(client, body: dict, address: str = "203.0.113.9", **headers):
    return client.post(PATH, body, content_type="application/json", REMOTE_ADDR=address, headers=headers)


def test_a_report_needs_no_token_and_answers_201_with_a_reference(client, bureau, audit):
    audit.mark()

    response = _post(client, FAKE)

    case = CounterfeitCase.objects.get(name=FAKE["name"])
    assert response.status_code == 201
    assert response.json() == {"reference": case.reference, "detail": "举报已收到，感谢您的监督。本局将核实并依照规定处置。"}
    assert audit.new() == [EventType.COUNTERFEIT_REPORTED]


def test_a_bad_token_is_ignored_on_the_public_endpoint(client, bureau):
    assert _post(client, FAKE, Authorization="Bearer nonsense").status_code == 201


def test_a_screenshot_may_come_as_base64_with_or_without_a_data_url_prefix(client, bureau):
    image = png_bytes()
    plain = base64.b64encode(image).decode()

    first = _post(client, FAKE | {"name": "甲", "screenshot": plain})
    second = _post(client, FAKE | {"name": "乙", "screenshot": f"data:image/png;base64,{plain}"})

    assert (first.status_code, second.status_code) == (201, 201)
    for name in ("甲", "乙"):
        case = CounterfeitCase.objects.get(name=name)
        assert case.screenshot.read() == image and case.screenshot_type == "image/png"


def test_a_screenshot_that_is_not_an_image_is_refused_with_422(client, bureau):
    html = base64.b64encode(b"<html><body>not an image</body></html>").decode()

    response = _post(client, FAKE | {"screenshot": html})

    assert response.status_code == 422
    assert response.json() == {"detail": "「截图」不是图片文件，截图仅支持 PNG、JPEG、GIF、WebP 格式", "field": "screenshot"}
    assert not CounterfeitCase.objects.filter(name=FAKE["name"]).exists()


def test_a_screenshot_that_is_not_base64_is_refused_with_422(client, bureau):
    response = _post(client, FAKE | {"screenshot": "这不是base64!"})

    assert (response.status_code, response.json()["field"]) == (422, "screenshot")
    assert response.json()["detail"] == "截图应为 base64 编码的图片"


def test_missing_and_invalid_fields_are_named(client, bureau):
    missing = _post(client, {"platform": "抖音", "name": "假号"})
    empty = _post(client, FAKE | {"description": "  "})
    bad_link = _post(client, FAKE | {"url": "ftp://example.com/x"})

    assert missing.status_code == 422 and "description" in missing.json()["detail"]
    assert (empty.status_code, empty.json()) == (422, {"detail": "请填写情况描述", "field": "description"})
    assert bad_link.json() == {"detail": "链接格式不正确，应以 http:// 或 https:// 开头", "field": "url"}
    assert not CounterfeitCase.objects.filter(platform="抖音").exists()


def test_the_api_shares_the_pages_limit_the_sixth_answers_429(client, citizen):
    address = "198.51.100.60"
    page = [citizen(address=address, name=f"网页举报{i}").status_code for i in range(3)]
    api = [_post(client, FAKE | {"name": f"接口举报{i}"}, address).status_code for i in range(2)]

    sixth = _post(client, FAKE | {"name": "第六次"}, address)
    on_page = citizen(address=address, name="第七次")
    elsewhere = _post(client, FAKE | {"name": "另一来源"}, "198.51.100.61")

    assert (page, api) == ([200] * 3, [201] * 2)
    assert sixth.status_code == 429
    assert sixth.json() == {"detail": "同一来源每小时最多提交5次举报，请稍后再试。如情况紧急，请拨打本局公开的咨询电话。",
                            "field": None}
    assert on_page.status_code == 429
    assert elsewhere.status_code == 201
    assert not CounterfeitCase.objects.filter(name__in=["第六次", "第七次"]).exists()
