"""Money, resolve: exact values for each span, by the shape its rule declares (`amount`, `range`, `rate`,
`subunit`, `cents`, `colloquial`, `daxie`), then what the article around the amounts decides: rates named
by a currency pair, and the currency of a bare local unit (元 块 蚊 角 分 仙, a bare $) from the article's
region (`pipeline.region`).

Every amount says where its currency came from (`currency_from`): `explicit` (a currency word or sign in
its span), `region` (a bare unit, read by the article's region), `default` (a bare unit in an article with
no region signal: the fallback currency), `unresolved` (rival regions: no currency rather than a guess).

Values are exact. An approximate amount is a range with a qualifier: 数十亿 [10亿, 100亿] approx, 二三十万
[20万, 30万] approx, 十几块 [10, 20] approx, 3000多 [3000, 4000] over; 上亿 is 1亿, over. A range bound
with its own multiplier keeps it; a bare bound shares the other's only where that keeps it the lower bound
(三到五万 -> [3万, 5万], 8500到3万 -> [8500, 3万]).
"""

from __future__ import annotations

from decimal import Decimal

import regex

from pipeline.mention import COMMA_BREAKS, Candidate, Context, Mention, clause_start, sentence_bounds
from pipeline.money.rules import CompiledMoney
from pipeline.numbers import (
    adjacent_bounds,
    find_qualifier,
    has_chinese_digit,
    has_unit,
    parse_chinese,
    parse_number,
    plain,
    step_of,
    trailing_units,
)

_HAN = regex.compile(r"\p{Han}")
INTERNAL = ("local",)  # fields the resolver passes to `finish_money`, never to the record


# ----------------------------------------------------------------------------------------------
# after the spans are chosen


def finish_money(ctx: Context, mentions: list[Mention], rules: CompiledMoney) -> list[Mention]:
    """Amounts after a currency pair become rates; a bare local unit takes the currency of the article's
    region (with a warning, once, when that is only the fallback or nothing)."""
    units = ctx.units or {"currency": "CNY", "dollar": "USD", "from": "default"}
    found = rates_in_context(ctx, mentions, rules, units)
    out = []
    warned = False
    for m in found:
        if m.family != "money":
            out.append(m)
            continue
        fields = dict(m.fields)
        local = fields.pop("local", None)
        if local:
            cur = units.get("dollar") if local == "dollar" else units.get("currency")
            source = units.get("from", "default")
            if local == "dollar" and cur is None and source != "unresolved":
                cur, source = "USD", "default"
            fields["currency"] = cur
            fields["currency_from"] = source if cur is not None else "unresolved"
            if not warned and units.get("warning") and source in ("default", "unresolved"):
                ctx.warn(units["warning"], units.get("why", ""), m.start, m.end)
                warned = True
        out.append(Mention(m.family, m.rule, m.start, m.end, fields))
    return out


def rate_pairs(text: str, rules: CompiledMoney) -> list:
    """Every currency pair (人民币兑美元, 离岸人民币(CNH)兑美元), looked for only around 兑 and 对."""
    pairs, seen = [], set()
    for m in rules.rate_joiner_rx.finditer(text):
        lo, hi = max(0, m.start() - rules.pair_reach), min(len(text), m.end() + rules.pair_reach)
        for p in rules.rate_pair_rx.finditer(text, lo, hi):
            if p.span() not in seen:
                seen.add(p.span())
                pairs.append(p)
    pairs.sort(key=lambda p: p.start())
    return pairs


