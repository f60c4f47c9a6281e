"""Forms of the review pages. They shape input; every rule is checked by publishing.actions."""

from __future__ import annotations

from django import forms

from govmedia import policy
from govmedia.publishing import content
from govmedia.publishing.actions import ATTACHMENT_SUFFIXES
from govmedia.publishing.models import Importance, Kind, ReprintDirective
from govmedia.registry.models import Account

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
ACCEPT = ",".join(sorted(ATTACHMENT_SUFFIXES))


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def account_label(account: Account) -> str:
    return f"{account.platform.name}「{account.name}」"


class AccountChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return account_label(obj)


class DraftForm(_Styled):
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", required=False, max_length=500_000,
                           widget=forms.Textarea(attrs={"rows": 14, "data-rich-text": "1"}),
                           help_text="可设置加粗、斜体、小标题、列表和链接；保存时自动清除脚本和样式。")
    accounts = AccountChoiceField(label="发布账号", queryset=Account.objects.none(),
                                  widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                                  error_messages={"required": "请选择至少一个发布账号"})
    kind = forms.ChoiceField(label="类型", choices=Kind.choices, initial=Kind.ORIGINAL,
                             widget=forms.RadioSelect(attrs={"class": "form-check-input",
                                                             "data-toggles": "reprint-fields"}))
    source_name = forms.CharField(label="转载来源", max_length=200, required=False,
                                  help_text="第七条：转载须注明来源，不得转载非官方来源的时政类新闻")
    original_title = forms.CharField(label="原标题", max_length=200, required=False,
                                     help_text="标题有改动的，审核时将与原标题对照显示")
    source_url = forms.URLField(label="原文链接", max_length=500, required=False, assume_scheme="https")
    importance = forms.ChoiceField(label="重要程度", choices=Importance.choices, initial=Importance.NORMAL,
                                   help_text="重要重大信息须经主要负责人终审（第八条）")
    other_units = forms.CharField(label="涉及的其他单位", max_length=300, required=False,
                                  help_text="内容涉及其他单位工作的，须事先沟通协调（第十一条）")
    coordination_note = forms.CharField(label="沟通协调情况", required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    directive = forms.ModelChoiceField(label="对应的转载通知", queryset=ReprintDirective.objects.none(),
                                       required=False, empty_label="（无）")
    attachments = MultipleFileField(label="附件", required=False,
                                    help_text=f"支持 .docx .xlsx .pdf 和图片，每个不超过"
                                              f"{policy.SCREEN_MAX_FILE_BYTES // (1024 * 1024)}MB；送审时一并检查")

    def __init__(self, accounts, directives, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and "body" in self.data:
            # A form shown again after an error puts the body back into the editor: only sanitised HTML.
            self.data = self.data.copy()
            self.data["body"] = content.sanitize(self.data["body"])
        self.fields["accounts"].queryset = accounts
        self.fields["directive"].queryset = directives
        self.fields["body"].widget.attrs["class"] = "form-control gm-editor-source"

    def action_fields(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("title", "body", "kind", "source_name", "original_title", "source_url",
                                           "importance", "other_units", "coordination_note")}


class DecisionForm(_Styled):
    comment = forms.CharField(label="审核意见", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}), help_text="退回修改时必填")
    override_reason = forms.CharField(label="放行理由", required=False, max_length=2000,
                                      widget=forms.Textarea(attrs={"rows": 3}),
                                      help_text="稿件有阻断问题，签发须写明放行理由；理由将被记录并由局办公室复查")


class PublicationForm(_Styled):
    account = forms.ModelChoiceField(label="发布账号", queryset=Account.objects.none(), empty_label=None)
    url = forms.URLField(label="发布链接", max_length=500, required=False, assume_scheme="https")
    published_at = forms.DateTimeField(label="发布时间", required=False, widget=DATETIME,
                                       input_formats=DATETIME_FORMATS, help_text="留空为现在")
    failure_reason = forms.CharField(label="发布失败原因", max_length=300, required=False,
                                     help_text="未能发布的，填写原因，不填链接")

    def __init__(self, accounts, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.fields["account"].label_from_instance = account_label


class DirectiveForm(_Styled):
    title = forms.CharField(label="标题", max_length=200)
    source = forms.CharField(label="来源", max_length=200, help_text="下达转载要求的上级单位或媒体")
    url = forms.URLField(label="链接", max_length=500, required=False, assume_scheme="https")
    received_at = forms.DateTimeField(label="收到时间", widget=DATETIME, input_formats=DATETIME_FORMATS,
                                      help_text=f"各账号须在收到后{policy.REPRINT_HOURS}小时内转载（第六条）")
    accounts = AccountChoiceField(label="须转载的账号", queryset=Account.objects.none(),
                                  widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                                  error_messages={"required": "请选择须转载的账号"})

    def __init__(self, accounts, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accounts"].queryset = accounts
