"""Rectification items (整改事项, 第十三条): a problem an account must fix within 1–5 working days.

An item comes from a patrol (a blocking finding in a published post) or from an inspection (a failed checklist
item). Its status is derived from the facts stored on it — never stored as a flag:

- ``accepted``  the office accepted the unit's answer (``accepted_at``); final;
- ``answered``  the unit answered after the last reopening, waiting for the office;
- ``overdue``   not answered and today is past ``due_date``;
- ``open``      otherwise (a reopened item is open again, with a new deadline).

``due_date`` is the one stored deadline: it is queried for due and overdue lists and the daily jobs, and reset
from the reopening date when the office reopens the item. The timeline is ``RectificationEvent`` rows.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When

from govmedia import policy
from govmedia.org.models import Unit
from govmedia.registry.models import Account, today


class Source(models.TextChoices):
    PATROL = "patrol", "巡检"
    INSPECTION = "inspection", "检查"


class Severity(models.TextChoices):
    SEVERE = "severe", policy.RECTIFY_SEVERITY_LABELS["severe"]
    MAJOR = "major", policy.RECTIFY_SEVERITY_LABELS["major"]
    GENERAL = "general", policy.RECTIFY_SEVERITY_LABELS["general"]


class RectStatus(models.TextChoices):
    OPEN = "open", "待整改"
    OVERDUE = "overdue", "逾期未整改"
    ANSWERED = "answered", "待验收"
    ACCEPTED = "accepted", "已整改"


# Answered after the last reopening (or never reopened), and not yet accepted.
ANSWERED_Q = Q(accepted_at__isnull=True, answered_at__isnull=False) & (
    Q(reopened_at__isnull=True) | Q(answered_at__gt=F("reopened_at")))
# Waiting for the unit: neither accepted nor answered since the last reopening.
PENDING_Q = Q(accepted_at__isnull=True) & ~ANSWERED_Q


class RectificationQuerySet(models.QuerySet):
    def pending(self):
        """Items the unit still has to answer (open or overdue)."""
        return self.filter(PENDING_Q)

    def overdue(self, on: date | None = None):
        return self.pending().filter(due_date__lt=on or today())

    def due_soon(self, on: date | None = None):
        on = on or today()
        return self.pending().filter(due_date__gte=on, due_date__lte=on + timedelta(days=policy.RECTIFY_DUE_SOON_DAYS))

    def needing_attention(self, on: date | None = None):
        """Pending items overdue or due within RECTIFY_DUE_SOON_DAYS: the home page and the daily reminder."""
        on = on or today()
        return self.pending().filter(due_date__lte=on + timedelta(days=policy.RECTIFY_DUE_SOON_DAYS))

    def awaiting_acceptance(self):
        return self.filter(ANSWERED_Q)

    def in_status(self, status: str, on: date | None = None):
        on = on or today()
        return {
            RectStatus.OPEN: lambda: self.pending().filter(due_date__gte=on),
            RectStatus.OVERDUE: lambda: self.overdue(on),
            RectStatus.ANSWERED: lambda: self.awaiting_acceptance(),
            RectStatus.ACCEPTED: lambda: self.filter(accepted_at__isnull=False),
        }[RectStatus(status)]()

    def with_status(self, on: date | None = None):
        """Annotate ``status_code`` (for sorting and counting in the database)."""
        on = on or today()
        return self.annotate(status_code=Case(
            When(accepted_at__isnull=False, then=Value(RectStatus.ACCEPTED.value)),
            When(ANSWERED_Q, then=Value(RectStatus.ANSWERED.value)),
            When(due_date__lt=on, then=Value(RectStatus.OVERDUE.value)),
            default=Value(RectStatus.OPEN.value),
            output_field=models.CharField(),
        ))


class Rectification(models.Model):
    """One problem of one account that its owning unit must fix by ``due_date`` (第十三条)."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="rectifications",
                                verbose_name="账号")
    # The owning unit when the item was opened: it answers for it, and it decides who sees the item.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="rectifications", verbose_name="责任单位")
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    problem = models.TextField("问题描述")
    # Patrols: the post and the finding's fingerprint (rule + normalised matched text + place, hashed — the
    # matched text itself, an ID number say, is never stored); ``finding`` keeps the masked finding.
    post = models.ForeignKey("monitoring.Post", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="rectifications", verbose_name="发布内容")
    fingerprint = models.CharField("问题指纹", max_length=64, blank=True)
    finding = models.JSONField("检查发现", default=dict, blank=True)
    # Inspections: the failed checklist item.
    inspection_result = models.OneToOneField("inspections.InspectionResult", on_delete=models.PROTECT, null=True,
                                             blank=True, related_name="rectification", verbose_name="检查项")
    opened_at = models.DateTimeField("下发时间")
    opened_by = models.CharField("下发人", max_length=150)
    due_date = models.DateField("整改期限")
    due_provisional = models.BooleanField("期限暂定", default=False)
    # Facts the status is derived from; the timeline (RectificationEvent) holds every one of them.
    answered_at = models.DateTimeField("最近提交整改材料", null=True, blank=True)
    reopened_at = models.DateTimeField("最近退回重办", null=True, blank=True)
    accepted_at = models.DateTimeField("验收通过", null=True, blank=True)
    escalated_at = models.DateTimeField("逾期升级", null=True, blank=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = "整改事项"
        indexes = [
            # Due and overdue lists, the home page and the daily reminder/escalation jobs.
            models.Index(fields=["due_date"], name="rect_due_idx"),
            # A unit's items (visibility by unit), newest first on the list page.
            models.Index(fields=["unit", "due_date"], name="rect_unit_due_idx"),
        ]
        constraints = [
            # A patrol finding opens at most one item, however often the patrol runs.
            models.UniqueConstraint(fields=["post", "fingerprint"], condition=Q(post__isnull=False),
                                    name="rect_unique_patrol_finding"),
            models.CheckConstraint(
                condition=(Q(source="patrol", post__isnull=False) & ~Q(fingerprint=""))
                | Q(source="inspection", inspection_result__isnull=False),
                name="rect_source_has_origin"),
            models.CheckConstraint(condition=Q(severity__in=["severe", "major", "general"]),
                                   name="rect_severity_valid"),
        ]

    def __str__(self) -> str:
        return f"整改事项{self.pk}：{self.problem[:40]}"

    @property
    def answered(self) -> bool:
        return (self.accepted_at is None and self.answered_at is not None
                and (self.reopened_at is None or self.answered_at > self.reopened_at))

    def status(self, on: date | None = None) -> RectStatus:
        if self.accepted_at is not None:
            return RectStatus.ACCEPTED
        if self.answered:
            return RectStatus.ANSWERED
        if self.due_date < (on or today()):
            return RectStatus.OVERDUE
        return RectStatus.OPEN

    def status_label(self) -> str:
        return self.status().label

    @property
    def workdays(self) -> int:
        return policy.RECTIFY_WORKDAYS[self.severity]


class EventKind(models.TextChoices):
    ANSWERED = "answered", "提交整改材料"
    ACCEPTED = "accepted", "验收通过"
    REOPENED = "reopened", "退回重办"
    ESCALATED = "escalated", "逾期升级"


class RectificationEvent(models.Model):
    """One step in an item's timeline. Written only by ``inspections.actions``, never changed afterwards."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=10, choices=EventKind.choices)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    actor_name = models.CharField("经办人", max_length=150)  # kept as text: history survives a departure
    text = models.TextField("说明", blank=True)
    evidence = models.FileField("佐证材料", upload_to="rectifications/%Y/%m/", blank=True)
    evidence_name = models.CharField("佐证材料文件名", max_length=200, blank=True)
    due_date = models.DateField("新的整改期限", null=True, blank=True)  # reopened: the new deadline

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "整改记录"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.actor_name}"
