"""The bureau's units, sections and people, and the roles people hold."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models


class Unit(models.Model):
    """A unit that may own accounts (主办单位): the bureau itself or one of its institutions."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", "局机关"
        INSTITUTION = "institution", "直属事业单位"

    name = models.CharField("单位全称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "单位"

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """An internal section (科室) of a unit. 第四条: a section can never be an account's subject."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="sections", verbose_name="单位")
    name = models.CharField("科室名称", max_length=100)
    is_lead_office = models.BooleanField("牵头科室（局办公室）", default=False)

    class Meta:
        ordering = ["unit", "id"]
        verbose_name = "科室"
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="section_unique_name_in_unit")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICE = "office", "局办公室管理员"
    CLERK = "clerk", "信息员"
    SECTION_CHIEF = "section_chief", "科室负责人"
    SIGNER = "signer", "签发人"
    DIRECTOR = "director", "主要负责人"
    AUDITOR = "auditor", "审计员"
    VENDOR = "vendor", "外包人员"
    # 三权分立 (等保 2.0): system, security and audit administration are held by three different people.
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"


class Person(AbstractUser):
    """Anyone who signs in: staff of a unit, or an outsourced operator attached to the unit they serve."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="people",
                             verbose_name="单位")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="people", verbose_name="科室")
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # 第十二条(一)(二): nobody becomes custodian, manager or reviewer without both.
    clearance_on = models.DateField("保密审查日期", null=True, blank=True)
    trained_on = models.DateField("岗前培训日期", null=True, blank=True)
    # A departure or change of post; set by the departure action, which also ends sessions, tokens and roles.
    departed_on = models.DateField("离岗日期", null=True, blank=True)

    class Meta:
        verbose_name = "人员"
        ordering = ["unit", "id"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def role_labels(self) -> list[str]:
        return [label for value, label in Role.choices if value in self.roles]


class RoleGrant(models.Model):
    """One role held by one person, within that person's unit (the office and auditor see all units)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色"
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="role_grant_unique")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)  # looked up on every API request
    prefix = models.CharField("前缀", max_length=8)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"

    def __str__(self) -> str:
        return f"{self.prefix}…"
