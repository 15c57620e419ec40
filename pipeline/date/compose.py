"""Dates, compose: what follows a chosen date joins it, in this order:

1. its part or an ordinal (`suffixes:` in date.yaml): 3月 + 上旬, 一季度 + 末, 2021年 + 的前2周,
   6月 + 第3个星期日 — the span grows, the value is the part;
2. a time of day right after a day: 7月11日 + 晚间, 今天 + 下午3点, 国庆节 + 晚上 — one datetime;
3. a range: two dates joined by 至/到/-/~ (1/27 - 1/31, 上周星期三 到 这周二, 09-01 20:01 至 12-01 18:07); a
   year-less end takes the start's year (去年春节 到 元宵节); 周一至周五 is a weekly schedule, not a date;
4. open and approximate words around it (`open_words`, `approx_after`, `approx_before`): they set `open`,
   `inclusive` and `approx` and stay outside the span, as 超过 stays outside a money span;
5. an as-at date takes the 截至 before it into its span.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import regex

from pipeline.date.periods import Moment, Period, add_months, monday, span
from pipeline.date.resolve import Reading, _count, _int, days_range, month_part, month_period
from pipeline.mention import Mention

_TIME_KINDS = ("time",)
_GAP = frozenset(" \t")
_APPOSITION_OPEN = regex.compile(r"\s?[(（]\s?")
_APPOSITION_CLOSE = regex.compile(r"\s?[)）]")


def reading(m: Mention) -> Reading:
    return m.fields["_reading"]


def _mention(r: Reading) -> Mention:
    return Mention("date", r.rule, r.start, r.end, {"_reading": r})


def compose(dc, chosen: list[Mention]) -> list[Mention]:
    text, rx = dc.text, dc.rules.recurring_rx
    readings = [r for m in chosen if not rx.search(text, max(0, (r := reading(m)).start - 10), r.start)]
    readings = _years(dc, readings)
    readings = _suffixes(dc, readings)
    readings = _times(dc, readings)
    readings = _ranges(dc, readings)
    for r in readings:
        _open_and_approx(dc, r)
        _as_at(dc, r)
    return [_mention(r) for r in readings]


# ----------------------------------------------------------------------------------------------
# 0. a year before a holiday, a lunar date or a season


_YEARLY = ("holiday", "lunar", "season")


def _years(dc, readings: list[Reading]) -> list[Reading]:
    """2024年 + 感恩节, 去年 + 中秋, 明年 + 腊月, 2025年 + 农历八月十五, 今年 + 冬季: one date in that year. A
    season needs a year (冬季 alone is every winter)."""
    text = dc.text
    out: list[Reading] = []
    for r in readings:
        prev = out[-1] if out else None
        if (r.kind in _YEARLY and r.need == "year" and prev is not None and prev.grain == "year"
                and prev.kind == "date" and prev.need in ("none", "reference", "context")
                and text[prev.end:r.start].strip() in ("", "的")):
            out[-1] = _join_year(prev, r)
            continue
        if r.kind == "season" and r.need == "year":
            continue
        out.append(r)
    return out


def _join_year(y: Reading, r: Reading) -> Reading:
    year_of, build = y.build, r.build

    def joined(a):
        p = year_of(a)
        return build(p.start.t.year) if p is not None and p.end is None else None
    extra = {**y.extra, **r.extra}
    if y.need == "none" and "lunar" in extra:
        p = year_of(None)
        if p is not None:
            extra["lunar"] = f"{p.start.t.year:04d}{extra['lunar']}"
    return r.copy(build=joined, need=y.need, rule=f"{y.rule}+{r.rule}", start=y.start, rel=y.rel, extra=extra,
                  cycle=None, level=y.level, kind=r.kind)


# ----------------------------------------------------------------------------------------------
# 1. parts and ordinals


def _applies(kind: str, r: Reading) -> bool:
    if r.kind in _TIME_KINDS or r.extra.get("open"):
        return False
    if kind == "month_part":
        return r.grain == "month"
    if kind == "quarter_part":
        return r.grain == "quarter"
    return r.grain in ("year", "month")


def _suffixes(dc, readings: list[Reading]) -> list[Reading]:
    text = dc.text
    out: list[Reading] = []
    i = 0
    while i < len(readings):
        r = readings[i]
        changed = True
        while changed:
            changed = False
            for sid, kind, rx in dc.rules.suffix_rx:
                if not _applies(kind, r):
                    continue
                m = rx.match(text, r.end)
                if m is None or m.end() <= r.end:
                    continue
                # a later date inside the suffix is part of it (前2周); one that reaches past it blocks it
                j = i + 1
                while j < len(readings) and readings[j].end <= m.end():
                    j += 1
                if j < len(readings) and readings[j].start < m.end():
                    continue
                new = _apply_suffix(dc, r, kind, m, sid)
                if new is None:
                    continue
                del readings[i + 1:j]
                r, changed = new, True
                break
        out.append(r)
        i += 1
    return out


def _wrap(r: Reading, f, grain: str, sid: str, end: int, **extra) -> Reading:
    old = r.build
    new = r.copy(build=lambda a, _old=old: f(_old(a)), grain=grain, rule=f"{r.rule}+{sid}", end=end,
                 extra={**r.extra, **extra})
    return new


def _apply_suffix(dc, r: Reading, kind: str, m, sid: str) -> Reading | None:
    rules = dc.rules
    g = m.groupdict()
    if kind == "month_part":
        word = g["mpart"]
        key = word if word in rules.parts_of_month else word[0]
        lo, hi = rules.parts_of_month[key]
        new = _wrap(r, lambda p: month_part(p, lo, hi), "day", sid, m.end(), _period=True)
        if new.rel is not None:
            new.rel = {**new.rel, "part": {1: "early", 11: "mid", 21: "late"}[lo]}
        return new
    if kind == "quarter_part":
        which = rules.parts_of_quarter[g["qpart"]]

        def qpart(p):
            if p is None or p.end is not None:
                return None
            t = p.start.t
            return month_period(t.year, t.month + (2 if which == "last" else 0))
        return _wrap(r, qpart, "month", sid, m.end())
    return _ordinal(dc, r, g, sid, m.end())


def _ordinal(dc, r: Reading, g: dict, sid: str, end: int) -> Reading | None:
    """第N周 (the N-th week that starts on a Monday inside the period), 第N个月/天/季度, 前N/头N/后N/最后N units,
    第N个星期X, 最后一个星期X."""
    rules = dc.rules
    wd_text = g.get("wd") or g.get("wd2")
    if wd_text:
        wd = rules.weekdays[wd_text]
        n = -1 if g.get("wd2") else _int(g.get("nth"), rules)
        if not n or r.grain != "month":
            return None

        def nth_weekday(p):
            if p is None or p.end is not None:
                return None
            t = p.start.t
            from pipeline.date.calendars import nth_weekday as nth
            d = nth(t.year, t.month, wd, n)
            return days_range(d, d) if d else None
        return _wrap(r, nth_weekday, "day", sid, end)
    unit = g.get("ounit") or g.get("ounit2")
    unit = {"星期": "周", "礼拜": "周", "日": "天"}.get(unit, unit)
    if g.get("nth2"):
        n, first, count = _int(g["nth2"], rules), True, 1
    else:
        n = _count(g.get("cnt"), rules)
        first, count = g.get("fl") in ("前", "头"), None
    if not n or n != int(n) or n < 1:
        return None
    n = int(n)
    count = count or n
    if r.grain == "month" and unit in ("月", "季度"):
        return None

    def pick(p):
        if p is None or p.end is not None:
            return None
        a, b = p.start.t.date(), p.start.after().date() - timedelta(days=1)
        if unit == "周":
            w0 = monday(a) if a.weekday() == 0 else monday(a) + timedelta(days=7)  # weeks that start inside
            weeks = []
            w = w0
            while w <= b:
                weeks.append(w)
                w += timedelta(days=7)
            if g.get("nth2"):
                chosen = weeks[n - 1:n]
            else:
                chosen = weeks[:n] if first else weeks[-n:]
            if len(chosen) != count:
                return None
            return span(Period(_week(chosen[0])), Period(_week(chosen[-1])))
        if unit == "天":
            days = (b - a).days + 1
            if n > days:
                return None
            if g.get("nth2"):
                return days_range(a + timedelta(days=n - 1), a + timedelta(days=n - 1))
            return days_range(a, a + timedelta(days=n - 1)) if first else days_range(b - timedelta(days=n - 1), b)
        step = 3 if unit == "季度" else 1
        total = 12 // step
        if n > total:
            return None
        if g.get("nth2"):
            k0 = n - 1
        else:
            k0 = 0 if first else total - n
        k1 = k0 + count - 1
        m0, m1 = add_months(a, k0 * step), add_months(a, k1 * step)
        grain = "quarter" if step == 3 else "month"
        pa = Period(Moment(_dt(m0), grain))
        pb = Period(Moment(_dt(m1), grain))
        return span(pa, pb)
    grain = {"周": "week", "天": "day", "月": "month", "季度": "quarter"}[unit]
    return _wrap(r, pick, grain, sid, end)


def _week(d: date) -> Moment:
    return Moment(datetime(d.year, d.month, d.day), "week")


def _dt(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


# ----------------------------------------------------------------------------------------------
# 2. a time of day after a day


def _times(dc, readings: list[Reading]) -> list[Reading]:
    text = dc.text
    out: list[Reading] = []
    after = -1  # where the last day's text ends, past a weekday in brackets after it
    for r in readings:
        prev = out[-1] if out else None
        if (prev is not None and r.kind == "previous" and r.rel and r.rel.get("offset") == 0
                and set(text[prev.end:r.start]) <= _GAP):
            continue  # 双十一当天, 4月当月: the date just named
        if prev is not None and prev.grain == "day" and prev.kind not in _TIME_KINDS:
            if r.kind == "weekday_bare" and _APPOSITION_OPEN.fullmatch(text, prev.end, r.start):
                close = _APPOSITION_CLOSE.match(text, r.end)
                if close is not None:
                    after = close.end()  # 二零二五年五月二十八日(星期三): the weekday of that day
                    continue
            gap = text[max(prev.end, after):r.start] if after >= prev.end else text[prev.end:r.start]
            if (set(gap) <= _GAP or gap == "的") and len(gap) <= 1:  # 明天的下午3点, 六天后的3时1刻
                if r.kind == "time":
                    out[-1] = _join_time(prev, r)
                    continue
        after = -1
        out.append(r)
    return out


def _join_time(day: Reading, t: Reading) -> Reading:
    build, tod = day.build, t.tod

    def joined(a):
        p = build(a)
        if p is None or p.end is not None or p.grain != "day":
            return None
        return tod(p.start.t.date())
    return day.copy(build=joined, grain="time", rule=f"{day.rule}+{t.rule}", end=t.end, kind="datetime",
                    extra={**day.extra, **t.extra})


# ----------------------------------------------------------------------------------------------
# 3. ranges


def _ranges(dc, readings: list[Reading]) -> list[Reading]:
    text = dc.text
    out: list[Reading] = []
    i = 0
    while i < len(readings):
        a = readings[i]
        if i + 1 < len(readings):
            b = readings[i + 1]
            m = dc.rules.joiner_rx.fullmatch(text, a.end, b.start)
            if m is not None:
                if a.kind == "weekday_bare" and b.kind == "weekday_bare":
                    i += 2  # 周一至周五: a weekly schedule
                    continue
                joined = _join_range(a, b)
                if joined is not None:
                    out.append(joined)
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def _join_range(a: Reading, b: Reading) -> Reading | None:
    if a.extra.get("open") or b.extra.get("open") or (a.kind in _TIME_KINDS) != (b.kind in _TIME_KINDS):
        return None
    if a.need in ("context", "previous", "focus") or b.need in ("context", "previous", "focus"):
        return None
    if b.need not in ("none", a.need, "year") and not (a.need == "none" and b.need == "reference"):
        return None
    ba, bb = a.build, b.build
    need = "reference" if b.need == "reference" else a.need

    def second(pa: Period, arg):
        if b.need == "none":
            return bb(None)
        if b.need == a.need and b.need != "year":
            return bb(arg)
        if b.need == "reference":
            return bb(arg)
        y = pa.start.t.year if a.need != "year" else arg
        pb = bb(y)
        if pb is None or pb.bounds()[1] <= pa.bounds()[0]:
            pb = bb(y + 1)
        return pb

    def build(arg):
        pa = ba(None if a.need == "none" else arg)
        if pa is None:
            return None
        pb = second(pa, arg)
        if pb is None or pb.bounds()[1] <= pa.bounds()[0] or pb == pa:
            return None
        return Period(pa.start, (pb.end or pb.start))
    extra = {k: v for k, v in a.extra.items() if k not in ("approx",)}
    return a.copy(build=build, need=need, rule=f"{a.rule}+{b.rule}", end=b.end, extra=extra,
                  cycle=a.cycle if need == a.need else None)


# ----------------------------------------------------------------------------------------------
# 4. open and approximate words, 5. as at


def _open_and_approx(dc, r: Reading) -> None:
    text, rules = dc.text, dc.rules
    for word in rules.approx_before:
        if text[max(0, r.start - len(word)):r.start] == word:
            r.extra["approx"] = True
            break
    pos = r.end
    while pos < len(text):
        m = rules.approx_after_rx.match(text, pos)
        if m is not None:
            r.extra["approx"] = True
            break
        m = rules.open_rx.match(text, pos)
        if m is None or r.extra.get("open") and r.extra.get("_open_from_text") is None:
            break
        word = m.group()
        if len(word) == 1 and rules.open_stop_rx.match(text, m.end()):
            break  # 2024年前十大股东, 2025年后续, 2021年起诉
        spec = rules.open_words[word]
        r.extra["open"], r.extra["inclusive"], r.extra["_open_from_text"] = spec.open, spec.inclusive, True
        pos = m.end()


def _as_at(dc, r: Reading) -> None:
    """截至2024年底, 截至2025年上半年: an as-at date keeps 截至 in its span."""
    text = dc.text
    s = r.start
    while s > 0 and text[s - 1] == " ":
        s -= 1
    for word in dc.rules.as_at_words:
        n = len(word)
        if s >= n and text[s - n:s] == word and not text[r.start:r.end].startswith(word):
            r.start = s - n
            return
