"""第十二条(三): anyone reports a suspected counterfeit from the public page — no sign-in, a simple question
answered on the server, a screenshot only if it really is an image, and a per-address hourly limit."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.core.signing import dumps
from django.utils import timezone
from samples import png_bytes, upload

from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.counterfeit import challenge, throttle
from govmedia.counterfeit.models import CounterfeitCase, ReportThrottle
from govmedia.publishing.models import Notification
from govmedia.web.middleware import CSP

from .conftest import FAKE, solve


def _new_cases():
    return CounterfeitCase.objects.exclude(name="吴江人社服务号")  # the demo's report is already there


def _counted(address: str = "203.0.113.7"):
    return ReportThrottle.objects.filter(client=throttle.client_key(address))


def test_a_member_of_the_public_reports_a_fake_without_signing_in(citizen, audit):
    audit.mark()

    response = citizen()

    case = _new_cases().get()
    page = response.content.decode()
    assert response.status_code == 200 and 'id="report-received"' in page and case.reference in page
    assert (case.platform, case.name, case.url, case.description) == tuple(FAKE[k] for k in
                                                                          ("platform", "name", "url", "description"))
    assert case.reference == f"JM{timezone.localtime(case.reported_at):%Y%m%d}{case.pk:04d}"
    assert audit.new() == [EventType.COUNTERFEIT_REPORTED]
    assert AuditEvent.objects.order_by("-seq").first().actor_name == "公众举报"
    assert Notification.objects.filter(person__username="office", text__contains=case.reference).exists()


def test_the_public_accounts_page_leads_to_the_report_page(client, bureau):
    page = client.get("/public/accounts/").content.decode()

    assert 'href="/public/counterfeit/"' in page and "举报假冒账号" in page


def test_the_report_page_keeps_to_the_site_csp(client, bureau):
    response = client.get("/public/counterfeit/")
    html = response.content.decode()

    assert response["Content-Security-Policy"] == CSP
    assert "<script>" not in html and " on" + "click=" not in html and "javascript:" not in html
    assert all('src="/static/' in tag for tag in html.split("<script")[1:])


def test_a_wrong_answer_is_refused_with_a_message_and_nothing_is_stored(citizen, audit):
    audit.mark()

    response = citizen(answer="99")

    assert response.status_code == 200
    assert "验证题答案不正确，请重新计算" in response.content.decode()
    assert 'value="吴江人社服务中心"' in response.content.decode()  # what was typed is kept
    assert not _new_cases().exists() and not _counted().exists() and audit.new() == []


def test_an_answer_that_is_not_a_number_and_a_missing_answer_are_refused(citizen):
    assert "请用阿拉伯数字填写验证题的答案" in citizen(answer="七").content.decode()
    assert "请回答验证题" in citizen(answer="").content.decode()
    assert not _new_cases().exists()


def test_a_forged_token_is_refused(client, bureau):
    forged = dumps({"n": "x", "d": "0" * 32}, salt="some other salt")

    response = client.post("/public/counterfeit/", FAKE | {"challenge_answer": "3", "challenge_token": forged})

    assert "验证题无效，请回答新的验证题" in response.content.decode()
    assert not _new_cases().exists()


def test_a_question_left_open_too_long_expires(client, bureau, time_machine):
    answer, token = solve(client.get("/public/counterfeit/").content.decode())
    time_machine.move_to(timezone.now() + timedelta(minutes=31))

    response = client.post("/public/counterfeit/", FAKE | {"challenge_answer": answer, "challenge_token": token})

    assert "验证题已过期，请回答新的验证题" in response.content.decode()
    assert not _new_cases().exists()


def test_the_answer_is_not_in_the_page():
    question, token = challenge.new()
    a, op, b = question.split()[:3]
    answer = int(a) + int(b) if op == "加" else int(a) - int(b)

    assert challenge.check(token, str(answer)) is None
    assert challenge.check(token, str(answer + 1)) == "验证题答案不正确，请重新计算"
    payload = signing.loads(token, salt=challenge.SALT)
    assert set(payload) == {"n", "d"} and str(answer) not in payload.values()  # only a keyed digest travels


def test_a_screenshot_that_is_not_an_image_is_refused_and_nothing_is_stored(citizen):
    fake_png = upload("截图.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
                      "image/png")

    response = citizen(screenshot=fake_png)

    assert response.status_code == 200
    assert "「截图.png」不是图片文件，截图仅支持 PNG、JPEG、GIF、WebP 格式" in response.content.decode()
    assert not _new_cases().exists() and not _counted().exists()


def test_an_oversized_screenshot_is_refused(citizen):
    big = png_bytes() + b"\0" * (5 * 1024 * 1024)

    response = citizen(screenshot=upload("大图.png", big, "image/png"))

    assert "截图「大图.png」过大（5.0MB），上限5MB" in response.content.decode()
    assert not _new_cases().exists()


def test_an_image_screenshot_is_stored_under_media_and_shown_only_to_the_office(citizen, signed_in, office, clerk,
                                                                             client):
    image = png_bytes()
    citizen(screenshot=upload("shot.jpg", image, "image/jpeg"))
    case = _new_cases().get()

    assert case.screenshot.name.startswith("counterfeit/") and case.screenshot.name.endswith(".png")
    assert case.screenshot_type == "image/png"
    anonymous = client.get(f"/counterfeit/{case.pk}/screenshot/")
    shown = signed_in(office).get(f"/counterfeit/{case.pk}/screenshot/")
    assert anonymous.status_code == 302
    assert (shown["Content-Type"], b"".join(shown.streaming_content)) == ("image/png", image)
    client.logout()
    assert signed_in(clerk).get(f"/counterfeit/{case.pk}/screenshot/").status_code == 403


def test_the_sixth_report_in_an_hour_from_one_address_is_refused_with_429_and_another_address_is_fine(citizen):
    accepted = [citizen(address="198.51.100.20", name=f"假冒账号{i}").status_code for i in range(5)]

    sixth = citizen(address="198.51.100.20", name="假冒账号6")
    other = citizen(address="198.51.100.21", name="另一来源的举报")

    assert accepted == [200] * 5
    assert sixth.status_code == 429
    assert "同一来源每小时最多提交5次举报，请稍后再试" in sixth.content.decode()
    assert other.status_code == 200
    assert set(_new_cases().values_list("name", flat=True)) == {f"假冒账号{i}" for i in range(5)} | {"另一来源的举报"}


def test_an_hour_later_the_address_may_report_again(citizen, time_machine):
    for i in range(5):
        citizen(address="198.51.100.30", name=f"假冒账号{i}")
    time_machine.move_to(timezone.now() + timedelta(hours=1, seconds=1))

    assert citizen(address="198.51.100.30", name="一小时后").status_code == 200


def test_only_a_keyed_hash_of_the_address_is_kept(citizen):
    citizen(address="198.51.100.40")

    row = _counted("198.51.100.40").get()
    assert row.client == throttle.client_key("198.51.100.40") != throttle.client_key("198.51.100.41")
    assert len(row.client) == 64 and "198.51.100.40" not in row.client
    case = _new_cases().get()
    assert "198.51.100.40" not in str(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("after"))


def test_old_counts_are_pruned_by_the_daily_job(citizen, time_machine):
    from govmedia.counterfeit import tasks

    citizen(address="198.51.100.50")
    time_machine.move_to(timezone.now() + timedelta(hours=2))

    assert tasks.daily_report_throttle_prune.call_local() == 2  # this report's count and the demo's
    assert not ReportThrottle.objects.exists()
