"""Forms of the counterfeit pages. They shape input; every rule is checked by counterfeit.actions."""

from __future__ import annotations

from django import forms

from govmedia import policy
from govmedia.counterfeit import challenge
from govmedia.counterfeit.models import Agency
from govmedia.registry.models import Account

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class _Styled(forms.Form):
    ids = "id"  # the case page shows several step forms at once: their fields' ids must not collide

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.ids}_%s")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.HiddenInput):
                continue
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class ReportForm(_Styled):
    """The public report. The challenge's question is shown from the view; its token travels in a hidden field."""

    platform = forms.CharField(label="平台", max_length=50, help_text="如微信公众号、新浪微博、抖音",
                               widget=forms.TextInput(attrs={"list": "platform-options", "autocomplete": "off"}))
    name = forms.CharField(label="账号名称", max_length=100)
    url = forms.URLField(label="链接", max_length=500, required=False, assume_scheme="https",
                         help_text="疑似假冒账号的主页链接（可选）")
    description = forms.CharField(label="情况描述", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="如：以本局名义发布信息、收集个人信息、收取费用等")
    screenshot = forms.FileField(label="截图", required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
                                 help_text=f"可选，PNG、JPEG、GIF 或 WebP 图片，不超过"
                                           f"{policy.COUNTERFEIT_SCREENSHOT_MAX_BYTES // (1024 * 1024)}MB")
    challenge_answer = forms.CharField(label="验证题", max_length=4,
                                       widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                                       error_messages={"required": "请回答验证题"})
    challenge_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if "challenge_answer" in data:
            refusal = challenge.check(data.get("challenge_token", ""), data["challenge_answer"])
            if refusal:
                self.add_error("challenge_answer", refusal)
        return data


class VerifyForm(_Styled):
    ids = "verify"

    is_counterfeit = forms.TypedChoiceField(
        label="核实结论", choices=[("yes", "属于假冒账号"), ("no", "不属于假冒账号")], coerce=lambda v: v == "yes",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}), error_messages={"required": "请选择核实结论"})
    imitates = forms.ModelMultipleChoiceField(
        label="被假冒的本局账号", queryset=Account.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text="将写入致平台函，作为官方账号的依据")
    note = forms.CharField(label="核实情况", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="认定不属于假冒的须写明理由")

    def __init__(self, accounts, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["imitates"].queryset = accounts
        self.fields["imitates"].label_from_instance = lambda a: f"{a}（{a.unit.short_name or a.unit.name}）"


class CoordinationForm(_Styled):
    ids = "coordination"

    agency = forms.ChoiceField(label="部门", choices=Agency.choices)
    agency_name = forms.CharField(label="部门名称", max_length=100, required=False, help_text="如“区委网信办”；选择“其他部门”时必填")
    on = forms.DateField(label="日期", widget=DATE)
    contact = forms.CharField(label="对接人及联系方式", max_length=100)
    content = forms.CharField(label="沟通内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class LetterForm(_Styled):
    ids = "letter"

    unit = forms.CharField(label="发函单位", max_length=100)
    contact = forms.CharField(label="联系人及电话", max_length=100)


class ReportUpForm(_Styled):
    ids = "report_up"

    on = forms.DateField(label="上报日期", widget=DATE)
    to = forms.CharField(label="上报对象", max_length=100, help_text="如“苏州市人力资源和社会保障局办公室”")
    note = forms.CharField(label="上报内容", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(_Styled):
    ids = "close"

    outcome = forms.CharField(label="处置结果", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="如：平台已于某日关闭该账号")
