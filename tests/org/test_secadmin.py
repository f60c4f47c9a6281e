"""The 安全管理员's pages: lockouts with unlock, signed-in sessions with end, failed sign-ins, OTP devices."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from govmedia import policy
from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent

WRONG = "Wrong#2026x"


@pytest.fixture
def secadmin(bureau):
    return bureau["secadmin"]


def _lock(person, password=WRONG):
    other = Client()
    for _ in range(policy.LOGIN_FAILURE_LIMIT):
        other.post("/login/", {"username": person.username, "password": password})
    return other


def _signed_in_elsewhere(person, password, agent="Firefox/140 测试"):
    other = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR="10.1.2.3")
    assert other.post("/login/", {"username": person.username, "password": password}).status_code == 302
    return other


def test_a_locked_user_name_is_listed_and_the_security_administrator_unlocks_it(
        signed_in, secadmin, clerk, password, audit):
    locked = _lock(clerk)
    assert locked.post("/login/", {"username": "clerk", "password": password}).status_code == 429
    failures = policy.LOGIN_FAILURE_LIMIT + 1  # the try while locked counts too (and restarts the period)
    client = signed_in(secadmin)
    page = client.get("/secadmin/lockouts/?state=locked")
    row = next(r for r in page.context["rows"] if r["username"] == "clerk")
    assert (row["locked"], row["failures"], row["person"]) == (True, failures, clerk)
    assert "已锁定" in page.content.decode() and "解除锁定" in page.content.decode()
    audit.mark()
    response = client.post("/secadmin/lockouts/unlock/", {"username": "clerk"})
    assert response["Location"] == "/secadmin/lockouts/"
    assert audit.new() == [EventType.LOCKOUT_CLEARED]
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.actor_id, event.object_id, event.before) == (secadmin.pk, str(clerk.pk), {"failures": failures})
    assert not AccessAttempt.objects.filter(username="clerk").exists()
    assert locked.post("/login/", {"username": "clerk", "password": password}).status_code == 302


def test_unlocking_a_user_name_without_failures_changes_nothing(signed_in, secadmin, audit):
    client = signed_in(secadmin)
    audit.mark()
    client.post("/secadmin/lockouts/unlock/", {"username": "clerk2"})
    assert audit.new() == []


def test_the_auditor_reads_the_lockouts_but_cannot_unlock(signed_in, auditor, clerk):
    _lock(clerk)
    client = signed_in(auditor)
    page = client.get("/secadmin/lockouts/")
    assert page.status_code == 200 and "clerk" in page.content.decode()
    assert "解除锁定" not in page.content.decode()
    assert client.post("/secadmin/lockouts/unlock/", {"username": "clerk"}).status_code == 403
    assert AccessAttempt.objects.filter(username="clerk").exists()


def test_sessions_are_listed_with_address_and_browser_and_one_can_be_ended(
        signed_in, secadmin, clerk, password, audit):
    first = _signed_in_elsewhere(clerk, password)
    second = _signed_in_elsewhere(clerk, password, agent="Chrome/140")
    client = signed_in(secadmin)
    page = client.get("/secadmin/sessions/?q=clerk")
    rows = list(page.context["page"])
    assert {(r.person.username, r.ip) for r in rows} == {("clerk", "10.1.2.3")}
    assert len(rows) == 2 and all(not r.verified for r in rows)
    html = page.content.decode()
    assert "Firefox/140 测试" in html
    for key in Session.objects.values_list("session_key", flat=True):
        assert key not in html  # a session key is a credential: the page names sessions by a digest
    target = next(r for r in rows if r.agent.startswith("Firefox"))
    audit.mark()
    response = client.post("/secadmin/sessions/clerk/end/", {"ref": target.ref})
    assert response["Location"] == "/secadmin/sessions/"
    assert audit.new() == [EventType.SESSIONS_ENDED]
    assert first.get("/")["Location"] == "/login/?next=/"
    assert second.get("/").status_code == 200


def test_ending_all_of_a_persons_sessions(signed_in, secadmin, clerk, password, audit):
    clients = [_signed_in_elsewhere(clerk, password) for _ in range(2)]
    client = signed_in(secadmin)
    audit.mark()
    client.post("/secadmin/sessions/clerk/end/")
    assert audit.new() == [EventType.SESSIONS_ENDED]
    assert AuditEvent.objects.order_by("-seq").first().after == {"sessions": 2, "reason": "安全管理员终止"}
    assert all(c.get("/").status_code == 302 for c in clients)
    assert SESSION_KEY in client.session  # the administrator's own session goes on
    audit.mark()
    client.post("/secadmin/sessions/clerk/end/")
    assert audit.new() == []  # nothing left to end


def test_the_sessions_page_shows_which_sessions_gave_the_second_factor(signed_in, secadmin):
    client = signed_in(secadmin)
    [row] = [r for r in client.get("/secadmin/sessions/").context["page"] if r.person == secadmin]
    assert row.verified and row.signed_in_at is not None and row.ip == "127.0.0.1"


def test_failed_sign_ins_lists_wrong_passwords_and_wrong_codes(signed_in, secadmin, leader, password, totp):
    other = Client()
    other.post("/login/", {"username": "leader", "password": WRONG})
    device = totp.device(leader)
    other.post("/login/", {"username": "leader", "password": password})
    wrong = f"{(int(totp.code(device)) + 1) % 1_000_000:06d}"
    other.post("/login/verify/", {"token": wrong})
    client = signed_in(secadmin)
    rows = list(client.get("/secadmin/failures/?q=leader").context["page"])
    assert [r.event_type for r in rows] == [EventType.OTP_FAILED, EventType.SIGN_IN_FAILED]
    only_codes = list(client.get("/secadmin/failures/?q=leader&type=otp").context["page"])
    assert [r.event_type for r in only_codes] == [EventType.OTP_FAILED]
    html = client.get("/secadmin/failures/?q=leader").content.decode()
    assert "动态口令验证失败" in html and "登录失败" in html


def test_the_devices_page_lists_who_has_bound_and_who_has_not(signed_in, secadmin, totp, bureau):
    totp.device(bureau["office"])
    client = signed_in(secadmin)
    people = {p.username: p for p in client.get("/secadmin/devices/").context["page"]}
    assert set(people) == {"office", "deputy", "leader", "director", "sysadmin", "secadmin"}
    assert people["office"].bound_at is not None and people["director"].bound_at is None
    unbound = {p.username for p in client.get("/secadmin/devices/?state=unbound").context["page"]}
    assert unbound == {"deputy", "leader", "director", "sysadmin"}


def test_the_security_administrator_resets_a_device(signed_in, secadmin, office, totp, audit):
    totp.device(office)
    client = signed_in(secadmin)
    audit.mark()
    response = client.post("/secadmin/devices/office/reset/")
    assert response["Location"] == "/secadmin/devices/"
    assert audit.new() == [EventType.OTP_RESET]  # office had no session to end
    assert not TOTPDevice.objects.filter(user=office).exists()
    audit.mark()
    client.post("/secadmin/devices/office/reset/")
    assert audit.new() == []


def test_the_auditor_reads_devices_and_sessions_without_buttons(signed_in, auditor):
    client = signed_in(auditor)
    for path in ("/secadmin/devices/", "/secadmin/sessions/"):
        html = client.get(path).content.decode()
        assert 'method="post"' not in html.split("</nav>", 1)[1]  # no form beyond the navbar's sign-out
    assert client.post("/secadmin/devices/office/reset/").status_code == 403
    assert client.post("/secadmin/sessions/office/end/").status_code == 403


def test_the_navbar_links_the_pages_for_the_security_administrator_and_the_auditor_only(signed_in, bureau):
    for name, shown in (("secadmin", True), ("auditor", True), ("sysadmin", False), ("office", False)):
        client = signed_in(bureau[name])
        assert ("登录安全（锁定、会话、动态口令）" in client.get("/").content.decode()) is shown, name
        client.post("/logout/")
