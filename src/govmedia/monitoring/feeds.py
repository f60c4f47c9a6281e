"""Fetching posts from each account's content sources (FeedSource): RSS/Atom, WeChat, Weibo.

A failed fetch never raises: its Chinese reason is stored on ``FeedSource.last_error`` (and shown on the source's
page) and returned. Posts already stored are skipped, so the hourly job adds each post once; items without a time
or title, or outside the account's life, are left out and counted. The secret (WeChat AppSecret, Weibo access
token) is read from the environment variable the source names, at fetch time only.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.monitoring import actions
from govmedia.monitoring.actions import MonitoringError, PostData
from govmedia.monitoring.adapters import FetchError, Item, rss, wechat, weibo
from govmedia.monitoring.adapters.http import Budget
from govmedia.monitoring.models import FeedKind, FeedSource, Post, PostKind, PostSource
from govmedia.org.models import Person
from govmedia.registry.models import Account, Status

logger = logging.getLogger(__name__)

SYSTEM = "系统（定时抓取）"
SOURCE = {FeedKind.RSS: PostSource.FEED, FeedKind.WECHAT: PostSource.WECHAT, FeedKind.WEIBO: PostSource.WEIBO}
SECRET_OF = {FeedKind.WECHAT: "AppSecret", FeedKind.WEIBO: "access_token"}
ERROR_MAX = FeedSource._meta.get_field("last_error").max_length


@dataclass
class FetchResult:
    feed: FeedSource
    created: int = 0
    skipped: int = 0        # already stored
    left_out: int = 0       # without a time or title, or outside the account's life
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def summary(self) -> str:
        if self.error:
            return f"失败：{self.error}"
        text = f"新增 {self.created} 条，已有 {self.skipped} 条"
        return text + (f"，{self.left_out} 条缺少时间或标题等未登记" if self.left_out else "")


def secret_for(feed: FeedSource) -> str:
    value = os.environ.get(feed.secret_env, "") if feed.secret_env else ""
    if not value:
        raise FetchError(f"服务器上未设置环境变量 {feed.secret_env or '（未填写）'}，"
                         f"请在其中保存{SECRET_OF[FeedKind(feed.kind)]}")
    return value


def _identity(item: Item) -> str:
    return actions.post_identity(item.external_id, item.url, item.published_at, item.title)


def _known(account: Account) -> Callable[[list[Item]], bool]:
    def known(page: list[Item]) -> bool:
        ids = {_identity(item) for item in page}
        return Post.objects.filter(account=account, external_id__in=ids).count() == len(ids)

    return known


def read(feed: FeedSource) -> tuple[list[Item], int]:
    """Ask the platform (no database writes). Raises FetchError."""
    budget = Budget()
    kind = FeedKind(feed.kind)
    if kind == FeedKind.RSS:
        return rss.fetch(feed.url, budget)
    if kind == FeedKind.WECHAT:
        return wechat.fetch(feed.url, feed.app_id, secret_for(feed), budget, _known(feed.account))
    return weibo.fetch(feed.url, feed.app_id, secret_for(feed), budget, _known(feed.account))


def _checked(feed: FeedSource, items: list[Item]) -> tuple[list[PostData], int]:
    now, checked, left_out = timezone.now(), [], 0
    for item in items:
        data = PostData(feed.account, item.published_at, item.title[:actions.TITLE_MAX],
                        item.url if len(item.url) <= actions.URL_MAX else "",
                        PostKind.REPRINT if item.reprint else PostKind.ORIGINAL, item.text[:actions.TEXT_MAX],
                        item.external_id[:actions.ID_MAX])
        try:
            checked.append(actions.check_post(data, now))
        except MonitoringError:
            left_out += 1
    return checked, left_out


def fetch_feed(feed: FeedSource, *, actor=SYSTEM) -> FetchResult:
    """Fetch one source now and store what is new. Never raises for the platform's or the network's faults."""
    feed = FeedSource.objects.select_related("account__platform", "account__unit").get(pk=feed.pk)
    result = FetchResult(feed)
    items: list[Item] = []
    try:
        items, result.left_out = read(feed)
    except FetchError as error:
        result.error = str(error)
    except Exception as error:  # a platform answering in a shape nobody documented must not stop the job
        logger.exception("fetching feed %s failed", feed.pk)
        result.error = f"抓取失败：程序处理平台返回内容时出错（{error.__class__.__name__}），已记入日志"
    result.error = result.error[:ERROR_MAX]
    with transaction.atomic():
        if not result.error:
            posts, left_out = _checked(feed, items)
            result.left_out += left_out
            result.created, result.skipped = actions.add_posts(posts, source=SOURCE[FeedKind(feed.kind)],
                                                               actor=actor, event=None)
        locked = FeedSource.objects.select_for_update().get(pk=feed.pk)
        changed_error = locked.last_error != result.error
        locked.last_fetched_at, locked.last_error = timezone.now(), result.error
        locked.save(update_fields=["last_fetched_at", "last_error"])
        feed.last_fetched_at, feed.last_error = locked.last_fetched_at, locked.last_error
        # Audited when something was added, the error changed, or a person asked; not every quiet hourly run.
        if result.created or changed_error or isinstance(actor, Person):
            record(EventType.POSTS_FETCHED, actor=actor, obj=feed,
                   after={"created": result.created, "skipped": result.skipped, "left_out": result.left_out,
                          "error": result.error})
    return result


def sources(account_id: int | None = None):
    """Enabled sources of running accounts (a closed or cancelled account publishes nothing more)."""
    running = Account.objects.in_status(Status.RUNNING)
    qs = FeedSource.objects.filter(enabled=True, account__in=running).select_related("account__platform")
    if account_id is not None:
        qs = qs.filter(account_id=account_id)
    return qs.order_by("account_id", "id")


def fetch_all(*, account_id: int | None = None, actor=SYSTEM,
              progress: Callable[[int, int, FetchResult], None] | None = None) -> list[FetchResult]:
    feeds = list(sources(account_id))
    results = []
    for number, feed in enumerate(feeds, start=1):
        result = fetch_feed(feed, actor=actor)
        results.append(result)
        if progress is not None:
            progress(number, len(feeds), result)
    return results
