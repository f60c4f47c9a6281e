"""Pages of the control room: the update dashboard, one account's panel, reports and the compliance summary.

Thin: check who asks (``reports.access``), ask ``dashboard``/``figures`` one question, render or send a file.
Every file sent is written to the audit log (REPORT_EXPORTED).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.registry.models import Account, Platform
from govmedia.reports import access, dashboard, figures, panel, states, word, workbook
from govmedia.reports.forms import ReportForm

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _exported(user, what: str, after: dict) -> None:
    record(EventType.REPORT_EXPORTED, actor=user, object_repr=what, after=after)


def _query(params, *drop: str) -> str:
    query = params.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()


def _dashboard_rows(request, now):
    filters = dashboard.Filters.from_params(request.GET)
    accounts = dashboard.running_accounts(request.user, filters, timezone.localdate(now))
    listed = dashboard.rows(accounts, now)
    shown = [r for r in listed if filters.state is None or r.status == filters.state]
    shown, sort = dashboard.sort_rows(shown, request.GET.get("sort", dashboard.DEFAULT_SORT))
    return filters, accounts, listed, shown, sort


@login_required
def update_dashboard(request):
    """Every running account the person can see, its update state, and the quarter's and year's charts."""
    if not access.can_view_dashboard(request.user):
        raise PermissionDenied
    now = timezone.now()
    filters, accounts, listed, shown, sort = _dashboard_rows(request, now)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    prefetch_related_objects([r.account for r in page], "managers")
    counts = dashboard.state_counts(listed)
    return render(request, "reports/dashboard.html", {
        "page": page, "filters": filters, "sort": sort, "now": now,
        "tiles": [{**s, "count": counts[s["value"]]} for s in states.choices()],
        "total": len(listed), "directives_overdue": sum(r.directives_overdue for r in listed),
        "compliance": states.compliance_rate(counts),
        "charts": dashboard.chart_data(listed, accounts.values("pk"), now),
        "units": access.visible_units(request.user),
        "platforms": Platform.objects.all(), "state_choices": states.choices(),
        "query": _query(request.GET, "page"), "sort_query": _query(request.GET, "page", "sort"),
        "tile_query": _query(request.GET, "page", "state"),
    })


@login_required
def update_dashboard_export(request):
    if not access.can_view_dashboard(request.user):
        raise PermissionDenied
    now = timezone.now()
    filters, _, _, shown, _ = _dashboard_rows(request, now)
    data = workbook.dashboard_xlsx(shown, now)
    _exported(request.user, "政务新媒体更新监测表", {"format": "xlsx", "filters": filters.as_dict(), "count": len(shown)})
    return _file(data, XLSX, f"update-monitor-{timezone.localdate(now):%Y%m%d}.xlsx")


@login_required
def update_account(request, pk: int):
    """One account's panel: its state explained, weekly counts, monthly share, last posts, pending reprints."""
    account = get_object_or_404(Account.objects.select_related("unit", "platform"), pk=pk)
    if not access.can_view_unit(request.user, account.unit_id):
        raise Http404
    return render(request, "reports/account.html", panel.context(account, timezone.now()))


# --- reports --------------------------------------------------------------------------------------------------


def _report_form(request) -> ReportForm:
    if not access.can_view_reports(request.user):
        raise PermissionDenied
    return ReportForm(request.user, request.GET)


@login_required
def report_index(request):
    form = _report_form(request)
    report, query = None, ""
    if form.is_valid():
        units, scope = form.chosen_scope()
        report = figures.build(form.cleaned_data["period"], units, scope)
        query = urlencode({name: form.cleaned_data[name] for name in ("kind", "year", "number", "scope")})
    return render(request, "reports/report.html", {"form": form, "report": report, "query": query},
                  status=200 if form.is_valid() else 400)


@login_required
def report_download(request, fmt: str):
    form = _report_form(request)
    if not form.is_valid():
        return render(request, "reports/report.html", {"form": form, "report": None, "query": ""}, status=400)
    units, scope = form.chosen_scope()
    period = form.cleaned_data["period"]
    report = figures.build(period, units, scope)
    if fmt == "docx":
        data, content_type = word.build_docx(report), DOCX
    else:
        data, content_type = workbook.report_xlsx(report), XLSX
    _exported(request.user, f"{period.title}（{period.label}，{scope}）",
              {"format": fmt, "period": period.slug, "scope": form.cleaned_data["scope"],
               "accounts": len(report.accounts)})
    return _file(data, content_type, f"report-{period.slug}.{fmt}")


def _compliance_rows(request, now):
    if not access.can_view_reports(request.user):
        raise PermissionDenied
    units = list(access.visible_units(request.user))
    accounts = dashboard.running_accounts(request.user, dashboard.Filters(), timezone.localdate(now))
    return dashboard.compliance(units, dashboard.rows(accounts, now))


@login_required
def compliance(request):
    now = timezone.now()
    rows = _compliance_rows(request, now)
    totals = dashboard.state_counts([])
    for row in rows:
        for code, n in row["counts"].items():
            totals[code] += n
    return render(request, "reports/compliance.html", {
        "rows": rows, "state_choices": states.choices(), "now": now,
        "totals": [totals[s["value"]] for s in states.choices()], "total": sum(r["accounts"] for r in rows),
        "compliance": states.compliance_rate(totals),
        "directives_overdue": sum(r["directives_overdue"] for r in rows),
    })


@login_required
def compliance_export(request):
    now = timezone.now()
    rows = _compliance_rows(request, now)
    data = workbook.compliance_xlsx(rows, now)
    _exported(request.user, "各单位政务新媒体合规汇总", {"format": "xlsx", "units": len(rows)})
    return _file(data, XLSX, f"compliance-{timezone.localdate(now):%Y%m%d}.xlsx")
