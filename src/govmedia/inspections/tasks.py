"""Periodic jobs: the daily patrol, the daily reminder of rectifications due, and the escalation of overdue ones.

Rectification status is computed at read time; these jobs only scan, remind and escalate, and each is
harmless to repeat (fingerprints, the reminders already written, ``escalated_at``).
"""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from govmedia.inspections.actions import escalate_overdue
from govmedia.inspections.models import Rectification
from govmedia.inspections.notify import send_reminders
from govmedia.inspections.patrol import run_patrol


def remind_due_rectifications() -> int:
    """Remind the units of items overdue or due soon, in the app and by e-mail; returns reminders written."""
    on = timezone.localdate()
    items = (Rectification.objects.needing_attention(on).select_related("account__platform", "unit")
             .order_by("due_date", "id"))
    return send_reminders(items, on)


@db_periodic_task(crontab(hour="18", minute="10"))  # huey schedules in UTC: 02:10 Asia/Shanghai, a quiet hour
def daily_patrol():
    return run_patrol().as_dict()


@db_periodic_task(crontab(hour="0", minute="35"))  # 08:35 Asia/Shanghai
def daily_rectification_reminders():
    return remind_due_rectifications()


@db_periodic_task(crontab(hour="0", minute="40"))  # 08:40 Asia/Shanghai, after the reminders
def daily_rectification_escalation():
    return escalate_overdue()
