"""The record item of the date room: one date, period, time or range as the text wrote it.

**value / end_value** are ISO 8601 at the precision written; `end_value` is the inclusive end of a range
(null for a point). Full values:

| granularity | value (end_value alike) | example |
| --- | --- | --- |
| `year` | `YYYY` | 2024年 → `2024` |
| `half` | `YYYY-Hn` | 2025年上半年 → `2025-H1` |
| `quarter` | `YYYY-Qn` | 2025年三季度 → `2025-Q3` |
| `month` | `YYYY-MM` | 2025年6月 → `2025-06` |
| `week` | `YYYY-MM-DD`, the Monday; `end_value` the Sunday | 上周 → `2025-03-10` … `2025-03-16` |
| `day` | `YYYY-MM-DD` | 2025年6月30日 → `2025-06-30` |
| `hour` / `minute` / `second` | `YYYY-MM-DDTHH`, `…THH:MM`, `…THH:MM:SS` | 3月20日下午3点 → `2025-03-20T15` |
| `decade` | `YYYY`, its first year; `end_value` its last | 上世纪90年代 → `1990` … `1999` |
| `century` | `YYYY`, its first year; `end_value` its last | 21世纪 → `2000` … `2099` |

**Partial values** keep a date whose year (or day) nobody can know: the article has no reference date
and the text gives no year. They never carry `year_inferred`.

| partial | meaning | example (no reference date) |
| --- | --- | --- |
| `--MM`, `--MM-DD` | a month, a day, year unknown | 5月 → `--05`; 8月19日 → `--08-19` |
| `--Qn`, `--Hn` | a quarter, a half, year unknown | 一季度 → `--Q1`; 上半年 → `--H1` |
| `--MM-DDTHH[:MM[:SS]]` | a time on such a day | 7月11日晚间 → `--07-11T18` … `--07-11T23` |
| `---DD`, `---DDTHH[:MM]` | a day of a month nobody knows | 台股10日收盘 → `---10` |
| `THH[:MM[:SS]]` | a time on a day nobody knows | 下午3点 → `T15`; 9:30 → `T09:30` |

**null value**: nothing absolute is known: a relative expression (今天, 上周五, 两年前) or a lunar or moveable
holiday (中秋节, 复活节) with no reference date. `relative`, `holiday` or `calendar` then says what the text
meant, and a reference date would resolve it.

**Open ranges** (2018年以前, 2015年2月1日或之前, 自2021年起, 今年以来, 2015年至今): `value` is the bound as
written (the span stays the date itself, the way a money span leaves 超过 outside), `open` says which side is
open and `inclusive` whether the bound belongs to the range (或之前/及以前/起/以来/至今: yes; 之前/以前/之后/
以后: no; 前 after a year, half, quarter or month means "by": yes, after a day: no).

**year_inferred** is true when any part of the value did not come from the span: the year of 12月19日, the
date of 下午3点, the whole of 今天. **year_from** says which step of the documented order supplied it
(`pipeline.date.infer`): `sentence`, `paragraph`, `context` (同年: the last year the text spoke of),
`reference` (the article's date, nearest reading or its own year/week), `tense` (the article's date, with a
past or forward cue in the clause: 上半年亏损 looks back, 计划3月投产 forward), `text_anchor` (no
reference date: the nearest explicit full date in the text), `previous` (次日, 翌日: the date before it).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from pipeline.records import Frozen, Item

Granularity = Literal["second", "minute", "hour", "day", "week", "month", "quarter", "half", "year", "decade",
                      "century"]
Unit = Literal["second", "minute", "hour", "day", "week", "month", "quarter", "half", "year", "decade", "century"]
YearFrom = Literal["sentence", "paragraph", "context", "reference", "tense", "text_anchor", "previous"]

_MM, _DD = r"(0[1-9]|1[0-2])", r"(0[1-9]|[12]\d|3[01])"
_T = r"T([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d)?)?"
ISO_DATE_VALUE = (rf"^(\d{{4}}(-{_MM}(-{_DD}({_T})?)?|-Q[1-4]|-H[12])?"  # full
                  rf"|--{_MM}(-{_DD}({_T})?)?|--Q[1-4]|--H[12]|---{_DD}({_T})?|{_T})$")  # partial
LUNAR_VALUE = r"^(\d{4})?--L?(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|30))?$"


class Relative(Frozen):
    """What a relative expression says, relative to its anchor (never the resolved result): 上周五 →
    `{unit: week, offset: -1, weekday: 5}`, 前两天 → `{unit: day, offset: -2, count: 2}`, 近三年 →
    `{unit: year, offset: -3, count: 3, rolling: true}`, 次日 → `{unit: day, offset: 1, anchor: previous}`."""

    unit: Unit = Field(description="the unit counted")
    offset: int | None = Field(None, description="units from the anchor's own unit (去年: -1, 大后天: 3, 本周: 0); "
                                                 "null when the text gives none (a bare 周五)")
    count: int | None = Field(None, description="a window of `count` units starting at `offset` (前两天: 2)")
    weekday: int | None = Field(None, ge=1, le=7, description="ISO weekday inside the week (周五: 5)")
    part: Literal["early", "mid", "late", "weekend"] | None = Field(
        None, description="a part of the unit: 月初 early, 月中 mid, 月底 late, 周末 weekend")
    rolling: bool | None = Field(None, description="a window counted back from the reference day (近三年), not "
                                                   "in whole units")
    anchor: Literal["reference", "previous"] = Field(
        "reference", description="`previous`: counted from the last date the text spoke of (次日, 翌日)")


def _kind(value: str) -> str:
    """The granularity a value's shape can carry."""
    if "T" in value:
        return {0: "hour", 1: "minute", 2: "second"}[value.split("T", 1)[1].count(":")]
    if "Q" in value:
        return "quarter"
    if "H" in value:
        return "half"
    body = value.lstrip("-") if value.startswith("-") else value
    if value.startswith("---"):
        return "day"
    if value.startswith("--"):
        return "day" if "-" in body else "month"
    return {4: "year", 7: "month", 10: "day"}[len(value)]


