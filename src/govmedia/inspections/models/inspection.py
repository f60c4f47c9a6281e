"""Inspections (检查, 第十三条): the office checks a set of accounts over a period against a checklist.

An inspection is open until the office closes it (``closed_at``); closing turns every failed item into a
rectification item. Each ``InspectionResult`` is one checklist item for one account: pre-filled from what the
system knows (``auto``, with ``evidence``) or left for the inspector, who records pass/fail with a note.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from govmedia.inspections.checklist import BY_CODE
from govmedia.inspections.models.rectification import Severity
from govmedia.registry.models import Account


class Inspection(models.Model):
    """One check by the office over accounts and a period (第十三条)."""

    title = models.CharField("检查名称", max_length=200)
    period_start = models.DateField("检查期间起")
    period_end = models.DateField("检查期间止")
    accounts = models.ManyToManyField(Account, related_name="inspections", verbose_name="受检账号")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="发起人")
    opened_at = models.DateTimeField("发起时间")
    closed_at = models.DateTimeField("完成时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="完成人")

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = "检查"
        constraints = [models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")),
                                              name="inspection_period_ordered")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def status_label(self) -> str:
        return "已完成" if self.is_closed else "检查中"


class Outcome(models.TextChoices):
    PENDING = "", "待检查"
    PASS = "pass", "通过"
    FAIL = "fail", "不通过"
    NA = "na", "不适用"


class InspectionResult(models.Model):
    """One checklist item for one account in one inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="inspection_results",
                                verbose_name="账号")
    # A code of checklist.ITEMS; no choices here, so rewording the checklist needs no migration.
    item = models.CharField("检查项", max_length=20)
    outcome = models.CharField("结论", max_length=4, choices=Outcome.choices, blank=True, default="")
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    auto = models.BooleanField("系统预填", default=False)
    evidence = models.TextField("系统数据", blank=True)
    note = models.TextField("检查意见", blank=True)
    decided_by = models.CharField("检查人", max_length=150, blank=True)  # empty: the system's pre-filled answer
    decided_at = models.DateTimeField("检查时间", null=True, blank=True)

    class Meta:
        ordering = ["inspection", "account__unit__sort_order", "account__platform__sort_order", "account", "id"]
        verbose_name = "检查项结论"
        constraints = [
            models.UniqueConstraint(fields=["inspection", "account", "item"], name="inspection_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account} · {self.get_item_display()}"

    @property
    def spec(self):
        return BY_CODE[self.item]

    def get_item_display(self) -> str:
        return BY_CODE[self.item].name if self.item in BY_CODE else self.item
