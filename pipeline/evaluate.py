"""Score records against the hand annotation in `tests/gold/` (precision and recall per category).

A predicted item matches a gold item when both the span and the key values agree (strict). `span`
counts matches on the span alone, to tell boundary errors from value errors. `attrs` is the share of
strict matches whose secondary fields (qualifier, per_share, norm, year_inferred, ...) also agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from pipeline import registry
from pipeline.records import ArticleBase


def categories() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """category (a record list) -> (key fields, secondary fields), from the registered families."""
    return {f.field: (f.keys, f.secondary) for f in registry.families()}


def _norm(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float, Decimal)) or (isinstance(v, str) and _is_number(v)):
        return Decimal(str(v)).normalize()
    return v


def _is_number(s: str) -> bool:
    try:
        Decimal(s)
        return True
    except Exception:  # noqa: BLE001
        return False


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    strict: int = 0
    span: int = 0
    attrs_ok: int = 0
    misses: list = field(default_factory=list)
    spurious: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.strict / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.strict / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def score_record(record: ArticleBase, gold: dict, tallies: dict[str, Tally]) -> None:
    data = record.model_dump(mode="json")
    regions_by = {f.field: f.gold_regions for f in registry.families()}
    views = [(f.field, f.field, f.keys, f.secondary) for f in registry.families()]
    # families with labels (entities) also per label, matched on span, label and the secondary fields
    # (for entities, the canonical name)
    views += [(f"{f.field}.{label}", f.field, ("label", *f.keys[1:], *f.secondary), ())
              for f in registry.families() for label in f.labels]
    for cat, source, keys, secondary in views:
        t = tallies.setdefault(cat, Tally())
        g_items = gold.get(source) or []
        p_items = data.get(source) or []
        if "." in cat:
            label = cat.split(".", 1)[1]
            g_items = [g for g in g_items if g["label"] == label]
            p_items = [p for p in p_items if p["label"] == label]
        group = regions_by.get(cat)
        if group:
            # the gold annotates whole regions (tables), not every one: score predictions inside them only
            regions = {}
            for g in g_items:
                lo, hi = regions.get(g.get(group), (g["start"], g["end"]))
                regions[g.get(group)] = (min(lo, g["start"]), max(hi, g["end"]))
            p_items = [p for p in p_items if any(lo <= p["start"] < hi for lo, hi in regions.values())]
        t.gold += len(g_items)
        t.predicted += len(p_items)
        by_span = {}
        for p in p_items:
            by_span.setdefault((p["start"], p["end"]), []).append(p)
        matched = set()
        for g in g_items:
            cands = by_span.get((g["start"], g["end"]), [])
            if cands:
                t.span += 1
            hit = next((p for p in cands if id(p) not in matched
                        and all(_norm(p.get(k)) == _norm(g.get(k)) for k in keys)), None)
            if hit is None:
                t.misses.append((gold.get("article"), g, cands[0] if cands else None))
                continue
            matched.add(id(hit))
            t.strict += 1
            if all(_norm(hit.get(k)) == _norm(g.get(k)) for k in secondary if k in g):
                t.attrs_ok += 1
        t.spurious += [(gold.get("article"), p) for p in p_items if id(p) not in matched]


def format_table(tallies: dict[str, Tally]) -> str:
    lines = [f"{'category':<15}{'gold':>6}{'pred':>6}{'match':>7}{'P':>8}{'R':>8}{'F1':>8}{'span':>7}{'attrs':>8}"]
    for cat, t in tallies.items():
        attrs = t.attrs_ok / t.strict if t.strict else 1.0
        lines.append(f"{cat:<15}{t.gold:>6}{t.predicted:>6}{t.strict:>7}{t.precision:>8.3f}{t.recall:>8.3f}"
                     f"{t.f1:>8.3f}{t.span:>7}{attrs:>8.3f}")
    return "\n".join(lines)
