"""zhnews against JioNLP's `extract_money` and `extract_time`, side by side, on the same inputs.

    pip install -e ".[bench]"        # JioNLP is a benchmark-only extra, never a runtime dependency
    python bench/peers.py            # prints one table: precision, recall, F1 and speed per system

Inputs:
- corpus: the five articles in `corpus/`, scored against the money in `tests/gold/`, and the simplified
  (mainland) articles alone, JioNLP's home ground;
- cases: every form, in-context sentence and negative in `tests/corpus/money.yaml`, as written, in
  traditional script, and in full width (the same variants the test runner uses).

Matching is the same for both systems and deliberately lenient, so span conventions do not decide the
result: a predicted amount matches an expected one when their spans overlap and value (and range end) and
currency are equal. JioNLP keeps qualifiers inside its spans (近52亿美元); zhnews keeps them outside.
Speed is characters of article text per second of CPU time on the corpus, repeated.

Dates are compared on what they denote: the first and last day of the period (2025-H1 is 2025-01-01 to
2025-06-30; a range runs to the end of its last period). A predicted date matches an expected one when
the spans overlap and both days are equal. Both systems get the same reference date: the pinned one in
the case corpus; on the corpus, the article's own date from the gold, or, where the article states none,
its first full date (JioNLP otherwise falls back to the clock, which zhnews never does).
"""

from __future__ import annotations

import argparse
import calendar
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

JIO_CURRENCY = {"元": "CNY", "人民币": "CNY", "美元": "USD", "港元": "HKD", "港币": "HKD", "欧元": "EUR",
                "日元": "JPY", "英镑": "GBP", "新台币": "TWD", "台币": "TWD", "澳门元": "MOP", "新加坡元": "SGD",
                "美金": "USD", "块": "CNY", "澳元": "AUD", "加元": "CAD", "韩元": "KRW", "卢布": "RUB"}


@dataclass
class Amount:
    start: int
    end: int
    value: Decimal
    value_max: Decimal | None
    currency: str | None


def _dec(x) -> Decimal | None:
    if x is None:
        return None
    try:
        return Decimal(str(x)).normalize()
    except InvalidOperation:
        return None


# ----------------------------------------------------------------------------------------------
# the two systems, each returning Amounts with offsets into the text it was given


class Zhnews:
    name = "zhnews"

    def __init__(self):
        from pipeline.core import default_pipeline

        self.pipeline = default_pipeline()

    def money(self, text: str) -> list[Amount]:
        record = self.pipeline(text)
        return [Amount(m.start, m.end, _dec(m.value), _dec(m.value_max), m.currency) for m in record.money]


class ZhnewsMoneyOnly(Zhnews):
    """Only what money needs: normalise, table regions, the money rules (no segmentation, no NER)."""

    name = "zhnews (money stage only)"

    def money(self, text: str) -> list[Amount]:
        from pipeline import money, table
        from pipeline.mention import Context
        from pipeline.text import normalise

        compiled = self.pipeline.rules.compiled
        norm = normalise(text)
        ctx = Context(norm=norm, tokens=[], table_mask=table.table_mask(norm.text, compiled["table"]))
        out = []
        for m in money.run(ctx, compiled["money"], {}):
            if m.family != "money":
                continue
            s, e = norm.span(m.start, m.end)
            f = m.fields
            out.append(Amount(s, e, _dec(f["value"]), _dec(f["value_max"]), f["currency"]))
        return out


class JioNLP:
    name = "JioNLP extract_money"

    def __init__(self):
        import io
        from contextlib import redirect_stdout

        with redirect_stdout(io.StringIO()):  # it prints a banner on import
            import jionlp
        import logging

        logging.getLogger().setLevel(logging.CRITICAL)  # its time parser logs tracebacks it has handled

        self.jio = jionlp
        self.version = jionlp.__version__

    def money(self, text: str) -> list[Amount]:
        out = []
        for item in self.jio.ner.extract_money(text, with_parsing=True):
            detail = item.get("detail") or {}
            num = detail.get("num")
            if isinstance(num, list):
                value, value_max = _dec(num[0]), _dec(num[1])
            else:
                value, value_max = _dec(num), None
            if value is None:
                continue
            cur = JIO_CURRENCY.get(detail.get("case"), detail.get("case"))
            s, e = item["offset"]
            out.append(Amount(s, e, value, value_max, cur))
        return out


