"""Share counts with their class: 37,419,500股H股, 香港公开发售1,871,000股 (H), 美国存托股 (ADS)."""

from __future__ import annotations

import regex

from pipeline.mention import Context, Mention, run_patterns, sentence_bounds
from pipeline.numbers import has_chinese_digit, parse_number, plain, trim_span
from pipeline.resources import Compiled, Rules


def extract_share(ctx: Context, *, rules: Rules) -> list[Mention]:
    chosen = run_patterns(ctx, rules.share_patterns, resolve_share, rules=rules)
    # a tranche without its own class takes the class of the count before it in the same sentence
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


def resolve_share(m: regex.Match, pattern: Compiled, ctx: Context, *, rules: Rules) -> Mention | None:
    start, end = trim_span(ctx.text, m.start(), m.end())
    if ctx.in_table(start, end):
        return None
    num = m.group("num")
    if not num[0].isdigit():
        # Chinese numerals count shares only with a unit (三千万股); 一股 is "a wave", 第一股 "the first stock"
        if not has_chinese_digit(num, rules) or not any(u in num for u in "十百千万亿"):
            return None
    if start > 0 and ctx.text[start - 1] in "第每":
        return None
    value = parse_number(num, rules)
    if value is None or value <= 0:
        return None
    if m.group("mult"):
        value *= rules.number.large_units[m.group("mult")]
    cls = rules.share_class_of.get(m.group("cls")) if m.group("cls") else None
    if cls is None:
        lo, hi = sentence_bounds(ctx.text, start, 60)
        window = ctx.text[max(lo, start - 12):min(hi, end + 8)]
        for word, c in sorted(rules.share_class_of.items(), key=lambda wc: -len(wc[0])):
            if word in window:
                cls = c
                break
    return Mention("share", pattern.id, start, end, {"value": plain(value), "share_class": cls})
