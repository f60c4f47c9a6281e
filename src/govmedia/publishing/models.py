"""Drafts and their three-level review (第八条): facts only — submissions, decisions, publications.

A draft's status and current stage are derived: from its content hash, its latest submission, the decisions on
that submission and its publication records. Approvals belong to a submission, and a submission to one content
hash, so any edit makes every earlier approval irrelevant without deleting anything.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govmedia.org.models import Section, Unit
from govmedia.registry.models import Account


class Kind(models.TextChoices):
    ORIGINAL = "original", "原创"
    REPRINT = "reprint", "转载"


class Importance(models.TextChoices):
    NORMAL = "normal", "一般信息"
    MAJOR = "major", "重要重大信息"


class Stage(models.TextChoices):
    FIRST = "first", "初审"
    SECOND = "second", "复审"
    SIGN = "sign", "签发"
    FINAL = "final", "终审"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审核中"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"
    PUBLISHED = "published", "已发布"


class Draft(models.Model):
    """A piece of content for one or more accounts of one unit, written by one person."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="drafts", verbose_name="主办单位")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, null=True, blank=True, related_name="drafts",
                                verbose_name="承办科室")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafts",
                               verbose_name="撰稿人")
    accounts = models.ManyToManyField(Account, related_name="drafts", verbose_name="发布账号")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", blank=True)  # sanitised HTML
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.ORIGINAL)
    source_name = models.CharField("转载来源", max_length=200, blank=True)
    original_title = models.CharField("原标题", max_length=200, blank=True)
    source_url = models.URLField("原文链接", max_length=500, blank=True)
    importance = models.CharField("重要程度", max_length=10, choices=Importance.choices, default=Importance.NORMAL)
    other_units = models.CharField("涉及的其他单位", max_length=300, blank=True)
    coordination_note = models.TextField("沟通协调情况", blank=True)
    directive = models.ForeignKey("ReprintDirective", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="drafts", verbose_name="转载通知")
    content_hash = models.CharField(max_length=64, db_index=True)
    # People other than the author who changed the content: co-writers, so never its reviewers (严禁自编自审自发).
    editors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="edited_drafts",
                                     verbose_name="修改人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "稿件"

    def __str__(self) -> str:
        return self.title


class Attachment(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to="attachments/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "附件"

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """One version sent for review: the content hash it binds, a snapshot, and the screening findings."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="submissions")
    content_hash = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    findings = models.JSONField(default=list, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        get_latest_by = "id"
        verbose_name = "送审版本"

    def __str__(self) -> str:
        return f"{self.draft} 第{self.pk}版"

    @property
    def blocking(self) -> list[dict]:
        return [f for f in self.findings if f.get("severity") == "block"]


class Decision(models.Model):
    """One reviewer's decision at one stage of one submission. The database keeps it to one per stage."""

    class Verdict(models.TextChoices):
        APPROVE = "approve", "同意"
        RETURN = "return", "退回修改"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField("审核环节", max_length=10, choices=Stage.choices)
    verdict = models.CharField("意见", max_length=10, choices=Verdict.choices)
    comment = models.TextField("审核意见", blank=True)
    override_reason = models.TextField("放行理由", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_decisions")
    decided_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "审核意见"
        constraints = [
            # Two reviewers deciding the same level at once: exactly one row can exist.
            models.UniqueConstraint(fields=["submission", "stage"], name="one_decision_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.get_verdict_display()}"


class Publication(models.Model):
    """The approved version published (or failed) on one account."""

    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="publications")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="publications")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="publications")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    url = models.URLField("发布链接", max_length=500, blank=True)
    failure_reason = models.CharField("失败原因", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "发布记录"

    def __str__(self) -> str:
        return f"{self.draft} @ {self.account}"


class ReprintDirective(models.Model):
    """An important item from a superior that accounts must reprint within 24 hours (第六条)."""

    title = models.CharField("标题", max_length=200)
    source = models.CharField("来源", max_length=200)
    url = models.URLField("链接", max_length=500, blank=True)
    received_at = models.DateTimeField("收到时间")
    due_at = models.DateTimeField("转载截止", db_index=True)  # queried for due and overdue directives
    accounts = models.ManyToManyField(Account, related_name="directives", verbose_name="须转载账号")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "转载通知"

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """A message in the app for one person (also sent by e-mail)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["person", "read_at"], name="notification_unread_idx")]  # unread badge

    def __str__(self) -> str:
        return self.text
