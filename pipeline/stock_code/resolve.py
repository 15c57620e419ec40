"""Stock codes, resolve: the code as listed, its exchange, and the company named next to it.

The exchange comes from, in this order: an exchange named with the code (NASDAQ: KC), the code's suffix or
prefix (600519.SH, SH600519), a label that names the market (股份代号), a six-digit mainland code's first
digits (with the words around it for the codes the Beijing exchange and the NEEQ share), a four-digit code
in a Taiwan or Hong Kong article, an exchange named in the sentence or the paragraph before it, and last the
code's length."""

from __future__ import annotations

import regex

from pipeline.mention import Candidate, Context, Mention, sentence_bounds

_SPLIT = regex.compile(r"^(?:(?P<pre>SH|SZ|BJ|NQ|HK)(?P<a>\d+)|(?P<b>\d+)(?P<post>SH|SZ|SS|BJ)|(?P<c>[A-Z0-9]+)\.(?P<suf>[A-Z]+)|(?P<d>.+))$")


def split_code(written: str) -> tuple[str, str | None, str | None]:
    """(code, prefix, suffix): SH600519 -> (600519, SH, None), 600519.SH -> (600519, None, SH),
    000402SZ -> (000402, None, SZ), sh600519 -> (600519, SH, None), KC -> (KC, None, None)."""
    m = _SPLIT.match(written.upper())
    if m["pre"]:
        return m["a"], m["pre"], None
    if m["post"]:
        return m["b"], None, m["post"]
    if m["suf"]:
        return m["c"], None, m["suf"]
    return written.upper(), None, None


def resolve_code(c: Candidate, ctx: Context, rules, entities=()) -> Mention | None:
    written = c.group("code")
    code, prefix, suffix = split_code(written)
    exchange = resolve_exchange(ctx, c.group("exch"), code, prefix, suffix, c.start, rules, label=c.group("label"))
    company = _company(entities, c.start, c.end, ctx, rules)
    return Mention("stock_code", c.rule.id, c.start, c.end, {"code": code, "exchange": exchange, "company": company})


def resolve_bracketed(c: Candidate, ctx: Context, rules, entities=()) -> Mention | None:
    """A bare code in brackets right after a company: six digits with a mainland prefix, five digits with a
    leading 0 (Hong Kong), four digits in a Taiwan or Hong Kong article (a year only with a company named
    right before it)."""
    code = c.group("code")
    company = _company(entities, c.start, c.end, ctx, rules)
    right_before = _company_at(entities, c.start - 1)
    if len(code) == 6:
        exchange = _mainland(ctx, code, c.start, rules)
        if exchange is None:
            return None
    elif len(code) == 5:
        exchange = "HKEX"
    else:
        exchange = rules.four_digit_regions.get(ctx.region or "")
        if exchange is None:
            return None
        if 1950 <= int(code) <= 2099 and right_before is None:
            return None  # (2025): a year, unless a company stands right before it
        if exchange == "TWSE" and _near_words(ctx, c.start, rules.taiwan_otc_words):
            exchange = "TPEX"
    return Mention("stock_code", c.rule.id, c.start, c.end, {"code": code, "exchange": exchange,
                                                              "company": right_before or company})


def resolve_exchange(ctx: Context, named: str | None, code: str, prefix: str | None, suffix: str | None,
                     pos: int, rules, *, label: str | None = None) -> str | None:
    if named:
        return rules.exchange_of.get(named) or rules.exchange_of.get(named.upper())
    if suffix:
        return rules.suffixes.get(suffix)
    if prefix:
        return rules.prefixes.get(prefix)
    if label:
        return rules.exchange_labels.get(label)
    before = ctx.text[max(0, pos - rules.label_window):pos]
    for lab, exchange in rules.exchange_labels.items():
        if lab in before:
            return exchange
    if code.isdigit() and len(code) == 6:
        found = _mainland(ctx, code, pos, rules)
        if found:
            return found
    if code.isdigit() and len(code) == 4 and ctx.region in rules.four_digit_regions:
        exchange = rules.four_digit_regions[ctx.region]
        if exchange == "TWSE" and _near_words(ctx, pos, rules.taiwan_otc_words):
            return "TPEX"
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
        return rules.by_length.get(len(code))
    return None


def _mainland(ctx: Context, code: str, pos: int, rules) -> str | None:
    """A six-digit code's exchange by its first digits; the codes the Beijing exchange and the NEEQ share go
    by the words of the sentence (新三板, 挂牌 -> NEEQ)."""
    for n in (3, 2):
        exchange = rules.mainland_prefixes.get(code[:n])
        if exchange is not None:
            break
    else:
        return None
    if code[:2] in rules.board_codes:
        for board, words in rules.board_words.items():
            if _near_words(ctx, pos, words):
                return board
    return exchange


def _near_words(ctx: Context, pos: int, words) -> bool:
    lo, hi = sentence_bounds(ctx.text, pos)
    sentence = ctx.text[lo:hi]
    return any(w in sentence for w in words)


def _company_at(entities, end: int) -> str | None:
    """The company whose name ends right here (贵州茅台(600519): the name ends at the bracket), allowing a
    share class or a suffix such as H股 or -W between them."""
    for e in reversed(entities):
        if e.end <= end + 1 and end - e.end <= 3 and e.fields.get("kind") == "company":
            return e.fields["norm"]
        if e.end < end - 3:
            break
    return None


def _company(entities, pos: int, end: int, ctx: Context, rules) -> str | None:
    """The nearest company named before the code (entities are in reading order)."""
    for e in reversed(entities):
        if e.end <= pos:
            if pos - e.end > rules.company_window:
                return None
            if e.fields.get("kind") == "company":
                return e.fields["norm"]
    return None


RESOLVERS = {"code": resolve_code, "bracketed": resolve_bracketed}
