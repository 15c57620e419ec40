"""Dev figures: exact-span P / R / F1 per set and label, and micro-averaged over MSRA + People's Daily.

    python -m training.ner_eval --model models/ner                   # the model alone (the figure of issue 14)
    python -m training.ner_eval --through pipeline                   # the default entity stage: model + rules, merged
    python -m training.ner_eval --through rules                      # the rules alone (no model)
    python -m training.ner_eval --model models/ner --json out.json

The dev split is the data recipe's (training/data.py): 10% of each file, never trained on. Scoring rules
(masked regions, cfsc's partial annotation) are in training/scoring.py. `--through` runs the entity
stage's spaCy pipeline (`pipeline.entity.components.build_nlp`) on each dev sentence, with the
segmenter's tokens, as an article of one sentence; the merge policy is the one in `pipeline.entity`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pipeline.entity.model import NerModel
from training import adapter, data, scoring


def predict_dev(model: NerModel, dev) -> list[list[tuple]]:
    items = [(s.text, adapter.tokens(s.text)) for s in dev]
    return model.predict_many(items, confidence=False)


def predict_stage(dev, through: str, model: Path) -> list[list[tuple]]:
    """The entity stage's entities for each dev sentence: (start, end, label)."""
    from pipeline.entity import components
    from pipeline.settings import Settings

    settings = Settings(ner_model=model)
    nlp = components.build_nlp(settings)
    out = []
    disable = ["zhnews_ner"] if through == "rules" else []
    with nlp.select_pipes(disable=disable):
        for s in dev:
            mentions = components.extract_entity(nlp, adapter.tokens(s.text))
            out.append([(m.start, m.end, m.fields["label"]) for m in mentions])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="models/ner", type=Path)
    ap.add_argument("--through", choices=("model", "pipeline", "rules"), default="model",
                    help="model: the model alone; pipeline: the default entity stage (model + rules); rules: "
                         "the rules alone")
    ap.add_argument("--sets", default=None,
                    help="dev sets to score (default: the shared ones, and BosonNLP's when `make train-ner` has "
                         "fetched it)")
    ap.add_argument("--json", help="write the summary here too")
    args = ap.parse_args(argv)
    _, dev = data.load(tuple(args.sets.split(",")) if args.sets else data.dev_sets())
    t0 = time.process_time()
    if args.through == "model":
        preds = predict_dev(NerModel.load(args.model), dev)
    else:
        preds = predict_stage(dev, args.through, args.model.resolve())
    summ = scoring.summary(scoring.count(dev, preds))
    print(f"dev split of training/data.py, {args.through}" + (f" ({args.model})" if args.through != "rules" else "")
          + ": exact span and label")
    print(scoring.table(summ))
    print(f"({len(dev)} dev sentences, {time.process_time() - t0:.1f} CPU-s incl. segmentation)", file=sys.stderr)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(summ, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
