#!/usr/bin/env python3
"""Generate rules/currency.yaml: every ISO 4217 currency that is legal tender somewhere, with its Chinese
names in simplified and traditional script (mainland, Taiwan, Hong Kong), as rule data.

    python3 -m venv /tmp/cur && /tmp/cur/bin/pip install babel opencc pyyaml
    /tmp/cur/bin/python tools/make_currencies.py > rules/currency.yaml

Babel is needed here only, never at run time: the YAML it writes is committed rule data.

Sources:
- Babel's CLDR data: the currencies that are legal tender somewhere on ACTIVE_ON
  (`get_territory_currencies(..., tender=True)`), their names in zh (mainland), zh_Hant (Taiwan) and
  zh_Hant_HK (Hong Kong), their symbols, and the territories that use them (with their Chinese names,
  which resolve an ambiguous name such as 比索 by the country a sentence names).
- The HAND tables below: colloquial and alternative names CLDR does not carry (日币, 美金, 港纸, 星元 ...),
  bare names shared by several currencies and how they resolve, the units below the local 元, and the
  decision on units that are not ISO 4217 currencies. Edit the tables, not the YAML.

Rules are simplified-only: the normaliser runs OpenCC `t2s` (one character per character) before any rule
matches. Each traditional name is therefore converted here; when t2s does not fold it into a listed
simplified form (Taiwan and Hong Kong transliterate differently: 奈及利亞奈拉, 紐西蘭幣, 披索), its t2s
output becomes a form of its own. A form listed for two currencies stops the script: a shared name belongs
in AMBIGUOUS.

Each currency's forms are split by role, which is what the money patterns read:
  names    Chinese words: before or after the number, and after 元 (1亿元人民币)
  codes    ISO codes (and NTD, CNH): before or after the number, never inside a longer Latin word
  symbols  signs and Latin abbreviations (US$, HK$, RM, €): before the number only
"""

from __future__ import annotations

import datetime
import sys

import babel
import opencc
import yaml
from babel import Locale
from babel.core import get_global
from babel.numbers import get_currency_name, get_currency_symbol, get_territory_currencies

ACTIVE_ON = datetime.date(2025, 6, 1)
LOCALES = ("zh", "zh_Hant", "zh_Hant_HK")
T2S = opencc.OpenCC("t2s")

# ISO codes that are also English words or common abbreviations in Chinese financial and tech text (AMD
# the chip maker, CAD the software, NIO the carmaker's ticker, TOP 10, ALL ...): never matched as a code.
CODE_IS_WORD = {"ALL", "AMD", "BAM", "BOB", "CUP", "ERN", "GEL", "MAD", "PEN", "SOS", "TOP", "TRY", "PAB",
                "CVE", "MOP", "LAK", "MNT", "NIO", "ANG", "AOA", "GMD", "KYD", "XCG", "CAD", "RON", "NAD",
                "PLN", "SAR", "TMT", "MDL", "ETB", "HNL", "LSL", "SRD"}
# signs that name the local dollar or yen: `$` is read by the article's region (rules/region.yaml), `¥` is CNY
REGION_SYMBOLS = {"$", "¥", "￥"}

