"""Cover by contract and agreement, derived from dates: alerts before they end, reminders on their days, and a
vendor without a valid agreement flagged wherever its staff appear."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.template import Context, Template

from govmedia.publishing.models import Notification
from govmedia.vendors import actions, reminders, tasks
from govmedia.vendors.models import Contract, Cover, coverage

SHANGHAI = ZoneInfo("Asia/Shanghai")
END = date(2026, 6, 30)


def _term(start: date, end: date) -> Contract:
    return Contract(starts_on=start, ends_on=end)


@pytest.mark.parametrize(("on", "state", "days_left"), [
    (END - timedelta(days=31), Cover.VALID, 31),
    (END - timedelta(days=30), Cover.EXPIRING, 30),
    (END, Cover.EXPIRING, 0),
    (END + timedelta(days=1), Cover.EXPIRED, None),
])
def test_cover_is_expiring_from_thirty_days_before_its_end_and_expired_the_day_after(on, state, days_left):
    cover = coverage([_term(date(2026, 1, 1), END)], on)

    assert (cover.state, cover.days_left) == (state, days_left)
    assert cover.ok == (state != Cover.EXPIRED)


def test_a_renewal_starting_the_day_after_extends_the_cover_and_one_after_a_gap_does_not():
    on = END - timedelta(days=10)
    renewed = coverage([_term(date(2026, 1, 1), END), _term(END + timedelta(days=1), date(2027, 6, 30))], on)
    gap = coverage([_term(date(2026, 1, 1), END), _term(END + timedelta(days=2), date(2027, 6, 30))], on)

    assert (renewed.state, renewed.until) == (Cover.VALID, date(2027, 6, 30))
    assert (gap.state, gap.until) == (Cover.EXPIRING, END)


def test_nothing_signed_is_missing_and_only_future_terms_have_not_started():
    assert coverage([], END).state == Cover.MISSING
    assert coverage([_term(END + timedelta(days=1), END + timedelta(days=90))], END).state == Cover.NOT_STARTED


def test_the_office_home_page_shows_the_demo_contract_ending_in_twenty_days(signed_in, office, clerk, yunfan):
    page = signed_in(office).get("/").content.decode()

    assert 'id="vendor-alerts"' in page
    assert yunfan.name in page and "剩20天" in page and "即将到期" in page


def test_the_home_page_alert_is_for_those_who_oversee_vendors_only(signed_in, clerk, yunfan):
    page = signed_in(clerk).get("/").content.decode()

    assert 'id="vendor-alerts"' not in page and yunfan.name not in page


def test_a_vendor_appears_on_the_home_page_thirty_days_before_its_contract_ends(
        signed_in, office, make_vendor, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False)
    make_vendor("吴江远航信息技术有限公司", contract=(-60, 31), agreement=(-60, 400))

    before = signed_in(office).get("/").content.decode()
    time_machine.move_to(datetime(2026, 3, 3, 9, 0, tzinfo=SHANGHAI), tick=False)
    after = signed_in(office).get("/").content.decode()  # a day later the idle session has ended: sign in again

    assert 'id="todo"' in before and "吴江远航信息技术有限公司" not in before
    assert "吴江远航信息技术有限公司" in after and "剩30天" in after


def _reminders_for(name: str) -> list[str]:
    return list(Notification.objects.filter(text__contains=name, person__username="office")
                .order_by("id").values_list("text", flat=True))


def test_the_office_is_reminded_thirty_days_before_on_the_day_and_the_day_after(
        bureau, make_vendor, time_machine, django_capture_on_commit_callbacks):
    name = "吴江远航信息技术有限公司"
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False)
    end = make_vendor(name, contract=(-60, 31), agreement=(-60, 400)).contracts.get().ends_on
    sent, mailed = {}, {}
    for offset in (-31, -30, -29, 0, 1, 2):
        day = end + timedelta(days=offset)
        time_machine.move_to(datetime(day.year, day.month, day.day, 8, 40, tzinfo=SHANGHAI), tick=False)
        known = len(_reminders_for(name))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            tasks.daily_vendor_expiry_reminders.call_local()  # the periodic job itself
        sent[offset] = _reminders_for(name)[known:]
        mailed[offset] = [m.to for m in mail.outbox if name in m.body]

    assert sent == {
        -31: [],
        -30: [f"外包单位「{name}」的外包合同将于2026年04月02日到期（剩30天），请及时续签（第二条）"],
        -29: [],
        0: [f"外包单位「{name}」的外包合同今天到期，请及时续签（第二条）"],
        1: [f"外包单位「{name}」的外包合同已于2026年04月02日到期，请续签或停止其外包服务（第二条）"],
        2: [],
    }
    assert mailed == {offset: [["office@example.gov.cn"]] if texts else [] for offset, texts in sent.items()}


def test_a_renewed_contract_stops_the_reminders(office, make_vendor, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False)
    vendor = make_vendor("吴江续签科技有限公司", contract=(-60, 30), agreement=(-60, 400))
    end = vendor.contracts.get().ends_on
    actions.add_contract(vendor, scope="续签", responsibilities="同原合同", starts_on=end + timedelta(days=1),
                         ends_on=end + timedelta(days=366), actor=office)

    assert not [text for text, _ in reminders.expiry_messages(date(2026, 3, 2)) if "吴江续签科技有限公司" in text]


@pytest.fixture
def unsigned(make_vendor, new_vendor_person, office, wechat):
    """A vendor with a contract but no agreement, and its staff member assigned to the WeChat account."""
    vendor = make_vendor("吴江无协议传媒有限公司", agreement=None)
    person = new_vendor_person("nosign")
    actions.link_staff(vendor, person, actor=office)
    actions.assign_account(person, wechat, actor=office)
    return vendor, person


def test_a_vendor_without_a_valid_agreement_is_flagged_on_its_pages_and_lists(signed_in, office, unsigned):
    vendor, person = unsigned
    client = signed_in(office)

    detail = client.get(f"/vendors/{vendor.pk}/").content.decode()
    listing = client.get("/vendors/?state=attention").content.decode()
    home = client.get("/").content.decode()

    assert 'id="agreement-warning"' in detail and detail.count("无有效保密协议") == 2  # staff list, assignment row
    assert vendor.name in listing and "未签订" in listing
    assert vendor.name in home


def test_the_staff_member_of_such_a_vendor_is_warned_on_their_home_page(signed_in, unsigned):
    _, person = unsigned

    page = signed_in(person).get("/").content.decode()

    assert "您所在的外包单位没有有效的保密与安全协议（未签订）" in page
    assert "微信公众号「吴江人社」" in page  # the accounts assigned to them


def test_any_page_can_flag_such_staff_with_the_template_filter(unsigned, vendor, clerk):
    _, person = unsigned
    template = Template("{% load vendor_flags %}{{ person|vendor_flag }}")

    flagged = template.render(Context({"person": person}))

    assert "无有效保密协议" in flagged and "吴江无协议传媒有限公司" in flagged
    assert template.render(Context({"person": vendor})) == ""  # the demo vendor's agreement is valid
    assert template.render(Context({"person": clerk})) == ""
