"""What 账号安全与人员 adds to the home page (待办 and warnings), for one person.

The office (and the auditor) see the bureau-wide counts — custody violations, passwords overdue or due — and
the overdue handover tasks; a custodian sees the accounts they keep whose password is due or overdue.
Nothing is added when there is nothing to do.
"""

from __future__ import annotations

from django.utils import timezone

from govmedia.org import access as org_access
from govmedia.security import queries

TASKS_SHOWN = 10


def context(user, now) -> dict:
    on = timezone.localdate(now)
    overdue_tasks = queries.handover_tasks_for(user).overdue(on).order_by("due_date", "id")
    if org_access.sees_all_units(user):
        counts = queries.summary_counts(user)
        mine = []
    else:
        counts = {"violations": 0, "overdue": 0, "due": 0}
        mine = [r for r in queries.security_rows(user, queries.accounts_with_security(user, devices=False).filter(custody__person=user))
                if r.state.status in ("due", "overdue")]
        if not org_access.can_edit_any_registry(user):
            overdue_tasks = overdue_tasks.none()
    tasks = list(overdue_tasks[:TASKS_SHOWN + 1])
    security = {
        "counts": counts, "mine": mine, "overdue_tasks": tasks[:TASKS_SHOWN], "more_tasks": len(tasks) > TASKS_SHOWN,
        "overdue_task_count": overdue_tasks.count() if tasks else 0,
    }
    security["show"] = bool(sum(counts.values()) or mine or tasks)
    return {"security": security}