# Colloquial and alternative names, in the script they are written in (traditional ones are folded by t2s
# here). Simplified entries must already be simplified.
HAND: dict[str, list[str]] = {
    "CNY": ["人民币", "人民幣", "RMB", "CN¥", "¥", "离岸人民币", "在岸人民币", "数字人民币", "人仔", "CNH"],
    "USD": ["美元", "美金", "美圆", "美圓", "美刀", "US$", "USD", "$"],
    "HKD": ["港元", "港币", "港幣", "港圆", "港圓", "港纸", "港紙", "HK$", "HKD"],
    "TWD": ["新台币", "新臺幣", "台币", "臺幣", "新台元", "NT$", "NTD", "TWD"],
    "MOP": ["澳门元", "澳门币", "澳門幣", "澳门圆", "葡币", "葡幣", "澳门帕塔卡", "MOP$"],
    "JPY": ["日元", "日圆", "日圓", "日币", "日幣", "円", "日円", "JP¥"],
    "EUR": ["欧元", "欧罗", "歐羅", "€"],
    "GBP": ["英镑", "英鎊", "英磅", "£"],
    "KRW": ["韩元", "韩币", "韓幣", "韩圆", "韓圜", "₩"],
    "SGD": ["新加坡元", "新加坡币", "新加坡幣", "新元", "新币", "新幣", "星元", "星币", "坡币", "坡幣", "S$"],
    "AUD": ["澳元", "澳币", "澳幣", "澳大利亚元", "澳洲元", "A$", "AU$"],
    "CAD": ["加元", "加币", "加幣", "加拿大元", "加拿大币", "C$", "CA$"],
    "NZD": ["新西兰元", "纽元", "纽币", "紐西蘭元", "紐西蘭幣", "纽西兰元", "NZ$"],
    "CHF": ["瑞士法郎", "瑞郎"],
    "RUB": ["卢布", "盧布", "俄罗斯卢布", "俄卢布", "₽"],
    "BYN": ["白俄罗斯卢布"],
    "INR": ["印度卢比", "卢比", "₹"],
    "IDR": ["印尼盾", "印度尼西亚盾", "印尼卢比", "Rp"],
    "VND": ["越南盾", "越南币", "₫"],
    "THB": ["泰铢", "泰銖", "泰国铢", "泰币", "泰幣", "฿"],
    "MYR": ["林吉特", "令吉", "马来西亚林吉特", "马来西亚令吉", "马币", "馬幣", "RM"],
    "PHP": ["菲律宾比索", "菲律宾披索", "菲律賓披索", "₱"],
    "MXN": ["墨西哥比索", "墨西哥披索", "MX$"],
    "ARS": ["阿根廷比索", "阿根廷披索"],
    "NGN": ["尼日利亚奈拉", "奈及利亞奈拉", "奈拉", "₦"],
    "BRL": ["巴西雷亚尔", "雷亚尔", "R$"],
    "TRY": ["土耳其里拉", "里拉", "₺"],
    "ZAR": ["南非兰特", "兰特", "蘭特", "南非币", "南非幣"],
    "SAR": ["沙特里亚尔", "沙特阿拉伯里亚尔", "沙烏地里亞爾", "沙特币"],
    "AED": ["阿联酋迪拉姆", "阿联酋迪尔汗", "迪拉姆", "迪尔汗"],
    "QAR": ["卡塔尔里亚尔", "卡達里亞爾"],
    "ILS": ["以色列新谢克尔", "谢克尔", "新谢克尔", "₪"],
    "UAH": ["乌克兰格里夫纳", "格里夫纳", "₴"],
    "PLN": ["波兰兹罗提", "兹罗提"],
    "HUF": ["匈牙利福林", "福林"],
    "KZT": ["哈萨克斯坦坚戈", "坚戈", "哈薩克堅戈"],
    "EGP": ["埃及镑"],
    "PKR": ["巴基斯坦卢比"],
    "BDT": ["孟加拉塔卡", "塔卡"],
    "LKR": ["斯里兰卡卢比"],
    "KPW": ["朝鲜元", "北韓元"],
    "SEK": ["瑞典克朗"],
    "NOK": ["挪威克朗"],
    "DKK": ["丹麦克朗"],
    "ISK": ["冰岛克朗"],
    "CZK": ["捷克克朗"],
    "KES": ["肯尼亚先令"],
    "ZWG": ["津巴布韦金元"],
    "VES": ["委内瑞拉玻利瓦尔", "玻利瓦尔"],
    "XAF": ["中非法郎"],
    "XOF": ["西非法郎"],
}

# Bare names shared by several currencies. `default` only where one reading dominates Chinese financial
# news; otherwise the resolver needs a country named in the sentence or the article (`territory_names`),
# and with none it keeps no item and records a warning `ambiguous_currency`. A name that is also a form of
# its default currency (卢比, 卢布, 里拉, 迪拉姆) is listed here for the country check only.
AMBIGUOUS: dict[str, str | None] = {
    "比索": None, "披索": None, "法郎": None, "第纳尔": None, "克朗": None, "卢比": "INR", "卢布": "RUB",
    "里亚尔": None, "里拉": "TRY", "镑": "GBP", "先令": None, "盾": None, "迪拉姆": "AED", "马纳特": None,
    "索姆": None, "列伊": None, "克瓦查": None,
}

