"""Dates, resolve: what each span says, by the shape its rule declares (`resolve:` in date.yaml).

A resolver returns a `Reading`: how to build the span's `Period` once what it lacks is known, and what it
needs for that (`need`):

- `none`: nothing, the year is written (2024年6月30日, 民国114年第3季, 18年10月1日);
- `year`: the year (8月19日, 一季度, 国庆, 农历八月十五) — from the text or the reference date, see
  `pipeline.date.infer`;
- `reference`: the article's date (今天, 上周五, 两年前, 下午3点, 本月15日);
- `context`: the last year the text spoke of (同年, 次年);
- `previous`: the last date the text spoke of (次日, 翌日, 当晚);
- `focus`: the period the sentence speaks of (去年同期).

A reading also carries `relative` (what a relative expression says, for the record), its `extra` fields
(holiday, calendar, lunar, approx, open), how a reference picks among its yearly or weekly instances
(`cycle`, `default`) and which part of its value a partial value leaves out (`level`).
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable
from datetime import date, datetime, timedelta

from pipeline.date import calendars
from pipeline.date.periods import Moment, Period, add_months, days_in, monday, of_day, period, span
from pipeline.mention import Candidate
from pipeline.numbers import parse_number


class Reading:
    """What one span says, before the article's years and reference date are known."""

    __slots__ = ("rule", "start", "end", "need", "build", "grain", "rel", "extra", "cycle", "default", "level",
                 "tod", "kind")

    def __init__(self, c: Candidate | None, need: str, build: Callable, grain: str, *, rel: dict | None = None,
                 extra: dict | None = None, cycle: str | None = None, default: str = "nearest",
                 level: str | None = None, tod: Callable | None = None, kind: str = "date",
                 rule: str | None = None, start: int | None = None, end: int | None = None):
        self.rule = rule if rule is not None else c.rule.id
        self.start = start if start is not None else c.start
        self.end = end if end is not None else c.end
        self.need, self.build, self.grain, self.rel = need, build, grain, rel
        self.extra = extra or {}
        self.cycle, self.default, self.level, self.tod, self.kind = cycle, default, level, tod, kind

    def copy(self, **changes) -> "Reading":
        new = Reading.__new__(Reading)
        for slot in Reading.__slots__:
            setattr(new, slot, changes.get(slot, getattr(self, slot)))
        return new


def fixed(c: Candidate, p: Period | None, grain: str | None = None, **kw) -> Reading | None:
    return Reading(c, "none", lambda _=None: p, grain or p.grain, **kw) if p is not None else None


# ----------------------------------------------------------------------------------------------
# numbers and years


def _int(text: str | None, rules) -> int | None:
    """A number as the date rules write it: digits, a Chinese numeral (十五, 二十三), Chinese digits one by one
    (一一四, 二○一四), 廿 and 卅."""
    if not text:
        return None
    text = text.strip().translate(rules.numeral_table)
    for k, v in rules.numeral_multi.items():
        text = text.replace(k, v)
    if text.isdigit():
        return int(text)
    if len(text) >= 2 and not text.strip(rules.digit_chars):  # 一一四, 二〇二五: digit by digit
        return int(text.translate(rules.digit_table))
    v = parse_number(text, rules.rules)
    return int(v) if v is not None and v == int(v) else None


def valid(y: int | None, m: int | None = None, d: int | None = None) -> bool:
    if y is None or not 1900 <= y <= 2099:
        return False
    if m is not None and not 1 <= m <= 12:
        return False
    if d is not None and (m is None or not 1 <= d <= _calendar.monthrange(y, m)[1]):
        return False
    return True


_CONSECUTIVE = {"一二", "二三", "三四", "四五", "五六", "六七", "七八", "八九", "三五"}  # 三五年: three to five years


def read_year(text: str, dc, pos: int) -> tuple[int | None, str | None]:
    """A written year and its calendar: 2025, 二○二五, 民国114 (roc), 18 / 零七 (two digits, the century that
    puts it within 90 years before and 10 after the reference date), 113 (roc in Taiwan context)."""
    rules = dc.rules
    text = text.strip()
    if text.startswith("民国"):
        n = _int(text[2:], rules)
        return (n + 1911, "roc") if n and 1 <= n <= 200 else (None, None)
    n = _int(text, rules)
    if n is None:
        return None, None
    if len(text) == 4 or "千" in text:  # 2025, 二○二五, 两千零八
        return (n, None) if 1000 <= n <= 2999 else (None, None)
    if len(text) == 3:  # a bare ROC year: only in Taiwan context
        return (n + 1911, "roc") if dc.locale(pos, "TW") else (None, None)
    if len(text) == 2:
        if text in _CONSECUTIVE:
            return None, None
        if text.isdigit() and not text.startswith("0") and dc.locale(pos, "TW") and n >= 60:
            return n + 1911, "roc"
        ref = dc.published
        if ref is None:
            return (2000 + n if n <= 49 else 1900 + n), None
        for century in (2000, 1900, 2100):
            if ref.year - 90 < century + n <= ref.year + 10:
                return century + n, None
    return None, None


class Groups:
    """The named groups of a match, read as numbers, years and period words."""

    def __init__(self, c: Candidate, dc):
        self.g = c.match.groupdict()
        self.c, self.dc, self.rules = c, dc, dc.rules

    def int(self, *keys: str) -> int | None:
        for key in keys:
            v = _int(self.g.get(key), self.rules)
            if v is not None:
                return v
        return None

    def get(self, key: str):
        return self.g.get(key)

    def quarter(self, *keys: str) -> int | None:
        for key in keys or ("q", "q2", "q3"):
            if self.g.get(key):
                return self.rules.quarters.get(self.g[key])
        return None

    def half(self) -> int | None:
        for key in ("h", "h2"):
            if self.g.get(key):
                return self.rules.halves.get(self.g[key])
        return None

    def year(self, key: str = "year") -> tuple[int | None, str | None]:
        text = self.g.get(key) or (self.g.get("y") if key == "year" else None)
        if not text:
            return None, None
        return read_year(text, self.dc, self.c.start)


# ----------------------------------------------------------------------------------------------
# periods


def day_period(y: int, m: int, d: int) -> Period | None:
    return period("day", y, m, d)


def month_period(y: int, m: int) -> Period | None:
    return period("month", y, m)


def quarter_period(y: int, q: int) -> Period | None:
    return period("quarter", y, 3 * q - 2) if 1 <= q <= 4 else None


