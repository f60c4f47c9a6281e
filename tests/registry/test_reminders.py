from datetime import date

import time_machine
from django.core import mail

from govmedia.registry import actions
from govmedia.registry.models import Account, EventKind
from govmedia.registry.reminders import send_filing_reminders
from govmedia.registry.tasks import daily_filing_reminders


def _weibo(office):
    return Account.objects.get(platform__name="新浪微博", unit=office.unit)


@time_machine.travel("2026-09-30 10:00 +0800", tick=False)
def test_nobody_is_reminded_when_no_filing_is_due_soon(bureau, office):
    # The demo's own recent filings are completed first, so only our change can be due.
    for account in Account.objects.all():
        for event in account.events.all():
            actions.complete_filing(event.filing, filed_on=date(2026, 9, 30), reference="D-1", actor=office)
    actions.record_event(_weibo(office), kind=EventKind.CHANGE, effective_date=date(2026, 9, 30), actor=office)
    mail.outbox.clear()
    assert send_filing_reminders() == 0  # due 2026-10-10: ten days away, not yet due soon
    assert mail.outbox == []


def test_the_office_and_the_units_editors_are_reminded_of_an_overdue_filing(bureau, office, clerk, chief, vendor):
    with time_machine.travel("2026-09-30 10:00 +0800", tick=False):
        actions.record_event(_weibo(office), kind=EventKind.CHANGE, effective_date=date(2026, 9, 30), actor=office)
    with time_machine.travel("2026-10-12 09:00 +0800", tick=False):
        mail.outbox.clear()
        sent = send_filing_reminders()
    recipients = {m.to[0] for m in mail.outbox}
    assert sent == len(mail.outbox)
    assert {office.email, clerk.email, chief.email} <= recipients
    assert vendor.email not in recipients  # operators never file
    body = next(m for m in mail.outbox if m.to == [clerk.email]).body
    assert "吴江人社" in body and "2026-10-10" in body and "已逾期" in body


def test_the_periodic_job_sends_the_reminders(bureau, office, settings):
    with time_machine.travel("2026-10-12 09:00 +0800", tick=False):
        actions.record_event(_weibo(office), kind=EventKind.CHANGE, effective_date=date(2026, 10, 9), actor=office)
        mail.outbox.clear()
        result = daily_filing_reminders.call_local()
    assert result == len(mail.outbox) > 0
