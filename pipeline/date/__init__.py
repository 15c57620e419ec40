"""The date room: dates and periods as ISO values; years inferred from the article, never from the clock.

extract (spans: the patterns of `rules/date.yaml`) -> resolve (`resolve.py`: fields, or a `Pending` date
without its year, by each rule's shape) -> the longest non-overlapping -> years from the text and the
reference date (`infer.py`). Before any stage runs, `published.py` finds the article's own date when the
caller gave none.
"""

from __future__ import annotations

from pipeline.date.infer import finish_dates
from pipeline.date.items import DateItem
from pipeline.date.published import find_published
from pipeline.date.resolve import SHAPES, Pending, resolve_date
from pipeline.date.rules import CompiledDate, DateRules
from pipeline.mention import Candidate, Mention, find_candidates, select_longest
from pipeline.registry import Family, Stage, register


def extract_date(ctx, rules: CompiledDate) -> list[Candidate]:
    """Spans only: every match of the date patterns in the prose."""
    return find_candidates(ctx, rules.patterns)


def run(ctx, rules: CompiledDate, found) -> list[Mention]:
    candidates: list[Mention] = []
    for c in extract_date(ctx, rules):
        got = resolve_date(c, ctx, rules)
        if isinstance(got, Pending):
            candidates.append(Mention("date", got.rule, got.start, got.end, {"_pending": got}))
        elif got is not None:
            candidates.append(Mention("date", c.rule.id, c.start, c.end, {**got, "year_inferred": False}))
    return finish_dates(ctx, select_longest(candidates), rules)


def prepare(ctx, rules: CompiledDate) -> None:
    """The reference date: the caller's, else the article's own."""
    if ctx.published is None:
        ctx.published, ctx.published_from = find_published(ctx.norm, rules)


def _detail(i: dict) -> str:
    return (f"{i['value']}{' → ' + i['end_value'] if i.get('end_value') else ''}"
            f"{' (year inferred)' if i.get('year_inferred') else ''}")


register(
    families=(Family(name="date", field="dates", item=DateItem, order=50, rank=50, title="Date",
                     columns={"value": "value", "value_max": "end_value", "unit": "granularity"},
                     colours={"dates": "#a0c4ff"}, detail=_detail,
                     keys=("value", "end_value"), secondary=("granularity", "year_inferred")),),
    stages=(Stage(name="date", order=40, families=("date",), run=run, schema=DateRules,
                  compile=lambda spec, rules: CompiledDate(spec, rules, SHAPES), prepare=prepare),),
)
