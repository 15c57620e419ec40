"""Share counts, resolve: the number of shares of each span, and its class.

A count of stocks (55股涨停) or a ratio (每10股转增4股, 10送3股) is no count of shares; in a Taiwan article a
lot (張) is 1,000 shares."""

from __future__ import annotations

from decimal import Decimal

import regex

from pipeline.mention import COMMA_BREAKS, Candidate, Context, Mention, clause_start, sentence_bounds
from pipeline.numbers import find_qualifier, has_chinese_digit, has_unit, parse_number, plain

_RATIO_BEFORE = regex.compile(r"每\s?[\d一二两三四五六七八九十]+\s?股[^,，。;；]{0,6}$")


def _value(c: Candidate, ctx: Context, rules) -> Decimal | None:
    num = c.group("num")
    shared = rules.rules
    if not num[0].isdigit():
        # Chinese numerals count shares only with a unit (三千万股); 一股 is "a wave", 第一股 "the first stock"
        if not has_chinese_digit(num, shared) or (not has_unit(num, shared) and not c.group("mult")):
            return None
    if c.start > 0 and ctx.text[c.start - 1] in rules.not_after:
        return None
    value = parse_number(num, shared)
    if value is None or value <= 0:
        return None
    if c.group("mult"):
        value *= shared.number.large_units[c.group("mult")]
    if c.group("big"):  # 2万3,456
        big = parse_number(c.group("big"), shared)
        unit = shared.number.large_units[c.group("bigmult")]
        if big is None or value >= unit:
            return None
        value += big * unit
    return value


def _is_ratio(ctx: Context, c: Candidate, rules) -> bool:
    """每10股转增4股, 10送3股, 1股拆5股: the parts of a ratio."""
    text = ctx.text
    lo = clause_start(text, c.start, 16, COMMA_BREAKS)
    before = text[lo:c.start]
    if _RATIO_BEFORE.search(before):
        return True
    if any(before.endswith(w) for w in rules.ratio_words) and regex.search(r"\d\s?(?:股)?\s?\S{1,2}$", before):
        return True
    after = text[c.end:c.end + 3]
    return any(after.startswith(w) and regex.match(r"\s?\d", after[len(w):]) for w in rules.ratio_words)


def resolve_count(c: Candidate, ctx: Context, rules) -> Mention | None:
    value = _value(c, ctx, rules)
    if value is None or _is_ratio(ctx, c, rules):
        return None
    cls = rules.class_of.get(c.group("cls")) if c.group("cls") else None
    if cls is None:
        lo, hi = sentence_bounds(ctx.text, c.start, 60)
        window = ctx.text[max(lo, c.start - rules.class_window_before):min(hi, c.end + rules.class_window_after)]
        for word, k in rules.class_words:
            if word in window:
                cls = k
                break
    return Mention("share", c.rule.id, c.start, c.end, {
        "value": plain(value), "share_class": cls,
        "qualifier": find_qualifier(ctx.text, c.start, c.end, rules.rules)})


def resolve_lot(c: Candidate, ctx: Context, rules) -> Mention | None:
    """張 in a Taiwan article about trading: 1,000 shares each."""
    lot = rules.lot
    if ctx.region != lot.region:
        return None
    lo, hi = sentence_bounds(ctx.text, c.start)
    if not any(w in ctx.text[lo:hi] for w in rules.lot_context):
        return None
    value = _value(c, ctx, rules)
    if value is None:
        return None
    return Mention("share", c.rule.id, c.start, c.end, {
        "value": plain(value * lot.shares), "share_class": None,
        "qualifier": find_qualifier(ctx.text, c.start, c.end, rules.rules)})


def carry_class(ctx: Context, chosen: list[Mention]) -> list[Mention]:
    """A tranche without its own class takes the class of the count before it in the same sentence."""
    out: list[Mention] = []
    last_class: tuple[int, str] | None = None  # (start, class) of the last count that had a class
    for mention in chosen:
        if mention.fields["share_class"] is None and last_class is not None:
            lo, _ = sentence_bounds(ctx.text, mention.start)
            if last_class[0] >= lo:
                mention = Mention(mention.family, mention.rule, mention.start, mention.end,
                                  {**mention.fields, "share_class": last_class[1]})
        if mention.fields["share_class"]:
            last_class = (mention.start, mention.fields["share_class"])
        out.append(mention)
    return out


RESOLVERS = {"count": resolve_count, "lot": resolve_lot}
