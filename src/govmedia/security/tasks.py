"""Periodic jobs. Password and handover states are computed at read time, so the jobs only remind."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from govmedia.security.reminders import send_handover_reminders, send_password_reminders


@db_periodic_task(crontab(hour="0", minute="40"))  # huey schedules in UTC: 08:40 Asia/Shanghai
def daily_security_reminders():
    return {"passwords": send_password_reminders(), "handovers": send_handover_reminders()}
