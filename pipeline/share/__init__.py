"""The share room: counts of shares with their class (37,419,500股H股, 1,871,000股, 美国存托股, 1000万份GDR),
and Taiwan's lots of 1,000 shares (張). Counts of stocks (55股涨停) and ratios (10送3股) are no counts.

extract (spans: `rules/share.yaml`) -> resolve (values and class) -> the longest non-overlapping -> a
tranche without a class takes the class of the count before it in the sentence."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pipeline.mention import resolve_candidates, select_longest
from pipeline.money.scan import Scan, ScanPlan
from pipeline.records import ExactDecimal, Item, Qualifier
from pipeline.registry import Family, Stage, register
from pipeline.resources import CompiledRules, PatternSpec, Piece, Rules, Strict, check_shapes
from pipeline.share.resolve import RESOLVERS, carry_class

ShareClass = Literal["H", "A", "B", "N", "ADS", "ADR", "GDR", "ordinary"]


class Share(Item):
    value: ExactDecimal = Field(description="the number of shares (a Taiwan 張 is 1,000)")
    share_class: ShareClass | None = Field(None, description="H, A, B, N, ADS, ADR, GDR or ordinary, when the text says")
    qualifier: Qualifier | None = Field(None, description="approx (约, 数十亿, 3000多), over (超过, 逾, 以上) or under (不超过, 近, 以下), as written")


class Lot(Strict):
    word: str
    shares: int
    region: str


class ShareRules(Strict):
    family: str
    classes: dict[ShareClass, list[str]]
    unit_classes: list[ShareClass]
    not_after: list[str]
    stock_count_after: list[str]
    ratio_words: list[str]
    lot: Lot
    lot_context: list[str]
    class_window_before: int
    class_window_after: int
    pieces: dict[str, Piece]
    scan: dict[str, Scan] = {}
    patterns: list[PatternSpec]


class CompiledShare(CompiledRules):
    def __init__(self, spec: ShareRules, rules: Rules):
        super().__init__("share", spec, rules)
        check_shapes("share", spec.patterns, RESOLVERS)
        self.plan = ScanPlan("share", spec, rules, self.pieces)  # each pattern runs near a number before 股
        self.patterns = self.plan.patterns
        self.class_of = {w: c for c, ws in spec.classes.items() for w in ws}
        self.class_words = sorted(self.class_of.items(), key=lambda wc: -len(wc[0]))
        self.ratio_words = tuple(sorted(spec.ratio_words, key=len, reverse=True))


def extract_share(ctx, rules: CompiledShare):
    """Spans only: every match of the share patterns in the prose, near a number before 股, 份 or 张."""
    return rules.plan.candidates(ctx)


def run(ctx, rules: CompiledShare, found) -> list:
    return carry_class(ctx, select_longest(resolve_candidates(extract_share(ctx, rules), RESOLVERS, ctx, rules)))


register(
    families=(Family(name="share", field="shares", item=Share, order=60, rank=60, title="Share count",
                     columns={"value": "value", "unit": "share_class"}, colours={"shares": "#44BB99"},
                     detail=lambda i: f"{i['value']} shares {i.get('share_class') or ''}"
                                      f"{' ' + i['qualifier'] if i.get('qualifier') else ''}",
                     keys=("value",), secondary=("share_class", "qualifier")),),
    stages=(Stage(name="share", order=50, families=("share",), run=run, schema=ShareRules, compile=CompiledShare),),
)
