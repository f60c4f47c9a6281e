"""Periodic jobs: forget rate-limit counts once they are out of the window."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from govmedia.counterfeit import throttle


@db_periodic_task(crontab(hour="19", minute="10"))  # huey schedules in UTC: 03:10 Asia/Shanghai
def daily_report_throttle_prune():
    return throttle.prune(timezone.now())
