"""Filing deadlines (第三条: file within 3 working days) at their boundary instants, completion, and the calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.registry import actions
from govmedia.registry.actions import RegistryError
from govmedia.registry.models import Account, EventKind, Filing, FilingStatus, today
from govmedia.workcal.actions import remove_override, set_override

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: date, hh: int, mm: int, ss: int) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), tzinfo=SHANGHAI)


def _weibo() -> Account:
    return Account.objects.get(name="吴江人社", platform__name="新浪微博")  # opened years ago


def _change_on(day: date, actor, account: Account | None = None) -> Filing:
    event = actions.record_event(account or _weibo(), kind=EventKind.CHANGE, effective_date=day,
                                 note=f"{day:%Y-%m-%d}的变更", actor=actor)
    return Filing.objects.get(event=event)


# --- The required facts -----------------------------------------------------------------------------


def test_a_change_effective_30_september_2026_is_due_on_the_make_up_saturday_10_october(office):
    filing = _change_on(date(2026, 9, 30), office)
    assert (filing.due_date, filing.due_provisional) == (date(2026, 10, 10), False)


def test_a_change_effective_30_december_2026_is_due_provisionally_on_5_january_2027(office):
    filing = _change_on(date(2026, 12, 30), office)
    assert (filing.due_date, filing.due_provisional) == (date(2027, 1, 5), True)


# --- Status at the boundary instants, in Asia/Shanghai ----------------------------------------------

DUE = date(2026, 10, 10)
BOUNDARIES = [
    (_at(DUE - timedelta(days=3), 23, 59, 59), FilingStatus.PENDING),
    (_at(DUE - timedelta(days=2), 0, 0, 0), FilingStatus.DUE_SOON),
    (_at(DUE, 23, 59, 59), FilingStatus.DUE_SOON),
    (_at(DUE + timedelta(days=1), 0, 0, 0), FilingStatus.OVERDUE),
    (_at(DUE + timedelta(days=1), 23, 59, 59), FilingStatus.OVERDUE),
]


@pytest.mark.parametrize(("instant", "expected"), BOUNDARIES, ids=[f"{i:%m-%d %H:%M:%S}" for i, _ in BOUNDARIES])
def test_an_open_filing_moves_from_pending_to_due_soon_to_overdue_at_local_midnight(office, instant, expected):
    filing = _change_on(date(2026, 9, 30), office)
    assert filing.due_date == DUE
    with time_machine.travel(instant, tick=False):
        assert filing.status() == expected
        for status in (FilingStatus.PENDING, FilingStatus.DUE_SOON, FilingStatus.OVERDUE):
            in_status = Filing.objects.in_status(status).filter(pk=filing.pk).exists()
            assert in_status == (status == expected), status
        assert Filing.objects.overdue().filter(pk=filing.pk).exists() == (expected == FilingStatus.OVERDUE)


# --- Completing a filing ----------------------------------------------------------------------------


def test_completing_a_filing_requires_the_provincial_reference(office):
    filing = _change_on(date(2026, 9, 30), office)
    with pytest.raises(RegistryError) as caught:
        actions.complete_filing(filing, filed_on=date(2026, 10, 9), reference="  ", actor=office)
    assert caught.value.field == "reference"
    assert caught.value.message == "请填写省备案系统中的备案编号"
    filing.refresh_from_db()
    assert filing.filed_on is None


def test_a_filing_dated_in_the_future_is_refused(office):
    filing = _change_on(date(2026, 9, 30), office)
    with pytest.raises(RegistryError) as caught:
        actions.complete_filing(filing, filed_on=today() + timedelta(days=1), reference="苏备001", actor=office)
    assert caught.value.field == "filed_on"
    assert caught.value.message == "备案日期不能晚于今天"


def test_a_filing_may_be_dated_today_from_the_first_second_of_the_day_in_shanghai(office):
    filing = _change_on(date(2026, 9, 30), office)
    # 00:00:01 in Shanghai is still the previous day in UTC.
    with time_machine.travel(_at(date(2026, 10, 9), 0, 0, 1), tick=False):
        actions.complete_filing(filing, filed_on=date(2026, 10, 9), reference="苏备001", actor=office)
    filing.refresh_from_db()
    assert filing.filed_on == date(2026, 10, 9)


def test_a_filing_completed_on_its_due_date_is_filed(office):
    filing = _change_on(date(2026, 9, 30), office)
    actions.complete_filing(filing, filed_on=DUE, reference="苏备001", actor=office)
    filing.refresh_from_db()
    assert filing.status() == FilingStatus.FILED
    assert (filing.reference, filing.filed_by) == ("苏备001", "office（王芳）")


def test_a_filing_completed_after_its_due_date_is_filed_late(office):
    filing = _change_on(date(2026, 9, 30), office)
    actions.complete_filing(filing, filed_on=DUE + timedelta(days=2), reference="苏备001", actor=office)
    filing.refresh_from_db()
    assert filing.status() == FilingStatus.FILED_LATE
    row = AuditEvent.objects.order_by("-seq").first()
    assert row.event_type == EventType.FILING_COMPLETED
    assert row.after["late"] is True


def test_a_filing_cannot_be_completed_twice(office):
    filing = _change_on(date(2026, 9, 30), office)
    actions.complete_filing(filing, filed_on=DUE, reference="苏备001", actor=office)
    with pytest.raises(RegistryError) as caught:
        actions.complete_filing(filing, filed_on=DUE, reference="苏备002", actor=office)
    assert caught.value.message == "该事项已于2026-10-10备案（备案编号苏备001）"
    filing.refresh_from_db()
    assert filing.reference == "苏备001"


# --- The office's calendar overrides move open deadlines ---------------------------------------------


def _due(filing: Filing) -> tuple[date, bool]:
    filing.refresh_from_db()
    return filing.due_date, filing.due_provisional


def test_a_new_rest_day_moves_an_open_deadline_and_removing_it_moves_it_back(office):
    filing = _change_on(date(2026, 12, 30), office)
    set_override(date(2027, 1, 4), is_workday=False, note="假设调休", actor=office)
    assert _due(filing) == (date(2027, 1, 6), True)
    remove_override(date(2027, 1, 4), actor=office)
    assert _due(filing) == (date(2027, 1, 5), True)


def test_a_deadline_stays_provisional_until_every_day_it_spans_is_known(office):
    filing = _change_on(date(2026, 12, 30), office)
    set_override(date(2027, 1, 2), is_workday=True, note="元旦调休上班", actor=office)
    # 2027-01-01 is still judged by the statutory fallback.
    assert _due(filing) == (date(2027, 1, 4), True)
    set_override(date(2027, 1, 1), is_workday=False, note="元旦", actor=office)
    assert _due(filing) == (date(2027, 1, 4), True)
    set_override(date(2027, 1, 3), is_workday=False, note="元旦", actor=office)
    assert _due(filing) == (date(2027, 1, 4), True)
    set_override(date(2027, 1, 4), is_workday=True, note="正常上班", actor=office)
    assert _due(filing) == (date(2027, 1, 4), False)


def test_an_override_inside_the_official_data_moves_an_open_deadline_and_keeps_it_firm(office):
    filing = _change_on(date(2026, 9, 30), office)
    set_override(date(2026, 10, 9), is_workday=False, note="示例", actor=office)
    assert _due(filing) == (date(2026, 10, 12), False)


def test_an_override_does_not_move_a_completed_filing(office):
    done = _change_on(date(2026, 9, 30), office)
    actions.complete_filing(done, filed_on=date(2026, 10, 9), reference="苏备001", actor=office)
    still_open = _change_on(date(2026, 9, 30), office)
    set_override(date(2026, 10, 9), is_workday=False, note="示例", actor=office)
    assert _due(done) == (date(2026, 10, 10), False)
    assert _due(still_open) == (date(2026, 10, 12), False)


def test_setting_an_override_writes_exactly_one_audit_row(office):
    _change_on(date(2026, 12, 30), office)
    mark = AuditEvent.objects.order_by("-seq").first().seq
    set_override(date(2027, 1, 4), is_workday=False, actor=office)
    assert list(AuditEvent.objects.filter(seq__gt=mark).values_list("event_type", flat=True)) == [
        EventType.WORKDAY_OVERRIDE_SET
    ]


# --- The named querysets agree with Filing.status ----------------------------------------------------


def test_the_filing_querysets_match_each_filings_status_across_a_spread_of_days(office):
    start = date(2026, 6, 1)
    filings = [_change_on(start + timedelta(days=i), office) for i in range(20)]
    for i, filing in enumerate(filings[::3]):
        filed_on = filing.due_date + timedelta(days=1 if i % 2 else -1)
        actions.complete_filing(filing, filed_on=filed_on, reference=f"苏备{i:03}", actor=office)
    everything = list(Filing.objects.all())
    seen = set()
    for on in (date(2026, 6, 3), date(2026, 6, 10), date(2026, 6, 16), date(2026, 6, 25), date(2026, 7, 10)):
        expected = {s: {f.pk for f in everything if f.status(on) == s} for s in FilingStatus}
        seen |= {s for s, pks in expected.items() if pks}

        def pks(qs):
            return set(qs.values_list("pk", flat=True))

        assert pks(Filing.objects.overdue(on)) == expected[FilingStatus.OVERDUE], on
        assert pks(Filing.objects.due_soon(on)) == expected[FilingStatus.DUE_SOON], on
        assert pks(Filing.objects.needing_attention(on)) == (
            expected[FilingStatus.OVERDUE] | expected[FilingStatus.DUE_SOON]), on
        for status in FilingStatus:
            assert pks(Filing.objects.in_status(status, on)) == expected[status], (on, status)
    assert seen == set(FilingStatus)  # the spread really covers every status
