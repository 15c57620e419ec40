"""The schema of `rules/money.yaml`, and what is compiled from it once per rule set."""

from __future__ import annotations

from decimal import Decimal

import regex

from pipeline import rxcache
from pipeline.errors import RulesError
from pipeline.money.scan import Scan, ScanPlan, pieces_with_tries
from pipeline.resources import CompiledRules, PatternSpec, Piece, Rules, Strict, check_shapes, expand


class PerShare(Strict):
    before: list[str]
    adjacent: list[str]
    after: list[str]
    window: int = 24


class Subunits(Strict):
    tenth: list[str]
    hundredth: list[str]


class CentsAlone(Strict):
    word: str
    regions: list[str]


class MoneyRules(Strict):
    family: str
    units: dict[str, Decimal]
    latin_units: dict[str, Decimal]
    subunits: Subunits
    colloquial_units: list[str]
    bare_tail_after: list[str]
    bare_ok_after: list[str]
    isolated_words: list[str]
    price_cues: list[str]
    per_share: PerShare
    per_units: list[str]
    not_after: list[str]
    measure_word_forms: list[str]
    measure_word_ok_after: list[str]
    cents_alone: CentsAlone
    not_before: list[str]
    range_joiners: list[str]
    rate_joiners: list[str]
    rate_pair: str
    pieces: dict[str, Piece]
    start_chars: list[str]
    rate_units: list[str]
    per_share_continuation: list[str]
    per_share_unit: str
    scan: dict[str, Scan] = {}
    patterns: list[PatternSpec]


class CompiledMoney(CompiledRules):
    """Money rules ready to run: the patterns, the rate-pair regex and the lookups the resolver uses."""

    def __init__(self, spec: MoneyRules, rules: Rules, shapes):
        super().__init__("money", spec, rules)
        # the currency lists are long: word lists as prefix trees, and each pattern scanned only near the
        # words it needs (pipeline/money/scan.py)
        self.pieces = pieces_with_tries(rules, spec.pieces, "money")
        check_shapes("money", spec.patterns, shapes)
        self.plan = ScanPlan("money", spec, rules, self.pieces)
        self.patterns = self.plan.patterns
        cur = rules.currency
        self.rate_pair_rx = rxcache.compile(expand(spec.rate_pair, self.pieces))
        self.rate_joiner_rx = rxcache.compile(self.pieces["rate_joiner"])
        self.pair_reach = 24  # a pair is two currency names (and a code in brackets) around the joiner
        self.generic = frozenset(cur.generic)
        self.currency_of = rules.currency_of
        self.symbols = frozenset(f for forms in cur.currencies.values() for f in forms.symbols)
        self.ambiguous = cur.ambiguous
        self.named_subunits = {w: (c, Decimal(v)) for w, (c, v) in cur.named_subunits.items()}
        for word, (code, _) in self.named_subunits.items():
            if code not in cur.currencies:
                raise RulesError(f"rules/currency.yaml: named subunit {word} names {code}, not a listed currency")
        self.territory_of = {name: code for code, names in cur.territory_names.items() for name in names}
        self.territory_rx = rxcache.compile("|".join(regex.escape(n) for n in
                                                   sorted(self.territory_of, key=len, reverse=True)) or "(?!)")
        self.currencies_of_territory: dict[str, set[str]] = {}
        for code, forms in cur.currencies.items():
            for t in forms.territories:
                self.currencies_of_territory.setdefault(t, set()).add(code)
        self.subunit_value = {**{u: Decimal("0.1") for u in spec.subunits.tenth},
                              **{u: Decimal("0.01") for u in spec.subunits.hundredth}}
        digits = rules.number.digits
        d = "|".join(regex.escape(k) for k in digits) + r"|\d"
        tenth = "|".join(map(regex.escape, spec.subunits.tenth))
        hundredth = "|".join(map(regex.escape, spec.subunits.hundredth))
        # the subunit tail read in parts (the pattern piece `subtail` finds it; this reads it)
        self.tail_rx = rxcache.compile(
            rf"(?P<half>半)|零?(?P<j>{d})(?P<ju>{tenth})(?:零?(?P<f>{d})(?P<fu>{hundredth})?)?"
            rf"|(?P<zero>零)?(?P<f2>{d})(?P<fu2>{hundredth})|零(?P<f3>{d})|(?P<j2>{d})")
        self.unit_value = {**spec.units, **spec.latin_units}
        self.isolated_words = sorted(spec.isolated_words, key=len, reverse=True)
        self.bare_ok_after = tuple(sorted(spec.bare_ok_after, key=len, reverse=True))
        self.per_units_sorted = tuple(sorted(spec.per_units, key=len, reverse=True))
