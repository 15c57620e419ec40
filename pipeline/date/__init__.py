"""The date room: dates, periods, times and holidays as ISO values; years inferred from the article, never from
the clock.

extract (spans: the patterns of `rules/date.yaml`) -> resolve (`resolve.py`: a `Reading` by each rule's shape)
-> the longest non-overlapping -> compose (`compose.py`: parts, ordinals, times of day, ranges, open and
approximate words) -> years from the text and the reference date, relative dates, partial values
(`infer.py`). Before any stage runs, `published.py` finds the article's own date when the caller gave none.
Calendars other than the Gregorian (lunar, Easter) are in `calendars.py`; the record item in `items.py`.
"""

from __future__ import annotations

import time

from pipeline.date.compose import compose
from pipeline.date.context import DateText
from pipeline.date.infer import finish_dates
from pipeline.date.items import DateItem
from pipeline.date.published import find_published
from pipeline.date.resolve import SHAPES, Reading, resolve_date
from pipeline.date.rules import CompiledDate, DateRules
from pipeline.mention import TIMEOUT_FROM, Candidate, Mention, find_candidates, trim_span
from pipeline.registry import Family, Stage, register

_NAMES = ("PERSON",)  # a date inside a person's name is not a date (周五岳)


def extract_date(ctx, rules: CompiledDate) -> list[Candidate]:
    """Spans only: every match of the date patterns in the prose, in pattern order and then reading order. A
    pattern with `anchors` is tried only near its words (found once for all: `CompiledDate.windows`)."""
    order = {p.id: i for i, p in enumerate(rules.patterns)}
    out = find_candidates(ctx, [p for i, p in enumerate(rules.patterns) if i not in rules.anchored])
    text = ctx.text
    for i, stretches in rules.windows(text).items():
        pattern = rules.patterns[i]
        seen: set[tuple[int, int]] = set()
        for lo, hi in stretches:
            for a, b in ctx.prose_spans:
                s, e = max(lo, a), min(hi, b)
                if s >= e:
                    continue
                for m in _finditer(ctx, pattern.rx, s, e):
                    start, end = trim_span(text, m.start(), m.end())
                    if end <= start or (start, end) in seen or ctx.in_table(start, end):
                        continue
                    seen.add((start, end))
                    out.append(Candidate(pattern, m, start, end))
    out.sort(key=lambda c: (order[c.rule.id], c.start))
    return out


def _finditer(ctx, rx, start: int, end: int):
    """`rx` over text[start:end] (look-behinds see the text before), within the article's time limit."""
    if ctx.deadline is None or len(ctx.text) < TIMEOUT_FROM:
        return rx.finditer(ctx.text, start, end)
    left = ctx.deadline - time.process_time()
    if left <= 0:
        raise TimeoutError("the article's time limit was reached")
    return rx.finditer(ctx.text, start, end, timeout=left)


def run(ctx, rules: CompiledDate, found) -> list[Mention]:
    dc = DateText(ctx, rules)
    names = bytearray(len(ctx.text) + 1)  # the characters of the names
    for m in found.get("entity", ()):
        if m.fields.get("label") in _NAMES and not m.tentative:  # the model's guesses yield (周一 is a day)
            names[m.start:m.end] = b"\x01" * (m.end - m.start)
    # the longest spans that resolve, without overlaps; among equally long ones the earlier pattern. A span
    # is resolved only when no longer one has taken its text (a rejected one never blocks a shorter one)
    found_ = extract_date(ctx, rules)
    taken = bytearray(len(ctx.text) + 1)
    chosen: list[Mention] = []
    for k in sorted(range(len(found_)), key=lambda k: (found_[k].start - found_[k].end, k)):
        c = found_[k]
        if any(taken[c.start:c.end]) or any(names[c.start:c.end]):
            continue
        got = resolve_date(c, dc)
        if got is not None:
            taken[c.start:c.end] = b"\x01" * (c.end - c.start)
            chosen.append(Mention("date", got.rule, got.start, got.end, {"_reading": got}))
    chosen.sort(key=lambda m: m.start)
    return finish_dates(dc, compose(dc, chosen))


def prepare(ctx, rules: CompiledDate) -> None:
    """The reference date: the caller's, else the article's own."""
    if ctx.published is None:
        ctx.published, ctx.published_from = find_published(ctx.norm, rules)


def _detail(i: dict) -> str:
    if i.get("value") is None:
        rel = i.get("relative") or {}
        what = i.get("holiday") or i.get("calendar") or ", ".join(f"{k} {v}" for k, v in rel.items() if v is not None)
        return f"({what})"
    out = f"{i['value']}{' → ' + i['end_value'] if i.get('end_value') else ''}"
    if i.get("open"):
        out = (f"{'≤' if i.get('inclusive') else '<'} " if i["open"] == "before"
               else f"{'≥' if i.get('inclusive') else '>'} ") + out
    return out + (" (year inferred)" if i.get("year_inferred") else "") + (" ≈" if i.get("approx") else "")


register(
    families=(Family(name="date", field="dates", item=DateItem, order=50, rank=50, title="Date",
                     columns={"value": "value", "value_max": "end_value", "unit": "granularity"},
                     colours={"dates": "#99DDFF"}, detail=_detail,
                     keys=("value", "end_value"), secondary=("granularity", "year_inferred")),),
    stages=(Stage(name="date", order=40, families=("date",), run=run, schema=DateRules,
                  compile=lambda spec, rules: CompiledDate(spec, rules, SHAPES), prepare=prepare),),
)

__all__ = ["DateItem", "Reading", "compose", "finish_dates", "resolve_date", "run"]
