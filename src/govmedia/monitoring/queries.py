"""Named questions about posts, interactions and sources, always asked on behalf of someone (their units)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from govmedia import policy, workdays
from govmedia.monitoring import access
from govmedia.monitoring.models import Interaction, InteractionKind, Post, PostKind, PostSource
from govmedia.monitoring.updates import UpdateStatus, update_of, with_last_post
from govmedia.org import access as org_access
from govmedia.registry.models import Account, Platform
from govmedia.workcal.calendar import overrides

POST_SORTS = {"published": "published_at", "account": "account__name", "title": "title", "kind": "kind",
              "source": "source"}
# States the home page warns about: past the weekly update (第六条) and beyond.
LATE = (UpdateStatus.OVERDUE, UpdateStatus.VETO, UpdateStatus.DORMANT)


def _id(params, key: str) -> int | None:
    value = params.get(key, "")
    return int(value) if value.isdigit() else None


def _day(params, key: str) -> date | None:
    try:
        return date.fromisoformat(params.get(key, ""))
    except ValueError:
        return None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def posts_for(user) -> QuerySet[Post]:
    return Post.objects.filter(account__unit__in=org_access.visible_units(user)).select_related(
        "account__unit", "account__platform")


def filter_posts(user, params) -> tuple[QuerySet[Post], dict]:
    """The post list's filters: unit, platform, account, kind, source, date range (local days), title."""
    qs, active = posts_for(user), {}
    for key, lookup in (("unit", "account__unit_id"), ("platform", "account__platform_id"),
                        ("account", "account_id")):
        if (value := _id(params, key)) is not None:
            qs, active[key] = qs.filter(**{lookup: value}), value
    if (kind := params.get("kind", "")) in PostKind.values:
        qs, active["kind"] = qs.filter(kind=kind), kind
    if (source := params.get("source", "")) in PostSource.values:
        qs, active["source"] = qs.filter(source=source), source
    if (start := _day(params, "from")) is not None:
        qs, active["from"] = qs.filter(published_at__gte=_start_of(start)), start.isoformat()
    if (end := _day(params, "to")) is not None:
        qs, active["to"] = qs.filter(published_at__lt=_start_of(end + timedelta(days=1))), end.isoformat()
    if q := params.get("q", "").strip():
        qs, active["q"] = qs.filter(title__icontains=q), q
    return qs, active


def sort_posts(qs: QuerySet[Post], sort: str) -> QuerySet[Post]:
    key = POST_SORTS.get(sort.lstrip("-"), "published_at")
    return qs.order_by(("-" if sort.startswith("-") else "") + key, "-id")


def filter_choices(user) -> dict:
    return {
        "units": org_access.visible_units(user), "platforms": Platform.objects.all(),
        "accounts": access.visible_accounts(user).order_by("unit__sort_order", "platform__sort_order", "id"),
        "kinds": PostKind.choices, "sources": PostSource.choices, "interaction_kinds": InteractionKind.choices,
    }


def interactions_for(user) -> QuerySet[Interaction]:
    return Interaction.objects.filter(account__unit__in=org_access.visible_units(user)).select_related(
        "account__unit", "account__platform")


def unanswered(user) -> QuerySet[Interaction]:
    return interactions_for(user).filter(replied_at__isnull=True)


def filter_interactions(user, params) -> tuple[QuerySet[Interaction], dict]:
    """unit, account, kind, status (unanswered / answered; ``unanswered=1`` too), text or author."""
    qs, active = interactions_for(user), {}
    for key, lookup in (("unit", "account__unit_id"), ("account", "account_id")):
        if (value := _id(params, key)) is not None:
            qs, active[key] = qs.filter(**{lookup: value}), value
    if (kind := params.get("kind", "")) in InteractionKind.values:
        qs, active["kind"] = qs.filter(kind=kind), kind
    status = "unanswered" if params.get("unanswered") == "1" else params.get("status", "")
    if status == "unanswered":
        qs, active["status"] = qs.filter(replied_at__isnull=True), status
    elif status == "answered":
        qs, active["status"] = qs.filter(replied_at__isnull=False), status
    if q := params.get("q", "").strip():
        qs, active["q"] = qs.filter(Q(text__icontains=q) | Q(author__icontains=q)), q
    return qs, active


@dataclass(frozen=True)
class ReplyClock:
    """When a message should have been answered: INTERACTION_REPLY_WORKDAYS working days after it arrived
    (the national indicator on interaction, as the inspection checks it). Loads the calendar overrides once."""

    overrides: dict

    @classmethod
    def load(cls) -> ReplyClock:
        return cls(overrides())

    def due(self, interaction: Interaction) -> date:
        received = timezone.localdate(interaction.received_at)
        return workdays.add(received, policy.INTERACTION_REPLY_WORKDAYS, overrides=self.overrides).date

    def late(self, interaction: Interaction, on: date | None = None) -> bool:
        """Unanswered past the due day, or answered after it."""
        due = self.due(interaction)
        if interaction.replied_at is None:
            return (on or timezone.localdate()) > due
        return timezone.localdate(interaction.replied_at) > due


def with_feed_counts(accounts: QuerySet[Account]) -> list[tuple[Account, object]]:
    """Each account with its number of sources and its update state (one query)."""
    qs = with_last_post(accounts.annotate(feed_count=Count("feeds"))).order_by(
        "unit__sort_order", "platform__sort_order", "id")
    now = timezone.now()
    return [(a, update_of(a, now)) for a in qs]
