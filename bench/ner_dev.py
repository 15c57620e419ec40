"""The entity model's dev figures (issue 14): exact-span precision, recall and F1 for PER, ORG and LOC (our
GPE) on the dev split that `training/data.py` carves out of `../shared/data/ner/`, per set and label, and
micro-averaged over the MSRA and People's Daily parts; first for the model alone, then for the default entity
stage (the model and the rules, merged).

    python bench/ner_dev.py                 # every dev set there is (BosonNLP's once `make train-ner` fetched it)
    python bench/ner_dev.py --sets msra,pd98

The scoring is `training.ner_eval`'s, which this runs twice; it never reads a test split.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    from training import ner_eval

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(ROOT / "models" / "ner"))
    ap.add_argument("--sets", default=None, help="comma-separated dev sets (default: all there are)")
    args = ap.parse_args(argv)
    extra = ["--sets", args.sets] if args.sets else []
    for through in ("model", "pipeline"):
        code = ner_eval.main(["--model", args.model, "--through", through, *extra])
        if code:
            return code
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
