"""Money, resolve: exact values for each span, by the shape its rule declares (`amount`, `range`, `rate`),
then what the article around the amounts decides: rates named by a currency pair, and the currency of a
bare 元 in an article about another currency area."""

from __future__ import annotations

import bisect
from decimal import Decimal

import regex

from pipeline.mention import COMMA_BREAKS, Candidate, Context, Mention, clause_start, sentence_bounds
from pipeline.money.rules import CompiledMoney
from pipeline.numbers import find_qualifier, has_chinese_digit, parse_number, plain, trailing_large_unit


def finish_money(ctx: Context, mentions: list[Mention], rules: CompiledMoney) -> list[Mention]:
    """After the spans are chosen: amounts after a currency pair become rates, and bare 元 is CNY unless
    the article is clearly about another currency area (see `area_currency`)."""
    found = rates_in_context(ctx, mentions, rules)
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


def rates_in_context(ctx: Context, mentions: list[Mention], rules: CompiledMoney) -> list[Mention]:
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
                and not any(u in ctx.text[m.start:m.end] for u in rules.rate_units)):
            quote, base = rules.currency_of[pair["quote"]], rules.currency_of[pair["base"]]
            if f.get("generic") or f["currency"] == quote:
                m = Mention("exchange_rate", "money.rate_in_context", m.start, m.end,
                            {"value": f["value"], "value_max": None, "base": base, "quote": quote})
        out.append(m)
    return out


def area_currency(mentions: list[Mention], rules: CompiledMoney) -> str | None:
    """The currency bare 元 means in this article, when not CNY: a currency area the article names
    at least `area_min_mentions` times, with no explicit default currency anywhere."""
    named = [m.fields["currency"] for m in mentions if m.family == "money" and not m.fields.get("generic")]
    if rules.default_currency in named:
        return None
    counts = {c: named.count(c) for c in rules.currency_areas}
    best = max(counts, key=counts.get, default=None)
    if best and counts[best] >= rules.area_min_mentions and list(counts.values()).count(counts[best]) == 1:
        return best
    return None


# ----------------------------------------------------------------------------------------------
# one span -> values


def _amount(num: str | None, mult: str | None, rules: CompiledMoney) -> Decimal | None:
    if not num:
        return None
    num = num.strip()
    if not num[0].isdigit() and not has_chinese_digit(num, rules.rules):
        return None
    value = parse_number(num, rules.rules)
    if value is None:
        return None
    if mult:
        value *= rules.multipliers[mult]
    return value


def _currency(prefix: str | None, suffix: str | None, tail: str | None, rules: CompiledMoney) -> str | None:
    if tail:  # 1亿元人民币, 1,500元新台币, 100万元港币
        return rules.currency_of[tail]
    if suffix and suffix not in rules.generic:
        return rules.currency_of[suffix]
    if prefix:
        return rules.currency_of[prefix]
    if suffix:
        return rules.default_currency
    return None


def _is_generic(prefix: str | None, suffix: str | None, tail: str | None, rules: CompiledMoney) -> bool:
    """Only a bare 元/块 named the currency: the article's currency area may change it."""
    return not prefix and not tail and suffix in rules.generic


_HAN = regex.compile(r"\p{Han}")


def _is_word_not_money(ctx: Context, c: Candidate, rules: CompiledMoney) -> bool:
    text = ctx.text
    start = c.match.start()
    if start > 0 and text[start - 1] in rules.not_before:
        return True
    suffix = c.group("suf")
    if suffix in rules.generic and not c.group("suf_tail"):
        after = text[c.match.end(): c.match.end() + 2]
        if any(after.startswith(w) for w in rules.not_after):
            return True
        if (suffix in rules.measure_word_forms and _HAN.match(after[:1])
                and not any(after.startswith(w) for w in rules.measure_word_ok_after)):
            return True  # 两块住宅用地: 块 is a measure word here
    return False


def _per_share(ctx: Context, start: int, end: int, rules: CompiledMoney) -> bool:
    ps = rules.per_share
    unit = ctx.text[end:end + 2]
    if unit.startswith("/"):  # a price per unit: /股 is a share price, /吨 or /桶 is not
        return unit == rules.per_share_unit
    lo = clause_start(ctx.text, start, ps.window, COMMA_BREAKS)
    if ctx.text[lo:lo + 1] in rules.per_share_continuation and lo > 0:  # …每股亏损为0.54元,而二零二三年为0.61元
        lo = clause_start(ctx.text, lo - 1, ps.window * 2, COMMA_BREAKS)
    window = ctx.text[lo:start]
    if any(cue in window for cue in ps.before):
        return True
    if any(window.rstrip().endswith(cue) for cue in ps.adjacent):
        return True
    after = ctx.text[end:end + 3]
    return any(after.startswith(cue) for cue in ps.after)


