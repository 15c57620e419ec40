"""Dates, infer: the year of every date that does not write one, and the value of every relative date — from
the text and the article's reference date (`published`), never from the clock.

Dates are finished in reading order, after the spans are chosen and composed. A date without its year
(12月19日, 一季度, 国庆, 农历八月十五) takes it from the first of these that applies (`year_from` names it):

1. `sentence`: an explicit year earlier in the same sentence (二零二零年五月及九月: 九月 is 2020);
2. `paragraph`: an explicit year earlier in the same paragraph;
3. `reference` / `tense`: the reference date. The instances in the reference year and the years either side
   are the candidates. A tense cue in the date's clause (`tense:` in date.yaml) picks the latest instance that
   has begun by the reference date (past: 上半年亏损, 较年初, 3月营收同比增长) or the earliest that has not
   ended (forward: 计划3月投产, 将于11月); without a cue a holiday is the one in the reference year and any other
   date the instance nearest the reference (in a December article, 1月5日 is next January);
4. `text_anchor`: with no reference date, the nearest explicit full date (year, month and day written; in the
   same sentence, else the same paragraph, else anywhere; the earlier one at equal distance) stands in for it,
   with the same tense rule: 12月19日 … 认购期将持续至2026年1月5日 is 2025-12-19;
5. otherwise a partial value (--08-19, --Q1), or none at all for a lunar or moveable date.

同年/当年/这一年 take the last year the text spoke of (`context`); 次日/翌日/当晚 count from the last date it
spoke of in the paragraph (`previous`), and so does N天后 right after a date in the same sentence (公司于3月10日
披露，两天后…). Relative dates (今天, 上周五, 两年前, 下午3点) are resolved from the reference date, and
without one keep their `relative` object and a partial value where part of it is absolute (本月15日 →
---15, 去年3月 → --03, 今晚8点 → T20). A bare weekday is the one in the reference's week, moved a week by a
tense cue (将于周一 on a Wednesday: next Monday). A month-day that does not exist in the chosen year
(2月29日) takes the nearest year in which it does. An "as at" date keeps 截至 in its span.
"""

from __future__ import annotations

import bisect
from datetime import date, datetime, timedelta

from pipeline.date.periods import Period, strip
from pipeline.date.resolve import Reading
from pipeline.mention import Mention

_FINE = ("day", "hour", "minute", "second")
_DUMMY_YEARS = (2023, 2024, 2025)  # a non-leap year, a leap year, and one more: what does not change is known
_DUMMY_DAYS = (date(2023, 2, 15), date(2024, 4, 15), date(2025, 1, 15))


def finish_dates(dc, mentions: list[Mention]) -> list[Mention]:
    """The record fields of every chosen date, in reading order."""
    readings: list[Reading] = [m.fields["_reading"] for m in mentions]
    written: dict[int, Period | None] = {id(r): r.build(None) for r in readings if r.need == "none"}
    # (start, year, the day when a full date was written)
    explicit = sorted((r.start, p.start.t.year, p.first_day() if p.end is None and p.grain in _FINE else None)
                      for r in readings if r.need == "none" and (p := written[id(r)]) is not None
                      and not r.extra.get("_inferred"))
    anchors = sorted((r.start, p.first_day()) for r in readings if r.need == "none"
                     and (p := written[id(r)]) is not None and p.end is None and p.grain in _FINE)
    state = _State(explicit, anchors)
    out: list[Mention] = []
    for r in readings:
        fields, p = _finish(dc, r, written.get(id(r)), state)
        if fields is None:
            continue
        out.append(Mention("date", r.rule, r.start, r.end, fields))
        if p is not None:
            state.saw(r.start, p)
    return out


class _State:
    def __init__(self, explicit, anchors):
        self.explicit, self.anchors = explicit, anchors
        self.years: list[tuple[int, int]] = []  # (start, year) of every date finished so far
        self.days: list[tuple[int, date]] = []  # (start, day) of those at a day or finer
        self.periods: list[tuple[int, Period]] = []

    def saw(self, start: int, p: Period) -> None:
        self.years.append((start, p.start.t.year))
        self.periods.append((start, p))
        if p.grain in _FINE:
            self.days.append((start, p.start.t.date()))