def half_period(y: int, h: int) -> Period | None:
    return period("half", y, 1 if h == 1 else 7) if h in (1, 2) else None


def year_period(y: int) -> Period | None:
    return period("year", y)


def date_period(d: date | None) -> Period | None:
    return Period(of_day(d)) if d is not None and 1000 <= d.year <= 2999 else None


def days_range(a: date | None, b: date | None) -> Period | None:
    if a is None or b is None or b < a:
        return None
    return Period(of_day(a)) if a == b else Period(of_day(a), of_day(b))


def months_range(y: int, m0: int, y1: int, m1: int) -> Period | None:
    a, b = period("month", y, m0), period("month", y1, m1)
    return span(a, b)


def _with_extra(r: Reading | None, **extra) -> Reading | None:
    if r is not None:
        r.extra.update({k: v for k, v in extra.items() if v is not None})
    return r


def _yearly(c: Candidate, g: Groups, make: Callable[[int], Period | None], grain: str, *, default: str = "nearest",
            extra: dict | None = None, kind: str = "date") -> Reading | None:
    """A reading whose year is written, relative (去年), from the context (同年) or to be inferred."""
    extra = dict(extra or {})
    y, cal = g.year()
    if y is not None:
        if cal:
            extra["calendar"] = cal
        p = make(y)
        return fixed(c, p, grain, extra=extra, kind=kind) if p is not None else None
    if g.get("year") or g.get("y"):
        return None  # a year we cannot read (113年 outside Taiwan context)
    rely = g.get("rely")
    if rely:
        k = g.rules.relative_years[rely]
        if isinstance(k, int):
            return Reading(c, "reference", lambda ref: make(ref.year + k), grain, rel={"unit": "year", "offset": k},
                           extra=extra, level="year", kind=kind)
        step = 1 if k == "context_next" else 0
        if any(g.dc.text.endswith(w, 0, c.start) for w in g.rules.relative_not_after if w != "的"):
            return None  # 想当年 looks back at no year in particular
        if k == "context_or_reference":
            extra["_or_reference"] = True
        return Reading(c, "context", lambda y0: make(y0 + step), grain, extra=extra, level="year", kind=kind,
                       rel={"unit": "year", "offset": step, "anchor": "previous"})
    return Reading(c, "year", make, grain, extra=extra, cycle="year", default=default, level="year", kind=kind)


# ----------------------------------------------------------------------------------------------
# shapes with a written year (or none at all)


def fiscal_year(g: Groups, c, dc, *, months: int | None = 12):
    """截至2024年12月31日止年度 (12 months), 截至…止六个月 (`n` months) ending that day."""
    (y, _), mo, d = g.year(), g.int("month"), g.int("day")
    if not valid(y, mo, d):
        return None
    last = date(y, mo, d)
    n = months or g.int("n")
    if not n:
        return None
    first = add_months(last + timedelta(days=1), -n)
    return fixed(c, days_range(first, last))


def written_date(g: Groups, c, dc):
    """A date at the precision written: 2024年, 2024年6月, 2024年6月30日."""
    (y, cal), mo, d = g.year(), g.int("month"), g.int("day")
    if y is None:
        return None
    if d is not None:
        p = day_period(y, mo, d) if mo else None
    elif mo is not None:
        p = month_period(y, mo)
    else:
        p = year_period(y)
    return _with_extra(fixed(c, p), calendar=cal)


def year_month_day(g: Groups, c, dc):
    if g.get("year"):
        y, cal = g.year()
    else:
        y, cal = g.int("y"), None
    mo, d = g.int("month", "m"), g.int("day", "d")
    if y is None or mo is None or d is None:
        return None
    return _with_extra(fixed(c, day_period(y, mo, d)), calendar=cal)


def numeric_dmy(g: Groups, c, dc):
    """30/6/2025, 13.5.2015, 05/05/89 (day/month/year); 10/31/2024 (a part above 12 is the day)."""
    a, b, ytext = g.int("a"), g.int("b"), g.get("y")
    y = int(ytext)
    if len(ytext) == 2:
        y, _ = read_year(ytext, dc, c.start)
        if y is None:
            return None
    d, m = (b, a) if a <= 12 < b else (a, b)
    return fixed(c, day_period(y, m, d))


def slash_month_day(g: Groups, c, dc):
    """4/30, 12/4至12/10, 6·30, 09-01: a month and a day without a year."""
    mo, da, mo2, da2 = g.int("mo"), g.int("da"), g.int("mo2"), g.int("da2")
    if not (mo and da) or not 1 <= mo <= 12:
        return None
    if mo2 and da2:
        def build(y):
            y0 = y - 1 if (mo2, da2) < (mo, da) else y
            return days_range(_date(y0, mo, da), _date(y, mo2, da2))
        return Reading(c, "year", build, "day", cycle="year", level="year")
    return Reading(c, "year", lambda y: day_period(y, mo, da), "day", cycle="year", level="year")


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def day_range(g: Groups, c, dc):
    """2024年12月28日至2025年1月3日, 2025年6月1日至6月30日, 2025年6月1日-30日."""
    (y, cal), mo, d = g.year(), g.int("month"), g.int("day")
    y2w, _ = g.year("year2")
    y2, mo2, d2 = y2w or y, g.int("month2") or mo, g.int("day2")
    if y is None or not mo or not d or not d2:
        return None
    if not y2w and g.int("month2") and (mo2, d2) < (mo, d):
        y2 = y + 1  # 2024年12月28日至1月3日 crosses the new year
    a, b = _date(y, mo, d), _date(y2, mo2, d2)
    if a is None or b is None or b <= a:
        return None
    return _with_extra(fixed(c, days_range(a, b)), calendar=cal)


def quarter_range(g: Groups, c, dc):
    (y, _), (y2w, _) = g.year(), g.year("year2")
    y2 = y2w or y
    qa, qb = g.quarter("qa"), g.quarter("qb")
    if y is None or not qa or not qb or (y2, qb) <= (y, qa):
        return None
    return fixed(c, span(quarter_period(y, qa), quarter_period(y2, qb)))


def month_range(g: Groups, c, dc):
    (y, cal), mo = g.year(), g.int("month")
    y2w, _ = g.year("year2")
    y2, mo2 = y2w or y, g.int("month2")
    if y is None or not mo or not mo2:
        return None
    if (y2, mo2) <= (y, mo):
        if y2w or mo2 == mo:
            return None
        y2 = y + 1  # 2024年12月至2月 crosses the new year
    return _with_extra(fixed(c, months_range(y, mo, y2, mo2)), calendar=cal)


