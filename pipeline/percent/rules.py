"""The schema of `rules/percent.yaml`, and what is compiled from it."""

from __future__ import annotations

from pipeline.resources import CompiledRules, PatternSpec, Piece, Rules, Strict


class PercentRules(Strict):
    family: str
    range_joiners: list[str]
    bare_numerals: dict[str, int]
    pieces: dict[str, Piece]
    patterns: list[PatternSpec]


class CompiledPercent(CompiledRules):
    def __init__(self, spec: PercentRules, rules: Rules, shapes):
        super().__init__("percent", spec, rules, shapes=shapes, guard="start_guard")