def rates_in_context(ctx: Context, mentions: list[Mention], rules: CompiledMoney, units: dict) -> list[Mention]:
    """After a currency pair (新台币兑美元, 人民币对美元, 美元兑人民币), small plain amounts and bands in the same
    sentence are the rate, not money: 新台币兑美元…以32.805元收盘 is USD/TWD 32.805; 美元兑人民币7.18 is USD/CNY;
    离岸人民币(CNH)兑美元…交投于6.7423-6.6726元 is a band."""
    pairs = rate_pairs(ctx.text, rules)
    if not pairs:
        return mentions
    out = []
    for m in mentions:
        f = m.fields
        pair = None
        if m.family == "money" and abs(f["value"]) < 1000 and abs(f["value_max"] or 0) < 1000:
            lo = sentence_bounds(ctx.text, m.start)[0]
            before = [p for p in pairs if lo <= p.start() < m.start]
            pair = before[-1] if before else None
        if pair is not None and not any(u in ctx.text[m.start:m.end] for u in rules.rate_units):
            first, second = rules.currency_of[pair["quote"]], rules.currency_of[pair["base"]]
            local = units.get("dollar") if f.get("local") == "dollar" else units.get("currency")
            cur = local if f.get("local") else f["currency"]
            quote = None
            if f.get("local") and cur not in (first, second):
                quote = first  # the amount's unit is the pair's first currency: 新台币兑美元…32.805元
            elif cur in (first, second):
                quote = cur
            if quote is not None:
                base = second if quote == first else first
                m = Mention("exchange_rate", "money.rate_in_context", m.start, m.end,
                            {"value": f["value"], "value_max": f["value_max"], "base": base, "quote": quote})
        out.append(m)
    return out


# ----------------------------------------------------------------------------------------------
# numbers


def multiplier_value(mult: str | None, rules: CompiledMoney) -> Decimal | None:
    """万 -> 10^4, 千万亿 -> 10^15 (the units multiply), 个亿 -> 10^8, k -> 10^3; None for no multiplier."""
    if not mult:
        return None
    if mult in rules.unit_value:
        return rules.unit_value[mult]
    value = Decimal(1)
    for ch in mult.replace(" ", ""):
        if ch in rules.unit_value:
            value *= rules.unit_value[ch]
        elif ch not in rules.colloquial_units:  # 个 before 亿
            return None
    return value


def bounds(num: str | None, mult: str | None, inside: str | None, rules: CompiledMoney, *,
           inside_after: bool = False) -> tuple[Decimal, Decimal | None, str | None] | None:
    """(low, high or None, qualifier) of one written amount, its multiplier applied:
    5.4 亿 -> (5.4亿, None, None); 数十 亿 -> (10亿, 100亿, approx); 二三十 万 -> (20万, 30万, approx);
    十几 -> (10, 20, approx); 3000 多 -> (3000, 4000, over); 上亿 -> (1亿, None, over)."""
    if not num:
        return None
    t = num.replace(" ", "").strip()
    if not t:
        return None
    shared = rules.rules
    m = multiplier_value(mult, rules) or Decimal(1)
    if mult and multiplier_value(mult, rules) is None:
        return None
    first = t[0]
    if first in "上过" and len(t) > 1:  # 上亿: over one 亿
        unit = parse_chinese("一" + t[1:], shared)
        return (unit * m, None, "over") if unit else None
    if first in "数几" and len(t) > 1:  # 数十亿: a few tens of 亿
        unit = parse_chinese("一" + t[1:], shared)
        return (unit * m, unit * 10 * m, "approx") if unit else None
    if t.endswith("几"):
        base = parse_chinese(t[:-1], shared)
        step = trailing_units(t[:-1], shared)
        if base is None or step is None:
            return None
        return base * m, (base + step) * m, "approx"
    if not first.isdigit():
        if not has_chinese_digit(t, shared):
            return None
        if all(ch in shared.number.digits for ch in t) and len(t) > 1:  # 八九 (approx), never 二零二四 as money
            pair = adjacent_bounds(t, shared)
            return (pair[0] * m, pair[1] * m, "approx") if pair else None
    value = parse_number(t, shared)
    if value is None:
        pair = adjacent_bounds(t, shared) if not first.isdigit() else None
        return (pair[0] * m, pair[1] * m, "approx") if pair else None
    if inside:
        step = (Decimal(1) if inside_after else step_of(t, shared))
        return value * m, ((value + step) * m if step is not None else None), "over"
    return value * m, None, None


