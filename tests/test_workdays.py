"""Working-day arithmetic for filing deadlines: official data, office overrides, and the fallback rules."""

from __future__ import annotations

import datetime
from datetime import date, timedelta

import chinese_calendar
import pytest

from govmedia import workdays
from govmedia.workdays import Due, add, data_covers, is_workday, statutory_holidays


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# --- Required facts ---------------------------------------------------------------------------------


def test_a_change_on_30_september_is_due_on_the_make_up_saturday() -> None:
    assert add(date(2026, 9, 30), 3) == Due(date(2026, 10, 10), False)


def test_a_change_on_30_december_2026_is_due_provisionally_on_5_january_2027() -> None:
    # 2026-12-31 is official; 2027-01-01 is a fallback holiday, then a weekend.
    assert add(date(2026, 12, 30), 3) == Due(date(2027, 1, 5), True)


def test_an_override_making_4_january_a_rest_day_moves_the_deadline_to_the_6th() -> None:
    overrides = {date(2027, 1, 4): False}
    assert add(date(2026, 12, 30), 3, overrides) == Due(date(2027, 1, 6), True)


def test_an_override_making_2_january_a_working_day_brings_the_deadline_to_the_4th() -> None:
    # 2027-01-01 is still judged by the fallback, so the result stays provisional.
    overrides = {date(2027, 1, 2): True}
    assert add(date(2026, 12, 30), 3, overrides) == Due(date(2027, 1, 4), True)


def test_a_deadline_whose_days_are_all_covered_by_overrides_is_not_provisional() -> None:
    overrides = {
        date(2027, 1, 1): False,
        date(2027, 1, 2): True,
        date(2027, 1, 3): False,
        date(2027, 1, 4): True,
    }
    assert add(date(2026, 12, 30), 3, overrides) == Due(date(2027, 1, 4), False)


def test_the_2027_fallback_holidays_are_the_thirteen_statutory_days() -> None:
    assert statutory_holidays(2027) == {
        date(2027, 1, 1): "元旦",
        # Lunar new year is 2027-02-06: 除夕 is 02-05, 初三 is 02-08.
        date(2027, 2, 5): "春节",
        date(2027, 2, 6): "春节",
        date(2027, 2, 7): "春节",
        date(2027, 2, 8): "春节",
        date(2027, 4, 5): "清明节",
        date(2027, 5, 1): "劳动节",
        date(2027, 5, 2): "劳动节",
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        date(2027, 10, 1): "国庆节",
        date(2027, 10, 2): "国庆节",
        date(2027, 10, 3): "国庆节",
    }


def test_the_fourth_day_of_the_lunar_new_year_is_not_a_statutory_holiday() -> None:
    assert date(2027, 2, 9) not in statutory_holidays(2027)
    assert is_workday(date(2027, 2, 9)) == (True, True)


def test_the_lunar_dates_behind_the_2027_fallback_are_right() -> None:
    from lunardate import LunarDate

    assert LunarDate.from_solar_date(2027, 2, 5) == LunarDate(2026, 12, 29)  # 除夕 of a 29-day 腊月
    assert LunarDate.from_solar_date(2027, 6, 9) == LunarDate(2027, 5, 5)
    assert LunarDate.from_solar_date(2027, 9, 15) == LunarDate(2027, 8, 15)


def test_a_friday_before_a_normal_weekend_plus_one_is_the_monday() -> None:
    assert add(date(2026, 3, 6), 1) == Due(date(2026, 3, 9), False)


def test_a_friday_past_the_official_data_plus_one_is_a_provisional_monday() -> None:
    assert add(date(2027, 3, 5), 1) == Due(date(2027, 3, 8), True)


def test_adding_zero_working_days_returns_the_day_itself() -> None:
    assert add(date(2026, 10, 3), 0) == Due(date(2026, 10, 3), False)
    assert add(date(2027, 1, 1), 0) == Due(date(2027, 1, 1), False)


