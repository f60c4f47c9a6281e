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


@pytest.fixture
def signed_in(client):
    """Sign a persona in through the real sign-in page: signed_in(person) -> client."""

    def sign_in(person):
        response = client.post("/login/", {"username": person.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.content.decode()[:500]
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
