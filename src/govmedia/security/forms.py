"""Forms of 账号安全与人员. The rules live in actions.py; forms only collect and type the input."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from govmedia import policy
from govmedia.org.models import Person
from govmedia.registry.forms import DATE, _Styled
from govmedia.registry.models import today
from govmedia.security.models import DeviceKind, HandoverKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        missing = [label for value, label in ((person.clearance_on, "保密审查"), (person.trained_on, "岗前培训"))
                   if not value]
        note = f"（未登记{'、'.join(missing)}）" if missing else ""
        return f"{person.full_name or person.username}（{person.username}）{note}"


def staff_of(unit_id: int):
    """People of the unit who are still on post: the choices for custodian and device owner."""
    return (Person.objects.filter(unit_id=unit_id, is_active=True, departed_on__isnull=True)
            .order_by("id"))


class CustodianForm(_Styled):
    custodian = PersonChoice(label="保管人", queryset=Person.objects.none(), empty_label="请选择本单位在岗人员",
                             help_text="须为本单位在编在岗人员，已通过保密审查并完成岗前培训；不得为外包人员")

    def __init__(self, account, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["custodian"].queryset = staff_of(account.unit_id)


class DeviceForm(_Styled):
    owner = PersonChoice(label="使用人", queryset=Person.objects.none(), empty_label="请选择")
    kind = forms.ChoiceField(label="设备类型", choices=[("", "请选择"), *DeviceKind.choices],
                             help_text="不得在网吧等公共场所或无安全保障的设备上登录账号（第十二条(一)）")
    asset_number = forms.CharField(label="资产编号", max_length=50)
    description = forms.CharField(label="品牌型号", max_length=100, required=False)

    def __init__(self, account, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_of(account.unit_id)


class DeviceRemoveForm(_Styled):
    reason = forms.CharField(label="停用原因", max_length=300)


class RotationForm(_Styled):
    changed_at = forms.DateTimeField(label="修改时间", widget=DATETIME,
                                     initial=lambda: timezone.localtime().replace(second=0, microsecond=0))
    # Never rendered back: a refused password is not echoed into the page.
    new_password = forms.CharField(
        label="新密码", strip=False, widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=(f"仅用于检查强度和是否与最近{policy.CREDENTIAL_HISTORY}次密码重复，不会保存：系统只保留不可逆的"
                   f"带密钥摘要。至少{policy.CREDENTIAL_MIN_LENGTH}位，使用数字、字母、特殊符号中的至少"
                   f"{policy.CREDENTIAL_MIN_CLASSES}种"),
    )


class ClearanceForm(_Styled):
    clearance_on = forms.DateField(label="保密审查日期", widget=DATE, required=False)
    trained_on = forms.DateField(label="岗前培训日期", widget=DATE, required=False,
                                 help_text="岗前安全及业务培训（第十二条(二)）")


class DepartureForm(_Styled):
    date = forms.DateField(label="离岗日期", widget=DATE, initial=today)


class HandoverCloseForm(_Styled):
    custodian = PersonChoice(label="新保管人", queryset=Person.objects.none(), required=False,
                             empty_label="请选择本单位在岗人员")
    evidence = forms.CharField(label="完成情况及佐证", max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, task, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if task.kind == HandoverKind.NEW_CUSTODIAN:
            self.fields["custodian"].queryset = staff_of(task.account.unit_id).exclude(pk=task.person_id)
            self.fields["custodian"].required = True
            self.fields["custodian"].error_messages["required"] = "请指定新的保管人"
            self.fields["evidence"].help_text = "可选：交接说明"
        else:
            del self.fields["custodian"]
            self.fields["evidence"].required = True
            self.fields["evidence"].error_messages["required"] = "请填写完成情况及佐证材料"
            self.fields["evidence"].help_text = "如何完成、由谁确认、相关材料（必填）"
