"""The share room: counts of shares with their class (37,419,500股H股, 1,871,000股, 美国存托股).

extract (spans: `rules/share.yaml`) -> resolve (values and class) -> the longest non-overlapping -> a
tranche without a class takes the class of the count before it in the sentence."""

from __future__ import annotations

from typing import Literal

from pipeline.mention import find_candidates, resolve_candidates, select_longest
from pipeline.records import ExactDecimal, Item
from pipeline.registry import Family, Stage, register
from pipeline.resources import CompiledRules, PatternSpec, Piece, Rules, Strict
from pipeline.share.resolve import RESOLVERS, carry_class

ShareClass = Literal["H", "A", "B", "ADS", "ordinary"]


class Share(Item):
    value: ExactDecimal
    share_class: ShareClass | None = None


class ShareRules(Strict):
    family: str
    classes: dict[ShareClass, list[str]]
    not_after: list[str]
    class_window_before: int
    class_window_after: int
    pieces: dict[str, Piece]
    patterns: list[PatternSpec]


class CompiledShare(CompiledRules):
    def __init__(self, spec: ShareRules, rules: Rules):
        super().__init__("share", spec, rules, shapes=RESOLVERS, guard="start_guard")
        self.class_of = {w: c for c, ws in spec.classes.items() for w in ws}
        self.class_words = sorted(self.class_of.items(), key=lambda wc: -len(wc[0]))


def extract_share(ctx, rules: CompiledShare):
    """Spans only: every match of the share patterns in the prose."""
    return find_candidates(ctx, rules.patterns)


def run(ctx, rules: CompiledShare, found) -> list:
    return carry_class(ctx, select_longest(resolve_candidates(extract_share(ctx, rules), RESOLVERS, ctx, rules)))


register(
    families=(Family(name="share", field="shares", item=Share, order=60, rank=60, title="Share count",
                     columns={"value": "value", "unit": "share_class"}, colours={"shares": "#ffadad"},
                     detail=lambda i: f"{i['value']} shares {i.get('share_class') or ''}",
                     keys=("value",), secondary=("share_class",)),),
    stages=(Stage(name="share", order=50, families=("share",), run=run, schema=ShareRules, compile=CompiledShare),),
)
