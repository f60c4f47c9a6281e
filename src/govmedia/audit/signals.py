"""Sign-in, sign-out and failed sign-ins are audited; Django reports them only as signals."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from govmedia.audit.actions import record
from govmedia.audit.events import EventType


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def _signed_in(sender, request, user, **kwargs):
    record(EventType.SIGN_IN, actor=user, obj=user, after=_where(request))


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(EventType.SIGN_OUT, actor=user, obj=user, after=_where(request))


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    record(EventType.SIGN_IN_FAILED, actor=username or "（未填用户名）", object_repr=username,
           after=_where(request))


def _where(request) -> dict:
    if request is None:
        return {}
    return {"ip": request.META.get("REMOTE_ADDR", ""), "agent": request.META.get("HTTP_USER_AGENT", "")[:200]}
