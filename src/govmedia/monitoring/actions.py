"""Everything that changes what the platform knows was published (第六条, 第九条): posts, interactions, sources.

Each verb validates, writes and audits in one transaction and refuses with ``MonitoringError`` (a Chinese message,
the field at fault, and a code the API maps: "invalid" → 422, "forbidden" → 403, "conflict" → 409).

Idempotency: every post and interaction has an identity within its account — the platform's id when there is one,
else its link, else a digest of its time and title (text) — held unique by the database. Recording the same item
again (a re-import, the next hourly fetch, an API client retrying) returns the stored one and writes nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.monitoring import access
from govmedia.monitoring.models import (
    FeedKind,
    FeedSource,
    Interaction,
    InteractionKind,
    Post,
    PostKind,
    PostSource,
)
from govmedia.monitoring.text import plain_text
from govmedia.org.models import Person
from govmedia.registry.models import Account

CLOCK_SKEW = timedelta(minutes=5)   # a platform's clock a little ahead of ours is not "in the future"
TEXT_MAX = 100_000                  # characters of a post's or message's text
TITLE_MAX = Post._meta.get_field("title").max_length
URL_MAX = Post._meta.get_field("url").max_length
ID_MAX = Post._meta.get_field("external_id").max_length
AUTHOR_MAX = Interaction._meta.get_field("author").max_length
_url = URLValidator(schemes=["http", "https"])


class MonitoringError(Exception):
    def __init__(self, message: str, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message, self.field, self.code = message, field, code


# --- identities and checks --------------------------------------------------------------------------------


def _digest(*parts) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:40]


def link_id(url: str) -> str:
    """A link as an identity: itself when it fits the column, else a digest of it."""
    return url if len(url) <= ID_MAX else f"sha256:{_digest(url)}"


def post_identity(external_id: str, url: str, published_at: datetime, title: str) -> str:
    if external_id:
        return external_id
    if url:
        return link_id(url)
    return f"auto:{_digest(published_at.astimezone(UTC).isoformat(), title)}"


def interaction_identity(external_id: str, kind: str, author: str, received_at: datetime, text: str) -> str:
    if external_id:
        return external_id
    return f"auto:{_digest(kind, author, received_at.astimezone(UTC).isoformat(), text)}"


def aware(moment: datetime) -> datetime:
    """A time without an offset is the bureau's local time (Asia/Shanghai)."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def check_url(url: str, field: str = "url") -> str:
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > URL_MAX:
        raise MonitoringError(f"链接不能超过{URL_MAX}个字符", field)
    try:
        _url(url)
    except ValidationError:
        raise MonitoringError(f"链接格式不正确：{url[:100]}（应以 http:// 或 https:// 开头）", field) from None
    return url


def check_time_on_account(account: Account, moment: datetime, field: str, label: str, now: datetime) -> None:
    """The time lies within the account's life (opened … cancelled) and not in the future."""
    if moment > now + CLOCK_SKEW:
        raise MonitoringError(f"{label}{timezone.localtime(moment):%Y-%m-%d %H:%M}晚于当前时间", field)
    day = timezone.localdate(moment)
    if account.opened_on is None:
        raise MonitoringError(f"账号{account}尚未开设（筹备中），不能登记", "account")
    if day < account.opened_on:
        raise MonitoringError(f"{label}{day:%Y-%m-%d}早于账号开设日期{account.opened_on:%Y-%m-%d}", field)
    if account.cancelled_on and day > account.cancelled_on:
        raise MonitoringError(f"{label}{day:%Y-%m-%d}晚于账号注销日期{account.cancelled_on:%Y-%m-%d}", field)


@dataclass(frozen=True)
class PostData:
    """A post as reported, before it is stored. ``check_post`` returns it cleaned, with its identity."""

    account: Account
    published_at: datetime
    title: str
    url: str = ""
    kind: str = PostKind.ORIGINAL
    text: str = ""
    external_id: str = ""


