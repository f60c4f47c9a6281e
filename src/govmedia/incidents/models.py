"""突发事件与应急 (第十条): incidents with a timeline of actions, retractions of posts, emergency plans and drills.

Nothing here carries a status flag: an incident is open until ``closed_at`` is set; a unit's drill warning is
derived from its last drill date and policy.EMERGENCY_DRILL_MONTHS.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govmedia.org.models import Unit


class Kind(models.TextChoices):
    STOLEN = "stolen", "账号被盗"
    WRONG_POST = "wrong_post", "错误或未经授权发布"
    LEAK = "leak", "信息泄露"
    COUNTERFEIT = "counterfeit", "假冒账号"
    APP_ATTACKED = "app_attacked", "客户端被攻击"


class Severity(models.TextChoices):
    SEVERE = "severe", "严重"
    MAJOR = "major", "较重"
    GENERAL = "general", "一般"


class IncidentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class Incident(models.Model):
    """A security incident of one unit, touching some of its accounts, from report to closing summary."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="incidents", verbose_name="单位")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    title = models.CharField("事件名称", max_length=100)
    accounts = models.ManyToManyField("registry.Account", blank=True, related_name="incidents",
                                      verbose_name="涉及账号")
    occurred_at = models.DateTimeField("发生时间")
    reported_at = models.DateTimeField("报告时间")
    description = models.TextField("事件经过")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    closed_at = models.DateTimeField("处置完毕时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="结案人")
    summary = models.TextField("处置总结", blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "突发事件"
        # The home page and the list ask for open incidents, newest first.
        indexes = [models.Index(fields=["closed_at", "occurred_at"], name="incident_open_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class IncidentAction(models.Model):
    """One step of an incident's handling: who did what, when (the timeline)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="actions", verbose_name="事件")
    taken_at = models.DateTimeField("时间")
    taken_by = models.CharField("处置人", max_length=100)
    what = models.TextField("处置措施")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["taken_at", "id"]
        verbose_name = "处置措施"

    def __str__(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M} {self.taken_by}"


class Retraction(models.Model):
    """A post taken down (撤稿): which account and post, who decided, when and why."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="retractions", verbose_name="单位")
    account = models.ForeignKey("registry.Account", on_delete=models.PROTECT, related_name="retractions",
                                verbose_name="账号")
    post = models.ForeignKey("monitoring.Post", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="retractions", verbose_name="发布内容")
    title = models.CharField("内容标题", max_length=300)
    url = models.URLField("内容链接", max_length=1000, blank=True)
    retracted_at = models.DateTimeField("撤稿时间")
    retracted_by = models.CharField("撤稿决定人", max_length=100)
    reason = models.TextField("撤稿原因")
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="retractions", verbose_name="关联事件")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-retracted_at", "-id"]
        verbose_name = "撤稿记录"

    def __str__(self) -> str:
        return f"{self.account} · {self.title}"


class EmergencyPlan(models.Model):
    """A version of a unit's emergency plan (应急预案); the latest approved one is in force."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="emergency_plans", verbose_name="单位")
    title = models.CharField("预案名称", max_length=200)
    # Stored under a digest of its content (the same file uploaded twice is kept once); the name it was uploaded
    # with is what a download is called.
    document = models.FileField("预案文件", upload_to="incidents/plans/")
    filename = models.CharField("文件名", max_length=200)
    approved_on = models.DateField("印发日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["unit", "-approved_on", "-id"]
        verbose_name = "应急预案"

    def __str__(self) -> str:
        return self.title


class Drill(models.Model):
    """An emergency drill (应急演练) of a unit under its plan: date, scenario, participants, findings."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="drills", verbose_name="单位")
    plan = models.ForeignKey(EmergencyPlan, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="drills", verbose_name="依据预案")
    held_on = models.DateField("演练日期")
    scenario = models.CharField("演练情景", max_length=300)
    participants = models.TextField("参加人员")
    findings = models.TextField("发现问题与改进")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "应急演练"

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.scenario}"
