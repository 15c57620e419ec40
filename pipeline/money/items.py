"""The record items of the money room: amounts and exchange rates."""

from __future__ import annotations

from pydantic import Field

from pipeline.records import ExactDecimal, Item, Qualifier


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
