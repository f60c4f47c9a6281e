"""The second factor (TOTP) for 签发人, 主要负责人 and administrators: setup, verification, lockout, audit."""

from __future__ import annotations

from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from jsonapi import Api

from govmedia import policy
from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.org.actions import change_password, grant_role, issue_token
from govmedia.org.models import Role
from govmedia.web import actions, signin

WRONG_PASSWORD = "Wrong#2026x"


def _password(client, person, password, **data):
    return client.post("/login/", {"username": person.username, "password": password, **data})


def _code(client, token, step="verify"):
    return client.post(f"/login/{step}/", {"token": token})


def _wrong(token: str) -> str:
    return f"{(int(token) + 1) % 1_000_000:06d}"


def test_the_roles_that_need_a_second_factor_are_the_signers_the_director_and_the_administrators(bureau):
    assert set(policy.SECOND_FACTOR_ROLES) == {Role.SIGNER, Role.DIRECTOR, Role.OFFICE, Role.SYSADMIN, Role.SECADMIN}
    needing = {name for name, person in bureau.items() if signin.requires_second_factor(person)}
    assert needing == {"office", "deputy", "leader", "director", "sysadmin", "secadmin"}


def test_the_password_alone_signs_nobody_in_who_needs_the_code(client, office, password, totp, audit):
    totp.device(office)
    audit.mark()
    response = _password(client, office, password)
    assert (response.status_code, response["Location"]) == (302, "/login/verify/")
    assert SESSION_KEY not in client.session
    assert audit.new() == []  # not signed in: no 登录 row yet
    for path in ("/", "/accounts/", "/password/", "/login/", "/audit/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/login/verify/"), path
    assert client.get("/public/accounts/").status_code == 200  # public pages stay public