def _finish(dc, r: Reading, written: Period | None, state: _State) -> tuple[dict | None, Period | None]:
    ref = dc.published
    p: Period | None = None
    year_from = None
    if r.need == "none":
        p = written
        if p is None:
            return None, None
        if r.extra.get("_inferred"):
            year_from = "reference"
    elif r.need == "year":
        p, year_from = _year_of(dc, r, state)
    elif r.need == "reference":
        p, year_from = _on_reference(dc, r, state)
    elif r.need == "context":
        if state.years:
            p, year_from = r.build(state.years[-1][1]), "context"
        elif ref is not None and r.extra.get("_or_reference"):
            p, year_from = r.build(ref.year), "reference"  # 这一年 with no year before it: the reference year
    elif r.need == "previous":
        lo, _ = dc.paragraph(r.start)
        prev = [d for s, d in state.days if s >= lo]
        if prev:
            p, year_from = r.build(prev[-1]), "previous"
        elif ref is not None:
            p, year_from = r.build(ref), "reference"
    elif r.need == "focus":
        lo, _ = dc.sentence(r.start)
        focus = [q for s, q in state.periods if s >= lo and q.grain in ("month", "quarter", "half", "day")]
        if focus:
            p, year_from = r.build(focus[-1]), "context"
        elif ref is not None:
            p, year_from = r.extra["_fallback_reference"](ref), "reference"
    fields = {k: v for k, v in r.extra.items() if not k.startswith("_")}
    if fields.get("inclusive") == "by_unit":
        # 前 after a period is "by" (2030年前, 年底前, 6月底前: inclusive); after a day or a time, "before"
        fields["inclusive"] = (p.end is not None or p.grain not in _FINE) if p is not None else (
            r.grain not in _FINE + ("time",) or bool(r.extra.get("_period")))
    if r.rel is not None:
        fields["relative"] = r.rel
    if p is not None:
        fields.update(p.fields())
        fields["year_inferred"] = r.need != "none" or bool(r.extra.get("_inferred"))
        fields["year_from"] = year_from
        return fields, p
    partial = _partial(r)
    if partial is not None:
        fields.update(partial)
    elif r.rel is None and "holiday" not in fields and "calendar" not in fields:
        dc.ctx.warn("date_unresolved", f"{dc.text[r.start:r.end]!r} needs a date the text does not give",
                    r.start, r.end)
        return None, None
    else:
        fields.update(value=None, end_value=None, granularity=_grain_of(r))
    fields["year_inferred"] = False
    if r.need in ("reference", "previous", "focus") and ref is None:
        dc.ctx.warn("date_unresolved", f"{dc.text[r.start:r.end]!r} needs the article's date, which is unknown",
                    r.start, r.end)
    elif r.need in ("year", "context"):
        dc.ctx.warn("date_year_unknown", f"no year for {dc.text[r.start:r.end]!r}", r.start, r.end)
    return fields, None


# ----------------------------------------------------------------------------------------------
# the year of a year-less date


def _year_of(dc, r: Reading, state: _State) -> tuple[Period | None, str | None]:
    k = bisect.bisect_left(state.explicit, (r.start, -1))
    last = state.explicit[k - 1] if k else None
    cue = dc.cue(r.start, r.end)
    if last is not None:
        lo, _ = dc.sentence(r.start)
        plo, _ = dc.paragraph(r.start)
        for bound, how in ((lo, "sentence"), (plo, "paragraph")):
            if last[0] >= bound:
                if last[2] is not None:  # a full date: the instance nearest it (12月30日 after 2026年1月15日)
                    p, _ = choose(r, last[2], cue)
                else:  # a year, a month, a period: its year (二零二零年五月及九月)
                    p = r.build(last[1])
                if p is not None:
                    return p, how
                break
    if dc.published is not None:
        return choose(r, dc.published, cue)
    anchor = _anchor(dc, r, state.anchors)
    if anchor is not None:
        p, _ = choose(r, anchor, cue)
        return p, "text_anchor" if p is not None else None
    return None, None


def _anchor(dc, r: Reading, anchors: list[tuple[int, date]]) -> date | None:
    """The nearest explicit full date: in the same sentence, else paragraph, else article; in each, the nearest
    one before the date, else the nearest after it (the narrative before a date sets its time)."""
    if not anchors:
        return None
    for lo, hi in (dc.sentence(r.start), dc.paragraph(r.start), (0, len(dc.text))):
        before = [(r.start - s, d) for s, d in anchors if lo <= s < r.start]
        after = [(s - r.start, d) for s, d in anchors if r.start < s <= hi]
        if before or after:
            return min(before or after)[1]
    return None


