"""Daily reminders to the office before a vendor's contract or agreement runs out (第二条).

State is derived from dates, so the job only speaks: on each day listed in policy.VENDOR_EXPIRY_REMIND_DAYS
before the cover ends, and on the day after it has ended. Each reminder goes out once, on its day.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from govmedia import policy
from govmedia.publishing import notify
from govmedia.vendors import queries
from govmedia.vendors.models import Cover

KINDS = (("contract", "外包合同"), ("agreement", "保密与安全协议"))


def expiry_messages(on: date) -> list[tuple[str, str]]:
    """(text, url) of each reminder due today."""
    messages = []
    for row in queries.rows(on):
        for attr, label in KINDS:
            cover = getattr(row, attr)
            url = f"/vendors/{row.vendor.pk}/"
            if cover.ok and cover.days_left in policy.VENDOR_EXPIRY_REMIND_DAYS:
                when = "今天到期" if cover.days_left == 0 else f"将于{cover.until:%Y年%m月%d日}到期（剩{cover.days_left}天）"
                messages.append((f"外包单位「{row.vendor}」的{label}{when}，请及时续签（第二条）", url))
            elif cover.state == Cover.EXPIRED and cover.until == on - timedelta(days=1):
                messages.append((f"外包单位「{row.vendor}」的{label}已于{cover.until:%Y年%m月%d日}到期，"
                                 "请续签或停止其外包服务（第二条）", url))
    return messages


@transaction.atomic
def send_expiry_reminders(on: date | None = None) -> int:
    """Notify the lead office (in the app and by e-mail); returns the number of reminders."""
    on = on or timezone.localdate()
    messages = expiry_messages(on)
    if messages:
        office = notify.office()
        for text, url in messages:
            notify.send(office, text, url)
    return len(messages)
