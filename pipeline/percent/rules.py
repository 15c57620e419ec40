"""The schema of `rules/percent.yaml`, and what is compiled from it."""

from __future__ import annotations

from typing import Any

from pipeline.resources import Compiled, PatternSpec, Piece, Rules, Strict, check_shapes


class PercentRules(Strict):
    family: str
    range_joiners: list[str]
    bare_numerals: dict[str, int]
    pieces: dict[str, Piece]
    patterns: list[PatternSpec]


class CompiledPercent:
    def __init__(self, spec: PercentRules, rules: Rules, shapes):
        check_shapes("percent", spec.patterns, shapes)
        self.spec, self.rules = spec, rules
        pieces = rules.pieces(spec.pieces, "percent")
        self.patterns: tuple[Compiled, ...] = rules.compile_patterns("percent", spec.patterns, pieces,
                                                                     guard=pieces["start_guard"])

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["spec"], name)