def tail_value(tail: str | None, text: str, end: int, rules: CompiledMoney, *, bare_ok: bool
               ) -> tuple[Decimal, int]:
    """The value of what follows a local unit (六角七分 -> 0.67, 六毛七 -> 0.67, 零四 -> 0.04, 六 -> 0.6,
    半 -> 0.5) and how many of its characters count. A trailing bare digit counts only where `bare_ok`
    and no noun follows it (十八块六毛一斤 is 18.6, then 一斤)."""
    if not tail:
        return Decimal(0), 0
    m = rules.tail_rx.fullmatch(tail)
    if m is None:
        return Decimal(0), 0
    digits = rules.rules.number.digits

    def dv(s: str) -> Decimal:
        return Decimal(int(s)) if s.isdigit() else Decimal(digits[s])

    def noun_after(pos: int) -> bool:
        nxt = text[pos:pos + 1]
        return bool(nxt) and bool(_HAN.match(nxt)) and not any(text.startswith(w, pos)
                                                              for w in rules.measure_word_ok_after)
    if m["half"]:
        return Decimal("0.5"), len(tail)
    if m["j"]:
        value = dv(m["j"]) * rules.subunit_value[m["ju"]]
        if m["f"]:
            if m["fu"]:
                return value + dv(m["f"]) * rules.subunit_value[m["fu"]], len(tail)
            if noun_after(end) :  # 六毛一斤: the 一 counts the 斤
                return value, m.end("ju")
            return value + dv(m["f"]) / 100, len(tail)
        return value, len(tail)
    if m["f2"]:
        return dv(m["f2"]) * rules.subunit_value[m["fu2"]], len(tail)
    if m["f3"]:  # 零四: the hundredths
        if not bare_ok or noun_after(end):
            return Decimal(0), 0
        return dv(m["f3"]) / 100, len(tail)
    if m["j2"]:  # 五块六
        if not bare_ok or noun_after(end):
            return Decimal(0), 0
        return dv(m["j2"]) / 10, len(tail)
    return Decimal(0), 0


# ----------------------------------------------------------------------------------------------
# currencies


def resolve_ambiguous(form: str, ctx: Context, pos: int, rules: CompiledMoney) -> str | None:
    """A name several currencies share (比索, 克朗, 卢比): the currency of the country named nearest in the
    sentence, else in the article, else the name's default (None: no item)."""
    spec = rules.ambiguous[form]
    cands = set(spec.candidates)
    text = ctx.text
    for lo, hi in (sentence_bounds(text, pos), (0, len(text))):
        best = None
        for tm in rules.territory_rx.finditer(text, lo, hi):
            codes = rules.currencies_of_territory.get(rules.territory_of[tm.group()], set()) & cands
            if len(codes) == 1:
                dist = abs(tm.start() - pos)
                if best is None or dist < best[0]:
                    best = (dist, next(iter(codes)))
        if best is not None:
            return best[1]
    return spec.default


CONFLICT = ("conflict", None)  # a match that names two currencies


def currency_of_match(g: dict, ctx: Context, pos: int, end: int, rules: CompiledMoney
                      ) -> tuple[str | None, str | None] | None:
    """(currency, local kind) of a match: an explicit currency (local None), or None and `unit` for a bare
    local unit, `dollar` for a bare $. None when the match names two currencies or an ambiguous name that
    the article does not resolve (then a warning `ambiguous_currency`)."""
    pre, suf, tail = g.get("cur"), g.get("suf"), g.get("suf_tail")
    named = [f for f in (tail, suf if suf not in rules.generic else None, pre) if f]
    codes = []
    for form in named:
        if form == "$":
            codes.append("$")
        elif form in rules.ambiguous:
            code = resolve_ambiguous(form, ctx, pos, rules)
            if code is None:
                ctx.warn("ambiguous_currency", f"{form} names several currencies and the article names none of "
                         "their countries: no amount recorded", pos, end)
                return None
            codes.append(code)
        else:
            codes.append(rules.currency_of[form])
    if tail and suf and suf not in rules.generic:
        return None  # 100美元港币: two currency words
    distinct = set(codes)
    if pre and pre in rules.symbols and suf and suf not in rules.generic:
        return CONFLICT  # $20,300美圆: a sign and a currency word after the number are two amounts, not one
    if len(distinct) > 1:
        return CONFLICT
    if distinct:
        code = distinct.pop()
        return (None, "dollar") if code == "$" else (code, None)
    if suf in rules.generic or g.get("ge"):
        return None, "unit"
    return None


