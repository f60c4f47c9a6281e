"""Periodic jobs. Cover is computed at read time, so the job only reminds."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from govmedia.vendors.reminders import send_expiry_reminders


@db_periodic_task(crontab(hour="0", minute="40"))  # huey schedules in UTC: 08:40 Asia/Shanghai
def daily_vendor_expiry_reminders():
    return send_expiry_reminders()
