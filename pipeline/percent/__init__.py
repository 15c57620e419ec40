"""The percent room: 19.82%, 负3.8%, 百分之三十, 七成, 七成半, 千分之三, 3‰, ranges, percentage points (个百分点),
and discounts (七五折 = 75% of the full price).

extract (spans: the patterns of `rules/percent.yaml`) -> resolve (values, by each rule's shape) -> the
longest non-overlapping."""

from __future__ import annotations

from pydantic import Field

from pipeline.mention import resolve_candidates, select_longest
from pipeline.percent.resolve import RESOLVERS
from pipeline.percent.rules import CompiledPercent, PercentRules
from pipeline.records import ExactDecimal, Item, Qualifier
from pipeline.registry import Family, Stage, register


class Percentage(Item):
    value: ExactDecimal = Field(description="in percent (8.5 is 8.5 %; 三成 is 30, 千分之三 0.3); a range's lower bound")
    value_max: ExactDecimal | None = Field(None, description="the upper bound of a range (5%至8%, 五至七折)")
    qualifier: Qualifier | None = Field(None, description="approx (约, 数十亿, 3000多), over (超过, 逾, 以上) or under (不超过, 近, 以下), as written")
    points: bool = Field(False, description="percentage points (个百分点), not a percentage")
    discount: bool = Field(False, description="a discount: the share of the full price paid (七五折 -> 75)")


def extract_percent(ctx, rules: CompiledPercent):
    """Spans only: every match of the percent patterns in the prose, each looked for near its mark."""
    return rules.plan.candidates(ctx)


def run(ctx, rules: CompiledPercent, found) -> list:
    return select_longest(resolve_candidates(extract_percent(ctx, rules), RESOLVERS, ctx, rules))


def _detail(i: dict) -> str:
    rng = f"–{i['value_max']}" if i.get("value_max") else ""
    return f"{i['value']}{rng}{' points' if i.get('points') else ' %'}{' of the full price' if i.get('discount') else ''}"


register(
    families=(Family(name="percent", field="percentages", item=Percentage, order=40, rank=40, title="Percentage",
                     columns={"value": "value", "value_max": "value_max"}, colours={"percentages": "#FFAABB"},
                     detail=_detail, keys=("value", "value_max"), secondary=("qualifier", "points", "discount")),),
    stages=(Stage(name="percent", order=30, families=("percent",), run=run, schema=PercentRules,
                  compile=lambda spec, rules: CompiledPercent(spec, rules, RESOLVERS)),),
)