# ----------------------------------------------------------------------------------------------
# context checks


def _after(text: str, pos: int) -> str:
    return text[pos:pos + 3].lstrip(" ")


def _is_word_not_money(ctx: Context, start: int, end: int, g: dict, rules: CompiledMoney) -> bool:
    text = ctx.text
    if start > 0 and text[start - 1] in rules.not_before:
        return True
    suffix = g.get("suf")
    if suffix in rules.generic and not g.get("suf_tail") and not g.get("tail") and not g.get("end"):
        after = text[end:end + 2]
        if any(after.startswith(w) for w in rules.not_after):
            return True
        if (suffix in rules.measure_word_forms and _HAN.match(after[:1])
                and not any(after.startswith(w) for w in rules.measure_word_ok_after)
                and after[:1] not in rules.rules.number.digits):
            return True  # 两块住宅用地: 块 is a measure word here
    return False


def _bare_number_ends(ctx: Context, end: int, rules: CompiledMoney) -> bool:
    """A number with no unit after it (人民币3.6) ends here: no digit, letter, % or Han character follows,
    except the words of `bare_ok_after` (人民币2025年, 美元3年期 and 港元1983年起 are no amounts)."""
    after = _after(ctx.text, end)
    if not after:
        return True
    ch = after[0]
    if ch.isalnum() and not _HAN.match(ch):
        return False
    if ch in "%‰‱.":
        return False
    if _HAN.match(ch):
        return any(after.startswith(w) for w in rules.bare_ok_after)
    return True


def isolated(ctx: Context, start: int, end: int, rules: CompiledMoney) -> bool:
    """The clause holds nothing but the amount (and words such as 最多, 大约, 左右): 五分, 個半, 两毛 alone
    are amounts; 五分钟后, 九牛一毛, 五个半小时 are not."""
    text = ctx.text
    lo = clause_start(text, start, 40, COMMA_BREAKS)
    hi = end
    while hi < len(text) and hi - end < 40 and text[hi] not in COMMA_BREAKS:
        hi += 1
    before, after = text[lo:start].strip(), text[end:hi].strip()
    for w in rules.isolated_words:
        if before.endswith(w):
            before = before[: -len(w)].strip()
            break
    for w in rules.isolated_words:
        if after.startswith(w):
            after = after[len(w):].strip()
            break
    return not before and not after.strip("。.!！?？")


def _price_before(ctx: Context, start: int, rules: CompiledMoney) -> bool:
    """A price word earlier in the clause: 一斤卖两毛五, 每公里加收两角."""
    before = ctx.text[clause_start(ctx.text, start, 24, COMMA_BREAKS):start]
    return any(cue in before for cue in rules.price_cues)


def _per_share_and_unit(ctx: Context, start: int, end: int, rules: CompiledMoney) -> tuple[bool, str | None]:
    text = ctx.text
    if text[end:end + 1] == "/":
        unit = next((u for u in rules.per_units_sorted if text.startswith(u, end + 1)), None)
        if unit is not None:
            return (True, None) if "/" + unit == rules.per_share_unit else (False, unit)
    before = text[max(0, start - 5):start]
    if "每" in before:
        for u in rules.per_units_sorted:
            if before.endswith("每" + u) and "每" + u not in rules.per_share.before:
                return False, u
    return _per_share(ctx, start, end, rules), None


