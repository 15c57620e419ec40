"""The record item of the date room."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pipeline.records import ISO_PERIOD, Item

Granularity = Literal["day", "month", "quarter", "half", "year"]


class DateItem(Item):
    value: str = Field(pattern=ISO_PERIOD)
    end_value: str | None = Field(None, pattern=ISO_PERIOD)
    granularity: Granularity
    year_inferred: bool = False
