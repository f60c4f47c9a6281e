"""The signed-in sessions, read from Django's database session store for the security administrator.

A session's key is a bearer credential, so pages and forms name a session only by a digest of its key.
Sessions are saved on every request (SESSION_SAVE_EVERY_REQUEST), so the last activity is derived from the
expiry: expire_date − SESSION_COOKIE_AGE.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from govmedia.org.models import Person
from govmedia.web.signin import CLIENT


def digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class ActiveSession:
    ref: str                 # digest of the key, what the page and its forms use
    person: Person
    ip: str
    agent: str
    signed_in_at: datetime | None
    last_activity: datetime
    expires_at: datetime
    verified: bool           # the second factor was given in this session


def _rows(now):
    for session in Session.objects.filter(expire_date__gt=now).order_by("-expire_date").iterator():
        data = session.get_decoded()
        if SESSION_KEY in data:
            yield session, data


def active_sessions(person: Person | None = None) -> list[ActiveSession]:
    """Signed-in sessions that have not expired, most recently active first; optionally one person's."""
    now = timezone.now()
    rows = [(s, d) for s, d in _rows(now) if person is None or str(d[SESSION_KEY]) == str(person.pk)]
    people = Person.objects.in_bulk({int(d[SESSION_KEY]) for _, d in rows})
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    found = []
    for session, data in rows:
        who = people.get(int(data[SESSION_KEY]))
        if who is None:
            continue
        client = data.get(CLIENT) or {}
        since = client.get("since")
        found.append(ActiveSession(
            ref=digest(session.session_key), person=who, ip=client.get("ip", ""), agent=client.get("agent", ""),
            signed_in_at=datetime.fromisoformat(since) if since else None,
            last_activity=session.expire_date - age, expires_at=session.expire_date,
            verified=DEVICE_ID_SESSION_KEY in data,
        ))
    return found


def session_keys(person: Person, ref: str | None = None) -> list[str]:
    """Keys of the person's live sessions (or of the one whose digest is ``ref``)."""
    now = timezone.now()
    return [s.session_key for s, d in _rows(now)
            if str(d[SESSION_KEY]) == str(person.pk) and (ref is None or digest(s.session_key) == ref)]
