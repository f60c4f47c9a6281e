"""Shared personas: the demo bureau, loaded through the real actions, and its people by role."""

from __future__ import annotations

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.demo import DEMO_PASSWORD, load_demo
from govmedia.org.models import Person


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Hashing speed is not under test; real hashing runs in the sign-in tests' own checks.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def bureau(db):
    """The demo bureau; returns a dict of personas by username."""
    load_demo()
    return {p.username: p for p in Person.objects.all()}


def _persona(name):
    @pytest.fixture
    def fixture(bureau):
        return bureau[name]

    return fixture


office = _persona("office")
clerk = _persona("clerk")
clerk2 = _persona("clerk2")
chief = _persona("chief")
deputy = _persona("deputy")
leader = _persona("leader")
director = _persona("director")
auditor = _persona("auditor")
vendor = _persona("vendor")
outsider = _persona("staff1")  # a 信息员 of another unit (an institution)


@pytest.fixture
def password():
    return DEMO_PASSWORD


class Totp:
    """A person's authenticator, as a phone app would hold it: bound through the real actions, showing codes."""

    def device(self, person):
        """The person's confirmed TOTP device; bound first (setup_device → confirm_second_factor) if none."""
        from govmedia.web import actions, signin

        device = signin.confirmed_device(person)
        if device is None:
            device = signin.setup_device(person)
            assert actions.confirm_second_factor(device, self.code(device)), "binding the authenticator failed"
        return device

    def code(self, device) -> str:
        """The code the app shows now; when a sign-in in this same 30 s step already used it, the next step's
        code (what a person would wait for; the device's tolerance accepts one step ahead)."""
        from django_otp.oath import TOTP

        device.refresh_from_db()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        if device.last_t >= totp.t():
            totp.drift += device.last_t + 1 - totp.t()
        return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def totp():
    return Totp()


@pytest.fixture
def signed_in(client):
    """Sign a persona in through the real sign-in page: signed_in(person) -> client.

    For a person whose role needs the second factor, the authenticator is bound through the real actions and the
    code it shows is given on the real verification page.
    """
    from govmedia.web.signin import requires_second_factor

    def sign_in(person):
        authenticator = Totp()
        device = authenticator.device(person) if requires_second_factor(person) else None
        response = client.post("/login/", {"username": person.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.content.decode()[:500]
        if device is not None:
            assert response["Location"] == "/login/verify/", response["Location"]
            response = client.post("/login/verify/", {"token": authenticator.code(device)})
            assert response.status_code == 302, response.content.decode()[:500]
            assert not response["Location"].startswith("/login/"), response["Location"]
        return client

    return sign_in


@pytest.fixture
def audit():
    """audit.mark() before a request; audit.new() -> the event types written since, oldest first."""

    class Audit:
        seq = 0

        def mark(self):
            self.seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

        def new(self) -> list[int]:
            return list(AuditEvent.objects.filter(seq__gt=self.seq).order_by("seq")
                        .values_list("event_type", flat=True))

    return Audit()