def year_range(g: Groups, c, dc):
    (y, _), (y2, _) = g.year(), g.year("year2")
    if y is None or y2 is None or y2 <= y:
        return None
    return fixed(c, span(year_period(y), year_period(y2)))


def year_first_quarters(g: Groups, c, dc):
    """2025年前三季度 -> 2025-Q1 to 2025-Q3."""
    n = g.int("n")
    if not n or not 2 <= n <= 4:
        return None
    return _yearly(c, g, lambda y: span(quarter_period(y, 1), quarter_period(y, n)), "quarter")


def year_quarter(g: Groups, c, dc):
    q = g.quarter()
    return _yearly(c, g, lambda y: quarter_period(y, q), "quarter") if q else None


def year_half(g: Groups, c, dc):
    h = g.half()
    return _yearly(c, g, lambda y: half_period(y, h), "half") if h else None


def year_part(g: Groups, c, dc):
    """2025年底 -> 2025-12, 2025年初 -> 2025-01."""
    month = dc.rules.year_parts.get(g.get("part") or "")
    return _yearly(c, g, lambda y: month_period(y, month), "month") if month else None


def year_month(g: Groups, c, dc):
    mo = g.int("month")
    return _yearly(c, g, lambda y: month_period(y, mo), "month") if mo else None


def year(g: Groups, c, dc):
    return _yearly(c, g, year_period, "year")


# ----------------------------------------------------------------------------------------------
# shapes without a written year


def yearless_year(g, c, dc):
    """去年, 今年, 同年."""
    return _yearly(c, g, year_period, "year")


def yearless_month(g, c, dc):
    """8月, 今年3月, 12月份."""
    mo = g.int("mo")
    if mo is None or not 1 <= mo <= 12:
        return None
    return _yearly(c, g, lambda y: month_period(y, mo), "month")


def yearless_month_day(g, c, dc):
    """12月19日, 去年12月31日, 四月十三."""
    mo, da = g.int("mo"), g.int("da")
    if mo is None or not 1 <= mo <= 12 or da is None or not 1 <= da <= 31:
        return None
    if da > days_in(2024, mo):
        return None
    return _yearly(c, g, lambda y: day_period(y, mo, da), "day")


def yearless_month_range(g, c, dc):
    """1-9月, 今年1至3月."""
    mo, end_mo = g.int("mo"), g.int("mo2") or g.int("mo")
    if mo is None or end_mo is None or not 1 <= mo <= 12 or not 1 <= end_mo <= 12 or end_mo <= mo:
        return None
    return _yearly(c, g, lambda y: months_range(y, mo, y, end_mo), "month")


def yearless_day_range(g, c, dc):
    """12月28日至1月3日, 6月1日至30日: the year belongs to the end; a range across new year starts the
    year before."""
    mo, da, da2 = g.int("mo"), g.int("da"), g.int("da2")
    end_mo = g.int("mo2") or mo
    if mo is None or end_mo is None or not 1 <= mo <= 12 or not 1 <= end_mo <= 12 or da is None or da2 is None:
        return None

    def build(y):
        y0 = y - 1 if (end_mo, da2) < (mo, da) else y
        a, b = _date(y0, mo, da), _date(y, end_mo, da2)
        return days_range(a, b) if a and b and b > a else None
    return _yearly(c, g, build, "day")


def yearless_quarter(g, c, dc):
    """三季度, 去年四季度, Q3."""
    q = g.quarter()
    return _yearly(c, g, lambda y: quarter_period(y, q), "quarter") if q else None


def yearless_first_quarters(g, c, dc):
    """前三季度, 今年前三季度."""
    n = g.int("n")
    if not n or not 2 <= n <= 4:
        return None
    return _yearly(c, g, lambda y: span(quarter_period(y, 1), quarter_period(y, n)), "quarter")


def yearless_first_months(g, c, dc):
    """前两个月, 前10个月: January to the n-th month (the cumulative statistics of the year)."""
    n = g.int("n")
    if not n or not 2 <= n <= 11:
        return None
    return _yearly(c, g, lambda y: months_range(y, 1, y, n), "month")


def yearless_half(g, c, dc):
    """上半年, 去年下半年, H1: a part of the year, so without a cue the reference's own year."""
    h = g.half()
    return _yearly(c, g, lambda y: half_period(y, h), "half", default="same") if h else None


def yearless_part(g, c, dc):
    """年底, 今年年初: a part of the year, so without a cue the reference's own year."""
    month = dc.rules.year_parts.get(g.get("part") or "")
    return _yearly(c, g, lambda y: month_period(y, month), "month", default="same") if month else None


def season(g, c, dc):
    """今年冬季 (立冬 to the day before 立春), 去年暑假 (July and August)."""
    name = g.get("season")
    rules = dc.rules
    if name in rules.school_breaks:
        m0, m1 = rules.school_breaks[name]
        return _yearly(c, g, lambda y: months_range(y, m0, y, m1), "month", kind="season")
    first, last = rules.seasons[name]

    def build(y):
        a = calendars.solar_term(y, first)
        y1 = y + 1 if last in ("立春",) and first == "立冬" else y
        b = calendars.solar_term(y1, last)
        return days_range(a, b - timedelta(days=1)) if a and b else None
    return _yearly(c, g, build, "day", kind="season")


# ----------------------------------------------------------------------------------------------
# holidays and the lunar calendar


