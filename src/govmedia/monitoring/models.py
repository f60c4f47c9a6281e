"""What each account published, and the messages and comments it must answer (第六条, 第九条).

An account's update state (ok, due, overdue, veto, dormant) is never stored: ``updates.py`` derives it from
the newest ``Post.published_at`` and ``policy.py``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from govmedia.registry.models import Account


class PostKind(models.TextChoices):
    ORIGINAL = "original", "原创"
    REPRINT = "reprint", "转载"


class PostSource(models.TextChoices):
    WORKFLOW = "workflow", "审核发布登记"
    API = "api", "接口报送"
    IMPORT = "import", "表格导入"
    FEED = "feed", "RSS/Atom订阅"
    WECHAT = "wechat", "微信公众号接口"
    WEIBO = "weibo", "微博接口"
    MANUAL = "manual", "手工登记"


class Post(models.Model):
    """One item an account published. ``external_id`` (the platform's id, or the link) makes re-imports idempotent."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="posts", verbose_name="账号")
    published_at = models.DateTimeField("发布时间")
    title = models.CharField("标题", max_length=300)
    url = models.URLField("链接", max_length=1000, blank=True)
    kind = models.CharField("类型", max_length=10, choices=PostKind.choices, default=PostKind.ORIGINAL)
    text = models.TextField("正文", blank=True)  # plain text, what patrols re-scan
    source = models.CharField("来源", max_length=10, choices=PostSource.choices)
    external_id = models.CharField("平台内容ID", max_length=200, blank=True)
    publication = models.OneToOneField("publishing.Publication", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="post", verbose_name="发布登记")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "发布内容"
        indexes = [
            # The newest post of each account (update state) and per-account time ranges (weekly counts).
            models.Index(fields=["account", "-published_at"], name="post_account_time_idx"),
            # Time-range counts for charts and reports, answered from the index alone on PostgreSQL.
            models.Index(fields=["published_at"], include=["account", "kind"], name="post_time_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["account", "external_id"], condition=~Q(external_id=""),
                                    name="post_unique_external_id"),
        ]

    def __str__(self) -> str:
        return self.title


class InteractionKind(models.TextChoices):
    MESSAGE = "message", "留言"
    COMMENT = "comment", "评论"


class Interaction(models.Model):
    """A message or comment from the public that needs a reply; unanswered while ``replied_at`` is empty."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="interactions",
                                verbose_name="账号")
    kind = models.CharField("类型", max_length=10, choices=InteractionKind.choices)
    external_id = models.CharField("平台ID", max_length=200, blank=True)
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="interactions",
                             verbose_name="所属内容")
    author = models.CharField("留言人", max_length=100, blank=True)
    text = models.TextField("内容")
    received_at = models.DateTimeField("留言时间")
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    reply = models.TextField("回复内容", blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "互动留言"
        indexes = [models.Index(fields=["account", "replied_at"], name="interaction_unanswered_idx")]
        constraints = [
            models.UniqueConstraint(fields=["account", "external_id"], condition=~Q(external_id=""),
                                    name="interaction_unique_external_id"),
        ]

    def __str__(self) -> str:
        return self.text[:30]


class FeedKind(models.TextChoices):
    RSS = "rss", "RSS/Atom"
    WECHAT = "wechat", "微信公众号发布列表"
    WEIBO = "weibo", "微博用户时间线"


class FeedSource(models.Model):
    """Where an account's posts are fetched from. The platform secret itself is never stored here:
    ``secret_env`` names the environment variable that holds it on the server."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="feeds", verbose_name="账号")
    kind = models.CharField("来源类型", max_length=10, choices=FeedKind.choices)
    url = models.URLField("地址", max_length=1000, help_text="RSS/Atom 地址，或平台接口的根地址")
    app_id = models.CharField("AppID / 用户ID", max_length=200, blank=True)
    secret_env = models.CharField("密钥所在环境变量", max_length=100, blank=True)
    enabled = models.BooleanField("启用", default=True)
    last_fetched_at = models.DateTimeField("上次抓取", null=True, blank=True)
    last_error = models.CharField("上次错误", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account", "id"]
        verbose_name = "内容来源"

    def __str__(self) -> str:
        return f"{self.account} · {self.get_kind_display()}"
