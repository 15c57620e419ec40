"""The schema of `rules/date.yaml`, and what is compiled from it."""

from __future__ import annotations

from typing import Any, Literal

import regex

from pipeline.resources import Compiled, PatternSpec, Piece, Rules, Strict, check_shapes


class DateRules(Strict):
    family: str
    pieces: dict[str, Piece]
    quarters: dict[str, int]
    halves: dict[str, int]
    range_joiners: list[str]
    as_at_words: list[str]
    year_parts: dict[str, int]
    relative_years: dict[str, int | Literal["context", "context_next"]]
    relative_months: dict[str, int]
    relative: dict[str, dict[Literal["weeks", "days", "quarters"], int]]
    relative_not_after: list[str]
    relative_not_before: dict[str, list[str]]
    places_for_sign_off: list[str]
    patterns: list[PatternSpec]


class CompiledDate:
    def __init__(self, spec: DateRules, rules: Rules, shapes):
        check_shapes("date", spec.patterns, shapes)
        self.spec, self.rules = spec, rules
        pieces = rules.pieces(spec.pieces, "date")
        self.patterns: tuple[Compiled, ...] = rules.compile_patterns(
            "date", spec.patterns, pieces, numbered=frozenset({"year", "month", "day"}))
        self.sign_off_rx = regex.compile(pieces["sign_off_line"], regex.V1)
        self.meta_date_rx = regex.compile(pieces["meta_date"])

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["spec"], name)
