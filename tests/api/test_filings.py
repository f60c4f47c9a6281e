from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from govmedia.audit.events import EventType
from govmedia.registry import actions
from govmedia.registry.models import EventKind

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _change(account, effective_date, actor):
    return actions.record_event(account, kind=EventKind.CHANGE, effective_date=effective_date, actor=actor).filing


def test_completing_a_filing_answers_200_with_it_filed_and_audits_it_once(api, clerk, weibo, audit):
    filing = _change(weibo, date(2026, 9, 30), clerk)
    client = api(clerk)
    audit.mark()

    with time_machine.travel(datetime(2026, 10, 9, 10, tzinfo=SHANGHAI), tick=False):
        response = client.post(f"/filings/{filing.pk}/complete", {"filed_on": "2026-10-09", "reference": "SZ-2026-001"})

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["filed_on"], body["reference"]) == (filing.pk, "2026-10-09", "SZ-2026-001")
    assert (body["status"], body["status_label"]) == ("filed", "已备案")
    assert (body["account"], body["kind"], body["effective_date"]) == (weibo.pk, "change", "2026-09-30")
    assert audit.new() == [EventType.FILING_COMPLETED]


def test_a_filing_completed_after_its_deadline_reads_as_filed_late(api, clerk, weibo):
    filing = _change(weibo, date(2026, 9, 30), clerk)

    with time_machine.travel(datetime(2026, 10, 12, 10, tzinfo=SHANGHAI), tick=False):
        response = api(clerk).post(f"/filings/{filing.pk}/complete", {"filed_on": "2026-10-12", "reference": "SZ-2"})

    assert response.json()["status"] == "filed_late"


def test_a_filing_cannot_be_completed_twice(api, clerk, weibo, audit):
    filing = _change(weibo, date(2026, 9, 30), clerk)
    client = api(clerk)
    client.post(f"/filings/{filing.pk}/complete", {"filed_on": "2026-10-09", "reference": "SZ-1"})
    audit.mark()

    again = client.post(f"/filings/{filing.pk}/complete", {"filed_on": "2026-10-09", "reference": "SZ-9"})

    assert (again.status_code, again.json()["detail"]) == (422, "该事项已于2026-10-09备案（备案编号SZ-1）")
    assert audit.new() == []


def test_a_filing_dated_after_today_is_refused(api, clerk, weibo):
    filing = _change(weibo, date(2026, 9, 30), clerk)

    with time_machine.travel(datetime(2026, 10, 9, 10, tzinfo=SHANGHAI), tick=False):
        response = api(clerk).post(f"/filings/{filing.pk}/complete", {"filed_on": "2026-10-10", "reference": "SZ-1"})

    assert (response.status_code, response.json()["field"]) == (422, "filed_on")


def test_the_filing_list_answers_each_status_on_the_day_asked(api, clerk, weibo):
    late = _change(weibo, date(2026, 9, 30), clerk)        # due 2026-10-10
    soon = _change(weibo, date(2026, 10, 9), clerk)        # due 2026-10-13
    later = _change(weibo, date(2026, 12, 30), clerk)      # due 2027-01-05
    client = api(clerk)

    with time_machine.travel(datetime(2026, 10, 12, 10, tzinfo=SHANGHAI), tick=False):
        ids = {status: {row["id"] for row in client.get("/filings", status=status, limit=200).json()["items"]}
               for status in ("open", "overdue", "due_soon", "pending")}

    mine = {late.pk, soon.pk, later.pk}
    assert {status: found & mine for status, found in ids.items()} == {
        "open": mine, "overdue": {late.pk}, "due_soon": {soon.pk}, "pending": {later.pk},
    }


def test_a_clerk_lists_only_the_filings_of_its_own_unit(api, office, outsider, weibo, inspection_account):
    _change(weibo, date(2026, 9, 30), office)
    theirs = _change(inspection_account, date(2026, 9, 30), office)

    body = api(outsider).get("/filings").json()

    assert [row["id"] for row in body["items"]] == [theirs.pk]


def test_a_filing_of_an_account_the_caller_cannot_see_is_404(api, clerk, office, inspection_account):
    filing = _change(inspection_account, date(2026, 9, 30), office)

    response = api(clerk).post(f"/filings/{filing.pk}/complete", {"filed_on": "2026-10-09", "reference": "SZ-1"})

    assert response.status_code == 404
