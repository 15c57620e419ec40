"""Dates and periods as ISO values; years inferred from the article, never from the clock.

A date without its year takes it, in this order (the first that applies wins):
1. an explicit year earlier in the same sentence (二零二零年五月及九月: 九月 is 2020);
2. an explicit year earlier in the same paragraph;
3. the article's reference date (`published`), choosing the year that puts the date nearest to it
   (in a December article, 1月5日 is next January);
4. the nearest explicit year earlier in the article.
Otherwise the date is dropped with a `date_year_unknown` warning. Relative dates (今天, 去年, 上周, 本月15日)
need the reference date; without one they are dropped with a `date_unresolved` warning. 同年/当年 take the
last year the text spoke of. A day alone (台股10日收盘) is read only with a reference date, as the nearest
such day. An "as at" date keeps a 截至 before it in its span, at every granularity.
"""

from __future__ import annotations

import bisect
import calendar
from collections.abc import Callable
from datetime import date, timedelta

import regex

from pipeline.mention import Context, Mention, select_longest, sentence_bounds
from pipeline.normalise import NormText
from pipeline.numbers import parse_number, trim_span
from pipeline.resources import Rules

Fields = dict


def _int(text: str | None, rules: Rules) -> int | None:
    if not text:
        return None
    v = parse_number(text.strip(), rules)
    return int(v) if v is not None and v == int(v) else None


def _valid(y: int | None, m: int | None = None, d: int | None = None) -> bool:
    if y is None or not 1900 <= y <= 2099:
        return False
    if m is not None and not 1 <= m <= 12:
        return False
    if d is not None and (m is None or not 1 <= d <= calendar.monthrange(y, m)[1]):
        return False
    return True


