"""Stock codes, resolve: the code as listed, its exchange, and the company named before it."""

from __future__ import annotations

from pipeline.mention import Candidate, Context, Mention, sentence_bounds


def resolve_code(c: Candidate, ctx: Context, rules, entities=()) -> Mention:
    written = c.group("code")
    exchange = resolve_exchange(ctx, c.group("exch"), written, c.start, rules)
    code = written.rsplit(".", 1)[0] if "." in written else written  # 3896.HK -> 3896 on HKEX
    company = _company(entities, c.start, rules.company_window)
    return Mention("stock_code", c.rule.id, c.start, c.end, {"code": code, "exchange": exchange, "company": company})


def resolve_exchange(ctx: Context, named: str | None, code: str, pos: int, rules) -> str | None:
    """The exchange a code trades on: named next to it, by suffix (.HK), by a label that implies it
    (股份代号), by the sentence or paragraph around it, else by the code's form."""
    if named:
        return rules.exchange_of.get(named) or rules.exchange_of.get(named.upper())
    if "." in code:
        return rules.suffixes.get(code.rsplit(".", 1)[1])
    before = ctx.text[max(0, pos - rules.label_window):pos]
    for label, exchange in rules.exchange_labels.items():
        if label in before:
            return exchange
    lo, hi = sentence_bounds(ctx.text, pos)
    names = list(rules.exchange_rx.finditer(ctx.text, lo, hi))
    if not names:  # the paragraph before the code: 纳斯达克交易所的…敲钟。当股票代码“KC”…
        para = max(ctx.text.rfind("\n", 0, pos) + 1, pos - rules.paragraph_window)
        names = list(rules.exchange_rx.finditer(ctx.text, para, pos))
    if names:
        nearest = min(names, key=lambda n: abs(n.start() - pos))
        return rules.exchange_of[nearest.group()]
    if code.isdigit():
        return rules.by_length.get(len(code)) or _mainland(code, rules)
    return None


def _mainland(code: str, rules) -> str | None:
    if len(code) != 6:
        return None
    return rules.mainland_prefixes.get(code[0])


def _company(entities, pos: int, window: int) -> str | None:
    """The nearest company named before the code (entities are in reading order)."""
    for e in reversed(entities):
        if e.end <= pos:
            if pos - e.end > window:
                return None
            if e.fields.get("kind") == "company":
                return e.fields["norm"]
    return None


RESOLVERS = {"code": resolve_code}
