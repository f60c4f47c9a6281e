"""What 假冒账号处置 adds to the home page (待办 and warnings), for one person."""

from govmedia.counterfeit import access
from govmedia.counterfeit.models import CounterfeitCase

SHOWN = 5


def context(user, now) -> dict:
    """The office sees the public reports nobody has verified yet (oldest first) and how many cases are open."""
    if not access.can_work_cases(user):
        return {}
    waiting = CounterfeitCase.objects.waiting().order_by("reported_at", "id")
    return {"counterfeit_waiting": list(waiting[:SHOWN]), "counterfeit_waiting_count": waiting.count()}
