"""One runner for every `tests/corpus/<family>.yaml` (the family's examples are its tests).

Each file has a `reference_date`, `cases` (one expected value, many surface forms), `in_context`
(sentences with every item they must yield) and `negatives` (strings that must yield nothing of the
family). Every form and sentence is re-run in traditional script and in full width: values must not
change. `xfail: reason` marks a known gap instead of deleting the case. `reference_date: none` means the
article has no reference date (the pipeline gets `published=None`). Expected values are compared as a
subset: keys not listed are not checked, and a nested mapping (a date's `relative`) key by key.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from pipeline import registry
from pipeline.text.script import converter as _converter

CORPUS_DIR = Path(__file__).parent / "corpus"
LISTS = {f.name: f.field for f in registry.families()}  # corpus file family -> record list
_FULL = {i: i + 0xFEE0 for i in range(0x21, 0x7F)}


def traditional(text: str) -> str:
    return _converter("s2t").convert(text)


def full_width(text: str) -> str:
    return text.translate(_FULL)


VARIANTS = {"as_written": lambda t: t, "traditional": traditional, "full_width": full_width}


def reference(entry, default: str | None = None) -> str | None:
    """An entry's reference date: its own (`none`: no reference date at all), else the file's."""
    if not isinstance(entry, dict) or "reference_date" not in entry:
        return default
    value = entry["reference_date"]
    return None if value is None or str(value).lower() == "none" else str(value)


def _load():
    cases, contexts, negatives = [], [], []
    for path in sorted(CORPUS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        family, ref = data["family"], reference(data)
        for i, case in enumerate(data.get("cases", [])):
            case_ref = reference(case, ref)
            for form in map(str, case["forms"]):
                for vname in case.get("variants", VARIANTS):
                    marks = [pytest.mark.xfail(reason=case["xfail"], strict=False)] if case.get("xfail") else []
                    cases.append(pytest.param(family, case_ref, form, case["expect"], vname,
                                              id=f"{family}-{i}-{form[:12]}-{vname}", marks=marks))
        for i, ctx in enumerate(data.get("in_context", [])):
            for vname in ctx.get("variants", VARIANTS):
                marks = [pytest.mark.xfail(reason=ctx["xfail"], strict=False)] if ctx.get("xfail") else []
                ctx_ref = reference(ctx, ref)
                contexts.append(pytest.param(family, ctx_ref, ctx["text"], ctx["expect"],
                                             vname, id=f"{family}-ctx{i}-{vname}", marks=marks))
        for neg in data.get("negatives", []):
            text = neg if isinstance(neg, str) else neg["text"]
            marks = [pytest.mark.xfail(reason=neg["xfail"], strict=False)] if isinstance(neg, dict) and neg.get(
                "xfail") else []
            neg_ref = reference(neg, ref)
            negatives.append(pytest.param(family, neg_ref, text, id=f"{family}-neg-{text[:14]}",
                                          marks=marks))
    return cases, contexts, negatives


CASES, CONTEXTS, NEGATIVES = _load()


def _same(expected, actual) -> bool:
    if isinstance(expected, dict):  # a nested object: the keys listed, each compared the same way
        return isinstance(actual, dict) and all(_same(v, actual.get(k)) for k, v in expected.items())
    if expected is None or actual is None:
        return expected == actual
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual
    try:
        return Decimal(str(expected)) == Decimal(str(actual))
    except Exception:  # noqa: BLE001
        return str(expected) == str(actual)


def _items(record, family):
    return [i.model_dump(mode="json") for i in getattr(record, LISTS[family])]


def _matches(item, expect: dict) -> bool:
    return all(_same(v, item.get(k)) for k, v in expect.items() if k != "text")


@pytest.mark.parametrize("family,ref,form,expect,variant", CASES)
def test_case_forms(pipeline, family, ref, form, expect, variant):
    text = VARIANTS[variant](form)
    record = pipeline(text, published=ref)
    items = _items(record, family)
    assert len(items) == 1, f"{text!r} gave {items}"
    assert items[0]["text"] == text, f"span {items[0]['text']!r} is not the whole form {text!r}"
    assert _matches(items[0], expect), f"{text!r}: expected {expect}, got {items[0]}"


@pytest.mark.parametrize("family,ref,text,expect,variant", CONTEXTS)
def test_in_context(pipeline, family, ref, text, expect, variant):
    convert = VARIANTS[variant]
    sentence = convert(text)
    items = _items(pipeline(sentence, published=ref), family)
    missing = []
    for exp in expect:
        want_text = convert(exp["text"])
        if not any(it["text"] == want_text and _matches(it, exp) for it in items):
            missing.append(exp)
    assert not missing, f"missing {missing}; got {items}"
    assert len(items) == len(expect), f"extra items: {[i for i in items]}"


@pytest.mark.parametrize("family,ref,text", NEGATIVES)
def test_negatives(pipeline, family, ref, text):
    for convert in VARIANTS.values():
        items = _items(pipeline(convert(text), published=ref), family)
        assert not items, f"{convert(text)!r} must yield no {family}: {items}"


def test_money_and_percent_corpora_are_large_enough():
    """The money/percent case corpus holds at least 400 entries, at least 60 of them negatives."""
    total = negatives = 0
    for family in ("money", "percent"):
        data = yaml.safe_load((CORPUS_DIR / f"{family}.yaml").read_text(encoding="utf-8"))
        negatives += len(data.get("negatives", []))
        total += sum(len(c["forms"]) for c in data.get("cases", [])) + len(data.get("in_context", []))
    total += negatives
    assert total >= 400 and negatives >= 60, (total, negatives)


def test_date_corpus_is_large_and_every_case_pins_its_reference_date():
    data = yaml.safe_load((CORPUS_DIR / "date.yaml").read_text(encoding="utf-8"))
    top = data.get("reference_date")
    forms = sum(len(c["forms"]) for c in data["cases"])
    negatives = len(data["negatives"])
    assert forms + len(data["in_context"]) + negatives >= 400 and negatives >= 50
    for entry in data["cases"] + data["in_context"] + [n for n in data["negatives"] if isinstance(n, dict)]:
        assert entry.get("reference_date") or top  # a pinned date, never the clock


def test_every_rule_fires_on_some_corpus_case(pipeline):
    """A rule no corpus case exercises is untested (or dead): each pattern id of every stage's rule file
    must be the `rule` of an item produced from `tests/corpus/` or `corpus/`."""
    fired: set[str] = set()
    for path in sorted(CORPUS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        ref = reference(data)
        entries = [(f, reference(c, ref)) for c in data.get("cases", []) for f in map(str, c["forms"])]
        entries += [(c["text"], reference(c, ref)) for c in data.get("in_context", [])]
        for text, case_ref in entries:
            fired.update(r for _, item in pipeline(text, published=case_ref).items() for r in item.rule.split("+"))
    for article in sorted((CORPUS_DIR.parent.parent / "corpus").glob("*.txt")):
        fired.update(r for _, item in pipeline(article.read_text(encoding="utf-8")).items() for r in item.rule.split("+"))
    rules = pipeline.rules
    # a rule may be composed of several (date.md+date.part_of_day: a day and its time); a room may declare
    # rules beyond its scanned patterns (`rule_ids`: the date room's suffixes)
    declared = {r for stage in registry.stages() for r in (
        getattr(rules.compiled[stage.name], "rule_ids", None)
        or {p.id for p in getattr(rules.compiled[stage.name], "patterns", ())})}
    assert declared, "no pattern rules found"
    assert not declared - fired, f"rules no corpus case exercises: {sorted(declared - fired)}"
