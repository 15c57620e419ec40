"""Percentages, resolve: the value of each span, by the shape its rule declares.

- 19.82%, 百分之三十五, 1.5个百分点 (points), ranges (5%至10%, 三至五成);
- 成 is tenths: 七成 70, 7.2成 / 七成二 72, 三成半 35, 半成 5, 十成 100;
- 千分之三 0.3, 万分之二点五 0.025, 3‰ 0.3, 5‱ 0.05: a power of ten as the denominator;
- discounts, with `discount: true`: one digit is tenths (八折 80), two digits as written (七五折 75, 98折),
  a decimal is tenths (7.5折 75); 对折 (after 打) and 半折 are 50.
A numeral that is no single number (二三十个百分点, 几个百分点) gives nothing: vague amounts stay out."""

from __future__ import annotations

from decimal import Decimal

from pipeline.mention import Candidate, Context, Mention
from pipeline.numbers import find_qualifier, has_chinese_digit, parse_chinese, parse_number, plain


def _mention(c: Candidate, ctx: Context, rules, value: Decimal, value_max: Decimal | None, points: bool,
             *, end: int | None = None, discount: bool = False) -> Mention:
    end = c.end if end is None else end
    return Mention("percent", c.rule.id, c.start, end, {
        "value": plain(value),
        "value_max": plain(value_max) if value_max is not None else None,
        "qualifier": find_qualifier(ctx.text, c.start, end, rules.rules),
        "points": points,
        "discount": discount,
    })


def _number(num: str | None, rules) -> Decimal | None:
    """An Arabic or Chinese number (spaces inside ignored); None for a vague one (二三十, 几)."""
    if not num:
        return None
    t = num.replace(" ", "")
    if not t:
        return None
    if t[0].isdigit():
        return parse_number(t, rules.rules)
    if not has_chinese_digit(t, rules.rules):
        return None
    digits = rules.rules.number.digits
    if len(t) > 1 and all(ch in digits for ch in t):
        return None  # 二三: digit by digit is a year, never a share
    return parse_chinese(t, rules.rules)


def _mult(c: Candidate, rules) -> Decimal:
    m = (c.group("mult") or "").strip()
    return rules.latin_units[m] if m else Decimal(1)


def _range(c: Candidate, ctx: Context, rules, *, scale: Decimal = Decimal(1), points: bool = False,
           discount: bool = False) -> Mention | None:
    low, high = _number(c.group("num1"), rules), _number(c.group("num2"), rules)
    if low is None or high is None:
        return None
    low, high = low * scale, high * scale
    if c.group("neg"):
        low = -low
    if c.group("neg2"):
        high = -high
    if low > high:
        return None
    return _mention(c, ctx, rules, low, high, points, discount=discount)


def _single(c: Candidate, ctx: Context, rules, *, scale: Decimal = Decimal(1), points: bool = False,
            bare: dict | None = None) -> Mention | None:
    num = c.group("num")
    end = None
    if bare and num in bare:
        value = Decimal(bare[num])  # 百分之百
    else:
        value = _number(num, rules)
        if value is None and num and not num[0].isdigit():
            # 百分之七十百分位: the numeral ends before a unit that does not fall
            t = num.rstrip()
            units = rules.rules.number.small_units.keys() | rules.rules.number.large_units.keys()
            while t and t[-1] in units and value is None:
                t = t[:-1].rstrip()
                value = _number(t, rules) if t else None
            if value is not None:
                end = c.match.start("num") + len(t)
    if value is None:
        return None
    value *= scale * _mult(c, rules)
    if c.group("neg"):
        value = -value
    return _mention(c, ctx, rules, value, None, points, end=end)


def _tenths(num: str, rules) -> Decimal | None:
    """The value of 成 / 折 numbers in tenths: 七 7, 7.2 7.2, 七点二 7.2, 十 10, 半 0.5."""
    t = num.replace(" ", "")
    if t == rules.half:
        return Decimal("0.5")
    return _number(t.replace(".", "点") if not t[0].isdigit() else t, rules)


def _cheng(c: Candidate, ctx: Context, rules) -> Mention | None:
    """七成 70, 7.2成 72, 七成二 72, 三成半 35, 半成 5, 十成 100."""
    value = _tenths(c.group("num"), rules)
    if value is None:
        return None
    tenth = c.group("tenth")
    if tenth:
        if value != value.to_integral_value() or value >= 10:
            return None  # 七点二成五 is no share
        value += Decimal("0.5") if tenth == rules.half else Decimal(rules.rules.number.digits[tenth]) / 10
    return _mention(c, ctx, rules, value * 10, None, False)