def _holiday_start(spec, y: int) -> tuple[date | None, int | None]:
    """The first day of a holiday rule in (Gregorian, or for lunar rules lunar) year `y`, and for hijri and
    hebrew rules the year of that calendar."""
    d: date | None = None
    cal_year = None
    if spec.fixed:
        d = _date(y, int(spec.fixed[:2]), int(spec.fixed[3:]))
    elif spec.lunar:
        d = calendars.lunar_to_solar(y, int(spec.lunar[:2]), int(spec.lunar[3:]))
    elif spec.lunar_eve:
        # the eve that falls in Gregorian year y: the day before the lunar new year of y
        first = calendars.lunar_to_solar(y, int(spec.lunar_eve[:2]), int(spec.lunar_eve[3:]))
        d = first - timedelta(days=1) if first else None
    elif spec.easter is not None:
        d = calendars.easter(y, spec.church) + timedelta(days=spec.easter) if 1583 <= y <= 4099 else None
    elif spec.nth_weekday:
        n = spec.nth_weekday
        d = calendars.nth_weekday(y, n["month"], n["weekday"], n["n"])
    elif spec.solar_term:
        d = calendars.solar_term(y, spec.solar_term)
    elif spec.hijri or spec.hebrew:
        find = calendars.hijri_in_year if spec.hijri else calendars.hebrew_in_year
        md = spec.hijri or spec.hebrew
        hit = find(y, int(md[:2]), int(md[3:]))
        if hit is not None:
            d, cal_year = hit
            if spec.not_saturday and d.isoweekday() == 6:
                d += timedelta(days=1)
    return (d + timedelta(days=spec.days) if d is not None else None), cal_year


def holiday_period(spec, y: int) -> Period | None:
    """A holiday's days in year `y`: one day, `span` days, or up to `until` (hijri); from the evening
    before where it begins at sundown (`eve`)."""
    first, cal_year = _holiday_start(spec, y)
    if first is None:
        return None
    last = first + timedelta(days=spec.span - 1)
    if spec.until is not None:
        um, ud = int(spec.until[:2]), int(spec.until[3:])
        end = calendars.hijri_to_gregorian(cal_year + (1 if um < int(spec.hijri[:2]) else 0), um, ud)
        if end is None or end <= first:
            return None
        last = end - timedelta(days=1)
    if spec.eve:
        first -= timedelta(days=1)
    return days_range(first, last)


def holiday(g, c, dc):
    """春节, 国庆节, 2024年感恩节, 去年中秋, 东正教复活节, 今年618."""
    rules = dc.rules
    name = g.get("hol")
    key = rules.holiday_of.get(name)
    if key is None:
        return None
    h = rules.holidays[key]
    text = dc.text
    hs = c.match.start("hol")
    if hs > 0 and (text[hs - 1].isdigit() or text[hs - 1] in "零〇一二三四五六七八九十百千万"):
        return None  # 第五一, 三五一
    for word in rules.holiday_not_after:
        if text[max(0, c.start - len(word)):c.start] == word:
            return None  # 犹太植树节 is another holiday
    needs = h.needs.get(name)
    if needs:
        after, before = text[c.end:c.end + 5], text[max(0, c.start - 4):c.start]
        if not any(after.startswith(w) or before.endswith(w) for w in needs):
            return None
    spec = h.rule
    for loc, alt in h.locale.items():
        if dc.locale(c.start, loc):
            spec = alt
    if g.get("church"):
        spec = spec.model_copy(update={"church": "orthodox"}) if spec.easter is not None else None
        if spec is None:
            return None
    return _yearly(c, g, lambda y: holiday_period(spec, y), "day", default="same",
                   extra={"holiday": key}, kind="holiday")


def lunar_date(g, c, dc):
    """农历八月十五, 正月初五, 大年初十, 腊月二十三, 闰六月初一, 五月廿二, 农历十月, 闰四月, 明年腊月."""
    rules = dc.rules
    lm_text, ld_text = g.get("lm"), g.get("ld") or g.get("ld2")
    leap = bool(g.get("leap"))
    lm = {"正": 1, "冬": 11, "腊": 12}.get(lm_text) if lm_text else 1
    lm = lm or _int(lm_text, rules)
    if not lm or not 1 <= lm <= 12:
        return None
    ld = None
    if ld_text:
        ld = _int(ld_text[1:] if ld_text[0] == "初" else ld_text, rules)
        if not ld or not 1 <= ld <= 30:
            return None
    lunar = f"--{'L' if leap else ''}{lm:02d}" + (f"-{ld:02d}" if ld else "")
    if ld:
        def make(y):
            return date_period(calendars.lunar_to_solar(y, lm, ld, leap))
        grain = "day"
    else:
        def make(y):
            got = calendars.lunar_month(y, lm, leap)
            return days_range(*got) if got else None
        grain = "day"
    r = _yearly(c, g, make, grain, extra={"calendar": "lunar", "lunar": lunar}, kind="lunar")
    if r is not None and r.need == "none":
        y, _ = g.year()
        r.extra["lunar"] = f"{y:04d}{lunar}"
    return r


# ----------------------------------------------------------------------------------------------
# decades and centuries


