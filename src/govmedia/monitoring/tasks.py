"""Periodic jobs. Update states are computed at read time, so the job only fetches what was published."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from govmedia.monitoring.feeds import fetch_all


@db_periodic_task(crontab(minute="17"))  # hourly; a failed source keeps its reason and is tried again next hour
def hourly_fetch_posts():
    results = fetch_all()
    return {"sources": len(results), "created": sum(r.created for r in results),
            "failed": sum(1 for r in results if not r.ok)}