# ----------------------------------------------------------------------------------------------
# scoring


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: list, expected: list, match=None) -> None:
        """Count one input: each expected item takes the first unused prediction that `match`es it."""
        match = match or _match
        used = set()
        for exp in expected:
            hit = next((i for i, p in enumerate(predicted) if i not in used and match(p, exp)), None)
            if hit is None:
                self.fn += 1
            else:
                used.add(hit)
                self.tp += 1
        self.fp += len(predicted) - len(used)

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


def _match(p: Amount, e: Amount) -> bool:
    overlap = p.start < e.end and e.start < p.end
    same_max = (p.value_max or p.value) == (e.value_max or e.value)
    same_currency = e.currency is None or p.currency == e.currency  # a case may leave the currency open
    return overlap and p.value == e.value and same_max and same_currency


def corpus_inputs(simplified_only: bool = False) -> list[tuple[str, list[Amount]]]:
    """The gold articles; with `simplified_only`, JioNLP's home ground (mainland simplified news)."""
    from pipeline.text import normalise

    out = []
    for gold_file in sorted((ROOT / "tests" / "gold").glob("*.yaml")):
        gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
        text = (ROOT / "corpus" / gold["article"]).read_text(encoding="utf-8")
        if simplified_only and normalise(text).script != "simplified":
            continue
        expected = [Amount(g["start"], g["end"], _dec(g["value"]), _dec(g.get("value_max")), g["currency"])
                    for g in gold.get("money") or []]
        out.append((text, expected))
    return out


def locate(text: str, spans: list[str]) -> list[int]:
    """Start of each expected span in `text`; a span that repeats takes its next occurrence."""
    taken: dict[str, int] = {}
    out = []
    for span in spans:
        start = text.find(span, taken.get(span, 0))
        taken[span] = start + 1
        out.append(start)
    return out


def case_inputs(variant, name: str | None = None) -> list[tuple[str, list[Amount]]]:
    """(text, expected) from tests/corpus/money.yaml; span offsets are located in the converted text. An entry
    that names its `variants` is left out of the others (as the test runner does)."""
    data = yaml.safe_load((ROOT / "tests" / "corpus" / "money.yaml").read_text(encoding="utf-8"))
    out = []
    for case in data.get("cases", []):
        if case.get("xfail") or (name and "variants" in case and name not in case["variants"]):
            continue
        exp = case["expect"]
        for form in map(str, case["forms"]):
            text = variant(form)
            out.append((text, [Amount(0, len(text), _dec(exp["value"]), _dec(exp.get("value_max")),
                                      exp.get("currency"))]))
    for ctx in data.get("in_context", []):
        if ctx.get("xfail") or (name and "variants" in ctx and name not in ctx["variants"]):
            continue
        text = variant(ctx["text"])
        spans = [variant(exp["text"]) for exp in ctx["expect"]]
        expected = [Amount(start, start + len(span), _dec(exp["value"]), _dec(exp.get("value_max")), exp.get("currency"))
                    for exp, span, start in zip(ctx["expect"], spans, locate(text, spans))]
        out.append((text, expected))
    for neg in data.get("negatives", []):
        text = neg if isinstance(neg, str) else neg["text"]
        out.append((variant(text), []))
    return out


def measure(system, inputs) -> Score:
    score = Score()
    for text, expected in inputs:
        score.add(system.money(text), expected)
    return score


def speed(system, texts: list[str], seconds: float) -> float:
    """Characters per CPU-second, repeating the texts for at least `seconds`."""
    for t in texts:  # warm up (model and rule loading is not throughput)
        system.money(t)
    chars = 0
    start = time.process_time()
    while time.process_time() - start < seconds:
        for t in texts:
            system.money(t)
            chars += len(t)
    return chars / (time.process_time() - start)


# ----------------------------------------------------------------------------------------------
# dates


@dataclass
class Period:
    start: int
    end: int
    first: date
    last: date