def decade_century(g, c, dc):
    """上世纪90年代, 二十世纪九十年代末, 本世纪初, 18世纪, 九十年代 (the latest such decade that has begun)."""
    rules = dc.rules
    crel, cn, dec = g.get("crel"), g.get("cn"), g.int("dec")
    part = g.get("dpart") or g.get("cpart")
    century = None  # its first year
    need_ref = False
    if cn:
        n = _int(cn, rules)
        if not n or not 10 <= n <= 22:
            return None
        century = (n - 1) * 100
    elif crel:
        need_ref = True
    if dec is not None and not (10 <= dec <= 90 and dec % 10 == 0):
        return None

    def make_in(c0: int) -> Period | None:
        if dec is not None:
            y0 = c0 + dec
            if part:
                lo, hi = rules.decade_parts[part[0]]
                return span(year_period(y0 + lo), year_period(y0 + hi))
            return Period(Moment(datetime(y0, 1, 1), "decade")) if 1000 <= y0 <= 2990 else None
        if part:
            key = part if part in rules.century_parts else part[0]
            lo, hi = rules.century_parts[key]
            return span(year_period(max(c0, 1000) + lo), year_period(c0 + hi))
        return Period(Moment(datetime(c0, 1, 1), "century")) if 1000 <= c0 <= 2900 else None

    grain = "year" if part else ("decade" if dec is not None else "century")
    if century is not None:
        return fixed(c, make_in(century), grain)
    if need_ref:
        k = {"上": -1, "本": 0, "这": 0, "下": 1}[crel]
        return Reading(c, "reference", lambda ref: make_in((ref.year // 100 + k) * 100), grain,
                       rel={"unit": "century", "offset": k})
    # 九十年代, no century written: the latest such decade that has begun by the reference date; with none, the
    # two-digit-year rule (up to 2049 in this century). The century is inferred.
    ref = dc.published
    if ref is not None:
        c0 = (ref.year // 100) * 100
        c0 = c0 if c0 + dec <= ref.year else c0 - 100
    else:
        c0 = 2000 if dec <= 40 else 1900
    return _with_extra(fixed(c, make_in(c0), grain), _inferred=True)


# ----------------------------------------------------------------------------------------------
# shapes the reference date decides


def _rel_day(c, offset: int, grain: str = "day", count: int | None = None, **kw) -> Reading:
    def build(ref):
        a = ref + timedelta(days=offset)
        return days_range(a, a + timedelta(days=(count or 1) - 1))
    rel = {"unit": "day", "offset": offset}
    if count:
        rel["count"] = count
    return Reading(c, "reference", build, grain, rel=rel, level="day", **kw)


def relative_word(g, c, dc):
    """今天, 大后天, 本季度, 上个半年, 今明两年."""
    rules = dc.rules
    word = g.get("rel")
    if not _free(dc, c, word):
        return None
    spec = dict(rules.relative[word])
    count = spec.pop("count", None)
    unit, k = next(iter(spec.items()))
    if unit == "day":
        return _rel_day(c, k, count=count)
    if unit == "quarter":
        def build(ref):
            n = ref.year * 4 + (ref.month - 1) // 3 + k
            return quarter_period(n // 4, n % 4 + 1)
        return Reading(c, "reference", build, "quarter", rel={"unit": "quarter", "offset": k})
    if unit == "half":
        def build(ref):
            n = ref.year * 2 + (ref.month - 1) // 6 + k
            return half_period(n // 2, n % 2 + 1)
        return Reading(c, "reference", build, "half", rel={"unit": "half", "offset": k})
    rel = {"unit": "year", "offset": k}
    if count:
        rel["count"] = count
    return Reading(c, "reference", lambda ref: span(year_period(ref.year + k), year_period(ref.year + k + (count or 1)
                                                                                        - 1)),
                   "year", rel=rel)


def _free(dc, c, word: str) -> bool:
    """A relative word that is one: not figurative (在…的今天), not an idiom or a name (明日黄花, 今日头条)."""
    text = dc.text
    rules = dc.rules
    if any(text[max(0, c.start - len(w)):c.start] == w for w in rules.relative_not_after):
        return False
    return not any(text.startswith(w, c.end) for w in rules.relative_not_before.get(word, ()))


def previous_day(g, c, dc):
    """次日, 翌日, 当天: a day counted from the last date the text spoke of."""
    word = g.get("prev")
    if not _free(dc, c, word):
        return None
    k = dc.rules.previous_days[word]
    return Reading(c, "previous", lambda d: date_period(d + timedelta(days=k)), "day",
                   rel={"unit": "day", "offset": k, "anchor": "previous"}, kind="previous")


def relative_month_day(g, c, dc):
    """本月, 上个月, 本月15日, 下月1日; 当月 and 次月 count from the last month the text spoke of."""
    k = dc.rules.relative_months[g.get("relm")]
    day = g.int("da")

    def make(first: date):
        if day is None:
            return month_period(first.year, first.month)
        return day_period(first.year, first.month, day)
    if isinstance(k, str):
        step = 1 if k == "previous_next" else 0
        return Reading(c, "previous", lambda d: make(add_months(d.replace(day=1), step)),
                       "day" if day else "month", rel={"unit": "month", "offset": step, "anchor": "previous"},
                       kind="previous")
    return Reading(c, "reference", lambda ref: make(add_months(ref.replace(day=1), k)), "day" if day else "month",
                   rel={"unit": "month", "offset": k}, level="month")


def relative_part(g, c, dc):
    """月初, 月底 (the reference's month), 季末 (the reference's quarter's last month)."""
    rules = dc.rules
    if g.get("mpart"):
        lo, hi = rules.parts_of_month[g.get("mpart")]
        part = {1: "early", 11: "mid", 21: "late"}[lo]

        def build(ref):
            return month_part(month_period(ref.year, ref.month), lo, hi)
        return Reading(c, "reference", build, "day", rel={"unit": "month", "offset": 0, "part": part},
                       level="month")
    which = rules.parts_of_quarter[g.get("qpart")]

    def build_q(ref):
        q = (ref.month - 1) // 3 + 1
        return month_period(ref.year, 3 * q if which == "last" else 3 * q - 2)
    return Reading(c, "reference", build_q, "month",
                   rel={"unit": "quarter", "offset": 0, "part": "late" if which == "last" else "early"})


def month_part(p: Period | None, lo: int, hi: int) -> Period | None:
    if p is None or p.end is not None or p.grain != "month":
        return None
    y, m = p.start.t.year, p.start.t.month
    return days_range(date(y, m, lo), date(y, m, min(hi, days_in(y, m))))


def within_year(g, c, dc):
    """年内将完成: this year, when a plan speaks (a filing's 年内 is the year under review)."""
    if dc.cue(c.start, c.end) != "forward":
        return None
    return Reading(c, "reference", lambda ref: year_period(ref.year), "year", rel={"unit": "year", "offset": 0})


def same_period(g, c, dc):
    """去年同期: the period the sentence speaks of, moved by the relative year."""
    k = dc.rules.relative_years[g.get("rely")]
    if not isinstance(k, int):
        return None
    r = Reading(c, "focus", lambda focus: _shift_years(focus, k), "year", rel={"unit": "year", "offset": k})
    r.extra["_fallback_reference"] = lambda ref: year_period(ref.year + k)
    return r


def _shift_years(p: Period | None, k: int) -> Period | None:
    if p is None:
        return None

    def move(m: Moment) -> Moment | None:
        t = m.t
        try:
            return Moment(t.replace(year=t.year + k), m.grain)
        except ValueError:
            return Moment(t.replace(year=t.year + k, day=28), m.grain)
    if p.grain in ("week", "hour", "minute", "second"):
        return None
    a = move(p.start)
    return Period(a, move(p.end)) if p.end is not None else Period(a)


def day_only(g, c, dc):
    """台股10日收盘: the day of the month nearest the reference date."""
    day = g.int("da")

    def build(ref: date) -> Period | None:
        options = []
        for k in (-1, 0, 1):
            first = add_months(ref.replace(day=1), k)
            if 1 <= day <= days_in(first.year, first.month):
                options.append(date(first.year, first.month, day))
        return date_period(min(options, key=lambda d: abs((d - ref).days))) if options else None
    return Reading(c, "reference", build, "day", level="month", kind="day_only")


# weeks ------------------------------------------------------------------------------------------


def weekday(g, c, dc):
    """周五 (the reference's week; a tense cue moves it), 上周五, 下礼拜一, 今个礼拜三."""
    rules = dc.rules
    wd = rules.weekdays[g.get("wd")]
    wo_text = g.get("wo")
    text = dc.text
    if any(text[max(0, c.start - len(w)):c.start] == w for w in rules.relative_not_after):
        return None
    if wo_text is None:
        nxt = text[c.end:c.end + 4]
        if nxt and "\u4e00" <= nxt[0] <= "\u9fff" and not nxt.startswith(rules.weekday_next):
            return None  # 周五岳, 周六福, 星期五餐厅

    def make(ref: date, k: int) -> Period | None:
        return date_period(monday(ref) + timedelta(days=7 * k + wd - 1))
    if wo_text is None:
        return Reading(c, "reference", lambda ref: make(ref, 0), "day", cycle="week", default="same",
                       rel={"unit": "week", "offset": None, "weekday": wd}, kind="weekday_bare")
    k = rules.week_offsets[wo_text]
    return Reading(c, "reference", lambda ref: make(ref, k), "day", rel={"unit": "week", "offset": k, "weekday": wd},
                   kind="weekday")


def week(g, c, dc):
    """上周, 下下周, 这一礼拜 (Monday to Sunday); 本周末, 上上个周末 (Saturday and Sunday)."""
    rules = dc.rules
    wo_text = g.get("wo")
    k = rules.week_offsets[wo_text] if wo_text else 0
    weekend = dc.text[c.start:c.end].endswith("周末")

    def build(ref: date) -> Period | None:
        first = monday(ref) + timedelta(days=7 * k)
        if weekend:
            return days_range(first + timedelta(days=5), first + timedelta(days=6))
        return Period(of_day(first, "week"))
    rel = {"unit": "week", "offset": k}
    if weekend:
        rel["part"] = "weekend"
    return Reading(c, "reference", build, "day" if weekend else "week", rel=rel)


# counted units -----------------------------------------------------------------------------------

_UNIT_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_SMALL = {"hour": 3600, "minute": 60, "second": 1, "quarter_hour": 900}


def _count(text: str | None, rules) -> float | None:
    if text is None:
        return None
    if text == "半":
        return 0.5
    return _int(text, rules)


def offset(g, c, dc):
    """两天后, 三年前, 一年半以前, 两个半月以前, 十个多月后, 三年多以来, 两周后; 两小时前 (value only with a time)."""
    rules = dc.rules
    n = _count(g.get("n"), rules)
    unit = rules.units[g.get("unit")]
    word = g.get("unit")
    if n is None or n <= 0 or n > 999:
        return None
    if word == "月" and not g.get("ge") and g.get("n") != "半" and not g.get("half") and not g.get("pre"):
        return None  # 3月前 is "before March"
    if word == "日" and g.get("n").isdigit():
        return None  # 3日前 is "by the 3rd"
    if word == "钟" and not g.get("ge"):
        return None
    d = rules.offset_words[g.get("dir")]
    since = d == "since"
    sign = -1 if since else d
    half = bool(g.get("half") or g.get("pre") == "半")
    approx = bool(g.get("more") or g.get("pre") == "多")
    extra = {"approx": True} if approx else {}
    if since:
        extra.update(open="after", inclusive=True)
    if unit in _SMALL:
        secs = (n + (0.5 if half else 0)) * _SMALL[unit]
        grain = _grain_for(secs, "minute" if unit == "quarter_hour" else unit)
        rel_unit, amount = grain, round(secs / _SMALL[grain])  # 半小时: 30 minutes
        return Reading(c, "reference", lambda ref: _from_published(dc, ref, sign * secs, grain), "time",
                       rel={"unit": rel_unit, "offset": sign * amount}, extra=extra)
    if unit in ("day", "week"):
        days = n * (7 if unit == "week" else 1) + (3.5 if half and unit == "week" else 0.5 if half else 0)
        if days != int(days):
            return None
        days = int(days)
        grain = "week" if unit == "week" and not half else "day"

        def build(ref):
            return Period(of_day(ref + timedelta(days=sign * days), grain))
        return Reading(c, "reference", build, grain, rel={"unit": unit, "offset": sign * int(n)}, extra=extra,
                       kind="offset")
    months = n * _UNIT_MONTHS[unit] + (6 if half and unit == "year" else 0)
    extra_days = 15 if half and unit == "month" else 0
    if months != int(months):
        # 半个月: fifteen days; 半年: six months; 半季度: not a unit
        if unit == "month" and n == 0.5:
            return Reading(c, "reference", lambda ref: date_period(ref + timedelta(days=sign * 15)), "day",
                           rel={"unit": "day", "offset": sign * 15}, extra=extra)
        return None
    months = int(months)
    if extra_days:
        def build_d(ref):
            return date_period(add_months(ref, sign * months) + timedelta(days=sign * extra_days))
        return Reading(c, "reference", build_d, "day", rel={"unit": "month", "offset": sign * int(n)}, extra=extra,
                       kind="offset")
    grain = "year" if unit == "year" and not half and n == int(n) else "month"
    if unit == "quarter":
        grain = "quarter"

    def build_m(ref):
        t = add_months(ref.replace(day=1), sign * months)
        if grain == "year":
            return year_period(t.year)
        if grain == "quarter":
            return quarter_period(t.year, (t.month - 1) // 3 + 1)
        return month_period(t.year, t.month)
    rel_unit = unit if grain != "month" or unit == "month" else "month"
    rel_n = sign * (int(n) if rel_unit == unit else months)
    # N年后 right after a dated event counts from the event (pipeline.date.infer)
    return Reading(c, "reference", build_m, grain, rel={"unit": rel_unit, "offset": rel_n}, extra=extra, kind="offset")


def _grain_for(secs: float, unit: str) -> str:
    """The grain of an offset of `secs` seconds in `unit`: the unit's own, or a finer one for a half (半小时)."""
    if secs % _SMALL[unit] == 0:
        return unit
    return "minute" if secs % 60 == 0 else "second"


def _at_grain(t: datetime, grain: str) -> Period | None:
    return period(grain, t.year, t.month, t.day, t.hour, t.minute if grain != "hour" else 0,
                  t.second if grain == "second" else 0)


def _from_published(dc, ref, secs: float, grain: str) -> Period | None:
    """The moment `secs` seconds from the caller's date and time (两小时前, 30分钟后); None without a time."""
    at = dc.published_at
    if at is None or ref != at.date():
        return None
    return _at_grain(at + timedelta(seconds=secs), grain)


def _span_published(dc, ref, lo: float, hi: float, grain: str) -> Period | None:
    """From `lo` to `hi` seconds around the caller's date and time (过去30分钟, 未来两小时)."""
    at = dc.published_at
    if at is None or ref != at.date():
        return None
    return span(_at_grain(at + timedelta(seconds=lo), grain), _at_grain(at + timedelta(seconds=hi), grain))


def window(g, c, dc):
    """前两天, 上两个月, 过去三天, 下三年 (whole units before or after the reference's own); 近三年, 最近三个月
    (counted back from the reference day)."""
    rules = dc.rules
    n = _count(g.get("n"), rules)
    unit = rules.units[g.get("unit")]
    if n is None or n != int(n) or not 1 <= n <= 999:
        return None
    n = int(n)
    direction = rules.window_words[g.get("ww")]
    if n == 1 and g.get("ww") in ("上", "下"):
        return None  # 上一年度, 下一年: the year before or after the one spoken of, not a window
    if direction == "rolling":
        if unit in ("day",):
            return None  # 近60日涨幅 is a market window, not a date
        if unit in _SMALL:
            step = "minute" if unit == "quarter_hour" else unit
            secs = n * _SMALL[unit]
            return Reading(c, "reference", lambda ref: _span_published(dc, ref, -secs, 0, step), "time",
                           rel={"unit": step, "offset": -n, "count": n, "rolling": True})

        def build_r(ref):
            if unit == "week":
                a = ref - timedelta(days=7 * n)
            else:
                a = add_months(ref, -n * _UNIT_MONTHS[unit])
            return days_range(a, ref - timedelta(days=1))
        return Reading(c, "reference", build_r, "day",
                       rel={"unit": unit, "offset": -n, "count": n, "rolling": True})
    first = -n if direction == -1 else 1
    if unit in _SMALL:
        step = "minute" if unit == "quarter_hour" else unit
        secs = n * _SMALL[unit]
        lo, hi = (-secs, 0) if direction == -1 else (0, secs)
        return Reading(c, "reference", lambda ref: _span_published(dc, ref, lo, hi, step), "time",
                       rel={"unit": step, "offset": first, "count": n})

    def build(ref):
        if unit == "day":
            a = ref + timedelta(days=first)
            return days_range(a, a + timedelta(days=n - 1))
        if unit == "week":
            a = monday(ref) + timedelta(days=7 * first)
            return span(Period(of_day(a, "week")), Period(of_day(a + timedelta(days=7 * (n - 1)), "week")))
        step = _UNIT_MONTHS[unit]
        base = ref.replace(day=1)
        if unit == "year":
            return span(year_period(ref.year + first), year_period(ref.year + first + n - 1))
        if unit == "quarter":
            q0 = (ref.year * 4 + (ref.month - 1) // 3) + first
            return span(quarter_period(q0 // 4, q0 % 4 + 1), quarter_period((q0 + n - 1) // 4, (q0 + n - 1) % 4 + 1))
        a = add_months(base, first * step)
        b = add_months(base, (first + n - 1) * step)
        return months_range(a.year, a.month, b.year, b.month)
    grain = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}[unit]
    return Reading(c, "reference", build, grain, rel={"unit": unit, "offset": first, "count": n})


# ----------------------------------------------------------------------------------------------
# times of day


def _clock(m, dc, pod_name: str | None, ampm: str | None) -> tuple[int, int | None, int | None, bool, int] | None:
    """(hour, minute, second, approx, day shift) of a clock match, the part of day and am/pm applied."""
    rules = dc.rules
    gd = m.groupdict()
    h = _int(gd.get("hh"), rules)
    if h is None:
        return None
    mi = _int(gd.get("mi") or gd.get("mi0"), rules) if (gd.get("mi") or gd.get("mi0")) else None
    if gd.get("mi0") and gd["mi0"].startswith("零"):
        mi = _int(gd["mi0"][1:], rules)
    if gd.get("hhalf") or gd.get("hhalf2"):
        mi = 30
    if gd.get("five") or gd.get("five2"):  # Cantonese: 踏三, 三个字 = 3 × 5 minutes
        n = _int(gd.get("five") or gd.get("five2"), rules)
        mi = 5 * n if n is not None and 1 <= n <= 11 else None
    if gd.get("hq"):
        mi = 15 if gd["hq"] in "一1" else 45
    s = _int(gd.get("ss"), rules) if gd.get("ss") else None
    if mi is not None and not 0 <= mi <= 59 or s is not None and not 0 <= s <= 59:
        return None
    shift = 0
    pod = rules.parts_of_day.get(pod_name) if pod_name else None
    if ampm:
        a = ampm.lower()[0]
        if not 1 <= h <= 12:
            return None
        h = (h % 12) + (12 if a == "p" else 0)
    elif pod is not None:
        if pod.noon:
            if 1 <= h <= 6:  # 中午1点 is 13:00
                h += 12
        elif pod.pm and 1 <= h <= 11:
            h += 12
        elif pod.night and h == 12:  # 晚上12点 is the next day's 00:00
            h, shift = 0, 1
        elif h == 12 and pod.hours[0] == 0:  # 凌晨12点 is midnight
            h = 0
    if h == 24 and not mi and not s:
        h, shift = 0, 1
    if not 0 <= h <= 23:
        return None
    return h, mi, s, bool(gd.get("more")), shift


def _at(day: date, h: int, mi: int | None, s: int | None, shift: int) -> Period | None:
    d = day + timedelta(days=shift)
    grain = "hour" if mi is None else "minute" if s is None else "second"
    return period(grain, d.year, d.month, d.day, h, mi or 0, s or 0)


def _time_reading(c, dc, tod: Callable[[date], Period | None], pod_name: str | None, extra: dict) -> Reading:
    pod = dc.rules.parts_of_day.get(pod_name) if pod_name else None
    if pod is not None and pod.previous:
        return Reading(c, "previous", tod, "time", tod=tod, kind="time_day",
                       rel={"unit": "day", "offset": 0, "anchor": "previous"}, extra=extra)
    if pod is not None and pod.days is not None:
        k = pod.days
        r = Reading(c, "reference", lambda ref: tod(ref + timedelta(days=k)), "time", tod=tod, kind="time_day",
                    rel={"unit": "day", "offset": k}, level="day", extra=extra)
        return r
    return Reading(c, "reference", tod, "time", tod=tod, kind="time", level="day", extra=extra)


def time_of_day(g, c, dc):
    """15:30, 3:15PM, 下午3点, 上午9点半, 凌晨两点, 9时30分, 晚8点, 今晚八点, 当晚十时, 大约十点."""
    pod_name = g.get("pod")
    got = _clock(c.match, dc, pod_name, g.get("ampm"))
    if got is None:
        return None
    h, mi, s, approx, shift = got
    return _time_reading(c, dc, lambda day: _at(day, h, mi, s, shift), pod_name,
                         {"approx": True} if approx else {})


def time_range(g, c, dc):
    """上午9:30至11:30, 下午1点至3点, 17:55:23-18:33:02, 晚上十一点钟到晚上十二点."""
    pod1, pod2 = g.get("pod"), g.get("pod2") or g.get("pod")
    left, right = g.get("left"), g.get("right")
    if not pod1 and ":" not in left and not any(ch in left for ch in "时分"):
        return None  # 3点至5点 alone may be index points
    return _time_range(c, dc, left, right, pod1, pod2, g.get("ampm"), g.get("ampm2") or g.get("ampm"))


def hour_range(g, c, dc):
    """上午9到11点, 早上五到六点, 下午2至4时: two hours sharing one 点 or 时, after a part of day."""
    right = g.get("right").strip()
    unit = "时" if "时" in right else "点"
    return _time_range(c, dc, g.get("left").strip() + unit, right, g.get("pod"), g.get("pod"), None, None)


def _time_range(c, dc, left, right, pod1, pod2, ampm1, ampm2):
    rules = dc.rules
    ml, mr = rules.clock_rx.fullmatch(left.strip()), rules.clock_rx.fullmatch(right.strip())
    if ml is None or mr is None:
        return None
    a = _clock(ml, dc, pod1, ampm1)
    b = _clock(mr, dc, pod2, ampm2)
    if a is None or b is None:
        return None
    if (b[0], b[1] or 0, b[2] or 0) < (a[0], a[1] or 0, a[2] or 0) and b[4] == 0:
        if pod2 == pod1 and pod1 and rules.parts_of_day[pod1].pm is False and b[0] + 12 <= 23:
            b = (b[0] + 12, *b[1:])
        else:
            return None

    def tod(day):
        pa, pb = _at(day, a[0], a[1], a[2], a[4]), _at(day, b[0], b[1], b[2], b[4])
        if pa is None or pb is None:
            return None
        if pa.grain != pb.grain:  # 9:30至11点: both at the finer grain
            fine = pa.grain if {"hour": 0, "minute": 1, "second": 2}[pa.grain] > {"hour": 0, "minute": 1, "second": 2}[
                pb.grain] else pb.grain
            pa, pb = Period(Moment(pa.start.t, fine)), Period(Moment(pb.start.t, fine))
        return span(pa, pb)
    return _time_reading(c, dc, tod, pod1, {})


def part_of_day(g, c, dc):
    """晚间, 凌晨, 今晚, 当晚, 上午 (its hours on the reference day, or on the date before it)."""
    if dc.rules.parts_of_day[g.get("pod")].before_clock:
        return None
    return part_of_day_after_day(g, c, dc)


def part_of_day_after_day(g, c, dc):
    """Its hours, 早 and 晚 included: 25日晚, 7月25日早 (a bare 早 or 晚 reads as a part of day only right
    after a day, which the pattern checks)."""
    name = g.get("pod")
    lo, hi = dc.rules.parts_of_day[name].hours

    def tod(day):
        return span(period("hour", day.year, day.month, day.day, lo), period("hour", day.year, day.month, day.day, hi))
    return _time_reading(c, dc, tod, name, {})


def session(g, c, dc):
    """早盘, 午盘, 尾盘: the market's session hours (A shares, or Hong Kong and Taiwan in their context)."""
    times = dc.rules.sessions[g.get("session")]
    loc = next((k for k in ("HK", "TW", "CN") if k in times and dc.locale(c.start, k, scope="sentence")), None)
    if loc is None:
        return None  # 美股尾盘: not a market whose hours we know
    hm = [tuple(map(int, t.split(":"))) for t in times[loc]]

    def tod(day):
        ps = [period("minute", day.year, day.month, day.day, h, m) for h, m in hm]
        return ps[0] if len(ps) == 1 else span(ps[0], ps[1])
    return _time_reading(c, dc, tod, None, {})


SHAPES = {
    "hour_range": hour_range,
    "part_of_day_after_day": part_of_day_after_day,
    "fiscal_year": fiscal_year,
    "fiscal_period": lambda g, c, dc: fiscal_year(g, c, dc, months=None),
    "written_date": written_date,
    "year_month_day": year_month_day,
    "numeric_dmy": numeric_dmy,
    "slash_month_day": slash_month_day,
    "day_range": day_range,
    "quarter_range": quarter_range,
    "month_range": month_range,
    "year_range": year_range,
    "year_month": year_month,
    "year": year,
    "year_part": year_part,
    "year_quarter": year_quarter,
    "year_half": year_half,
    "year_first_quarters": year_first_quarters,
    "yearless_year": yearless_year,
    "yearless_month": yearless_month,
    "yearless_month_day": yearless_month_day,
    "yearless_month_range": yearless_month_range,
    "yearless_day_range": yearless_day_range,
    "yearless_quarter": yearless_quarter,
    "yearless_first_quarters": yearless_first_quarters,
    "yearless_first_months": yearless_first_months,
    "yearless_half": yearless_half,
    "yearless_part": yearless_part,
    "same_period": same_period,
    "relative_word": relative_word,
    "relative_month_day": relative_month_day,
    "relative_part": relative_part,
    "within_year": within_year,
    "previous_day": previous_day,
    "day_only": day_only,
    "weekday": weekday,
    "week": week,
    "offset": offset,
    "window": window,
    "decade_century": decade_century,
    "lunar_date": lunar_date,
    "holiday": holiday,
    "season": season,
    "time_of_day": time_of_day,
    "time_range": time_range,
    "part_of_day": part_of_day,
    "session": session,
}


def resolve_date(c: Candidate, dc) -> Reading | None:
    """What a candidate span says, or None when it is not a date after all."""
    return SHAPES[c.rule.resolve](Groups(c, dc), c, dc)