def test_for_every_day_of_2025_and_2026_the_next_working_day_is_a_working_day_with_none_between() -> None:
    for day in _days(date(2025, 1, 1), date(2026, 12, 31)):
        due = add(day, 1)
        assert due.date > day
        assert is_workday(due.date)[0], day
        for between in _days(day + timedelta(days=1), due.date - timedelta(days=1)):
            assert not is_workday(between)[0], (day, between)


# --- Official data ------------------------------------------------------------------------------------


def test_the_official_data_covers_whole_years_from_2004_to_2026() -> None:
    assert workdays.data_start() == date(2004, 1, 1)
    assert workdays.data_end() == date(2026, 12, 31)
    assert data_covers(date(2004, 1, 1))
    assert data_covers(date(2026, 12, 31))
    assert not data_covers(date(2003, 12, 31))
    assert not data_covers(date(2027, 1, 1))


def test_is_workday_agrees_with_chinese_calendar_on_every_covered_day() -> None:
    for day in _days(workdays.data_start(), workdays.data_end()):
        assert is_workday(day) == (chinese_calendar.is_workday(day), False), day


def test_a_make_up_saturday_is_a_working_day_and_a_golden_week_weekday_is_not() -> None:
    assert is_workday(date(2026, 10, 10)) == (True, False)
    assert is_workday(date(2026, 10, 7)) == (False, False)


def test_a_day_within_the_official_data_is_not_provisional_even_on_a_weekend() -> None:
    assert is_workday(date(2026, 12, 27)) == (False, False)


# --- Overrides ----------------------------------------------------------------------------------------


def test_an_override_beats_the_official_data() -> None:
    assert is_workday(date(2026, 10, 10), {date(2026, 10, 10): False}) == (False, False)
    assert add(date(2026, 9, 30), 3, {date(2026, 10, 10): False}) == Due(date(2026, 10, 12), False)


def test_an_override_beats_the_fallback_and_is_not_provisional() -> None:
    assert is_workday(date(2027, 1, 1), {date(2027, 1, 1): True}) == (True, False)
    assert is_workday(date(2027, 2, 20), {date(2027, 2, 20): True}) == (True, False)  # a make-up Saturday
    assert is_workday(date(2027, 3, 3), {date(2027, 3, 3): False}) == (False, False)


def test_overrides_for_other_days_change_nothing() -> None:
    assert is_workday(date(2027, 1, 1), {date(2027, 1, 2): True}) == (False, True)
    assert add(date(2026, 9, 30), 3, {}) == Due(date(2026, 10, 10), False)


# --- Fallback rules -----------------------------------------------------------------------------------


def test_the_fallback_matches_the_official_2025_and_2026_schedules_under_the_current_rules() -> None:
    # The 2025 revision (除夕 and 5月2日 added) applies from 2025: every fallback day is an official rest day.
    for year in (2025, 2026):
        for day in statutory_holidays(year):
            assert chinese_calendar.is_holiday(day), day


def test_the_computed_festival_days_are_official_rest_days_in_every_year_since_2008() -> None:
    # 清明, 端午 and 中秋 have been holidays since 2008, as have 元旦, 初一, 初二, 5月1日 and 10月1–3日.
    for year in range(2008, 2027):
        for day, name in statutory_holidays(year).items():
            if name == "春节":
                continue  # the 春节 days covered by law changed in 2014 and 2025
            if day == date(year, 5, 2):
                continue  # added in 2025
            assert chinese_calendar.is_holiday(day), (day, name)


def test_qingming_is_computed_from_the_solar_term_for_years_past_the_data() -> None:
    qingming = {
        2027: date(2027, 4, 5),
        2028: date(2028, 4, 4),
        2029: date(2029, 4, 4),
        2030: date(2030, 4, 5),
        2099: date(2099, 4, 4),
    }
    for year, expected in qingming.items():
        assert statutory_holidays(year)[expected] == "清明节"
        assert sum(name == "清明节" for name in statutory_holidays(year).values()) == 1


