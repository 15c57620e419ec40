"""The schema of `rules/percent.yaml`, and what is compiled from it."""

from __future__ import annotations

from decimal import Decimal

from pipeline.money.scan import Scan, ScanPlan
from pipeline.resources import CompiledRules, PatternSpec, Piece, Rules, Strict, check_shapes


class PercentRules(Strict):
    family: str
    range_joiners: list[str]
    bare_numerals: dict[str, int]
    half: str
    permille_signs: dict[str, Decimal]
    latin_units: dict[str, Decimal]
    discount_words: dict[str, Decimal]
    pieces: dict[str, Piece]
    scan: dict[str, Scan] = {}
    patterns: list[PatternSpec]


class CompiledPercent(CompiledRules):
    def __init__(self, spec: PercentRules, rules: Rules, shapes):
        super().__init__("percent", spec, rules)
        check_shapes("percent", spec.patterns, shapes)
        self.plan = ScanPlan("percent", spec, rules, self.pieces)  # each pattern runs near its % or 百分之
        self.patterns = self.plan.patterns
