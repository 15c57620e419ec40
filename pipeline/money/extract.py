"""Money, extract: the spans the patterns of `rules/money.yaml` match (no values yet)."""

from __future__ import annotations

from pipeline.mention import Candidate, Context, find_candidates
from pipeline.money.rules import CompiledMoney


def extract_money(ctx: Context, rules: CompiledMoney) -> list[Candidate]:
    """Every span an amount, range or rate pattern matches in the prose; tables are the table reader's."""
    return find_candidates(ctx, rules.patterns)
