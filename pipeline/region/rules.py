"""The schema of `rules/region.yaml`, and what is compiled from it once per rule set."""

from __future__ import annotations

from typing import Literal

import regex
from pydantic import Field, model_validator

from pipeline import rxcache
from pipeline.errors import RulesError
from pipeline.resources import CompiledRules, Rules, Strict
from pipeline.wordscan import WordScan

Kind = Literal["byline", "vocabulary", "currency", "market", "institution", "place", "company", "code"]


class RegionInfo(Strict):
    currency: str | None = Field(pattern=r"^[A-Z]{3}$", description="the currency of a bare 元 / 块 / 角 / 分")
    dollar: str = Field(pattern=r"^[A-Z]{3}$", description="the currency of a bare $")
    script: Literal["simplified", "traditional", "any"]


class Decision(Strict):
    max_count: int = 2
    alone: float = 2
    contested: float = 3
    margin: float = 1.5
    writer_alone: float = 3
    writer_margin: float = 2


class ScriptRule(Strict):
    min_chars: int = 3
    weight: float = 2
    region: str = "mainland"


class Variants(Strict):
    weight: float = 1
    max: float = 3
    taiwan: list[str] = []
    hong_kong: list[str] = []
    exclude: list[str] = []  # what tools/region_variants.py leaves out


class Signal(Strict):
    region: str
    kind: Kind
    weight: float
    words: list[str] = []
    patterns: list[str] = []

    @model_validator(mode="after")
    def _some(self) -> "Signal":
        if not self.words and not self.patterns:
            raise ValueError(f"a {self.region} {self.kind} signal without words or patterns")
        return self


class RegionRules(Strict):
    family: str
    regions: dict[str, RegionInfo]
    fallback: str = Field(pattern=r"^[A-Z]{3}$")
    decision: Decision
    script: ScriptRule
    variants: Variants
    writer_kinds: list[str]
    signals: list[Signal]
    blockers: list[str] = []

    @model_validator(mode="after")
    def _known_regions(self) -> "RegionRules":
        for s in self.signals:
            if s.region not in self.regions:
                raise ValueError(f"signal for unknown region {s.region!r} (known: {', '.join(self.regions)})")
        return self


class CompiledRegion(CompiledRules):
    """Region rules ready to run: one Aho-Corasick automaton over every signal word (each word -> the
    signals it stands for), the code patterns, and the regions' units."""

    def __init__(self, spec: RegionRules, rules: Rules):
        super().__init__("region", spec, rules)
        for name, info in spec.regions.items():
            for cur in (info.currency, info.dollar):
                if cur is not None and cur not in rules.currency.currencies:
                    raise RulesError(f"rules/region.yaml: region {name} names {cur}, not in rules/currency.yaml")
        words: dict[str, list[Signal]] = {}
        for s in spec.signals:
            for w in s.words:
                words.setdefault(w, []).append(s)
        for w in spec.blockers:
            words.setdefault(w, [])
        self.signal_words = WordScan((w, tuple(sigs)) for w, sigs in words.items())
        self.patterns_of = []
        for s in spec.signals:
            for p in s.patterns:
                try:
                    self.patterns_of.append((rxcache.compile(p), s))
                except regex.error as exc:
                    raise RulesError(f"rules/region.yaml: {s.region} {s.kind} pattern {p!r}: {exc}") from exc
        self.writer_kinds = frozenset(spec.writer_kinds)
        self.simplified_regions = frozenset(r for r, i in spec.regions.items() if i.script != "traditional")
        # a regional character -> its region (the article's own characters vote)
        self.variant_of = {ch: r for r in ("taiwan", "hong_kong") for ch in getattr(spec.variants, r)}
        for r in set(self.variant_of.values()) - set(spec.regions):
            raise RulesError(f"rules/region.yaml: variants of unknown region {r}")
