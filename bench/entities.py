"""Entity precision, recall and speed of the entity stage (our trained model + the rules), and of the
rules alone (the model's component switched off), for comparison.

    python bench/entities.py

Two inputs:
- corpus: the five articles against `tests/gold/` (a match needs span, label and norm);
- held-out: `tests/heldout/entities.yaml`, sentences about companies and people the gazetteers do not know,
  written and annotated apart from the rules and never used to tune them. It measures what the rules do
  on names they have never seen.
Speed is the whole pipeline, in MB of UTF-8 text per CPU-second, on the corpus.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LABELS = ("PERSON", "ORG", "GPE")


def heldout_items(path: Path) -> list[tuple[str, list[tuple[int, int, str, str]]]]:
    """(sentence, [(start, end, label, norm)]): the k-th listed entity with a given text is that text's k-th
    occurrence outside the longer listed names (the file's rule: 嘉兴鼎泰新材料股份有限公司(以下简称“鼎泰新材”) lists
    鼎泰新材 once, for the occurrence after 简称, not the one inside the registered name)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for sent in data["sentences"]:
        text, ents = sent["text"], sent.get("entities") or []
        placed: list[tuple[int, int]] = []
        where: dict[int, int] = {}
        for length in sorted({len(e["text"]) for e in ents}, reverse=True):
            for name in dict.fromkeys(e["text"] for e in ents if len(e["text"]) == length):
                wanted = [i for i, e in enumerate(ents) if e["text"] == name]
                starts, pos = [], text.find(name)
                while pos >= 0:
                    if not any(s < pos + length and pos < e for s, e in placed):
                        starts.append(pos)
                    pos = text.find(name, pos + 1)
                if len(starts) < len(wanted):
                    raise ValueError(f"{name!r} is not {len(wanted)} times in {text!r} outside longer names")
                for i, start in zip(wanted, starts):
                    where[i] = start
                placed += [(where[i], where[i] + length) for i in wanted]
        out.append((text, [(where[i], where[i] + len(e["text"]), e["label"], e["norm"]) for i, e in enumerate(ents)]))
    return out


class Counts:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, predicted: set, expected: set) -> None:
        self.tp += len(predicted & expected)
        self.fp += len(predicted - expected)
        self.fn += len(expected - predicted)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(pipeline, inputs, with_norm: bool = True) -> dict[str, Counts]:
    counts = {label: Counts() for label in LABELS}
    for text, expected in inputs:
        record = pipeline(text)
        got = [(e.start, e.end, e.label, e.norm if with_norm else None) for e in record.entities]
        want = [(s, e, lab, norm if with_norm else None) for s, e, lab, norm in expected]
        for label in LABELS:
            counts[label].add({g for g in got if g[2] == label}, {w for w in want if w[2] == label})
    return counts


def corpus_items() -> list[tuple[str, list[tuple[int, int, str, str]]]]:
    out = []
    for gold_file in sorted((ROOT / "tests" / "gold").glob("*.yaml")):
        gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
        text = (ROOT / "corpus" / gold["article"]).read_text(encoding="utf-8")
        out.append((text, [(g["start"], g["end"], g["label"], g["norm"]) for g in gold.get("entities") or []]))
    return out


def speed(pipeline, texts: list[str], seconds: float) -> float:
    for t in texts:
        pipeline(t)
    size, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        for t in texts:
            pipeline(t)
            size += len(t.encode("utf-8"))
    return size / (time.process_time() - start) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--modes", default="default,rules",
                        help="default: the model and the rules; rules: the rules alone")
    args = parser.parse_args()

    from pipeline.core import Pipeline
    from pipeline.settings import Settings

    inputs = [("corpus", corpus_items())]
    heldout = ROOT / "tests" / "heldout" / "entities.yaml"
    if heldout.exists():
        inputs.append(("held-out", heldout_items(heldout)))
    print(f"{'input':<10}{'mode':<10}{'label':<8}{'gold':>6}{'P':>8}{'R':>8}{'F1':>8}   (span + label + norm)")
    speeds = {}
    for mode in args.modes.split(","):
        pipeline = Pipeline(Settings.from_env())
        if mode == "rules":
            pipeline.runtime["entity"].disable_pipe("zhnews_ner")
        for name, items in inputs:
            counts = score(pipeline, items)
            for label in LABELS:
                c = counts[label]
                p, r, f = c.prf()
                print(f"{name:<10}{mode:<10}{label:<8}{c.tp + c.fn:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
        speeds[mode] = speed(pipeline, [t for t, _ in inputs[0][1]], args.seconds)
    print()
    for mode, mbps in speeds.items():
        print(f"{mode:<10} whole pipeline: {mbps:.2f} MB per CPU-second")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
