"""The report's choice of period and scope (read from the query string, so a report has a shareable address)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from govmedia.org.models import Unit
from govmedia.reports import access
from govmedia.reports.figures import Period, PeriodError

ALL = "all"


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="报表类型", choices=[("month", "月报"), ("quarter", "季报")],
                             error_messages={"invalid_choice": "报表类型须为月报或季报", "required": "请选择报表类型"})
    year = forms.IntegerField(label="年份", error_messages={"invalid": "年份须为数字，如2026", "required": "请填写年份"})
    number = forms.IntegerField(label="月份/季度", error_messages={"invalid": "月份或季度须为数字",
                                                                  "required": "请填写月份或季度"})
    scope = forms.ChoiceField(label="统计范围", error_messages={"invalid_choice": "请选择您可查看的单位",
                                                                "required": "请选择统计范围"})

    def __init__(self, user, params):
        """``params``: the query string; a field it leaves out takes its default (last month, widest scope)."""
        today = timezone.localdate()
        default = Period.previous_month(today)
        units = list(access.report_units(user))
        choices = [(ALL, "全局（全部单位）")] if access.can_report_on_all_units(user) else []
        choices += [(str(u.pk), u.name) for u in units]
        initial = {"kind": "month", "year": default.year, "number": default.number,
                   "scope": choices[0][0] if choices else ""}
        super().__init__({**initial, **{name: params[name] for name in self.base_fields if name in params}})
        self.fields["scope"].choices = choices
        self.units = {str(u.pk): u for u in units}
        self.today = today

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["period"] = Period.of(data["kind"], data["year"], data["number"], self.today)
        except PeriodError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return data

    def chosen_scope(self):
        """(units queryset, label) for the chosen scope."""
        chosen = self.cleaned_data["scope"]
        if chosen == ALL:
            return Unit.objects.all(), "全局"
        unit = self.units[chosen]
        return Unit.objects.filter(pk=unit.pk), unit.name
