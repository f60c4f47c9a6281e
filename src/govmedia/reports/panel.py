"""One account's panel: its update state in words, when it changes next, its charts and pending reprints."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists
from django.utils import timezone

from govmedia import policy
from govmedia.monitoring.updates import WEEK, Update, update_of
from govmedia.publishing import directives
from govmedia.registry.models import Account
from govmedia.reports import dashboard, states

RECENT_POSTS = 20


def _day(moment) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日"


def explain(account: Account, update: Update, now: datetime) -> str:
    """"最近一次更新X天前，应于Y前更新", in the words a person reads on the panel."""
    if update.status is None:
        return f"该账号当前为“{account.status_label()}”状态，不承担每周更新要求。"
    due = timezone.localtime(update.due_at)
    due_text = f"{_day(due)}{due:%H:%M}"
    if update.last_post_at is None:
        text = f"开设以来尚未登记发布内容（{_day(account.opened_on)}开设），应于{due_text}前更新。"
    else:
        days = (now - update.last_post_at).days
        text = f"最近一次更新{'今天' if days == 0 else f'{days}天前'}，应于{due_text}前更新。"
    if now > update.due_at:
        text += f"已超过应更新时间{(now - update.due_at).days}天。"
    return text


def timeline(update: Update, now: datetime) -> list[dict]:
    """When the state changes (or changed) if nothing more is posted, on the same clock as ``status_for``."""
    if update.status is None:
        return []
    start = update.due_at - WEEK
    steps = [
        ("due", update.due_at - timedelta(days=policy.UPDATE_DUE_SOON_DAYS)),
        ("overdue", update.due_at),
        ("veto", start + timedelta(days=policy.UPDATE_VETO_DAYS)),
        ("dormant", start + timedelta(days=policy.UPDATE_DORMANT_DAYS)),
    ]
    return [{"label": states.LABELS[code], "at": at, "passed": now >= at, "color": states.COLORS[code]}
            for code, at in steps]


def pending_directives(account: Account, now: datetime) -> list[dict]:
    """Reprint directives naming the account and not yet reprinted there, earliest deadline first."""
    links = (dashboard.DirectiveAccount.objects.filter(account=account).filter(~Exists(dashboard.reprinted_here()))
             .select_related("reprintdirective").order_by("reprintdirective__due_at"))
    return [{"directive": link.reprintdirective,
             "status": directives.status_of(link.reprintdirective.due_at, None, now)} for link in links]


def context(account: Account, now: datetime) -> dict:
    update = update_of(account, now)
    weekly = dashboard.weekly_counts([account.pk], now, by="account_id")
    monthly = dashboard.monthly_share([account.pk], now)
    status = update.status.value if update.status else None
    return {
        "account": account, "update": update, "status": status,
        "status_label": states.LABELS.get(status, account.status_label()),
        "color": states.COLORS.get(status, "#6c757d"), "text_color": states.TEXT_COLORS.get(status, "#ffffff"),
        "explanation": explain(account, update, now), "timeline": timeline(update, now),
        "posts": account.posts.order_by("-published_at", "-id")[:RECENT_POSTS],
        "directives": pending_directives(account, now),
        "charts": {
            "weekly": {"labels": [f"{d:%m-%d}" for d in weekly["weeks"]],
                       "series": [{"name": account.name,
                                   "data": weekly["counts"].get(account.pk, [0] * len(weekly["weeks"]))}]},
            "monthly": {"labels": [f"{d:%Y-%m}" for d in monthly["months"]], "originals": monthly["originals"],
                        "reprints": monthly["reprints"], "share": monthly["share"]},
        },
        "now": now,
    }
