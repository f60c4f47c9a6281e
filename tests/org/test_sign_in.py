"""Signing in and out: a Chinese page, no automatic login, lockout after repeated failures, all audited."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from govmedia import policy
from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent

WRONG = "Wrong#2026x"
LOCKED = "账号已锁定"


def _attempt(client, person, password, **extra):
    return client.post("/login/", {"username": person.username, "password": password}, **extra)


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


def _new_rows(mark: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=mark).order_by("seq"))


def _mark() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_the_sign_in_page_is_in_chinese_and_offers_no_automatic_login(client, db):
    response = client.get("/login/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "登录" in page and "用户名" in page and "密码" in page
    assert "remember" not in page.lower()
    assert "记住" not in page and "自动登录</label>" not in page
    assert 'type="checkbox"' not in page


def test_a_wrong_password_is_refused_with_a_chinese_message(client, clerk):
    response = _attempt(client, clerk, WRONG)
    assert response.status_code == 200
    assert f"用户名或密码错误。连续失败{policy.LOGIN_FAILURE_LIMIT}次将锁定账号。" in response.content.decode()
    assert _signed_in_as(client) is None


def test_five_failures_lock_the_account_even_against_the_right_password(client, clerk, password):
    for _ in range(policy.LOGIN_FAILURE_LIMIT - 1):
        assert _attempt(client, clerk, WRONG).status_code == 200
    fifth = _attempt(client, clerk, WRONG)
    assert fifth.status_code == 429
    sixth = _attempt(client, clerk, password)
    assert sixth.status_code == 429
    assert LOCKED in sixth.content.decode()
    assert _signed_in_as(client) is None


def test_the_lock_holds_from_another_address(client, clerk, password):
    for _ in range(policy.LOGIN_FAILURE_LIMIT):
        _attempt(client, clerk, WRONG)
    response = _attempt(client, clerk, password, REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 429
    assert _signed_in_as(client) is None


def test_the_lock_lifts_once_the_lockout_period_has_passed(client, clerk, password):
    # Each attempt while locked counts as another failure and restarts the period, so only one is made.
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(policy.LOGIN_FAILURE_LIMIT):
            _attempt(client, clerk, WRONG)
        traveller.shift(timedelta(minutes=policy.LOGIN_LOCKOUT_MINUTES, seconds=1))
        assert _attempt(client, clerk, password).status_code == 302
        assert _signed_in_as(client) == str(clerk.pk)


def test_an_attempt_while_locked_restarts_the_lockout_period(client, clerk, password):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(policy.LOGIN_FAILURE_LIMIT):
            _attempt(client, clerk, WRONG)
        traveller.shift(timedelta(minutes=policy.LOGIN_LOCKOUT_MINUTES - 1))
        assert _attempt(client, clerk, password).status_code == 429
        traveller.shift(timedelta(minutes=2))
        assert _attempt(client, clerk, password).status_code == 429


def test_failed_sign_ins_are_audited(client, clerk):
    mark = _mark()
    _attempt(client, clerk, WRONG)
    _attempt(client, clerk, WRONG)
    rows = _new_rows(mark)
    assert [EventType(r.event_type) for r in rows] == [EventType.SIGN_IN_FAILED] * 2
    assert {(r.actor_name, r.object_repr, r.after["ip"]) for r in rows} == {("clerk", "clerk", "127.0.0.1")}


def test_a_successful_sign_in_is_audited(client, clerk, password):
    mark = _mark()
    response = _attempt(client, clerk, password)
    assert response.status_code == 302
    rows = _new_rows(mark)
    assert [(EventType(r.event_type), r.actor_id) for r in rows] == [(EventType.SIGN_IN, clerk.pk)]


def test_signing_out_by_post_ends_the_session_and_is_audited(signed_in, clerk):
    client = signed_in(clerk)
    mark = _mark()
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert [(EventType(r.event_type), r.actor_id) for r in _new_rows(mark)] == [(EventType.SIGN_OUT, clerk.pk)]
    assert client.get("/").status_code == 302


def test_signing_out_by_get_is_refused_and_keeps_the_session(signed_in, clerk):
    client = signed_in(clerk)
    assert client.get("/logout/").status_code == 405
    assert client.get("/").status_code == 200
