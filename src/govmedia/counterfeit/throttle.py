"""Per-address rate limit of public reports (policy.COUNTERFEIT_REPORTS_PER_HOUR), counted in the database so
every worker sees the same count. Only a keyed hash of the address is stored (HMAC-SHA256 with SECRET_KEY)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils.crypto import salted_hmac

from govmedia import policy
from govmedia.counterfeit.models import ReportThrottle

WINDOW = timedelta(hours=1)
SALT = "govmedia.counterfeit.client"
REFUSAL = (f"同一来源每小时最多提交{policy.COUNTERFEIT_REPORTS_PER_HOUR}次举报，请稍后再试。"
           "如情况紧急，请拨打本局公开的咨询电话。")


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the header a trusted reverse proxy sets, when the deployment names
    one (settings.COUNTERFEIT_CLIENT_IP_HEADER, e.g. "HTTP_X_REAL_IP") — otherwise every report behind the proxy
    would share one address and one limit."""
    header = getattr(settings, "COUNTERFEIT_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def client_key(address: str) -> str:
    return salted_hmac(SALT, address, algorithm="sha256").hexdigest()


def lock(client: str) -> None:
    """Serialise reports from one client until the caller's transaction ends, so two workers cannot both take
    the last place. SQLite needs nothing: its IMMEDIATE transactions already take the write lock at BEGIN."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [client])


def exceeded(client: str, now: datetime) -> bool:
    recent = ReportThrottle.objects.filter(client=client, at__gt=now - WINDOW)
    return recent.count() >= policy.COUNTERFEIT_REPORTS_PER_HOUR


def note(client: str, now: datetime) -> None:
    ReportThrottle.objects.create(client=client, at=now)


def prune(now: datetime) -> int:
    """Forget counts older than the window (the daily job)."""
    return ReportThrottle.objects.filter(at__lte=now - WINDOW).delete()[0]