def iso_bounds(value: str | None) -> tuple[date, date] | None:
    """First and last day of an ISO period value (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Hn; a time of day
    counts as its day); None for a partial value (--08-19, T15) or none, which have no days."""
    if not value or not value[:4].isdigit():
        return None
    value = value.split("T", 1)[0]
    y = int(value[:4])
    rest = value[5:]
    if not rest:
        return date(y, 1, 1), date(y, 12, 31)
    if rest.startswith("Q"):
        q = int(rest[1])
        m0, m1 = 3 * q - 2, 3 * q
    elif rest.startswith("H"):
        h = int(rest[1])
        m0, m1 = (1, 6) if h == 1 else (7, 12)
    elif len(rest) == 2:
        m0 = m1 = int(rest)
    else:
        d = date.fromisoformat(value)
        return d, d
    return date(y, m0, 1), date(y, m1, calendar.monthrange(y, m1)[1])


def period(start: int, end: int, value: str | None, end_value: str | None) -> Period | None:
    bounds = iso_bounds(value)
    if bounds is None:
        return None
    first, last = bounds
    if end_value and (end_bounds := iso_bounds(end_value)):
        last = end_bounds[1]
    return Period(start, end, first, last)


def _ref(value) -> str | None:
    """A case's reference date; `none` (a case run without one) is None."""
    text = str(value or "")
    return None if text.lower() in ("", "none") else text


class ZhnewsDates:
    name = "zhnews"

    def __init__(self):
        from pipeline.core import default_pipeline

        self.pipeline = default_pipeline()

    def dates(self, text: str, ref: str | None) -> list[Period]:
        record = self.pipeline(text, published=ref)
        return [p for d in record.dates if (p := period(d.start, d.end, d.value, d.end_value))]


class JioNLPDates:
    name = "JioNLP extract_time"

    def __init__(self):
        self.jio = JioNLP().jio

    def dates(self, text: str, ref: str | None) -> list[Period]:
        base = time.mktime(datetime.fromisoformat(ref or "2025-01-01").timetuple())
        out = []
        for item in self.jio.ner.extract_time(text, time_base=base, with_parsing=True):
            detail = item.get("detail") or {}
            span = detail.get("time")
            if detail.get("type") not in ("time_point", "time_span") or not isinstance(span, list):
                continue  # durations (time_delta) and recurring periods are not dates
            try:
                first = datetime.strptime(span[0], "%Y-%m-%d %H:%M:%S").date()
                last = datetime.strptime(span[1], "%Y-%m-%d %H:%M:%S").date()
            except (TypeError, ValueError):
                continue  # open-ended ("inf") spans
            out.append(Period(item["offset"][0], item["offset"][1], first, last))
        return out


def _period_match(p: Period, e: Period) -> bool:
    return p.start < e.end and e.start < p.end and p.first == e.first and p.last == e.last


def score_dates(system, inputs) -> Score:
    score = Score()
    for text, ref, expected in inputs:
        score.add(system.dates(text, ref), expected, _period_match)
    return score


def corpus_date_inputs():
    out = []
    for gold_file in sorted((ROOT / "tests" / "gold").glob("*.yaml")):
        gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
        text = (ROOT / "corpus" / gold["article"]).read_text(encoding="utf-8")
        items = gold.get("dates") or []
        ref = gold.get("published") or next((g["value"] for g in items if len(g["value"]) == 10), None)
        out.append((text, ref, [p for g in items if (p := period(g["start"], g["end"], g["value"], g.get("end_value")))]))
    return out


def case_date_inputs(variant):
    data = yaml.safe_load((ROOT / "tests" / "corpus" / "date.yaml").read_text(encoding="utf-8"))
    top = _ref(data.get("reference_date"))
    out = []
    for case in data.get("cases", []):
        if case.get("xfail"):
            continue
        ref = _ref(case.get("reference_date") or top)
        exp = case["expect"]
        for form in map(str, case["forms"]):
            text = variant(form)
            p = period(0, len(text), exp.get("value") and str(exp["value"]), exp.get("end_value"))
            out.append((text, ref, [p] if p else []))
    for ctx in data.get("in_context", []):
        if ctx.get("xfail"):
            continue
        ref = _ref(ctx.get("reference_date") or top)
        text = variant(ctx["text"])
        spans = [variant(exp["text"]) for exp in ctx["expect"]]
        expected = [p for exp, span, start in zip(ctx["expect"], spans, locate(text, spans))
                    if (p := period(start, start + len(span), exp.get("value") and str(exp["value"]),
                                    exp.get("end_value")))]
        out.append((text, ref, expected))
    for neg in data.get("negatives", []):
        text = neg if isinstance(neg, str) else neg["text"]
        ref = _ref(neg.get("reference_date") or top) if isinstance(neg, dict) else top
        out.append((variant(text), ref, []))
    return out


