from __future__ import annotations

from datetime import timedelta

from django import forms

from govmedia.inspections.checklist import ITEMS
from govmedia.inspections.models import Outcome, Severity
from govmedia.registry.models import Account, today

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _required(label: str) -> dict:
    return {"required": f"请填写{label}", "invalid": f"{label}格式不正确"}


class AnswerForm(forms.Form):
    text = forms.CharField(label="整改情况说明", widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                           error_messages=_required("整改情况说明"),
                           help_text="写明采取了什么措施、何时完成，如已删除或修改内容请附链接")
    evidence = forms.FileField(label="佐证材料（可选）", required=False,
                               widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
                               help_text="截图、整改报告等：PDF、Word、Excel、图片或压缩包")


class AcceptForm(forms.Form):
    note = forms.CharField(label="验收意见（可选）", required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                             error_messages=_required("退回理由"), help_text="说明还缺什么；退回后按严重程度重新计算整改期限")


class InspectionForm(forms.Form):
    title = forms.CharField(label="检查名称", max_length=200, error_messages=_required("检查名称"),
                            widget=forms.TextInput(attrs={"class": "form-control"}),
                            help_text="例如：2026年第二季度政务新媒体检查")
    period_start = forms.DateField(label="检查期间起", widget=DATE, error_messages=_required("检查期间起"))
    period_end = forms.DateField(label="检查期间止", widget=DATE, error_messages=_required("检查期间止"))
    accounts = forms.ModelMultipleChoiceField(
        label="受检账号", queryset=Account.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个受检账号", "invalid_choice": "所选账号不存在：%(value)s",
                        "invalid_pk_value": "账号编号「%(pk)s」无效"})

    def __init__(self, accounts, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accounts"].queryset = accounts
        end = today().replace(day=1) - timedelta(days=1)
        self.fields["period_start"].initial = end.replace(day=1)
        self.fields["period_end"].initial = end


def checklist_decisions(post, results) -> tuple[dict[str, dict], dict[str, str]]:
    """The checklist page's POST for one account → (decisions by item code, errors by item code)."""
    decisions, errors = {}, {}
    names = {item.code: item.name for item in ITEMS}
    for result in results:
        code = result.item
        outcome = post.get(f"outcome_{code}", result.outcome)
        severity = post.get(f"severity_{code}", result.severity)
        if outcome not in Outcome.values:
            errors[code] = f"「{names[code]}」的结论无效"
            continue
        if severity not in Severity.values:
            errors[code] = f"「{names[code]}」的严重程度无效"
            continue
        note = post.get(f"note_{code}", "").strip()
        if outcome == Outcome.FAIL and not note and not result.evidence:
            errors[code] = f"「{names[code]}」不通过，请在检查意见中写明存在的问题"
            continue
        decisions[code] = {"outcome": outcome, "severity": severity, "note": note}
    return decisions, errors
