"""Stock codes with their exchange: （股份代號：3896）, 納斯達克股票代碼：KC, 3896.HK, 600519.SH, NASDAQ: KC."""

from __future__ import annotations

from pipeline.mention import Context, Mention, select_longest, sentence_bounds
from pipeline.resources import Rules


def extract_stock_code(ctx: Context, *, rules: Rules, entities: list[Mention] = ()) -> list[Mention]:
    found = []
    for pattern in rules.stock_code_patterns:
        for m in pattern.rx.finditer(ctx.text):
            start, end = m.span("code")
            written = m.group("code")
            exchange = resolve_exchange(ctx, m.groupdict().get("exch"), written, start, rules=rules)
            code = written.rsplit(".", 1)[0] if "." in written else written  # 3896.HK -> 3896 on HKEX
            company = _company(entities, start)
            found.append(Mention("stock_code", pattern.id, start, end,
                                 {"code": code, "exchange": exchange, "company": company}))
    return select_longest(found)


def resolve_exchange(ctx: Context, named: str | None, code: str, pos: int, *, rules: Rules) -> str | None:
    """The exchange a code trades on: named next to it, by suffix (.HK), or by the sentence around it."""
    if named:
        return rules.exchange_of.get(named) or rules.exchange_of.get(named.upper())
    if "." in code:
        return rules.stock_code.suffixes.get(code.rsplit(".", 1)[1])
    before = ctx.text[max(0, pos - 12):pos]
    if "股份代号" in before:  # the Hong Kong filing term
        return "HKEX"
    lo, hi = sentence_bounds(ctx.text, pos)
    names = list(rules.exchange_rx.finditer(ctx.text, lo, hi))
    if not names:  # the paragraph before the code: 纳斯达克交易所的…敲钟。当股票代码“KC”…
        para = max(ctx.text.rfind("\n", 0, pos) + 1, pos - 200)
        names = list(rules.exchange_rx.finditer(ctx.text, para, pos))
    if names:
        nearest = min(names, key=lambda n: abs(n.start() - pos))
        return rules.exchange_of[nearest.group()]
    if code.isdigit():
        return {4: "HKEX", 5: "HKEX"}.get(len(code)) or _mainland(code)
    return None


def _mainland(code: str) -> str | None:
    if len(code) != 6:
        return None
    if code[0] == "6":
        return "SSE"
    if code[0] in "03":
        return "SZSE"
    if code[0] in "48":
        return "BSE"
    return None


def _company(entities, pos: int, window: int = 300) -> str | None:
    """The nearest company named before the code (entities are in reading order)."""
    for e in reversed(entities):
        if e.end <= pos:
            if pos - e.end > window:
                return None
            if e.fields.get("kind") == "company":
                return e.fields["norm"]
    return None