def test_the_right_code_signs_in_verified_and_only_then_audits_the_sign_in(client, office, password, totp, audit):
    device = totp.device(office)
    _password(client, office, password)
    page = client.get("/login/verify/")
    assert page.status_code == 200 and "动态口令" in page.content.decode()
    audit.mark()
    response = _code(client, totp.code(device))
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.session[SESSION_KEY] == str(office.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert audit.new() == [EventType.SIGN_IN]
    assert client.get("/").status_code == 200


def test_the_page_asked_for_before_signing_in_is_where_the_code_leads(client, director, password, totp):
    device = totp.device(director)
    assert client.get("/accounts/")["Location"] == "/login/?next=/accounts/"
    assert _password(client, director, password, next="/accounts/")["Location"] == "/login/verify/"
    assert _code(client, totp.code(device))["Location"] == "/accounts/"


def test_a_next_address_on_another_site_is_not_followed(client, director, password, totp):
    device = totp.device(director)
    _password(client, director, password, next="https://evil.example/")
    assert _code(client, totp.code(device))["Location"] == "/"


def test_a_wrong_code_is_refused_in_chinese_and_audited(client, leader, password, totp, audit):
    device = totp.device(leader)
    _password(client, leader, password)
    audit.mark()
    response = _code(client, _wrong(totp.code(device)))
    assert response.status_code == 200
    assert "动态口令不正确" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert audit.new() == [EventType.OTP_FAILED]
    row = AuditEvent.objects.order_by("-seq").first()
    assert (row.actor_id, row.after["step"], row.after["ip"]) == (leader.pk, "登录", "127.0.0.1")


def test_a_code_that_is_not_six_digits_is_refused_before_it_is_checked(client, leader, password, totp, audit):
    totp.device(leader)
    _password(client, leader, password)
    audit.mark()
    response = _code(client, "12ab")
    assert "请输入身份验证器上显示的6位数字" in response.content.decode()
    assert audit.new() == []


def test_a_code_is_accepted_with_spaces_typed_between_the_digits(client, leader, password, totp):
    device = totp.device(leader)
    _password(client, leader, password)
    code = totp.code(device)
    assert _code(client, f"{code[:3]} {code[3:]}")["Location"] == "/"


def test_a_code_once_used_cannot_be_used_again(client, leader, password, totp):
    device = totp.device(leader)
    with time_machine.travel(timezone.now(), tick=False):
        _password(client, leader, password)
        code = totp.code(device)
        assert _code(client, code).status_code == 302
        client.post("/logout/")
        _password(client, leader, password)
        response = _code(client, code)
        assert response.status_code == 200 and SESSION_KEY not in client.session


def test_wrong_codes_count_toward_the_lockout_with_wrong_passwords(client, deputy, password, totp, audit):
    """Two wrong passwords, then the right one: it does not reset the count, so three wrong codes lock."""
    device = totp.device(deputy)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(2):
            assert _password(client, deputy, WRONG_PASSWORD).status_code == 200
        audit.mark()
        _password(client, deputy, password)
        for _ in range(policy.LOGIN_FAILURE_LIMIT - 2):
            traveller.shift(timedelta(seconds=60))  # past django-otp's own back-off
            response = _code(client, _wrong(totp.code(device)))
        assert response.status_code == 429 and "账号已锁定" in response.content.decode()
        assert audit.new() == [EventType.OTP_FAILED] * (policy.LOGIN_FAILURE_LIMIT - 2)
        # The attempt is over, and the right password (and code) no longer get in.
        assert client.get("/")["Location"] == "/login/?next=/"
        assert _password(client, deputy, password).status_code == 429
        assert SESSION_KEY not in client.session


def test_a_successful_sign_in_with_the_code_clears_earlier_failures(client, deputy, password, totp):
    device = totp.device(deputy)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _password(client, deputy, password)
        for _ in range(policy.LOGIN_FAILURE_LIMIT - 1):
            traveller.shift(timedelta(seconds=60))
            _code(client, _wrong(totp.code(device)))
        traveller.shift(timedelta(seconds=60))
        assert _code(client, totp.code(device))["Location"] == "/"
        client.post("/logout/")
        traveller.shift(timedelta(seconds=60))
        _password(client, deputy, password)
        _code(client, _wrong(totp.code(device)))  # one failure after a fresh start does not lock
        traveller.shift(timedelta(seconds=60))
        assert _code(client, totp.code(device))["Location"] == "/"


def test_a_second_try_within_django_otps_back_off_is_not_checked(client, leader, password, totp, audit):
    device = totp.device(leader)
    with time_machine.travel(timezone.now(), tick=False):
        _password(client, leader, password)
        _code(client, _wrong(totp.code(device)))
        audit.mark()
        response = _code(client, totp.code(device))  # right, but inside the 1-second back-off
        assert "尝试过于频繁" in response.content.decode()
        assert SESSION_KEY not in client.session and audit.new() == []


def test_the_code_must_follow_the_password_within_the_policy_minutes(client, office, password, totp):
    device = totp.device(office)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _password(client, office, password)
        traveller.shift(timedelta(minutes=policy.SECOND_FACTOR_STEP_MINUTES, seconds=1))
        response = _code(client, totp.code(device))
        assert response["Location"] == "/login/?next=/login/verify/"
        assert SESSION_KEY not in client.session
        page = client.get("/login/").content.decode()
        assert f"动态口令须在输入密码后{policy.SECOND_FACTOR_STEP_MINUTES}分钟内完成验证" in page


def test_a_password_changed_meanwhile_voids_the_pending_step(client, office, password, totp):
    device = totp.device(office)
    _password(client, office, password)
    change_password(office, "Changed#2026x", actor=office)
    response = _code(client, totp.code(device))
    assert response.status_code == 302 and SESSION_KEY not in client.session


def test_leaving_the_step_by_signing_out_forgets_it(client, office, password, totp):
    totp.device(office)
    _password(client, office, password)
    assert client.post("/logout/")["Location"] == "/login/"
    assert client.get("/login/").status_code == 200  # the password form again, not the code


def test_a_person_without_an_authenticator_binds_one_on_first_sign_in(client, director, password, totp, audit):
    assert _password(client, director, password)["Location"] == "/login/setup/"
    page = client.get("/login/setup/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=director, confirmed=False)
    secret = page.context["secret"]
    assert secret in html and "<svg" in html and 'id="otp-qr"' in html
    typed = secret.replace(" ", "")
    assert b32decode(typed + "=" * (-len(typed) % 8)) == device.bin_key
    assert client.get("/login/setup/").context["secret"] == secret  # the same secret on reload
    audit.mark()
    wrong = _code(client, _wrong(totp.code(device)), step="setup")
    assert "动态口令不正确" in wrong.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=False):
        response = _code(client, totp.code(device), step="setup")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert audit.new() == [EventType.OTP_FAILED, EventType.OTP_CONFIRMED, EventType.SIGN_IN]
    device.refresh_from_db()
    assert device.confirmed and client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    client.post("/logout/")
    assert _password(client, director, password)["Location"] == "/login/verify/"


def test_a_bound_authenticator_cannot_be_replaced_from_the_sign_in(client, office, password, totp):
    totp.device(office)
    _password(client, office, password)
    assert client.get("/login/setup/")["Location"] == "/login/verify/"
    assert not TOTPDevice.objects.filter(user=office, confirmed=False).exists()


def test_the_code_steps_send_away_whoever_is_not_at_them(client, clerk, password, db):
    assert client.get("/login/verify/")["Location"] == "/login/?next=/login/verify/"
    assert client.get("/login/setup/")["Location"] == "/login/?next=/login/setup/"
    _password(client, clerk, password)  # a clerk needs no code
    assert client.get("/login/verify/")["Location"] == "/"


def test_a_role_that_needs_the_code_granted_during_a_session_asks_for_it(signed_in, clerk, office, totp):
    client = signed_in(clerk)
    assert client.get("/").status_code == 200
    grant_role(clerk, Role.SIGNER, actor=office)
    assert client.get("/accounts/")["Location"] == "/login/setup/"
    device = signin.setup_device(clerk)
    response = _code(client, totp.code(device), step="setup")
    assert response["Location"] == "/"
    assert client.get("/accounts/").status_code == 200


def test_a_reset_ends_the_persons_sessions_and_asks_for_a_new_authenticator(
        signed_in, client, office, bureau, password, audit):
    signed_in(office)
    assert client.get("/").status_code == 200
    audit.mark()
    assert actions.reset_second_factor(office, actor=bureau["secadmin"]) == 1
    assert audit.new() == [EventType.OTP_RESET, EventType.SESSIONS_ENDED]
    assert client.get("/")["Location"] == "/login/?next=/"
    assert _password(client, office, password)["Location"] == "/login/setup/"


def test_the_api_keeps_its_bearer_tokens_without_a_second_factor(client, office):
    """Tokens are issued on the server by `govmedia token`, never through a session: the code is not asked."""
    response = Api(client, issue_token(office, actor="测试")).get("/accounts")
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["office", "leader", "director", "sysadmin", "secadmin"])
def test_the_signed_in_fixture_gives_the_real_code(signed_in, bureau, name):
    client = signed_in(bureau[name])
    assert client.session[DEVICE_ID_SESSION_KEY]
    assert client.get("/").status_code == 200
