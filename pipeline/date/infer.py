"""Dates, the article decides: years for the dates that do not write one, never from the clock.

A date without its year takes it, in this order (the first that applies wins):
1. an explicit year earlier in the same sentence (二零二零年五月及九月: 九月 is 2020);
2. an explicit year earlier in the same paragraph;
3. the article's reference date (`published`), choosing the year that puts the date nearest to it
   (in a December article, 1月5日 is next January);
4. the nearest explicit year earlier in the article.
Otherwise the date is dropped with a `date_year_unknown` warning. Relative dates (今天, 去年, 上周, 本月15日)
need the reference date; without one they are dropped with a `date_unresolved` warning. 同年/当年 take the
last year the text spoke of. A day alone (台股10日收盘) is read only with a reference date, as the nearest
such day. An "as at" date keeps a 截至 before it in its span, at every granularity.
"""

from __future__ import annotations

import bisect
from datetime import date

from pipeline.date.resolve import Fields, Pending
from pipeline.mention import Context, Mention, sentence_bounds


def finish_dates(ctx: Context, chosen: list[Mention], rules) -> list[Mention]:
    """Give year-less dates their year, in reading order, once the spans are chosen."""
    text = ctx.text
    explicit = [(m.start, int(m.fields["value"][:4])) for m in chosen if "_pending" not in m.fields]
    out: list[Mention] = []
    seen: list[tuple[int, int]] = []  # (start, year) of every date resolved so far, in reading order
    for m in chosen:
        p = m.fields.get("_pending")
        if p is not None:
            fields = _resolve_pending(p, ctx, explicit, seen)
            if fields is None:
                continue
            m = Mention("date", p.rule, p.start, p.end, {**fields, "year_inferred": True})
        out.append(_with_as_at(m, text, rules))
        seen.append((m.start, int(m.fields["value"][:4])))
    return out


def _with_as_at(m: Mention, text: str, rules) -> Mention:
    """截至2024年底, 截至2025年上半年: an as-at date keeps 截至 in its span."""
    s = m.start
    while s > 0 and text[s - 1] == " ":
        s -= 1
    for word in rules.as_at_words:
        n = len(word)
        if s >= n and text[s - n:s] == word and not text[m.start:m.end].startswith(word):
            return Mention(m.family, m.rule, s - n, m.end, m.fields)
    return m


def _resolve_pending(p: Pending, ctx: Context, explicit, seen) -> Fields | None:
    text = ctx.text
    if p.year_rule == "reference":
        if ctx.published is None:
            if not p.quiet:
                ctx.warn("date_unresolved", f"{text[p.start:p.end]!r} needs the article's date, which is unknown",
                         p.start, p.end)
            return None
        return p.build(ctx.published)
    if p.year_rule is None:
        year = infer_year(ctx, p.start, p.month, explicit)
        if year is None:
            ctx.warn("date_year_unknown", f"no year for {text[p.start:p.end]!r}", p.start, p.end)
            return None
    elif isinstance(p.year_rule, int):
        if ctx.published is None:
            ctx.warn("date_unresolved", f"{text[p.start:p.end]!r} needs the article's date, which is unknown",
                     p.start, p.end)
            return None
        year = ctx.published.year + p.year_rule
    else:
        if not seen:  # `seen` holds only dates before this one: they are resolved in reading order
            ctx.warn("date_year_unknown", f"{text[p.start:p.end]!r} refers to a year the text does not give",
                     p.start, p.end)
            return None
        year = seen[-1][1] + (1 if p.year_rule == "context_next" else 0)
    return p.build(year)


def infer_year(ctx: Context, pos: int, month: int | None, years: list[tuple[int, int]]) -> int | None:
    """`years`: (start, year) of the explicit dates, in reading order."""
    text = ctx.text
    k = bisect.bisect_left(years, (pos, -1))  # years[:k] start before pos
    last = years[k - 1] if k else None
    lo, _ = sentence_bounds(text, pos)
    if last and last[0] >= lo:
        return last[1]
    para = text.rfind("\n", 0, pos) + 1
    if last and last[0] >= para:
        return last[1]
    if ctx.published is not None:
        ref = ctx.published
        if month is None:
            return ref.year
        options = [ref.year - 1, ref.year, ref.year + 1]
        return min(options, key=lambda y: abs((date(y, month, 15) - ref).days))
    if last:
        return last[1]
    return None
