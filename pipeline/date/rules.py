"""The schema of `rules/date.yaml`, and what is compiled from it."""

from __future__ import annotations

import functools
from typing import Literal

import regex
from pydantic import Field, field_validator, model_validator

from pipeline import rxcache
from pipeline.errors import RulesError
from pipeline.resources import CompiledRules, PatternSpec, Piece, Rules, Strict, alternation, expand
from pipeline.wordscan import WordScan

Locale = Literal["CN", "HK", "TW"]


class HolidayRule(Strict):
    """Exactly one of the kinds; `days` moves the day (黑色星期五: the day after 感恩节).

    `hijri` and `hebrew` are month-day in those calendars (Hebrew months count from Nisan = 1; Adar is 12,
    kept in Adar II in leap years). A holiday of several days has `span` days, or runs `until` a month-day
    of the Islamic calendar (exclusive: 斋月 is 09-01 until 10-01). `eve`: it begins at sundown the evening
    before (the Hebrew day starts at nightfall), so its period starts on that civil day. `not_saturday`: a
    fast that falls on the Sabbath moves to the Sunday (Tisha B'Av)."""

    fixed: str | None = Field(None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
    lunar: str | None = Field(None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|30)$")
    lunar_eve: str | None = Field(None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|30)$")
    easter: int | None = Field(None, ge=-100, le=100)
    church: Literal["western", "orthodox"] = "western"
    nth_weekday: dict[Literal["month", "weekday", "n"], int] | None = None
    solar_term: str | None = None
    hijri: str | None = Field(None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|30)$")
    hebrew: str | None = Field(None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|30)$")
    days: int = 0
    span: int = Field(1, ge=1, le=60)
    until: str | None = Field(None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|30)$")
    eve: bool = False
    not_saturday: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> "HolidayRule":
        kinds = [k for k in ("fixed", "lunar", "lunar_eve", "easter", "nth_weekday", "solar_term", "hijri", "hebrew")
                 if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"a holiday rule has exactly one kind, not {kinds or 'none'}")
        if self.until is not None and (kinds[0] != "hijri" or self.span != 1):
            raise ValueError("`until` is for hijri rules, and instead of `span`")
        nth = self.nth_weekday
        if nth is not None and (set(nth) != {"month", "weekday", "n"} or not 1 <= nth["month"] <= 12
                                or not 1 <= nth["weekday"] <= 7 or nth["n"] == 0):
            raise ValueError(f"nth_weekday needs month 1-12, weekday 1-7 and n != 0: {nth}")
        return self


class Holiday(Strict):
    names: list[str]
    rule: HolidayRule
    locale: dict[Locale, HolidayRule] = {}
    needs: dict[str, list[str]] = {}  # a name → words one of which must be right before or after it

    @model_validator(mode="after")
    def _needs_names(self) -> "Holiday":
        if set(self.needs) - set(self.names):
            raise ValueError(f"needs names {sorted(set(self.needs) - set(self.names))} that the holiday does not have")
        return self


class PartOfDay(Strict):
    hours: tuple[int, int]
    pm: bool = False           # a bare hour 1-11 after it is afternoon or evening (下午3点: 15:00)
    noon: bool = False         # 中午12点 is noon, 中午1点 13:00
    night: bool = False        # 晚上12点 is the next day's 00:00
    before_clock: bool = False  # only before a clock (早8点), never alone
    days: int | None = None    # a day word (今晚: 0, 昨晚: -1)
    previous: bool = False     # a day word counted from the last date the text spoke of (当晚)

    @field_validator("hours")
    @classmethod
    def _hours(cls, v: tuple[int, int]) -> tuple[int, int]:
        if not (0 <= v[0] <= v[1] <= 23):
            raise ValueError(f"hours must be 0 <= first <= last <= 23, got {v}")
        return v


class OpenWord(Strict):
    open: Literal["before", "after"]
    inclusive: bool | Literal["by_unit"]


class Tense(Strict):
    compare: list[str]
    result: list[str]
    metric: list[str]
    forward: list[str]
    forward_adjacent: list[str]
    neutral: list[str]


class Anchor(Strict):
    any_of: list[str] = []
    literal: list[str] = []
    before: int = Field(ge=0, le=60)
    after: int = Field(ge=0, le=60)


class SuffixSpec(Strict):
    id: str = Field(pattern=r"^[a-z_]+\.[a-z0-9_]+$")
    kind: Literal["month_part", "quarter_part", "ordinal"]
    regex: str


_Unit = Literal["day", "week", "month", "quarter", "year", "hour", "minute", "second", "quarter_hour"]


class DateRules(Strict):
    family: str
    pieces: dict[str, Piece]
    numeral_variants: dict[str, str]
    quarters: dict[str, int]
    halves: dict[str, int]
    range_joiners: list[str]
    as_at_words: list[str]
    year_parts: dict[str, int]
    relative_years: dict[str, int | Literal["context", "context_next", "context_or_reference"]]
    relative_months: dict[str, int | Literal["previous", "previous_next"]]
    relative: dict[str, dict[Literal["day", "quarter", "half", "year", "count"], int]]
    previous_days: dict[str, int]
    relative_not_after: list[str]
    relative_not_before: dict[str, list[str]]
    weekdays: dict[str, int]
    week_words: list[str]
    week_offsets: dict[str, int]
    weekday_next: list[str]
    units: dict[str, _Unit]
    offset_words: dict[str, int | Literal["since"]]
    window_words: dict[str, int | Literal["rolling"]]
    month_not_before: list[str]
    parts_of_month: dict[str, tuple[int, int]]
    parts_of_quarter: dict[str, Literal["first", "last"]]
    decade_parts: dict[str, tuple[int, int]]
    century_parts: dict[str, tuple[int, int]]
    seasons: dict[str, tuple[str, str]]
    school_breaks: dict[str, tuple[int, int]]
    parts_of_day: dict[str, PartOfDay]
    pod_not_before: list[str]
    sessions: dict[str, dict[Locale, list[str]]]
    locales: dict[Locale, list[str]]
    open_words: dict[str, OpenWord]
    open_not_before: list[str]
    approx_after: list[str]
    approx_before: list[str]
    tense: Tense
    holiday_not_before: list[str]
    holiday_not_after: list[str]
    holidays: dict[str, Holiday]
    places_for_sign_off: list[str]
    patterns: list[PatternSpec]
    anchors: dict[str, Anchor]
    suffixes: list[SuffixSpec]

    @model_validator(mode="after")
    def _anchored_patterns_exist(self) -> "DateRules":
        unknown = set(self.anchors) - {p.id for p in self.patterns}
        if unknown:
            raise ValueError(f"anchors for patterns that do not exist: {sorted(unknown)}")
        return self

    @field_validator("relative")
    @classmethod
    def _one_unit(cls, v):
        for word, spec in v.items():
            if len(set(spec) - {"count"}) != 1:
                raise ValueError(f"relative word {word!r} needs exactly one unit (day, quarter, half or year)")
        return v

    @field_validator("weekdays")
    @classmethod
    def _weekdays(cls, v):
        if any(not 1 <= d <= 7 for d in v.values()):
            raise ValueError("weekdays are ISO numbers 1 (Monday) to 7 (Sunday)")
        return v

    @field_validator("sessions")
    @classmethod
    def _sessions(cls, v):
        for name, by in v.items():
            for times in by.values():
                if not 1 <= len(times) <= 2 or not all(regex.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", t) for t in times):
                    raise ValueError(f"session {name!r}: one or two HH:MM times, got {times}")
        return v

    @field_validator("holidays")
    @classmethod
    def _ids(cls, v):
        for key in v:
            if not regex.fullmatch(r"[a-z][a-z0-9_]*", key):
                raise ValueError(f"holiday id {key!r} must be lower_snake_case")
        return v


class CompiledDate(CompiledRules):
    def __init__(self, spec: DateRules, rules: Rules, shapes):
        super().__init__("date", spec, rules, shapes=shapes, numbered=frozenset({"year", "month", "day"}))
        self.sign_off_rx = rxcache.compile(self.pieces["sign_off_line"], regex.V1)
        self.meta_date_rx = rxcache.compile(self.pieces["meta_date"])
        self.suffix_rx = []
        for s in spec.suffixes:
            try:
                self.suffix_rx.append((s.id, s.kind, rxcache.compile(expand(s.regex, self.pieces), regex.V1)))
            except (KeyError, regex.error) as exc:
                raise RulesError(f"rules/date.yaml: suffix {s.id} does not compile: {exc}") from exc
        # one clock, read again from the text of either end of a range (named groups hh, mi, ss, ...)
        self.clock_rx = rxcache.compile(r"(?:" + self.pieces["clock_colon"] + r")|(?:" + self.pieces["clock_cn"] + ")",
                                      regex.V1)
        self.holiday_of: dict[str, str] = {}
        for key, h in spec.holidays.items():
            for name in h.names:
                if name in self.holiday_of:
                    raise RulesError(f"rules/date.yaml: holiday name {name!r} belongs to both "
                                     f"{self.holiday_of[name]} and {key}")
                self.holiday_of[name] = key
        self.open_rx = rxcache.compile("(?:" + alternation(spec.open_words) + ")")
        self.open_stop_rx = rxcache.compile(alternation(spec.open_not_before))
        self.approx_after_rx = rxcache.compile(alternation(spec.approx_after))
        self.approx_before = sorted(spec.approx_before, key=len, reverse=True)
        # one alternation, longest word first across the kinds (发布会 is neutral, not 发布)
        kinds = {w: k for k in ("compare", "result", "metric", "forward", "forward_adjacent", "neutral")
                 for w in getattr(spec.tense, k)}
        self.tense_kind = kinds
        self.tense_rx = rxcache.compile(alternation(kinds))
        self.weekday_next = tuple(sorted(spec.weekday_next, key=len, reverse=True))
        self.locale_rx = {loc: rxcache.compile(alternation(words)) for loc, words in spec.locales.items()}
        self.recurring_rx = rxcache.compile("(?:" + self.pieces["recurring"] + r")\s?$", regex.V1)
        self.joiner_rx = rxcache.compile(r"\s?(?:" + alternation(spec.range_joiners) + r")\s?")
        self._anchors(spec, rules)
        self.numeral_table = str.maketrans({k: v for k, v in spec.numeral_variants.items() if len(k) == 1
                                            and len(v) == 1})
        self.numeral_multi = {k: v for k, v in spec.numeral_variants.items() if len(v) > 1}
        digits = rules.number.digits  # Chinese digits read one by one (一一四 is 114)
        self.digit_chars = "".join(digits)
        self.digit_table = str.maketrans({ch: str(v) for ch, v in digits.items()})

    def _anchors(self, spec: DateRules, rules: Rules) -> None:
        """One Aho-Corasick automaton over the anchor words of every anchored pattern: word -> the patterns
        (index, before, after) it anchors."""
        index = {p.id: i for i, p in enumerate(self.patterns)}
        by_word: dict[str, list[tuple[int, int, int]]] = {}
        for pid, a in spec.anchors.items():
            words = [w for path in a.any_of for w in rules.words(path)] + list(a.literal)
            for w in set(words):
                by_word.setdefault(w, []).append((index[pid], a.before, a.after))
        self.anchored = frozenset(index[pid] for pid in spec.anchors)
        self.anchor_words = WordScan((w, tuple(targets)) for w, targets in by_word.items())

    def windows(self, text: str) -> dict[int, list[tuple[int, int]]]:
        """Pattern index -> the merged [lo, hi) stretches of `text` where it may match."""
        raw: dict[int, list[tuple[int, int]]] = {}
        n = len(text)
        for start, end, targets in self.anchor_words.find(text):
            for i, before, after in targets:
                raw.setdefault(i, []).append((max(0, start - before), min(n, end + after)))
        out = {}
        for i, spans in raw.items():
            spans.sort()
            merged = [list(spans[0])]
            for lo, hi in spans[1:]:
                if lo <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], hi)
                else:
                    merged.append([lo, hi])
            out[i] = [(lo, hi) for lo, hi in merged]
        return out

    @functools.cached_property
    def rule_ids(self) -> set[str]:
        return {p.id for p in self.patterns} | {s[0] for s in self.suffix_rx}