def check_post(data: PostData, now: datetime | None = None) -> PostData:
    now = now or timezone.now()
    title = " ".join((data.title or "").split())
    if not title:
        raise MonitoringError("请填写标题", "title")
    if len(title) > TITLE_MAX:
        raise MonitoringError(f"标题不能超过{TITLE_MAX}个字", "title")
    if data.kind not in PostKind.values:
        raise MonitoringError("类型应为原创（original）或转载（reprint）", "kind")
    text = (data.text or "").strip()
    if len(text) > TEXT_MAX:
        raise MonitoringError(f"正文不能超过{TEXT_MAX}个字", "text")
    external_id = (data.external_id or "").strip()
    if len(external_id) > ID_MAX:
        raise MonitoringError(f"平台内容ID不能超过{ID_MAX}个字符", "external_id")
    url = check_url(data.url)
    published_at = aware(data.published_at)
    check_time_on_account(data.account, published_at, "published_at", "发布时间", now)
    return PostData(data.account, published_at, title, url, data.kind, text,
                    post_identity(external_id, url, published_at, title))


def _require_recorder(actor, account: Account) -> None:
    # A person is checked here as well as by the page or endpoint; jobs and the demo act as the system (a string).
    if isinstance(actor, Person) and not access.can_record(actor, account.unit_id):
        raise MonitoringError(f"您无权登记{account}的发布内容", "account", "forbidden")


def _snapshot(post: Post) -> dict:
    return {"account": str(post.account), "published_at": post.published_at, "title": post.title,
            "kind": post.kind, "source": post.source, "url": post.url}


def _new_post(data: PostData, source: str, publication=None) -> Post:
    return Post(account=data.account, published_at=data.published_at, title=data.title, url=data.url,
                kind=data.kind, text=data.text, source=source, external_id=data.external_id,
                publication=publication)


# --- posts ------------------------------------------------------------------------------------------------


@transaction.atomic
def record_post(*, account: Account, published_at: datetime, title: str, source: str, actor, url: str = "",
                kind: str = PostKind.ORIGINAL, text: str = "", external_id: str = "") -> tuple[Post, bool]:
    """Record one post; returns (post, created). The same post again returns the stored one, unchanged."""
    _require_recorder(actor, account)
    if source not in PostSource.values:
        raise MonitoringError("来源无效", "source")
    data = check_post(PostData(account, published_at, title, url, kind, text, external_id))
    existing = Post.objects.filter(account=account, external_id=data.external_id).first()
    if existing is not None:
        return existing, False
    post = _new_post(data, source)
    post.save()
    record(EventType.POST_RECORDED, actor=actor, obj=post, after=_snapshot(post))
    return post, True


@transaction.atomic
def add_posts(items: list[PostData], *, source: str, actor, event: EventType | None, object_repr: str = "",
              details: dict | None = None) -> tuple[int, int]:
    """Store checked posts (from ``check_post``) not yet stored; one audit row for the batch when any was new
    (none when ``event`` is None: the caller writes its own). Returns (created, already stored).
    Used by the import (all rows checked first) and by fetching."""
    by_account: dict[int, set[str]] = {}
    for item in items:
        by_account.setdefault(item.account.pk, set()).add(item.external_id)
    known = set()
    for account_id, ids in by_account.items():
        known |= {(account_id, i) for i in Post.objects.filter(account_id=account_id, external_id__in=ids)
                  .values_list("external_id", flat=True)}
    fresh, seen = [], set()
    for item in items:
        key = (item.account.pk, item.external_id)
        if key in known or key in seen:
            continue
        seen.add(key)
        fresh.append(_new_post(item, source))
    # ignore_conflicts: a concurrent fetch of the same source may have stored some of them a moment ago.
    Post.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
    if fresh and event is not None:
        record(event, actor=actor, object_repr=object_repr,
               after={"created": len(fresh), "skipped": len(items) - len(fresh), **(details or {})})
    return len(fresh), len(items) - len(fresh)


def post_from_publication(publication, *, actor) -> Post | None:
    """The post a successful publishing record (登记发布) stands for; None for a failed publication.

    Called by ``publishing.actions.record_publication`` inside its transaction. The approved version's title and
    body are what went out, so they are what patrols re-scan; the draft's kind (原创/转载) is the post's. A post
    already fetched from the platform under the same link is linked to the publication instead of counted twice.
    The publishing record's own audit row (登记发布: account, link, time) is the record of this: no second row.
    ``actor`` is accepted for the verbs' common signature.
    """
    if publication.published_at is None:
        return None
    existing = Post.objects.filter(publication=publication).first()
    if existing is not None:
        return existing
    submission = publication.submission
    title = " ".join(submission.title.split())[:TITLE_MAX] or str(publication.draft)[:TITLE_MAX]
    url = publication.url.strip()
    data = PostData(publication.account, publication.published_at, title, url, publication.draft.kind,
                    plain_text(submission.body)[:TEXT_MAX])
    data = replace(data, external_id=post_identity("", url, data.published_at, title))
    same = Post.objects.select_for_update().filter(account=publication.account, external_id=data.external_id).first()
    if same is not None:
        if same.publication_id is None:
            same.publication = publication
            same.save(update_fields=["publication"])
        return same
    post = _new_post(data, PostSource.WORKFLOW, publication)
    post.save()
    return post


