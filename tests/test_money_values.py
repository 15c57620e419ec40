"""Values on 150 real mainland financial-news sentences (bench/values.py, bench/data/cfsc_values.jsonl):
money, percentages, stock codes and share counts must not fall below these F1 floors (span and values
exact). Dates are scored there too but belong to the date room's own floors."""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import values  # noqa: E402

FLOORS = {"money": 0.97, "percentages": 0.97, "stock_codes": 0.90, "shares": 0.95}


def test_real_mainland_sentences(pipeline, capsys):
    rows = values.load(values.DATA)
    totals = values.score(rows, lambda text, published=None: pipeline(text, published=published), out=io.StringIO())
    with capsys.disabled():
        print("\n" + values.table(totals))
    low = {}
    for family, floor in FLOORS.items():
        f1 = values.prf(*totals[family]["strict"])[2]
        if f1 < floor:
            low[family] = round(f1, 3)
    assert not low, f"below the floor on real sentences: {low}"
