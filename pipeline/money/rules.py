"""The schema of `rules/money.yaml`, and what is compiled from it once per rule set."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import regex

from pipeline.resources import Compiled, PatternSpec, Piece, Rules, Strict, check_shapes, expand


class PerShare(Strict):
    before: list[str]
    adjacent: list[str]
    after: list[str]
    window: int = 24


class MoneyRules(Strict):
    family: str
    default_currency: str
    currency_areas: list[str]
    area_min_mentions: int
    multipliers: dict[str, Decimal]
    per_share: PerShare
    not_after: list[str]
    not_before: list[str]
    measure_word_forms: list[str]
    measure_word_ok_after: list[str]
    range_joiners: list[str]
    rate_joiners: list[str]
    rate_pair: str
    pieces: dict[str, Piece]
    start_chars: list[str]
    rate_units: list[str]
    per_share_continuation: list[str]
    per_share_unit: str
    patterns: list[PatternSpec]


class CompiledMoney:
    """Money rules ready to run: the patterns, the rate-pair regex and the lookups the resolver uses."""

    def __init__(self, spec: MoneyRules, rules: Rules, shapes):
        check_shapes("money", spec.patterns, shapes)
        self.spec = spec
        self.rules = rules  # numerals, currencies, qualifiers
        pieces = rules.pieces(spec.pieces, "money")
        self.patterns: tuple[Compiled, ...] = rules.compile_patterns("money", spec.patterns, pieces,
                                                                     guard=pieces["guard"])
        self.rate_pair_rx = regex.compile(expand(spec.rate_pair, pieces))
        self.generic = frozenset(rules.currency.generic)
        self.currency_of = rules.currency_of

    def __getattr__(self, name: str) -> Any:  # the rule file's fields: self.multipliers, self.per_share ...
        return getattr(self.__dict__["spec"], name)

