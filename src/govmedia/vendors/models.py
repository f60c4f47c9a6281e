"""外包服务管理 (第二条): vendors, their contracts and agreements, their staff and what those staff may operate.

Outsourcing is allowed only by contract, with a confidentiality and security agreement and supervision, and the
owner's duties are never handed over (托管 ≠ 脱管). Facts only: whether a contract or agreement covers a day, and
when it runs out, is derived from the dates (``coverage``), never stored as a status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from govmedia import policy
from govmedia.registry.models import Account


class Vendor(models.Model):
    """An outsourcing company (服务外包单位) that operates accounts for the bureau under contract."""

    name = models.CharField("单位名称", max_length=100, unique=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "外包单位"

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A signed document that covers the days from ``starts_on`` to ``ends_on`` (both included)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, verbose_name="外包单位")
    signed_on = models.DateField("签订日期", null=True, blank=True)
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期", db_index=True)  # the daily reminder asks which end on a given day
    file = models.FileField("文件", upload_to="vendors/%Y/", blank=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-ends_on", "-id"]

    def term_label(self) -> str:
        return f"{self.starts_on:%Y-%m-%d} 至 {self.ends_on:%Y-%m-%d}"


class Contract(Term):
    """The outsourcing contract: what the vendor does (scope), for how long, and who answers for what."""

    number = models.CharField("合同编号", max_length=100, blank=True)
    scope = models.TextField("服务范围")
    responsibilities = models.TextField("双方责任")

    class Meta(Term.Meta):
        verbose_name = "外包合同"
        default_related_name = "contracts"

    def __str__(self) -> str:
        return f"{self.vendor} 合同{self.number or ''}（{self.term_label()}）"


class Agreement(Term):
    """The confidentiality and security agreement (保密与安全协议) the vendor signed."""

    class Meta(Term.Meta):
        verbose_name = "保密与安全协议"
        default_related_name = "agreements"

    def __str__(self) -> str:
        return f"{self.vendor} 保密与安全协议（{self.term_label()}）"


class StaffLink(models.Model):
    """A person with the 外包人员 role working for one vendor (a person works for at most one)."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vendor_link",
                                  verbose_name="外包人员")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="staff", verbose_name="外包单位")
    linked_by = models.CharField("登记人", max_length=150)
    linked_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "外包人员"
        ordering = ["vendor", "id"]

    def __str__(self) -> str:
        return f"{self.person}（{self.vendor}）"


class AssignmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class Assignment(models.Model):
    """One account a vendor's staff member may draft for and operate, from assignment until it is ended."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="vendor_assignments", verbose_name="外包人员")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="vendor_assignments",
                                verbose_name="账号")
    assigned_by = models.CharField("分配人", max_length=150)
    assigned_at = models.DateTimeField("分配时间", auto_now_add=True)
    ended_by = models.CharField("收回人", max_length=150, blank=True)
    ended_at = models.DateTimeField("收回时间", null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "外包人员账号分配"
        ordering = ["person", "account", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "account"], condition=Q(ended_at__isnull=True),
                                               name="assignment_one_current")]

    def __str__(self) -> str:
        return f"{self.person} → {self.account}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class Supervision(models.Model):
    """A periodic evaluation of a vendor's work by the office (监督评价)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="supervisions", verbose_name="外包单位")
    evaluated_on = models.DateField("评价日期")
    period = models.CharField("评价期间", max_length=50)
    evaluator = models.CharField("评价人", max_length=150)
    score = models.PositiveSmallIntegerField("得分")
    grade = models.CharField("等级", max_length=10, choices=Grade.choices)
    findings = models.TextField("发现的问题及意见")
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "外包监督评价"
        ordering = ["-evaluated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.vendor} {self.period} {self.get_grade_display()}"


class Cover(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRING = "expiring", "即将到期"
    EXPIRED = "expired", "已过期"
    NOT_STARTED = "not_started", "尚未生效"
    MISSING = "missing", "未签订"


@dataclass(frozen=True)
class Coverage:
    """Whether a vendor's contracts (or agreements) cover a day, and until when without a gap."""

    state: Cover
    until: date | None
    days_left: int | None

    @property
    def ok(self) -> bool:
        return self.state in (Cover.VALID, Cover.EXPIRING)

    @property
    def label(self) -> str:
        return self.state.label


def coverage(terms, on: date) -> Coverage:
    """Derived from dates: a renewal that starts by the day after the current term ends extends the cover.

    MISSING when nothing was ever signed, NOT_STARTED when only future terms exist, EXPIRED when the last one
    ended; otherwise EXPIRING when the cover ends within policy.VENDOR_EXPIRY_ALERT_DAYS, else VALID.
    """
    terms = list(terms)
    current = [t for t in terms if t.starts_on <= on <= t.ends_on]
    if not current:
        past = [t.ends_on for t in terms if t.ends_on < on]
        if past and not any(t.starts_on > on for t in terms):
            return Coverage(Cover.EXPIRED, max(past), None)
        return Coverage(Cover.NOT_STARTED if terms else Cover.MISSING, None, None)
    until = max(t.ends_on for t in current)
    extended = True
    while extended:
        extended = False
        for term in terms:
            if term.starts_on <= until + timedelta(days=1) and term.ends_on > until:
                until, extended = term.ends_on, True
    days_left = (until - on).days
    state = Cover.EXPIRING if days_left <= policy.VENDOR_EXPIRY_ALERT_DAYS else Cover.VALID
    return Coverage(state, until, days_left)
