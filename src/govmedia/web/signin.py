"""The sign-in's second step: a TOTP code for the roles policy.SECOND_FACTOR_ROLES names (等保 2.0).

A person whose password is right but who needs a second factor is not signed in yet: the session only carries a
*pending* note (who, since when, which password) until the code is checked; then ``complete`` signs them in and
marks the session verified (django-otp). No page behind ``login_required`` can be reached with the password alone.

A signed-in person can still be unverified — a role that needs the second factor granted during the session, or
their device reset by the security administrator. ``awaiting`` answers for both cases, and the middleware sends
either to the step's page.

Wrong codes count toward the same lockout as wrong passwords (django-axes, by user name), so a stolen password
does not buy unlimited guesses: the password step does not reset the count — only a completed sign-in does.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import BytesIO

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import auth, messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from govmedia import policy
from govmedia.org.models import Person

PENDING = "govmedia_second_factor"   # session key of the pending note
CLIENT = "govmedia_client"           # session key: where and when the session was signed in (for the 安全管理员)
DEVICE_NAME = "身份验证器"
QR_PIXELS = 200


def requires_second_factor(person: Person) -> bool:
    return person.is_authenticated and person.has_role(*policy.SECOND_FACTOR_ROLES)


def confirmed_device(person: Person) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=person, confirmed=True).order_by("id").first()


def setup_device(person: Person) -> TOTPDevice:
    """The person's unconfirmed device, created once so the QR code stays the same across reloads."""
    device = TOTPDevice.objects.filter(user=person, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=person, name=DEVICE_NAME, confirmed=False)


def step_url(person: Person) -> str:
    return reverse("otp_verify" if confirmed_device(person) else "otp_setup")


def where(request) -> dict:
    """The client's address and browser, as the audit log's sign-in rows record them."""
    if request is None:
        return {}
    return {"ip": request.META.get("REMOTE_ADDR", ""), "agent": request.META.get("HTTP_USER_AGENT", "")[:200]}


def begin(request, person: Person, next_url: str) -> None:
    """The password was right: note who is waiting for the second step, in a fresh session key."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "person": person.pk,
        "hash": person.get_session_auth_hash(),
        "backend": getattr(person, "backend", "django.contrib.auth.backends.ModelBackend"),
        "since": timezone.now().isoformat(),
        "next": next_url,
    }


def awaiting(request) -> Person | None:
    """The person who must give a code before going on, or None.

    A signed-in person who needs the second factor and whose session is not verified; otherwise the person of a
    pending note that is still fresh, whose password has not changed since and who may still sign in.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if requires_second_factor(user) and not user.is_verified():
            return user
        return None
    note = request.session.get(PENDING) if hasattr(request, "session") else None
    if not note:
        return None
    since = datetime.fromisoformat(note["since"])
    person = Person.objects.filter(pk=note["person"], is_active=True).first()
    if (
        person is None
        or timezone.now() - since > timedelta(minutes=policy.SECOND_FACTOR_STEP_MINUTES)
        or not constant_time_compare(note["hash"], person.get_session_auth_hash())
    ):
        del request.session[PENDING]
        messages.warning(request, f"动态口令须在输入密码后{policy.SECOND_FACTOR_STEP_MINUTES}分钟内完成验证，请重新登录。")
        return None
    return person


def next_url(request) -> str:
    note = request.session.get(PENDING) or {}
    return note.get("next") or reverse("home")


def complete(request, person: Person, device: TOTPDevice) -> None:
    """Both factors are good: sign the person in (audited as 登录) and mark the session verified."""
    if not request.user.is_authenticated:
        note = request.session.pop(PENDING)
        auth.login(request, person, backend=note["backend"])
    otp_login(request, device)
    remember_client(request)


def remember_client(request) -> None:
    request.session[CLIENT] = {**where(request), "since": timezone.now().isoformat()}


def abandon(request) -> None:
    """After a lockout: forget the pending note, or sign an unverified session out."""
    if request.user.is_authenticated:
        auth.logout(request)
    else:
        request.session.pop(PENDING, None)


def is_locked(request, person: Person) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": person.get_username()})


def lockout_response(request, person: Person):
    return get_lockout_response(request, None, {"username": person.get_username()})


def count_failure(request, person: Person) -> bool:
    """Count a wrong code toward the user name's lockout, as a wrong password is; True when now locked out.

    axes' own handler records it (the audit signal for a wrong password is not sent: the caller writes
    OTP_FAILED instead). Once locked, AxesMiddleware answers the request with the lockout page.
    """
    AxesProxyHandler.user_login_failed(sender=count_failure, credentials={"username": person.get_username()},
                                       request=request)
    return bool(getattr(request, "axes_locked_out", False))


def throttled(device: TOTPDevice) -> bool:
    """django-otp's own back-off after a wrong code (1, 2, 4 … seconds): such a try is not even checked."""
    allowed, _ = device.verify_is_allowed()
    return not allowed


def check_code(device: TOTPDevice, token: str) -> bool:
    """Verify a code against the device, one verification at a time (the device keeps the last step used)."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        ok = locked.verify_token(token)
    device.refresh_from_db()
    return ok


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an authenticator app by hand."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no image request, nothing leaves the server)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg"):]  # drop the XML declaration: the SVG sits inside the page
    return re.sub(r'width="[^"]*" height="[^"]*"', f'width="{QR_PIXELS}" height="{QR_PIXELS}"', svg, count=1)
