"""第十二条: no automatic login — the session ends with the browser and after 30 idle minutes."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.conf import settings
from django.utils import timezone

from govmedia import policy


def test_the_session_ends_when_the_browser_closes():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == policy.SESSION_IDLE_MINUTES * 60 == 30 * 60


def test_the_session_cookie_carries_no_expiry(client, clerk, password):
    response = client.post("/login/", {"username": clerk.username, "password": password})
    cookie = response.cookies["sessionid"]
    header = cookie.output().lower()
    assert cookie.value
    assert (cookie["max-age"], cookie["expires"]) == ("", "")
    assert "max-age" not in header and "expires" not in header
    assert "httponly" in header
    later = client.get("/").cookies["sessionid"].output().lower()  # saved on every request
    assert "max-age" not in later and "expires" not in later


def test_a_session_unused_for_31_minutes_is_gone(signed_in, clerk):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = signed_in(clerk)
        assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/accounts/")
        assert response.status_code == 302
        assert response["Location"] == "/login/?next=/accounts/"


def test_a_session_in_use_stays_alive_past_30_minutes_in_all(signed_in, clerk):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = signed_in(clerk)
        for _ in range(3):
            traveller.shift(timedelta(minutes=29))
            assert client.get("/").status_code == 200
