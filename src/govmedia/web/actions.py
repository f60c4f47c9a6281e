"""State changes of the platform's own sign-in: second-factor devices, sessions and lockouts. Each is audited."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.org.models import Person
from govmedia.web import sessions, signin


def confirm_second_factor(device: TOTPDevice, token: str, *, where: dict | None = None) -> bool:
    """Bind the person's new authenticator once it shows a right code; False (and OTP_FAILED) when wrong.

    Any other device of the person is removed: one authenticator per person.
    """
    person = device.user
    if not signin.check_code(device, token):
        record_second_factor_failure(person, where=where, step="setup")
        return False
    with transaction.atomic():
        device.confirmed = True
        device.name = signin.DEVICE_NAME
        device.save(update_fields=["confirmed", "name"])
        TOTPDevice.objects.filter(user=person).exclude(pk=device.pk).delete()
        record(EventType.OTP_CONFIRMED, actor=person, obj=person, after={"device": device.name, **(where or {})})
    return True


def record_second_factor_failure(person: Person, *, where: dict | None = None, step: str = "verify") -> None:
    record(EventType.OTP_FAILED, actor=person, obj=person,
           after={"step": "绑定" if step == "setup" else "登录", **(where or {})})


@transaction.atomic
def reset_second_factor(person: Person, *, actor) -> int:
    """Remove the person's authenticator (lost or replaced phone) and end their sessions.

    At the next sign-in they bind a new one. Returns the number of devices removed; nothing is written when
    there was none.
    """
    removed, _ = TOTPDevice.objects.filter(user=person).delete()
    if not removed:
        return 0
    record(EventType.OTP_RESET, actor=actor, obj=person, before={"devices": removed})
    end_sessions(person, actor=actor, reason="重置动态口令")
    return removed


@transaction.atomic
def end_sessions(person: Person, *, actor, ref: str | None = None, reason: str = "") -> int:
    """End the person's signed-in sessions (or the one whose digest is ``ref``); their next request signs in anew."""
    keys = sessions.session_keys(person, ref)
    if not keys:
        return 0
    Session.objects.filter(session_key__in=keys).delete()
    record(EventType.SESSIONS_ENDED, actor=actor, obj=person,
           after={"sessions": len(keys), **({"reason": reason} if reason else {})})
    return len(keys)


@transaction.atomic
def clear_lockout(username: str, *, actor) -> int:
    """Lift the lockout of a user name (its failed attempts are forgotten). Returns the attempts removed."""
    failures = sum(AccessAttempt.objects.filter(username=username).values_list("failures_since_start", flat=True))
    if not failures:
        return 0
    AxesProxyHandler.reset_attempts(username=username)
    person = Person.objects.filter(username=username).first()
    record(EventType.LOCKOUT_CLEARED, actor=actor, obj=person, object_repr="" if person else username,
           before={"failures": failures})
    return failures
