"""An account's update state (第六条 weekly updates), derived from its newest post and ``policy.py``.

Like a healthcheck: the last post is the ping, the week is the period, two days before it ends the account is
``due``; after it ``overdue``; at 14 days the national indicator's single veto; at 90 days ``dormant``. An
account that never posted counts from its opening. Only running accounts have the duty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from govmedia import policy
from govmedia.registry.models import Account, Status


class UpdateStatus(models.TextChoices):
    OK = "ok", "正常"
    DUE = "due", "即将到期"
    OVERDUE = "overdue", "超期未更新"
    VETO = "veto", "单项否决"
    DORMANT = "dormant", "长期不更新"


WEEK = timedelta(days=policy.UPDATE_WEEKLY_DAYS)


def status_for(reference: datetime, now: datetime) -> UpdateStatus:
    """The state of an account whose clock started at ``reference`` (its last post, or its opening)."""
    age = now - reference
    if age >= timedelta(days=policy.UPDATE_DORMANT_DAYS):
        return UpdateStatus.DORMANT
    if age >= timedelta(days=policy.UPDATE_VETO_DAYS):
        return UpdateStatus.VETO
    if age > WEEK:
        return UpdateStatus.OVERDUE
    if age >= WEEK - timedelta(days=policy.UPDATE_DUE_SOON_DAYS):
        return UpdateStatus.DUE
    return UpdateStatus.OK


@dataclass(frozen=True)
class Update:
    last_post_at: datetime | None
    status: UpdateStatus | None     # None: the account is not running, so it has no duty to update
    due_at: datetime | None

    @property
    def days_since(self) -> int | None:
        if self.last_post_at is None:
            return None
        return (timezone.now() - self.last_post_at).days

    def as_dict(self) -> dict:
        return {"last_post_at": self.last_post_at, "status": self.status.value if self.status else None,
                "due_at": self.due_at}


def with_last_post(accounts: models.QuerySet[Account]) -> models.QuerySet[Account]:
    """Annotate ``last_post_at``; one indexed lookup per account (post_account_time_idx)."""
    from govmedia.monitoring.models import Post

    newest = Post.objects.filter(account=OuterRef("pk")).order_by("-published_at").values("published_at")[:1]
    return accounts.annotate(last_post_at=Subquery(newest))


def update_of(account: Account, now: datetime | None = None) -> Update:
    """The update state of one account; uses an annotated ``last_post_at`` when the queryset provided it."""
    now = now or timezone.now()
    if hasattr(account, "last_post_at"):
        last = account.last_post_at
    else:
        newest = account.posts.order_by("-published_at").values_list("published_at", flat=True).first()
        last = newest
    if account.status(timezone.localdate(now)) != Status.RUNNING:
        return Update(last, None, None)
    reference = last
    if reference is None:
        reference = timezone.make_aware(datetime.combine(account.opened_on, time.min))
    return Update(last, status_for(reference, now), reference + WEEK)
