"""The schema of `rules/date.yaml`, and what is compiled from it."""

from __future__ import annotations

from typing import Literal

import regex

from pipeline.resources import CompiledRules, PatternSpec, Piece, Rules, Strict


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


class CompiledDate(CompiledRules):
    def __init__(self, spec: DateRules, rules: Rules, shapes):
        super().__init__("date", spec, rules, shapes=shapes, numbered=frozenset({"year", "month", "day"}))
        self.sign_off_rx = regex.compile(self.pieces["sign_off_line"], regex.V1)
        self.meta_date_rx = regex.compile(self.pieces["meta_date"])
