"""Patrols (信息安全巡检, 第九条): re-scan what was published with the current screener.

Each post's title and text go through the same cached screener the pre-publication check uses (its lexicons
and whitelist). Every BLOCKING finding opens one rectification item for the account's owning unit, due by
severity (policy.PATROL_SEVERITY). A finding is identified by its fingerprint — rule, normalised matched text
and the field it is in (标题 or 正文), hashed — not by offsets or line numbers, which shift when a lexicon or
the text around it changes. The database holds the invariant (unique post + fingerprint), so running the
patrol again, or twice at once, opens nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone

from govmedia import policy
from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.inspections import notify
from govmedia.inspections.actions import open_rectification
from govmedia.inspections.models import Rectification, Source
from govmedia.monitoring.models import Post
from govmedia.screening.extract import Segment, segments_of_text
from govmedia.screening.findings import BLOCK, CATEGORY_LABEL, Finding
from govmedia.screening.normalize import normalize

ACTOR = "系统（巡检）"
TITLE = "标题"
BODY = "正文"
CHUNK = 500  # posts read, checked against existing items and reported per step


@dataclass
class PatrolResult:
    posts: int = 0
    findings: int = 0       # blocking findings, counted once per post and fingerprint
    opened: list[Rectification] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"posts": self.posts, "findings": self.findings, "opened": len(self.opened)}


def severity_of(category: str) -> str:
    return policy.PATROL_SEVERITY.get(category, policy.PATROL_DEFAULT_SEVERITY)


def fingerprint(rule: str, matched: str, where: str) -> str:
    place = TITLE if where == TITLE else BODY
    text = "".join(normalize(matched).text.split())
    return hashlib.sha256(f"{rule}\x1f{place}\x1f{text}".encode()).hexdigest()


def segments_of_post(post: Post) -> list[Segment]:
    segments = [Segment(TITLE, post.title)] if post.title.strip() else []
    return segments + list(segments_of_text(post.text or ""))


def blocking_findings(screener, post: Post) -> list[tuple[str, Finding]]:
    """(fingerprint, finding) for each distinct blocking finding of the post; the finding's text is masked."""
    segments = segments_of_post(post)
    texts = {s.where: s.text for s in segments}
    found: dict[str, Finding] = {}
    for f in screener.scan_segments(segments):
        if f.severity != BLOCK:
            continue
        print_ = fingerprint(f.rule, texts.get(f.where, "")[f.start:f.end], f.where)
        found.setdefault(print_, f)
    return list(found.items())


def problem_of(post: Post, f: Finding) -> str:
    local = timezone.localtime(post.published_at)
    shown = f"「{f.text}」" if f.text else ""
    return (f"{local:%Y-%m-%d}发布的《{post.title}》{f.where}{shown}："
            f"{CATEGORY_LABEL.get(f.category, f.category)}——{f.message}")


def run_patrol(*, since: date | None = None, account_id: int | None = None, actor=ACTOR, screener=None,
               progress: Callable[[PatrolResult], None] | None = None) -> PatrolResult:
    """Scan posts (published on or after ``since``, of one account if given); returns the counts and new items."""
    if screener is None:
        from govmedia.checks.service import screener as cached

        screener = cached()
    posts = Post.objects.select_related("account__platform").order_by("id")
    if since is not None:
        posts = posts.filter(published_at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if account_id is not None:
        posts = posts.filter(account_id=account_id)
    result = PatrolResult()
    last_id = 0
    while chunk := list(posts.filter(id__gt=last_id)[:CHUNK]):
        last_id = chunk[-1].pk
        known = set(Rectification.objects.filter(post__in=chunk).values_list("post_id", "fingerprint"))
        for post in chunk:
            result.posts += 1
            for print_, f in blocking_findings(screener, post):
                result.findings += 1
                if (post.pk, print_) in known:
                    continue
                item = _open(post, print_, f, actor)
                if item is not None:
                    result.opened.append(item)
        if progress:
            progress(result)
    record(EventType.PATROL_RUN, actor=actor, object_repr="信息安全巡检",
           after={**result.as_dict(), "since": since, "account": account_id})
    if result.opened:
        notify.opened(result.opened, "信息安全巡检")
    return result


def _open(post: Post, print_: str, f: Finding, actor) -> Rectification | None:
    finding = {k: v for k, v in f.as_dict().items() if k not in ("start", "end")}
    try:
        with transaction.atomic():
            return open_rectification(account=post.account, source=Source.PATROL, severity=severity_of(f.category),
                                      problem=problem_of(post, f), post=post, fingerprint=print_, finding=finding,
                                      actor=actor)
    except IntegrityError:
        return None  # another patrol opened it a moment ago