# --- interactions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InteractionData:
    account: Account
    kind: str
    text: str
    received_at: datetime
    author: str = ""
    replied_at: datetime | None = None
    reply: str = ""
    external_id: str = ""


def check_reply(received_at: datetime, replied_at: datetime | None, reply: str, now: datetime) -> None:
    if bool(reply) != (replied_at is not None):
        if reply:
            raise MonitoringError("填写了回复内容，请同时填写回复时间", "replied_at")
        raise MonitoringError("填写了回复时间，请同时填写回复内容", "reply")
    if replied_at is None:
        return
    if replied_at < received_at:
        raise MonitoringError(f"回复时间{timezone.localtime(replied_at):%Y-%m-%d %H:%M}早于留言时间", "replied_at")
    if replied_at > now + CLOCK_SKEW:
        raise MonitoringError(f"回复时间{timezone.localtime(replied_at):%Y-%m-%d %H:%M}晚于当前时间", "replied_at")
    if len(reply) > TEXT_MAX:
        raise MonitoringError(f"回复内容不能超过{TEXT_MAX}个字", "reply")


def check_interaction(data: InteractionData, now: datetime | None = None) -> InteractionData:
    now = now or timezone.now()
    if data.kind not in InteractionKind.values:
        raise MonitoringError("类型应为留言或评论", "kind")
    text = (data.text or "").strip()
    if not text:
        raise MonitoringError("请填写留言内容", "text")
    if len(text) > TEXT_MAX:
        raise MonitoringError(f"留言内容不能超过{TEXT_MAX}个字", "text")
    author = (data.author or "").strip()
    if len(author) > AUTHOR_MAX:
        raise MonitoringError(f"留言人不能超过{AUTHOR_MAX}个字", "author")
    received_at = aware(data.received_at)
    check_time_on_account(data.account, received_at, "received_at", "留言时间", now)
    replied_at = aware(data.replied_at) if data.replied_at is not None else None
    reply = (data.reply or "").strip()
    check_reply(received_at, replied_at, reply, now)
    external_id = (data.external_id or "").strip()[:ID_MAX]
    return InteractionData(data.account, data.kind, text, received_at, author, replied_at, reply,
                           interaction_identity(external_id, data.kind, author, received_at, text))


@transaction.atomic
def add_interactions(items: list[InteractionData], *, actor, object_repr: str) -> dict:
    """Store checked interactions; one already stored gains the reply a later file brings, else is left alone.

    Returns {"created", "replied", "skipped"}; one audit row (导入互动留言) when anything changed.
    """
    stored = {}
    for item in items:
        stored.setdefault(item.account.pk, set()).add(item.external_id)
    existing = {}
    for account_id, ids in stored.items():
        for row in Interaction.objects.select_for_update().filter(account_id=account_id, external_id__in=ids):
            existing[(account_id, row.external_id)] = row
    created, replied, skipped, seen = [], 0, 0, set()
    for item in items:
        key = (item.account.pk, item.external_id)
        if key in seen:
            skipped += 1
            continue
        seen.add(key)
        row = existing.get(key)
        if row is None:
            created.append(Interaction(account=item.account, kind=item.kind, external_id=item.external_id,
                                       author=item.author, text=item.text, received_at=item.received_at,
                                       replied_at=item.replied_at, reply=item.reply))
        elif row.replied_at is None and item.replied_at is not None:
            row.replied_at, row.reply = item.replied_at, item.reply
            row.save(update_fields=["replied_at", "reply"])
            replied += 1
        else:
            skipped += 1
    Interaction.objects.bulk_create(created, batch_size=500, ignore_conflicts=True)
    counts = {"created": len(created), "replied": replied, "skipped": skipped}
    if created or replied:
        record(EventType.INTERACTIONS_IMPORTED, actor=actor, object_repr=object_repr, after=counts)
    return counts


