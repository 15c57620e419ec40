"""The table room: the numeric cells of plain-text filing tables (`table_items`), and the table regions
that the prose stages skip (the stage's `mask`). Rules: `rules/table.yaml`; see `read.py`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pipeline import rxcache
from pipeline.records import ExactDecimal, Item
from pipeline.registry import Family, Stage, register
from pipeline.resources import CompiledRules, Piece, Rules, Strict
from pipeline.table.read import read_tables, table_mask


class TableItem(Item):
    """One numeric cell of a table, with the scale of its header applied."""

    label: str = Field(description="the row label, simplified; a wrapped label is joined")
    period: str | None = Field(None, description="the column's period: YYYY, YYYY-Qn, YYYY-Hn or an as-at day")
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$", description="ISO 4217 of a money cell, from the table's unit line")
    value: ExactDecimal = Field(description="scaled: 7,047,461 under 人民币千元 is 7047461000; (x) is negative")
    kind: Literal["money", "per_share", "shares", "percent", "change", "number"] = Field(
        description="what the cell holds, from its row label, section and column")
    table: str | None = Field(None, description="the table's title or nearest heading")


class TableRules(Strict):
    family: str
    scales: dict[str, int]
    change_words: list[str]
    note_words: list[str]
    percent_cells: list[str]
    share_rows: list[str]
    per_share_rows: list[str]
    not_share_rows: list[str]
    as_at_prefixes: list[str]
    pieces: dict[str, Piece]


class CompiledTable(CompiledRules):
    def __init__(self, spec: TableRules, rules: Rules):
        super().__init__("table", spec, rules)
        self.header_cell_rx = rxcache.compile(self.pieces["header_cell"])
        self.header_line_rx = rxcache.compile(self.pieces["header_line"])
        self.period_rx = rxcache.compile(self.pieces["period_cell"])
        self.month_day_rx = rxcache.compile(self.pieces["month_day"])
        self.scale_words = sorted(spec.scales, key=len, reverse=True)
        cur = rules.currency.currencies.values()
        self.currency_words = sorted({w for c in cur for w in c.names + c.codes + c.symbols}, key=lambda w: (-len(w), w))


def run(ctx, rules: CompiledTable, found) -> list:
    return read_tables(ctx, rules)


def _detail(i: dict) -> str:
    return f"{i['label']} · {i.get('period') or ''} · {i['value']} {i.get('currency') or ''} ({i['kind']})"


register(
    families=(Family(name="table", field="table_items", item=TableItem, order=80, rank=0, title="Table cell",
                     columns={"value": "value", "unit": "currency", "norm": "label", "period": "period",
                              "kind": "kind"},
                     colours={"table_items": "#DDDDDD"}, detail=_detail,
                     keys=("value", "currency", "period", "label"), secondary=("kind", "table"),
                     gold_regions="table"),),
    stages=(Stage(name="table", order=70, families=("table",), run=run, schema=TableRules, compile=CompiledTable,
                  mask=table_mask),),
)

__all__ = ["TableItem", "read_tables", "table_mask"]
