"""The account's password-change state (第十二条(一): 原则上密码每3个月变更一次), derived, never stored.

The clock starts at the last recorded change; an account with none recorded counts from the start of its
opening day (Asia/Shanghai) — so an account open for years with no change on record is ``overdue`` at
once, which is what the office needs to see. ``due`` starts CREDENTIAL_DUE_SOON_DAYS before the due instant;
``overdue`` is strictly after it. Accounts that are not running (preparing, closed, cancelled) have no state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from govmedia import policy
from govmedia.registry.models import Status

MAX_AGE = timedelta(days=policy.CREDENTIAL_MAX_AGE_DAYS)
DUE_SOON = timedelta(days=policy.CREDENTIAL_DUE_SOON_DAYS)
LABELS = {"ok": "正常", "due": "即将到期", "overdue": "已逾期"}


@dataclass(frozen=True)
class PasswordState:
    changed_at: datetime | None     # the last recorded change, or None
    due_at: datetime | None         # when the next change is due, or None when the account is not running
    status: str | None              # ok | due | overdue | None

    @property
    def label(self) -> str:
        return LABELS.get(self.status or "", "—")

    def as_dict(self) -> dict:
        return {"password_changed_at": self.changed_at, "password_due_at": self.due_at, "status": self.status}


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def password_state(account, last_changed: datetime | None, now: datetime | None = None) -> PasswordState:
    """State of ``account`` whose last recorded change is ``last_changed`` (None when none is recorded)."""
    now = now or timezone.now()
    if account.status(timezone.localdate(now)) != Status.RUNNING:
        return PasswordState(last_changed, None, None)
    base = last_changed or start_of(account.opened_on)
    due_at = base + MAX_AGE
    if now > due_at:
        status = "overdue"
    elif now >= due_at - DUE_SOON:
        status = "due"
    else:
        status = "ok"
    return PasswordState(last_changed, due_at, status)


def last_change_of(account) -> datetime | None:
    if hasattr(account, "last_rotation"):  # annotated by queries.security_rows
        return account.last_rotation
    return account.credential_rotations.aggregate(last=Max("changed_at"))["last"]


def security_of(account) -> dict:
    """{"password_changed_at", "password_due_at", "status"} for GET /api/v1/accounts/{id}."""
    return password_state(account, last_change_of(account)).as_dict()
