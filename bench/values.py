"""Values on real sentences nobody here wrote: money, percentages, stock codes, share counts and dates.

    python bench/values.py [--show FAMILY] [--published 2022-07-01]

The text: 150 real mainland financial-news sentences, the sample `random.Random(15).sample(rows, 150)` of
`../shared/data/ner/cfsc_val.jsonl` (the validation split of CFSC-NER, Ya-dongLi/CFSC on GitHub; its
licence as stated by the source: see that repository; the data README there says the file is a supply of
real sentences "for the value stages: annotate a sample yourself and score on it"). The sentences keep
their ids (`cfsc-val-<n>`, the row of the source file) and their text unchanged.

The annotation is ours, by hand, made for issue 16 and never tuned to the pipeline's output:
`bench/data/cfsc_values.jsonl`, one sentence a line with `money`, `percentages`, `stock_codes`, `shares`
and `dates`, each item with its half-open offsets and values (conventions: tests/gold/GUIDELINES.md).

Per family, precision / recall / F1 of items that match a gold item on the exact span AND its key values:
  money        value, value_max, currency            (exchange rates are not money)
  percentages  value, value_max, points
  stock_codes  code, exchange
  shares       value
  dates        value, end_value; a year the pipeline inferred is compared as a partial date (--08-19), and
               relative gold dates (今日, 去年, 上月 ...) have no value: they count in the span-only row only
A second figure, "span", matches on the span alone. Every gold offset is checked against its text first.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "cfsc_values.jsonl"
KEYS = {"money": ("value", "value_max", "currency"), "percentages": ("value", "value_max", "points"),
        "stock_codes": ("code", "exchange"), "shares": ("value",), "dates": ("value", "end_value")}


def load(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    for r in rows:
        for fam in KEYS:
            for it in r[fam]:
                if r["text"][it["start"]:it["end"]] != it["text"]:
                    raise SystemExit(f"{r['id']}: bad offsets for {it}")
    return rows


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except Exception:  # noqa: BLE001
        return str(a) == str(b)


def partial(value: str | None, inferred: bool) -> str | None:
    """2022-08-19 with an inferred year is the partial date --08-19 (also 2022-08 -> --08, 2022-Q1 -> --Q1)."""
    if value is None or not inferred:
        return value
    return re.sub(r"^\d{4}-", "--", value)


def predicted(rec, fam: str) -> list[dict]:
    items = [i.model_dump(mode="json") for i in getattr(rec, fam)]
    if fam == "dates":
        for it in items:
            it["value"] = partial(it.get("value"), it.get("year_inferred", False))
            it["end_value"] = partial(it.get("end_value"), it.get("year_inferred", False))
    return items


def match(gold: list[dict], pred: list[dict], keys: tuple[str, ...]) -> int:
    used, hit = set(), 0
    for g in gold:
        for j, p in enumerate(pred):
            if j in used or (p["start"], p["end"]) != (g["start"], g["end"]):
                continue
            if all(same(g.get(k), p.get(k)) for k in keys):
                used.add(j)
                hit += 1
                break
    return hit


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(rows: list[dict], extract, *, published: str | None = None, show: str | None = None,
          out=sys.stdout) -> dict:
    """{family: {"strict": [tp, pred, gold], "span": [...]}} over `rows`."""
    totals = {fam: {"strict": [0, 0, 0], "span": [0, 0, 0]} for fam in KEYS}
    for r in rows:
        rec = extract(r["text"], published=published)
        for fam, keys in KEYS.items():
            gold, pred = r[fam], predicted(rec, fam)
            t = totals[fam]["span"]
            t[0] += match(gold, pred, ())
            t[1] += len(pred)
            t[2] += len(gold)
            if fam == "dates":  # relative gold dates and whatever the pipeline put on them: span row only
                rel = {(g["start"], g["end"]) for g in gold if g.get("relative")}
                gold = [g for g in gold if not g.get("relative")]
                pred = [p for p in pred if (p["start"], p["end"]) not in rel]
            s = totals[fam]["strict"]
            hit = match(gold, pred, keys)
            s[0] += hit
            s[1] += len(pred)
            s[2] += len(gold)
            if show == fam and (hit < len(gold) or hit < len(pred)):
                print(r["id"], r["text"][:60], file=out)
                print("   gold:", [(g["text"], *(g.get(k) for k in keys)) for g in gold], file=out)
                print("   pred:", [(p["text"], *(p.get(k) for k in keys)) for p in pred], file=out)
    return totals


def table(totals: dict) -> str:
    lines = [f"{'family':12s} {'gold':>5s} {'pred':>5s}  strict P / R / F1  {'gold':>5s} {'pred':>5s}  span P / R / F1"]
    for fam in KEYS:
        s, sp = totals[fam]["strict"], totals[fam]["span"]
        a, b = prf(*s), prf(*sp)
        lines.append(f"{fam:12s} {s[2]:5d} {s[1]:5d}  {a[0]:.2f} / {a[1]:.2f} / {a[2]:.2f}  {sp[2]:5d} {sp[1]:5d}  "
                     f"{b[0]:.2f} / {b[1]:.2f} / {b[2]:.2f}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--published", default=None, help="reference date passed to extract (default: none)")
    ap.add_argument("--show", default=None, choices=sorted(KEYS), help="print the misses of one family")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from pipeline import extract

    print(table(score(load(Path(args.data)), extract, published=args.published, show=args.show)))


if __name__ == "__main__":
    main()
