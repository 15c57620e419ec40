"""Numbers written the ways Chinese finance writes them, resolved to exact `Decimal`s; and the qualifiers
(约, 超过, 以上) that money and percentages share. The words are data (`number.yaml`, `qualifier.yaml`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from pipeline.resources import Rules


def plain(d: Decimal) -> Decimal:
    """The same value without exponent or trailing zeros (5.4 * 10**8 -> 540000000)."""
    text = format(d.normalize(), "f")
    return Decimal(text)


def parse_chinese(text: str, rules: Rules) -> Decimal | None:
    """二十五万 -> 250000, 三千五百万 -> 35000000, 二零二四 -> 2024, 两 -> 2, 十二 -> 12."""
    num_rules = rules.number
    digits, small, large = num_rules.digits, num_rules.small_units, num_rules.large_units
    if not text:
        return None
    point = num_rules.decimal_point
    if point in text:  # 十二点五 -> 12.5; the fraction is read digit by digit
        whole, _, frac = text.partition(point)
        head = parse_chinese(whole, rules) if whole else Decimal(0)
        if head is None or not frac or any(ch not in digits for ch in frac):
            return None
        return head + Decimal("0." + "".join(str(digits[ch]) for ch in frac))
    if all(ch in digits for ch in text):
        if len(text) == 1:
            return Decimal(digits[text])
        return Decimal("".join(str(digits[ch]) for ch in text))  # digit by digit: 二零二四
    total = Decimal(0)
    section = Decimal(0)
    num: Decimal | None = None
    for ch in text:
        if ch in digits:
            num = Decimal(digits[ch])
        elif ch in small:
            section += (num if num is not None else 1) * small[ch]
            num = None
        elif ch in large:
            unit = large[ch]
            if unit >= 100_000_000:  # 亿 scales everything before it
                total = (total + section + (num or 0)) * unit
            else:
                total += (section + (num or 0)) * unit
            section = Decimal(0)
            num = None
        else:
            return None
    return total + section + (num or 0)


def parse_number(text: str, rules: Rules) -> Decimal | None:
    """An Arabic (1,066.6) or Chinese (二十五万) number; None when it is neither."""
    t = text.replace(" ", "")
    if not t:
        return None
    if t[0].isdigit():
        try:
            return Decimal(t.replace(",", ""))
        except InvalidOperation:
            return None
    return parse_chinese(t, rules)


def has_chinese_digit(text: str, rules: Rules) -> bool:
    """A Chinese numeral needs a digit (三千, 二十) or a leading 十/拾; 千元 and 百万 alone are units."""
    return text[:1] in rules.number.leading_units or any(ch in rules.number.digits for ch in text)


def has_unit(text: str, rules: Rules) -> bool:
    """The numeral has a unit character (三千万, 二十): not a bare digit string like 一 or 二零."""
    n = rules.number
    return any(ch in n.small_units or ch in n.large_units for ch in text)


def trailing_large_unit(text: str, rules: Rules) -> Decimal | None:
    """The unit a Chinese numeral ends in (三万 -> 10000), to share with the other end of a range."""
    if text and text[-1] in rules.number.large_units:
        return Decimal(rules.number.large_units[text[-1]])
    return None


def find_qualifier(text: str, start: int, end: int, rules: Rules) -> str | None:
    """approx / over / under from the words right before or after a span (约5亿元, 60%以上), also across
    one word in between (大约下跌12%, 最多输10亿美元, 不超过每股30元)."""
    before = text[max(0, start - 8):start].rstrip(" ")
    q = _qualifier_before(before, rules)
    if q is None:
        word = next((v for v in rules.qualifier_between if before.endswith(v)), None)
        if word:
            q = _qualifier_before(before[: len(before) - len(word)].rstrip(" "), rules)
    return q or _qualifier_after(text, end, rules)


def _qualifier_before(before: str, rules: Rules) -> str | None:
    for word, q in rules.qualifier_before:
        if before.endswith(word):
            lead = before[: len(before) - len(word)]
            if lead and lead[-1] in rules.qualifier.not_after_word.get(word, ()):
                continue  # 签约, 最近, 远超: the end of another word
            return q
    return None


def _qualifier_after(text: str, end: int, rules: Rules) -> str | None:
    after = text[end:end + 4].lstrip(" ")
    for word, q in rules.qualifier_after:
        if after.startswith(word):
            nxt = after[len(word):len(word) + 1]
            if nxt and nxt in rules.qualifier.not_before_char.get(word, ""):
                continue  # 三成多 is "over"; 5亿元多个项目 is not
            return q
    return None
