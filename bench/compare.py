"""CPU per stage of the pipeline here against the same pipeline at an earlier git revision, on the same text.

    python bench/compare.py --rev 07b3e2a            # the tree before issue 16 against this one
    python bench/compare.py --rev HEAD~5 --rounds 5 --copies 20

`bench/speed.py` measures the whole pipeline; when a change adds a stage (the entity model of issue 14),
its figure no longer says whether the *other* stages got slower. This prints, for each tree, the CPU
seconds per MB of every stage (`Pipeline(profile=True)`), the total, and the total without the stages
named by `--leave-out` (default: entity), as medians over `--rounds` runs. The two trees run at the same
time in separate processes, round after round and starting in turn, so a busy machine slows both alike; the
spread of the rounds is printed too: on the shared 2-core machine two identical trees (`--rev HEAD`) differed by
-13% to +13% round by round and by 6% in the median of four rounds.

The earlier revision is checked out into a temporary git worktree (removed afterwards) and runs with this
environment's packages. The text is `corpus/` of this tree, repeated `--copies` times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import glob, json, os, sys, time
from pipeline.core import Pipeline
texts = [open(f, encoding="utf-8").read() for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.txt")))]
texts = texts * int(sys.argv[2])
p = Pipeline(profile=True)
p("预热:金山云募资约28亿港元。")
p.timings.clear()
size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
start = time.process_time()
for t in texts:
    p(t).model_dump_json()
cpu = time.process_time() - start
print(json.dumps({"mb": size, "cpu": cpu, "stages": {k: v / size for k, v in p.timings.items()}}))
"""


def run_round(trees: dict[str, Path], copies: int) -> dict[str, dict]:
    procs = {}
    for name, tree in trees.items():
        env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
        procs[name] = subprocess.Popen([sys.executable, "-c", WORKER, str(ROOT / "corpus"), str(copies)],
                                       cwd=tree, env=env, stdout=subprocess.PIPE, text=True)
    out = {}
    for name, proc in procs.items():
        stdout, _ = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"the {name} tree's worker failed (exit {proc.returncode})")
        out[name] = json.loads(stdout.strip().splitlines()[-1])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", required=True, help="the earlier git revision to compare against")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each tree (the median is printed)")
    parser.add_argument("--copies", type=int, default=15, help="times corpus/ is repeated in each run")
    parser.add_argument("--leave-out", default="entity", help="stages left out of the second total, comma-separated")
    args = parser.parse_args()
    rev = subprocess.run(["git", "rev-parse", "--short", args.rev], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    leave = {s for s in args.leave_out.split(",") if s}
    with tempfile.TemporaryDirectory(prefix="zhnews-compare-") as tmp:
        old = Path(tmp) / rev
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old), rev], cwd=ROOT, check=True)
        try:
            trees = {rev: old, "this tree": ROOT}
            # the two start in turn, so neither is always the first to load its pipeline
            rounds = [run_round(trees if i % 2 == 0 else dict(reversed(trees.items())), args.copies)
                      for i in range(args.rounds)]
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)
    mb = rounds[0]["this tree"]["mb"]
    print(f"{mb:.1f} MB of corpus/ per run, {args.rounds} rounds; CPU seconds per MB, medians\n")
    stages = sorted({s for r in rounds for t in r.values() for s in t["stages"]},
                    key=lambda s: -statistics.median(r["this tree"]["stages"].get(s, 0) for r in rounds))

    def med(tree: str, fn) -> float:
        return statistics.median(fn(r[tree]) for r in rounds)

    names = list(trees)
    print(f"{'stage':<28}" + "".join(f"{n:>12}" for n in names))
    for s in stages:
        print(f"{s:<28}" + "".join(f"{med(n, lambda t, s=s: t['stages'].get(s, 0.0)):>12.3f}" for n in names))
    total = {n: med(n, lambda t: sum(t["stages"].values())) for n in names}
    kept = {n: med(n, lambda t: sum(v for k, v in t["stages"].items() if k not in leave)) for n in names}
    print(f"{'total':<28}" + "".join(f"{total[n]:>12.3f}" for n in names))
    print(f"{'total without ' + ','.join(sorted(leave)):<28}" + "".join(f"{kept[n]:>12.3f}" for n in names))
    print()
    print(f"whole pipeline: this tree takes {total[names[1]] / total[names[0]] - 1:+.1%} CPU per MB against {rev}")
    print(f"without {', '.join(sorted(leave))}: {kept[names[1]] / kept[names[0]] - 1:+.1%}")
    each = sorted(sum(r[names[1]]["stages"].values()) / sum(r[names[0]]["stages"].values()) - 1 for r in rounds)
    print(f"round by round: {each[0]:+.1%} to {each[-1]:+.1%} (on a shared machine two identical trees differ "
          "about as much: read a difference inside this range as none)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
