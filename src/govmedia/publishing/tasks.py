"""Periodic jobs. Directive status is computed at read time, so the job only reminds."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from govmedia.publishing.directives import send_directive_reminders


@db_periodic_task(crontab(minute="5"))  # hourly: a 24-hour deadline can fall at any hour; reminders never repeat
def hourly_directive_reminders():
    return send_directive_reminders()
