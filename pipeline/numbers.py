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
    """二十五万 -> 250000, 三千五百万 -> 35000000, 二零二四 -> 2024, 两 -> 2, 十二 -> 12.

    A numeral whose units do not fall (七十百) or with two digits side by side among its units (二三十,
    三四千: an approximate "twenty or thirty", see `adjacent_bounds`) is no single number: None."""
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
    last_small = None  # the last small unit of this section: the next one must be smaller
    for ch in text:
        if ch in digits:
            if num:  # a digit right after a non-zero digit: 二三十
                return None
            num = Decimal(digits[ch])
        elif ch in small:
            unit = small[ch]
            if last_small is not None and unit >= last_small:
                return None  # 七十百: units rise
            last_small = unit
            section += (num if num is not None else 1) * unit
            num = None
        elif ch in large:
            unit = large[ch]
            if unit >= 100_000_000:  # 亿 scales everything before it
                total = (total + section + (num or 0)) * unit
            else:
                total += (section + (num or 0)) * unit
            section = Decimal(0)
            num = None
            last_small = None
        else:
            return None
    return total + section + (num or 0)


def adjacent_bounds(text: str, rules: Rules) -> tuple[Decimal, Decimal] | None:
    """Two neighbouring digits read as "this or the next": 二三十 -> (20, 30), 三四千万 -> (3000万, 4000万),
    十七八 -> (17, 18), 一两万 -> (1万, 2万), 八九 -> (8, 9). None for any other text."""
    digits = rules.number.digits
    t = text.replace(" ", "")
    for i in range(len(t) - 1):
        a, b = t[i], t[i + 1]
        if a in digits and b in digits and digits[a] and digits[b] == digits[a] + 1:
            low = parse_chinese(t[:i + 1] + t[i + 2:], rules)
            high = parse_chinese(t[:i] + t[i + 1:], rules)
            if low is not None and high is not None and low < high and (len(t) == 2 or has_unit(t, rules)):
                return low, high
            return None
    return None


def step_of(text: str, rules: Rules) -> Decimal | None:
    """One step of the last digit written, for "N and more" (3000多 -> 1000, 3500多 -> 100, 十多 -> 10,
    一百多 -> 100, 35多 -> 1); None for a decimal (2.5多 has no step)."""
    t = text.replace(" ", "").replace(",", "")
    if not t:
        return None
    if t[0].isdigit():
        if "." in t:
            return None
        stripped = t.rstrip("0")
        return Decimal(10) ** (len(t) - len(stripped)) if stripped else None
    n = rules.number
    if t[-1] in n.small_units:
        return Decimal(n.small_units[t[-1]])
    if t[-1] in n.large_units:
        return Decimal(n.large_units[t[-1]])
    return Decimal(1)


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


def trailing_units(text: str, rules: Rules) -> Decimal | None:
    """The units a Chinese numeral ends in, small ones included, to share with a bare digit at the other end
    of a range: 九百 -> 100 (七到九百), 三千万 -> 10000 (两到三千万 shares 千万: the caller multiplies by the
    run of units after the last digit), 三仟 -> 1000. None when it ends in a digit."""
    n = rules.number
    value = Decimal(1)
    i = len(text)
    while i > 0 and (text[i - 1] in n.small_units or text[i - 1] in n.large_units):
        ch = text[i - 1]
        value *= n.small_units.get(ch) or n.large_units[ch]
        i -= 1
    return value if i < len(text) else None


def find_qualifier(text: str, start: int, end: int, rules: Rules) -> str | None:
    """approx / over / under from the words right before or after a span (约5亿元, 60%以上), also across
    one word in between (大约下跌12%, 最多输10亿美元, 不超过每股30元)."""
    before = text[max(0, start - 8):start].rstrip(" ")
    q = _qualifier_before(before, rules)
    if q is None and before.endswith(rules.qualifier_between):
        word = next((v for v in rules.qualifier_between if before.endswith(v)), None)
        if word:
            q = _qualifier_before(before[: len(before) - len(word)].rstrip(" "), rules)
    return q or _qualifier_after(text, end, rules)


def _qualifier_before(before: str, rules: Rules) -> str | None:
    if not before.endswith(rules.qualifier_before_words):
        return None
    for word, q in rules.qualifier_before:
        if before.endswith(word):
            lead = before[: len(before) - len(word)]
            if lead and lead[-1] in rules.qualifier.not_after_word.get(word, ()):
                continue  # 签约, 最近, 远超: the end of another word
            return q
    return None


def _qualifier_after(text: str, end: int, rules: Rules) -> str | None:
    after = text[end:end + 4].lstrip(" ")
    if not after.startswith(rules.qualifier_after_words):
        return None
    for word, q in rules.qualifier_after:
        if after.startswith(word):
            nxt = after[len(word):len(word) + 1]
            if nxt and nxt in rules.qualifier.not_before_char.get(word, ""):
                continue  # 三成多 is "over"; 5亿元多个项目 is not
            return q
    return None
