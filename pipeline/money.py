"""Money: amounts, ranges, qualifiers, per-share prices and exchange rates.

`extract_money` finds spans with the patterns in `rules/money.yaml`; `resolve_money` turns one match into
exact values. Table regions are left to the table reader.
"""

from __future__ import annotations

from decimal import Decimal

import regex

from pipeline.mention import COMMA_BREAKS, Context, Mention, clause_start, run_patterns
from pipeline.numbers import (
    find_qualifier,
    has_chinese_digit,
    parse_number,
    plain,
    trailing_large_unit,
    trim_span,
)
from pipeline.resources import Compiled, Rules


def extract_money(ctx: Context, *, rules: Rules) -> list[Mention]:
    """Money and exchange-rate mentions (family `money` or `exchange_rate`), non-overlapping.

    Bare 元 is CNY unless the article is clearly about another currency area (see `area_currency`).
    """
    found = run_patterns(ctx, rules.money_patterns, resolve_money, rules=rules)
    area = area_currency(found, rules)
    out = []
    for m in found:
        if "generic" in m.fields:
            fields = dict(m.fields)
            if fields.pop("generic") and area:
                fields["currency"] = area
            m = Mention(m.family, m.rule, m.start, m.end, fields)
        out.append(m)
    return out


def area_currency(mentions: list[Mention], rules: Rules) -> str | None:
    """The currency bare 元 means in this article, when not CNY: a currency area the article names
    at least `area_min_mentions` times, with no explicit CNY anywhere."""
    named = [m.fields["currency"] for m in mentions if m.family == "money" and not m.fields.get("generic")]
    if "CNY" in named:
        return None
    counts = {c: named.count(c) for c in rules.money.currency_areas}
    best = max(counts, key=counts.get, default=None)
    if best and counts[best] >= rules.money.area_min_mentions and list(counts.values()).count(counts[best]) == 1:
        return best
    return None


def _amount(num: str | None, mult: str | None, rules: Rules) -> Decimal | None:
    if not num:
        return None
    num = num.strip()
    if not num[0].isdigit() and not has_chinese_digit(num, rules):
        return None
    value = parse_number(num, rules)
    if value is None:
        return None
    if mult:
        value *= rules.money.multipliers[mult]
    return value


def _currency(prefix: str | None, suffix: str | None, tail: str | None, rules: Rules) -> str | None:
    generic = set(rules.money.generic_forms)
    if tail:
        return "CNY"
    if suffix and suffix not in generic:
        return rules.currency_of[suffix]
    if prefix:
        return rules.currency_of[prefix]
    if suffix:
        return rules.money.default_currency
    return None


def _is_generic(prefix: str | None, suffix: str | None, tail: str | None, rules: Rules) -> bool:
    """Only a bare 元/块 named the currency: the article's currency area may change it."""
    return not prefix and not tail and suffix in rules.money.generic_forms


def _is_word_not_money(ctx: Context, m: regex.Match, num_group: str, rules: Rules) -> bool:
    text = ctx.text
    start = m.start()
    if start > 0 and text[start - 1] in rules.money.not_before:
        return True
    suffix = m.groupdict().get("suf")
    if suffix in rules.money.generic_forms:
        after = text[m.end(): m.end() + 2]
        if any(after.startswith(w) for w in rules.money.not_after):
            return True
    return False


def _per_share(ctx: Context, start: int, end: int, rules: Rules) -> bool:
    ps = rules.money.per_share
    lo = clause_start(ctx.text, start, ps.window, COMMA_BREAKS)
    if ctx.text[lo:lo + 1] in ("而", "较") and lo > 0:  # …每股亏损为0.54元,而二零二三年为0.61元: same metric
        lo = clause_start(ctx.text, lo - 1, ps.window * 2, COMMA_BREAKS)
    window = ctx.text[lo:start]
    if any(cue in window for cue in ps.before):
        return True
    after = ctx.text[end:end + 3]
    return any(after.startswith(cue) for cue in ps.after)


def resolve_money(m: regex.Match, pattern: Compiled, ctx: Context, *, rules: Rules) -> Mention | None:
    start, end = trim_span(ctx.text, m.start(), m.end())
    if end <= start or ctx.in_table(start, end):
        return None
    g = m.groupdict()
    if pattern.kind == "rate":
        return _rate(m, pattern, ctx, start, end, rules)
    if pattern.kind == "range":
        if _is_word_not_money(ctx, m, "num1", rules):
            return None
        mult = g.get("mult")
        mult1 = g.get("mult1") or (mult if not g.get("suf1") else None)
        low = _amount(g["num1"], mult1, rules)
        high = _amount(g["num2"], mult, rules)
        if low is None or high is None:
            return None
        if not g.get("mult1") and not g.get("suf1") and not g["num1"][0].isdigit():
            unit = trailing_large_unit(g["num2"], rules)  # 两到三万 -> 2万 to 3万
            if unit is not None and trailing_large_unit(g["num1"], rules) is None:
                low *= unit
        cur = _currency(g.get("cur"), g.get("suf"), g.get("suf_tail"), rules)
        if g.get("suf1") and _currency(None, g["suf1"], None, rules) != cur:
            return None  # 60亿港元至40亿美元 is two amounts, not a range
        if cur is None or low > high:
            return None
        sign = -1 if g.get("neg") else 1
        fields = {"value": plain(sign * low), "value_max": plain(sign * high), "currency": cur,
                  "generic": _is_generic(g.get("cur"), g.get("suf"), g.get("suf_tail"), rules)}
    else:
        num_group = "paren" if g.get("paren") else "num"
        if _is_word_not_money(ctx, m, num_group, rules):
            return None
        value = _amount(g[num_group], g.get("mult"), rules)
        if value is None:
            return None
        cur = _currency(g.get("cur"), g.get("suf"), g.get("suf_tail"), rules)
        if cur is None:
            return None
        if g.get("neg") or g.get("neg2") or g.get("paren"):
            value = -value
        fields = {"value": plain(value), "value_max": None, "currency": cur,
                  "generic": _is_generic(g.get("cur"), g.get("suf"), g.get("suf_tail"), rules)}
    qualifier = "over" if g.get("inside") else find_qualifier(ctx.text, start, end, rules)
    fields["qualifier"] = qualifier
    fields["per_share"] = _per_share(ctx, start, end, rules)
    return Mention("money", pattern.id, start, end, fields)


def _rate(m: regex.Match, pattern: Compiled, ctx: Context, start: int, end: int, rules: Rules) -> Mention | None:
    g = m.groupdict()
    a = _amount(g["num1"], None, rules)
    b = _amount(g["num2"], None, rules)
    cur_a = _currency(g.get("cur1"), g.get("suf1"), None, rules)
    cur_b = _currency(g.get("cur2"), g.get("suf2"), None, rules)
    if not a or not b or cur_a is None or cur_b is None or cur_a == cur_b:
        return None
    if a == 1 and b != 1:  # 1美元兑7.2元人民币: the side with 1 is the base
        a, b, cur_a, cur_b = b, a, cur_b, cur_a
    return Mention("exchange_rate", pattern.id, start, end,
                   {"value": plain(a / b), "base": cur_b, "quote": cur_a})