def _per_share(ctx: Context, start: int, end: int, rules: CompiledMoney) -> bool:
    ps = rules.per_share
    unit = ctx.text[end:end + 2]
    if unit.startswith("/"):  # a price per unit: /股 is a share price, /吨 or /桶 is not
        return unit == rules.per_share_unit
    lo = clause_start(ctx.text, start, ps.window, COMMA_BREAKS)
    if ctx.text[lo:lo + 1] in rules.per_share_continuation and lo > 0:  # …每股亏损为0.54元,而二零二三年为0.61元
        lo = clause_start(ctx.text, lo - 1, ps.window * 2, COMMA_BREAKS)
    window = ctx.text[lo:start]
    if any(cue in window for cue in ps.before):
        return True
    if window.rstrip().endswith(tuple(ps.adjacent)):
        return True
    return ctx.text.startswith(tuple(ps.after), end, end + 3)


def _mention(c: Candidate, ctx: Context, rules: CompiledMoney, start: int, end: int, low: Decimal,
             high: Decimal | None, currency: str | None, local: str | None, qualifier: str | None) -> Mention:
    if high is not None and high == low:
        high = None
    per_share, per_unit = _per_share_and_unit(ctx, start, end, rules)
    return Mention("money", c.rule.id, start, end, {
        "value": plain(low), "value_max": plain(high) if high is not None else None,
        "currency": currency, "currency_from": None if local else "explicit",
        "qualifier": qualifier or find_qualifier(ctx.text, start, end, rules.rules),
        "per_share": per_share, "per_unit": per_unit, "local": local})


def _bare_tail_ok(g: dict, num: str | None, rules: CompiledMoney) -> bool:
    suf = g.get("suf") or ("个" if g.get("ge") else None)
    if suf in rules.bare_tail_after:
        return True
    return suf in rules.generic and bool(num) and not num[0].isdigit()


# ----------------------------------------------------------------------------------------------
# one span -> values


_BIG_LIMIT = {"万": 10 ** 4, "亿": 10 ** 8}  # the part before 万 is under 1万 (else it would say 亿)


def resolve_amount(c: Candidate, ctx: Context, rules: CompiledMoney) -> Mention | None:
    """One amount: 5.4亿美元, 3亿5000万元 (a compound), 人民币(1,234)百万元 (accounting negative), US$12,
    人民币3.6 (no unit after), 数十亿元 and 3000多欧元 (approximate), 一百三十五块六角七分钱 (subunits)."""
    g = c.match.groupdict()
    num_group = "paren" if g.get("paren") else "num"
    inside = g.get("inside") or g.get("inside2")
    got = bounds(g[num_group], g.get("mult"), inside, rules, inside_after=bool(g.get("inside2")))
    if got is None:
        return None
    low, high, qual = got
    if g.get("big"):  # 3亿5000万元 = 3亿 + 5000万; 2万9,900元 = 2万 + 9900
        if high is not None:
            return None
        big = parse_number(g["big"], rules.rules)
        unit = rules.unit_value.get(g["bigmult"]) or multiplier_value(g["bigmult"], rules)
        if big is None or unit is None or low >= unit or big >= _BIG_LIMIT.get(g["bigmult"], big + 1):
            return None  # 一亿二千三百四十五万六千七百 is one numeral, not 一亿二千三百四十五 万 + 六千七百
        low += big * unit
    end = c.end
    tail = g.get("tail")
    if tail:
        t_end = c.match.end("tail")
        add, used = tail_value(tail, ctx.text, t_end, rules, bare_ok=_bare_tail_ok(g, g[num_group], rules))
        if used < len(tail):
            end = c.match.start("tail") + used
        low += add
        if high is not None:
            high += add
        if not used:
            g = {**g, "tail": None, "end": None}
    if g.get("end") and end < c.match.start("end"):
        end = c.match.start("end")  # the 钱 belonged to the dropped tail
    if g.get("ge") and not tail:
        return None  # 港币三个: 个 counts something
    if g.get("ge") and end <= c.match.start("ge") + 1:
        return None
    if _is_word_not_money(ctx, c.start, end, g, rules):
        return None
    if not g.get("suf") and not g.get("ge") and c.rule.id == "money.currency_word_number":
        if not _bare_number_ends(ctx, end, rules):
            return None
    cur = currency_of_match(g, ctx, c.start, end, rules)
    if cur is CONFLICT:
        return _split_at_comma(c, ctx, rules)
    if cur is None:
        return None
    currency, local = cur
    if g.get("neg") or g.get("neg2") or g.get("paren"):
        low, high = -low, (-high if high is not None else None)
        if high is not None:
            low, high = min(low, high), max(low, high)
    return _mention(c, ctx, rules, c.start, end, low, high, currency, local, qual)


