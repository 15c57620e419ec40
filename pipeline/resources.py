"""Load and validate `rules/*.yaml`, compile every regex once.

Rule files are validated with pydantic (`extra="forbid"`): a typo in a rule file stops start-up with a
message naming the file, never a run half-way through. Patterns use `{placeholders}` that expand into
alternations of surface forms, longest first (万亿 before 万), so the rules read like the text they match.
"""

from __future__ import annotations

import functools
import os
from decimal import Decimal
from pathlib import Path
from typing import Literal

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.errors import RulesError

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: faster start-up
RULES_DIR = Path(os.environ.get("ZHNEWS_RULES", Path(__file__).resolve().parent.parent / "rules"))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PatternSpec(Strict):
    id: str = Field(pattern=r"^[a-z_]+\.[a-z0-9_]+$")
    regex: str
    kind: str | None = None


class NumberRules(Strict):
    family: Literal["number"]
    digits: dict[str, int]
    small_units: dict[str, int]
    large_units: dict[str, int]
    patterns: dict[str, str]


class QualifierWords(Strict):
    approx: list[str] = []
    over: list[str] = []
    under: list[str] = []


class Qualifiers(Strict):
    before: QualifierWords
    after: QualifierWords
    between: list[str]
    not_after_word: dict[str, list[str]]
    inside: QualifierWords


class PerShare(Strict):
    before: list[str]
    adjacent: list[str]
    after: list[str]
    window: int = 24