@transaction.atomic
def record_reply(interaction: Interaction, *, reply: str, actor, replied_at: datetime | None = None) -> Interaction:
    """Record that a message or comment was answered (on the platform), when and with what."""
    interaction = Interaction.objects.select_for_update().select_related("account").get(pk=interaction.pk)
    if isinstance(actor, Person) and not access.can_record(actor, interaction.account.unit_id):
        raise MonitoringError(f"您无权登记{interaction.account}的留言回复", code="forbidden")
    now = timezone.now()
    reply = (reply or "").strip()
    replied_at = aware(replied_at) if replied_at is not None else now
    if not reply:
        raise MonitoringError("请填写回复内容", "reply")
    if interaction.replied_at is not None:
        if interaction.reply == reply:
            return interaction
        raise MonitoringError(
            f"该留言已于{timezone.localtime(interaction.replied_at):%Y-%m-%d %H:%M}登记回复", "reply", "conflict")
    check_reply(interaction.received_at, replied_at, reply, now)
    interaction.replied_at, interaction.reply = replied_at, reply
    interaction.save(update_fields=["replied_at", "reply"])
    record(EventType.INTERACTION_REPLIED, actor=actor, obj=interaction,
           after={"account": str(interaction.account), "replied_at": replied_at, "reply": reply[:200]})
    return interaction


# --- content sources --------------------------------------------------------------------------------------

FEED_FIELDS = ("kind", "url", "app_id", "secret_env", "enabled")


def _feed_snapshot(feed: FeedSource) -> dict:
    return {field: getattr(feed, field) for field in FEED_FIELDS}


def check_feed(kind: str, url: str, app_id: str, secret_env: str) -> None:
    if kind not in FeedKind.values:
        raise MonitoringError("来源类型应为 RSS/Atom、微信公众号发布列表或微博用户时间线", "kind")
    if not url:
        raise MonitoringError("请填写地址" if kind == FeedKind.RSS else "请填写平台接口的根地址", "url")
    check_url(url)
    if kind == FeedKind.RSS:
        return
    if not app_id:
        raise MonitoringError("请填写公众号的 AppID" if kind == FeedKind.WECHAT else "请填写微博用户ID（uid）", "app_id")
    if not secret_env:
        raise MonitoringError("请填写保存密钥的环境变量名", "secret_env")
    if not re.fullmatch(r"[A-Z_][A-Z0-9_]{0,99}", secret_env):
        raise MonitoringError("环境变量名只能由大写字母、数字和下划线组成，且不以数字开头（如 WECHAT_WJRS_SECRET）",
                              "secret_env")


@transaction.atomic
def configure_feed(account: Account, *, kind: str, url: str, actor, app_id: str = "", secret_env: str = "",
                   enabled: bool = True, feed: FeedSource | None = None) -> FeedSource:
    """Add a content source to an account, or change one. The secret itself is never given here: only the
    name of the server's environment variable that holds it."""
    if isinstance(actor, Person) and not access.can_manage_feeds(actor, account.unit_id):
        raise MonitoringError(f"您无权配置{account}的内容来源", code="forbidden")
    url, app_id, secret_env = (url or "").strip(), (app_id or "").strip(), (secret_env or "").strip()
    check_feed(kind, url, app_id, secret_env)
    if kind == FeedKind.RSS:
        app_id, secret_env = "", ""
    if feed is None:
        feed, before = FeedSource(account=account), None
    else:
        feed = FeedSource.objects.select_for_update().get(pk=feed.pk, account=account)
        before = _feed_snapshot(feed)
    feed.kind, feed.url, feed.app_id, feed.secret_env, feed.enabled = kind, url, app_id, secret_env, enabled
    if before is not None and before == _feed_snapshot(feed):
        return feed
    if before is not None and (before["kind"], before["url"], before["app_id"]) != (kind, url, app_id):
        feed.last_error = ""  # an error of the old address says nothing about the new one
    feed.save()
    record(EventType.FEED_CONFIGURED, actor=actor, obj=feed, before=before, after=_feed_snapshot(feed))
    return feed