def _split_at_comma(c: Candidate, ctx: Context, rules: CompiledMoney) -> list[Mention] | None:
    """$20,300美圆: a sign before the number and a currency word after it are two amounts, and the comma
    between them separates them ($20 and 300美圆), though the digit groups would fit a thousands separator."""
    g = c.match.groupdict()
    num = g.get("num") or ""
    i = num.rfind(",")
    if i <= 0 or g.get("mult") or g.get("neg") or g.get("neg2") or g.get("tail"):
        return None
    at = c.match.start("num") + i
    left, right = parse_number(num[:i], rules.rules), parse_number(num[i + 1:], rules.rules)
    first = currency_of_match({"cur": g["cur"]}, ctx, c.start, at, rules)
    second = currency_of_match({"suf": g["suf"], "suf_tail": g.get("suf_tail")}, ctx, at + 1, c.end, rules)
    if left is None or right is None or first in (None, CONFLICT) or second in (None, CONFLICT):
        return None
    return [_mention(c, ctx, rules, c.start, at, left, None, *first, None),
            _mention(c, ctx, rules, at + 1, c.end, right, None, *second, None)]


def _shared(num1: str, num2: str, mult: str | None, rules: CompiledMoney) -> Decimal:
    """What a bound without its own multiplier would share of the other's: the multiplier after it, and the
    units a Chinese numeral ends in when the bare bound is a digit alone (七到九百 -> 百, 两到三万 -> 万)."""
    shared = multiplier_value(mult, rules) or Decimal(1)
    n1, n2 = num1.replace(" ", ""), num2.replace(" ", "")
    if n1 and not n1[0].isdigit() and n2 and not n2[0].isdigit():
        large = rules.rules.number.large_units
        if not has_unit(n1, rules.rules):  # 七到九百: the digit shares every unit
            units = trailing_units(n2, rules.rules)
        elif not any(ch in large for ch in n1):  # 一百二十到一百五十万, 七千到九千亿: the large units
            units = Decimal(1)
            for ch in reversed(n2):
                if ch not in large:
                    break
                units *= large[ch]
        else:
            units = None
        if units is not None:
            shared *= units
    return shared


def resolve_range(c: Candidate, ctx: Context, rules: CompiledMoney) -> Mention | None:
    """A range: 60亿至80亿港元, 两到三万元, HK$3.5至HK$4.2, 从8500到3万港元, 几千块到一两万元. A bound with its
    own multiplier keeps it; a bare bound shares the other's where that leaves it the lower bound."""
    g = c.match.groupdict()
    b2 = bounds(g["num2"], g.get("mult"), g.get("inside") or g.get("inside2"), rules,
                inside_after=bool(g.get("inside2")))
    b1 = bounds(g["num1"], g.get("mult1"), g.get("inside1"), rules)
    if b1 is None or b2 is None:
        return None
    low, _, q1 = b1
    high = b2[1] if b2[1] is not None else b2[0]
    if not g.get("mult1") and not g.get("suf1"):
        factor = _shared(g["num1"], g["num2"], g.get("mult"), rules)
        if factor != 1 and low * factor <= high:
            low *= factor
    tail1, tail = g.get("tail1"), g.get("tail")
    if tail1:
        add, used = tail_value(tail1, ctx.text, c.match.end("tail1"), rules, bare_ok=True)
        if used < len(tail1):
            return None
        low += add
    end = c.end
    if tail:
        add, used = tail_value(tail, ctx.text, c.match.end("tail"), rules,
                               bare_ok=_bare_tail_ok(g, g["num2"], rules))
        if used < len(tail):
            end = c.match.start("tail") + used
        high += add
        if not used:
            g = {**g, "tail": None, "end": None}
    if _is_word_not_money(ctx, c.start, end, g, rules):
        return None
    cur = currency_of_match(g, ctx, c.start, end, rules)
    if cur is None or cur is CONFLICT:
        return None
    if g.get("suf1"):
        first = currency_of_match({"suf": g["suf1"], "cur": g.get("cur")}, ctx, c.start, end, rules)
        if first != cur:
            return None  # 60亿港元至40亿美元 is two amounts, not a range
    if g.get("cur2"):
        second = currency_of_match({"cur": g["cur2"]}, ctx, c.start, end, rules)
        if second != cur and not (g.get("cur") is None and cur[1] == "unit"):
            return None
    if g.get("neg"):
        low = -low
        if not g.get("neg2"):
            high = -high  # 负3至5亿元: the sign covers the range
    if g.get("neg2"):
        high = -high
    low, high = min(low, high), max(low, high)
    qual = "approx" if "approx" in (q1, b2[2]) else None
    currency, local = cur
    return _mention(c, ctx, rules, c.start, end, low, high, currency, local, qual)


