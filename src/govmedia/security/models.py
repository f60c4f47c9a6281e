"""账号安全与人员 (第十二条(一)(二)): who keeps each account's login, on which devices, when its password last
changed, and what a departed person's accounts still need.

Nothing here stores a status: an account's password state comes from its last rotation and the clock
(summary.password_state); a handover task is open until it is closed with evidence, or — for the password
and the custodian — until the fact that settles it exists (a rotation on or after the departure; another
custodian named).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery

from govmedia.registry.models import Account, today


class Custody(models.Model):
    """The account's custodian (保管人): the one staff member who keeps its password and login (第十二条(一)).

    One per account; a change replaces the person (the audit log keeps who held it before).
    """

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="custody", verbose_name="账号")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="custodies",
                               verbose_name="保管人")
    since = models.DateTimeField("指定时间")
    set_by = models.CharField("指定人", max_length=150)

    class Meta:
        verbose_name = "账号保管人"

    def __str__(self) -> str:
        return f"{self.account} 保管人 {self.person}"


class DeviceKind(models.TextChoices):
    OFFICE_PC = "office_pc", "单位办公电脑"
    WORK_PHONE = "work_phone", "单位配发手机"
    WORK_TABLET = "work_tablet", "单位配发平板"
    PUBLIC = "public", "网吧等公共场所设备"
    UNSAFE = "unsafe", "无安全保障的设备"


# 第十二条(一): 不得在网吧等公共场所或无安全保障设备上登录账号 — these kinds are listed so the refusal is explicit.
REFUSED_DEVICE_KINDS = {
    DeviceKind.PUBLIC: "不得在网吧等公共场所的设备上登录账号（第十二条(一)）",
    DeviceKind.UNSAFE: "不得在无安全保障的设备上登录账号（第十二条(一)）",
}


class DeviceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class Device(models.Model):
    """A device allowed to sign in to the account on its platform; removal keeps the row (停用)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="devices", verbose_name="账号")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="devices",
                              verbose_name="使用人")
    kind = models.CharField("设备类型", max_length=20, choices=DeviceKind.choices)
    asset_number = models.CharField("资产编号", max_length=50)
    description = models.CharField("品牌型号", max_length=100, blank=True)
    added_at = models.DateTimeField("登记时间")
    added_by = models.CharField("登记人", max_length=150)
    removed_at = models.DateTimeField("停用时间", null=True, blank=True)
    removed_by = models.CharField("停用人", max_length=150, blank=True)
    removed_reason = models.CharField("停用原因", max_length=300, blank=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        ordering = ["account", "id"]
        verbose_name = "登录设备"
        constraints = [
            models.UniqueConstraint(fields=["account", "asset_number"], condition=Q(removed_at__isnull=True),
                                    name="device_active_asset_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.asset_number}"


class CredentialRotation(models.Model):
    """One change of the account's platform password (第十二条(一)).

    Only ``digest`` is kept: HMAC-SHA256 under the server key (settings.CREDENTIAL_HASH_KEY, outside the
    database) of the account id and the new password — enough to refuse a reused password, useless without
    the key, and different for the same password on two accounts. ``key_id`` says which key made it.
    """

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="credential_rotations",
                                verbose_name="账号")
    changed_at = models.DateTimeField("修改时间")
    digest = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = "账号密码修改"
        # The account's last change (state) and its last CREDENTIAL_HISTORY digests (reuse check).
        indexes = [models.Index(fields=["account", "-changed_at"], name="rotation_account_changed_idx")]

    def __str__(self) -> str:
        return f"{self.account} 修改密码"


class HandoverKind(models.TextChoices):
    CHANGE_PASSWORD = "change_password", "修改密码"
    REVOKE_ACCESS = "revoke_access", "收回平台权限"
    RECOVER_DEVICES = "recover_devices", "收回登录设备"
    NEW_CUSTODIAN = "new_custodian", "指定新保管人"


class HandoverState(models.TextChoices):
    OPEN = "open", "待办"
    OVERDUE = "overdue", "已逾期"
    DONE = "done", "已完成"


class HandoverTaskQuerySet(models.QuerySet):
    def with_progress(self):
        """Annotate the facts that settle a task without a closing: ``rotated_at`` (the first password change
        on or after the departure) and ``custodian_named`` (the account's custodian is now someone else)."""
        rotations = CredentialRotation.objects.filter(account=OuterRef("account"), changed_at__gte=OuterRef("since"))
        other_custodian = Custody.objects.filter(account=OuterRef("account")).exclude(person=OuterRef("person"))
        return self.annotate(
            rotated_at=Subquery(rotations.order_by("changed_at").values("changed_at")[:1]),
            custodian_named=Exists(other_custodian),
        )

    def _settled(self) -> Q:
        return (Q(closed_at__isnull=False)
                | Q(kind=HandoverKind.CHANGE_PASSWORD, rotated_at__isnull=False)
                | Q(kind=HandoverKind.NEW_CUSTODIAN, custodian_named=True))

    def open(self):
        return self.with_progress().exclude(self._settled())

    def done(self):
        return self.with_progress().filter(self._settled())

    def overdue(self, on: date | None = None):
        return self.open().filter(due_date__lt=on or today())


class HandoverTask(models.Model):
    """What one account still needs after its custodian or manager left the post (第十二条(一)).

    ``due_date`` is stored because the office's home page queries the overdue ones (HandoverTaskQuerySet.overdue);
    ``since`` is the start of the departure day: a password change at or after it settles the password task.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handover_tasks",
                               verbose_name="离岗人员")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="handover_tasks",
                                verbose_name="账号")
    kind = models.CharField("交接事项", max_length=20, choices=HandoverKind.choices)
    departed_on = models.DateField("离岗日期")
    since = models.DateTimeField("离岗起算时间")
    opened_at = models.DateTimeField("生成时间")
    due_date = models.DateField("完成期限", db_index=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    closed_at = models.DateTimeField("完成时间", null=True, blank=True)
    closed_by = models.CharField("完成登记人", max_length=150, blank=True)
    evidence = models.TextField("完成情况及佐证", blank=True)

    objects = HandoverTaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = "离岗交接任务"
        constraints = [
            models.UniqueConstraint(fields=["person", "account", "kind", "departed_on"], name="handover_task_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.get_kind_display()}"

    def state(self, on: date | None = None) -> HandoverState:
        """Needs the with_progress() annotations (a task fetched without them is judged on its closing only)."""
        if self.is_done:
            return HandoverState.DONE
        return HandoverState.OVERDUE if self.due_date < (on or today()) else HandoverState.OPEN

    @property
    def is_done(self) -> bool:
        if self.closed_at:
            return True
        if self.kind == HandoverKind.CHANGE_PASSWORD and getattr(self, "rotated_at", None):
            return True
        return self.kind == HandoverKind.NEW_CUSTODIAN and bool(getattr(self, "custodian_named", False))

    def settled_by(self) -> str:
        """How the task was settled, for people to read."""
        if self.closed_at:
            return self.evidence
        if self.kind == HandoverKind.CHANGE_PASSWORD and getattr(self, "rotated_at", None):
            from django.utils import timezone

            return f"已登记修改密码（{timezone.localtime(self.rotated_at):%Y-%m-%d %H:%M}）"
        if self.kind == HandoverKind.NEW_CUSTODIAN and getattr(self, "custodian_named", False):
            return "已指定新保管人"
        return ""
