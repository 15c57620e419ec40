"""What a date value is before it becomes text: a `Moment` (the start of one unit of time at some
granularity) and a `Period` (a moment, or a range of two). `Period.fields()` writes the record's
`value`, `end_value` and `granularity`; `strip()` turns a value into its partial form."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

GRAINS = ("second", "minute", "hour", "day", "week", "month", "quarter", "half", "year", "decade", "century")
RANK = {g: i for i, g in enumerate(GRAINS)}
MIN_YEAR, MAX_YEAR = 1000, 2999


def days_in(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def add_months(d: date, months: int) -> date:
    k = d.year * 12 + d.month - 1 + months
    y, m = divmod(k, 12)
    return date(y, m + 1, min(d.day, days_in(y, m + 1)))


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


@dataclass(frozen=True, slots=True)
class Moment:
    """The unit of time that starts at `t`, at granularity `grain` (a week starts on its Monday, a quarter on
    its first day, a decade in its first year)."""

    t: datetime
    grain: str

    def begin(self) -> datetime:
        return self.t

    def after(self) -> datetime:
        """The first instant after this unit."""
        t, g = self.t, self.grain
        if g == "second":
            return t + timedelta(seconds=1)
        if g == "minute":
            return t + timedelta(minutes=1)
        if g == "hour":
            return t + timedelta(hours=1)
        if g == "day":
            return t + timedelta(days=1)
        if g == "week":
            return t + timedelta(days=7)
        months = {"month": 1, "quarter": 3, "half": 6, "year": 12, "decade": 120, "century": 1200}[g]
        d = add_months(t.date(), months)
        return datetime(d.year, d.month, d.day) if MIN_YEAR <= d.year else t

    def value(self) -> str:
        t, g = self.t, self.grain
        if g in ("year", "decade", "century"):
            return f"{t.year:04d}"
        if g == "half":
            return f"{t.year:04d}-H{1 if t.month <= 6 else 2}"
        if g == "quarter":
            return f"{t.year:04d}-Q{(t.month - 1) // 3 + 1}"
        if g == "month":
            return f"{t.year:04d}-{t.month:02d}"
        if g in ("day", "week"):
            return t.date().isoformat()
        return t.isoformat(timespec={"hour": "hours", "minute": "minutes", "second": "seconds"}[g])[
            : {"hour": 13, "minute": 16, "second": 19}[g]]

    def last_value(self) -> str:
        """The value naming the last part of this unit, for `end_value`: a week's Sunday, a decade's or a
        century's last year; any other unit is itself."""
        if self.grain == "week":
            return (self.t.date() + timedelta(days=6)).isoformat()
        if self.grain == "decade":
            return f"{self.t.year + 9:04d}"
        if self.grain == "century":
            return f"{self.t.year + 99:04d}"
        return self.value()


def moment(grain: str, y: int, m: int = 1, d: int = 1, h: int = 0, mi: int = 0, s: int = 0) -> Moment | None:
    """A moment, or None when the date does not exist (2月30日) or the year is out of range."""
    if not MIN_YEAR <= y <= MAX_YEAR or not 1 <= m <= 12 or not 1 <= d <= days_in(y, m):
        return None
    if not (0 <= h <= 23 and 0 <= mi <= 59 and 0 <= s <= 59):
        return None
    if grain == "week":
        d0 = monday(date(y, m, d))
        return Moment(datetime(d0.year, d0.month, d0.day), "week")
    return Moment(datetime(y, m, d, h, mi, s), grain)


def of_day(d: date, grain: str = "day") -> Moment:
    return Moment(datetime(d.year, d.month, d.day), grain) if grain != "week" else moment("week", d.year, d.month,
                                                                                          d.day)


@dataclass(frozen=True, slots=True)
class Period:
    """A moment (`end` None), or a range from `start` to `end` inclusive (end at its own granularity)."""

    start: Moment
    end: Moment | None = None

    @property
    def grain(self) -> str:
        return self.start.grain

    def bounds(self) -> tuple[datetime, datetime]:
        """[begin, after) in time."""
        return self.start.begin(), (self.end or self.start).after()

    def first_day(self) -> date:
        return self.start.t.date()

    def fields(self) -> dict:
        end = self.end
        if end is None and self.start.grain in ("week", "decade", "century"):
            end = self.start
        return {"value": self.start.value(), "end_value": end.last_value() if end is not None else None,
                "granularity": self.start.grain}


def period(grain: str, y: int, m: int = 1, d: int = 1, h: int = 0, mi: int = 0, s: int = 0) -> Period | None:
    got = moment(grain, y, m, d, h, mi, s)
    return Period(got) if got is not None else None


def span(a: Period | None, b: Period | None) -> Period | None:
    """The range from the start of `a` to the end of `b`; `a` itself when they are the same moment; None when
    `b` ends before `a` begins."""
    if a is None or b is None:
        return None
    first, last = a.start, b.end or b.start
    if last.after() <= first.begin():
        return None
    return Period(first) if last == first else Period(first, last)


def strip(value: str | None, level: str) -> str | None:
    """The partial form of a full value with its year (`level` year), year and month (month) or date (day)
    left out: 2024-08-19 → --08-19, 2024-Q1 → --Q1, 2024-07-15 → ---15 (month), 2024-07-15T20 → T20 (day).
    None when nothing is left."""
    if value is None or not value[:4].isdigit():
        return None
    if level == "year":
        rest = value[4:]
        return "-" + rest if rest else None
    if level == "month":
        if len(value) < 10 or value[4] != "-" or not value[5:7].isdigit():
            return None
        return "--" + value[7:]
    if level == "day":
        return value[10:] if len(value) > 10 else None
    return None