def resolve_subunit(c: Candidate, ctx: Context, rules: CompiledMoney) -> Mention | None:
    """Units below the local one, alone: 两毛五 (0.25), 两角五分, 2角, 五分钱, 六毫, 两毫半, 52仙. Money when a
    currency word stands before it or 钱 after it, the number is Arabic before a tenth and no noun follows
    (加收2角), it is 仙 after Arabic digits or in a region that counts in 仙, its clause is nothing but the
    amount (五分), or a price word comes before it in its clause (卖两毛五, 升咗两毫半 after 收报)."""
    g = c.match.groupdict()
    num = g["num"].replace(" ", "")
    value = parse_number(num, rules.rules)
    if value is None or (not num[0].isdigit() and not has_chinese_digit(num, rules.rules)):
        return None
    unit = g.get("unit") or g.get("unit2")
    value *= rules.subunit_value[unit]
    end = c.end
    tail = g.get("tail")
    if tail:
        m = rules.tail_rx.fullmatch(tail)
        if m is None:
            return None
        if m["half"]:  # 两毫半: and half of one
            value += rules.subunit_value[unit] / 2
        else:
            f = m["f2"] or m["f3"] or m["j2"]
            if f is None:
                return None
            dv = Decimal(int(f)) if f.isdigit() else Decimal(rules.rules.number.digits[f])
            value += dv / 100
    cents = rules.cents_alone
    if g.get("cur") or g.get("end"):
        pass
    elif g.get("unit") and num[0].isdigit() and not _HAN.match(ctx.text[end:end + 1] or " "):
        pass
    elif unit == cents.word and (num[0].isdigit() or ctx.region in cents.regions):
        pass  # 派息52仙; 三十仙 in a Hong Kong article
    elif isolated(ctx, c.start, end, rules):
        pass
    elif not _price_before(ctx, c.start, rules):
        return None  # 九毛九 (a restaurant chain), 冰山一角
    cur = currency_of_match({"cur": g.get("cur"), "suf": "元"}, ctx, c.start, end, rules)
    if cur is None or cur is CONFLICT:
        return None
    currency, local = cur
    return _mention(c, ctx, rules, c.start, end, value, None, currency, local, None)


def resolve_cents(c: Candidate, ctx: Context, rules: CompiledMoney) -> Mention | None:
    """Cents that name their currency: 25美分 (0.25 USD), 30港仙, 10美仙, 45便士."""
    g = c.match.groupdict()
    num = g["num"].replace(" ", "")
    value = parse_number(num, rules.rules)
    if value is None or (not num[0].isdigit() and not has_chinese_digit(num, rules.rules)):
        return None
    currency, size = rules.named_subunits[g["named"]]
    value *= size
    if g.get("neg"):
        value = -value
    return _mention(c, ctx, rules, c.start, c.end, value, None, currency, None, None)


