"""Load and validate `rules/*.yaml`, compile every regex once.

Rule files are validated with pydantic (`extra="forbid"`): a typo in a rule file stops start-up with a
message naming the file and the rule, never a run half-way through.

- **Shared files** hold what several families read: `number.yaml` (numerals), `currency.yaml` (every
  currency and its surface forms, by role), `qualifier.yaml` (约, 超过, 以上 ...) and `pieces.yaml` (shared
  pattern fragments).
- **A family's file** (`rules/<stage>.yaml`) is validated by the schema its room registers
  (`pipeline.registry.Stage.schema`), then compiled by the room.
- **Pieces** are named pattern fragments, referenced as `{name}` in patterns and in other pieces, the way
  Recognizers-Text's YAML references its nested patterns. A piece is a regex template, or
  `{any_of: [paths]}`, an alternation of the literal words found at those paths of the rule data (longest
  first, so 万亿 wins over 万), or `{starts_of: [paths]}`, a character class of their first characters.
  A path is `file.key.key`, with `*` for every value of a mapping: `currency.currencies.*.names`.
- **Patterns** declare the value shape their resolver computes (`resolve: year_month_day`); a room lists
  the shapes it knows, and an unknown one stops start-up (`check_shapes`).
"""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline import registry, rxcache
from pipeline.errors import RulesError
from pipeline.settings import DEFAULT_RULES_DIR

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: faster start-up
RULES_DIR = DEFAULT_RULES_DIR


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WordsOf(Strict):
    """A piece made of the literal words at some paths of the rule data."""

    any_of: list[str] | None = None
    starts_of: list[str] | None = None
    literal: list[str] = []  # extra literal words
    min_length: int = 1      # leave out shorter words


Piece = str | WordsOf


class PatternSpec(Strict):
    id: str = Field(pattern=r"^[a-z_]+\.[a-z0-9_]+$")
    regex: str
    resolve: str = Field(description="the value shape the family's resolver computes for a match")


class NumberRules(Strict):
    family: str
    digits: dict[str, int]
    small_units: dict[str, int]
    large_units: dict[str, int]
    # a Chinese numeral needs a digit, or one of these first (十二, 拾); 千元 and 百万 alone are units
    leading_units: list[str]
    decimal_point: str


class CurrencyForms(Strict):
    names: list[str] = []     # words: before or after the number, and after 元 (1亿元人民币)
    codes: list[str] = []     # ISO codes: before or after the number, never inside a longer Latin word
    symbols: list[str] = []   # before the number only (US$, HK$, ¥)
    territories: list[str] = []  # ISO 3166 codes where it is legal tender (resolves 比索 by the country named)


class AmbiguousName(Strict):
    candidates: list[str]
    default: str | None = None


class NonIso(Strict):
    forms: list[str]
    decision: str
    why: str


class CurrencyRules(Strict):
    family: str
    generated: dict[str, Any] = {}
    currencies: dict[str, CurrencyForms]
    generic: list[str]        # after the number only: the local unit (元, 块); the article's region decides
    named_subunits: dict[str, tuple[str, Decimal]] = {}  # cents that name their currency: 美仙 -> USD 0.01
    ambiguous: dict[str, AmbiguousName] = {}  # 比索, 克朗: resolved by the country named
    territory_names: dict[str, list[str]] = {}
    non_iso: list[NonIso] = []  # documented decisions on units that are not ISO 4217 currencies

    @field_validator("currencies")
    @classmethod
    def _iso(cls, v: dict[str, CurrencyForms]) -> dict[str, CurrencyForms]:
        for code in v:
            if not regex.fullmatch(r"[A-Z]{3}", code):
                raise ValueError(f"currency {code!r} is not an ISO 4217 code")
        return v


class QualifierWords(Strict):
    approx: list[str] = []
    over: list[str] = []
    under: list[str] = []


class QualifierRules(Strict):
    family: str
    before: QualifierWords
    after: QualifierWords
    between: list[str]
    not_after_word: dict[str, list[str]]
    inside: QualifierWords
    not_before_char: dict[str, str]  # 多 is "over" only when no counted noun follows (三成多, not 多个项目)


class PiecesRules(Strict):
    family: str
    pieces: dict[str, Piece]


def alternation(forms) -> str:
    """A regex alternation of literal forms, longest first so 万亿 wins over 万."""
    uniq = sorted(set(forms), key=lambda f: (-len(f), f))
    return "(?:" + "|".join(regex.escape(f) for f in uniq) + ")"


def expand(template: str, pieces, *, numbered: frozenset[str] = frozenset()) -> str:
    """Replace `{name}` with its piece (`pieces` is a mapping or a function of the name). Pieces named in
    `numbered` become named groups (`year`, `year2`, ...), so a pattern that uses `{year}` twice can tell
    the two apart."""
    seen: dict[str, int] = {}
    get = pieces if callable(pieces) else pieces.__getitem__

    def sub(m: regex.Match) -> str:
        name = m.group(1)
        piece = get(name)
        if name in numbered:
            seen[name] = seen.get(name, 0) + 1
            label = name if seen[name] == 1 else f"{name}{seen[name]}"
            return f"(?P<{label}>{piece})"
        return piece

    return regex.sub(r"\{([a-z_][a-z_0-9]*)\}", sub, template)


