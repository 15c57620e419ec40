"""The dev floor of issue 14, through the bench command that prints it: exact-span F1 micro-averaged over the
MSRA and People's Daily dev parts (training/data.py's split of ../shared/data/ner), for the shipped model alone
and for the default entity stage (model + rules). A floor, below the figures in models/ner/MODEL_CARD.md
(0.917 and 0.873), so that a change to the rules or the merge policy that costs entities fails here."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

FLOOR = 0.85


def test_bench_ner_dev_prints_the_dev_figures_above_the_floor():
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "ner_dev.py"), "--sets", "msra,pd98"],
                         capture_output=True, text=True, check=True, cwd=ROOT.parent)
    blocks = run.stdout.split("dev split of training/data.py, ")[1:]
    assert [b.split(" ", 1)[0] for b in blocks] == ["model", "pipeline"]
    for block in blocks:
        for label in ("PERSON", "ORG", "GPE"):
            assert re.search(rf"^msra\+pd98 {label} +0\.\d{{3}} +0\.\d{{3}} +0\.\d{{3}} +\d+$", block, re.M), block
        micro = re.search(r"^msra\+pd98 micro +(0\.\d{3}) +(0\.\d{3}) +(0\.\d{3})$", block, re.M)
        assert micro, block
        p, r, f1 = map(float, micro.groups())
        assert f1 >= FLOOR, block
        assert abs(f1 - 2 * p * r / (p + r)) < 0.002