def resolve_colloquial(c: Candidate, ctx: Context, rules: CompiledMoney) -> Mention | None:
    """The Cantonese 个 for 元 (個半 = 1.5, 五個半 = 5.5, 個九 = 1.9), only when the clause is nothing but the
    amount: 五个半小时 and 一个半月 count hours and months."""
    g = c.match.groupdict()
    num = (g.get("num") or "").replace(" ", "")
    value = parse_number(num, rules.rules) if num else Decimal(1)
    if value is None or (num and not num[0].isdigit() and not has_chinese_digit(num, rules.rules)):
        return None
    add, used = tail_value(g["tail"], ctx.text, c.end, rules, bare_ok=True)
    if used < len(g["tail"]) or not isolated(ctx, c.start, c.end, rules):
        return None
    return _mention(c, ctx, rules, c.start, c.end, value + add, None, None, "unit", None)


_DAXIE_UNITS = frozenset("拾佰仟")


def resolve_daxie(c: Candidate, ctx: Context, rules: CompiledMoney) -> Mention | None:
    """A 大写 amount with no currency word (肆佰叁拾萬): 大写 numerals are written for money, so with a 大写
    unit (拾 佰 仟) and nothing but punctuation after it, it is an amount in the local unit."""
    g = c.match.groupdict()
    num = g["num"]
    if not _DAXIE_UNITS & set(num):
        return None
    after = ctx.text[c.end:c.end + 1]
    if after and (_HAN.match(after) or after.isalnum()) and after not in rules.bare_ok_after:
        return None  # 伍佰肆拾万整 is an amount; 壹佰万股 counts shares
    value = parse_chinese(num, rules.rules)
    if value is None:
        return None
    return _mention(c, ctx, rules, c.start, c.end, value, None, None, "unit", None)


def resolve_rate(c: Candidate, ctx: Context, rules: CompiledMoney) -> Mention | None:
    """An exchange rate: 1美元兑7.2元人民币, or a band 7.75港元至7.85港元兑1美元."""
    g = c.match.groupdict()
    a = parse_number(g["num1"], rules.rules)
    b = parse_number(g["num2"], rules.rules)
    a_max = parse_number(g["num1b"], rules.rules) if g.get("num1b") else None
    suf1 = g.get("suf1") or g.get("suf1b")
    cur_a = _rate_currency(g.get("cur1"), g.get("tail1") or suf1, ctx, rules)
    cur_b = _rate_currency(g.get("cur2"), g.get("tail2") or g.get("suf2"), ctx, rules)
    if not a or not b or cur_a is None or cur_b is None or cur_a == cur_b:
        return None
    if a_max is not None:
        return Mention("exchange_rate", c.rule.id, c.start, c.end,
                       {"value": plain(a / b), "value_max": plain(a_max / b), "base": cur_b, "quote": cur_a})
    if a == 1 and b != 1:  # 1美元兑7.2元人民币: the side with 1 is the base
        a, b, cur_a, cur_b = b, a, cur_b, cur_a
    return Mention("exchange_rate", c.rule.id, c.start, c.end,
                   {"value": plain(a / b), "value_max": None, "base": cur_b, "quote": cur_a})


def _rate_currency(prefix: str | None, suffix: str | None, ctx: Context, rules: CompiledMoney) -> str | None:
    for form in (suffix if suffix not in rules.generic else None, prefix):
        if form:
            if form == "$":
                return (ctx.units or {}).get("dollar") or "USD"
            if form in rules.ambiguous:
                return rules.ambiguous[form].default
            return rules.currency_of[form]
    if suffix in rules.generic:
        return (ctx.units or {}).get("currency") or "CNY"
    return None


RESOLVERS = {"amount": resolve_amount, "range": resolve_range, "rate": resolve_rate, "subunit": resolve_subunit,
             "cents": resolve_cents, "colloquial": resolve_colloquial, "daxie": resolve_daxie}
