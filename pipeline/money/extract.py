"""Money, extract: the spans the patterns of `rules/money.yaml` match (no values yet).

A pattern that cannot match without some words (a rate without 兑 or 对, a range without a joiner and a
currency word) is run only within a few characters of them (`scan` in the rule file, `scan.py`): the same
spans, found faster."""

from __future__ import annotations

from pipeline.mention import Candidate, Context
from pipeline.money.rules import CompiledMoney


def extract_money(ctx: Context, rules: CompiledMoney) -> list[Candidate]:
    """Every span an amount, range or rate pattern matches in the prose; tables are the table reader's."""
    return rules.plan.candidates(ctx)
