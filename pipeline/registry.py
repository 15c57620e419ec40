"""The family registry: each room of the pipeline declares itself here, and everything else iterates it.

A **family** is one kind of item in the record (money, dates, entities, ...): its record list and item
model, its overlap rank, its mention-row columns, its colours and one-line summary for the HTML view, and
the fields the evaluator matches on. A **stage** finds mentions: its rule file and schema, how to compile
the rules, and `run(ctx, runtime, found)`. A stage may produce several families (the money stage also
finds exchange rates).

Rooms register at import time (`register(...)` in their `__init__`); `load()` imports every room (every
subpackage of `pipeline` that declares `FAMILIES` or `STAGES`), so adding a family touches only its own
room, its rule file and its corpus file. Core, records, sinks, render, evaluate and the corpus test runner
read `families()` and `stages()`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

COLUMNS = ("value", "value_max", "unit", "norm", "period", "kind")


@dataclass(frozen=True)
class Family:
    name: str
    """The mention family id (`Mention.family`, the `family` column of mention rows): `money`."""
    field: str
    """The record's list of these items: `money`, `exchange_rates`, `dates`."""
    item: type[BaseModel]
    """The record item model (a subclass of `pipeline.records.Item`)."""
    order: int
    """Position of the list in the record (and in the JSON Schema)."""
    rank: int
    """Overlap precedence: where two families claim overlapping text, the lower rank keeps it."""
    title: str
    """A reader's name for the family (the HTML legend): `Money`, `Exchange rate`."""
    columns: Mapping[str, str] = field(default_factory=dict)
    """Mention-row column (one of `COLUMNS`) -> the item field stored there."""
    colours: Mapping[str, str] = field(default_factory=dict)
    """CSS class -> colour; one class per family, or one per label (entities)."""
    css_class: Callable[[dict], str] | None = None
    """The CSS class of one item (a JSON dict); default: the family's `field`."""
    detail: Callable[[dict], str] = lambda item: ""
    """A one-line reading of one item (a JSON dict) for people: `2800000000 HKD approx`."""
    keys: tuple[str, ...] = ()
    """The evaluator's strict-match fields (beyond the span)."""
    secondary: tuple[str, ...] = ()
    """Fields the evaluator reports agreement on, without failing the match."""
    labels: tuple[str, ...] = ()
    """Labels the evaluator also scores one by one (entities: PERSON, ORG, GPE)."""
    gold_regions: str | None = None
    """When the gold annotates whole regions, not all of them (tables): the item field naming the region;
    the evaluator then scores predictions inside the gold's regions only."""

    def css(self, item: dict) -> str:
        return self.css_class(item) if self.css_class else self.field


@dataclass(frozen=True)
class Stage:
    name: str
    """The stage id, also the stem of its rule file (`rules/<name>.yaml`) when it has one."""
    order: int
    """Run order: a stage sees the mentions of the stages before it (`found`)."""
    families: tuple[str, ...]
    """The families whose mentions it produces."""
    run: Callable[[Any, Any, Mapping[str, list]], list]
    """`run(ctx, runtime, found) -> list[Mention]`: `runtime` is what `setup` returned."""
    schema: type[BaseModel] | None = None
    """The rule file's pydantic schema (`extra="forbid"`); None for a stage without a rule file."""
    compile: Callable[[Any, Any], Any] | None = None
    """`compile(spec, rules) -> compiled`: regexes and lookups built once per rule set."""
    setup: Callable[[Any, Any], Any] | None = None
    """`setup(rules, settings) -> runtime`, once per pipeline (default: the compiled rules)."""
    mask: Callable[[str, Any], bytearray] | None = None
    """`mask(text, compiled)`: regions (1 bytes) that the prose stages skip, such as tables."""
    prepare: Callable[[Any, Any], None] | None = None
    """`prepare(ctx, compiled)`: sets article-level context before any stage runs (the article's date)."""
    user_words: Callable[[Any], list[str]] | None = None
    """Words the segmenter must keep whole (gazetteer aliases, currency names)."""


_FAMILIES: dict[str, Family] = {}
_STAGES: dict[str, Stage] = {}
_LOADED = False


def register(*, families: tuple[Family, ...] = (), stages: tuple[Stage, ...] = ()) -> None:
    """Declare families and stages. A name registered twice is a programming error."""
    for fam in families:
        if fam.name in _FAMILIES and _FAMILIES[fam.name] is not fam:
            raise ValueError(f"family {fam.name!r} is registered twice")
        _FAMILIES[fam.name] = fam
    for st in stages:
        if st.name in _STAGES and _STAGES[st.name] is not st:
            raise ValueError(f"stage {st.name!r} is registered twice")
        _STAGES[st.name] = st
    _changed()


def unregister(*names: str) -> None:
    """Remove families and stages by name (for tests that register a throwaway family)."""
    for name in names:
        _FAMILIES.pop(name, None)
        _STAGES.pop(name, None)
    _changed()


_LISTENERS: list[Callable[[], None]] = []


def on_change(callback: Callable[[], None]) -> None:
    """Call `callback` whenever the registry changes (records rebuild their model)."""
    _LISTENERS.append(callback)


def _changed() -> None:
    for callback in _LISTENERS:
        callback()


def load() -> None:
    """Import every room of the package once, so that each registers itself."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import pipeline

    for info in pkgutil.iter_modules(pipeline.__path__):
        if info.ispkg:
            importlib.import_module(f"pipeline.{info.name}")


def families() -> list[Family]:
    """Every registered family, in record order."""
    load()
    return sorted(_FAMILIES.values(), key=lambda f: (f.order, f.name))


def family(name: str) -> Family:
    load()
    return _FAMILIES[name]


def stages() -> list[Stage]:
    """Every registered stage, in run order."""
    load()
    return sorted(_STAGES.values(), key=lambda s: (s.order, s.name))


def by_field() -> dict[str, Family]:
    return {f.field: f for f in families()}
