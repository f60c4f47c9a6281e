from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from govmedia import policy, workdays
from govmedia.org import access
from govmedia.registry.models import today
from govmedia.workcal import actions
from govmedia.workcal.calendar import add_workdays
from govmedia.workcal.models import WorkdayOverride


class OverrideForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    is_workday = forms.TypedChoiceField(label="安排", choices=[("1", "上班（调休工作日）"), ("0", "休息（节假日）")],
                                        coerce=lambda v: v == "1", widget=forms.Select(attrs={"class": "form-select"}))
    note = forms.CharField(label="说明", max_length=100, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如：2027年春节调休"}))


@login_required
def calendar_view(request):
    """The working-day calendar: the office's overrides, and a calculator for filing deadlines."""
    can_manage = access.can_manage_reference_data(request.user)
    form = OverrideForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if request.POST.get("remove"):
            actions.remove_override(forms.DateField().clean(request.POST["remove"]), actor=request.user)
            messages.success(request, "已删除该调整，未完成备案的截止日已重新计算。")
            return redirect("calendar")
        if form.is_valid():
            data = form.cleaned_data
            actions.set_override(data["day"], is_workday=data["is_workday"], note=data["note"], actor=request.user)
            messages.success(request, "已保存，未完成备案的截止日已重新计算。")
            return redirect("calendar")
    start = forms.DateField(required=False).clean(request.GET.get("start")) or today()
    due = add_workdays(start, policy.FILING_WORKDAYS)
    return render(request, "workcal/calendar.html", {
        "form": form, "overrides": WorkdayOverride.objects.all(), "can_manage": can_manage,
        "start": start, "due": due, "workdays": policy.FILING_WORKDAYS,
        "data_end": workdays.data_end() if hasattr(workdays, "data_end") else None,
    })
