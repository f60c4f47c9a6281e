"""Periodic jobs. Update state is computed at read time, so the job only reminds."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from govmedia.reports.reminders import send_office_digest, send_update_reminders


@db_periodic_task(crontab(hour="0", minute="40"))  # huey schedules in UTC: 08:40 Asia/Shanghai, once a day
def daily_update_reminders():
    """Weekly-update reminders to managers and 信息员, then the office's digest; neither repeats within a day."""
    return {"reminders": send_update_reminders(), "digest": send_office_digest()}
