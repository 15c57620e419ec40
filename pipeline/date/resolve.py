"""Dates, resolve: the value of each span, by the shape its rule declares (`resolve:` in date.yaml).

A span whose year is written resolves to its fields here. A span without a year (8月, 去年四季度, 本月15日,
今天) resolves to a `Pending` date: what it will be once its year, or the reference date, is known;
`pipeline.date.infer` decides that after the spans are chosen.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta

from pipeline.mention import Candidate, Context
from pipeline.numbers import parse_number

Fields = dict


def _int(text: str | None, rules) -> int | None:
    if not text:
        return None
    v = parse_number(text.strip(), rules.rules)
    return int(v) if v is not None and v == int(v) else None


def valid(y: int | None, m: int | None = None, d: int | None = None) -> bool:
    if y is None or not 1900 <= y <= 2099:
        return False
    if m is not None and not 1 <= m <= 12:
        return False
    if d is not None and (m is None or not 1 <= d <= calendar.monthrange(y, m)[1]):
        return False
    return True


def iso(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def shift_months(d: date, months: int) -> date:
    k = d.year * 12 + d.month - 1 + months
    y, m = divmod(k, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _item(value: str, granularity: str, end_value: str | None = None) -> Fields:
    return {"value": value, "end_value": end_value, "granularity": granularity}


class Pending:
    """A date waiting for its year: `build(year)` gives its fields once the year is known.

    `year_rule` says where the year comes from: None (inferred, see `pipeline.date.infer`), an int (an
    offset from the reference date's year: 去年 is -1), "context" (the last year the text spoke of: 同年),
    "context_next" (the year after it: 次年) or "reference" (the reference date decides everything, for
    本月15日 and a day alone; `build` then receives the reference date itself). `quiet`: no warning when it
    stays unresolved (a lone 10日 without a date is usually a duration)."""

    def __init__(self, rule: str, start: int, end: int, build: Callable, month: int | None = None, year_rule=None,
                 quiet: bool = False):
        self.rule, self.start, self.end, self.build, self.month = rule, start, end, build, month
        self.year_rule, self.quiet = year_rule, quiet


class _Groups:
    """The named groups of a match, read as numbers and period words."""

    def __init__(self, c: Candidate, rules):
        self.g = c.match.groupdict()
        self.rules = rules

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

    @property
    def ymd(self) -> tuple[int | None, int | None, int | None]:
        return self.int("year", "y"), self.int("month", "m"), self.int("day", "d")


# ----------------------------------------------------------------------------------------------
# shapes with a written year


def fiscal_year(g: _Groups, c, ctx, rules, *, months: int | None = 12):
    """截至2024年12月31日止年度 (12 months), 截至…止六个月 (`n` months) ending that day."""
    y, mo, d = g.ymd
    if not valid(y, mo, d):
        return None
    last = date(y, mo, d)
    n = months or g.int("n")
    if not n:
        return None
    first = shift_months(last + timedelta(days=1), -n)
    return _item(first.isoformat(), "day", last.isoformat())


def written_date(g: _Groups, c, ctx, rules):
    """A date at the precision written: 2024年, 2024年6月, 2024年6月30日."""
    y, mo, d = g.ymd
    if d is not None:
        return _item(iso(y, mo, d), "day") if valid(y, mo, d) else None
    if mo is not None:
        return _item(iso(y, mo), "month") if valid(y, mo) else None
    return _item(iso(y), "year") if valid(y) else None


def year_month_day(g: _Groups, c, ctx, rules):
    y, mo, d = g.ymd
    return _item(iso(y, mo, d), "day") if valid(y, mo, d) else None


def day_range(g: _Groups, c, ctx, rules):
    """2024年12月28日至2025年1月3日, 2025年6月1日至6月30日, 2025年6月1日-30日."""
    y, mo, d = g.ymd
    y2, mo2, d2 = g.int("year2") or y, g.int("month2") or mo, g.int("day2")
    if not g.int("year2") and g.int("month2") and (mo2, d2 or 0) < (mo, d or 0):
        y2 = y + 1  # 2024年12月28日至1月3日 crosses the new year
    if not (valid(y, mo, d) and valid(y2, mo2, d2)) or date(y2, mo2, d2) <= date(y, mo, d):
        return None
    return _item(iso(y, mo, d), "day", iso(y2, mo2, d2))


def quarter_range(g: _Groups, c, ctx, rules):
    y = g.int("year")
    y2 = g.int("year2") or y
    qa, qb = g.quarter("qa"), g.quarter("qb")
    if not valid(y) or not qa or not qb or (y2, qb) <= (y, qa):
        return None
    return _item(f"{y:04d}-Q{qa}", "quarter", f"{y2:04d}-Q{qb}")


def month_range(g: _Groups, c, ctx, rules):
    y, mo = g.int("year"), g.int("month")
    y2, mo2 = g.int("year2") or y, g.int("month2")
    if not (valid(y, mo) and valid(y2, mo2)):
        return None
    if (y2, mo2) <= (y, mo):
        if g.int("year2") or mo2 == mo:
            return None
        y2 = y + 1  # 2024年12月至2月 crosses the new year
    return _item(iso(y, mo), "month", iso(y2, mo2))


def year_range(g: _Groups, c, ctx, rules):
    y, y2 = g.int("year"), g.int("year2")
    if not (valid(y) and valid(y2)) or y2 <= y:
        return None
    return _item(iso(y), "year", iso(y2))


def year_month(g: _Groups, c, ctx, rules):
    y, mo = g.int("year"), g.int("month")
    return _item(iso(y, mo), "month") if valid(y, mo) else None


def year(g: _Groups, c, ctx, rules):
    y = g.int("year")
    return _item(iso(y), "year") if valid(y) else None


def year_part(g: _Groups, c, ctx, rules):
    """2025年底 -> 2025-12, 2025年初 -> 2025-01."""
    y, part = g.int("year"), g.get("part")
    return _item(iso(y, rules.year_parts[part]), "month") if valid(y) and part else None


def year_quarter(g: _Groups, c, ctx, rules):
    y, q = g.int("year"), g.quarter()
    return _item(f"{y:04d}-Q{q}", "quarter") if valid(y) and q else None


def year_half(g: _Groups, c, ctx, rules):
    y, h = g.int("year"), g.half()
    return _item(f"{y:04d}-H{h}", "half") if valid(y) and h else None


def year_first_quarters(g: _Groups, c, ctx, rules):
    """2025年前三季度 -> 2025-Q1 to 2025-Q3."""
    y, n = g.int("year"), g.int("n")
    if not valid(y) or not n or not 2 <= n <= 4:
        return None
    return _item(f"{y:04d}-Q1", "quarter", f"{y:04d}-Q{n}")


# ----------------------------------------------------------------------------------------------
# shapes without a written year: a Pending date


def _pending(g: _Groups, c: Candidate, rules, build, month: int | None = None):
    if build is None:
        return None
    year_rule = rules.relative_years[g.get("rely")] if g.get("rely") else None
    return Pending(c.rule.id, c.start, c.end, build, month, year_rule)


def yearless_year(g, c, ctx, rules):
    """去年, 今年, 同年."""
    return _pending(g, c, rules, lambda y: _item(iso(y), "year"))


def yearless_month(g, c, ctx, rules):
    """8月, 今年3月, 12月份."""
    mo = g.int("mo")
    if mo is None or not 1 <= mo <= 12:
        return None
    return _pending(g, c, rules, lambda y: _item(iso(y, mo), "month"), mo)


def yearless_month_day(g, c, ctx, rules):
    """12月19日, 去年12月31日."""
    mo, da = g.int("mo"), g.int("da")
    if mo is None or not 1 <= mo <= 12:
        return None
    if da is None:
        return _pending(g, c, rules, lambda y: _item(iso(y, mo), "month"), mo)
    return _pending(g, c, rules, lambda y: _item(iso(y, mo, da), "day") if valid(y, mo, da) else None, mo)


def yearless_month_range(g, c, ctx, rules):
    """1-9月, 今年1至3月."""
    mo, end_mo = g.int("mo"), g.int("mo2") or g.int("mo")
    if mo is None or end_mo is None or not 1 <= mo <= 12 or not 1 <= end_mo <= 12 or end_mo <= mo:
        return None
    return _pending(g, c, rules, lambda y: _item(iso(y, mo), "month", iso(y, end_mo)), end_mo)


def yearless_day_range(g, c, ctx, rules):
    """12月28日至1月3日, 6月1日至30日: the year belongs to the end; a range across new year starts the
    year before."""
    mo, da, da2 = g.int("mo"), g.int("da"), g.int("da2")
    end_mo = g.int("mo2") or mo
    if mo is None or end_mo is None or not 1 <= mo <= 12 or not 1 <= end_mo <= 12 or da is None or da2 is None:
        return None

    def build(y):
        y0 = y - 1 if (end_mo, da2) < (mo, da) else y
        if not (valid(y0, mo, da) and valid(y, end_mo, da2)) or date(y, end_mo, da2) <= date(y0, mo, da):
            return None
        return _item(iso(y0, mo, da), "day", iso(y, end_mo, da2))
    return _pending(g, c, rules, build, end_mo)


def yearless_quarter(g, c, ctx, rules):
    """三季度, 去年四季度, Q3."""
    q = g.quarter()
    if not q:
        return None
    return _pending(g, c, rules, lambda y: _item(f"{y:04d}-Q{q}", "quarter"), (q - 1) * 3 + 2)


def yearless_first_quarters(g, c, ctx, rules):
    """前三季度, 今年前三季度."""
    n = g.int("n")
    if not n or not 2 <= n <= 4:
        return None
    return _pending(g, c, rules, lambda y: _item(f"{y:04d}-Q1", "quarter", f"{y:04d}-Q{n}"))


def yearless_half(g, c, ctx, rules):
    """上半年, 去年下半年, H1."""
    h = g.half()
    if not h:
        return None
    return _pending(g, c, rules, lambda y: _item(f"{y:04d}-H{h}", "half"), 3 if h == 1 else 9)


def yearless_part(g, c, ctx, rules):
    """年底, 今年年初."""
    month = rules.year_parts.get(g.get("part") or "")
    if not month:
        return None
    return _pending(g, c, rules, lambda y: _item(iso(y, month), "month"), month)


# ----------------------------------------------------------------------------------------------
# shapes the reference date decides


def relative_word(g, c, ctx: Context, rules):
    """今天, 昨日, 上周, 本季度: an offset in days, weeks or quarters from the reference date."""
    word = g.get("rel")
    if c.start > 0 and ctx.text[c.start - 1] in rules.relative_not_after:
        return None  # 在…的今天: "nowadays", not a date
    if any(ctx.text.startswith(w, c.end) for w in rules.relative_not_before.get(word, ())):
        return None  # 明日黄花, 今日头条
    offset = rules.relative[word]

    def build(ref: date) -> Fields:
        if "quarters" in offset:
            k = ref.year * 4 + (ref.month - 1) // 3 + offset["quarters"]
            return _item(f"{k // 4:04d}-Q{k % 4 + 1}", "quarter")
        if "weeks" in offset:  # Monday to Sunday of that week
            monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=offset["weeks"])
            return _item(monday.isoformat(), "day", (monday + timedelta(days=6)).isoformat())
        return _item((ref + timedelta(days=offset["days"])).isoformat(), "day")
    return Pending(c.rule.id, c.start, c.end, build, year_rule="reference")


def relative_month_day(g, c, ctx, rules):
    """本月15日, 下月1日, 上个月."""
    offset = rules.relative_months[g.get("relm")]
    day = g.int("da")

    def build(ref: date) -> Fields | None:
        first = shift_months(ref.replace(day=1), offset)
        if day is None:
            return _item(iso(first.year, first.month), "month")
        return _item(iso(first.year, first.month, day), "day") if valid(first.year, first.month, day) else None
    return Pending(c.rule.id, c.start, c.end, build, year_rule="reference")


def day_only(g, c, ctx, rules):
    """台股10日收盘: the day of the month nearest the reference date."""
    day = g.int("da")

    def build(ref: date) -> Fields | None:
        options = []
        for k in (-1, 0, 1):
            first = shift_months(ref.replace(day=1), k)
            if valid(first.year, first.month, day):
                options.append(date(first.year, first.month, day))
        if not options:
            return None
        best = min(options, key=lambda d: abs((d - ref).days))
        return _item(best.isoformat(), "day")
    return Pending(c.rule.id, c.start, c.end, build, year_rule="reference", quiet=True)


SHAPES = {
    "fiscal_year": fiscal_year,
    "fiscal_period": lambda g, c, ctx, rules: fiscal_year(g, c, ctx, rules, months=None),
    "written_date": written_date,
    "year_month_day": year_month_day,
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
    "yearless_half": yearless_half,
    "yearless_part": yearless_part,
    "relative_word": relative_word,
    "relative_month_day": relative_month_day,
    "day_only": day_only,
}


def resolve_date(c: Candidate, ctx: Context, rules) -> Fields | Pending | None:
    """Fields for a date whose year is written, a `Pending` for one without, or None."""
    return SHAPES[c.rule.resolve](_Groups(c, rules), c, ctx, rules)
