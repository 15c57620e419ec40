"""Frozen pydantic records: what one article turns into.

Every item carries `text`, `start`, `end` (half-open offsets into the original decoded text, so
`original[start:end] == text`) and `rule` (the rule id or model label that produced it). Amounts are
exact `Decimal`s and serialise to JSON as strings, never as floats.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, model_validator

from pipeline.version import PIPELINE_VERSION


def _plain(d: Decimal) -> str:
    """A decimal as plain digits: no exponent, no trailing zeros (540000000, 20.37, -265.1)."""
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "") else text


ExactDecimal = Annotated[Decimal, PlainSerializer(_plain, return_type=str, when_used="json")]
Qualifier = Literal["approx", "over", "under"]
Script = Literal["simplified", "traditional", "mixed", "unknown"]
Granularity = Literal["day", "month", "quarter", "half", "year"]
ShareClass = Literal["H", "A", "B", "ADS", "ordinary"]
Exchange = Literal["HKEX", "NASDAQ", "NYSE", "SSE", "SZSE", "BSE"]
EntityLabel = Literal["PERSON", "ORG", "GPE"]

ISO_PERIOD = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?|-Q[1-4]|-H[12])?$"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Item(Frozen):
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    rule: str = Field(description="the rule id (family.slug) or model label that produced the item")

    @model_validator(mode="after")
    def _span(self) -> "Item":
        if self.end < self.start:
            raise ValueError(f"end {self.end} before start {self.start}")
        if self.end - self.start < len(self.text.strip()):
            raise ValueError("span shorter than its text")
        return self


class Money(Item):
    value: ExactDecimal
    value_max: ExactDecimal | None = None
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217")
    qualifier: Qualifier | None = None
    per_share: bool = False


class ExchangeRate(Item):
    value: ExactDecimal = Field(description="units of `quote` for one unit of `base`")
    value_max: ExactDecimal | None = Field(None, description="the upper end of a band (7.75至7.85港元兑1美元)")
    base: str = Field(pattern=r"^[A-Z]{3}$")
    quote: str = Field(pattern=r"^[A-Z]{3}$")


class Percentage(Item):
    value: ExactDecimal
    value_max: ExactDecimal | None = None
    qualifier: Qualifier | None = None
    points: bool = Field(False, description="percentage points (个百分点), not a percentage")


class DateItem(Item):
    value: str = Field(pattern=ISO_PERIOD)
    end_value: str | None = Field(None, pattern=ISO_PERIOD)
    granularity: Granularity
    year_inferred: bool = False


class Share(Item):
    value: ExactDecimal
    share_class: ShareClass | None = None


class StockCode(Item):
    code: str
    exchange: Exchange | None = None
    company: str | None = Field(None, description="canonical name of the company the code belongs to")


class TableItem(Item):
    """One numeric cell of a table, with the scale of its header applied."""

    label: str = Field(description="the row label, simplified; a wrapped label is joined")
    period: str | None = Field(None, description="the column's period: YYYY, YYYY-Qn, YYYY-Hn or an as-at day")
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    value: ExactDecimal = Field(description="scaled: 7,047,461 under 人民币千元 is 7047461000; (x) is negative")
    kind: Literal["money", "per_share", "shares", "percent", "change", "number"]
    table: str | None = Field(None, description="the table's title or nearest heading")


class Entity(Item):
    label: EntityLabel
    norm: str = Field(description="canonical simplified form; aliases share one norm")
    kind: str | None = Field(None, description="company, exchange, regulator, investor, research, media, "
                                               "auditor, university, person, place, ... when known")


class Warning(Frozen):  # noqa: A001 - the record field is called `warnings`
    code: str
    message: str
    start: int | None = None
    end: int | None = None
    text: str | None = None


class ArticleRecord(Frozen):
    doc_id: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the raw bytes")
    source: str | None = None
    title: str | None = None
    published: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    published_from: str | None = Field(
        None, description="where `published` came from: argument, front_matter, sign_off, dateline"
    )
    script: Script
    encoding: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    entities: list[Entity] = Field(default_factory=list)
    money: list[Money] = Field(default_factory=list)
    exchange_rates: list[ExchangeRate] = Field(default_factory=list)
    percentages: list[Percentage] = Field(default_factory=list)
    dates: list[DateItem] = Field(default_factory=list)
    shares: list[Share] = Field(default_factory=list)
    stock_codes: list[StockCode] = Field(default_factory=list)
    table_items: list[TableItem] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)
    pipeline_version: str = PIPELINE_VERSION

    ITEM_FIELDS: ClassVar[tuple[str, ...]] = (
        "entities", "money", "exchange_rates", "percentages", "dates", "shares", "stock_codes", "table_items",
    )

    def items(self):
        """Every grounded item, with the name of the list it is in."""
        for name in self.ITEM_FIELDS:
            for item in getattr(self, name):
                yield name, item


class ErrorRecord(Frozen):
    """An article that could not be processed: the run records it and goes on."""

    doc_id: str | None = None
    source: str | None = None
    stage: str
    error: str = Field(description="the exception type")
    message: str
    pipeline_version: str = PIPELINE_VERSION
