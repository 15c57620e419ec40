"""Share counts, resolve: the number of shares of each span, and its class."""

from __future__ import annotations

from pipeline.mention import Candidate, Context, Mention, sentence_bounds
from pipeline.numbers import has_chinese_digit, has_unit, parse_number, plain


def resolve_count(c: Candidate, ctx: Context, rules) -> Mention | None:
    num = c.group("num")
    shared = rules.rules
    if not num[0].isdigit():
        # Chinese numerals count shares only with a unit (三千万股); 一股 is "a wave", 第一股 "the first stock"
        if not has_chinese_digit(num, shared) or not has_unit(num, shared):
            return None
    if c.start > 0 and ctx.text[c.start - 1] in rules.not_after:
        return None
    value = parse_number(num, shared)
    if value is None or value <= 0:
        return None
    if c.group("mult"):
        value *= shared.number.large_units[c.group("mult")]
    cls = rules.class_of.get(c.group("cls")) if c.group("cls") else None
    if cls is None:
        lo, hi = sentence_bounds(ctx.text, c.start, 60)
        window = ctx.text[max(lo, c.start - rules.class_window_before):min(hi, c.end + rules.class_window_after)]
        for word, k in rules.class_words:
            if word in window:
                cls = k
                break
    return Mention("share", c.rule.id, c.start, c.end, {"value": plain(value), "share_class": cls})


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


RESOLVERS = {"count": resolve_count}
