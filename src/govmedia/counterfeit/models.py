"""假冒账号处置 (第十二条(三)): a citizen's report of a suspected fake becomes a case the office works through.

The regulation's steps, in order: verify (核实) → tell 网信/公安/电信 (协调) → write to the platform (致函) →
report upward (上报) → close with the outcome. Each step stores when it happened and who did it; the case's
status is derived from which of those facts exist (``status``, ``CaseQuerySet.with_status``), never stored.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import Exists, OuterRef, Q, Value, When

from govmedia.registry.models import Account


class CaseStatus(models.TextChoices):
    NEW = "new", "待核实"
    VERIFIED = "verified", "已核实"
    COORDINATED = "coordinated", "已协调"
    LETTER = "letter", "已致函"
    REPORTED = "reported", "已上报"
    CLOSED = "closed", "已结案"
    DISMISSED = "dismissed", "非假冒（已结案）"


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.VERIFIED, CaseStatus.COORDINATED, CaseStatus.LETTER, CaseStatus.REPORTED)


class Agency(models.TextChoices):
    CAC = "cac", "网信部门"
    POLICE = "police", "公安机关"
    TELECOM = "telecom", "电信主管部门"
    OTHER = "other", "其他部门"


class CaseQuerySet(models.QuerySet):
    def with_status(self):
        """Annotate ``status_code`` (a CaseStatus value): the same answer as ``CounterfeitCase.status`` in SQL."""
        coordinated = Exists(Coordination.objects.filter(case=OuterRef("pk")))
        return self.annotate(has_coordination=coordinated).annotate(status_code=SqlCase(
            When(Q(closed_at__isnull=False) & Q(is_counterfeit=False), then=Value(CaseStatus.DISMISSED.value)),
            When(closed_at__isnull=False, then=Value(CaseStatus.CLOSED.value)),
            When(reported_up_at__isnull=False, then=Value(CaseStatus.REPORTED.value)),
            When(letter_at__isnull=False, then=Value(CaseStatus.LETTER.value)),
            When(has_coordination=True, then=Value(CaseStatus.COORDINATED.value)),
            When(verified_at__isnull=False, then=Value(CaseStatus.VERIFIED.value)),
            default=Value(CaseStatus.NEW.value), output_field=models.CharField(),
        ))

    def waiting(self):
        """New reports nobody has verified yet (the office's home page)."""
        return self.filter(verified_at__isnull=True, closed_at__isnull=True)


class CounterfeitCase(models.Model):
    """One public report of a suspected counterfeit account, and the office's handling of it."""

    reference = models.CharField("受理编号", max_length=20, unique=True, null=True, blank=True)
    platform = models.CharField("平台", max_length=50)
    name = models.CharField("账号名称", max_length=100)
    url = models.URLField("链接", max_length=500, blank=True)
    description = models.TextField("情况描述")
    screenshot = models.FileField("截图", upload_to="counterfeit/%Y/%m/", blank=True)
    screenshot_type = models.CharField("截图类型", max_length=20, blank=True)
    reported_at = models.DateTimeField("举报时间", db_index=True)

    # 核实: is it a counterfeit, and which genuine accounts does it imitate?
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    verified_by = models.CharField("核实人", max_length=150, blank=True)
    is_counterfeit = models.BooleanField("是否假冒", null=True, blank=True)
    verification_note = models.TextField("核实情况", blank=True)
    imitates = models.ManyToManyField(Account, blank=True, related_name="counterfeit_cases",
                                      verbose_name="被假冒的账号")
    # 致函: the letter to the platform; regenerating it updates these.
    letter_at = models.DateTimeField("致函时间", null=True, blank=True)
    letter_by = models.CharField("致函人", max_length=150, blank=True)
    letter_contact = models.CharField("联系人及电话", max_length=100, blank=True)
    letter_unit = models.CharField("发函单位", max_length=100, blank=True)
    # 上报: reported upward.
    reported_up_at = models.DateTimeField("上报登记时间", null=True, blank=True)
    reported_up_on = models.DateField("上报日期", null=True, blank=True)
    reported_up_to = models.CharField("上报对象", max_length=100, blank=True)
    reported_up_note = models.TextField("上报内容", blank=True)
    reported_up_by = models.CharField("上报登记人", max_length=150, blank=True)
    # 结案.
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    closed_by = models.CharField("结案人", max_length=150, blank=True)
    outcome = models.TextField("处置结果", blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "假冒账号案件"
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference or '未编号'} {self.platform}「{self.name}」"

    def status(self) -> CaseStatus:
        if self.closed_at:
            return CaseStatus.DISMISSED if self.is_counterfeit is False else CaseStatus.CLOSED
        if self.reported_up_at:
            return CaseStatus.REPORTED
        if self.letter_at:
            return CaseStatus.LETTER
        if self.coordinations.exists():
            return CaseStatus.COORDINATED
        if self.verified_at:
            return CaseStatus.VERIFIED
        return CaseStatus.NEW


class Coordination(models.Model):
    """One exchange with 网信、公安 or 电信 about a case (the regulation: 及时向网信、公安、电信等部门反映)."""

    case = models.ForeignKey(CounterfeitCase, on_delete=models.PROTECT, related_name="coordinations",
                             verbose_name="案件")
    agency = models.CharField("部门", max_length=10, choices=Agency.choices)
    agency_name = models.CharField("部门名称", max_length=100, blank=True)
    on = models.DateField("日期")
    contact = models.CharField("对接人及联系方式", max_length=100)
    content = models.TextField("沟通内容")
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "协调记录"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.agency_label()} {self.on:%Y-%m-%d}"

    def agency_label(self) -> str:
        return self.agency_name or self.get_agency_display()


class ReportThrottle(models.Model):
    """One accepted public report from one client, for the per-address rate limit across workers.

    Only a keyed hash (HMAC with SECRET_KEY) of the address is kept, never the address; rows older than the
    window are deleted by the daily job.
    """

    client = models.CharField("来源摘要", max_length=64)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "举报频率记录"
        indexes = [models.Index(fields=["client", "at"], name="throttle_client_at_idx")]  # count in the window

    def __str__(self) -> str:
        return f"{self.client[:8]}… {self.at:%Y-%m-%d %H:%M}"
