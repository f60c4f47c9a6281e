"""The account registry (台账): platforms, accounts, lifecycle events and the filings they require.

An account's status is derived from the dates its lifecycle events set (opened_on, closed_on,
cancelled_on) and today's date, so a planned closure takes effect on its day with nothing to update.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When

from govmedia import policy
from govmedia.org.models import Unit


def today() -> date:
    from django.utils import timezone

    return timezone.localdate()


class Platform(models.Model):
    """A new-media platform; only approved ones may carry a new account (第四条)."""

    name = models.CharField("平台名称", max_length=50, unique=True)
    approved = models.BooleanField("核准可用", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "平台"

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    PREPARING = "preparing", "筹备"
    RUNNING = "running", "运行"
    CLOSED = "closed", "关停"
    CANCELLED = "cancelled", "注销"


class AccountQuerySet(models.QuerySet):
    def with_status(self, on: date | None = None):
        on = on or today()
        return self.annotate(
            status_code=Case(
                When(cancelled_on__lte=on, then=Value(Status.CANCELLED.value)),
                When(closed_on__lte=on, then=Value(Status.CLOSED.value)),
                When(opened_on__lte=on, then=Value(Status.RUNNING.value)),
                default=Value(Status.PREPARING.value),
                output_field=models.CharField(),
            )
        )

    def in_status(self, status: str, on: date | None = None):
        on = on or today()
        live = Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=on)
        open_ = Q(closed_on__isnull=True) | Q(closed_on__gt=on)
        return self.filter(
            {
                Status.CANCELLED: Q(cancelled_on__lte=on),
                Status.CLOSED: Q(closed_on__lte=on) & live,
                Status.RUNNING: Q(opened_on__lte=on) & open_ & live,
                Status.PREPARING: (Q(opened_on__isnull=True) | Q(opened_on__gt=on)) & open_ & live,
            }[Status(status)]
        )

    def not_cancelled(self):
        """Accounts that still hold their unit's place on the platform (第五条)."""
        return self.filter(cancelled_on__isnull=True)


class Account(models.Model):
    """One official account of one unit on one platform."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="accounts", verbose_name="主办单位")
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="accounts", verbose_name="平台")
    name = models.CharField("账号名称", max_length=100)
    platform_uid = models.CharField("平台账号ID", max_length=100, blank=True)
    url = models.URLField("链接", max_length=500, blank=True)
    subject = models.CharField("认证主体", max_length=100)
    purpose = models.CharField("开设用途", max_length=300, blank=True)
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="managed_accounts",
                                      verbose_name="专职管理人员")
    preconditions = models.JSONField("开设条件佐证", default=dict, blank=True)
    opened_on = models.DateField("开设日期", null=True, blank=True)
    closed_on = models.DateField("关停日期", null=True, blank=True)
    cancelled_on = models.DateField("注销日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_order", "platform__sort_order", "id"]
        verbose_name = "账号"
        indexes = [models.Index(fields=["unit", "platform"], name="account_unit_platform_idx")]  # 第五条 check

    def __str__(self) -> str:
        return f"{self.platform.name}「{self.name}」"

    def status(self, on: date | None = None) -> Status:
        on = on or today()
        if self.cancelled_on and self.cancelled_on <= on:
            return Status.CANCELLED
        if self.closed_on and self.closed_on <= on:
            return Status.CLOSED
        if self.opened_on and self.opened_on <= on:
            return Status.RUNNING
        return Status.PREPARING

    def status_label(self) -> str:
        return self.status().label


class EventKind(models.TextChoices):
    OPEN = "open", "开设"
    CHANGE = "change", "变更"
    CLOSE = "close", "关停"
    CANCEL = "cancel", "注销"


class LifecycleEvent(models.Model):
    """An opening, change, closure or cancellation, effective on a date; each must be filed (第三条)."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="events", verbose_name="账号")
    kind = models.CharField("事项", max_length=10, choices=EventKind.choices)
    effective_date = models.DateField("生效日期")
    details = models.JSONField("内容", default=dict, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = "变动事项"

    DETAIL_LABELS = {
        "name": "账号名称", "platform_uid": "平台账号ID", "url": "链接", "subject": "认证主体",
        "purpose": "开设用途", "unit": "主办单位", "public_notice": "变更公告", "notice": "停更公告",
    }

    def __str__(self) -> str:
        return f"{self.account} {self.get_kind_display()} {self.effective_date:%Y-%m-%d}"

    def detail_lines(self) -> list[tuple[str, str]]:
        """What the event changed or recorded, as (Chinese label, text) for people to read."""
        lines = []
        for key, value in self.details.items():
            if isinstance(value, list) and len(value) == 2:
                value = f"{value[0] or '（空）'} → {value[1] or '（空）'}"
            lines.append((self.DETAIL_LABELS.get(key, key), str(value)))
        return lines


class FilingStatus(models.TextChoices):
    PENDING = "pending", "待备案"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
    FILED = "filed", "已备案"
    FILED_LATE = "filed_late", "逾期备案"


class FilingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(filed_on__isnull=True)

    def overdue(self, on: date | None = None):
        return self.open().filter(due_date__lt=on or today())

    def due_soon(self, on: date | None = None):
        on = on or today()
        return self.open().filter(due_date__gte=on, due_date__lte=on + timedelta(days=policy.FILING_DUE_SOON_DAYS))

    def needing_attention(self, on: date | None = None):
        on = on or today()
        return self.open().filter(due_date__lte=on + timedelta(days=policy.FILING_DUE_SOON_DAYS))

    def in_status(self, status: str, on: date | None = None):
        on = on or today()
        soon = on + timedelta(days=policy.FILING_DUE_SOON_DAYS)
        return {
            FilingStatus.PENDING: lambda: self.open().filter(due_date__gt=soon),
            FilingStatus.DUE_SOON: lambda: self.due_soon(on),
            FilingStatus.OVERDUE: lambda: self.overdue(on),
            FilingStatus.FILED: lambda: self.filter(filed_on__isnull=False, filed_on__lte=models.F("due_date")),
            FilingStatus.FILED_LATE: lambda: self.filter(filed_on__gt=models.F("due_date")),
        }[FilingStatus(status)]()


class Filing(models.Model):
    """The duty to file one lifecycle event in the provincial system within 3 working days (第三条).

    due_date is the only stored deadline: it is queried for overdue filings (FilingQuerySet.overdue), and
    recomputed when the office edits the working-day calendar.
    """

    event = models.OneToOneField(LifecycleEvent, on_delete=models.PROTECT, related_name="filing")
    due_date = models.DateField("备案截止日", db_index=True)
    due_provisional = models.BooleanField("截止日暂定", default=False)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    reference = models.CharField("备案编号", max_length=100, blank=True)
    filed_by = models.CharField("备案登记人", max_length=150, blank=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = "备案"

    def __str__(self) -> str:
        return f"{self.event} 备案"

    def status(self, on: date | None = None) -> FilingStatus:
        on = on or today()
        if self.filed_on:
            return FilingStatus.FILED_LATE if self.filed_on > self.due_date else FilingStatus.FILED
        if self.due_date < on:
            return FilingStatus.OVERDUE
        if self.due_date <= on + timedelta(days=policy.FILING_DUE_SOON_DAYS):
            return FilingStatus.DUE_SOON
        return FilingStatus.PENDING
