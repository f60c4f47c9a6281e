"""第十二条(一) passwords: the state derived from the last change at its boundary instants, the policy's refusals,
and the password itself never kept, logged, audited or echoed — only a hash keyed outside the database."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from govmedia import policy
from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.registry import actions as registry
from govmedia.registry.models import EventKind, today
from govmedia.security import actions, credentials
from govmedia.security.actions import SecurityError
from govmedia.security.models import CredentialRotation
from govmedia.security.summary import security_of

from .helpers import kuaishou

STRONG = "Wj2026#Rs!kq"


def _status(account) -> str | None:
    return security_of(account)["status"]


# --- the state at its boundaries -------------------------------------------------------------------------

def test_the_state_turns_due_at_76_days_and_overdue_just_after_90(bureau, office):
    account = kuaishou()
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        actions.record_rotation(account, changed_at=start, new_password=STRONG, actor=office)
        assert security_of(account) == {"password_changed_at": start, "password_due_at": start + timedelta(days=90),
                                        "status": "ok"}
        steps = [
            (timedelta(days=76) - timedelta(seconds=1), "ok"),
            (timedelta(days=76), "due"),                                   # 90 − 14 days: the reminder window opens
            (timedelta(days=90), "due"),                                   # the due instant itself is not late
            (timedelta(days=90, seconds=1), "overdue"),
        ]
        for offset, expected in steps:
            traveller.move_to(start + offset)
            assert _status(account) == expected, offset


def test_a_password_last_changed_100_days_ago_is_overdue(bureau, office, api):
    account = kuaishou()
    changed = timezone.now() - timedelta(days=100)
    response = api(office).post(f"/accounts/{account.pk}/credential-rotations",
                                {"changed_at": changed.isoformat(), "new_password": STRONG})
    assert response.status_code == 201, response.json()

    security = api(office).get(f"/accounts/{account.pk}").json()["security"]

    assert security["status"] == "overdue"
    reported = datetime.fromisoformat(security["password_changed_at"].replace("Z", "+00:00"))
    assert abs(reported - changed) < timedelta(milliseconds=1)  # the API writes milliseconds


@pytest.mark.parametrize(("opened_days_ago", "expected"), [(10, "ok"), (80, "due"), (95, "overdue"), (3000, "overdue")])
def test_with_no_change_recorded_the_clock_starts_at_the_opening(bureau, opened_days_ago, expected):
    account = kuaishou(opened_days_ago)
    state = security_of(account)
    assert state["status"] == expected
    assert state["password_changed_at"] is None
    assert timezone.localtime(state["password_due_at"]).date() == today() - timedelta(days=opened_days_ago - 90)


def test_an_account_that_is_not_running_has_no_password_state(bureau, office):
    account = kuaishou()
    registry.record_event(account, kind=EventKind.CLOSE, effective_date=today(), notice="停更公告：本账号停止更新",
                          actor=office)
    account.refresh_from_db()
    assert security_of(account) == {"password_changed_at": None, "password_due_at": None, "status": None}


# --- the policy's refusals -------------------------------------------------------------------------------

@pytest.mark.parametrize(("password", "reason"), [
    ("abc123", "新密码强度不足：只有6位。"),
    ("abcdefghij", "新密码强度不足：只使用了字母。"),
    ("1234567890", "新密码强度不足：只使用了数字。"),
    ("aaa", "新密码强度不足：只有3位，只使用了字母。"),
    ("abc 12345", "新密码不能包含空格"),
    ("", "请填写新密码"),
])
def test_a_weak_password_is_refused_with_the_reason(bureau, clerk, wechat, password, reason):
    before = CredentialRotation.objects.count()
    with pytest.raises(SecurityError) as refused:
        actions.record_rotation(wechat, changed_at=timezone.now(), new_password=password, actor=clerk)
    assert refused.value.field == "new_password"
    assert reason in refused.value.message
    assert CredentialRotation.objects.count() == before


def test_two_classes_and_the_minimum_length_are_enough(bureau, clerk, wechat):
    for password in ("abcdefg1", "abcdefg!", "1234567!"):  # letters+digits, letters+symbols, digits+symbols
        actions.record_rotation(wechat, changed_at=timezone.now(), new_password=password, actor=clerk)
    assert CredentialRotation.objects.filter(account=wechat).count() == 3 + 3  # the demo recorded three


def test_abc123_is_refused_a_strong_one_accepted_and_then_refused_when_reused(bureau, clerk, wechat, api):
    client = api(clerk)
    path = f"/accounts/{wechat.pk}/credential-rotations"
    now = timezone.now().isoformat()

    weak = client.post(path, {"changed_at": now, "new_password": "abc123"})
    assert weak.status_code == 422
    assert weak.json()["field"] == "new_password"
    assert "强度不足" in weak.json()["detail"] and "至少8位" in weak.json()["detail"]

    strong = client.post(path, {"changed_at": now, "new_password": STRONG})
    assert strong.status_code == 201
    assert strong.json()["security"]["status"] == "ok"

    again = client.post(path, {"changed_at": timezone.now().isoformat(), "new_password": STRONG})
    assert again.status_code == 422
    assert again.json() == {"detail": "新密码与该账号最近5次使用过的密码重复，请另设新密码（第十二条(一)）",
                            "field": "new_password"}


def test_only_the_last_five_passwords_are_refused(bureau, clerk, wechat):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for i in range(policy.CREDENTIAL_HISTORY + 1):
            traveller.shift(timedelta(minutes=1))
            actions.record_rotation(wechat, changed_at=timezone.now(), new_password=f"Pass#{i}word", actor=clerk)
        traveller.shift(timedelta(minutes=1))
        with pytest.raises(SecurityError, match="重复"):  # the 5th last
            actions.record_rotation(wechat, changed_at=timezone.now(), new_password="Pass#1word", actor=clerk)
        actions.record_rotation(wechat, changed_at=timezone.now(), new_password="Pass#0word", actor=clerk)  # the 6th


def test_the_same_password_on_another_account_is_not_a_reuse(bureau, office, wechat, weibo):
    actions.record_rotation(wechat, changed_at=timezone.now(), new_password=STRONG, actor=office)
    actions.record_rotation(weibo, changed_at=timezone.now(), new_password=STRONG, actor=office)
    digests = CredentialRotation.objects.filter(account__in=[wechat, weibo]).order_by("-id")[:2]
    assert digests[0].digest != digests[1].digest  # keyed per account: equal passwords do not show as equal


def test_a_change_in_the_future_or_before_the_last_one_is_refused(bureau, clerk, wechat):
    with pytest.raises(SecurityError, match="不能晚于当前时间"):
        actions.record_rotation(wechat, changed_at=timezone.now() + timedelta(hours=1), new_password=STRONG, actor=clerk)
    with pytest.raises(SecurityError, match="不能早于上次登记的修改时间"):
        actions.record_rotation(wechat, changed_at=timezone.now() - timedelta(days=30), new_password=STRONG, actor=clerk)


def test_the_rotation_is_audited_without_the_password(bureau, clerk, wechat, audit):
    audit.mark()
    actions.record_rotation(wechat, changed_at=timezone.now(), new_password=STRONG, actor=clerk)
    assert audit.new() == [EventType.CREDENTIAL_ROTATED]
    row = AuditEvent.objects.order_by("-seq").first()
    assert set(row.after) == {"changed_at"}


# --- the password is forgotten ---------------------------------------------------------------------------

def _everything_stored_and_logged(caplog) -> str:
    audit_rows = json.dumps(list(AuditEvent.objects.values("object_repr", "before", "after", "actor_name")),
                            ensure_ascii=False, default=str)
    rotations = json.dumps(list(CredentialRotation.objects.values()), ensure_ascii=False, default=str)
    return audit_rows + rotations + caplog.text + "".join(str(r.args) for r in caplog.records)


def test_the_password_never_reaches_the_audit_log_a_log_line_or_a_response(
        bureau, clerk, wechat, api, signed_in, caplog):
    caplog.set_level(logging.DEBUG)
    secret, weak_secret = "Zq!7vLp#29xw", "zqvlpxwmnb"
    client = api(clerk)
    path = f"/accounts/{wechat.pk}/credential-rotations"
    responses = [
        client.post(path, {"changed_at": timezone.now().isoformat(), "new_password": secret}),
        client.post(path, {"changed_at": timezone.now().isoformat(), "new_password": secret}),      # reused
        client.post(path, {"changed_at": timezone.now().isoformat(), "new_password": weak_secret}),  # too weak
        client.post(path, {"changed_at": "not a date", "new_password": weak_secret}),                # invalid body
    ]
    assert [r.status_code for r in responses] == [201, 422, 422, 422]
    page = signed_in(clerk).post(f"/security/accounts/{wechat.pk}/rotations/",
                                 {"changed_at": f"{timezone.localtime():%Y-%m-%dT%H:%M}", "new_password": weak_secret})
    assert page.status_code == 200
    assert "新密码强度不足" in page.content.decode()

    assert CredentialRotation.objects.filter(account=wechat).count() == 4
    for body in [r.content.decode() for r in responses[:3]] + [page.content.decode()]:
        assert secret not in body and weak_secret not in body
    stored = _everything_stored_and_logged(caplog)
    assert secret not in stored and weak_secret not in stored


def test_only_a_hash_keyed_outside_the_database_is_kept(bureau, clerk, wechat, settings):
    rotation = actions.record_rotation(wechat, changed_at=timezone.now(), new_password=STRONG, actor=clerk)
    key = settings.CREDENTIAL_HASH_KEY.encode()

    expected = hmac.new(key, f"{wechat.pk}:{STRONG}".encode(), hashlib.sha256).hexdigest()
    assert rotation.digest == expected
    assert rotation.digest not in {hashlib.sha256(STRONG.encode()).hexdigest(),
                                   hashlib.sha256(f"{wechat.pk}:{STRONG}".encode()).hexdigest()}
    assert STRONG not in json.dumps(list(CredentialRotation.objects.values()), default=str)

    settings.CREDENTIAL_HASH_KEY = "another-server-key-" + "y" * 40
    assert credentials.digest(wechat.pk, STRONG) != rotation.digest
    assert credentials.key_id() != rotation.key_id
    # With another key the stored hash cannot be matched: the database alone does not reveal a reuse.
    actions.record_rotation(wechat, changed_at=timezone.now(), new_password=STRONG, actor=clerk)
