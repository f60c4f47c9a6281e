"""The monitoring dashboard's questions (第六条). Each is one or two database queries, whatever the number of
accounts and posts: counts are grouped in the database (by account, unit, week or month), never asked per account.

The charts' counts of finished weeks and months read up to a year of posts — the one costly question at a million
posts — so they are kept in Django's cache for CLOSED_SECONDS; the current week and month are always counted live,
so a post published now shows at once.

Only running accounts carry the weekly-update duty, so only they are listed. An account's state comes from
``monitoring.updates`` (its newest post, or its opening when it never posted).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from govmedia.monitoring.models import Post, PostKind
from govmedia.monitoring.updates import WEEK, update_of, with_last_post
from govmedia.org.models import Person, Unit
from govmedia.publishing.models import Kind, Publication, ReprintDirective
from govmedia.registry.models import Account, Platform, Status
from govmedia.reports import access, states

WEEKS = 13    # a quarter of weekly counts
MONTHS = 12   # a year of monthly original-content share
CLOSED_SECONDS = 3600  # how long the counts of finished weeks and months are reused (see _closed)
DirectiveAccount = ReprintDirective.accounts.through
# What a row shows and its state needs; not the opening evidence (a JSON document per account) or the links.
ROW_FIELDS = ("name", "unit_id", "platform_id", "opened_on", "closed_on", "cancelled_on")


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class Row:
    """One running account on the dashboard, with its derived update state."""

    account: Account
    status: str
    last_post_at: datetime | None
    reference: datetime           # the last post, or the opening when the account never posted
    due_at: datetime
    days: int                     # whole days since ``reference``
    directives_overdue: int = 0

    @property
    def status_label(self) -> str:
        return states.LABELS[self.status]

    @property
    def color(self) -> str:
        return states.COLORS[self.status]

    @property
    def text_color(self) -> str:
        return states.TEXT_COLORS.get(self.status, "#ffffff")

    @property
    def severity(self) -> int:
        return states.SEVERITY[self.status]

    @property
    def never_posted(self) -> bool:
        return self.last_post_at is None


@dataclass(frozen=True)
class Filters:
    unit: int | None = None
    platform: int | None = None
    state: str | None = None

    @classmethod
    def from_params(cls, params) -> Filters:
        unit, platform, state = params.get("unit", ""), params.get("platform", ""), params.get("state", "")
        return cls(int(unit) if unit.isdigit() else None, int(platform) if platform.isdigit() else None,
                   state if state in states.SEVERITY else None)

    def as_dict(self) -> dict:
        return {"unit": self.unit, "platform": self.platform, "state": self.state}


def running_accounts(user: Person, filters: Filters, on: date) -> QuerySet[Account]:
    """The running accounts of the units ``user`` sees, narrowed by unit and platform (not by state)."""
    qs = access.visible_accounts(user).in_status(Status.RUNNING, on)
    if filters.unit is not None:
        qs = qs.filter(unit_id=filters.unit)
    if filters.platform is not None:
        qs = qs.filter(platform_id=filters.platform)
    return qs


def rows(accounts: QuerySet[Account], now: datetime) -> list[Row]:
    """Every account of ``accounts`` with its state: four queries (units, platforms, accounts with their newest
    post, directives)."""
    units, platforms = {u.pk: u for u in Unit.objects.all()}, {p.pk: p for p in Platform.objects.all()}
    listed = list(with_last_post(accounts.only(*ROW_FIELDS)))
    for account in listed:  # a few units and platforms shared by many accounts: attached, not joined
        Account.unit.field.set_cached_value(account, units[account.unit_id])
        Account.platform.field.set_cached_value(account, platforms[account.platform_id])
    overdue = directives_overdue(accounts.values("pk"), now)
    result = []
    for account in listed:
        update = update_of(account, now)
        if update.status is None:  # not running today (cannot happen for running_accounts; kept safe)
            continue
        reference = update.due_at - WEEK  # the last post, or the opening when it never posted
        result.append(Row(account=account, status=update.status.value, last_post_at=account.last_post_at,
                          reference=reference, due_at=update.due_at, days=max(0, (now - reference).days),
                          directives_overdue=overdue.get(account.pk, 0)))
    return result


def reprinted_here() -> QuerySet[Publication]:
    """For a (directive, account) row: the reprints tied to the directive published on that account."""
    return Publication.objects.filter(
        draft__kind=Kind.REPRINT, published_at__isnull=False,
        draft__directive_id=OuterRef("reprintdirective_id"), account_id=OuterRef("account_id"),
    )


def directives_overdue(account_ids, now: datetime) -> dict[int, int]:
    """Reprint directives past their deadline and still not reprinted, per account (第六条: 24 hours)."""
    pending = (DirectiveAccount.objects.filter(account_id__in=account_ids, reprintdirective__due_at__lt=now)
               .filter(~Exists(reprinted_here())).values("account_id").annotate(n=Count("id")).order_by())
    return {r["account_id"]: r["n"] for r in pending}


def state_counts(listed: list[Row]) -> dict[str, int]:
    counts = dict.fromkeys(states.SEVERITY, 0)
    for row in listed:
        counts[row.status] += 1
    return counts


SORTS = {
    "state": lambda r: (r.severity, r.days),
    "unit": lambda r: (r.account.unit.sort_order, r.account.unit_id, r.account.platform.sort_order),
    "platform": lambda r: (r.account.platform.sort_order, r.account.platform_id, r.account.unit.sort_order),
    "name": lambda r: (r.account.name, r.account.pk),
    "days": lambda r: (r.days, r.severity),
    "last": lambda r: (r.last_post_at is not None, r.last_post_at or r.reference),
    "due": lambda r: r.due_at,
    "directives": lambda r: (r.directives_overdue, r.severity),
}
DEFAULT_SORT = "-state"  # the worst first


def sort_rows(listed: list[Row], sort: str) -> tuple[list[Row], str]:
    key = sort.lstrip("-")
    if key not in SORTS:
        sort, key = DEFAULT_SORT, DEFAULT_SORT.lstrip("-")
    return sorted(listed, key=SORTS[key], reverse=sort.startswith("-")), sort


# --- charts -----------------------------------------------------------------------------------------------------


def week_starts(now: datetime, weeks: int = WEEKS) -> list[date]:
    """The Mondays of the last ``weeks`` weeks, the current week last."""
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def month_starts(now: datetime, months: int = MONTHS) -> list[date]:
    today = timezone.localdate(now)
    firsts = []
    year, month = today.year, today.month
    for _ in range(months):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def _local_day(value) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def _cache_key(kind: str, account_ids, starts: list[date], by: str = "") -> str:
    """The SQL of the account selection (user's units, filters, today) names the scope; a list names itself."""
    scope = str(account_ids.query) if hasattr(account_ids, "query") else repr(sorted(account_ids))
    digest = hashlib.sha256(f"{kind}|{by}|{scope}|{starts[0]}|{starts[-1]}".encode()).hexdigest()
    return f"reports:{kind}:{digest}"


def _closed(kind: str, account_ids, starts: list[date], by: str, compute) -> dict:
    """Counts of the finished weeks or months, from the cache when computed within CLOSED_SECONDS.

    Finished periods only change when posts are back-dated into them (an import of last month's posts), so
    the charts may show those up to CLOSED_SECONDS late; the current week and month are always counted live.
    """
    key = _cache_key(kind, account_ids, starts, by)
    counts = cache.get(key)
    if counts is None:
        counts = compute()
        cache.set(key, counts, CLOSED_SECONDS)
    return counts


def weekly_counts(account_ids, now: datetime, *, by: str = "account__unit_id") -> dict:
    """Posts per week over the last quarter, grouped by ``by`` (a unit, or one account).

    Two queries at most: the finished weeks (grouped by week in the database; cached) and the current week.
    Returns {"weeks": [Monday, …], "counts": {key: [n per week]}}.
    """
    starts = week_starts(now)
    posts = Post.objects.filter(account_id__in=account_ids)
    current = local_midnight(starts[-1])

    def finished() -> list[tuple]:
        grouped = (posts.filter(published_at__gte=local_midnight(starts[0]), published_at__lt=current)
                   .annotate(week=TruncWeek("published_at")).values("week", by).annotate(n=Count("id")).order_by())
        return [(_local_day(r["week"]), r[by], r["n"]) for r in grouped]

    rows = _closed("weekly", account_ids, starts, by, finished)
    this_week = (posts.filter(published_at__gte=current, published_at__lte=now).values(by)
                 .annotate(n=Count("id")).order_by())
    rows = rows + [(starts[-1], r[by], r["n"]) for r in this_week]
    index = {day: i for i, day in enumerate(starts)}
    counts: dict = {}
    for day, key, n in rows:
        i = index.get(day)
        if i is not None:
            counts.setdefault(key, [0] * len(starts))[i] += n
    return {"weeks": starts, "counts": counts}


def monthly_share(account_ids, now: datetime) -> dict:
    """Posts per month over the last year, originals and reprints, and the original share (原创占比).

    Two queries at most: the finished months (cached, as for the weeks) and the current month.
    """
    starts = month_starts(now)
    posts = Post.objects.filter(account_id__in=account_ids)
    current = local_midnight(starts[-1])
    originals_only = Q(kind=PostKind.ORIGINAL)

    def finished() -> list[tuple]:
        grouped = (posts.filter(published_at__gte=local_midnight(starts[0]), published_at__lt=current)
                   .annotate(month=TruncMonth("published_at")).values("month")
                   .annotate(total=Count("id"), originals=Count("id", filter=originals_only)).order_by())
        return [(_local_day(r["month"]), r["total"], r["originals"]) for r in grouped]

    rows = _closed("monthly", account_ids, starts, "", finished)
    this_month = posts.filter(published_at__gte=current, published_at__lte=now).aggregate(
        total=Count("id"), originals=Count("id", filter=originals_only))
    rows = rows + [(starts[-1], this_month["total"], this_month["originals"])]
    index = {day: i for i, day in enumerate(starts)}
    totals, originals = [0] * len(starts), [0] * len(starts)
    for day, total, original in rows:
        i = index.get(day)
        if i is not None:
            totals[i] += total
            originals[i] += original
    return {
        "months": starts, "totals": totals, "originals": originals,
        "reprints": [t - o for t, o in zip(totals, originals, strict=True)],
        "share": [round(100 * o / t, 1) if t else None for t, o in zip(totals, originals, strict=True)],
    }


def chart_data(listed: list[Row], account_ids, now: datetime) -> dict:
    """What the dashboard's three charts draw, as JSON for json_script."""
    weekly = weekly_counts(account_ids, now)
    units = {}
    for row in listed:
        units.setdefault(row.account.unit_id, row.account.unit)
    ordered = sorted(units.values(), key=lambda u: (u.sort_order, u.pk))
    monthly = monthly_share(account_ids, now)
    counts = state_counts(listed)
    return {
        "weekly": {
            "labels": [f"{d:%m-%d}" for d in weekly["weeks"]],
            "series": [{"name": u.short_name or u.name, "data": weekly["counts"].get(u.pk, [0] * WEEKS)}
                       for u in ordered],
        },
        "monthly": {
            "labels": [f"{d:%Y-%m}" for d in monthly["months"]],
            "originals": monthly["originals"], "reprints": monthly["reprints"], "share": monthly["share"],
        },
        "states": [{"value": s["value"], "name": s["label"], "count": counts[s["value"]], "color": s["color"]}
                   for s in states.choices()],
    }


# --- the per-unit compliance summary ----------------------------------------------------------------------------


def compliance(units, listed: list[Row]) -> list[dict]:
    """Per unit (every unit given, in order): running accounts, how many in each state, the share within the
    weekly update (更新合规率), and reprint directives overdue. Counts come from ``listed``; no query per unit."""
    by_unit: dict[int, list[Row]] = {}
    for row in listed:
        by_unit.setdefault(row.account.unit_id, []).append(row)
    result = []
    for unit in units:
        unit_rows = by_unit.get(unit.pk, [])
        counts = state_counts(unit_rows)
        result.append({"unit": unit, "accounts": len(unit_rows), "counts": counts,
                       "cells": [(code, counts[code]) for code in states.SEVERITY],
                       "compliance": states.compliance_rate(counts),
                       "directives_overdue": sum(r.directives_overdue for r in unit_rows)})
    return result