def test_a_mid_autumn_festival_on_a_national_day_holiday_keeps_both_names() -> None:
    holidays_2028 = statutory_holidays(2028)
    assert holidays_2028[date(2028, 10, 3)] == "国庆节、中秋节"
    assert len(holidays_2028) == 12


def test_a_lunar_new_years_eve_falls_on_the_day_before_the_lunar_new_year() -> None:
    # 2030's lunar new year is 2030-02-03, so 除夕 is 2030-02-02.
    names = statutory_holidays(2030)
    assert [day for day, name in names.items() if name == "春节"] == _days(date(2030, 2, 2), date(2030, 2, 5))


def test_the_fallback_has_no_make_up_saturdays() -> None:
    for day in _days(date(2027, 1, 1), date(2027, 12, 31)):
        working, provisional = is_workday(day)
        assert provisional
        if day.weekday() >= 5:
            assert not working, day
        else:
            assert working == (day not in statutory_holidays(2027)), day


def test_statutory_holidays_returns_a_fresh_dict_each_time() -> None:
    first = statutory_holidays(2027)
    first.clear()
    assert date(2027, 1, 1) in statutory_holidays(2027)


def test_statutory_holidays_refuses_years_the_lunar_calendar_cannot_compute() -> None:
    with pytest.raises(ValueError):
        statutory_holidays(1899)
    with pytest.raises(ValueError):
        statutory_holidays(2100)


def test_days_before_the_official_data_use_the_fallback() -> None:
    assert is_workday(date(2003, 10, 1)) == (False, True)
    assert is_workday(date(2003, 10, 8)) == (True, True)


# --- Boundaries and guards ----------------------------------------------------------------------------


def test_the_last_official_day_alone_is_not_provisional_but_one_more_is() -> None:
    assert add(date(2026, 12, 30), 1) == Due(date(2026, 12, 31), False)
    assert add(date(2026, 12, 31), 1) == Due(date(2027, 1, 4), True)


def test_a_deadline_reaching_back_into_official_data_from_before_it_is_provisional() -> None:
    # 2003-12-31 + 1 examines only 2004-01-01 (official holiday) and 2004-01-02 (official workday).
    assert add(date(2003, 12, 31), 1) == Due(date(2004, 1, 2), False)
    assert add(date(2003, 12, 30), 2).provisional


def test_counting_starts_the_day_after_even_when_the_start_is_a_rest_day() -> None:
    assert add(date(2026, 10, 1), 1) == Due(date(2026, 10, 8), False)
    assert add(date(2026, 10, 4), 3) == Due(date(2026, 10, 10), False)


def test_a_year_of_working_days_is_allowed_and_more_is_refused() -> None:
    due = add(date(2025, 1, 1), workdays.MAX_STEPS)
    assert due.date.year == 2026
    assert not due.provisional
    with pytest.raises(ValueError):
        add(date(2025, 1, 1), workdays.MAX_STEPS + 1)


def test_a_negative_number_of_working_days_is_refused() -> None:
    with pytest.raises(ValueError):
        add(date(2026, 5, 6), -1)


def test_a_non_integer_number_of_working_days_is_refused() -> None:
    with pytest.raises(TypeError):
        add(date(2026, 5, 6), 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        add(date(2026, 5, 6), True)


def test_a_datetime_is_refused_because_it_never_matches_a_date_key() -> None:
    instant = datetime.datetime(2026, 10, 10, 9, 0, tzinfo=datetime.UTC)
    with pytest.raises(TypeError):
        is_workday(instant)
    with pytest.raises(TypeError):
        add(instant, 1)


def test_overrides_that_leave_no_working_day_for_sixty_days_raise_instead_of_looping() -> None:
    closed = {day: False for day in _days(date(2026, 3, 1), date(2026, 6, 30))}
    with pytest.raises(ValueError):
        add(date(2026, 3, 1), 1, closed)