class Compiled:
    """One compiled rule: its stable id, the value shape it resolves to, and its regex."""

    __slots__ = ("id", "resolve", "rx")

    def __init__(self, id: str, resolve: str, rx: regex.Pattern):  # noqa: A002
        self.id, self.resolve, self.rx = id, resolve, rx


def check_shapes(stage: str, specs: list[PatternSpec], shapes) -> None:
    """Every pattern's `resolve` must be a shape the stage's resolver knows."""
    for spec in specs:
        if spec.resolve not in shapes:
            raise RulesError(f"rules/{stage}.yaml: rule {spec.id} declares resolve: {spec.resolve!r}, which the "
                             f"{stage} resolver does not know (known: {', '.join(sorted(shapes))})")


class CompiledRules:
    """A room's compiled rules: its validated rule file (`spec`, whose fields read as attributes:
    `compiled.multipliers`), the shared rules (`rules`: numerals, currencies, qualifiers) and what the room
    builds from them. With `shapes`, the file's `patterns` are checked against the shapes the room's
    resolver knows and compiled with the file's `pieces` (`guard`: a piece prepended to every pattern)."""

    def __init__(self, stage: str, spec, rules: Rules, *, shapes=None, guard: str | None = None,
                 numbered: frozenset[str] = frozenset()):
        self.spec, self.rules = spec, rules
        self.pieces = rules.pieces(getattr(spec, "pieces", None), stage)
        if shapes is not None:
            check_shapes(stage, spec.patterns, shapes)
            self.patterns: tuple[Compiled, ...] = rules.compile_patterns(
                stage, spec.patterns, self.pieces, numbered=numbered, guard=self.pieces[guard] if guard else "")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["spec"], name)


