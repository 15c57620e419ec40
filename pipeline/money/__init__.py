"""The money room: amounts (`money`) and exchange rates (`exchange_rate`).

extract (`extract.py`: spans) -> resolve (`resolve.py`: values, by the shape each rule declares) ->
the longest non-overlapping -> what the article decides (rates after a currency pair, the currency of a
bare 元). Rules: `rules/money.yaml`, with the currencies of `rules/currency.yaml`.
"""

from __future__ import annotations

from pipeline.mention import select_longest
from pipeline.money.extract import extract_money
from pipeline.money.items import ExchangeRate, Money
from pipeline.money.resolve import RESOLVERS, finish_money
from pipeline.money.rules import CompiledMoney, MoneyRules
from pipeline.registry import Family, Stage, register


def run(ctx, rules: CompiledMoney, found) -> list:
    resolved = []
    for c in extract_money(ctx, rules):
        got = RESOLVERS[c.rule.resolve](c, ctx, rules)
        if isinstance(got, list):  # $20,300美圆: one span, two amounts
            resolved += got
        elif got is not None:
            resolved.append(got)
    return finish_money(ctx, select_longest(resolved), rules)


def _user_words(rules) -> list[str]:
    """Currency words the segmenter keeps whole."""
    cur = rules.currency
    forms = [f for c in cur.currencies.values() for f in c.names + c.codes + c.symbols] + cur.generic
    forms += list(cur.ambiguous) + list(cur.named_subunits)
    return [f for f in forms if len(f) > 1 and not f.isascii()]


def _money_detail(i: dict) -> str:
    rng = f"–{i['value_max']}" if i.get("value_max") else ""
    cur = i.get("currency") or "currency unresolved"
    how = f" ({i['currency_from']})" if i.get("currency_from") not in (None, "explicit") else ""
    return (f"{i['value']}{rng} {cur}{how}{' ' + i['qualifier'] if i.get('qualifier') else ''}"
            f"{' per share' if i.get('per_share') else ''}{' per ' + i['per_unit'] if i.get('per_unit') else ''}")


MONEY = Family(
    name="money", field="money", item=Money, order=20, rank=30, title="Money",
    columns={"value": "value", "value_max": "value_max", "unit": "currency"},
    colours={"money": "#EEDD88"}, detail=_money_detail,
    keys=("value", "value_max", "currency"), secondary=("qualifier", "per_share"),
)
EXCHANGE_RATE = Family(
    name="exchange_rate", field="exchange_rates", item=ExchangeRate, order=30, rank=20, title="Exchange rate",
    columns={"value": "value", "unit": "quote", "norm": "base"},
    colours={"exchange_rates": "#AAAA00"}, detail=lambda i: f"{i['value']} {i['quote']} per {i['base']}",
    keys=("value", "base", "quote"),
)
STAGE = Stage(
    name="money", order=20, families=("money", "exchange_rate"), run=run, schema=MoneyRules,
    compile=lambda spec, rules: CompiledMoney(spec, rules, RESOLVERS), user_words=_user_words,
)

register(families=(MONEY, EXCHANGE_RATE), stages=(STAGE,))
