"""Calendars other than the Gregorian one, behind small functions, so the libraries can be swapped in one
file: the Chinese lunar calendar and the solar terms (lunar-python, MIT), Easter (python-dateutil), the
Islamic calendar by the Umm al-Qura reckoning (hijridate, MIT; AH 1343-1500, 1924-2077) and the Hebrew
calendar (pyluach, MIT).

lunar-python converts one date in about a millisecond; we ask it once per lunar year for the table of that
year's months (first day, length, leap month) and do the arithmetic ourselves, cached. Both libraries are
imported on the first date that needs them, never at start-up.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

_JD_EPOCH = 2451545 - date(2000, 1, 1).toordinal()  # Julian day number minus ordinal


@functools.lru_cache(maxsize=256)
def _lunar_months(year: int) -> tuple[tuple[int, bool, date, int], ...]:
    """(month, leap, first day, length) of every month of lunar year `year`, in order."""
    from lunar_python import LunarYear

    out = []
    for m in LunarYear.fromYear(year).getMonthsInYear():
        first = date.fromordinal(int(m.getFirstJulianDay()) - _JD_EPOCH)
        out.append((abs(m.getMonth()), m.getMonth() < 0, first, m.getDayCount()))
    return tuple(out)


def lunar_month(year: int, month: int, leap: bool = False) -> tuple[date, date] | None:
    """First and last Gregorian day of a lunar month (None if that year has no such month: 闰四月 in a year
    whose leap month is the sixth)."""
    if not 1 <= month <= 12 or not 1000 <= year <= 2999:
        return None
    for m, is_leap, first, length in _lunar_months(year):
        if m == month and is_leap == leap:
            return first, first + timedelta(days=length - 1)
    return None


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> date | None:
    """The Gregorian day of a lunar date, or None when it does not exist (腊月三十 in a year whose twelfth
    month has 29 days)."""
    span = lunar_month(year, month, leap)
    if span is None or not 1 <= day <= (span[1] - span[0]).days + 1:
        return None
    return span[0] + timedelta(days=day - 1)


def lunar_year_of(day: date) -> int:
    """The lunar year a Gregorian day falls in (春节 2025-01-29 starts lunar year 2025)."""
    months = _lunar_months(day.year)
    return day.year if day >= months[0][2] else day.year - 1


@functools.lru_cache(maxsize=64)
def _solar_terms(year: int) -> dict[str, date]:
    """Every solar term (清明, 立冬, 冬至, …) that falls in Gregorian year `year`."""
    from lunar_python import Solar

    out: dict[str, date] = {}
    for probe in (date(year, 1, 1), date(year, 12, 31)):
        table = list(Solar.fromYmd(probe.year, probe.month, probe.day).getLunar().getJieQiTable().items())
        # the table runs 大雪 (the previous year's), 冬至 … 大雪, then the next 冬至 … under pinyin keys:
        # name each entry by its place in the cycle
        names = [k for k, _ in table[1:25]]
        for i, (_, solar) in enumerate(table):
            if solar.getYear() == year:
                out.setdefault(names[(i - 1) % 24], date(solar.getYear(), solar.getMonth(), solar.getDay()))
    return out


def solar_term(year: int, name: str) -> date | None:
    """The day of a solar term (清明, 立冬, …) in Gregorian year `year`."""
    return _solar_terms(year).get(name)


@functools.lru_cache(maxsize=256)
def easter(year: int, church: str = "western") -> date:
    """Easter Sunday (Gregorian date) by the western or the orthodox reckoning."""
    from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN
    from dateutil.easter import easter as _easter

    return _easter(year, EASTER_ORTHODOX if church == "orthodox" else EASTER_WESTERN)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date | None:
    """The n-th ISO weekday (1 = Monday) of a month; n = -1 is the last. None when there is no such day."""
    if n > 0:
        first = date(year, month, 1)
        d = first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
        return d if d.month == month else None
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))
    d = last - timedelta(days=(last.isoweekday() - weekday) % 7 + 7 * (-n - 1))
    return d if d.month == month else None


def hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    """The Gregorian day of an Islamic (Umm al-Qura) date; None outside the table (AH 1343-1500) or for a day
    the month does not have."""
    from hijridate import Hijri

    try:
        return Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None


def hijri_in_year(year: int, month: int, day: int) -> tuple[date, int] | None:
    """The first day in Gregorian year `year` that is the Islamic date month-day, with its Islamic year (a
    Hijri year is about 11 days shorter, so a date can fall twice in one Gregorian year, or once)."""
    approx = round((year - 622) * 33 / 32)
    found = [(d, h) for h in range(approx - 1, approx + 3)
             if (d := hijri_to_gregorian(h, month, day)) is not None and d.year == year]
    return min(found) if found else None


def hebrew_to_gregorian(year: int, month: int, day: int) -> date | None:
    """The Gregorian (civil) day of a Hebrew date. Months count from Nisan (1) to Adar (12), as pyluach does;
    in a leap year the feasts of Adar fall in Adar II (13). None for a day the month does not have."""
    from pyluach import dates, hebrewcal

    if month == 12 and hebrewcal.Year(year).leap:
        month = 13
    try:
        return dates.HebrewDate(year, month, day).to_pydate()
    except ValueError:
        return None


def hebrew_in_year(year: int, month: int, day: int) -> tuple[date, int] | None:
    """The day in Gregorian year `year` that is the Hebrew date month-day, with its Hebrew year."""
    if not 1000 <= year <= 2999:
        return None
    found = [(d, h) for h in (year + 3760, year + 3761)
             if (d := hebrew_to_gregorian(h, month, day)) is not None and d.year == year]
    return min(found) if found else None
