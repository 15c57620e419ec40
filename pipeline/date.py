"""Dates and periods as ISO values; years inferred from the article, never from the clock.

A date without its year takes it, in this order (the first that applies wins):
1. an explicit year earlier in the same sentence (二零二零年五月及九月: 九月 is 2020);
2. an explicit year earlier in the same paragraph;
3. the article's reference date (`published`), choosing the year that puts the date nearest to it
   (in a December article, 1月5日 is next January);
4. the nearest explicit year earlier in the article.
Otherwise the date is dropped with a `date_year_unknown` warning. Relative dates (今天, 去年) need the
reference date; without one they are dropped with a `date_unresolved` warning.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import regex

from pipeline.mention import Context, Mention, select_longest, sentence_bounds
from pipeline.normalise import NormText
from pipeline.numbers import parse_number, trim_span
from pipeline.resources import Rules


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


def _quarter(g: dict, rules: Rules) -> int | None:
    for key in ("q", "q2", "q3"):
        if g.get(key):
            return rules.date.quarters.get(g[key])
    return None


def _half(g: dict) -> int | None:
    if g.get("h"):
        return 1 if g["h"] == "上" else 2
    if g.get("h2"):
        return int(g["h2"])
    return None


class _Pending:
    """A year-less date waiting for its year: builds fields once the year is known.

    `year_rule` says where the year comes from: None (inferred, see the module doc), an int (an offset
    from the reference date's year: 去年 is -1), "context" (the explicit year before it: 同年) or
    "context_next" (the year after that: 次年)."""

    def __init__(self, rule: str, start: int, end: int, build, month: int | None, year_rule=None):
        self.rule, self.start, self.end, self.build, self.month = rule, start, end, build, month
        self.year_rule = year_rule


def extract_date(ctx: Context, *, rules: Rules) -> list[Mention]:
    text = ctx.text
    explicit: list[Mention] = []
    pending: list[_Pending] = []
    for pattern in rules.date_patterns:
        for m in pattern.rx.finditer(text):
            start, end = trim_span(text, m.start(), m.end())
            if end <= start or ctx.in_table(start, end):
                continue
            got = resolve_date(m, pattern.id, ctx, start, end, rules=rules)
            if isinstance(got, Mention):
                explicit.append(got)
            elif isinstance(got, _Pending):
                pending.append(got)
    # choose spans first (longest wins), then give year-less dates their year
    candidates: list[Mention] = explicit + [Mention("date", p.rule, p.start, p.end, {"_pending": p})
                                            for p in pending]
    chosen = select_longest(candidates)
    years = [(m.start, int(m.fields["value"][:4])) for m in chosen
             if "_pending" not in m.fields and not m.fields.get("year_inferred")]
    out: list[Mention] = []
    for m in chosen:
        p = m.fields.get("_pending")
        if p is None:
            out.append(m)
            continue
        # 同年 refers back to the last year the text spoke of, relative ones (去年) included
        seen = [(o.start, int(o.fields["value"][:4])) for o in out]
        year = _year_for(p, ctx, years, seen)
        if year is None:
            continue
        fields = p.build(year)
        if fields is not None:
            out.append(Mention("date", p.rule, p.start, p.end, {**fields, "year_inferred": True}))
    return out


def _year_for(p: _Pending, ctx: Context, years: list[tuple[int, int]], seen: list[tuple[int, int]]) -> int | None:
    text = ctx.text
    if p.year_rule is None:
        year = infer_year(ctx, p.start, p.month, years)
        if year is None:
            ctx.warn("date_year_unknown", f"no year for {text[p.start:p.end]!r}", p.start, p.end)
        return year
    if isinstance(p.year_rule, int):
        if ctx.published is None:
            ctx.warn("date_unresolved", f"{text[p.start:p.end]!r} needs the article's date, which is unknown",
                     p.start, p.end)
            return None
        return ctx.published.year + p.year_rule
    before = [y for s, y in seen if s < p.start]
    if not before:
        ctx.warn("date_year_unknown", f"{text[p.start:p.end]!r} refers to a year the text does not give",
                 p.start, p.end)
        return None
    return before[-1] + (1 if p.year_rule == "context_next" else 0)


def infer_year(ctx: Context, pos: int, month: int | None, years: list[tuple[int, int]]) -> int | None:
    text = ctx.text
    before = [(s, y) for s, y in years if s < pos]
    lo, _ = sentence_bounds(text, pos)
    same_sentence = [y for s, y in before if s >= lo]
    if same_sentence:
        return same_sentence[-1]
    para = text.rfind("\n", 0, pos) + 1
    same_para = [y for s, y in before if s >= para]
    if same_para:
        return same_para[-1]
    if ctx.published is not None:
        ref = ctx.published
        if month is None:
            return ref.year
        options = [ref.year - 1, ref.year, ref.year + 1]
        return min(options, key=lambda y: abs((date(y, month, 15) - ref).days))
    if before:
        return before[-1][1]
    return None


def resolve_date(m: regex.Match, rule: str, ctx: Context, start: int, end: int, *, rules: Rules):
    """A `Mention` for a date with its year, a `_Pending` for one without, or None."""
    g = m.groupdict()
    y = _int(g.get("year") or g.get("y"), rules)
    # (the fiscal sibling's month and day come from the lookahead, which names them month/day too)
    mo = _int(g.get("month") or g.get("m"), rules)
    d = _int(g.get("day") or g.get("d"), rules)

    def day_item(granularity="day", **extra):
        return Mention("date", rule, start, end, {"granularity": granularity, "end_value": None,
                                                  "year_inferred": False, **extra})

    if rule in ("date.fiscal_year", "date.fiscal_year_open", "date.fiscal_year_sibling"):
        if not _valid(y, mo, d):
            return None
        last = date(y, mo, d)
        try:
            first = last.replace(year=last.year - 1) + timedelta(days=1)
        except ValueError:  # 29 February
            first = date(last.year - 1, 3, 1)
        return day_item(value=first.isoformat(), end_value=last.isoformat())
    if rule == "date.as_at":
        if d is not None:
            return day_item(value=_iso(y, mo, d)) if _valid(y, mo, d) else None
        if mo is not None:
            return day_item("month", value=_iso(y, mo)) if _valid(y, mo) else None
        return day_item("year", value=_iso(y)) if _valid(y) else None
    if rule in ("date.ymd", "date.iso"):
        return day_item(value=_iso(y, mo, d)) if _valid(y, mo, d) else None
    if rule == "date.ymd_range_day":
        d2 = _int(g.get("day2"), rules)
        if not (_valid(y, mo, d) and _valid(y, mo, d2)) or d2 <= d:
            return None
        return day_item(value=_iso(y, mo, d), end_value=_iso(y, mo, d2))
    if rule == "date.ym_range":
        y2 = _int(g.get("year2"), rules) or y
        mo2 = _int(g.get("month2"), rules)
        if not (_valid(y, mo) and _valid(y2, mo2)) or (y2, mo2) <= (y, mo):
            return None
        return day_item("month", value=_iso(y, mo), end_value=_iso(y2, mo2))
    if rule == "date.y_range":
        y2 = _int(g.get("year2"), rules)
        if not (_valid(y) and _valid(y2)) or y2 <= y:
            return None
        return day_item("year", value=_iso(y), end_value=_iso(y2))
    if rule in ("date.ym",):
        return day_item("month", value=_iso(y, mo)) if _valid(y, mo) else None
    if rule == "date.y":
        return day_item("year", value=_iso(y)) if _valid(y) else None
    if rule == "date.y_part":
        if not _valid(y) or not g.get("part"):
            return None
        return day_item("month", value=_iso(y, rules.date.year_parts[g["part"]]))
    if rule == "date.y_quarter":
        q = _quarter(g, rules)
        return day_item("quarter", value=f"{y:04d}-Q{q}") if _valid(y) and q else None
    if rule == "date.y_half":
        h = _half(g)
        return day_item("half", value=f"{y:04d}-H{h}") if _valid(y) and h else None
    if rule == "date.y_first_quarters":
        n = _int(g.get("n"), rules)
        if not _valid(y) or not n or not 2 <= n <= 4:
            return None
        return day_item("quarter", value=f"{y:04d}-Q1", end_value=f"{y:04d}-Q{n}")

    # a relative year with a period: 今年上半年, 去年四季度, 同年9月
    if g.get("rely"):
        return _relative_year(rule, g, start, end, rules)

    # year-less forms: resolved once the year is known
    if rule == "date.year_middle":
        return _Pending(rule, start, end, lambda year: {"value": _iso(year, 6), "end_value": None,
                                                        "granularity": "month"}, 6)
    if rule == "date.md":
        mo, d = _int(g.get("mo"), rules), _int(g.get("da"), rules)
        if mo is None or d is None or not 1 <= mo <= 12 or not 1 <= d <= 31:
            return None

        def build(year, mo=mo, d=d):
            return ({"value": _iso(year, mo, d), "end_value": None, "granularity": "day"}
                    if _valid(year, mo, d) else None)
        return _Pending(rule, start, end, build, mo)
    if rule == "date.m":
        mo = _int(g.get("mo"), rules)
        if mo is None or not 1 <= mo <= 12:
            return None
        return _Pending(rule, start, end,
                        lambda year, mo=mo: {"value": _iso(year, mo), "end_value": None, "granularity": "month"},
                        mo)
    if rule == "date.quarter":
        q = _quarter(g, rules)
        if not q:
            return None
        return _Pending(rule, start, end,
                        lambda year, q=q: {"value": f"{year:04d}-Q{q}", "end_value": None,
                                           "granularity": "quarter"}, (q - 1) * 3 + 2)
    if rule == "date.first_quarters":
        n = _int(g.get("n"), rules)
        if not n or not 2 <= n <= 4:
            return None
        return _Pending(rule, start, end,
                        lambda year, n=n: {"value": f"{year:04d}-Q1", "end_value": f"{year:04d}-Q{n}",
                                           "granularity": "quarter"}, None)
    if rule == "date.half":
        h = _half(g)
        if not h:
            return None
        return _Pending(rule, start, end,
                        lambda year, h=h: {"value": f"{year:04d}-H{h}", "end_value": None,
                                           "granularity": "half"}, 3 if h == 1 else 9)
    if rule == "date.relative":
        return _relative(g["rel"], ctx, start, end, rule, rules)
    return None


def _relative_year(rule: str, g: dict, start: int, end: int, rules: Rules):
    """今年上半年 and friends: the period is known, the year waits for the reference date or context."""
    year_rule = rules.date.relative_years[g["rely"]]
    if rule == "date.rel_year":
        build = lambda y: {"value": _iso(y), "end_value": None, "granularity": "year"}  # noqa: E731
    elif rule == "date.rel_half":
        h = _half(g)
        build = lambda y: {"value": f"{y:04d}-H{h}", "end_value": None, "granularity": "half"}  # noqa: E731
    elif rule == "date.rel_quarter":
        q = _quarter(g, rules)
        build = lambda y: {"value": f"{y:04d}-Q{q}", "end_value": None, "granularity": "quarter"}  # noqa: E731
    elif rule == "date.rel_first_quarters":
        n = _int(g.get("n"), rules)
        if not n or not 2 <= n <= 4:
            return None
        build = lambda y: {"value": f"{y:04d}-Q1", "end_value": f"{y:04d}-Q{n}",  # noqa: E731
                           "granularity": "quarter"}
    elif rule == "date.rel_part":
        mo = rules.date.year_parts[g["part"]]
        build = lambda y: {"value": _iso(y, mo), "end_value": None, "granularity": "month"}  # noqa: E731
    elif rule in ("date.rel_md", "date.rel_m"):
        mo, d = _int(g.get("mo"), rules), _int(g.get("da"), rules)
        if mo is None or not 1 <= mo <= 12:
            return None

        def build(y, mo=mo, d=d):
            if d is None:
                return {"value": _iso(y, mo), "end_value": None, "granularity": "month"}
            return {"value": _iso(y, mo, d), "end_value": None, "granularity": "day"} if _valid(y, mo, d) else None
    else:
        return None
    return _Pending(rule, start, end, build, None, year_rule=year_rule)


def _relative(word: str, ctx: Context, start: int, end: int, rule: str, rules: Rules):
    if start > 0 and ctx.text[start - 1] in rules.date.relative_not_after:
        return None  # 在…的今天: "nowadays", not a date
    ref = ctx.published
    if ref is None:
        ctx.warn("date_unresolved", f"{word!r} needs the article's date, which is unknown", start, end)
        return None
    offset = rules.date.relative[word]
    end_value = None
    if "months" in offset:
        k = ref.year * 12 + ref.month - 1 + offset["months"]
        value, gran = _iso(k // 12, k % 12 + 1), "month"
    elif "quarters" in offset:
        k = ref.year * 4 + (ref.month - 1) // 3 + offset["quarters"]
        value, gran = f"{k // 4:04d}-Q{k % 4 + 1}", "quarter"
    elif "weeks" in offset:  # Monday to Sunday of that week
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=offset["weeks"])
        value, end_value, gran = monday.isoformat(), (monday + timedelta(days=6)).isoformat(), "day"
    else:
        value, gran = (ref + timedelta(days=offset["days"])).isoformat(), "day"
    return Mention("date", rule, start, end, {"value": value, "end_value": end_value, "granularity": gran,
                                              "year_inferred": True})


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
