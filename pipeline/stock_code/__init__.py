"""The stock-code room: （股份代號：3896）, 納斯達克股票代碼：KC, 3896.HK, 600519.SH, SH600519, 000402SZ,
NQ873122, 贵州茅台(600519), 台積電(2330), BABA.N, NASDAQ: KC.

extract (spans: the `code` group of each pattern of `rules/stock_code.yaml`, anywhere in the article,
tables included) -> resolve (exchange and company) -> the longest non-overlapping."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pipeline import rxcache
from pipeline.mention import Candidate, select_longest
from pipeline.records import Item
from pipeline.registry import Family, Stage, register
from pipeline.resources import CompiledRules, PatternSpec, Piece, Rules, Strict, alternation
from pipeline.stock_code.resolve import RESOLVERS

Exchange = Literal["HKEX", "NASDAQ", "NYSE", "SSE", "SZSE", "BSE", "NEEQ", "TWSE", "TPEX", "SGX"]


class StockCode(Item):
    code: str = Field(description="the code as the exchange lists it, without prefix or suffix: 600519, 00700, 2330, BABA")
    exchange: Exchange | None = Field(None, description="from the code's form, its label or prefix/suffix and its context")
    company: str | None = Field(None, description="canonical name of the company the code belongs to")


class StockCodeRules(Strict):
    family: str
    exchanges: dict[Exchange, list[str]]
    suffixes: dict[str, Exchange]
    prefixes: dict[str, Exchange]
    exchange_labels: dict[str, Exchange]
    by_length: dict[int, Exchange]
    mainland_prefixes: dict[str, Exchange]
    board_codes: list[str]
    board_words: dict[Exchange, list[str]]
    four_digit_regions: dict[str, Exchange]
    taiwan_otc_words: list[str]
    label_window: int
    paragraph_window: int
    company_window: int
    pieces: dict[str, Piece]
    patterns: list[PatternSpec]


class CompiledStockCode(CompiledRules):
    def __init__(self, spec: StockCodeRules, rules: Rules):
        super().__init__("stock_code", spec, rules, shapes=RESOLVERS)
        self.exchange_of = {w: e for e, ws in spec.exchanges.items() for w in ws}
        self.exchange_rx = rxcache.compile(alternation(self.exchange_of))


def extract_stock_code(ctx, rules: CompiledStockCode) -> list[Candidate]:
    """Spans only: the `code` group of every match, in the whole text (a filing's tables too)."""
    out = []
    for pattern in rules.patterns:
        for m in pattern.rx.finditer(ctx.text):
            start, end = m.span("code")
            out.append(Candidate(pattern, m, start, end))
    return out


def run(ctx, rules: CompiledStockCode, found) -> list:
    entities = found.get("entity", [])
    got = (RESOLVERS[c.rule.resolve](c, ctx, rules, entities) for c in extract_stock_code(ctx, rules))
    return select_longest([m for m in got if m is not None])


register(
    families=(Family(name="stock_code", field="stock_codes", item=StockCode, order=70, rank=10, title="Stock code",
                     columns={"value": "code", "unit": "exchange", "norm": "company"},
                     colours={"stock_codes": "#AAAA00"},
                     detail=lambda i: f"{i['code']} on {i.get('exchange') or '?'} ({i.get('company') or 'company unknown'})",
                     keys=("code", "exchange"), secondary=("company",)),),
    stages=(Stage(name="stock_code", order=60, families=("stock_code",), run=run, schema=StockCodeRules,
                  compile=CompiledStockCode),),
)