def _discount_value(num: str, rules) -> Decimal | None:
    """八折 80, 七五折 75, 75折 75, 7.5折 75, 六点五折 65, 9.9折 99."""
    t = num.replace(" ", "")
    digits = rules.rules.number.digits
    if t[0].isdigit():
        value = Decimal(t)
        return value * 10 if len(t) == 1 or "." in t else value
    if "点" in t:
        v = parse_chinese(t, rules.rules)
        return v * 10 if v is not None else None
    if all(ch in digits for ch in t):
        if len(t) == 1:
            return Decimal(digits[t]) * 10
        if len(t) == 2:
            return Decimal(digits[t[0]] * 10 + digits[t[1]])
    return None


def _discount(c: Candidate, ctx: Context, rules) -> Mention | None:
    value = _discount_value(c.group("num"), rules)
    if value is None or not 0 < value < 100:
        return None
    return _mention(c, ctx, rules, value, None, False, discount=True)


def _discount_range(c: Candidate, ctx: Context, rules) -> Mention | None:
    low, high = _discount_value(c.group("num1"), rules), _discount_value(c.group("num2"), rules)
    if low is None or high is None or not 0 < low < high < 100:
        return None
    return _mention(c, ctx, rules, low, high, False, discount=True)


def _discount_word(c: Candidate, ctx: Context, rules) -> Mention | None:
    return _mention(c, ctx, rules, rules.discount_words[c.match.group()], None, False, discount=True)


def _denominator(den: str | None, rules) -> Decimal | None:
    """十万 -> 100000, 千 -> 1000, 百万万 -> 10^10: a power of ten from 1000 up, else None."""
    if not den:
        return None
    n = rules.rules.number
    value = Decimal(1)
    for ch in den:
        unit = n.small_units.get(ch) or n.large_units.get(ch)
        if unit is None:
            return None
        value *= unit
    return value if value >= 1000 else None


def _fraction(c: Candidate, ctx: Context, rules) -> Mention | None:
    """千分之三 -> 0.3, 万分之二点五 -> 0.025, 十万分之一 -> 0.001 (as a percentage)."""
    den = _denominator(c.group("den"), rules)
    num = _number(c.group("num"), rules)
    if den is None or num is None:
        return None
    return _mention(c, ctx, rules, num * 100 / den, None, False)


def _fraction_range(c: Candidate, ctx: Context, rules) -> Mention | None:
    den = _denominator(c.group("den"), rules)
    den2 = _denominator(c.group("den2"), rules) if c.group("den2") else den
    low, high = _number(c.group("num1"), rules), _number(c.group("num2"), rules)
    if den is None or den2 is None or low is None or high is None:
        return None
    low, high = low * 100 / den, high * 100 / den2
    return _mention(c, ctx, rules, low, high, False) if low < high else None


def _permille(c: Candidate, ctx: Context, rules) -> Mention | None:
    value = _number(c.group("num"), rules)
    if value is None:
        return None
    value *= rules.permille_signs[c.group("sign")]
    return _mention(c, ctx, rules, -value if c.group("neg") else value, None, False)


def _permille_range(c: Candidate, ctx: Context, rules) -> Mention | None:
    sign = c.group("sign")
    sign1 = c.group("sign1") or sign
    low, high = _number(c.group("num1"), rules), _number(c.group("num2"), rules)
    if low is None or high is None:
        return None
    low, high = low * rules.permille_signs[sign1], high * rules.permille_signs[sign]
    return _mention(c, ctx, rules, low, high, False) if low < high else None


RESOLVERS = {
    "percent": lambda c, ctx, rules: _single(c, ctx, rules),
    "percent_range": lambda c, ctx, rules: _range(c, ctx, rules),
    "points": lambda c, ctx, rules: _single(c, ctx, rules, points=True),
    "points_range": lambda c, ctx, rules: _range(c, ctx, rules, points=True),
    "chinese": lambda c, ctx, rules: _single(c, ctx, rules, bare=rules.bare_numerals),
    "cheng": _cheng,
    "cheng_range": lambda c, ctx, rules: _range(c, ctx, rules, scale=Decimal(10)),
    "fraction": _fraction,
    "fraction_range": _fraction_range,
    "permille": _permille,
    "permille_range": _permille_range,
    "discount": _discount,
    "discount_range": _discount_range,
    "discount_word": _discount_word,
}
