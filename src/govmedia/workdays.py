"""Chinese official working-day arithmetic for filing deadlines.

A day is judged, in order of precedence, by:

1. the office's overrides (date -> True for a working day, False for a rest day), entered when the
   State Council publishes a new year's schedule — authoritative;
2. chinesecalendar's official data, for the years it covers — authoritative;
3. a fallback past that data: weekends plus the statutory holidays of 《全国年节及纪念日放假办法》
   (2025 revision) are rest days, with no make-up working days (those are unknowable in advance).
   Days judged this way are *provisional*.

Pure Python: no Django here; ``govmedia.workcal.calendar`` supplies the overrides from the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from lunardate import LunarDate

__all__ = [
    "MAX_STEPS",
    "Due",
    "add",
    "data_covers",
    "data_end",
    "data_start",
    "is_workday",
    "statutory_holidays",
]

# Largest n accepted by add(): a year of working days is far beyond any regulatory deadline.
MAX_STEPS = 366
# Longest run of rest days tolerated between two working days before giving up (guards against
# overrides that mark everything a rest day).
_MAX_GAP = 60

# Official data range, detected once. chinesecalendar itself judges coverage by the years of its
# holiday keys, so the same rule is used here; every day of those years is covered.
_OFFICIAL_HOLIDAYS: Mapping[datetime.date, str] = chinese_calendar.holidays
_OFFICIAL_WORKDAYS: Mapping[datetime.date, str] = chinese_calendar.workdays
_DATA_START = datetime.date(min(_OFFICIAL_HOLIDAYS).year, 1, 1)
_DATA_END = datetime.date(max(_OFFICIAL_HOLIDAYS).year, 12, 31)

# lunardate covers [1900, 2100); chinesecalendar's solar terms cover [1900, 2100].
_FALLBACK_MIN_YEAR = 1900
_FALLBACK_MAX_YEAR = 2099

_ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Due:
    """A computed due date; ``provisional`` when any day involved was judged by the fallback rules."""

    date: datetime.date
    provisional: bool


def data_start() -> datetime.date:
    """First day covered by chinesecalendar's official data."""
    return _DATA_START


def data_end() -> datetime.date:
    """Last day covered by chinesecalendar's official data."""
    return _DATA_END


def data_covers(day: datetime.date) -> bool:
    """Whether chinesecalendar has official data for ``day``."""
    return _DATA_START <= _as_date(day) <= _DATA_END


@lru_cache(maxsize=64)
def _statutory_holidays(year: int) -> tuple[tuple[datetime.date, str], ...]:
    if not _FALLBACK_MIN_YEAR <= year <= _FALLBACK_MAX_YEAR:
        raise ValueError(
            f"no fallback holiday rules for year {year}; "
            f"supported years are {_FALLBACK_MIN_YEAR}-{_FALLBACK_MAX_YEAR}"
        )
    d = datetime.date
    days: dict[datetime.date, str] = {}

    def mark(day: datetime.date, name: str) -> None:
        # Festivals may coincide (e.g. 中秋 on 1 October): keep both names.
        days[day] = f"{days[day]}、{name}" if day in days else name

    mark(d(year, 1, 1), "元旦")
    # 春节: lunar new year's eve (the day before lunar 1/1, whether 腊月廿九 or 三十) to lunar 1/3.
    new_year = LunarDate(year, 1, 1).to_solar_date()
    for offset in range(-1, 3):
        mark(new_year + datetime.timedelta(days=offset), "春节")
    # 清明: the day of the 清明 solar term, always in early April.
    for term_day, term_name in chinese_calendar.get_solar_terms(d(year, 4, 1), d(year, 4, 30)):
        if term_name == "清明":
            mark(term_day, "清明节")
    mark(d(year, 5, 1), "劳动节")
    mark(d(year, 5, 2), "劳动节")
    mark(LunarDate(year, 5, 5).to_solar_date(), "端午节")
    for day_of_month in (1, 2, 3):
        mark(d(year, 10, day_of_month), "国庆节")
    # Marked after 国庆 so a coinciding day reads "国庆节、中秋节", as the State Council's notices do.
    mark(LunarDate(year, 8, 15).to_solar_date(), "中秋节")
    return tuple(sorted(days.items()))


def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """Fallback holidays for a year past the official data, name by date (no make-up days).

    Raises ValueError outside 1900-2099, the range of the lunar and solar-term computations.
    """
    # The cache holds an immutable tuple; each caller gets its own dict.
    return dict(_statutory_holidays(year))


@lru_cache(maxsize=64)
def _holiday_set(year: int) -> frozenset[datetime.date]:
    return frozenset(day for day, _ in _statutory_holidays(year))


def _as_date(day: datetime.date) -> datetime.date:
    # A datetime is a date subclass but never equals a date key: refuse it rather than misjudge.
    if isinstance(day, datetime.datetime):
        raise TypeError("expected a datetime.date, not a datetime.datetime; convert to the local date first")
    return day


def _judge(day: datetime.date, overrides: Mapping[datetime.date, bool] | None) -> tuple[bool, bool]:
    if overrides:
        override = overrides.get(day)
        if override is not None:
            return bool(override), False
    if _DATA_START <= day <= _DATA_END:
        # Same rule as chinese_calendar.is_workday, without its per-call range scan.
        if day in _OFFICIAL_WORKDAYS:
            return True, False
        return day.weekday() < 5 and day not in _OFFICIAL_HOLIDAYS, False
    return day.weekday() < 5 and day not in _holiday_set(day.year), True


def is_workday(
    day: datetime.date, overrides: Mapping[datetime.date, bool] | None = None
) -> tuple[bool, bool]:
    """(is it a working day, provisional?) — provisional when judged by the fallback rules."""
    return _judge(_as_date(day), overrides)


def add(day: datetime.date, n: int, overrides: Mapping[datetime.date, bool] | None = None) -> Due:
    """The n-th working day after ``day`` (``day`` itself not counted); n = 0 returns ``day``.

    Provisional if any day examined from ``day + 1`` to the result was judged by the fallback rules.
    Raises ValueError for n < 0 or n > MAX_STEPS, or if no working day occurs within 60 days.
    """
    current = _as_date(day)
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, not {type(n).__name__}")
    if n < 0 or n > MAX_STEPS:
        raise ValueError(f"n must be between 0 and {MAX_STEPS}, got {n}")
    provisional = False
    for _ in range(n):
        step_from = current
        for _ in range(_MAX_GAP):
            current += _ONE_DAY
            working, guessed = _judge(current, overrides)
            provisional = provisional or guessed
            if working:
                break
        else:
            raise ValueError(f"no working day in the {_MAX_GAP} days after {step_from}")
    return Due(current, provisional)