# The local unit: what it means depends on the article's region (rules/region.yaml: CNY in mainland text,
# HKD in Hong Kong, TWD in Taiwan, MOP in Macau ...). The units below it (角 毛 毫 分 仙) are in money.yaml.
GENERIC = ["元", "块钱", "块", "圆", "蚊"]
# Cents that name their currency: 美仙 is a US cent wherever it is written.
NAMED_SUBUNITS = {"美分": ["USD", "0.01"], "美仙": ["USD", "0.01"], "港仙": ["HKD", "0.01"],
                  "欧分": ["EUR", "0.01"], "便士": ["GBP", "0.01"]}

# Units that are not ISO 4217 currencies, and the decision for each (documentation the tests check: none
# of the `not money` forms is a currency form).
NON_ISO = [
    {"forms": ["比特币", "BTC", "XBT", "以太坊", "以太币", "ETH", "泰达币", "USDT", "USDC", "稳定币", "狗狗币"],
     "decision": "not money",
     "why": "crypto-assets are not ISO 4217 currencies and a money item needs an ISO code: 20个比特币 is a "
            "holding, not an amount (a later `quantity` family could hold it); a price quoted for one "
            "(比特币报6万美元) is USD money. A stablecoin is not money either: a peg is a claim, not a "
            "currency (100万USDT is not 100万 USD)."},
    {"forms": ["数字人民币", "离岸人民币", "在岸人民币", "CNH"], "decision": "CNY",
     "why": "digital renminbi is legal tender; CNH is a market code for offshore renminbi, not ISO 4217: "
            "the amount is renminbi (an offshore rate is an exchange rate)"},
    {"forms": ["特别提款权", "SDR", "XDR"], "decision": "XDR",
     "why": "ISO 4217 XDR, the IMF's unit of account; its lending is denominated in it"},
    {"forms": ["黄金", "白银", "铂金", "钯金", "XAU", "XAG", "XPT", "XPD"], "decision": "not a currency form",
     "why": "ISO 4217 lists the metals, but in news 黄金 is the commodity: 10吨黄金 is a mass"},
    {"forms": ["盎司", "克", "吨", "桶", "磅"], "decision": "unit of the priced good",
     "why": "3350美元/盎司 is USD money per unit: the money item says `per_unit: 盎司`"},
    {"forms": ["积分", "Q币", "点券", "金币", "代币"], "decision": "not money", "why": "platform credits"},
]

# Short names news uses where CLDR gives the formal one (for resolving 比索, 第纳尔 ... by the country named).
TERRITORY_ALIASES = {"AE": ["阿联酋", "迪拜", "阿布扎比"], "SA": ["沙特"], "HK": ["香港"], "MO": ["澳门"],
                     "BA": ["波黑"], "CD": ["刚果(金)"], "CG": ["刚果(布)"], "PH": ["菲国"], "MX": ["墨国"]}
# no one-character names: 美 is in 美团, 英 in 英伟达

HEAD = """\
# GENERATED by tools/make_currencies.py (Babel {babel}, CLDR {cldr}, legal tender on {active}) plus its
# hand tables. Do not edit by hand: change the script and rerun it.
#
# currencies: ISO 4217 code -> surface forms (simplified, half-width: the normaliser folds the rest), by role
#   names    Chinese words: before or after the number, and after 元 (1亿元人民币)
#   codes    ISO codes: before or after the number, never inside a longer Latin word (100万USDT is no USD)
#   symbols  signs and Latin abbreviations: before the number only (US$, HK$, ¥); a bare $ is read by the
#            article's region (rules/region.yaml)
#   territories  ISO 3166 codes of where it is legal tender (to resolve an ambiguous name by the country)
# generic: the local unit (元 块 圆 蚊); which currency it is is the article's region (rules/region.yaml: CNY,
#   HKD, TWD, MOP ...), and so are the units below it (money.yaml). named_subunits carry their currency.
# ambiguous: bare names of several currencies; resolved by a country named in the sentence, then the article,
#   then `default`; with no default and no country, no item and a warning `ambiguous_currency`.
# non_iso: the decision on units that are not ISO 4217 currencies (crypto-assets are not money).
"""