class MoneyRules(Strict):
    family: Literal["money"]
    default_currency: str
    currency_areas: list[str]
    area_min_mentions: int
    currencies: dict[str, list[str]]
    generic_forms: list[str]
    symbol_prefix: list[str]
    multipliers: dict[str, Decimal]
    qualifiers: Qualifiers
    per_share: PerShare
    not_after: list[str]
    not_before: list[str]
    measure_word_forms: list[str]
    measure_word_ok_after: list[str]
    range_joiners: list[str]
    rate_joiners: list[str]
    rate_pair: str
    patterns: list[PatternSpec]

    @field_validator("currencies")
    @classmethod
    def _iso(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for code in v:
            if not regex.fullmatch(r"[A-Z]{3}", code):
                raise ValueError(f"currency {code!r} is not an ISO 4217 code")
        return v


class PercentRules(Strict):
    family: Literal["percent"]
    range_joiners: list[str]
    not_cheng_word: str
    patterns: list[PatternSpec]


class ShareRules(Strict):
    family: Literal["share"]
    classes: dict[Literal["H", "A", "B", "ADS", "ordinary"], list[str]]
    patterns: list[PatternSpec]


class StockCodeRules(Strict):
    family: Literal["stock_code"]
    exchanges: dict[Literal["HKEX", "NASDAQ", "NYSE", "SSE", "SZSE", "BSE"], list[str]]
    suffixes: dict[str, Literal["HKEX", "NASDAQ", "NYSE", "SSE", "SZSE", "BSE"]]
    patterns: list[PatternSpec]


class DateRules(Strict):
    family: Literal["date"]
    pieces: dict[str, str]
    quarters: dict[str, int]
    range_joiners: list[str]
    year_parts: dict[str, int]
    relative_years: dict[str, int | Literal["context", "context_next"]]
    relative_months: dict[str, int]
    relative: dict[str, dict[Literal["weeks", "days", "quarters"], int]]
    relative_not_after: list[str]
    relative_not_before: dict[str, list[str]]
    places_for_sign_off: list[str]
    patterns: list[PatternSpec]


class TableRules(Strict):
    family: Literal["table"]
    currencies: dict[str, str]
    scales: dict[str, int]
    change_words: list[str]
    note_words: list[str]
    percent_cells: list[str]
    share_rows: list[str]
    per_share_rows: list[str]
    as_at_prefixes: list[str]


class EntityEntry(Strict):
    norm: str
    label: Literal["PERSON", "ORG", "GPE"]
    kind: str
    aliases: list[str] = Field(min_length=1)


class EntityRules(Strict):
    family: Literal["entity"]
    entries: list[EntityEntry]
    token_only: list[str]
    titles_before: list[str]
    titles_after: list[str]
    bylines: list[str]
    surnames: str
    compound_surnames: list[str]
    org_suffixes_strong: list[str]
    org_suffixes_weak: list[str]
    org_weak_max_freq: int
    org_generic_heads: list[str]
    org_stop: list[str]
    places: dict[str, list[str]]

    @functools.cached_property
    def all_entries(self) -> tuple[EntityEntry, ...]:
        """The gazetteer entries plus one GPE entry per listed place not already in an entry (built once)."""
        known = {a for e in self.entries for a in e.aliases}
        out = list(self.entries)
        for names in self.places.values():
            for name in names:
                if name in known:
                    continue
                aliases = [name] + [name + suffix for suffix in ("市", "省") if name + suffix not in known]
                out.append(EntityEntry(norm=name, label="GPE", kind="place", aliases=aliases))
                known.update(aliases)
        return tuple(out)


def alternation(forms) -> str:
    """A regex alternation of literal forms, longest first so 万亿 wins over 万."""
    uniq = sorted(set(forms), key=lambda f: (-len(f), f))
    return "(?:" + "|".join(regex.escape(f) for f in uniq) + ")"


def expand(template: str, pieces: dict[str, str], *, numbered: frozenset[str] = frozenset()) -> str:
    """Replace `{name}` with its piece. Pieces named in `numbered` become named groups (`year`, `year2`,
    ...), so a pattern that uses `{year}` twice can tell the two apart."""
    seen: dict[str, int] = {}

    def sub(m: regex.Match) -> str:
        name = m.group(1)
        if name not in pieces:
            raise KeyError(name)
        piece = pieces[name]
        if name in numbered:
            seen[name] = seen.get(name, 0) + 1
            label = name if seen[name] == 1 else f"{name}{seen[name]}"
            return f"(?P<{label}>{piece})"
        return piece

    return regex.sub(r"\{([a-z_][a-z_0-9]*)\}", sub, template)


class Compiled:
    """One compiled rule: its stable id, kind and regex."""

    __slots__ = ("id", "kind", "rx")

    def __init__(self, id: str, kind: str | None, rx: regex.Pattern):  # noqa: A002
        self.id, self.kind, self.rx = id, kind, rx


# A match never starts inside a word or number: not after a letter, a digit (GPT5, M2.1, 1,000) or a
# Chinese numeral (so a run of 万亿万亿… is tried once, not at every character).
START_GUARD = r"(?<![\dA-Za-z.])(?<!\d,)(?<![零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟])"


def _compile(family: str, specs: list[PatternSpec], pieces: dict[str, str],
             numbered: frozenset[str] = frozenset(), guard: str = "") -> tuple[Compiled, ...]:
    out = []
    for spec in specs:
        try:
            rx = regex.compile(guard + expand(spec.regex, pieces, numbered=numbered), regex.V1)
        except KeyError as exc:
            raise RulesError(f"rules/{family}.yaml: pattern {spec.id} uses unknown placeholder {exc}") from exc
        except regex.error as exc:
            raise RulesError(f"rules/{family}.yaml: pattern {spec.id} does not compile: {exc}") from exc
        out.append(Compiled(spec.id, spec.kind, rx))
    return tuple(out)


class Rules:
    """Everything in `rules/`, validated and compiled. Build once per process with `load_rules()`."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.number = self._load("number", NumberRules)
        self.money = self._load("money", MoneyRules)
        self.percent = self._load("percent", PercentRules)
        self.share = self._load("share", ShareRules)
        self.stock_code = self._load("stock_code", StockCodeRules)
        self.date = self._load("date", DateRules)
        self.entity = self._load("entity", EntityRules)
        self.table = self._load("table", TableRules)
        self._build()

    def _load(self, family: str, model: type[BaseModel]):
        path = self.directory / f"{family}.yaml"
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YamlLoader)  # noqa: S506 - a safe loader
        except FileNotFoundError as exc:
            raise RulesError(f"rule file missing: {path}") from exc
        except yaml.YAMLError as exc:
            raise RulesError(f"{path}: not valid YAML: {exc}") from exc
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise RulesError(f"{path} does not validate:\n{exc}") from exc

    def _build(self) -> None:
        num = self.number
        arabic = f"(?<![\\d.])(?<!\\d,){num.patterns['arabic']}"
        chinese = num.patterns["chinese"]
        number = f"(?:{arabic}|{chinese})"
        self.number_piece = number
        m = self.money
        forms = [f for fs in m.currencies.values() for f in fs]
        self.currency_of: dict[str, str] = {f: code for code, fs in m.currencies.items() for f in fs}
        generic = set(m.generic_forms) | {"元人民币"}
        # currency names that are words (人民币, 新台币, 港币): they may follow 元 and name a rate pair
        named = [f for f in forms if f not in generic and f not in m.symbol_prefix and not f.isascii()]
        money_pieces = {
            "tail": alternation(named),
            "currency_name": alternation(named),
            "number": number,
            "prefix": alternation(f for f in forms if f not in generic),
            "suffix": alternation(f for f in forms if f not in m.symbol_prefix),
            "symbol_prefix": alternation(m.symbol_prefix),
            "multiplier": alternation(m.multipliers),
            "range_joiner": alternation(m.range_joiners),
            "rate_joiner": alternation(m.rate_joiners),
            "inside": alternation(m.qualifiers.inside.over),
        }
        # a match can only start on a sign, a digit, a Chinese numeral, a bracket or a currency form's first
        # character: testing that one character first spares every other position the whole pattern
        starts = set("负-(") | set("0123456789") | set("零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟")
        starts |= {f[0] for f in forms}
        first = "(?=[" + "".join(regex.escape(c) for c in sorted(starts)) + "])"
        self.money_patterns = _compile("money", m.patterns, money_pieces, guard=first + START_GUARD)
        self.rate_pair_rx = regex.compile(expand(m.rate_pair, money_pieces))
        self.qualifier_before = [(w, q) for q in ("approx", "over", "under")
                                 for w in getattr(m.qualifiers.before, q)]
        self.qualifier_before.sort(key=lambda wq: -len(wq[0]))
        self.qualifier_between = sorted(m.qualifiers.between, key=len, reverse=True)
        self.qualifier_after = [(w, q) for q in ("approx", "over", "under")
                                for w in getattr(m.qualifiers.after, q)]
        self.qualifier_after.sort(key=lambda wq: -len(wq[0]))

        p = self.percent
        self.percent_patterns = _compile("percent", p.patterns, {
            "arabic": arabic, "number": number, "range_joiner": alternation(p.range_joiners),
            "not_cheng_word": p.not_cheng_word,
        }, guard=START_GUARD)

        s = self.share
        self.share_class_of = {w: c for c, ws in s.classes.items() for w in ws}
        self.share_patterns = _compile("share", s.patterns, {
            "number": number, "class": alternation(self.share_class_of),
        }, guard=START_GUARD)

        sc = self.stock_code
        self.exchange_of = {w: e for e, ws in sc.exchanges.items() for w in ws}
        self.stock_code_patterns = _compile("stock_code", sc.patterns, {
            "exchange_name": alternation(w for w in self.exchange_of if len(w) > 2 or w.isascii()),
        })
        self.exchange_rx = regex.compile(alternation(self.exchange_of))

        d = self.date
        date_pieces = dict(d.pieces)
        date_pieces["range_joiner"] = alternation(d.range_joiners)
        date_pieces["relative"] = f"(?P<rel>{alternation(d.relative)})"
        date_pieces["rely"] = f"(?P<rely>{alternation(d.relative_years)})"
        date_pieces["relm"] = f"(?P<relm>{alternation(d.relative_months)})"
        self.date_patterns = _compile("date", d.patterns, date_pieces,
                                      numbered=frozenset({"year", "month", "day"}))
        self.date_pieces = date_pieces

    # segmentation words: every gazetteer alias and title, so jieba keeps them whole
    def user_words(self) -> list[str]:
        e = self.entity
        words = {a for entry in e.all_entries for a in entry.aliases if not a.isascii()}
        words.update(w for w in e.titles_before if not w.isascii())
        words.update(f for fs in self.money.currencies.values() for f in fs if len(f) > 1 and not f.isascii())
        return sorted(words)


@functools.lru_cache(maxsize=4)
def load_rules(directory: str | None = None) -> Rules:
    """The validated, compiled rules (cached per directory)."""
    return Rules(Path(directory) if directory else RULES_DIR)