def _finish(c: Candidate, ctx: Context, rules: CompiledMoney, fields: dict) -> Mention:
    inside = c.group("inside") or c.group("inside2")
    fields["qualifier"] = "over" if inside else find_qualifier(ctx.text, c.start, c.end, rules.rules)
    fields["per_share"] = _per_share(ctx, c.start, c.end, rules)
    return Mention("money", c.rule.id, c.start, c.end, fields)


def resolve_amount(c: Candidate, ctx: Context, rules: CompiledMoney) -> Mention | None:
    """One amount: 5.4亿美元, 3亿5000万元 (a compound), 人民币(1,234)百万元 (accounting negative), US$12."""
    g = c.match.groupdict()
    if _is_word_not_money(ctx, c, rules):
        return None
    num_group = "paren" if g.get("paren") else "num"
    value = _amount(g[num_group], g.get("mult"), rules)
    if value is None:
        return None
    if g.get("big"):  # 3亿5000万元 = 3亿 + 5000万
        big = _amount(g["big"], None, rules)
        unit = rules.multipliers[g["bigmult"]]
        if big is None or value >= unit:
            return None
        value += big * unit
    cur = _currency(g.get("cur"), g.get("suf"), g.get("suf_tail"), rules)
    if cur is None:
        return None
    if g.get("neg") or g.get("neg2") or g.get("paren"):
        value = -value
    return _finish(c, ctx, rules, {"value": plain(value), "value_max": None, "currency": cur,
                                   "generic": _is_generic(g.get("cur"), g.get("suf"), g.get("suf_tail"), rules)})


def resolve_range(c: Candidate, ctx: Context, rules: CompiledMoney) -> Mention | None:
    """A range: 60亿至80亿港元, 两到三万元, HK$3.5至HK$4.2; one multiplier or currency may serve both ends."""
    g = c.match.groupdict()
    if _is_word_not_money(ctx, c, rules):
        return None
    mult = g.get("mult")
    mult1 = g.get("mult1") or (mult if not g.get("suf1") else None)
    low = _amount(g["num1"], mult1, rules)
    high = _amount(g["num2"], mult, rules)
    if low is None or high is None:
        return None
    if not g.get("mult1") and not g.get("suf1") and not g["num1"][0].isdigit():
        unit = trailing_large_unit(g["num2"], rules.rules)  # 两到三万 -> 2万 to 3万
        if unit is not None and trailing_large_unit(g["num1"], rules.rules) is None:
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
    return _finish(c, ctx, rules, {"value": plain(low), "value_max": plain(high), "currency": cur,
                                   "generic": _is_generic(g.get("cur"), g.get("suf"), g.get("suf_tail"), rules)})


def resolve_rate(c: Candidate, ctx: Context, rules: CompiledMoney) -> Mention | None:
    """An exchange rate: 1美元兑7.2元人民币, or a band 7.75港元至7.85港元兑1美元."""
    g = c.match.groupdict()
    a = _amount(g["num1"], None, rules)
    b = _amount(g["num2"], None, rules)
    a_max = _amount(g.get("num1b"), None, rules) if g.get("num1b") else None
    suf1 = g.get("suf1") or g.get("suf1b")
    cur_a = _currency(g.get("cur1"), suf1, None, rules)
    cur_b = _currency(g.get("cur2"), g.get("suf2"), None, rules)
    if not a or not b or cur_a is None or cur_b is None or cur_a == cur_b:
        return None
    if a_max is not None:
        return Mention("exchange_rate", c.rule.id, c.start, c.end,
                       {"value": plain(a / b), "value_max": plain(a_max / b), "base": cur_b, "quote": cur_a})
    if a == 1 and b != 1:  # 1美元兑7.2元人民币: the side with 1 is the base
        a, b, cur_a, cur_b = b, a, cur_b, cur_a
    return Mention("exchange_rate", c.rule.id, c.start, c.end,
                   {"value": plain(a / b), "value_max": None, "base": cur_b, "quote": cur_a})


RESOLVERS = {"amount": resolve_amount, "range": resolve_range, "rate": resolve_rate}
