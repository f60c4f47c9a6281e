"""What 突发事件与应急 adds to the home page: open incidents the person can see, and drills falling due for the
units they record for."""

from govmedia.incidents import access, queries
from govmedia.incidents.models import Incident

SHOWN = 5


def context(user, now) -> dict:
    if not access.can_view_incidents(user):
        return {}
    open_ = Incident.objects.open().filter(unit__in=access.viewable_units(user)).select_related("unit")
    due = [r for r in queries.readiness(access.recordable_units(user)) if r.drill_due]
    return {"incidents_open": list(open_.order_by("-occurred_at")[:SHOWN]), "incidents_open_count": open_.count(),
            "incidents_drills_due": due}
