#!/usr/bin/env python3
"""Write `rules/listed_companies.tsv`: the short names of the companies listed in Shanghai,
Shenzhen, Beijing and Taiwan, as their exchanges publish them.

    .venv/bin/python tools/make_listed.py --a-shares stock_basic.csv --twse twse_equities.csv \
        --tpex tpex_equities.csv

Sources (copies in public repositories, read once here; nothing is fetched at run time):

- A shares (SSE, SZSE, BSE): a Tushare `stock_basic` export of 2026-06, `stock_basic.csv` in
  yzq129/quant-factor at commit bac99cfa2f121a03eddf3ea04079bc897581eb17 (columns ts_code, symbol, name, ...).
- Taiwan (TWSE and TPEx): the equity code lists that the twstock package (MIT licence) ships,
  `twstock/codes/twse_equities.csv` and `tpex_equities.csv` in mlouielu/twstock at commit
  7794b138f0a65f420acb8c310a5ffd2ec4248db4 (columns type, code, name, ISIN, start, market, group, CFI);
  only the rows of type 股票 and 創新板 (shares), not warrants, funds or notes.

A name is a fact the exchange publishes; the file keeps the exchange, the code and the name as listed, and
the form zhnews matches: simplified (the normaliser's own `t2s`, so it equals the normalised text), without
the passing status marks the exchanges put before or after it (N, C, XD, XR, DR, -KY, *, -DR) and without a
share-class letter (万科A -> 万科, 深振业Ａ -> 深振业). A risk mark (ST, *ST) stays: under one the exchange
often shortens the name (*ST美谷 is 奥园美谷), so the name is matched with its mark only.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import regex

from pipeline.text.script import fold_width, to_simplified

OUT = Path(__file__).resolve().parent.parent / "rules" / "listed_companies.tsv"
_STATUS_BEFORE = regex.compile(r"^(?:XD|XR|DR|[NC](?=\p{Han}))")
_STATUS_AFTER = regex.compile(r"(?:-?KY|\*|-DR|-创|-U|-W|-WD|-SW|-S)+$")
_CLASS = regex.compile(r"(?<=\p{Han})[AB]$")
_TW_SHARES = {"股票", "創新板"}

HEADER = "# exchange\tcode\tlisted name\tname zhnews matches (sources: tools/make_listed.py)\n"


def match_form(name: str) -> str:
    """The form of a listed name that zhnews matches in normalised text."""
    name = fold_width(name).replace(" ", "").replace("\u3000", "")
    name = _STATUS_AFTER.sub("", _STATUS_BEFORE.sub("", name))
    name = _CLASS.sub("", name)
    return to_simplified(name)


def a_shares(path: Path) -> list[tuple[str, str, str]]:
    exchanges = {"SH": "SSE", "SZ": "SZSE", "BJ": "BSE"}
    out = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code, _, market = row["ts_code"].partition(".")
            out.append((exchanges[market], code, row["name"]))
    return out


def taiwan(path: Path, exchange: str) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [(exchange, row["code"], row["name"]) for row in csv.DictReader(fh) if row["type"] in _TW_SHARES]


def build(rows: list[tuple[str, str, str]]) -> list[str]:
    lines, seen = [], set()
    for exchange, code, name in sorted(rows):
        form = match_form(name)
        if len(form) < 2 or not regex.search(r"\p{Han}", form) or (exchange, code) in seen:
            continue
        seen.add((exchange, code))
        lines.append(f"{exchange}\t{code}\t{name}\t{form}\n")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--a-shares", type=Path, required=True, help="Tushare stock_basic CSV")
    ap.add_argument("--twse", type=Path, required=True, help="twstock twse_equities.csv")
    ap.add_argument("--tpex", type=Path, required=True, help="twstock tpex_equities.csv")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    rows = a_shares(args.a_shares) + taiwan(args.twse, "TWSE") + taiwan(args.tpex, "TPEx")
    lines = build(rows)
    args.out.write_text(HEADER + "".join(lines), encoding="utf-8")
    print(f"{len(lines)} names -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