class Rules:
    """Everything in `rules/`, validated and compiled. Build once per process with `load_rules()`.

    `rules.<stage>` is the stage's validated rule file; `rules.compiled[<stage>]` what its room compiled."""

    SHARED = {"number": NumberRules, "currency": CurrencyRules, "qualifier": QualifierRules,
              "pieces": PiecesRules}

    def __init__(self, directory: Path):
        self.directory = directory
        self.specs: dict[str, BaseModel] = {}
        self.data: dict[str, Any] = {}  # the raw YAML of every file, for `any_of` paths
        for name, model in self.SHARED.items():
            self.specs[name] = self._load(name, model)
        stages = registry.stages()
        for stage in stages:
            if stage.schema is not None:
                self.specs[stage.name] = self._load(stage.name, stage.schema)
        self._pieces: dict[str, str] = {}
        self.compiled: dict[str, Any] = {}
        for stage in stages:
            spec = self.specs.get(stage.name)
            self.compiled[stage.name] = stage.compile(spec, self) if stage.compile else spec

    def __getattr__(self, name: str):
        specs = self.__dict__.get("specs", {})
        if name in specs:
            return specs[name]
        raise AttributeError(name)

    def _load(self, name: str, model: type[BaseModel]):
        path = self.directory / f"{name}.yaml"
        try:
            data = rxcache.parsed(str(path), path.read_text(encoding="utf-8"),
                                  lambda text: yaml.load(text, Loader=_YamlLoader))  # noqa: S506 - a safe loader
        except FileNotFoundError as exc:
            raise RulesError(f"rule file missing: {path}") from exc
        except yaml.YAMLError as exc:
            raise RulesError(f"{path}: not valid YAML: {exc}") from exc
        self.data[name] = data
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise RulesError(f"{path} does not validate:\n{exc}") from exc

    # -- words and pieces ------------------------------------------------------------------------

    def words(self, path: str) -> list[str]:
        """The literal words at `path` (`file.key.key`, `*` for every value of a mapping): a list gives
        its items, a mapping its keys."""
        parts = path.split(".")
        nodes = [self.data.get(parts[0])]
        if nodes[0] is None:
            raise RulesError(f"rule path {path!r}: no rule file {parts[0]}.yaml")
        for key in parts[1:]:
            nxt = []
            for node in nodes:
                if key == "*" and isinstance(node, dict):
                    nxt += list(node.values())
                elif isinstance(node, dict) and key in node:
                    nxt.append(node[key])
                elif isinstance(node, dict):
                    continue  # a mapping entry without this key contributes nothing (a currency with no symbols)
                else:
                    raise RulesError(f"rule path {path!r}: {key!r} is not a key here")
            nodes = nxt
        out: list[str] = []
        for node in nodes:
            if isinstance(node, dict):
                out += [str(k) for k in node]
            elif isinstance(node, list):
                out += [str(v) for v in node]
            elif node is not None:
                out.append(str(node))
        return out

    def pieces(self, local: dict[str, Piece] | None = None, where: str = "pieces", words_regex=None) -> dict[str, str]:
        """Every piece resolved to a regex: the shared ones, with `local` (a family's own) added or
        overriding; an `any_of` piece's words become `words_regex(words)` (default: a longest-first
        alternation). Raises `RulesError` for an unknown reference or a cycle, naming the file."""
        words_regex = words_regex or alternation
        defs: dict[str, Piece] = {**self.specs["pieces"].pieces, **(local or {})}
        done: dict[str, str] = {}

        def get(name: str, stack: tuple[str, ...] = ()) -> str:
            if name in done:
                return done[name]
            if name not in defs:
                raise RulesError(f"rules/{where}.yaml: unknown piece {{{name}}}"
                                 + (f" (used by {{{stack[-1]}}})" if stack else ""))
            if name in stack:
                raise RulesError(f"rules/{where}.yaml: piece {{{name}}} refers to itself through "
                                 + " -> ".join(stack))
            d = defs[name]
            if isinstance(d, str):
                value = expand(d, lambda n: get(n, (*stack, name)))
            else:
                words = [w for p in (d.any_of or d.starts_of or []) for w in self.words(p)] + list(d.literal)
                words = [w for w in words if len(w) >= d.min_length]
                if not words:
                    raise RulesError(f"rules/{where}.yaml: piece {{{name}}} has no words")
                if d.starts_of is not None:
                    value = "[" + "".join(regex.escape(c) for c in sorted({w[0] for w in words})) + "]"
                else:
                    value = words_regex(words)
            done[name] = value
            return value

        for name in defs:
            get(name)
        return done

    def compile_patterns(self, stage: str, specs: list[PatternSpec], pieces: dict[str, str], *,
                         numbered: frozenset[str] = frozenset(), guard: str = "") -> tuple[Compiled, ...]:
        """Each pattern with its pieces expanded, compiled once; `guard` is prepended to every pattern."""
        out = []
        for spec in specs:
            try:
                rx = rxcache.compile(guard + expand(spec.regex, pieces, numbered=numbered), regex.V1)
            except KeyError as exc:
                raise RulesError(f"rules/{stage}.yaml: pattern {spec.id} uses unknown piece {exc}") from exc
            except regex.error as exc:
                raise RulesError(f"rules/{stage}.yaml: pattern {spec.id} does not compile: {exc}") from exc
            out.append(Compiled(spec.id, spec.resolve, rx))
        return tuple(out)

    # -- shared lookups --------------------------------------------------------------------------

    @functools.cached_property
    def currency_of(self) -> dict[str, str]:
        """Every currency form (name, code, symbol) -> its ISO code."""
        out: dict[str, str] = {}
        for code, forms in self.currency.currencies.items():
            for f in forms.names + forms.codes + forms.symbols:
                out[f] = code
        return out

    @functools.cached_property
    def qualifier_before(self) -> list[tuple[str, str]]:
        q = self.qualifier
        return sorted(((w, k) for k in ("approx", "over", "under") for w in getattr(q.before, k)),
                      key=lambda wq: -len(wq[0]))

    @functools.cached_property
    def qualifier_after(self) -> list[tuple[str, str]]:
        q = self.qualifier
        return sorted(((w, k) for k in ("approx", "over", "under") for w in getattr(q.after, k)),
                      key=lambda wq: -len(wq[0]))

    @functools.cached_property
    def qualifier_between(self) -> tuple[str, ...]:
        return tuple(sorted(self.qualifier.between, key=len, reverse=True))

    @functools.cached_property
    def qualifier_before_words(self) -> tuple[str, ...]:
        """The words of `qualifier_before`: one `endswith` test rules most spans out before the loop."""
        return tuple(w for w, _ in self.qualifier_before)

    @functools.cached_property
    def qualifier_after_words(self) -> tuple[str, ...]:
        """The words of `qualifier_after`, for one `startswith` test."""
        return tuple(w for w, _ in self.qualifier_after)

    def user_words(self) -> list[str]:
        """Words the segmenter keeps whole: what every stage asks for."""
        words: set[str] = set()
        for stage in registry.stages():
            if stage.user_words is not None:
                words.update(stage.user_words(self))
        return sorted(words)


def load_rules(directory: str | Path | None = None) -> Rules:
    """The validated, compiled rules (cached per directory: a `str` and a `Path` naming the same folder
    share one copy, so the rules are compiled once per process)."""
    return _load_rules(str(Path(directory).resolve()) if directory else str(RULES_DIR))


@functools.lru_cache(maxsize=4)
def _load_rules(directory: str) -> Rules:
    return Rules(Path(directory))


load_rules.cache_clear = _load_rules.cache_clear  # tests and the registry clear it through the public name
registry.on_change(_load_rules.cache_clear)  # a family registered later brings its own rule file
