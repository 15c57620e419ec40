"""Score the pipeline against the hand annotation in tests/gold/ and print precision/recall per category.

The floors here guard against regressions on the bundled corpus; the issues that follow raise them.
Run `pytest tests/test_gold.py -s` (or `zhnews score`) to see the table.
"""

from __future__ import annotations

import pytest

from pipeline.evaluate import categories, format_table, load_gold, score_record

from conftest import CORPUS, GOLD

GOLD_FILES = sorted(GOLD.glob("*.yaml"))
FLOORS = {  # (precision, recall) on corpus/
    "money": (0.97, 0.97),  # value and currency (issue: money, numbers and percentages)
    "exchange_rates": (0.95, 0.95),
    "percentages": (0.97, 0.97),
    "dates": (0.95, 0.95),
    "shares": (0.95, 0.95),
    "stock_codes": (0.95, 0.95),
    "entities": (0.90, 0.90),
    "table_items": (1.0, 1.0),  # every annotated cell, exactly (issue: exchange filings)
    "entities.PERSON": (0.95, 0.90),  # span, label and norm
    "entities.ORG": (0.95, 0.95),
    "entities.GPE": (0.95, 0.95),
}
F1_FLOORS = {"entities.PERSON": 0.95, "entities.ORG": 0.88, "entities.GPE": 0.90}  # span, label and norm


def test_every_corpus_article_has_gold():
    assert {g.stem for g in GOLD_FILES} == {c.stem for c in CORPUS.glob("*.txt")}


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda p: p.stem[:3])
def test_gold_is_well_formed(gold_file):
    gold = load_gold(gold_file)
    original = (CORPUS / gold["article"]).read_text(encoding="utf-8")
    for cat, (keys, _secondary) in categories().items():
        items = gold.get(cat) or []
        last_end = -1
        for item in items:
            assert original[item["start"]:item["end"]] == item["text"], (cat, item)
            assert item["start"] >= last_end, f"{cat} overlaps or is unsorted at {item}"
            last_end = item["end"]
            assert set(keys) <= set(item), (cat, item)


def test_precision_and_recall_per_category(pipeline, capsys):
    tallies: dict = {}
    for gold_file in GOLD_FILES:
        gold = load_gold(gold_file)
        record = pipeline((CORPUS / gold["article"]).read_text(encoding="utf-8"), source=gold["article"])
        if gold.get("published"):
            assert record.published == gold["published"], gold["article"]
        score_record(record, gold, tallies)
    with capsys.disabled():
        print("\n" + format_table(tallies))
    low = {cat: (round(t.precision, 3), round(t.recall, 3)) for cat, t in tallies.items()
           if t.precision < FLOORS[cat][0] or t.recall < FLOORS[cat][1] or t.f1 < F1_FLOORS.get(cat, 0)}
    assert not low, f"below the floor: {low}"
