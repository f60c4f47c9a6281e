"""Forms of the vendor pages. They shape input; every rule is checked by vendors.actions."""

from __future__ import annotations

from django import forms

from govmedia import policy
from govmedia.org.models import Person
from govmedia.registry.models import Account
from govmedia.vendors.models import Grade

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
ACCEPT = ".pdf,.docx,.png,.jpg,.jpeg"
FILE_HELP = f"PDF、Word（.docx）或图片扫描件，不超过{policy.VENDOR_FILE_MAX_BYTES // (1024 * 1024)}MB"


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class VendorForm(_Styled):
    name = forms.CharField(label="单位名称", max_length=100)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    contact = forms.CharField(label="联系人", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)


class ContractForm(_Styled):
    number = forms.CharField(label="合同编号", max_length=100, required=False)
    signed_on = forms.DateField(label="签订日期", required=False, widget=DATE)
    starts_on = forms.DateField(label="服务起始日期", widget=DATE)
    ends_on = forms.DateField(label="服务截止日期", widget=DATE,
                              help_text=f"到期前{policy.VENDOR_EXPIRY_ALERT_DAYS}天起在首页提醒局办公室续签")
    scope = forms.CharField(label="服务范围", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                            help_text="外包承担哪些账号的哪些工作（如内容编辑、排版、数据统计）")
    responsibilities = forms.CharField(label="双方责任", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                                       help_text="第二条：主办单位不得将主体责任交由外包单位承担（托管不脱管）")
    file = forms.FileField(label="合同文件", help_text=FILE_HELP,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                           error_messages={"required": "请上传合同文件"})


class AgreementForm(_Styled):
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    starts_on = forms.DateField(label="生效日期", required=False, widget=DATE, help_text="留空为签订日期")
    ends_on = forms.DateField(label="有效期至", widget=DATE,
                              help_text=f"到期前{policy.VENDOR_EXPIRY_ALERT_DAYS}天起在首页提醒局办公室续签")
    file = forms.FileField(label="协议文件", help_text=FILE_HELP,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                           error_messages={"required": "请上传签字盖章的保密与安全协议"})


class StaffForm(_Styled):
    person = forms.ModelChoiceField(label="外包人员", queryset=Person.objects.none(), empty_label="请选择",
                                    help_text="须已在人员管理中授予“外包人员”角色",
                                    error_messages={"required": "请选择外包人员"})

    def __init__(self, people, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.full_name or p.username}（{p.username}）"


class AssignmentForm(_Styled):
    person = forms.ModelChoiceField(label="外包人员", queryset=Person.objects.none(), empty_label="请选择",
                                    error_messages={"required": "请选择外包人员"})
    account = forms.ModelChoiceField(label="账号", queryset=Account.objects.none(), empty_label="请选择",
                                     help_text="该人员只能为分配的账号撰写稿件和运营，不能参与审核",
                                     error_messages={"required": "请选择账号"})

    def __init__(self, people, accounts, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.full_name or p.username}（{p.username}）"
        self.fields["account"].queryset = accounts
        self.fields["account"].label_from_instance = lambda a: f"{a.unit.short_name or a.unit.name} · {a}"


class SupervisionForm(_Styled):
    evaluated_on = forms.DateField(label="评价日期", widget=DATE)
    period = forms.CharField(label="评价期间", max_length=50, help_text="如“2026年第一季度”")
    evaluator = forms.CharField(label="评价人", max_length=150)
    score = forms.IntegerField(label="得分", min_value=0, max_value=100,
                               error_messages={"min_value": "得分不能小于0", "max_value": "得分不能大于100",
                                               "invalid": "得分应为整数"})
    grade = forms.ChoiceField(label="等级", choices=[("", "请选择"), *Grade.choices])
    findings = forms.CharField(label="发现的问题及意见", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
