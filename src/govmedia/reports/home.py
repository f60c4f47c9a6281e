"""What 监测看板与报表 adds to the home page: for those who see all units, a row of update-state counts
linking to the dashboard; for anyone else, their unit's accounts that are not up to date."""

from __future__ import annotations

from django.utils import timezone

from govmedia.reports import access, dashboard, states

SHOWN = 8


def context(user, now) -> dict:
    if not access.can_view_dashboard(user):
        return {}
    accounts = dashboard.running_accounts(user, dashboard.Filters(), timezone.localdate(now))
    listed = dashboard.rows(accounts, now)
    if access.sees_all_units(user):
        counts = dashboard.state_counts(listed)
        return {"reports_home": {"sees_all": True, "total": len(listed),
                                 "tiles": [{**s, "count": counts[s["value"]]} for s in states.choices()]}}
    late, _ = dashboard.sort_rows([r for r in listed if r.status != "ok"], dashboard.DEFAULT_SORT)
    return {"reports_home": {"sees_all": False, "attention": late[:SHOWN], "more": len(late) - SHOWN}}
