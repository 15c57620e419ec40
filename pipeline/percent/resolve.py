"""Percentages, resolve: the value of each span, by the shape its rule declares."""

from __future__ import annotations

from decimal import Decimal

from pipeline.mention import Candidate, Context, Mention
from pipeline.numbers import find_qualifier, has_chinese_digit, parse_number, plain


def _mention(c: Candidate, ctx: Context, rules, value: Decimal, value_max: Decimal | None, points: bool) -> Mention:
    return Mention("percent", c.rule.id, c.start, c.end, {
        "value": plain(value),
        "value_max": plain(value_max) if value_max is not None else None,
        "qualifier": find_qualifier(ctx.text, c.start, c.end, rules.rules),
        "points": points,
    })


def _range(c: Candidate, ctx: Context, rules, *, scale: int = 1, points: bool = False) -> Mention | None:
    low, high = parse_number(c.group("num1"), rules.rules), parse_number(c.group("num2"), rules.rules)
    if low is None or high is None:
        return None
    low, high = low * scale, high * scale
    if c.group("neg"):
        low = -low
    if c.group("neg2"):
        high = -high
    if low > high:
        return None
    return _mention(c, ctx, rules, low, high, points)


def _single(c: Candidate, ctx: Context, rules, *, scale: int = 1, points: bool = False,
            bare: dict | None = None) -> Mention | None:
    num = c.group("num")
    if bare and num in bare:
        value = Decimal(bare[num])  # 百分之百
    elif not num[0].isdigit() and not has_chinese_digit(num, rules.rules):
        return None
    else:
        value = parse_number(num, rules.rules)
    if value is None:
        return None
    value *= scale
    if c.group("neg"):
        value = -value
    return _mention(c, ctx, rules, value, None, points)


RESOLVERS = {
    "percent": lambda c, ctx, rules: _single(c, ctx, rules),
    "percent_range": lambda c, ctx, rules: _range(c, ctx, rules),
    "points": lambda c, ctx, rules: _single(c, ctx, rules, points=True),
    "points_range": lambda c, ctx, rules: _range(c, ctx, rules, points=True),
    "chinese": lambda c, ctx, rules: _single(c, ctx, rules, bare=rules.bare_numerals),
    "cheng": lambda c, ctx, rules: _single(c, ctx, rules, scale=10),
    "cheng_range": lambda c, ctx, rules: _range(c, ctx, rules, scale=10),
}