def choose(r: Reading, ref: date, cue: str | None) -> tuple[Period | None, str | None]:
    """The instance of a yearly (or weekly) date the reference date `ref` means: with a cue, the latest begun
    (past) or the earliest not ended (forward); without one the reference's own (`default: same`) or the
    nearest."""
    if r.cycle == "week":
        def make(k):
            return r.build(ref + timedelta(days=7 * k))
    else:
        def make(k):
            return r.build(ref.year + k)
    cands = [(k, p) for k in (-1, 0, 1) if (p := make(k)) is not None]
    if not cands and r.cycle != "week":
        cands = [(k, p) for k in range(-4, 5) if (p := make(k)) is not None]  # 2月29日: the nearest leap year
    if not cands:
        return None, None
    ref_dt = datetime(ref.year, ref.month, ref.day)
    day_after = ref_dt + timedelta(days=1)
    if cue == "past":
        # the latest instance begun by the reference day; a period longer than a day must also have ended
        # (上半年营收同比增长 in January is last year's first half), except a holiday, which is an event
        # rather than a period reported on (斋月期间油价上涨 in the middle of Ramadan is this Ramadan)
        begun = [(p.bounds()[0], k, p) for k, p in cands if p.bounds()[0] < day_after]
        done = [b for b in begun if b[2].grain in _FINE and b[2].end is None or b[2].bounds()[1] <= day_after
                or r.kind == "holiday"]
        if done or begun:
            return max(done or begun, key=lambda x: x[0])[2], "tense"
    elif cue == "forward":
        open_ = [(p.bounds()[0], k, p) for k, p in cands if p.bounds()[1] > ref_dt]
        if open_:
            return min(open_, key=lambda x: x[0])[2], "tense"
    if r.default == "same":
        # the instance in the reference's own year (a lunar 腊八 of lunar year y falls in January of y+1)
        same = [p for k, p in cands if k == 0]
        if r.cycle != "week":
            same = [p for k, p in cands if p.bounds()[0].year == ref.year] or same
        if same:
            return same[0], "reference"
    mid = ref_dt + timedelta(hours=12)

    def distance(kp):
        a, b = kp[1].bounds()
        return abs((a + (b - a) / 2 - mid).total_seconds())
    return min(cands, key=distance)[1], "reference"


# ----------------------------------------------------------------------------------------------
# relative dates


def _on_reference(dc, r: Reading, state: _State) -> tuple[Period | None, str | None]:
    ref = dc.published
    if r.kind == "offset":
        # N天后 right after a date in the same sentence counts from that date (公司于3月10日披露，两天后…); after a
        # coarser one (2020年…三个月后) it has no value we can know
        lo, _ = dc.sentence(r.start)
        prev = [(s, q) for s, q in state.periods if s >= lo]
        if prev:
            r.rel = {**r.rel, "anchor": "previous"}
            q = prev[-1][1]
            if q.grain in _FINE:
                p = r.build(q.first_day())
                return (p, "previous") if p is not None else (None, None)
            return None, None
    if ref is None:
        return None, None
    if r.cycle == "week":
        return choose(r, ref, dc.cue(r.start, r.end))
    p = r.build(ref)
    return p, "reference" if p is not None else None


def _partial(r: Reading) -> dict | None:
    """The part of a date's value that does not depend on what is unknown: built for a few stand-in years (or
    reference days), kept where they all agree."""
    if r.level is None:
        return None
    args = _DUMMY_YEARS if r.need in ("year", "context") else _DUMMY_DAYS
    built = [p.fields() for a in args if (p := r.build(a)) is not None]
    if not built:
        return None
    starts = {strip(f["value"], r.level) for f in built}
    if len(starts) != 1 or None in starts or built[0]["granularity"] in ("week", "decade", "century"):
        return None
    ends = {strip(f["end_value"], r.level) for f in built if f["end_value"]}
    ends.discard(None)
    return {"value": starts.pop(), "end_value": max(ends) if ends else None, "granularity": built[0]["granularity"]}


def _grain_of(r: Reading) -> str:
    for a in _DUMMY_DAYS if r.need not in ("year", "context") else _DUMMY_YEARS:
        try:
            p = r.build(a)
        except (TypeError, AttributeError):
            p = None
        if p is not None:
            return p.grain
    if r.grain == "time":
        unit = (r.rel or {}).get("unit")
        return unit if unit in ("hour", "minute", "second") else "hour"
    return r.grain
