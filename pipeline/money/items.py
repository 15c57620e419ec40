"""The record items of the money room: amounts and exchange rates."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pipeline.records import ExactDecimal, Item, Qualifier

CurrencyFrom = Literal["explicit", "region", "default", "unresolved"]


class Money(Item):
    value: ExactDecimal = Field(description="the amount; the lower bound of a range or an approximate amount")
    value_max: ExactDecimal | None = Field(None, description="the upper bound: 13.5亿至14亿元, 数十亿元, 3000多欧元")
    currency: str | None = Field(pattern=r"^[A-Z]{3}$", description=(
        "ISO 4217; null when a bare 元 stands in an article whose region is contested (see currency_from)"))
    currency_from: CurrencyFrom = Field("explicit", description=(
        "explicit: a currency word or sign in the span; region: a bare 元 / 角 / 分 / $ read by the article's "
        "region; default: a bare unit in an article with no region signal (the fallback, CNY); unresolved: "
        "rival regions, no currency"))
    qualifier: Qualifier | None = Field(None, description="approx (约, 数十亿, 3000多), over (超过, 逾, 以上) or under (不超过, 近, 以下), as written")
    per_share: bool = Field(False, description="a price or payout per share (每股, 每股派息, 股价): not a total")
    per_unit: str | None = Field(None, description="the good a price is for: 盎司 in 3350美元/盎司, 吨, 桶")


class ExchangeRate(Item):
    value: ExactDecimal = Field(description="units of `quote` for one unit of `base`")
    value_max: ExactDecimal | None = Field(None, description="the upper end of a band (7.75至7.85港元兑1美元)")
    base: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 of the currency one unit of which is priced")
    quote: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 of the currency the price is in")
