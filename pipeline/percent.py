"""Percentages: 19.82%, 负3.8%, 百分之三十, 七成, ranges, and percentage points (个百分点)."""

from __future__ import annotations

import regex

from pipeline.mention import Context, Mention, run_patterns
from pipeline.numbers import find_qualifier, has_chinese_digit, parse_number, plain, trim_span
from pipeline.resources import Compiled, Rules


def extract_percent(ctx: Context, *, rules: Rules) -> list[Mention]:
    return run_patterns(ctx, rules.percent_patterns, resolve_percent, rules=rules)


def resolve_percent(m: regex.Match, pattern: Compiled, ctx: Context, *, rules: Rules) -> Mention | None:
    start, end = trim_span(ctx.text, m.start(), m.end())
    if ctx.in_table(start, end):
        return None
    g = m.groupdict()
    if pattern.id.endswith("_range") or pattern.id == "percent.range":
        low, high = parse_number(g["num1"], rules), parse_number(g["num2"], rules)
        if low is None or high is None:
            return None
        if pattern.id == "percent.cheng_range":
            low, high = low * 10, high * 10
        if g.get("neg"):
            low = -low
        if g.get("neg2"):
            high = -high
        if low > high:
            return None
        value, value_max = low, high
    else:
        num = g["num"]
        if num == "百" and pattern.id == "percent.chinese":
            value = parse_number("一百", rules)  # 百分之百
        elif not num[0].isdigit() and not has_chinese_digit(num, rules):
            return None
        else:
            value = parse_number(num, rules)
        if value is None:
            return None
        if pattern.id == "percent.cheng":
            value *= 10
        if g.get("neg"):
            value = -value
        value_max = None
    return Mention("percent", pattern.id, start, end, {
        "value": plain(value),
        "value_max": plain(value_max) if value_max is not None else None,
        "qualifier": find_qualifier(ctx.text, start, end, rules),
        "points": pattern.id in ("percent.points", "percent.points_range"),
    })