def t2s(text: str) -> str:
    return T2S.convert(text)


def is_simplified(text: str) -> bool:
    return t2s(text) == text


def is_han(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


def territory_names(codes: set[str]) -> dict[str, list[str]]:
    out = {}
    for code in sorted(codes):
        names: list[str] = []
        for loc in LOCALES:
            name = Locale.parse(loc).territories.get(code)
            if name and t2s(name) not in names and is_han(t2s(name)):
                names.append(t2s(name))
        names += [a for a in TERRITORY_ALIASES.get(code, []) if a not in names]
        if names:
            out[code] = names
    return out


def main() -> None:
    terr = get_global("territory_currencies")
    used_by: dict[str, set[str]] = {}
    for t in terr:
        for cur in get_territory_currencies(t, ACTIVE_ON, tender=True):
            used_by.setdefault(cur, set()).add(t)
    used_by.setdefault("XDR", set())  # not tender anywhere, but IMF amounts are written in it
    currencies: dict[str, dict] = {}
    owner: dict[str, str] = {}
    all_territories: set[str] = set()
    for code in sorted(used_by):
        cldr = {loc: get_currency_name(code, locale=loc) for loc in LOCALES}
        hand = [t2s(h) for h in HAND.get(code, [])]
        forms: list[str] = []
        for f in [t2s(cldr["zh"]), *hand, t2s(cldr["zh_Hant"]), t2s(cldr["zh_Hant_HK"])]:
            if f not in forms:
                forms.append(f)
        for sym in sorted({get_currency_symbol(code, locale=loc) for loc in LOCALES} - {code}):
            if sym not in forms and sym not in REGION_SYMBOLS and " " not in sym and "\u202f" not in sym:
                forms.append(sym)
        names = [f for f in forms if is_han(f) and f not in GENERIC]
        codes = ([code] if code not in CODE_IS_WORD else []) + [f for f in forms if f.isascii() and f.isalpha()
                                                              and f.isupper() and len(f) == 3 and f != code]
        symbols = [f for f in forms if f not in names and f not in codes and f not in GENERIC]
        for f in names + codes + symbols:
            if f in owner:
                raise SystemExit(f"form {f!r} is listed for both {owner[f]} and {code}")
            owner[f] = code
        entry: dict = {"names": names}
        if codes:
            entry["codes"] = codes
        if symbols:
            entry["symbols"] = symbols
        entry["territories"] = sorted(used_by[code])
        currencies[code] = entry
        all_territories |= used_by[code]
    ambiguous = {}
    for stem, default in AMBIGUOUS.items():
        cands = sorted(c for c, e in currencies.items() if any(f.endswith(stem) and f != stem for f in e["names"]))
        if default and default not in cands:
            cands = sorted({*cands, default})
        ambiguous[stem] = {"candidates": cands, "default": default}
    for entry in NON_ISO:
        if entry["decision"] == "not money":
            for f in entry["forms"]:
                if f in owner:
                    raise SystemExit(f"non-ISO form {f!r} is a currency form of {owner[f]}")
    doc = {
        "family": "currency",
        "generated": {"by": "tools/make_currencies.py", "babel": babel.__version__,
                      "cldr": str(babel.core.get_cldr_version()),
                      "legal_tender_on": ACTIVE_ON.isoformat(), "currencies": len(currencies)},
        "generic": GENERIC,
        "named_subunits": NAMED_SUBUNITS,
        "currencies": currencies,
        "ambiguous": ambiguous,
        "territory_names": territory_names(all_territories),
        "non_iso": NON_ISO,
    }
    sys.stdout.write(HEAD.format(babel=babel.__version__, cldr=doc["generated"]["cldr"], active=ACTIVE_ON))
    yaml.safe_dump(doc, sys.stdout, allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)


if __name__ == "__main__":
    main()
