"""Request id for the audit log, security headers, the sign-in's second factor and the password's expiry."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from govmedia import policy
from govmedia.audit import context
from govmedia.web import signin

# Everything is served from this origin; vendored scripts only, no inline script.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        request.request_id = rid
        token = context.request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response["Cache-Control"] = "no-store"  # pages with personal data stay out of shared caches
        return response


class SecondFactorMiddleware:
    """Until the second factor is given, every page sends its person to the code (or the authenticator setup).

    Covers the person between password and code (not signed in yet) and a signed-in person whose session is not
    verified. The JSON API is left alone: it authenticates by bearer tokens, issued by ``govmedia token`` on the
    server, never by a session; public pages stay open to anyone.
    """

    EXEMPT = ("otp_verify", "otp_setup", "logout")
    OPEN_PREFIXES = ("/static/", "/api/", "/public/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.OPEN_PREFIXES):
            person = signin.awaiting(request)
            if person is not None and request.path not in {reverse(name) for name in self.EXEMPT}:
                return redirect(signin.step_url(person))
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """Send a signed-in person whose password is older than the policy allows to change it first."""

    EXEMPT = ("password_change", "logout")  # URL names; reversing an unknown one would fail every request

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(("/static/", "/api/"))
            and password_expired(user)
        ):
            path = request.path
            if path not in {reverse(name) for name in self.EXEMPT}:
                return redirect(f"{reverse('password_change')}?expired=1")
        return self.get_response(request)


def password_expired(user) -> bool:
    changed = user.password_changed_at
    return changed is None or timezone.now() - changed > timedelta(days=policy.LOGIN_PASSWORD_MAX_AGE_DAYS)
