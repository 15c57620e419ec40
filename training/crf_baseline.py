"""Architecture 1 of the comparison: a character CRF (python-crfsuite) with rich window features.

    python -m training.crf_baseline --out /tmp/ner/crf            # train, then dev figures + speed

Features per character: characters at -2..+2, bigrams (-2,-1) (-1,0) (0,1) (1,2) and (-1,+1), and the
same jieba-position, gazetteer, class and cue ids as the neural model at -1, 0, +1. crfsuite has no partial
labels, so sentences with masked regions and the cfsc set (people and places unannotated) are left out;
everything else follows the data recipe. L-BFGS, c1 0.05, c2 0.01, 150 iterations.
Not shipped: it loses on speed (features are Python strings) and on F1 (see EXPERIMENTS.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pipeline.entity.model import Featurizer, chunk_spans
from training import adapter, data, scoring


def _bio(s: data.Sentence) -> list[str]:
    y = ["O"] * len(s.text)
    for a, b, lab in s.entities:
        y[a] = "B-" + lab
        for i in range(a + 1, b):
            y[i] = "I-" + lab
    return y


def sent_features(text: str, f: dict) -> list[list[str]]:
    n = len(text)
    pad = "^^" + text + "$$"
    seg, gaz, cls, cue = (f[k].tolist() for k in ("seg", "gaz", "cls", "cue"))
    out = []
    for i in range(n):
        j = i + 2
        c = pad[j - 2:j + 3]
        x = [f"c-2={c[0]}", f"c-1={c[1]}", f"c0={c[2]}", f"c1={c[3]}", f"c2={c[4]}",
             f"b-2={c[0:2]}", f"b-1={c[1:3]}", f"b0={c[2:4]}", f"b1={c[3:5]}", f"s={c[1]}{c[3]}",
             f"seg={seg[i]}", f"gaz={gaz[i]}", f"cls={cls[i]}", f"cue={cue[i]}"]
        if i > 0:
            x += [f"seg-1={seg[i - 1]}", f"gaz-1={gaz[i - 1]}", f"cue-1={cue[i - 1]}", f"cls-1={cls[i - 1]}"]
        if i + 1 < n:
            x += [f"seg1={seg[i + 1]}", f"gaz1={gaz[i + 1]}", f"cue1={cue[i + 1]}", f"cls1={cls[i + 1]}"]
        out.append(x)
    return out


def featurize(feat: Featurizer, text: str, tokens=None) -> list[list[str]]:
    tokens = tokens if tokens is not None else adapter.tokens(text)
    f = feat.features(text, tokens, chunk_spans(text, 10 ** 9))
    return sent_features(text, f)


def spans(tags: list[str]) -> list[tuple[int, int, str]]:
    out, i = [], 0
    while i < len(tags):
        if tags[i].startswith("B-"):
            lab = tags[i][2:]
            j = i + 1
            while j < len(tags) and tags[j] == "I-" + lab:
                j += 1
            out.append((i, j, lab))
            i = j
        else:
            i += 1
    return out


def main(argv=None) -> int:
    import pycrfsuite

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("/tmp/ner/crf"))
    ap.add_argument("--sets", default="msra,pd98,cluener,weibo,resume")
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--no-gaz", action="store_true")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    train, dev = data.load(tuple(args.sets.split(",")))
    _, dev = data.load()
    train = [s for s in train if not s.masked and s.policy == "O"]
    feat = Featurizer(adapter.lexicon(), use={"gaz": not args.no_gaz})
    t0 = time.time()
    trainer = pycrfsuite.Trainer(verbose=False)
    for s in train:
        trainer.append(featurize(feat, s.text), _bio(s))
    trainer.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": args.iterations,
                        "feature.possible_transitions": True})
    model_path = str(args.out / "crf.model")
    trainer.train(model_path)
    print(f"trained on {len(train)} sentences in {time.time() - t0:.0f}s", file=sys.stderr)
    tagger = pycrfsuite.Tagger()
    tagger.open(model_path)
    texts = [s.text for s in dev]
    toks = [adapter.tokens(t) for t in texts]
    c0 = time.process_time()
    preds = [spans(tagger.tag(featurize(feat, t, k))) for t, k in zip(texts, toks)]
    cpu = time.process_time() - c0
    summ = scoring.summary(scoring.count(dev, preds))
    print(scoring.table(summ))
    n = sum(len(t) for t in texts)
    print(f"speed (features + tagging, segmentation excluded): {n / cpu:,.0f} chars/CPU-s; "
          f"model {Path(model_path).stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