_SHAPES = {"year": {"year", "decade", "century"}, "month": {"month"}, "day": {"day", "week"},
           "quarter": {"quarter"}, "half": {"half"}, "hour": {"hour"}, "minute": {"minute"}, "second": {"second"}}


class DateItem(Item):
    """A date, period, time or range, grounded in the text. See the module documentation for every value
    form (full, partial, null), open ranges and the year inference order."""

    value: str | None = Field(
        pattern=ISO_DATE_VALUE,
        description="ISO 8601 at the precision written, the start of a range; a partial value (--MM-DD, --MM, "
                    "--Qn, --Hn, ---DD, THH:MM) when the year or day cannot be known; null when nothing absolute "
                    "is known (then `relative`, `holiday` or `calendar` says what the text meant)")
    end_value: str | None = Field(None, pattern=ISO_DATE_VALUE, description="the inclusive end of a range")
    granularity: Granularity = Field(description="the unit of `value`: second … century; a week is Monday to "
                                                 "Sunday, a decade or century runs from its first year to its last")
    year_inferred: bool = Field(False, description="part of the value (the year, the date of a time) did not "
                                                   "come from the span")
    year_from: YearFrom | None = Field(None, description="which step of the year inference order supplied it")
    open: Literal["before", "after"] | None = Field(
        None, description="an open range: before (2018年以前) or after (自2021年起, 以来, 至今) the value")
    inclusive: bool | None = Field(None, description="with `open`: whether the bound itself belongs to the range")
    approx: bool = Field(False, description="左右, 前后, 许, 多: 上午10点左右, 中秋节前后, 三年多以来")
    holiday: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$",
                                description="a holiday's id (spring_festival, national_day, easter_monday, …)")
    calendar: Literal["lunar", "roc"] | None = Field(
        None, description="how the text counted: a lunar date (农历八月十五) or a Taiwan ROC year (民國114年); "
                          "`value` is always Gregorian")
    lunar: str | None = Field(None, pattern=LUNAR_VALUE,
                              description="with calendar lunar: the lunar date as written, L before a leap "
                                          "month (农历闰六月初一 → --L06-01; 2025年农历八月十五 → 2025--08-15)")
    relative: Relative | None = Field(None, description="what a relative expression says, whether or not a "
                                                        "reference date resolved it")

    @model_validator(mode="after")
    def _consistent(self) -> "DateItem":
        if self.value is None:
            if self.relative is None and self.holiday is None and self.calendar is None:
                raise ValueError("a date without a value must say what it meant (relative, holiday, calendar)")
            if self.end_value is not None:
                raise ValueError("end_value without a value")
        elif _kind(self.value) not in _SHAPES or self.granularity not in _SHAPES[_kind(self.value)]:
            raise ValueError(f"granularity {self.granularity} does not fit the value {self.value}")
        if (self.open is None) != (self.inclusive is None):
            raise ValueError("open and inclusive go together")
        partial = self.value is not None and not self.value[:1].isdigit()
        if partial and self.year_inferred:
            raise ValueError("a partial value has no inferred year")
        if self.value and self.end_value and not partial and self.end_value[:1].isdigit():
            if self.end_value[:len(self.value)] < self.value[:len(self.end_value)]:
                raise ValueError(f"end_value {self.end_value} before value {self.value}")
        return self
