"""Named questions about the registry, always asked on behalf of someone (their visible units)."""

from __future__ import annotations

import difflib
from collections import defaultdict

from django.db.models import Count, Q

from govmedia import policy
from govmedia.org import access
from govmedia.registry.models import Account, Filing, Platform, Status, today


def accounts_for(user):
    return Account.objects.filter(unit__in=access.visible_units(user)).select_related("unit", "platform")


def filings_for(user):
    return Filing.objects.filter(event__account__unit__in=access.visible_units(user)).select_related(
        "event__account__unit", "event__account__platform"
    )


def dashboard(user) -> dict:
    on = today()
    accounts = accounts_for(user).with_status(on)
    by_status = dict(accounts.values_list("status_code").annotate(n=Count("id")).values_list("status_code", "n"))
    by_platform = list(
        accounts.exclude(status_code=Status.CANCELLED.value)
        .values("platform__name").annotate(n=Count("id")).order_by("-n", "platform__name")
    )
    attention = list(filings_for(user).needing_attention(on).order_by("due_date")[:20])
    return {
        "status_counts": [(s.label, by_status.get(s.value, 0), s.value) for s in Status],
        "total_accounts": sum(by_status.values()),
        "platform_chart": {"names": [r["platform__name"] for r in by_platform], "counts": [r["n"] for r in by_platform]},
        "attention": [(f, f.status(on)) for f in attention],
        "overdue_count": filings_for(user).overdue(on).count(),
        "due_soon_count": filings_for(user).due_soon(on).count(),
        "today": on,
    }


def duplicate_groups(user) -> list[dict]:
    """第五条: units holding more than one live account on one platform."""
    rows = (
        accounts_for(user).not_cancelled().values("unit", "platform")
        .annotate(n=Count("id")).filter(n__gt=policy.ACCOUNTS_PER_PLATFORM_PER_UNIT)
    )
    groups = []
    for row in rows:
        accounts = list(accounts_for(user).not_cancelled().filter(unit=row["unit"], platform=row["platform"]))
        groups.append({"unit": accounts[0].unit, "platform": accounts[0].platform, "accounts": accounts})
    return groups


def similar_across_platforms(user) -> list[dict]:
    """第五条: a unit's accounts on different platforms with similar names (功能相近), to consider merging."""
    by_unit = defaultdict(list)
    for account in accounts_for(user).not_cancelled().order_by("unit", "platform__sort_order"):
        by_unit[account.unit].append(account)
    pairs = []
    for unit, accounts in by_unit.items():
        for i, a in enumerate(accounts):
            for b in accounts[i + 1:]:
                if a.platform_id == b.platform_id:
                    continue
                ratio = difflib.SequenceMatcher(None, a.name, b.name).ratio()
                if ratio >= policy.CONSOLIDATION_NAME_SIMILARITY:
                    pairs.append({"unit": unit, "a": a, "b": b, "similarity": round(ratio * 100)})
    return pairs


def filter_accounts(user, params) -> tuple:
    """The account list's filters: unit, platform, status, free text; returns (queryset, active filters)."""
    qs = accounts_for(user).with_status()
    active = {}
    if (unit := params.get("unit", "")).isdigit():
        qs, active["unit"] = qs.filter(unit_id=int(unit)), int(unit)
    if (platform := params.get("platform", "")).isdigit():
        qs, active["platform"] = qs.filter(platform_id=int(platform)), int(platform)
    if (status := params.get("status", "")) in Status.values:
        qs, active["status"] = qs.filter(status_code=status), status
    if q := params.get("q", "").strip():
        qs, active["q"] = qs.filter(Q(name__icontains=q) | Q(platform_uid__icontains=q) | Q(subject__icontains=q)), q
    return qs, active


def approved_platforms():
    return Platform.objects.filter(approved=True)
