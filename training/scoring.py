"""Exact-span precision / recall / F1 per set and label, with the data recipe's masked regions.

- A prediction that overlaps a masked region is not scored (neither right nor wrong); masked regions
  are not gold.
- cfsc ("free" policy: people, places and most organisations are not annotated): only predictions that
  overlap an annotated entity are scored, so its precision is "of the predictions on annotated company
  spans, how many have the exact span and label"; its recall is the meaningful figure.
"""

from __future__ import annotations

from collections import defaultdict

from training.data import PRIMARY, Sentence

LABELS = ("PERSON", "ORG", "GPE")


def _overlaps(s, e, regions) -> bool:
    return any(s < re and rs < e for rs, re, *_ in regions)


def count(sentences: list[Sentence], predictions: list[list[tuple]]) -> dict:
    """{(set, label): [tp, fp, fn]}"""
    c: dict = defaultdict(lambda: [0, 0, 0])
    for s, pred in zip(sentences, predictions):
        gold = {(a, b, lab) for a, b, lab in s.entities}
        scored = []
        for p in pred:
            a, b, lab = p[0], p[1], p[2]
            if _overlaps(a, b, s.masked):
                continue
            if s.policy == "free" and not _overlaps(a, b, s.entities):
                continue
            scored.append((a, b, lab))
        for a, b, lab in scored:
            c[(s.set, lab)][0 if (a, b, lab) in gold else 1] += 1
        for g in gold - set(scored):
            c[(s.set, g[2])][2] += 1
    return dict(c)


def prf(tp, fp, fn) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def summary(counts: dict) -> dict:
    """{'primary': (p, r, f), 'sets': {set: {label|'all': (p, r, f, support)}}}"""
    sets = sorted({k[0] for k in counts})
    out = {"sets": {}}
    for name in sets:
        row = {}
        tot = [0, 0, 0]
        for lab in LABELS:
            tp, fp, fn = counts.get((name, lab), [0, 0, 0])
            row[lab] = (*prf(tp, fp, fn), tp + fn)
            tot = [x + y for x, y in zip(tot, (tp, fp, fn))]
        row["all"] = (*prf(*tot), tot[0] + tot[2])
        out["sets"][name] = row
    prim = [0, 0, 0]
    prim_lab = {lab: [0, 0, 0] for lab in LABELS}
    for (name, lab), v in counts.items():
        if name in PRIMARY:
            prim = [x + y for x, y in zip(prim, v)]
            prim_lab[lab] = [x + y for x, y in zip(prim_lab[lab], v)]
    out["primary"] = prf(*prim)
    out["primary_labels"] = {lab: (*prf(*v), v[0] + v[2]) for lab, v in prim_lab.items()}
    return out


def table(s: dict) -> str:
    lines = [f"{'set':<10}{'label':<8}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}"]
    for name, row in s["sets"].items():
        for lab in (*LABELS, "all"):
            p, r, f, n = row[lab]
            lines.append(f"{name:<10}{lab:<8}{p:7.3f}{r:7.3f}{f:7.3f}{n:7d}")
    for lab, (p, r, f, n) in s["primary_labels"].items():
        lines.append(f"{'msra+pd98':<10}{lab:<8}{p:7.3f}{r:7.3f}{f:7.3f}{n:7d}")
    p, r, f = s["primary"]
    lines.append(f"{'msra+pd98':<10}{'micro':<8}{p:7.3f}{r:7.3f}{f:7.3f}")
    return "\n".join(lines)