def date_speed(system, inputs, seconds: float) -> float:
    for text, ref, _ in inputs:
        system.dates(text, ref)
    chars = 0
    start = time.process_time()
    while time.process_time() - start < seconds:
        for text, ref, _ in inputs:
            system.dates(text, ref)
            chars += len(text)
    return chars / (time.process_time() - start)


def print_table(rows) -> None:
    header = f"{'input':<26}{'system':<28}{'expected':>9}{'P':>8}{'R':>8}{'F1':>8}"
    print(header)
    print("-" * len(header))
    for label, name, n, s in rows:
        print(f"{label:<26}{name:<28}{n:>9}{s.p:>8.3f}{s.r:>8.3f}{s.f1:>8.3f}")


def run_dates(seconds: float) -> None:
    from test_corpus_rules import VARIANTS

    systems = [ZhnewsDates()]
    try:
        systems.append(JioNLPDates())
    except ImportError:
        print("JioNLP is not installed: pip install -e '.[bench]'", file=sys.stderr)
    corpus = corpus_date_inputs()
    simplified = [c for c in corpus if _is_simplified(c[0])]
    suites = [("dates: corpus (gold)", corpus), ("dates: simplified only", simplified)] + [
        (f"dates: cases, {name}", case_date_inputs(fn)) for name, fn in VARIANTS.items()]
    rows = []
    for label, inputs in suites:
        n = sum(len(e) for _, _, e in inputs)
        for system in systems:
            rows.append((label, system.name, n, score_dates(system, inputs)))
    print_table(rows)
    print()
    print(f"{'system':<28}{'chars per CPU-second':>22}{'MB per CPU-second':>20}")
    for system in systems:
        cps = date_speed(system, corpus, seconds)
        print(f"{system.name:<28}{cps:>22,.0f}{cps * 3 / 1e6:>20.2f}")


def _is_simplified(text: str) -> bool:
    from pipeline.text import normalise

    return normalise(text).script == "simplified"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="CPU seconds per speed measurement")
    parser.add_argument("--only", choices=("money", "dates"), help="run one comparison only")
    args = parser.parse_args()
    if args.only != "money":
        run_dates(args.seconds)
        if args.only == "dates":
            return 0
        print()

    from test_corpus_rules import VARIANTS  # the same variants the test runner uses

    systems = [Zhnews(), ZhnewsMoneyOnly()]
    try:
        systems.append(JioNLP())
    except ImportError:
        print("JioNLP is not installed: pip install -e '.[bench]'", file=sys.stderr)
    corpus = corpus_inputs()
    suites = [("corpus (gold)", corpus), ("corpus, simplified only", corpus_inputs(simplified_only=True))] + [(f"cases, {name}", case_inputs(fn, name)) for name, fn in VARIANTS.items()]
    texts = [t for t, _ in corpus]

    header = f"{'input':<24}{'system':<28}{'expected':>9}{'P':>8}{'R':>8}{'F1':>8}"
    print(header)
    print("-" * len(header))
    for label, inputs in suites:
        n = sum(len(e) for _, e in inputs)
        for system in systems:
            s = measure(system, inputs)
            print(f"{label:<24}{system.name:<28}{n:>9}{s.p:>8.3f}{s.r:>8.3f}{s.f1:>8.3f}")
    print()
    print(f"{'system':<28}{'chars per CPU-second':>22}{'MB per CPU-second':>20}")
    for system in systems:
        cps = speed(system, texts, args.seconds)
        print(f"{system.name:<28}{cps:>22,.0f}{cps * 3 / 1e6:>20.2f}")
    if len(systems) == 3:
        print(f"\nJioNLP {systems[2].version}; MB counts UTF-8 bytes (3 per Chinese character).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
