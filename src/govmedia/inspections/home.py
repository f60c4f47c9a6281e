"""What 巡检与检查整改 adds to the home page (待办 and warnings), for one person.

Unit staff see their unit's items still to answer, earliest deadline first (every deadline is 1–5 working days
away, so all of them are due soon; overdue ones in red); the office sees the overdue count across all units and
the answers waiting for its acceptance. Nothing when there is nothing to do.
"""

from django.db.models import Count, Q

from govmedia.inspections import access
from govmedia.inspections.models import Rectification
from govmedia.inspections.models.rectification import ANSWERED_Q, PENDING_Q
from govmedia.org.access import is_office
from govmedia.org.models import Role

SHOWN = 5


def context(user, now) -> dict:
    from django.utils import timezone

    if not user.is_authenticated:
        return {}
    on = timezone.localdate(now)
    result: dict = {}
    if user.unit_id and not user.has_role(Role.AUDITOR, Role.VENDOR) and user.has_role(*access.ANSWERERS):
        mine = (Rectification.objects.pending().filter(unit_id=user.unit_id)
                .select_related("account__platform").order_by("due_date", "id"))
        items = list(mine[:SHOWN + 1])
        if items:
            result["rect_mine"] = [(item, item.status(on)) for item in items[:SHOWN]]
            result["rect_mine_more"] = len(items) > SHOWN
    if is_office(user):
        counts = Rectification.objects.aggregate(  # one query for both
            overdue=Count("id", filter=PENDING_Q & Q(due_date__lt=on)), waiting=Count("id", filter=ANSWERED_Q))
        if counts["overdue"] or counts["waiting"]:
            result["rect_office"] = counts
    return result
