"""Forms of the incident pages; their choices are limited to what the person may record for."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from govmedia.incidents import access
from govmedia.incidents.models import EmergencyPlan, Incident, Kind, Severity
from govmedia.monitoring.models import Post
from govmedia.registry.models import Account

POST_CHOICE_DAYS = 90  # posts offered for a retraction: those published in the last 90 days


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


def _moment(label: str, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                        format="%Y-%m-%dT%H:%M"), **kwargs)


def _day(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class _UnitForm(_Styled):
    unit = forms.ModelChoiceField(label="单位", queryset=None, empty_label=None)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.recordable_units(user)


class IncidentForm(_UnitForm):
    title = forms.CharField(label="事件名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=Kind.choices)
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices)
    accounts = forms.ModelMultipleChoiceField(label="涉及账号", queryset=None, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    occurred_at = _moment("发生时间")
    reported_at = _moment("报告时间")
    description = forms.CharField(label="事件经过", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["accounts"].queryset = (Account.objects.filter(unit__in=access.recordable_units(user))
                                            .select_related("platform", "unit"))
        self.fields["accounts"].label_from_instance = lambda a: f"{a.unit.short_name or a.unit.name} · {a}"


class ActionForm(_Styled):
    taken_at = _moment("时间")
    taken_by = forms.CharField(label="处置人", max_length=100, required=False,
                               help_text="不填则为登记人本人；可填外单位人员或部门，如“区委网信办”。")
    what = forms.CharField(label="处置措施", widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(_Styled):
    summary = forms.CharField(label="处置总结", widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="原因、影响、处置结果与整改措施。")


class RetractionForm(_Styled):
    account = forms.ModelChoiceField(label="账号", queryset=None)
    post = forms.ModelChoiceField(label="已登记的发布内容", queryset=None, required=False,
                                  help_text=f"最近{POST_CHOICE_DAYS}天登记的发布内容；未登记的请填写下面的标题和链接。")
    title = forms.CharField(label="内容标题", max_length=300, required=False)
    url = forms.URLField(label="内容链接", max_length=1000, required=False, assume_scheme="https")
    retracted_at = _moment("撤稿时间")
    retracted_by = forms.CharField(label="撤稿决定人", max_length=100)
    reason = forms.CharField(label="撤稿原因", widget=forms.Textarea(attrs={"rows": 3}))
    incident = forms.ModelChoiceField(label="关联事件", queryset=None, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = access.recordable_units(user)
        self.fields["account"].queryset = Account.objects.filter(unit__in=units).select_related("platform", "unit")
        since = timezone.now() - timedelta(days=POST_CHOICE_DAYS)
        self.fields["post"].queryset = (Post.objects.filter(account__unit__in=units, published_at__gte=since)
                                        .select_related("account").order_by("-published_at"))
        self.fields["post"].label_from_instance = (
            lambda p: f"{p.account.name} · {timezone.localtime(p.published_at):%m-%d %H:%M} · {p.title[:40]}")
        self.fields["incident"].queryset = Incident.objects.filter(unit__in=units).order_by("-occurred_at")


class PlanForm(_UnitForm):
    title = forms.CharField(label="预案名称", max_length=200)
    document = forms.FileField(label="预案文件", help_text="PDF、Word、WPS 或 OFD 文件。")
    approved_on = _day("印发日期")


class DrillForm(_UnitForm):
    held_on = _day("演练日期")
    plan = forms.ModelChoiceField(label="依据预案", queryset=None, required=False,
                                  help_text="不选则为演练当日有效的本单位预案。")
    scenario = forms.CharField(label="演练情景", max_length=300)
    participants = forms.CharField(label="参加人员", widget=forms.Textarea(attrs={"rows": 2}))
    findings = forms.CharField(label="发现问题与改进", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["plan"].queryset = EmergencyPlan.objects.filter(unit__in=access.recordable_units(user))