def _iso(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _shift_months(d: date, months: int) -> date:
    k = d.year * 12 + d.month - 1 + months
    y, m = divmod(k, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _quarter(g: dict, rules: Rules, *keys: str) -> int | None:
    for key in keys or ("q", "q2", "q3"):
        if g.get(key):
            return rules.date.quarters.get(g[key])
    return None


def _half(g: dict) -> int | None:
    if g.get("h"):
        return 1 if g["h"] == "上" else 2
    if g.get("h2"):
        return int(g["h2"])
    return None


def _item(value: str, granularity: str, end_value: str | None = None) -> Fields:
    return {"value": value, "end_value": end_value, "granularity": granularity}


class _Pending:
    """A date waiting for its year: `build(year)` gives its fields once the year is known.

    `year_rule` says where the year comes from: None (inferred, see the module doc), an int (an offset
    from the reference date's year: 去年 is -1), "context" (the last year the text spoke of: 同年),
    "context_next" (the year after it: 次年) or "reference" (the reference date decides everything, for
    本月15日 and a day alone; `build` then receives the reference date itself)."""

    def __init__(self, rule: str, start: int, end: int, build: Callable, month: int | None = None, year_rule=None):
        self.rule, self.start, self.end, self.build, self.month = rule, start, end, build, month
        self.year_rule = year_rule


# ----------------------------------------------------------------------------------------------


def extract_date(ctx: Context, *, rules: Rules) -> list[Mention]:
    text = ctx.text
    candidates: list[Mention] = []
    for pattern in rules.date_patterns:
        for m in ctx.finditer(pattern.rx):
            start, end = trim_span(text, m.start(), m.end())
            if end <= start or ctx.in_table(start, end):
                continue
            got = resolve_date(m, pattern.id, ctx, start, end, rules=rules)
            if isinstance(got, _Pending):
                candidates.append(Mention("date", got.rule, got.start, got.end, {"_pending": got}))
            elif got is not None:
                candidates.append(Mention("date", pattern.id, start, end, {**got, "year_inferred": False}))
    # spans first (longest wins), then give year-less dates their year, in reading order
    chosen = select_longest(candidates)
    explicit = [(m.start, int(m.fields["value"][:4])) for m in chosen if "_pending" not in m.fields]
    out: list[Mention] = []
    seen: list[tuple[int, int]] = []  # (start, year) of every date resolved so far, in reading order
    for m in chosen:
        p = m.fields.get("_pending")
        if p is not None:
            fields = _resolve_pending(p, ctx, explicit, seen)
            if fields is None:
                continue
            m = Mention("date", p.rule, p.start, p.end, {**fields, "year_inferred": True})
        out.append(_with_as_at(m, text))
        seen.append((m.start, int(m.fields["value"][:4])))
    return out


def _with_as_at(m: Mention, text: str) -> Mention:
    """截至2024年底, 截至2025年上半年: an as-at date keeps 截至 in its span."""
    s = m.start
    while s > 0 and text[s - 1] == " ":
        s -= 1
    if s >= 2 and text[s - 2:s] == "截至" and not text[m.start:m.end].startswith("截至"):
        return Mention(m.family, m.rule, s - 2, m.end, m.fields)
    return m


def _resolve_pending(p: _Pending, ctx: Context, explicit, seen) -> Fields | None:
    text = ctx.text
    if p.year_rule == "reference":
        if ctx.published is None:
            if p.rule != "date.day_only":  # a lone 10日 without a date is usually a duration: no warning
                ctx.warn("date_unresolved", f"{text[p.start:p.end]!r} needs the article's date, which is unknown",
                         p.start, p.end)
            return None
        return p.build(ctx.published)
    if p.year_rule is None:
        year = infer_year(ctx, p.start, p.month, explicit)
        if year is None:
            ctx.warn("date_year_unknown", f"no year for {text[p.start:p.end]!r}", p.start, p.end)
            return None
    elif isinstance(p.year_rule, int):
        if ctx.published is None:
            ctx.warn("date_unresolved", f"{text[p.start:p.end]!r} needs the article's date, which is unknown",
                     p.start, p.end)
            return None
        year = ctx.published.year + p.year_rule
    else:
        if not seen:  # `seen` holds only dates before this one: they are resolved in reading order
            ctx.warn("date_year_unknown", f"{text[p.start:p.end]!r} refers to a year the text does not give",
                     p.start, p.end)
            return None
        year = seen[-1][1] + (1 if p.year_rule == "context_next" else 0)
    return p.build(year)


def infer_year(ctx: Context, pos: int, month: int | None, years: list[tuple[int, int]]) -> int | None:
    """`years`: (start, year) of the explicit dates, in reading order."""
    text = ctx.text
    k = bisect.bisect_left(years, (pos, -1))  # years[:k] start before pos
    last = years[k - 1] if k else None
    lo, _ = sentence_bounds(text, pos)
    if last and last[0] >= lo:
        return last[1]
    para = text.rfind("\n", 0, pos) + 1
    if last and last[0] >= para:
        return last[1]
    if ctx.published is not None:
        ref = ctx.published
        if month is None:
            return ref.year
        options = [ref.year - 1, ref.year, ref.year + 1]
        return min(options, key=lambda y: abs((date(y, month, 15) - ref).days))
    if last:
        return last[1]
    return None


# ----------------------------------------------------------------------------------------------


def resolve_date(m: regex.Match, rule: str, ctx: Context, start: int, end: int, *, rules: Rules):
    """Fields for a date whose year is written, a `_Pending` for one without, or None."""
    g = m.groupdict()
    i = lambda key: _int(g.get(key), rules)  # noqa: E731
    y, mo, d = i("year") or i("y"), i("month") or i("m"), i("day") or i("d")

    if rule in ("date.fiscal_year", "date.fiscal_year_open", "date.fiscal_year_sibling", "date.fiscal_period"):
        if not _valid(y, mo, d):
            return None
        last = date(y, mo, d)
        months = 12 if rule != "date.fiscal_period" else i("n")
        first = _shift_months(last + timedelta(days=1), -months)
        return _item(first.isoformat(), "day", last.isoformat())
    if rule == "date.as_at":
        if d is not None:
            return _item(_iso(y, mo, d), "day") if _valid(y, mo, d) else None
        if mo is not None:
            return _item(_iso(y, mo), "month") if _valid(y, mo) else None
        return _item(_iso(y), "year") if _valid(y) else None
    if rule in ("date.ymd", "date.iso"):
        return _item(_iso(y, mo, d), "day") if _valid(y, mo, d) else None
    if rule in ("date.ymd_range_ymd", "date.ymd_range_md", "date.ymd_range_day"):
        y2 = i("year2") or y
        mo2 = i("month2") or mo
        d2 = i("day2")
        if rule == "date.ymd_range_md" and (mo2, d2 or 0) < (mo, d or 0):
            y2 = y + 1  # 2024年12月28日至1月3日 crosses the new year
        if not (_valid(y, mo, d) and _valid(y2, mo2, d2)) or date(y2, mo2, d2) <= date(y, mo, d):
            return None
        return _item(_iso(y, mo, d), "day", _iso(y2, mo2, d2))
    if rule == "date.yq_range":
        y2 = i("year2") or y
        qa, qb = _quarter(g, rules, "qa"), _quarter(g, rules, "qb")
        if not _valid(y) or not qa or not qb or (y2, qb) <= (y, qa):
            return None
        return _item(f"{y:04d}-Q{qa}", "quarter", f"{y2:04d}-Q{qb}")
    if rule == "date.ym_range":
        y2 = i("year2") or y
        mo2 = i("month2")
        if not (_valid(y, mo) and _valid(y2, mo2)):
            return None
        if (y2, mo2) <= (y, mo):
            if i("year2") or mo2 == mo:
                return None
            y2 = y + 1  # 2024年12月至2月 crosses the new year
        return _item(_iso(y, mo), "month", _iso(y2, mo2))
    if rule == "date.y_range":
        y2 = i("year2")
        if not (_valid(y) and _valid(y2)) or y2 <= y:
            return None
        return _item(_iso(y), "year", _iso(y2))
    if rule == "date.ym":
        return _item(_iso(y, mo), "month") if _valid(y, mo) else None
    if rule == "date.y":
        return _item(_iso(y), "year") if _valid(y) else None
    if rule == "date.y_part":
        return _item(_iso(y, rules.date.year_parts[g["part"]]), "month") if _valid(y) and g.get("part") else None
    if rule == "date.y_quarter":
        q = _quarter(g, rules)
        return _item(f"{y:04d}-Q{q}", "quarter") if _valid(y) and q else None
    if rule == "date.y_half":
        h = _half(g)
        return _item(f"{y:04d}-H{h}", "half") if _valid(y) and h else None
    if rule == "date.y_first_quarters":
        n = i("n")
        if not _valid(y) or not n or not 2 <= n <= 4:
            return None
        return _item(f"{y:04d}-Q1", "quarter", f"{y:04d}-Q{n}")
    if rule == "date.relative":
        return _relative(g["rel"], ctx, start, end, rule, rules)
    if rule == "date.rel_month_day":
        return _relative_month_day(g, start, end, rule, rules)
    if rule == "date.day_only":
        return _day_only(g, start, end, rule, rules)

    # the rest: a period whose year is not written
    build, month = _yearless(rule, g, rules)
    if build is None:
        return None
    year_rule = rules.date.relative_years[g["rely"]] if g.get("rely") else None
    return _Pending(rule, start, end, build, month, year_rule)


def _yearless(rule: str, g: dict, rules: Rules):
    """(build(year) -> fields, month used to pick the nearest year) for a period without a written year."""
    i = lambda key: _int(g.get(key), rules)  # noqa: E731
    mo, da, mo2, da2 = i("mo"), i("da"), i("mo2"), i("da2")
    kind = rule.removeprefix("date.").removeprefix("rel_")
    if kind == "year":
        return (lambda y: _item(_iso(y), "year")), None
    if kind in ("md", "m"):
        if mo is None or not 1 <= mo <= 12:
            return None, None
        if kind == "m" or da is None:
            return (lambda y: _item(_iso(y, mo), "month")), mo
        return (lambda y: _item(_iso(y, mo, da), "day") if _valid(y, mo, da) else None), mo
    if kind in ("m_range", "md_range_md", "md_range_day"):
        end_mo = mo2 or mo
        if mo is None or end_mo is None or not 1 <= mo <= 12 or not 1 <= end_mo <= 12:
            return None, None
        if kind == "m_range":
            if end_mo <= mo:
                return None, None
            return (lambda y: _item(_iso(y, mo), "month", _iso(y, end_mo))), end_mo
        if da is None or da2 is None:
            return None, None

        def build(y):  # the year belongs to the end; a range across new year starts the year before
            y0 = y - 1 if (end_mo, da2) < (mo, da) else y
            if not (_valid(y0, mo, da) and _valid(y, end_mo, da2)) or date(y, end_mo, da2) <= date(y0, mo, da):
                return None
            return _item(_iso(y0, mo, da), "day", _iso(y, end_mo, da2))
        return build, end_mo
    if kind == "quarter":
        q = _quarter(g, rules)
        return ((lambda y: _item(f"{y:04d}-Q{q}", "quarter")), (q - 1) * 3 + 2) if q else (None, None)
    if kind == "first_quarters":
        n = i("n")
        if not n or not 2 <= n <= 4:
            return None, None
        return (lambda y: _item(f"{y:04d}-Q1", "quarter", f"{y:04d}-Q{n}")), None
    if kind == "half":
        h = _half(g)
        return ((lambda y: _item(f"{y:04d}-H{h}", "half")), 3 if h == 1 else 9) if h else (None, None)
    if kind in ("part", "year_part"):
        month = rules.date.year_parts.get(g.get("part") or "")
        return ((lambda y: _item(_iso(y, month), "month")), month) if month else (None, None)
    return None, None


def _relative(word: str, ctx: Context, start: int, end: int, rule: str, rules: Rules):
    if start > 0 and ctx.text[start - 1] in rules.date.relative_not_after:
        return None  # 在…的今天: "nowadays", not a date
    if any(ctx.text.startswith(w, end) for w in rules.date.relative_not_before.get(word, ())):
        return None  # 明日黄花, 今日头条
    offset = rules.date.relative[word]

    def build(ref: date) -> Fields:
        if "quarters" in offset:
            k = ref.year * 4 + (ref.month - 1) // 3 + offset["quarters"]
            return _item(f"{k // 4:04d}-Q{k % 4 + 1}", "quarter")
        if "weeks" in offset:  # Monday to Sunday of that week
            monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=offset["weeks"])
            return _item(monday.isoformat(), "day", (monday + timedelta(days=6)).isoformat())
        return _item((ref + timedelta(days=offset["days"])).isoformat(), "day")
    return _Pending(rule, start, end, build, year_rule="reference")


def _relative_month_day(g: dict, start: int, end: int, rule: str, rules: Rules):
    """本月15日, 下月1日, 上个月20日."""
    offset = rules.date.relative_months[g["relm"]]
    day = _int(g.get("da"), rules)

    def build(ref: date) -> Fields | None:
        first = _shift_months(ref.replace(day=1), offset)
        if day is None:
            return _item(_iso(first.year, first.month), "month")
        return _item(_iso(first.year, first.month, day), "day") if _valid(first.year, first.month, day) else None
    return _Pending(rule, start, end, build, year_rule="reference")


def _day_only(g: dict, start: int, end: int, rule: str, rules: Rules):
    """台股10日收盘: the day of the month nearest the reference date."""
    day = _int(g.get("da"), rules)

    def build(ref: date) -> Fields | None:
        options = []
        for k in (-1, 0, 1):
            first = _shift_months(ref.replace(day=1), k)
            if _valid(first.year, first.month, day):
                options.append(date(first.year, first.month, day))
        if not options:
            return None
        best = min(options, key=lambda d: abs((d - ref).days))
        return _item(best.isoformat(), "day")
    return _Pending(rule, start, end, build, year_rule="reference")


# ----------------------------------------------------------------------------------------------
# the article's own date


def find_published(norm: NormText, *, rules: Rules) -> tuple[date | None, str | None]:
    """The reference date stated by the article: front matter `date:`, then a sign-off line
    (香港，二零二五年三月十九日) in the last lines, then a dateline alone on one of the first lines."""
    meta_date = norm.metadata.get("date")
    if isinstance(meta_date, str):
        mm = regex.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", meta_date)
        if mm and _valid(int(mm[1]), int(mm[2]), int(mm[3])):
            return date(int(mm[1]), int(mm[2]), int(mm[3])), "front_matter"
    lines = [ln.strip() for ln in norm.text[norm.body_start:].split("\n") if ln.strip()]
    places = "|".join(regex.escape(p) for p in rules.date.places_for_sign_off)
    p = rules.date_pieces
    ymd = (f"(?P<y>{p['year']})\\s?年\\s?(?P<m>{p['month']})\\s?月\\s?(?P<d>{p['day']})\\s?[日号]"
           f"|(?P<y>(?:19|20)\\d{{2}})[-/.](?P<m>\\d{{1,2}})[-/.](?P<d>\\d{{1,2}})")
    line_rx = regex.compile(f"^(?:(?:{places})\\s?[,，、]?\\s?)?(?:{ymd})\\s?(?:电)?$", regex.V1)
    # the last lines, but never the opening ones: in a short article they are a dateline, not a sign-off
    head, tail = lines[:5], lines[max(min(5, len(lines) // 2), len(lines) - 12):]
    for source, candidates in (("sign_off", reversed(tail)), ("dateline", head)):
        for line in candidates:
            mm = line_rx.match(line)
            if mm:
                y, mo, d = (_int(mm.group(k), rules) for k in ("y", "m", "d"))
                if _valid(y, mo, d):
                    return date(y, mo, d), source
    return None, None
