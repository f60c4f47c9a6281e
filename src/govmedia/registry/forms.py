from __future__ import annotations

from django import forms

from govmedia import policy
from govmedia.org import access
from govmedia.org.models import Person, Unit
from govmedia.registry.models import EventKind, Platform, today

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class AccountOpenForm(_Styled):
    unit = forms.ModelChoiceField(label="主办单位", queryset=Unit.objects.none(), empty_label=None)
    platform = forms.ModelChoiceField(label="平台", queryset=Platform.objects.filter(approved=True),
                                      empty_label="请选择核准的平台")
    name = forms.CharField(label="账号名称", max_length=100)
    platform_uid = forms.CharField(label="平台账号ID", max_length=100, required=False)
    url = forms.URLField(label="链接", max_length=500, required=False, assume_scheme="https")
    subject = forms.CharField(label="认证主体", max_length=100, help_text="须为主办单位全称，内设机构和个人不得作为账号主体")
    purpose = forms.CharField(label="开设用途", max_length=300, required=False,
                              help_text="不得为专项活动或专项工作单独开设")
    managers = forms.ModelMultipleChoiceField(label="专职管理人员", queryset=Person.objects.none(), required=False)
    opened_on = forms.DateField(label="开设日期", required=False, widget=DATE,
                                help_text="已在平台开设的填写开设日期，将生成备案事项；尚在筹备的留空")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = access.editable_units(user)
        self.fields["unit"].queryset = units
        self.fields["managers"].queryset = Person.objects.filter(unit__in=units, is_active=True)
        for key, label in policy.OPENING_PRECONDITIONS.items():
            self.fields[f"pre_{key}"] = forms.CharField(
                label=label, max_length=500, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                help_text="佐证材料：文件名称、文号或说明",
            )
        self.precondition_fields = [self[f"pre_{key}"] for key in policy.OPENING_PRECONDITIONS]

    def preconditions(self) -> dict:
        return {key: self.cleaned_data.get(f"pre_{key}", "") for key in policy.OPENING_PRECONDITIONS}


class EventForm(_Styled):
    effective_date = forms.DateField(label="生效日期", widget=DATE, initial=today)
    note = forms.CharField(label="说明", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, user, account, kind: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = EventKind(kind)
        if self.kind == EventKind.CHANGE:
            for name, label in (("name", "账号名称"), ("platform_uid", "平台账号ID"), ("url", "链接"),
                                ("subject", "认证主体"), ("purpose", "开设用途")):
                self.fields[name] = forms.CharField(label=label, max_length=500, required=name != "name",
                                                    initial=getattr(account, name),
                                                    widget=forms.TextInput(attrs={"class": "form-control"}))
            units = access.editable_units(user)
            self.fields["unit"] = forms.ModelChoiceField(label="主办单位", queryset=units, initial=account.unit_id,
                                                         empty_label=None, widget=forms.Select(attrs={"class": "form-select"}))
            self.fields["public_notice"] = forms.CharField(
                label="变更公告", required=False, max_length=500,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                help_text="主办单位发生变化的，须向社会公告（第三条）：填写公告链接或内容")
        if self.kind == EventKind.CLOSE:
            self.fields["notice"] = forms.CharField(
                label="停更公告", max_length=500, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                help_text="关停前须发布停更公告：填写公告链接或内容")

    def changes(self) -> dict:
        if self.kind != EventKind.CHANGE:
            return {}
        keys = ("name", "platform_uid", "url", "subject", "purpose", "unit")
        return {key: self.cleaned_data.get(key) for key in keys}


class FilingForm(_Styled):
    filed_on = forms.DateField(label="备案日期", widget=DATE, initial=today)
    reference = forms.CharField(label="备案编号", max_length=100, help_text="省政务新媒体备案检查系统中的备案编号")


class LedgerImportForm(_Styled):
    file = forms.FileField(label="台账文件（.xlsx）")
