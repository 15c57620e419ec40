"""The schema of `rules/money.yaml`, and what is compiled from it once per rule set."""

from __future__ import annotations

from decimal import Decimal

import regex

from pipeline.resources import CompiledRules, PatternSpec, Piece, Rules, Strict, expand


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


class CompiledMoney(CompiledRules):
    """Money rules ready to run: the patterns, the rate-pair regex and the lookups the resolver uses."""

    def __init__(self, spec: MoneyRules, rules: Rules, shapes):
        super().__init__("money", spec, rules, shapes=shapes, guard="guard")
        self.rate_pair_rx = regex.compile(expand(spec.rate_pair, self.pieces))
        self.generic = frozenset(rules.currency.generic)
        self.currency_of = rules.currency_of
