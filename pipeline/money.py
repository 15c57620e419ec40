"""Money: amounts, ranges, qualifiers, per-share prices and exchange rates.

`extract_money` finds spans with the patterns in `rules/money.yaml`; `resolve_money` turns one match into
exact values. Table regions are left to the table reader.
"""

from __future__ import annotations

import bisect
from decimal import Decimal

import regex

from pipeline.mention import COMMA_BREAKS, Context, Mention, clause_start, run_patterns, sentence_bounds
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
    found = rates_in_context(ctx, run_patterns(ctx, rules.money_patterns, resolve_money, rules=rules), rules)
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


def rates_in_context(ctx: Context, mentions: list[Mention], rules: Rules) -> list[Mention]:
    """After a currency pair (新台币兑美元, 人民币对美元), small plain amounts in the same sentence are the
    rate, not money: 新台币兑美元…以32.805元收盘 is USD/TWD 32.805."""
    pairs = list(rules.rate_pair_rx.finditer(ctx.text))
    if not pairs:
        return mentions
    ends = [p.end() for p in pairs]
    out = []
    for m in mentions:
        f = m.fields
        k = bisect.bisect_right(ends, m.start)  # pairs[:k] end before the mention
        pair = pairs[k - 1] if k and sentence_bounds(ctx.text, m.start)[0] <= pairs[k - 1].start() else None
        if (pair is not None and m.family == "money" and f["value_max"] is None and abs(f["value"]) < 1000
                and not any(u in ctx.text[m.start:m.end] for u in "万亿兆")):
            quote, base = rules.currency_of[pair["quote"]], rules.currency_of[pair["base"]]
            if f.get("generic") or f["currency"] == quote:
                m = Mention("exchange_rate", "money.rate_in_context", m.start, m.end,
                            {"value": f["value"], "value_max": None, "base": base, "quote": quote})
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
    if tail:  # 1亿元人民币, 1,500元新台币, 100万元港币
        return rules.currency_of[tail]
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
    if suffix in rules.money.generic_forms and not m.groupdict().get("suf_tail"):
        after = text[m.end(): m.end() + 2]
        if any(after.startswith(w) for w in rules.money.not_after):
            return True
        if (suffix in rules.money.measure_word_forms and _HAN.match(after[:1])
                and not any(after.startswith(w) for w in rules.money.measure_word_ok_after)):
            return True  # 两块住宅用地: 块 is a measure word here
    return False


_HAN = regex.compile(r"\p{Han}")


def _per_share(ctx: Context, start: int, end: int, rules: Rules) -> bool:
    ps = rules.money.per_share
    unit = ctx.text[end:end + 2]
    if unit.startswith("/"):  # a price per unit: /股 is a share price, /吨 or /桶 is not
        return unit == "/股"
    lo = clause_start(ctx.text, start, ps.window, COMMA_BREAKS)
    if ctx.text[lo:lo + 1] in ("而", "较") and lo > 0:  # …每股亏损为0.54元,而二零二三年为0.61元: same metric
        lo = clause_start(ctx.text, lo - 1, ps.window * 2, COMMA_BREAKS)
    window = ctx.text[lo:start]
    if any(cue in window for cue in ps.before):
        return True
    if any(window.rstrip().endswith(cue) for cue in ps.adjacent):
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
        if g.get("suf1") and _currency(g.get("cur"), g["suf1"], None, rules) != cur:
            return None  # 60亿港元至40亿美元 is two amounts, not a range
        if g.get("cur2") and rules.currency_of[g["cur2"]] != cur:
            return None
        if cur is None:
            return None
        if g.get("neg"):
            low = -low
            if not g.get("neg2"):
                high = -high  # 负3至5亿元: the sign covers the range
        if g.get("neg2"):
            high = -high
        low, high = min(low, high), max(low, high)
        fields = {"value": plain(low), "value_max": plain(high), "currency": cur,
                  "generic": _is_generic(g.get("cur"), g.get("suf"), g.get("suf_tail"), rules)}
    else:
        num_group = "paren" if g.get("paren") else "num"
        if _is_word_not_money(ctx, m, num_group, rules):
            return None
        value = _amount(g[num_group], g.get("mult"), rules)
        if value is None:
            return None
        if g.get("big"):  # 3亿5000万元 = 3亿 + 5000万
            big = _amount(g["big"], None, rules)
            unit = rules.money.multipliers[g["bigmult"]]
            if big is None or value >= unit:
                return None
            value += big * unit
        cur = _currency(g.get("cur"), g.get("suf"), g.get("suf_tail"), rules)
        if cur is None:
            return None
        if g.get("neg") or g.get("neg2") or g.get("paren"):
            value = -value
        fields = {"value": plain(value), "value_max": None, "currency": cur,
                  "generic": _is_generic(g.get("cur"), g.get("suf"), g.get("suf_tail"), rules)}
    qualifier = "over" if g.get("inside") or g.get("inside2") else find_qualifier(ctx.text, start, end, rules)
    fields["qualifier"] = qualifier
    fields["per_share"] = _per_share(ctx, start, end, rules)
    return Mention("money", pattern.id, start, end, fields)


def _rate(m: regex.Match, pattern: Compiled, ctx: Context, start: int, end: int, rules: Rules) -> Mention | None:
    g = m.groupdict()
    a = _amount(g["num1"], None, rules)
    b = _amount(g["num2"], None, rules)
    a_max = _amount(g.get("num1b"), None, rules) if g.get("num1b") else None
    suf1 = g.get("suf1") or g.get("suf1b")
    cur_a = _currency(g.get("cur1"), suf1, None, rules)
    cur_b = _currency(g.get("cur2"), g.get("suf2"), None, rules)
    if not a or not b or cur_a is None or cur_b is None or cur_a == cur_b:
        return None
    if a_max is not None:  # a band: 7.75港元至7.85港元兑1美元
        return Mention("exchange_rate", pattern.id, start, end,
                       {"value": plain(a / b), "value_max": plain(a_max / b), "base": cur_b, "quote": cur_a})
    if a == 1 and b != 1:  # 1美元兑7.2元人民币: the side with 1 is the base
        a, b, cur_a, cur_b = b, a, cur_b, cur_a
    return Mention("exchange_rate", pattern.id, start, end,
                   {"value": plain(a / b), "value_max": None, "base": cur_b, "quote": cur_a})
