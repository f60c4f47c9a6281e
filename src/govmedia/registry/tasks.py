"""Periodic jobs. State is computed at read time, so jobs only remind."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from govmedia.registry.reminders import send_filing_reminders


@db_periodic_task(crontab(hour="0", minute="30"))  # huey schedules in UTC: 08:30 Asia/Shanghai
def daily_filing_reminders():
    return send_filing_reminders()
