"""Entities by rule: the character-level matcher behind the `zhnews_entities` spaCy component.

It matches at the character level, not only on whole jieba tokens:

- gazetteers (`rules/entity.yaml`): every alias in an Aho-Corasick automaton, one pass over the text;
  aliases that are also common words (阿里, 金山) must coincide with jieba tokens, Latin aliases must
  stand alone (SEC, not SECOND);
- listed companies' short names (`rules/listed_companies.tsv`, 7,461 listings in Shanghai, Shenzhen, Beijing
  and Taiwan) on token boundaries; a name that also reads as something else (太平洋, 统一, 湖南发展) only with
  a listed company's cue: a share-price word after it, its stock code in brackets, a headline's colon;
- pattern rules: a person after a role (CEO王育林, 合伙人牛奎光) or before an honorific (雷军先生), bylines
  (作者|西梅汁), organisation suffixes (…有限公司, …资本, …交易所);
- our trained model's spans (the `zhnews_ner` component), merged by the policy below;
- in-document aliases: `Kimi(月之暗面)` makes Kimi an alias of a known organisation;
- propagation: a name found once by a pattern or the model is found wherever else it occurs.
Overlaps among the rules are resolved longest first; 阿里云 is one organisation (not 阿里 inside it), and
北京市政府 one organisation (a place that qualifies an organisation's name is part of it).

The merge policy, model against rules (`merge_model`; each case has a test in tests/test_ner_merge.py):
0. An alias that is also an everyday word (`aliases_also_words`: 联想 in 让人联想到) is no name where the model
   read the text and tagged no organisation over it, unless joined to another name (腾讯、字节). A model
   organisation that begins with a market, category or function word (`model_org_cut_after`:
   据, 港股, 概念, 方面) starts after it (so does a model person: 买超|霖宸), and one that runs on into a time word (`model_org_cut_before`: 上半年,
   二季度, 今日) ends before it; so does one that took in a title (金管会|主委). A description before a name is
   no part of it: a rank and a kind (第四大投资银行|雷曼兄弟公司, also in a suffix rule's span), a phrase
   ending in 的 (宁波的|嘉峰置业), or the whole span when only generic words follow 的 (香港注册的有限公司). Two
   companies joined by 及, 与, 和 or 、 are two names (嘉峰置业及港灏地产合组财团), a company's plant or seat after
   its name is the company (联想集团|新总部), and a model person right after the kind of company it is
   (资产管理公司|贝莱德) is a company. Model spans the records never take: one character, except a place
   in `gpe_abbreviations`, or in `gpe_abbreviations_paired` next to another such place (中日, 赣、粤) (中美,
   访华: the norm is the full name, 中国, 美国); no Han character (the training data has almost no Latin names: Kimi, ESG, Cloud; the
   gazetteer knows the Latin names that matter), a person that is not Han characters (B端), white space,
   brackets, quotes or sentence punctuation inside, and generic organisations: a
   span that is only a determiner or generic head (本, 该, 子, 审计 in `org_generic_heads`), places and
   organisation suffixes (本公司, 本集团, 子公司, 香港子公司, 审计委员会); a span that begins or ends at the
   hyphen of a Latin word (Mobile股份 in T-Mobile股份).
1. A model span equal to a rule's span is the rule's: a gazetteer alias keeps its canonical `norm`,
   `kind` and label (the model saying PERSON for a known company changes nothing), a titled person or a
   byline keeps its pattern rule id.
2. A model span inside a rule's span, or crossing one, is dropped: the rule's boundaries win (a
   gazetteer alias is an exact string; a role, honorific or byline pattern marks a name's edges). Except
   an organisation that ends where an organisation-suffix rule's span ends: the suffix marks the right
   edge, the model the left one (月初绿城集团 -> 绿城集团).
3. A model span that contains rule spans: a model ORG replaces places inside it (a place that qualifies
   an organisation is part of its name: 北京大学, 宁波银行); a known organisation followed only by
   organisation suffixes becomes one ORG with the known `norm` and `kind` (金山云控股有限公司 with
   金山云 known); a known organisation followed by (places and) a unit (`org_unit_suffixes`: 分行, 支行,
   中心, 系, 协会) is a new organisation, its text the norm (招商银行东直门支行, 中国银行业协会); so are
   places before a known organisation (宁波高瓴), and a suffix-rule name the model runs on to a legal form
   (中国南水北调集团水务投资有限公司). A listed company's short name or a Latin name (and places) inside a
   model organisation is part of it (法国兴业银行, 天津天保基建股份有限公司).
   Otherwise the model span is dropped: a known organisation or a titled person keeps its
   boundaries (云知声登陆港交所 is 云知声 + 港交所), and a model PERSON or GPE never swallows a rule span, but
   for a person of a surname and an alias that is also a word or a given name (于|金山老人: `token_only`).
4. A model span that touches no rule span is added as `entity.model`: `norm` is its text (normalised,
   simplified, spaces removed), `kind` is person or place, and for an organisation the kind its name's
   ending says (`org_kind_suffixes` in rules/entity.yaml: ...银行 -> company), else none.
Then aliases and propagation run over rules and model together: `Kimi(月之暗面)` after a model-found
月之暗面 makes Kimi its alias, and a name the model found once is found at its other occurrences
(`entity.propagated`). Names listed with 、 are of one kind (`_coordinated`): in a list with two or more
organisations and no known person or place, the model's people and places are organisations. Last, places right
before a registered name (ending in a legal form: 有限公司) or their own government (人民政府, 政府) join it
(广州白云山天心制药股份有限公司, 广东省深圳市南山区政府), and a Latin name listed with an organisation is one
(微软、Anthropic).
"""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass
from itertools import compress, count
from operator import itemgetter

import regex

from pipeline import rxcache
from pipeline.mention import Mention, select_longest
from pipeline.wordscan import WordScan

_LATIN = regex.compile(r"[A-Za-z0-9]")
_LETTER = regex.compile(r"[A-Za-z]")
_SEAT = regex.compile(r"\(\p{Han}{2,4}\)")  # (集团), (上海) inside a company's name
_SEAT_END = regex.compile(r"\(\p{Han}{2,4}\)$")
_HAN = regex.compile(r"^\p{Han}+$")
_JOINS = frozenset("及与和、")
_RANK = regex.compile(r"(?:第[一二三四五六七八九十两\d]+|最)大的?")  # 第四大, 第一大, 最大的: a rank
_WORD, _START, _END = itemgetter(0), itemgetter(1), itemgetter(2)  # a token's word, start and end
_FIRST, _LAST = itemgetter(0), itemgetter(-1)  # a word's first and last character


def _where(items, test) -> list[int]:
    """The indices of `items` that `test` holds for; with a C predicate (a set's `__contains__`, a string's
    `__eq__`) and an iterator of C calls (`map(_LAST, words)`), the loop runs in C: the rules scan every token
    of an article this way."""
    return list(compress(count(), map(test, items)))
_HAN_CHAR = regex.compile(r"\p{Han}")
_TRAILING_LATIN = regex.compile(r"[A-Za-z0-9]+$")
_PERSON_NAME = regex.compile(r"^\p{Han}+(?:[·•]\p{Han}+)*$")  # 王育林, 伊丽莎白·泰勒
# a name has no white space, brackets, quotes or sentence punctuation inside (· - & . ' may join parts)
_NOT_IN_NAME = regex.compile(r"[\s\p{Ps}\p{Pe}\p{Pi}\p{Pf}\"，,。、；;：:！!？?|]")
# a stock code in brackets, the opening bracket to the code: (601099, (600000.SH, (股票代码:002594, (2330-TW,
# (00700.HK, (SH600138; after a name, closed (`_CODE_AFTER`, with a space allowed before it)
_CODE = r"\((?:(?:股票|证券|港股|台股)?(?:代码|代号)[:：]?\s?)?(?:(?:SH|SZ|BJ|HK)[.:]?)?\d{4,6}(?:[.-](?i:SH|SZ|BJ|HK|TW|TWO|SS))?"
_CODE_AFTER = regex.compile(r"\s?" + _CODE + r"\)")
# a run of Latin words (letters, digits and & . - ' inside), one space between words
_LATIN_RUN = regex.compile(r"(?<![A-Za-z0-9&.\-'])[A-Za-z][A-Za-z0-9&.\-']*(?: [A-Za-z][A-Za-z0-9&.\-']*)*(?![A-Za-z0-9])")
_LATIN_WORD = regex.compile(r"[A-Za-z][A-Za-z0-9&.\-']*")
_ABOUT = "约逾"  # "about", "over" before a number: no name ends in them
# a share price right after a name: 报 / 收报 / 报收 and a price (宏景智能报12.5元, 报每股)
_QUOTE_VERB = regex.compile(r"(?:收报|报收|报)$")
_PRICE = regex.compile(r"每股|\d+(?:\.\d+)?(?:元|港元|美元|新台币|台币|日元|欧元|英镑|港仙|点)")
_COUNT = regex.compile(r"\d+(?:家|个|只|名|位)")  # 4家公司: a count, never inside a name (not 508所: an institute)
_SHARE_LETTER = regex.compile(r"(?<=\p{Han})[AB](?![A-Za-z0-9\p{Han}])")  # 特力A:, 深纺织A(000045)
_KY_MARK = regex.compile(r"(?<=\p{Han})-?KY(?![A-Za-z0-9])")  # 晶创-KY, 康友KY: a Cayman issuer in Taiwan
_RISK_MARKED = regex.compile(r"(?<![A-Za-z])\*?ST(?=\p{Han})")  # ST新海, *ST未来
_NAME_TOKEN = regex.compile(r"^(?:\p{Han}+|\*?ST|[A-Za-z]+|[A-Z])$")  # a token a company's short name is made of
# one character that makes the words before it a department or an office (工业司, 财务处), no company's end
_UNIT_CHARS = frozenset("司局处部厅署科室所院")
# words of a site or a project: the trade words before one describe it (冷链物流|中心, 智能制造|基地), no company
_SITE_WORDS = frozenset(("中心", "基地", "项目", "园区", "产业园", "平台", "工程"))
# a stock code with its market's letters (SZ.002718, HK00700, sh600519), no name
_LETTERED_CODE = regex.compile(r"[A-Za-z]{1,6}[.:\-]?\d{4,6}(?:\.[A-Za-z]{1,4})?")
# the end of a number: a span that starts right after one inside its unit (17.26亿|元竞得公司) is no name
_NUMERAL_END = regex.compile(r"[\d〇零一二三四五六七八九十百千万亿两](?:[万亿])?$")
# a date at the end of a would-be name: 中华民国三十五年(1946), 民國38年(1949) gloss a year, no stock code
_DATE_END = regex.compile(r"[〇零一二三四五六七八九十百千两\d]+[年月日]$")
_LATIN_NAME_START = regex.compile(r"[A-Z]|[a-z][A-Z]")  # Mistral, xAI, eBay; not bwin
_DIGIT_OR_DASH = regex.compile(r"\d|-$")
_SHORT_ACRONYM = regex.compile(r"[A-Z]{2,3}")
_LATIN_PERSON = regex.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?")  # one word of a person's name: Aravind, Jean-Luc
# rule names found by a word list and a cue, not an exact alias: a longer model organisation around them wins
_BY_CUE = ("entity.listed", "entity.latin_name", "entity.coded_name")
# a stock code in brackets right after a name, closed or going on with a comma (诺辉健康(HK06606,股价...))
_CODE_IN_BRACKETS = regex.compile(_CODE + r"[),，]")
_LIST_SEPARATORS = ("、", "和", "与", "及", "以及", "/", " 和 ", " 与 ", "和 ", " 和", "与 ", " 与")
# a preposition or conjunction the segmenter glues to the word before a name (要约|人为|汇信资本有限公司)
_GLUED_STOPS = frozenset("为于与和及由在向对将从把被给以")
# a former / preposition character the segmenter glues to an unknown name after it (前宁澜|银行, 据恒越|精工, 诉天衡|置业)
_GLUED_PREFIXES = frozenset("前原据为在与和向对将从由被把给及让使经于诉故")
# characters the segmenter glues to the front of an unknown name (后鹭川精密, 的钰翔科技, 厂讯嵘科技, 之核数师为…,
# a sector's 股 before a company: 光伏股|宝馨科技)
_GLUED_LEAD = _GLUED_PREFIXES | frozenset("的之后厂商企股")
_COUNT_LEAD = frozenset("一二两三四五六七八九十几多每各该本其此这那")
_PARTICLES = frozenset("是也都而并又再就还已曾所之其该本各每此这那某")
# the end of a list of companies: 等 and the kind of them (禾钰、宏崧、晶聿等中小型股同步涨停, 蜀岚电子、锦屏智控等42家企业)
_KIND_AFTER_LIST = regex.compile(r"等(?:\d+家|多家|\p{Han}{0,4}?)(?:公司|企业|个股|股|券商|机构|厂商|品牌|平台|车企|房企|药企|险企|银行)")
_ITEM_SEPARATORS = ("、", "与", "和", "及")  # between the items of a list (and before its last one)
_SENTENCE_ENDS = "。！？!?；;\n"
_NAME_BREAK = set(" \t\n,.:;!?，。：；！？、|()（）「」“”\"'《》—-")


@dataclass(frozen=True)
class _Entry:
    norm: str
    label: str
    kind: str


class _Prefixes:
    """The longest of a set of words that begins `text[s:e]`: one slice and lookup per length the set has,
    longest first, not a scan of the set (the set of places has thousands of words)."""

    __slots__ = ("words", "lengths")

    def __init__(self, words) -> None:
        self.words = frozenset(words)
        self.lengths = tuple(sorted({len(w) for w in self.words}, reverse=True))

    def at(self, text: str, s: int = 0, e: int | None = None) -> str | None:
        e = len(text) if e is None else e
        for n in self.lengths:
            if s + n <= e and text[s:s + n] in self.words:
                return text[s:s + n]
        return None


def _covered(text: str, mentions) -> bytearray:
    """1 for each character of `text` inside one of `mentions`."""
    taken = bytearray(len(text) + 1)
    for m in mentions:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    return taken


class EntityMatcher:
    """Character-level entity matching over normalised text, with jieba tokens for boundaries.

    `freq(word)` is the segmenter's dictionary frequency, used to tell rare name words from common ones.
    """

    def __init__(self, e, freq=None, proper=None, dict_places=None, listed=(), dict_orgs=None):
        """`e`: the compiled entity rules (`pipeline.entity.rules.CompiledEntity`); `proper()`: the
        segmenter dictionary's proper nouns, `dict_places()` its place names, `dict_orgs()` its organisations
        (read on first use);
        `listed`: the listed companies' names (`pipeline.entity.rules.read_listed`)."""
        self.alias_words = WordScan((alias, _Entry(entry.norm, entry.label, entry.kind))
                                    for entry in e.all_entries for alias in entry.aliases)
        self.token_only = frozenset(e.token_only)
        self.aliases_also_words = frozenset(e.aliases_also_words)
        self.surnames = frozenset(e.surnames)
        self.compound = tuple(e.compound_surnames)
        self.title_rx = rxcache.compile(
            r"(?:" + "|".join(regex.escape(t) for t in sorted(e.titles_before, key=len, reverse=True)) + r")\s?")
        self.role_rx = rxcache.compile("|".join(regex.escape(t) for t in sorted(
            {t for t in e.titles_before if not t.isascii()} | set(e.org_roles_after) | set(e.official_titles),
            key=lambda t: (-len(t), t))))
        # a title a model organisation may have taken in at its end (金管会|主委): no organ (徐州矿务局|党委)
        self.end_titles = frozenset(t for t in e.titles_before if not t.isascii()) | frozenset(e.official_titles)
        self.honorific_rx = rxcache.compile("|".join(regex.escape(t) for t in e.titles_after))
        self.titles_after = tuple(e.titles_after)
        self.byline_rx = rxcache.compile(
            r"(?:^|(?<=\s))(?:" + "|".join(regex.escape(b) for b in e.bylines) +
            r")\s?[|｜:：]\s?(?P<name>[\p{Han}·A-Za-z]{2,6})(?=$|[\s|｜()（）\[\]【】/])", regex.M)
        self.industry = frozenset(e.org_suffixes_industry)
        self.trade = frozenset(e.org_suffixes_trade) - self.industry - frozenset(e.org_suffixes_weak)
        self.trade_not_heads = frozenset(e.org_trade_not_heads)
        self.suffix_strength = ({x: True for x in e.org_suffixes_strong} | {x: False for x in e.org_suffixes_weak}
                                | {x: False for x in self.industry | self.trade})
        self.suffix_lengths = sorted({len(x) for x in self.suffix_strength}, reverse=True)
        self.suffix_last = frozenset(x[-1] for x in self.suffix_strength)
        self.weak_max_freq = e.org_weak_max_freq
        self.place_headed = frozenset(e.org_suffixes_place_headed)
        self.unit_suffixes = tuple(e.org_unit_suffixes)
        # a branch named by the places after its organisation: the longest unit first (分行营业部 before 分行)
        self.branch_units = tuple(sorted(e.org_branch_units, key=len, reverse=True))
        self.org_cut_after = frozenset(e.model_org_cut_after)
        self.long_cut_words = tuple(w for w in e.model_org_cut_after if len(w) >= 4)  # 全资附属公司
        self.filing_roles = tuple(w for w in e.model_org_cut_after if len(w) >= 3 and w.endswith("人"))  # 要约人
        self.org_cut_before = frozenset(e.model_org_cut_before)
        self.org_adverbs = frozenset(e.model_org_adverbs)
        self.time_or_verb_words = tuple(sorted(self.org_cut_before, key=len, reverse=True))
        self.org_organs = tuple(e.model_org_organs)
        self.person_not_before = tuple(e.person_not_before)
        self.described_before = frozenset(e.described_org_before)
        self.described_after = frozenset(e.described_org_after)
        self.report_before = frozenset(e.report_source_before)
        self.described_or_report = self.described_before | self.report_before
        self.legal_brackets = frozenset(e.legal_form_brackets)
        self.acts_after = frozenset(e.org_acts_after)
        self.kind_before = frozenset(e.kind_before_name)
        self.kind_before_words = tuple(sorted(self.kind_before, key=lambda w: (-len(w), w)))
        self.maker_kinds = tuple(w for w in self.kind_before_words if w[-1] in "商厂")  # 地产商, 芯片商, 代工厂
        self.rank_kinds = tuple(sorted(set(e.rank_kinds) | self.kind_before | set(e.described_org_before)
                                       | set(e.org_generic_nouns), key=lambda w: (-len(w), w)))
        self.facility_words = tuple(sorted(e.model_org_facility_words, key=len, reverse=True))
        self.facility_verbs = tuple(sorted(e.model_org_facility_verbs, key=lambda v: (-len(v), v)))
        self.place_name_max_freq = e.place_name_max_freq
        self.place_name_not_ends = tuple(e.place_name_not_ends)
        self.place_government_endings = tuple(e.place_government_endings)
        self.suffix_not_before = {k: tuple(v) for k, v in e.suffix_not_before.items()}
        self.report_after = frozenset(e.report_source_after)
        self.index_words = tuple(e.model_org_index_words)
        self.sector_stock = e.model_org_sector_stock
        self.stock_continuations = frozenset(e.stock_word_continuations)
        # the cue right after the name, or after the last of the names listed with it (奥特佳、藏格矿业涨停)
        cues = "|".join(regex.escape(c) for c in sorted(e.company_cues_after, key=len, reverse=True))
        listed_then_cue = r"(?:、[\p{Han}A-Za-z]{2,8}?){0,6}\s?等?\s?(?:" + cues + ")"
        self.company_cue_rx = rxcache.compile(listed_then_cue)
        self.stock_move_rx = rxcache.compile(
            r"(?<=^|[\s,，、;；:：。(（]|" + "|".join(regex.escape(w) for w in sorted(
                e.model_org_cut_before, key=len, reverse=True)) + r")(?P<name>[\p{Han}A-Za-z]{2,6}?)(?="
            + listed_then_cue + ")", regex.M)
        self.cue_rx = rxcache.compile(cues)  # where to look: the names end at most a list's length before a cue
        self.stock_move_not = tuple(e.stock_move_not_names)
        self.move_words = frozenset(e.stock_move_not_words)
        self.market_words = tuple(w for w in e.stock_move_not_names if len(w) >= 2)
        self.not_companies = frozenset(e.market_not_companies)
        self.generic_heads = frozenset(e.org_generic_heads)
        self.kind_heads = frozenset(e.org_kind_heads)
        self.org_stop = frozenset(e.org_stop)
        self.legal_name_words = frozenset(e.org_stop_before_legal_form)
        self.freq = freq or (lambda word: 0)
        self._proper = proper or (lambda: frozenset())
        self._dict_places = dict_places or (lambda: frozenset())
        self._dict_orgs = dict_orgs or (lambda: frozenset())
        self.abbreviation_not_before = frozenset(e.gpe_abbreviation_not_before)
        self.place_not_heads = tuple(e.model_place_not_heads)
        self.places = frozenset(a for entry in e.all_entries if entry.label == "GPE" for a in entry.aliases)
        self.place_cut = {k: tuple(v) for k, v in e.place_suffix_not_before.items()}
        self.not_after_head = e.org_not_after_head
        self.countries = tuple(sorted(e.places.get("countries", ()), key=len, reverse=True))
        self.country_set = frozenset(self.countries)
        self._country_at = _Prefixes(self.countries)
        self.country_org_heads = tuple(e.country_org_heads)
        # longest suffix first: 科技公司 before 公司
        self.kind_suffixes = sorted(((x, k) for k, xs in e.org_kind_suffixes.items() for x in xs),
                                    key=lambda p: -len(p[0]))
        # the suffixes that end a name (trade words are content words: 印尼|农业|部 is a name, not generic parts)
        self.merge_suffixes = (frozenset(self.suffix_strength) - self.trade) | {x for x, _ in self.kind_suffixes}
        self.merge_suffix_lengths = sorted({len(x) for x in self.merge_suffixes}, reverse=True)
        self.merge_suffix_tuple = tuple(self.merge_suffixes)  # for str.endswith (公司 covers 总公司)
        self.gpe_abbreviations = dict(e.gpe_abbreviations)
        self.paired_abbreviations = dict(e.gpe_abbreviations_paired)
        self.one_character_places = frozenset(self.gpe_abbreviations) | frozenset(self.paired_abbreviations)
        self.not_names = frozenset(e.model_not_names)
        self.long_not_names = tuple(w for w in e.model_not_names if len(w) >= 4)
        self.generic_latin = frozenset(e.org_generic_latin)
        self.description_words = frozenset(e.org_description_words) | {w for w in self.generic_heads if len(w) == 1}
        self.generic_nouns = tuple(sorted(e.org_generic_nouns, key=len, reverse=True))
        # the strong suffixes that are a legal form ending in a generic noun: 有限公司, 股份有限公司, 集团公司
        self.legal_forms = tuple(x for x in e.org_suffixes_strong
                                 if any(x.endswith(n) and x != n for n in self.generic_nouns))
        self.known_aliases = frozenset(a for entry in e.all_entries if entry.label != "GPE" for a in entry.aliases)
        self.determiner_suffix = rxcache.compile(
            "[" + regex.escape(e.org_not_after_head) + "](?:" +
            "|".join(regex.escape(x) for x in sorted(self.merge_suffixes, key=lambda x: (-len(x), x))) + ")")
        # (a fixed order: the same pattern in every process, so its compiled form is found in the cache)
        self.latin_titles = frozenset(t for t in e.titles_before if t.isascii())
        self.title_org_not = frozenset(e.org_before_title_not)
        self.title_skip_roles = frozenset(e.org_before_title_skip_roles)
        self.person_not_last = frozenset(e.person_not_last)
        self.han_titles = tuple(t for t in e.titles_before if not t.isascii())
        self.latin_not_names = frozenset(e.latin_not_names) | frozenset(e.org_generic_latin)
        self.latin_org_after = tuple(sorted(e.latin_org_after_words, key=len, reverse=True))
        self.latin_acronym_after = tuple(sorted(e.latin_acronym_after_words, key=len, reverse=True))
        self.latin_org_before = tuple(sorted(e.latin_org_before_words, key=len, reverse=True))
        self.latin_company_words = frozenset(e.latin_company_words)
        self.listed = self._listed_automaton(listed)
        self.company_endings = tuple(x for x, k in self.kind_suffixes if k == "company")
        # what ends a company's name after a country (`_country_before_company`): company kinds, then trade and
        # industry words, each longest first
        self.country_company_endings = self.company_endings + tuple(sorted(self.trade, key=lambda x: (-len(x), x))) + tuple(
            sorted(self.industry, key=lambda x: (-len(x), x)))
        self.listed_name_goes_on = frozenset(e.listed_name_goes_on)
        self.company_word_set = self.industry | self.listed_name_goes_on
        self.generic_body_after = tuple(e.generic_body_after)
        self.regional_aliases = {r: dict(m) for r, m in e.regional_aliases.items()}
        self.place_prefixes = tuple(sorted({p for p in self.places if len(p) >= 2}, key=len, reverse=True))
        self._place_at = _Prefixes(self.place_prefixes)
        self.listed_heads = frozenset(e.listed_ambiguous_heads)
        self.not_defined = frozenset(e.defined_not_names)
        # a short name defined in brackets: (以下简称“X”), (简称X), (下称X), (“X”), (「X」 or ...)
        self.defined_rx = rxcache.compile(
            r"\((?:(?:以下|下文|下)?(?:简称|称|合称)为?[:：]?\s?[“\"「『‘']?|[“\"「『‘'])"
            r"(?P<n>[\p{Han}A-Za-z][\p{Han}A-Za-z0-9·&\-]{1,15}?)[”\"」』’']?(?=\)|或|、|,|;)")
        self.paren_rx = rxcache.compile(
            r"(?P<a>[A-Za-z][A-Za-z0-9\-]{1,20}|\p{Han}{2,12})\((?P<abbr>(?:以下|下文|下)?(?:简称|称)[:：]?)?"
            r"(?P<b>[A-Za-z][A-Za-z0-9&.\-]{1,20}(?: [A-Za-z0-9&][A-Za-z0-9&.\-]{0,20}){0,4}|\p{Han}{2,12})\)")

    # --------------------------------------------------------------------------------------------

    def __call__(self, text: str, tokens: list[tuple[str, int, int]], model_spans=None,
                 model_regions=None) -> list[Mention]:
        """The entities of `text`: the rules' and, merged with them, `model_spans` ((start, end, label)
        from the trained model, which read `model_regions`, (start, end) each, or the whole text where None;
        `model_spans` None: no model ran)."""
        tok_at = dict(zip(map(_START, tokens), tokens))
        tok_end = dict(zip(map(_END, tokens), tokens))
        starts, ends = tok_at.keys(), tok_end.keys()
        words = list(map(_WORD, tokens))
        gazetteer = self._inside_words(self._gazetteer(text, tok_at, ends), tokens)
        orgs = self._not_swallowing(text, self._orgs(text, tokens, tok_at, words), gazetteer)
        listed = self._listed(text, tok_at, tok_end)
        listed += self._coded_names(text, tok_end, {m.end for m in gazetteer + listed if m.fields["label"] == "ORG"})
        latin, latin_rest = self._latin_names(text)
        chosen = self._branches(text, select_longest(
            gazetteer + self._people(text, tok_at, tok_end) + orgs + listed + latin + self._described(tokens, words)
            + self._kind_then_name(text, tokens, words)))
        if model_spans is not None:
            chosen = self._words_not_names(text, chosen, model_spans, model_regions)
        if model_spans:
            chosen = self.merge_model(text, chosen, model_spans, tok_at, tok_end)
        chosen = self._notions(text, chosen)
        chosen = self._stock_moves(text, chosen, tok_at, ends)
        chosen = self._coordinated(text, chosen, tok_at, ends)
        chosen = self._suffixed_guesses(text, chosen, tok_at)
        chosen = self._place_then_name(text, chosen, tok_at)
        aliases = self._aliases(text, chosen, starts, ends)
        if aliases:
            spans = {(m.start, m.end) for m in aliases}
            chosen = select_longest([m for m in chosen if (m.start, m.end) not in spans] + aliases)
        chosen = select_longest(chosen + self._propagate(text, chosen, starts, ends))
        chosen = self._place_bodies(text, self._registered(text, self._latin_in_lists(text, chosen, latin_rest)),
                                    tok_end)
        return self._short_names(text, chosen, tok_at)

    # the model ------------------------------------------------------------------------------------

    def _words_not_names(self, text: str, rules: list[Mention], model_spans, regions) -> list[Mention]:
        """Gazetteer aliases that are also everyday words (`aliases_also_words`: 联想 in 让人联想到) where the
        model read the text and tagged no organisation over them, unless joined to another name (腾讯、字节等大厂,
        月之暗面与字节)."""
        if not self.aliases_also_words:
            return rules
        orgs = [(s, e) for s, e, label in model_spans if label == "ORG"]
        return [m for m in rules if not (
            m.rule == "entity.gazetteer" and text[m.start:m.end] in self.aliases_also_words
            and (regions is None or any(a <= m.start and m.end <= b for a, b in regions))
            and not any(s <= m.start and m.end <= e for s, e in orgs)
            and text[m.start - 1:m.start] not in _JOINS and text[m.end:m.end + 1] != "、")]

    def merge_model(self, text: str, rules: list[Mention], model_spans, tok_at=None, tok_end=None) -> list[Mention]:
        """The rules' non-overlapping mentions merged with the model's spans, by the policy in the module
        docstring."""
        covered = [-1] * len(text)  # index of the rule mention covering each character
        for i, m in enumerate(rules):
            covered[m.start:m.end] = [i] * (m.end - m.start)
        spans = {(m.start, m.end) for m in rules}
        dropped: set[int] = set()
        added: list[Mention] = []
        model_spans = self._admitted(text, model_spans, tok_at or {}, tok_end or {})
        for s, e, label in sorted(model_spans):
            if (s, e) in spans:
                continue  # case 1: the rule's span, with its norm, kind, label and rule id
            hit = {covered[i] for i in range(s, e) if covered[i] >= 0}
            if not hit:  # case 4
                added.append(self._model_mention(text, s, e, label))
                continue
            inside = [rules[i] for i in sorted(hit, key=lambda i: rules[i].start)]
            if (label == "PERSON" and len(inside) == 1 and inside[0].rule == "entity.person_after_title"
                    and inside[0].start == s and e == inside[0].end + 1 == s + 3 and _HAN.match(text[s:e])
                    and text[e - 1] not in self.person_not_last):
                # case 2, except: a titled name the segmenter cut after two characters, which the model reads
                # as three (刘海|亮 after 总监: 刘海亮)
                dropped |= hit
                added.append(self._person(inside[0].rule, text, s, e))
                continue
            if (label == "PERSON" and len(inside) == 1 and inside[0].rule == "entity.gazetteer"
                    and text[inside[0].start:inside[0].end] in self.token_only and inside[0].end == e
                    and 0 < inside[0].start - s == self._surname_len(text, s) and e - s <= 4
                    and _HAN.match(text[s:e])):
                # case 3, except: a surname before an alias that is also a given name (于|金山老人): the person
                dropped |= hit
                added.append(self._model_mention(text, s, e, label))
                continue
            if (label == "ORG" and len(inside) == 1 and inside[0].rule == "entity.org_suffix"
                    and inside[0].start < s and inside[0].end == e and not self._only_places(text[inside[0].start:s])):
                # case 2, except: the model's start for an organisation a suffix rule ran too far back for
                # (月初绿城集团 -> 绿城集团, 图为北京市房地产协会 -> 北京市房地产协会)
                dropped |= hit
                added.append(self._model_org(text, s, e, inside[0]))
                continue
            if label != "ORG" or not all(s <= m.start and m.end <= e for m in inside):
                continue  # case 2, and case 3 for PERSON / GPE
            first = inside[0]
            if all(m.fields["label"] == "GPE" for m in inside):
                m = self._model_mention(text, s, e, label)  # case 3: places inside an organisation
            elif (len(inside) == 1 and first.start == s and first.fields["label"] == "ORG"
                  and self._only_suffixes(text[first.end:e])):
                # (with a seat in brackets it is a company of that place, not the known one: 岷丰新材(江西)有限公司)
                norm = text[s:e].replace(" ", "") if _SEAT.search(text, first.end, e) else first.fields["norm"]
                m = self._mention("entity.model", s, e, "ORG", norm, first.fields["kind"])
            elif (inside[-1].fields["label"] == "ORG" and inside[-1].end == e and first.start == s
                  and inside[-1].rule == "entity.gazetteer" and all(x.fields["label"] == "GPE" for x in inside[:-1])
                  and e - inside[-1].start < e - s and inside[-1].fields["kind"] in ("company", "investor")
                  and _HAN.match(text[inside[-1].start:e])):
                # case 3: places before a known company or investor name its entity there (宁波高瓴, 珠海高瓴;
                # not 美国SEC: a regulator's place only says which one)
                m = self._model_org(text, s, e, inside[-1])
            elif (len(inside) == 1 and first.start == s and first.rule == "entity.org_suffix"
                  and (text[s:e].endswith(self.legal_forms) or self._suffix_of(text[s:first.end]) in self.industry)):
                # case 3: a suffix rule stopped at the first suffix, the model runs on to the legal form
                # (中国南水北调集团水务投资有限公司), or on from an industry word (广西航运学校)
                m = self._model_org(text, s, e, first)
            elif (first.start == s and first.fields["label"] == "ORG"
                  and all(x.fields["label"] == "GPE" for x in inside[1:]) and self._unit(text[first.end:e])):
                # case 3: a unit of a known organisation is an organisation of its own (招商银行东直门支行,
                # 建设银行广东省分行, 清华大学心理学系, 中国银行业协会)
                m = self._model_org(text, s, e, first)
            elif text.endswith(self.legal_forms, s, e) and all(
                    x.rule == "entity.org_suffix" or x.fields["label"] == "GPE" for x in inside) and not (
                    inside[-1].end == e and self._stop_between(s, inside[-1].start, tok_at or {})):
                # case 3: a registered name the model reads whole around the suffix rules' guesses inside it
                # (北京鹏龙星徽汽车销售服务有限公司 around 龙星徽汽车, 上海圣博华康投资管理有限公司 around 管理有限公司);
                # not over a stop word before a rule's name that ends there (参股公司|陕西通家汽车股份有限公司)
                m = self._model_mention(text, s, e, label)
            elif any(x.rule in _BY_CUE for x in inside) and all(
                    x.rule in _BY_CUE or x.fields["label"] == "GPE" for x in inside):
                # case 3: a listed company's short name or a Latin name inside a longer organisation is part of
                # that name (天津天保基建股份有限公司, 法国兴业银行, 美国Owens-Illinois Corporation公司)
                m = self._model_mention(text, s, e, label)
            else:
                continue  # case 3: a known organisation or person keeps its boundaries
            dropped |= hit
            added.append(m)
        kept = [m for i, m in enumerate(rules) if i not in dropped]
        return sorted(kept + added, key=lambda m: m.start)

    def _admitted(self, text: str, model_spans, tok_at, tok_end) -> list[tuple[int, int, str]]:
        """Case 0: the model spans the merge considers, trimmed (`_trim`), a "person" before a share-price
        word or a word only a company has (`person_not_before`: 市值, 董事会) relabelled a company and a market
        word there dropped (`_company_cue`), the ones the records never take left out (`_paired`,
        `_acceptable`, `_no_place`, `_descriptive`, then `_consistent`)."""
        out = []
        for s, e, label in model_spans:
            s, e, label = self._trim(text, s, e, label, tok_at)
            if label == "PERSON" and e - s >= 3 and text[e - 1] == "文" and text[e:e + 1] in ("/", "／"):
                e -= 1  # 记者梅建明文/摄: 文 is the byline's "text by"
            if label == "ORG" and e - s <= 3 and text[s:e] in self.known_aliases and self._body_in_general(text, s):
                continue  # 多家央行, 美欧日央行: central banks in general
            if label == "ORG" and e - s >= 4 and self._places_before(text, e - 2) and text[e - 2:e] in self.known_aliases:
                continue  # 中美央行: two places' bodies, no one name
            if label == "PERSON" and text.startswith(self.time_or_verb_words, s):
                continue  # 周二晚: a day, not 周 the surname (`model_org_cut_before`)
            if s > 0 and text[s] in "元万亿" and _NUMERAL_END.search(text, 0, s):
                continue  # 以17.26亿|元竞得公司: a span that begins inside an amount's unit is no name
            tok = tok_at.get(s)
            if (e - s >= 3 and text[s] in _GLUED_LEAD and tok is not None and len(tok[0]) >= 3
                    and _HAN.match(tok[0]) and self.freq(tok[0]) == 0):
                s += 1  # 后|鹭川精密, 的|钰翔科技: a character the segmenter glued to the front of a name
            if label == "ORG" and e - s >= 3 and text[s] == "人" and text.endswith(self.filing_roles, 0, s + 1):
                s += 1  # 要约|人朗澄资本: the 人 of a filing role (要约人, 申请人) glued to the name after it
            if label == "ORG" and text[s:e] in self.org_organs:
                continue  # 董事会: a company's organ, no name
            if (label == "ORG" and e - s >= 4 and (text[s] in _GLUED_PREFIXES or text[s] == "因")
                    and self._only_suffixes(text[s + 1:e])):
                continue  # 因|会计师事务所: a function word and a kind of firm, no name
            if (label == "ORG" and text[s:e] not in self.known_aliases and any(w in text[s:e] for w in self.market_words)
                    and not text[s:e].endswith(self.company_endings)):
                continue  # 沪铜主力合约夜盘: a market's words
            if label == "ORG" and (k := text.find("(", s, e)) > s and text.endswith(self.legal_forms, s, k) and any(
                    text.startswith(form, k + 1) for form in self.legal_brackets):
                e = k  # 鼎盛股权投资基金合伙企业|(有限合伙: the partnership's form is no part of the name
            if (label == "PERSON" and text[e - 1] in self.not_after_head and e - s == 2
                    and text.startswith(self.generic_nouns + ("公告", "报告", "通函", "集团"), e)):
                continue  # 於本|公告日期, 于本|公司: a preposition and a determiner
            if label == "ORG" and text[s:e] in self.not_companies:
                continue  # 沪指, 黄金: an index or a commodity
            if label == "GPE" and e - s >= 4 and self._company_name(text[s:e]):
                label = "ORG"  # 九龙仓置业, 北京汽车: a company's ending, not a place's
            elif label == "GPE" and self._company_word_after(text, s, e, tok_at):
                e, label = tok_at[e][2], "ORG"  # 银河 + 娱乐: the name of a company, not a place
            cue = label in ("PERSON", "ORG") and self._company_cue(text, e)
            if label == "PERSON" and (cue or text.startswith(self.person_not_before, e)):
                label = "ORG"
            elif (label == "PERSON" and e - s == 2 and not self._surname_len(text, s) and _HAN.match(text[s:e])
                  and self._acts_next(text, e, tok_at)):
                label = "ORG"  # 禾泰今日公布, 屹川回应称: two characters with no surname, acting as a company does
            elif label == "PERSON" and s in tok_end and any(
                    text.endswith(k, 0, s) and s - len(k) in tok_at for k in self.kind_before_words):
                label = "ORG"  # 资产管理公司|贝莱德, 券商|华岳: right after the kind of company it is
            if cue and self._market_word(text[s:e]):
                continue
            if _cuts_latin_word(text, s, e) or text[s:e] in self.org_cut_before:
                continue  # Mobile股份 in T-Mobile股份; a time word left alone by the cuts (第二季度)
            if label == "ORG" and text[e - 1] in _ABOUT and text[e:e + 1].isdigit():
                continue  # 配售募资约|28亿: a phrase run into the amount it is about, no name
            if label == "ORG" and e - s >= 4:
                quote = _QUOTE_VERB.search(text, s + 2, e)
                if quote is not None and quote.start() in tok_at and _PRICE.match(text, e):
                    # 宏景智能|报|12.5元, 宏景智能|收报|每股: the stock's quote, not its name (a word of its own: not
                    # the 报 of 澳门|日报)
                    e = quote.start()
            if label == "ORG" and self._kind_then_latin(text, s, e):
                continue  # 咨询公司BCG, 公司GMP: a kind of organisation and a Latin word; the rules read the name
            if label == "ORG" and (facility := next((f for f in self.facility_words if text.endswith(f, s, e)), None)):
                k = e - len(facility)
                verb = next((v for v in self.facility_verbs if text.endswith(v, s, k)), None)
                if verb is not None and k - len(verb) > s and k - len(verb) in tok_end:
                    k -= len(verb)  # 台中|大里|兴建|新厂: places, building a plant
                if text[s:k] in self.generic_nouns or text[s:k] in self.generic_heads:
                    continue  # 公司总部, 本公司新厂: a company's seat or plant, named by no name
                if k == s or self._tokens_are_places(s, k, tok_end, known=facility in ("厂", "工厂")):
                    places, pos = [], k
                    while pos > s:  # 墨西哥|新厂, 新竹|厂, 桃园市|中坜区|设厂: the places of a plant, no organisation
                        places.append((tok_end[pos][1], pos, "GPE"))
                        pos = tok_end[pos][1]
                    out += reversed(places)
                    continue
                if k in tok_end and (text[s:k] in self.known_aliases or (k - s >= 4 and text.endswith(
                        self.country_company_endings, s, k))):
                    e = k  # 联想集团|新总部, 华为|总部, 博川物流|新厂: the company's plant or seat, after its name
            if label == "ORG":
                s = self._after_rank(text, s, e, tok_at)  # 第四大投资银行|雷曼兄弟公司: a description before the name
                k = self._after_kind(text, s, e, tok_at)
                if k == e:
                    continue  # 日本药厂: a country and the kind of company, no name (the rules keep the place)
                s = k  # 地产商|港信置业, 美国软体商|Trelliant: the kind of company it is comes before its name
                de = text.rfind("的", s + 1, e - 1)
                if de > 0 and tok_at.get(de, ("",))[0] == "的":
                    if self._generic_org(text[de + 1:e]):
                        continue  # 香港注册的|有限公司: a description of a company
                    s = de + 1  # 宁波的|嘉峰置业: a name after 的 begins there
            if label == "ORG" and (pair := self._two_companies(text, s, e)) is not None:
                out.append((s, pair[0], "ORG"))  # 嘉峰置业|及|港灏地产(合组财团): two companies, each a name
                s, e = pair[0] + 1, pair[1]
            if label == "ORG" and (k := self._country_before_company(text, s, e, tok_at)) is not None:
                out.append((s, k, "GPE"))  # 德国|博腾半导体: a country next to a company is a place of its own
                s = k
            if not (self._paired(text, s, e, label) or (self._acceptable(text[s:e], label) and not (
                    label == "GPE" and self._no_place(text, s, e, tok_end)))):
                continue
            if label == "ORG" and (self._descriptive(text, s, e, tok_at) or self._index_or_sector(text, s, e)):
                continue
            out.append((s, e, label))
        return self._consistent(text, out)

    def _only_places(self, words: str) -> bool:
        """`words` are places only (广州, 广东省深圳市): what begins a registered name, not words before it."""
        return not self._after_places(words)

    def _after_places(self, words: str) -> str:
        """`words` without the places that begin it, each with its 市, 省, 区 or 县 (广东省深圳市恒越 -> 恒越)."""
        while (place := self._place_at.at(words)) is not None:
            words = words[len(place):].lstrip("市省区县")
        return words

    def _acts_next(self, text: str, e: int, tok_at) -> bool:
        """What follows `e` is what a company does or has (`described_org_after`, `company_cues_after`,
        `person_not_before`, `org_acts_after`), after a time word or an adverb too (禾泰今日公布, 屹川回应称)."""
        pos = e
        for _ in range(2):
            tok = tok_at.get(pos)
            if tok is None:
                return False
            if (tok[0] in self.described_after or tok[0] in self.acts_after or self._company_cue(text, pos)
                    or text.startswith(self.person_not_before, pos)):
                return True
            if tok[0] not in self.org_cut_before and tok[0] not in self.org_adverbs:
                return False
            pos = tok[2]
        return False

    def _kind_then_latin(self, text: str, s: int, e: int) -> bool:
        """`text[s:e]` is a word of `latin_org_after_words` (a kind of organisation), after places (美国初创公司),
        followed by Latin words only (one space may come between)."""
        if not _LETTER.match(text, e - 1):
            return False  # no Latin word at its end
        while (place := self._place_at.at(text, s, e)) is not None:
            s += len(place)
        kind = next((w for w in self.latin_org_after if text.startswith(w, s, e)), None)
        if kind is None:
            return False
        rest = s + len(kind) + (text[s + len(kind):s + len(kind) + 1] == " ")
        return rest < e and _LATIN_RUN.fullmatch(text, rest, e) is not None

    def _tokens_are_places(self, s: int, e: int, tok_end, known: bool = False) -> bool:
        """`s` to `e` is whole tokens, each a place the rules or the dictionary know (新北市|土城); the rules' only
        with `known` (新竹|厂, not 波拉尔|厂: a factory's name). (`_only_places` reads places off a string.)"""
        words = self._words(s, e, tok_end)
        return sum(map(len, words)) == e - s and all(
            w in self.places or (not known and w in self._dict_places()) for w in words)

    def _after_kind(self, text: str, s: int, e: int, tok_at) -> int:
        """Where the name begins in an organisation read from a kind of supplier or maker on (`kind_before_name`
        words ending in 商 or 厂: 地产商|港信置业, 美国软体商|Trelliant, 日本药厂), places before it allowed: right
        after the kind; `e` where nothing follows it, `s` where the span begins with no such kind. The segmenter may
        have cut the kind word apart (地产|商港|信), so it is read off the text."""
        k = s
        while ((tok := tok_at.get(k)) is not None and tok[2] < e
               and (tok[0] in self.places or tok[0] in self._dict_places())):
            k = tok[2]
        kind = next((w for w in self.maker_kinds if text.startswith(w, k, e)), None)
        if kind is None:
            if k == s and e - s >= 3 and text[e - 1] in "商厂" and self._common(text[s:e - 1]):
                return e  # 纺织厂, 面板厂: a kind of maker alone
            return self._kind_lead(text, s, e)
        k += len(kind)
        return e if k == e else (k if e - k >= 2 else s)

    def _kind_lead(self, text: str, s: int, e: int) -> int:
        """Where a name begins after a kind of supplier or maker made of common words and 商 or 厂 (物业管理商,
        内房商, 纺织厂: 内房|商深穗|置业, the segmenter glued 商 to the name), read off the text: 商 or 厂 two to five
        characters in, after a word of the dictionary that is no place or name, starting no word with the
        character after it (not 民生|商业银行, 中国商飞: a place), with two characters or more left; else `s`."""
        for q in range(s + 2, min(s + 6, e - 2)):
            if (text[q] in "商厂" and self._common(text[s:q]) and self.freq(text[q:q + 2]) == 0
                    and _HAN.match(text[q + 1:e])):
                return q + 1
        return s

    def _after_rank(self, text: str, s: int, e: int, tok_at) -> int:
        """Where the name begins in an organisation read from a rank and a kind on (第四大投资银行|雷曼兄弟公司,
        韩国第一大财阀|三星集团, 第一大股东|中信集团): after the first kind (`rank_kinds`) that ends a token after
        the rank, with two characters or more left; `s` where there is no rank, or no kind after it."""
        rank = _RANK.search(text, s, e)
        if rank is None:
            return s
        for k in range(rank.end() + 1, e - 1):
            if k in tok_at and text.endswith(self.rank_kinds, rank.end(), k):  # a token ends at k: one begins
                return k
        return s

    def _two_companies(self, text: str, s: int, e: int) -> tuple[int, int] | None:
        """Where a model organisation joins two companies with 及, 与, 和 or 、 (嘉峰置业及港灏地产合组财团): the
        joining character's place and the second one's end, each a known name or a name with a company or trade
        ending and two characters of its own before it; the second ends at its last such ending (合组财团 is
        what the two did, no part of a name). None where either side is no company (中国与全球化智库)."""
        for j in range(s + 2, e - 2):
            if text[j] not in _JOINS:
                continue
            if not (text[s:j] in self.known_aliases or self._ends_as_company(text[s:j])):
                continue
            r = next((r for r in range(e, j + 3, -1) if text[j + 1:r] in self.known_aliases
                      or self._ends_as_company(text[j + 1:r])), None)
            if r is not None and not (r < e and text[r] in _UNIT_CHARS):
                return j, r  # (not 国家发展和改革委工业|司: one body's department)
        return None

    def _ends_as_company(self, name: str) -> bool:
        """`name` ends with a company's kind or a trade word, after two characters of its own (港灏|地产)."""
        return _HAN.fullmatch(name) is not None and any(
            name.endswith(x) and len(name) - len(x) >= 2 for x in self.country_company_endings)

    def _country_before_company(self, text: str, s: int, e: int, tok_at) -> int | None:
        """Where the company begins in a model organisation that a country begins (韩国|世远电子, 挪威|卡斯柏能源,
        美国|Stratoslink): the rest is a company's name, a known one or one with a word of its own before a
        company or trade ending (not 美国|通用汽车公司, common words; not 日本央行, 韩国金融委员会, 英国皇家…: a country's
        own bodies, `country_org_heads`); the whole is no name the rules or the dictionary know (美国银行)."""
        country = self._country_at.at(text, s, e)
        if country is None:
            return None
        k, whole = s + len(country), text[s:e]
        if (k not in tok_at or whole in self.known_aliases or whole in self._dict_orgs() or self.freq(whole) > 0
                or text.startswith(self.country_org_heads, k)):
            return None
        rest = text[k:e]
        if rest in self.known_aliases:
            return k
        if _LATIN_RUN.fullmatch(text, k, e) is not None:
            return k if e - k >= 3 else None
        tok = tok_at.get(k)
        if (tok is not None and tok[2] == e and e - k >= 2 and _HAN.match(rest) and rest not in self.places
                and self.freq(rest) == 0):
            return k  # 美国|辉达: one word of its own, a name
        ending = next((x for x in self.country_company_endings if rest.endswith(x) and len(rest) - len(x) >= 2), None)
        if ending is None:
            return None
        pos, end, own = k, e - len(ending), False
        while pos < end:
            tok = tok_at.get(pos)
            if tok is None or tok[2] > e or tok[0] in self.org_stop:
                return None
            own = own or (tok[2] <= end and _HAN.match(tok[0]) is not None and self.freq(tok[0]) <= self.place_name_max_freq
                          and tok[0] not in self.places)
            pos = tok[2]
        return k if own else None

    def _suffix_of(self, name: str) -> str | None:
        """The organisation suffix `name` ends in (the longest), if any."""
        return next((name[-n:] for n in self.suffix_lengths if name[-n:] in self.suffix_strength), None)

    def _stop_between(self, s: int, e: int, tok_at) -> bool:
        """A word of `org_stop` (公司, 的, 与) among the tokens from `s` to `e`, or no token edge at `s`."""
        pos = s
        while pos < e:
            tok = tok_at.get(pos)
            if tok is None or tok[0] in self.org_stop:
                return True
            pos = tok[2]
        return False

    def _company_word_after(self, text: str, s: int, e: int, tok_at) -> bool:
        """A model "place" no gazetteer or dictionary knows as one, right before an industry or company word
        (`org_suffixes_industry`, `listed_name_goes_on`) where the name ends (`_name_ends`): 银河娱乐, 长和实业. A
        known place there is a place before a noun (中国汽车市场); 资本 and 投资 are nouns too (阿拉伯资本的投入)."""
        nxt = tok_at.get(e)
        name = text[s:e]
        return (nxt is not None and len(nxt[0]) >= 2 and nxt[0] in self.company_word_set and e - s >= 2
                and name not in self.places and name not in self._dict_places()
                and self._name_ends(text, nxt[2], tok_at))

    def _company_name(self, name: str) -> bool:
        """`name` ends in a company's word of two or more characters (`org_kind_suffixes`: 置业, 汽车, 实业) after
        two characters or more, and is no known place."""
        return name not in self.places and any(
            len(x) >= 2 and len(name) - len(x) >= 2 and name.endswith(x) for x in self.company_endings)

    def _index_or_sector(self, text: str, s: int, e: int) -> bool:
        """Case 0 for organisations: an index (`model_org_index_words` inside or right after: 恒生指数收市,
        恒生科技 before 指数; not a name that ends like a company, 中证指数有限公司) or a sector's shares (right before
        股 that does not go on as a company's word: 科网股走强; not 腾讯股价, 比亚迪股份)."""
        name = text[s:e]
        if name in self.known_aliases:
            return False
        if text.startswith(self.index_words, e):
            return True
        if name.endswith(self.company_endings) or name.endswith(self.merge_suffix_tuple):
            return False
        if any(w in name for w in self.index_words):
            return True
        return (bool(self.sector_stock) and text.startswith(self.sector_stock, e)
                and text[e + len(self.sector_stock):e + len(self.sector_stock) + 1] not in self.stock_continuations)

    def _acceptable(self, name: str, label: str) -> bool:
        """Case 0 of the merge policy: False for a span the records never take from the model."""
        if len(name) == 1:
            return label == "GPE" and name in self.gpe_abbreviations
        if name in self.not_names or (label == "PERSON" and any(name.startswith(w) for w in self.not_names)):
            return False  # 毛利; 陈述乃 (该等陈述乃根据…) is the word 陈述, not a person
        if label == "ORG" and name.endswith(self.long_not_names):
            return False  # 通南向资金 (港股|通|南向资金): money flowing, not its owner
        if label == "ORG" and "(" in name and name.endswith(self.merge_suffix_tuple):
            name = _SEAT.sub("", name)  # 江南造船(集团)有限责任公司, 敦天礼品(深圳)有限公司: the seat or form is part of it
        if not _HAN_CHAR.search(name) or _NOT_IN_NAME.search(name):
            return False
        if label == "PERSON" and not _PERSON_NAME.match(name):
            return False
        if label == "ORG":
            latin = _TRAILING_LATIN.search(name)
            if latin and latin.group() in self.generic_latin:
                return False  # 港股AGI, 中国AI: a description ending in a common Latin noun
        return label != "ORG" or not self._generic_org(name)

    def _consistent(self, text: str, spans):
        """Case 0, the article's own evidence: a name of two or more characters that the model tags at
        no more than half of the places where the string stands outside the model's other spans is a word
        the model misread here (毛利, "gross profit", tagged a person in 8 of its 20 places), and none of
        its spans is kept."""
        tagged: dict[str, int] = {}
        for s, e, _ in spans:
            if e - s >= 2:
                tagged[text[s:e]] = tagged.get(text[s:e], 0) + 1
        if not tagged:
            return spans
        inside = bytearray(len(text) + 1)  # 1 inside a model span, 2 at its first character
        for s, e, _ in spans:
            inside[s:e] = b"\x01" * (e - s)
        for s, _, _ in spans:
            inside[s] = 2
        places = dict.fromkeys(tagged, 0)
        for s, e, name in WordScan.of(tagged).find(text):
            # a place is the name's own span, or text no model span covers
            if (inside[s] == 2 and (e == len(text) or inside[e] != 1)) or not any(inside[s:e]):
                places[name] += 1
        return [x for x in spans if x[1] - x[0] < 2 or 2 * tagged[text[x[0]:x[1]]] > places[text[x[0]:x[1]]]]

    def _no_place(self, text: str, s: int, e: int, tok_end) -> bool:
        """Case 0 for places. A one-character place before a market, currency, art, style or medicine word is
        part of it (港股, 美元, 京剧, 港式, 中医: `gpe_abbreviation_not_before`), and one right after a common word of two or more
        characters ends that word (安全港; 访华, 在京, 推动中美 stay). A longer place whose last word is a thing
        (`model_place_not_heads`: 云市场, 运维平台) is none."""
        if e - s == 1:
            if text[e:e + 1] in self.abbreviation_not_before:
                return True
            if text[e:e + 1] in self.one_character_places:
                return False  # 推动中美两国: two places
            prev = tok_end.get(s)
            return (prev is not None and len(prev[0]) > 1 and _HAN.match(prev[0]) is not None
                    and self._common(prev[0]))
        return text[s:e].endswith(self.place_not_heads) and text[s:e] not in self.places

    def _common(self, word: str) -> bool:
        """A word of the dictionary that is neither a place nor a name (ours or the dictionary's)."""
        return (self.freq(word) > 0 and word not in self.places and word not in self.known_aliases
                and word not in self._dict_places() and word not in self._proper())

    def _descriptive(self, text: str, s: int, e: int, tok_at) -> bool:
        """A description, not a name: a generic noun (`org_generic_nouns`: 公司) after words of two or more
        characters that the segmenter's dictionary knows, places and numbers (联营公司, 三家公司,
        中国顶尖技术公司, AI公司); a name has a word of its own (托塔尔公司, KMC公司), or one the dictionary
        tags as a name (西门子公司, 迪斯尼公司), or ends in a legal form (新疆风能有限责任公司). 英国石油公司 is lost:
        the price of 同业公司."""
        name = text[s:e]
        nouns = [x for x in self.generic_nouns if name.endswith(x)]
        # the longest noun whose head ends on a word's edge: 生物科技|公司, not 生物|科技公司
        noun = next((x for x in nouns if e - len(x) in tok_at), nouns[0] if nouns else None)
        if noun is None or name.endswith(self.legal_forms):
            return False  # a legal form (有限责任公司, 股份有限公司) ends a registered name, never a description
        if self.role_rx.match(text, e):
            return False  # a role after it: 上海船舶工业公司党委副书记, 任某某公司总经理 (a role is held in one company)
        head_end, pos = e - len(noun), s
        whole = tok_at.get(s)
        if whole is not None and whole[2] == e:  # one word: 联营公司 is common, 星河动力公司 is not a word
            return (whole[0] not in self.known_aliases and self.freq(whole[0]) > 0
                    and whole[0] not in self._proper())
        while pos < head_end:
            tok = tok_at.get(pos)
            if tok is None or tok[2] > head_end:
                return False  # the head is not whole tokens: leave it to the model
            word = tok[0]
            if len(word) == 1 and not (word.isdigit() or word in self.description_words):
                return False  # a name-like run of single characters (托塔尔); 未, 各 begin descriptions
            if word in self.known_aliases or not (self.freq(word) > 0 or word in self.generic_latin
                                                   or word in self.places or word.isdigit()):
                return False
            if word not in self.places and (word in self._proper() or word in self._dict_places()):
                # a word the dictionary knows as a name (西门子公司, 迪斯尼公司), or as a place the rules do not
                # know, most often a foreign name (华纳|兄弟公司: 华纳 is a place to the dictionary)
                return False
            pos = tok[2]
        return True

    def _generic_org(self, name: str) -> bool:
        """Only generic heads, places and suffixes (本公司, 子公司, 香港子公司, 审计委员会), or a determiner
        before a suffix inside (指本公司, 审阅本公司). Places and a suffix alone, with no generic head, name
        an institution of that place (辽宁大学, 天津日报, 北京银行, 大理药业) unless the suffix is a weak one
        (中国科技)."""
        if self.determiner_suffix.search(name):
            return True
        rest, parts = name, []
        while rest:
            for n in range(min(len(rest), 8), 0, -1):
                head = rest[:n]
                if (head in self.generic_heads or head in self.places or head in self.merge_suffixes
                        or head in self.generic_latin):
                    parts.append(head)
                    rest = rest[n:]
                    break
            else:
                return False
        if (len(parts) >= 2 and all(x in self.places for x in parts[:-1]) and parts[-1] not in self.places
                and parts[-1] in self.merge_suffixes
                and (self.suffix_strength.get(parts[-1], True) or parts[-1] in self.industry)
                and not any(x in self.generic_heads for x in parts)):
            return False
        return True

    def _model_mention(self, text: str, s: int, e: int, label: str) -> Mention:
        name = text[s:e].replace(" ", "")
        if label == "GPE" and name in self.gpe_abbreviations:
            return self._mention("entity.model", s, e, label, self.gpe_abbreviations[name], "place", tentative=True)
        if label == "GPE" and name in self.paired_abbreviations:
            return self._mention("entity.model", s, e, label, self.paired_abbreviations[name], "place", tentative=True)
        if label == "PERSON":
            kind = "person"
        elif label == "GPE":
            kind = "place"
            if len(name) >= 3 and name[-1] in "市省" and _HAN.match(name):
                name = name[:-1]  # 滁州市 -> 滁州, 安徽省 -> 安徽: the place without 市 or 省 (as 北京市 -> 北京)
        else:
            kind = next((k for suffix, k in self.kind_suffixes if name.endswith(suffix)), None)
        return self._mention("entity.model", s, e, label, name, kind, tentative=True)

    def _model_org(self, text: str, s: int, e: int, rule: Mention) -> Mention:
        """A new organisation from the model's span, its text the norm, with the kind of the rule mention it
        grew from (a branch, a unit, a regional entity of a known company)."""
        return self._mention("entity.model", s, e, "ORG", text[s:e].replace(" ", ""), rule.fields["kind"],
                             tentative=True)

    def _paired(self, text: str, s: int, e: int, label: str) -> bool:
        """Case 0: a one-character place of `gpe_abbreviations_paired` (日, 粤) the model tags next to another
        one, or in a list of them: 中日关系, 日美, 赣、粤、闽、湘 (alone, 日 is mostly a day)."""
        name = text[s:e]
        if label != "GPE" or e - s != 1 or name not in self.paired_abbreviations:
            return False
        if s > 0 and (text[s - 1].isdigit() or text[s - 1] in "零〇一二三四五六七八九十廿卅号月"):
            return False  # 26日美国: a day
        near = [text[s - 1] if s > 0 else "", text[e] if e < len(text) else ""]
        if s > 1 and text[s - 1] == "、":
            near.append(text[s - 2])
        if e + 1 < len(text) and text[e] == "、":
            near.append(text[e + 1])
        return any(ch and ch in self.one_character_places for ch in near)

    def _trim(self, text: str, s: int, e: int, label: str, tok_at) -> tuple[int, int, str]:
        """Case 0: a model organisation that begins with a market, category or function word starts after
        it (据河钢集团 -> 河钢集团, 港股协鑫新能源 -> 协鑫新能源, 机器人概念远大智能 -> 远大智能): the last such
        whole token inside the span, with two characters or more left after it, or a sector's 股 glued to an unknown
        word (锂电|股璟|澜|科技 -> 璟澜科技). One that ends in a company's
        organ (`model_org_organs`: 董事会, 股东大会) ends before it, and one that ends two characters or more
        inside a title (of one token or more) before it. A model person that begins with such a word starts
        after it too (买超|霖宸)."""
        if label == "PERSON":
            tok = tok_at.get(s)
            if tok is not None and tok[0] in self.org_cut_after and e - tok[2] >= 2:
                s = tok[2]
            return s, e, label
        if label != "ORG":
            return s, e, label
        organ = next((w for w in self.org_organs if text.endswith(w, s, e)), None)
        if organ and e - len(organ) - s >= 2:
            e -= len(organ)  # 长荣海运董事会 -> 长荣海运: a company's board is no organisation of its own
        pos, cut = s, None
        while pos < e:
            tok = tok_at.get(pos)
            role = self.role_rx.match(text, pos) if tok is not None and pos - s >= 2 and e - pos >= 2 else None
            if role is not None and (role.end() > e or (role.end() == e and e in tok_at and role.group() in self.end_titles)):
                # 中国国民党荣誉|主席, 华夏基金基金|经理: the model stopped inside a title (one token or more), which
                # ends the name before it (not one character into it: 能矿部|长, 北分行|长 end in the body's own 部, 行);
                # and a title the model took in at the end, whole tokens (金管会|主委表示) is no part of it either
                e = pos
                break
            if tok is None or tok[2] > e:
                break
            nxt = tok_at.get(tok[2]) if tok[0] in self.org_adverbs else None
            if pos - (cut if cut is not None else s) >= 2 and (
                    tok[0] in self.org_cut_before or _COUNT.match(text, pos)
                    or (nxt is not None and nxt[0] in self.org_cut_before)):
                # 新鸿基地产上半年 -> 新鸿基地产, 黄河旋风4家公司 -> 黄河旋风: a time word, a verb, an adverb before
                # one (启明星创投|联合|领投) or a count ends it
                e = pos
                break
            if tok[0] in self.org_cut_after and tok[2] < e - 1:
                cut = tok[2]
            elif (k := max((pos + len(w) for w in self.long_cut_words if text.startswith(w, pos, e)),
                           default=0)) and e - k >= 2:
                cut = k  # 全资|附属|公司|汇晟投资: a cut word the segmenter split
            elif tok[0][0] == "股" and len(tok[0]) >= 2 and pos - s >= 2 and e - pos >= 3 and self.freq(tok[0]) == 0:
                cut = pos + 1  # 锂电|股璟|澜|科技: the sector's 股, glued by the segmenter to the unknown name after it
            pos = tok[2]
        return (cut if cut is not None else s), e, label

    def _unit(self, rest: str) -> bool:
        """`rest`, after a known organisation, names a unit of it: it ends in one of `org_unit_suffixes`."""
        rest = rest.strip()
        return bool(rest) and any(rest.endswith(x) for x in self.unit_suffixes)

    def _only_suffixes(self, rest: str) -> bool:
        """`rest` is one or more organisation suffixes (控股有限公司 = 控股 + 有限公司)."""
        rest = rest.strip()
        while rest:
            n = next((n for n in self.merge_suffix_lengths if rest[:n] in self.merge_suffixes), None)
            if n is None:
                return False
            rest = rest[n:]
        return True

    # rules ----------------------------------------------------------------------------------------

    def _branches(self, text: str, chosen: list[Mention]) -> list[Mention]:
        """A known organisation, the places right after it and a unit ending are one organisation, its text
        the norm: 工商银行深圳分行, 人民银行成都分行, 招商银行北京分行营业部 (a branch is a name of its own)."""
        out: list[Mention] = []
        i = 0
        while i < len(chosen):
            m = chosen[i]
            if m.fields["label"] == "ORG" and m.rule == "entity.gazetteer":
                j, end = i + 1, m.end
                while j < len(chosen) and chosen[j].start == end and chosen[j].fields["label"] == "GPE":
                    end, j = chosen[j].end, j + 1
                unit = next((x for x in self.branch_units if text.startswith(x, end)), None)
                if j > i + 1 and unit is not None:
                    e = end + len(unit)
                    out.append(self._mention("entity.org_suffix", m.start, e, "ORG", text[m.start:e].replace(" ", ""),
                                             m.fields["kind"]))
                    i = j
                    continue
            out.append(m)
            i += 1
        return out

    def _inside_words(self, found: list[Mention], tokens) -> list[Mention]:
        """Places the gazetteer finds strictly inside one token that the dictionary knows as a common word
        are part of that word, not a place: 中国 in 发展中国家, 挪威 in 挪威克朗 (a name the dictionary tags
        as one, 北京大学, keeps them). An organisation or a person strictly inside a word of the dictionary
        that we do not know as a name is part of another name (京东 in 京东方), unless the rest of the word is a
        word of its own (联合国 in 联合国安理会)."""
        if not found or not tokens:
            return found
        starts = [t[1] for t in tokens]
        out = []
        for m in found:
            k = bisect.bisect_right(starts, m.start) - 1
            word, ts, te = tokens[k] if k >= 0 else ("", 0, 0)
            inside = (ts <= m.start and m.end <= te and (ts, te) != (m.start, m.end) and self.freq(word) > 0
                      and word not in self.known_aliases and word not in self.places)
            if inside and m.fields["label"] == "GPE" and word not in self._proper():
                continue
            if inside and m.fields["label"] != "GPE":
                rest = word[:m.start - ts] or word[m.end - ts:]
                if not (m.start == ts or m.end == te) or len(rest) < 2 or self.freq(rest) <= 0:
                    continue  # 京东 in 京东方; 联合国 in 联合国安理会 stays (安理会 is a word: a body of it)
            out.append(m)
        return out

    def _not_swallowing(self, text: str, orgs: list[Mention], gazetteer: list[Mention]) -> list[Mention]:
        """A suffix-rule organisation never swallows an organisation or person the gazetteer knows (places may
        qualify one: 北京市政府, 宁波银行), except a registered name (one ending in a legal form) that begins
        with the known organisation, after places if any: 鸿海精密工业股份有限公司 is one name, with the known
        one's norm when only suffixes follow it (金山云控股有限公司 -> 金山云). Known names that overlap that
        first one are the same name read twice (中国平安 and 平安保险 in 中国平安保险(集团)股份有限公司)."""
        known = bytearray(len(text))
        for m in gazetteer:
            if m.fields["label"] != "GPE":
                known[m.start:m.end] = b"\x01" * (m.end - m.start)
        out = []
        for m in orgs:
            if any(known[m.start:m.end]):
                inside = [g for g in gazetteer if m.start <= g.start and g.end <= m.end]
                names = [g for g in inside if g.fields["label"] != "GPE"]
                first = max(names, key=lambda g: (-g.start, g.end), default=None)  # the longest at the first start
                if not (text.endswith(self.legal_forms, m.start, m.end) and first is not None
                        and first.fields["label"] == "ORG" and first.end < m.end
                        and all(g.fields["label"] == "GPE" for g in inside if g.start < first.start)
                        and not any(known[max(g.end for g in names if g.start < first.end):m.end])
                        and (first.start == m.start or known[first.start - 1] == 0)):
                    continue
                if self._only_suffixes(text[first.end:m.end]) and first.start == m.start:
                    m = self._mention(m.rule, m.start, m.end, "ORG", first.fields["norm"], first.fields["kind"])
            out.append(m)
        return out

    def regional(self, text: str, mentions: list[Mention], region: str | None) -> list[Mention]:
        """The article's market region (`pipeline.region`) decides what a body named without its place is
        (`regional_aliases`): 证监会 in a Hong Kong article is 香港证监会, 央行 in a Taiwan one 台湾中央银行."""
        aliases = self.regional_aliases.get(region or "")
        if not aliases:
            return mentions
        out = []
        for m in mentions:
            norm = aliases.get(text[m.start:m.end]) if m.rule == "entity.gazetteer" else None
            if norm is not None:
                m = dataclasses.replace(m, fields={**m.fields, "norm": norm})
            out.append(m)
        return out

    def _place_bodies(self, text: str, chosen: list[Mention], tok_end=None) -> list[Mention]:
        """A place right before a known public body named without one (央行, 财政部, 金管局, 证监会) is one
        organisation with it: 英国央行, 美国财政部, 香港金管局, 中国央行 (as CLUENER, MSRA and CFSC annotate them).
        Its norm is the known body's when the place is that body's own (中国央行 -> 中国人民银行, 香港金管局 ->
        香港金融管理局), else its text: 英国央行 is not 中国人民银行. The place may also be a token no rule or model
        span took that jieba's dictionary tags as a place (ns). A Latin alias stays apart (美国SEC)."""
        out: list[Mention] = []
        for m in chosen:
            f = m.fields
            if (f["label"] == "ORG" and m.rule == "entity.gazetteer" and f["kind"] == "regulator"
                    and _HAN.match(text[m.start:m.end]) and not text[m.start:m.end].startswith(self.place_prefixes)):
                prev = out[-1] if out and out[-1].end == m.start and out[-1].fields["label"] == "GPE" else None
                tok = (tok_end or {}).get(m.start)
                if prev is not None:
                    start, place = prev.start, prev.fields["norm"]
                elif (tok is not None and (tok[0] in self.places or tok[0] in self._dict_places())
                      and not (out and out[-1].end > tok[1])):
                    start, place = tok[1], tok[0]
                else:
                    start = None
                if start is not None:
                    norm = f["norm"]
                    own = norm.startswith(place) or (place == "中国" and not norm.startswith(self.place_prefixes))
                    if prev is not None:
                        out.pop()
                    m = self._mention("entity.place_body", start, m.end, "ORG",
                                      norm if own else text[start:m.end].replace(" ", ""), "regulator")
            out.append(m)
        return out

    def _registered(self, text: str, chosen: list[Mention]) -> list[Mention]:
        """Places right before an organisation's registered name (one ending in a legal form: 有限公司) or a
        place's own government (`place_government_endings`: 人民政府, 政府) are part of it
        (广州白云山天心制药股份有限公司: the place it is registered in begins the name; 杭州市|余杭区人民政府,
        广东省|深圳市|南山区政府: the government of the places named)."""
        out: list[Mention] = []
        for m in chosen:
            f = m.fields
            if f["label"] == "ORG" and (text.endswith(self.legal_forms, m.start, m.end)
                                         or text.endswith(self.place_government_endings, m.start, m.end)):
                s = m.start
                while out and out[-1].end == s and out[-1].fields["label"] == "GPE":
                    s = out.pop().start
                if s != m.start:
                    norm = f["norm"] if m.rule == "entity.gazetteer" else text[s:m.end].replace(" ", "")
                    m = self._mention(m.rule, s, m.end, "ORG", norm, f["kind"], m.tentative)
            out.append(m)
        return out

    def _name_goes_on(self, text: str, s: int, e: int, tok_at) -> bool:
        """A person's name [s, e) that goes on: its token is one Han character longer (王兴 in 王兴兴; not in
        王兴称, `person_not_last`), or the next token is a word of two characters the dictionary does not know
        (王兴兴在 cut 王兴/兴在, because 王兴 is a known word)."""
        tok = tok_at.get(s)
        if tok is not None and tok[2] > e:
            return tok[2] == e + 1 and _HAN.match(tok[0]) is not None and tok[0][-1] not in self.person_not_last
        nxt = tok_at.get(e)
        return nxt is not None and len(nxt[0]) == 2 and _HAN.match(nxt[0]) is not None and self.freq(nxt[0]) == 0

    def _gazetteer(self, text, tok_at, ends) -> list[Mention]:
        out = []
        for s, e, info in self.alias_words.find(text):
            alias = text[s:e]
            if alias in self.token_only and not (s in tok_at and e in ends):
                continue
            if alias.isascii() and not self._latin_alone(text, s, e):
                continue
            if info.label == "PERSON" and self._name_goes_on(text, s, e, tok_at):
                continue
            if info.kind == "regulator" and e - s <= 3 and _HAN.match(alias) and self._body_in_general(text, s):
                continue  # 全球央行, 各国央行, 美欧日央行: central banks in general, not 中国人民银行
            if info.label == "GPE" and alias[-1:] in self.place_cut and any(
                    text.startswith(w, e) for w in self.place_cut[alias[-1]]):
                e -= 1  # 北京市级公共服务部门: the place is 北京, 市级 is "municipal level"
            out.append(self._mention("entity.gazetteer", s, e, info.label, info.norm, info.kind))
        return out

    # listed companies -----------------------------------------------------------------------------

    def _listed_automaton(self, listed):
        """The listed names the gazetteer does not already know as an alias or a place."""
        if not listed:
            return None
        return WordScan((x.form, (x.norm, x.marked)) for x in listed
                        if x.form not in self.known_aliases and x.form not in self.places)

    def _listed(self, text: str, tok_at, tok_end) -> list[Mention]:
        """Listed companies' short names (`listed_companies` in rules/entity.yaml) on token boundaries; one
        that reads as something else only with a listed company's cue (`_listed_cue`)."""
        if self.listed is None:
            return []
        out = []
        for s, e, (norm, marked) in self.listed.find(text):
            if s not in tok_at or e not in tok_end or text[s - 1:s] == "《":
                continue  # inside a word, or a title's first word (《雷迪克:…》)
            after = tok_at.get(e)
            if (after is not None and after[0] in self.listed_name_goes_on
                    and self._name_ends(text, after[2], tok_at)):
                # the company's longer name: 长荣海运, 群创光电 (its text the norm: 长荣航空 is another listing)
                out.append(self._mention("entity.listed", s, after[2], "ORG", text[s:after[2]], "company"))
                continue
            if not marked and self._ambiguous_listed(text, s, e, tok_at) and (
                    not self._listed_cue(text, s, e) or self._goes_on_from(text, s, tok_end)):
                continue  # 材料 of 云帆材料跟涨 is the end of another name, whatever cue follows
            out.append(self._mention("entity.listed", s, e, "ORG", norm, "company"))
        return out

    def _goes_on_from(self, text: str, s: int, tok_end) -> bool:
        """Han characters right before `s` that read as the start of the same name: a token of two
        characters or more that is no function, stop or time word, and no known name or place (北交所生物谷)."""
        tok = tok_end.get(s)
        if tok is None or not _HAN_CHAR.match(text[s - 1]):
            return False
        word = tok[0]
        return (len(word) >= 2 and word not in self.org_stop and word not in self.org_cut_before
                and word not in self.org_cut_after and word not in self.known_aliases and word not in self.places)

    def _name_ends(self, text: str, e: int, tok_at) -> bool:
        """A name ending at `e` ends there: the text ends, or what follows is no Han word, or a word a name is
        followed by (的, a function word of `person_not_last`, a title or a role (中信建投证券分析师), what a company
        did or has: `described_org_after`, `company_cues_after`, `person_not_before`;
        a time word or a verb of `model_org_cut_before`). Not 联合汽车 in 联合汽车电子, 平安银行 + 保险信用卡."""
        nxt = tok_at.get(e)
        if nxt is None or not _HAN_CHAR.match(nxt[0]):
            return True
        word = nxt[0]
        return (word == "的" or (len(word) == 1 and word in self.person_not_last) or word in self.described_after
                or word in self.org_cut_before or self.title_rx.match(text, e) is not None
                or self.role_rx.match(text, e) is not None or self._company_cue(text, e)
                or text.startswith(self.person_not_before, e))

    def _ambiguous_listed(self, text: str, s: int, e: int, tok_at) -> bool:
        """A listed name that also reads as something else: two characters (统一, 南亚, and 精测 inside 精测电子), a
        place (张家界), a word of the dictionary not tagged as an organisation and not ending like a company
        (太平洋, 农产品, 新天地, 白云山; 宝钢股份 is one), or common words and places that end in a
        `listed_ambiguous_heads` word (湖南发展, 中国医药)."""
        name = text[s:e]
        if len(name) <= 2 or name in self._dict_places() or (
                self.freq(name) > 0 and name not in self._dict_orgs() and not name.endswith(self.company_endings)):
            return True
        parts, i = [], s
        while i < e:
            tok = tok_at.get(i)
            if tok is None:
                return False
            parts.append(tok[0])
            i = tok[2]
        return (len(parts) > 1 and parts[-1] in self.listed_heads
                and all(self._common(p) or p in self.places or p in self._dict_places() for p in parts[:-1]))

    def _coded_names(self, text: str, tok_end, known_ends) -> list[Mention]:
        """Listed companies' names by the form of a stock's short name, on any exchange, whether the exchanges'
        lists hold them or not: a name right before its stock code in brackets (三盛教育(300282), 中青旅(SH600138),
        诺辉健康(HK06606,股价…)), a Han name with Taiwan's -KY mark of a foreign issuer (晶创-KY), a Han name with
        its share-class letter before a colon, a bracket or what a company
        did (特力A:, 深纺织A(000045); not common words alone: 维生素A), a name under a risk mark before punctuation,
        a share-price word or what a company did (ST新海:, *ST未来(600532), ST天山公告). The name is one to three
        tokens back to a boundary (`_name_back`); none where a known organisation ends (则有|交通银行(601328))."""
        out = []
        ends: list[tuple[int, int, bool]] = []  # (where the Han name ends, where the mention ends, a share letter)
        for m in _KY_MARK.finditer(text):  # first: 荣硕-KY(6893) is the name with its mark, not KY
            ends.append((m.start(), m.end(), False))  # 晶创-KY: a foreign issuer's mark on Taiwan's exchanges
        for m in _CODE_IN_BRACKETS.finditer(text):
            ends.append((m.start(), m.start(), False))
        for m in _SHARE_LETTER.finditer(text):
            if (text[m.end():m.end() + 1] in (":", "：", "(", "（") or self._company_cue(text, m.end())
                    or self._said_next(text, m.end())):
                ends.append((m.start(), m.end(), True))
        for m in _RISK_MARKED.finditer(text):
            for e in range(m.end() + 2, min(m.end() + 4, len(text)) + 1):  # the shortest name that ends a word
                if e in tok_end and (not _HAN_CHAR.match(text, e) or self._company_cue(text, e)
                                     or text.startswith(self.person_not_before, e) or self._said_next(text, e)):
                    ends.append((e, e, False))
                    break
        done = set()
        for e, stop, letter in ends:
            if e in known_ends or stop in done:
                continue
            start = self._name_back(text, e, tok_end)
            if start is None:
                continue
            headline = (start == 0 or text[start - 1] == "\n") and text[stop:stop + 1] in (":", "：")
            if (letter and not headline and not _CODE_IN_BRACKETS.match(text, stop)
                    and all(self._common(w) and w not in self._dict_orgs() for w in self._words(start, e, tok_end))):
                continue  # 暂停A, 维生素A: a class or a vitamin; 特力A: heading a line, 深纺织A(000045) with its code
            name, head = text[start:stop], text[start:e]
            if (len(head) < 2 or head in self.generic_heads or head in self.generic_nouns or head in self.org_stop
                    or head in self.latin_not_names or any(w in head for w in self.index_words)
                    or _DATE_END.search(head)
                    or self._market_word(head) or (self._common(head) and self.freq(head) > 1000)):
                continue
            done.add(stop)
            out.append(self._mention("entity.coded_name", start, stop, "ORG", name, "company"))
        return out

    @staticmethod
    def _words(s: int, e: int, tok_end) -> list[str]:
        """The tokens from `s` to `e` (which end and begin tokens), read back from `e`."""
        out, pos = [], e
        while pos > s:
            tok = tok_end.get(pos)
            if tok is None:
                break
            out.append(tok[0])
            pos = tok[1]
        return out

    def _body_in_general(self, text: str, s: int) -> bool:
        """A body's short name at `s` names that kind of body in general: after a word of kind or number
        (`generic_body_after`: 全球, 各国, 多家) or after two one-character places (美欧日央行)."""
        return text.endswith(self.generic_body_after, max(0, s - 6), s) or self._places_before(text, s)

    def _places_before(self, text: str, s: int) -> bool:
        """Two one-character places right before `s` (美欧日央行, 中美央行): a name after them is several bodies."""
        places = self.one_character_places
        return s >= 2 and all(text[i] in places or text[i] == "欧" for i in (s - 1, s - 2))

    def _said_next(self, text: str, e: int) -> bool:
        """The word at `e` is one of what a described company did (`described_org_after`: 公告, 宣布)."""
        return any(text.startswith(w, e) for w in self.described_after)

    def _name_back(self, text: str, e: int, tok_end) -> int | None:
        """Where a short name that ends at `e` begins: one to three tokens back (Han words, Latin words, a risk mark
        ST or *ST) to a boundary (the start, punctuation, `org_stop`, a time word). None when there is no boundary
        within three tokens, or a frequent one-character word (有, 如, 则) on the way leaves the start unknown."""
        parts, pos = 0, e
        while parts < 3:
            tok = tok_end.get(pos)
            if tok is None or not _NAME_TOKEN.match(tok[0]) or tok[0] in self.org_stop or tok[0] in self.org_cut_before:
                break
            if len(tok[0]) == 1 and self.freq(tok[0]) > 20000:
                return None
            parts += 1
            pos = tok[1]
        else:
            prev = tok_end.get(pos)
            if prev is not None and _NAME_TOKEN.match(prev[0]) is not None and prev[0] not in self.org_stop:
                return None
        star = tok_end.get(pos)
        if text.startswith("ST", pos) and star is not None and star[0] == "*":
            pos = star[1]
        return pos if parts else None

    def _listed_cue(self, text: str, s: int, e: int) -> bool:
        """A listed company's cue around a name: a share-price or investor-relations word after it (or after
        its list: `_company_cue`), a noun only a company has (`person_not_before`: 统一月营收), its stock code in
        brackets (太平洋(601099)), or a headline's colon (太平洋:华创证券以…)."""
        if self._company_cue(text, e) or _CODE_AFTER.match(text, e) or text.startswith(self.person_not_before, e):
            return True
        return (s == 0 or text[s - 1] == "\n") and text[e:e + 1] in (":", "：")

    # Latin-script names ------------------------------------------------------------------------------

    def _latin_names(self, text: str) -> tuple[list[Mention], list[tuple[int, int]]]:
        """Organisations and people written in Latin letters, by their cues (`latin_org_after_words`,
        `latin_org_before_words` in rules/entity.yaml): 初创公司Mistral, Perplexity CEO Aravind Srinivas,
        据The Information报道. A run of Latin words is cut at a Latin role (CEO); the part before the role is an
        organisation, two or three capitalised words after it a person. `latin_not_names` (ETF, Q2) and
        `org_generic_latin` words, single letters (公司A股) and names with digits (C4, DOTA2) are none; an
        acronym of two or three capitals (MBA, GMP) needs a cue after it or a `latin_acronym_after_words`
        kind before it (研究机构IDC). One to three capitalised words right
        after a Chinese role are a person too (创始人Sam Altman, 分析师Kuo). Also returns the spans that look like names
        but have no cue, for `_latin_in_lists`."""
        out, rest = [], []
        for run in _LATIN_RUN.finditer(text):
            words = [w.span() for w in _LATIN_WORD.finditer(text, run.start(), run.end())]
            segments, current, after_title = [], [], False
            for ws, we in words:
                if text[ws:we] in self.latin_titles:
                    if current:
                        segments.append((current, after_title, True))
                    current, after_title = [], True
                    continue
                current.append((ws, we))
            if current:
                segments.append((current, after_title, False))
            han_title = False
            if segments and not segments[0][1]:
                first = segments[0]
                han_title = self._word_before(text, first[0][0][0], self.han_titles)
                segments[0] = (first[0], han_title, first[2])
            for parts, after_title, before_title in segments:
                s, e = parts[0][0], parts[-1][1]
                name = text[s:e]
                if after_title and not before_title and (2 if not han_title else 1) <= len(parts) <= 3 and all(
                        _LATIN_PERSON.fullmatch(text, a, b) for a, b in parts):
                    out.append(self._person("entity.latin_name", text, s, e))
                    continue
                if (not _LATIN_NAME_START.match(name) or name in self.latin_not_names or name in self.known_aliases
                        or name in self.latin_titles or len(name) < 2 or _DIGIT_OR_DASH.search(name)):
                    continue  # also a share class (A股), a code or a model (C4, DOTA2, SPL10-)
                if _SHORT_ACRONYM.fullmatch(name):  # MBA, GMP: an acronym needs its own cue after it, or a kind
                    if (before_title or self._latin_cue_after(text, e)  # of organisation before (研究机构IDC)
                            or self._word_before(text, s, self.latin_acronym_after)):
                        out.append(self._mention("entity.latin_name", s, e, "ORG", name, None))
                    continue
                described = self._word_before(text, s, self.latin_org_after) or (
                    len(parts) >= 2 and text[parts[-1][0]:parts[-1][1]] in self.latin_company_words)
                if before_title or described or self._latin_cue_after(text, e):
                    out.append(self._mention("entity.latin_name", s, e, "ORG", name, "company" if described else None))
                else:
                    rest.append((s, e))
        return out, rest

    def _latin_in_lists(self, text: str, chosen: list[Mention], rest: list[tuple[int, int]]) -> list[Mention]:
        """A Latin name listed next to an organisation (微软、Anthropic和Mistral: 、 和 与 及 以及 or /
        between) is an organisation too; the list is followed in both directions."""
        if not rest:
            return chosen
        orgs = [m for m in chosen if m.fields["label"] == "ORG"]
        org_ends, org_starts = {m.end for m in orgs}, {m.start for m in orgs}
        taken = _covered(text, chosen)
        added, pending = [], [(s, e) for s, e in rest if not any(taken[s:e])]
        while pending:
            found = [(s, e) for s, e in pending if self._listed_with(text, s, e, org_ends, org_starts)]
            if not found:
                break
            for s, e in found:
                added.append(self._mention("entity.latin_name", s, e, "ORG", text[s:e], None))
                org_ends.add(e)
                org_starts.add(s)
            pending = [x for x in pending if x not in found]
        return sorted(chosen + added, key=lambda m: m.start) if added else chosen

    @staticmethod
    def _listed_with(text: str, s: int, e: int, org_ends, org_starts) -> bool:
        for sep in _LIST_SEPARATORS:
            if text.endswith(sep, 0, s) and s - len(sep) in org_ends:
                return True
            if text.startswith(sep, e) and e + len(sep) in org_starts:
                return True
        return False

    @staticmethod
    def _word_before(text: str, s: int, words: tuple[str, ...]) -> bool:
        """One of `words` right before `s`, one space may come between: a role (创始人Sam Altman, 首席执行官
        Lisa Su) or a word that describes a company (初创公司Mistral)."""
        if text[s - 1:s] == " ":
            s -= 1
        return text.endswith(words, 0, s)

    def _latin_cue_after(self, text: str, e: int) -> bool:
        """A role (after 的, too), a company's own words, a report or a share-price word right after `e` (one
        space may come between)."""
        if text[e:e + 1] == " ":
            e += 1
        if text[e:e + 1] == "的" and self.title_rx.match(text, e + 1):
            return True  # Cohere的CEO, Mistral的联合创始人
        return text.startswith(self.latin_org_before, e) or self._company_cue(text, e)

    @staticmethod
    def _latin_alone(text: str, s: int, e: int) -> bool:
        return not (s > 0 and _LATIN.match(text[s - 1])) and not (e < len(text) and _LATIN.match(text[e]))

    @staticmethod
    def _mention(rule, s, e, label, norm, kind, tentative: bool = False) -> Mention:
        return Mention("entity", rule, s, e, {"label": label, "norm": norm, "kind": kind}, tentative)

    # people ---------------------------------------------------------------------------------------

    def _surname_len(self, text: str, pos: int) -> int:
        if text.startswith(self.compound, pos):
            return 2
        return 1 if pos < len(text) and text[pos] in self.surnames else 0

    def _name_after(self, text: str, pos: int, tok_at) -> tuple[int, int] | None:
        sl = self._surname_len(text, pos)
        if not sl or text.startswith(self.time_or_verb_words, pos):
            return None  # 发言人周三称: a day (`model_org_cut_before`), not 周 the surname
        tok = tok_at.get(pos)
        if tok and sl + 1 <= len(tok[0]) <= sl + 2 and _HAN.match(tok[0]):
            if len(tok[0]) == sl + 2 and tok[0][-1] in self.person_not_last:
                return pos, tok[2] - 1  # 余凯称 -> 余凯
            if len(tok[0]) == sl + 1 and self._name_goes_on(text, pos, tok[2], tok_at):
                return pos, tok[2] + 1  # 王兴兴, cut 王兴/兴在
            return pos, tok[2]
        nxt = tok_at.get(pos + sl) if tok and len(tok[0]) == sl else None
        if nxt and 1 <= len(nxt[0]) <= 2 and _HAN.match(nxt[0]):
            if len(nxt[0]) == 2 and nxt[0][-1] in self.person_not_last:
                return pos, nxt[2] - 1  # 余凯称 -> 余凯
            return pos, nxt[2]
        if nxt and len(nxt[0]) == 3 and _HAN.match(nxt[0]) and nxt[0][-1] in self.person_not_last:
            return pos, nxt[2] - 1  # 欧阳|志恒称 -> 欧阳志恒
        if pos + sl + 1 <= len(text) and _HAN.match(text[pos:pos + sl + 1]):
            return pos, pos + sl + 1
        return None

    def _name_before(self, text: str, pos: int, tok_end) -> tuple[int, int] | None:
        tok = tok_end.get(pos)
        if tok and 2 <= len(tok[0]) <= 3 and _HAN.match(tok[0]) and self._surname_len(text, tok[1]):
            return None if self._word_and_surname(tok[0]) else (tok[1], pos)
        for n in (3, 2):
            s = pos - n
            if s >= 0 and _HAN.match(text[s:pos]) and self._surname_len(text, s):
                return None if self._word_and_surname(text[s:pos]) else (s, pos)
        return None

    def _word_and_surname(self, name: str) -> bool:
        """Two characters that are a function word and a surname alone, not a name: 向薛 in 向薛女士 ("to Ms
        Xue"; a surname alone is no person)."""
        return len(name) == 2 and name[0] in self.person_not_last and name[1] in self.surnames

    def _people(self, text, tok_at, tok_end) -> list[Mention]:
        out = []
        for m in self.title_rx.finditer(text):
            span = self._name_after(text, m.end(), tok_at)
            if span:
                out.append(self._person("entity.person_after_title", text, *span))
                org = None if m.group().strip() in self.title_skip_roles else self._org_before_title(
                    text, m.start(), tok_end)
                if org:
                    out.append(self._mention("entity.org_before_title", *org, "ORG", text[slice(*org)], None))
        for m in self.honorific_rx.finditer(text):
            span = self._name_before(text, m.start(), tok_end)
            if span:
                out.append(self._person("entity.person_before_honorific", text, *span))
        for m in self.byline_rx.finditer(text):
            s, e = m.span("name")
            out.append(self._person("entity.byline", text, s, e))
        return out

    def _described(self, tokens, words: list[str]) -> list[Mention]:
        """A name between a word that describes a company and a word of what it did (`described_org_before`,
        `described_org_after`: 芯片公司沐曦宣布, 初创企业清微智能完成融资): one to three Han tokens, not only
        common words (公司员工表示, 企业就有可能获得), no stop word or role inside."""
        out = []
        for i in sorted({*_where(words, self.described_or_report.__contains__),
                         *_where(map(_FIRST, words), "据".__eq__)}):
            word, ws, we = tokens[i]
            source = word in self.report_before
            glued = None  # 据 glued by the segmenter to an unknown name after it (据恒越|精工披露)
            if not source and word[:1] == "据" and len(word) > 1 and _HAN.match(word) and self.freq(word) == 0:
                source, glued = True, (word[1:], ws + 1, we)
            if word not in self.described_before and not source:
                continue
            after = self.report_after if source else self.described_after
            for j in range(i + 2 if glued is None else i + 1, min(i + 5, len(tokens))):
                if tokens[j][0] not in after:
                    continue
                parts = ([glued] if glued is not None else []) + tokens[i + 1:j]
                s, e = parts[0][1], parts[-1][2]
                if (2 <= e - s <= 8 and all(_HAN.match(w) and w not in self.org_stop and w not in self.generic_heads
                                            and not self.title_rx.fullmatch(w) for w, _, _ in parts)
                        and parts[-1][0][-1] not in self.person_not_last and parts[-1][0][-1] != "于"  # 罗欣于|近日
                        and not any(len(w) > 1 and w[-1] in _GLUED_STOPS for w, _, _ in parts)  # 未于|规定|期限内
                        and not all(self._common(w) for w, _, _ in parts)
                        and not (source and e - s <= 3 and self._surname_len("".join(w for w, _, _ in parts), 0))):
                    out.append(self._mention("entity.described", s, e, "ORG", "".join(w for w, _, _ in parts), None))
                break
        return out

    def _kind_then_name(self, text: str, tokens, words: list[str]) -> list[Mention]:
        """A name right after a word of the kind of company it is and where it ends (`kind_before_name`, or a
        word ending in 厂 after another word: 被动元件厂钰仑今日, 探针卡厂晶崴半导体与,
        ODM大厂纬岳第三季, 数控厂商北方精机达成): one to three Han tokens, with a word of their own (none
        in the dictionary, and no place); the name ends at punctuation, a function or stop word, a time
        word, a title, or what a company does (`_kind_name_ends`). A character of the kind the segmenter glued to
        the name is left out (车|企云驰|汽车)."""
        out = []
        n = len(tokens)
        kinds = self.kind_before
        for i in sorted({*_where(words[:-2], kinds.__contains__), *_where(map(_LAST, words[:-2]), "厂".__eq__)}):
            word = tokens[i][0]
            if not (word in self.kind_before or (word[-1:] == "厂" and (len(word) >= 2 or (
                    i > 0 and _HAN.match(tokens[i - 1][0]) and tokens[i - 1][0] not in self.org_stop)))):
                continue
            j, parts = i + 1, []
            while j < n and len(parts) < 3 and _HAN.match(tokens[j][0]) and not self._kind_name_ends(text, tokens[j]):
                parts.append(tokens[j])
                j += 1
            if not parts or j >= n or not self._kind_name_ends(text, tokens[j]):
                continue
            s, e = parts[0][1], parts[-1][2]
            first = parts[0][0]
            if first[0] in _COUNT_LEAD or text[e:e + 1] in ("-", "－"):
                continue  # 经销商|两人…: a count, no name; 欣桥-KY: the name goes on (`_coded_names`)
            if len(first) >= 3 and first[0] in _GLUED_LEAD and self.freq(first) == 0:
                s += 1  # 企云驰: the kind's last character glued to the name
            name = text[s:e]
            if not 2 <= e - s <= 8 or any(w in self.org_stop or w in self.generic_heads or self.title_rx.fullmatch(w)
                                          for w, _, _ in parts):
                continue
            if not any(len(w) >= 2 and self.freq(w) == 0 and w not in self.places and not self.role_rx.fullmatch(w)
                       for w, _, _ in parts):
                continue  # no word of its own: 厂商|客服, 券商|研究部
            if name in self.places or name in self._dict_places() or self._market_word(name):
                continue
            out.append(self._mention("entity.described", s, e, "ORG", name, None))
        return out

    def _kind_name_ends(self, text: str, tok) -> bool:
        """A name after its kind ends before `tok`: no Han word, a stop or function word, a time word or a verb
        that cuts a model organisation, what a company does, a title or a role."""
        w = tok[0]
        return (not _HAN.match(w) or w in self.org_stop or w in self.org_cut_before or w in self.described_after
                or w in self.acts_after or w in self.org_adverbs or w == "的" or (len(w) == 1 and w in _GLUED_STOPS)
                or self.title_rx.match(text, tok[1]) is not None or self.role_rx.match(text, tok[1]) is not None)

    def _org_before_title(self, text: str, pos: int, tok_end) -> tuple[int, int] | None:
        """The organisation right before a role whose person follows (摩尔线程创始人张建中): one to four tokens back
        from `pos` to a break (punctuation, `org_stop`, a digit, the start); none when they are only places
        (北京市市长), or hold a generic head or an `org_before_title_not` word (该公司, 今年公司, 券商)."""
        parts, e = [], pos
        while len(parts) < 4:
            tok = tok_end.get(e)
            if tok is not None and tok[0] in self.legal_name_words and parts and "".join(parts).endswith(self.legal_forms):
                return None  # 文化投资|发展有限公司: the name goes on before 投资 (the model's, if anyone's)
            if tok is None or tok[0] in self.org_stop or not _HAN.match(tok[0]):
                break
            parts.insert(0, tok[0])
            e = tok[1]
        while parts and len(parts[0]) == 1 and self.freq(parts[0]) > 0:
            e += len(parts.pop(0))  # a one-character word before the name: 请大会组织委员会主席 -> 大会组织委员会
        kind = max((k for k, p in enumerate(parts[:-1]) if p in self.org_cut_after), default=None)
        if kind is not None:  # 面板厂|友达光电董事长: a kind of company before the name
            e += sum(len(p) for p in parts[:kind + 1])
            parts = parts[kind + 1:]
        if (len(parts) >= 2 and parts[1][:1] in _GLUED_LEAD and len(parts[1]) >= 3 and self.freq(parts[1]) == 0
                and self._common(parts[0])):
            e += len(parts[0]) + 1  # 设计|厂瑞仑|科技董事长: a kind word and a character glued to the name
            parts = [parts[1][1:]] + parts[2:]
        if len(parts) >= 2 and parts[-1] in self.org_organs:
            pos -= len(parts[-1])  # 星晋地产董事局|主席: the company's board is no organisation of its own
            parts = parts[:-1]
        elif parts and all(p in self.org_organs for p in parts):
            return None  # 监事会|主席: a company's organ alone
        if not parts or not 2 <= pos - e <= 10:
            return None
        if any(p in self.generic_heads or p in self.title_org_not or self.title_rx.fullmatch(p) for p in parts):
            return None  # 该公司, 今年, or another role: 董事长兼非执行董事
        if all(p in self.places or p in self._dict_places() for p in parts) or self._only_suffixes("".join(parts)):
            return None  # places alone, or a legal form with no name
        if len(parts) == 1 and len(parts[0]) == 2 and self._common(parts[0]):
            return None  # one common word of two characters: 品牌, 项目
        return self._kind_lead(text, e, pos), pos

    def _person(self, rule, text, s, e) -> Mention:
        return self._mention(rule, s, e, "PERSON", text[s:e], "person")

    # organisations by suffix ------------------------------------------------------------------------

    def _orgs(self, text, tokens, tok_at, words: list[str]) -> list[Mention]:
        out = []
        for i in _where(map(_LAST, words), self.suffix_last.__contains__):
            word, s, e = tokens[i]
            suffix = next((word[-n:] for n in self.suffix_lengths if word[-n:] in self.suffix_strength), None)
            if suffix is not None:
                strong = self.suffix_strength[suffix]
            elif i > 0 and tokens[i - 1][0] + word in self.suffix_strength:
                # a suffix cut in two (有限责任/公司): the merge below takes the first part
                suffix, strong = word, self.suffix_strength[tokens[i - 1][0] + word]
            else:
                continue
            head = word[: len(word) - len(suffix)]
            if head in self.generic_heads or head in self.org_stop:
                continue
            if suffix in self.suffix_not_before and text.startswith(self.suffix_not_before[suffix], e):
                continue  # 说明|控股|股东: the suffix begins a longer word
            if suffix in self.trade:  # a trade word: its own rule (`_trade_name`)
                j, begin = next(((j, b) for j in (i - 2, i - 1)
                                 if j >= 0 and (b := self._trade_name(text, tokens, j, i, suffix)) is not None),
                                (None, None))
                if j is not None and begin == tokens[j][1]:
                    while j > 0 and (tokens[j - 1][0] in self.places or tokens[j - 1][0] in self._dict_places()) and (
                            tokens[j - 1][0] not in self.country_set):
                        j -= 1  # the places it is named with (宁波|璟川|电气; not a country: 德国|博腾半导体)
                    begin = tokens[j][1]
                    if j > 0 and _HAN.match(tokens[j - 1][0]) and self.freq(tokens[j - 1][0]) == 0:
                        begin = None  # another unknown word before it: where the name begins is not known
                if begin is not None:
                    out.append(self._mention("entity.org_suffix", begin, e, "ORG",
                                             text[begin:e].replace(" ", ""), "company"))
                continue
            if suffix in self.place_headed:
                m = self._place_headed(text, tokens, i, head, suffix)
                if m is not None:
                    out.append(m)
                continue
            parts = [head] if head else []
            j, start, bounded, located, bracket_chars = i, s, False, 0, 0
            while not head and j > 0 and tokens[j - 1][0] + suffix in self.suffix_strength:
                suffix, j, start = tokens[j - 1][0] + suffix, j - 1, tokens[j - 1][1]  # 股份 + 有限公司
            suffix_at = j  # the token index where the suffix begins
            while True:  # extend left over name-like tokens, up to a boundary
                if j == 0:
                    bounded = True
                    break
                w, ws, _ = tokens[j - 1]
                if (w == ")" and not located and strong and j >= 4 and tokens[j - 3][0] == "("
                        and (tokens[j - 2][0] in self.places or (_HAN.match(tokens[j - 2][0]) and 2 <= len(tokens[j - 2][0]) <= 4))):
                    # the seat or form in brackets: 星环信息科技(上海)股份有限公司, 南水北调水网(新乡)建设开发有限公司,
                    # 万科企业(集团)股份有限公司
                    parts.insert(0, "(" + tokens[j - 2][0] + ")")
                    j, start, located = j - 3, tokens[j - 3][1], 3  # tokens: ( seat )
                    bracket_chars = len(tokens[j + 1][0]) + 2
                    continue
                in_legal_name = j == suffix_at and w in self.legal_name_words and suffix in self.legal_forms
                if w in self.legal_name_words and not in_legal_name and suffix in self.legal_forms:
                    break  # 圣博华康投资|管理有限公司: 投资 is inside the name, which begins further back (the model's)
                if ((w in self.org_stop and not in_legal_name) or w in self.org_cut_after  # 增持|明辉电子, 港股|协鑫新能源
                        or any(ch in _NAME_BREAK for ch in w) or w[0].isdigit()
                        or (w[0] in "年月" and j >= 2 and tokens[j - 2][0][-1:].isdigit())  # 1998|年于|同济大学
                        or w.endswith(self.titles_after)  # 周先生|大学
                        or (strong and len(w) > 1 and w[-1] in _GLUED_STOPS and self._common(w))):  # 要约|人为|汇信
                    bounded = True
                    break
                if i - j - located >= (4 if strong else 2):
                    break
                if (not strong and not parts and len(w) == 1 and j >= 2 and self._rare_split(tokens[j - 2][0], w)
                        and i - j - located == 0):
                    # 奥斯特|林|资本: a rare name the segmenter cut before its last character
                    parts[:0] = [tokens[j - 2][0], w]
                    j, start = j - 2, tokens[j - 2][1]
                    continue
                if not strong and not self._weak_head_word(w, suffix):
                    if not parts and self._common_head_acts(text, tokens, j - 1, i, suffix):
                        parts.insert(0, w)  # 星辰光电发布, 据远景资本披露: a common word names a company that acts
                        j, start = j - 1, ws
                    bounded = True  # a common word ends a weak-suffix name
                    break
                parts.insert(0, w)
                j, start = j - 1, ws
            if not bounded or not parts:
                continue
            first = parts[0]
            if (first[:1] in _GLUED_LEAD and _HAN.match(first) and self.freq(first) == 0
                    and (len(first) >= 3 or (len(first) == 2 and len(parts) >= 2 and len(parts[1]) == 1))):
                parts[0], start = first[1:], start + 1  # 聘任|前宁澜|银行: a word the segmenter glued to the name
            cut = max((k + len(w) for w in self.filing_roles if (k := text.rfind(w, start, e)) >= 0), default=start)
            if cut > start and e - cut >= 4:  # 要约|人朗|澄|资本有限公司: a filing role the segmenter cut apart
                skip, start = cut - start, cut
                while parts and skip >= len(parts[0]):
                    skip, parts = skip - len(parts[0]), parts[1:]
                if parts and skip:
                    parts[0] = parts[0][skip:]
            if parts[0] in self.generic_heads or any(p in self.generic_heads for p in parts[-1:]):
                continue
            if all(p in self.merge_suffixes or p in self.generic_heads or p.startswith("(") for p in parts):
                continue  # 股份 + 有限公司 after a bracket: a legal form, no name
            if not strong and not all(self._weak_head_word(p, suffix) for p in parts) and not (
                    len(parts) == 2 and self._rare_split(*parts)) and not (
                    len(parts) == 1 and self._common_head_acts(text, tokens, j, i, suffix)):
                continue
            if (suffix in self.industry and all(p in self.places or p in self._dict_places() for p in parts)
                    and not self.role_rx.match(text, e)):
                continue  # 中国汽车, 美国娱乐: a place's industry (山东航空副董事长 is a company: a role is held in one)
            if not strong and all(p in self.places for p in parts) and _LETTER.match(text, e):
                continue  # 新加坡基金|Harborview Capital: a place and a kind, describing the Latin name after them
            before_suffix = tokens[suffix_at - 1][0] if suffix_at > 0 else ""
            if (e - start - len(suffix) < 2 or e - start > 18 + bracket_chars
                    or (text[e - len(suffix) - 1] in self.not_after_head
                        and (len(before_suffix) == 1 or suffix not in self.legal_forms))):
                # 其|有限公司, 占本|集团: a determiner; not the 本 of 汇信资本|有限公司 (a word before a legal form)
                continue
            k = self._country_before_company(text, start, e, tok_at)
            start = start if k is None else k  # 德国|克劳森集团: the country is a place of its own
            start = self._after_rank(text, start, e, tok_at)  # 第一大财阀|三星集团
            start = self._kind_lead(text, start, e)  # 内房|商深穗|置业
            out.append(self._mention("entity.org_suffix", start, e, "ORG", text[start:e].replace(" ", ""), "company"))
        return out

    def _common_head_acts(self, text: str, tokens, h: int, i: int, suffix: str) -> bool:
        """Token `h`, a common word of two or more Han characters, and the weak or industry suffix token `i`
        right after it name a company when the pair is no word of the dictionary (商业银行, 投资银行 are), stands
        after a break or a function word, and what follows is what a company does or has (`described_org_after`,
        `company_cues_after`, `person_not_before`: 星辰光电发布, 远景资本已向, 据远景资本披露 -> 披露 is a
        `described_org_after` word)."""
        if i != h + 1 or i + 1 >= len(tokens):
            return False
        head, nxt = tokens[h][0], tokens[i + 1][0]
        if (len(head) < 2 or not _HAN.match(head) or self.freq(head + tokens[i][0]) > 0 or head in self.generic_heads
                or head in self.kind_heads or head + suffix in self.generic_nouns):
            return False
        before = tokens[h - 1][0] if h > 0 else "。"
        if not (any(ch in _NAME_BREAK for ch in before) or before in self.org_stop or before == "据"):
            return False
        return (nxt in self.described_after or text.startswith(self.person_not_before, tokens[i][2])
                or self._company_cue(text, tokens[i][2]))

    def _trade_name(self, text: str, tokens, j: int, i: int, suffix: str) -> int | None:
        """Where a name that a trade word (`org_suffixes_trade`: 电气, 保险, 国际) ends begins, if it is one: the
        trade word is a token of its own after a word the dictionary does not know, of two or three Han characters
        (one token, or two it was cut into: 璟|川|电气, 与晶|澔|材料; a function character the segmenter glued to its
        front is left out: 为泓远|国际, 将辰汐|文旅), with no function character inside (not 智慧|医疗, 类及|物流,
        养老保险, 更强|智能), and the name goes on with no other company word (not 泓远国际|证券: that one is longer)
        or dictionary word made with the trade word (医疗|器械)."""
        if tokens[i][0] != suffix or not 1 <= i - j <= 2:
            return None
        start, first = tokens[j][1], tokens[j][0]
        if len(first) >= 2 and first[0] in _GLUED_LEAD and self.freq(first) == 0 and (i - j == 2 or len(first) == 3):
            start, first = start + 1, first[1:]  # 为泓远, 将辰汐, 与晶|澔
        parts = [first] + [t[0] for t in tokens[j + 1:i]]
        if i - j == 2 and not all(len(t) <= 2 and t not in self.org_stop and t not in self.generic_heads
                                  and t not in self.person_not_last and t not in _PARTICLES for t in parts) or (
                i - j == 2 and (len("".join(parts)) > 3 or (len(parts[0]) == 1 and self.freq(parts[0]) > 20000))):
            return None  # two tokens only where the segmenter cut a rare name into pieces (璟|川|电气; not 但|大|环境)
        head = "".join(parts)
        if (not 2 <= len(head) <= 3 or not _HAN.match(head) or self.freq(head) > 0 or head in self.places
                or head in self._dict_places() or head in self._proper() or self._market_word(head)
                or head in self.trade_not_heads
                or any(len(t) > 1 and self._common(t) for t in parts)
                or any(ch in _GLUED_STOPS or ch in "及或的了一" for ch in head) or head[0] in "更最很较太越愈颇极不没未"):
            return None
        if i + 1 < len(tokens):
            nxt = tokens[i + 1][0]
            if (nxt in self.merge_suffixes or nxt in self.company_word_set or nxt in self.trade
                    or (_HAN.match(nxt) and self.freq(suffix + nxt) > 0) or nxt in _UNIT_CHARS or nxt in _SITE_WORDS):
                return None  # the name goes on (泓远国际|证券, 医疗|器械, 改革委工业|司, 冷链物流|中心: a site)
        return start

    def _rare_split(self, a: str, b: str) -> bool:
        """`a` then the single character `b` are one rare name the segmenter cut (奥斯特|林): `a` is Han and unknown
        to the dictionary, or one character, `b` no function character, and `a + b` no word it knows."""
        return (len(b) == 1 and _HAN.match(a) is not None and _HAN.match(b) is not None and len(a + b) <= 5
                and (len(a) == 1 or not self._common(a)) and self.freq(a + b) == 0
                and b not in self.org_stop and b not in _PARTICLES and b not in _GLUED_STOPS
                and a not in self.org_stop and a not in _PARTICLES and a not in self.places
                and (len(a) == 1 or a not in self._dict_places()))  # (the dictionary tags single characters ns: 澜)

    def _weak_head_word(self, w: str, suffix: str) -> bool:
        """A word that may begin a name with a weak suffix: Latin, a word jieba's dictionary does not know, a place,
        or before an industry word one the dictionary tags as a name (新鸿基 nr, 国泰 nz: 新鸿基地产, 国泰航空; not
        天虹 in 天虹科技大厦); a common word ends the name (电能实业 is left to the model)."""
        return (w.isascii() or self.freq(w) <= self.weak_max_freq or w in self.places
                or (suffix in self.industry and w in self._proper()))

    def _place_headed(self, text, tokens, i, head, suffix) -> Mention | None:
        """An organisation named by the places before its suffix (`org_suffixes_place_headed`: 北京市政府,
        浙江省杭州市人民政府, 美国政府, 台北地院): the places right before it, and nothing else (指出中国政府 is 中国政府;
        临时政府, 地方政府 and 克林顿政府 are no organisation by this rule). Its kind is the one its ending says
        (`org_kind_suffixes`: a government is a regulator, a court a court)."""
        word, s, e = tokens[i]
        if head and head not in self.places:
            return None
        start, j = s, i
        while j > 0 and tokens[j - 1][0] in self.places:
            j -= 1
            start = tokens[j][1]
        if start == e - len(suffix):
            return None  # no place at all
        kind = next((k for x, k in self.kind_suffixes if text.endswith(x, start, e)), "regulator")
        return self._mention("entity.org_suffix", start, e, "ORG", text[start:e].replace(" ", ""), kind)

    # aliases and propagation --------------------------------------------------------------------

    def _stock_moves(self, text: str, chosen: list[Mention], tok_at, ends) -> list[Mention]:
        """Listed companies' short names that no rule or model span took, right before a share-price word
        (or before the last name of their list that has one): 永清环保跌逾9%, 劲旅环境、中兰环保涨超5%."""
        guesses = [m for m in chosen if m.rule == "entity.model" and m.fields["label"] != "ORG"]
        taken = _covered(text, [m for m in chosen if m.rule != "entity.model" or m.fields["label"] == "ORG"])
        guessed = _covered(text, guesses)
        added, seen, done = [], set(), 0
        for cue in self.cue_rx.finditer(text):
            lo = max(done, cue.start() - 64)
            seen.update(m.span("name") for m in self.stock_move_rx.finditer(text, lo, cue.end(), overlapped=True))
            done = cue.start()
        dropped: set[int] = set()
        for s, e in sorted(seen):
            name = text[s:e]
            if any(taken[s:e]) or s not in tok_at or e not in ends or self._market_word(name) or self._pronoun_in(
                    s, e, tok_at):
                continue
            whole = tok_at[s]
            if whole[2] == e and self.freq(name) > 0 and name not in self._proper():
                continue  # one common word: 黄金, 原油 (a company named by one, 贝壳, needs the model or the gazetteer)
            words, pos = [], s
            while pos < e and pos in tok_at:
                words.append(tok_at[pos][0])
                pos = tok_at[pos][2]
            if any(w in self.org_cut_before or w in self.move_words for w in words):
                continue  # 盘中一度触及涨停, 带动公司股价, 宏硕精密|今日|股价: a time word, or market commentary
            if any(guessed[s:e]):
                # the model's person or place at the start of a listed name the list and its cue make a company
                # (柏川 in 柏川医疗、恒越精工跌逾5%); not one that is the whole name or runs past it
                inside = [i for i, m in enumerate(guesses) if m.start < e and s < m.end]
                if not all(guesses[i].start == s and guesses[i].end < e for i in inside):
                    continue
                dropped.update(inside)
            added.append(self._mention("entity.stock_move", s, e, "ORG", name, "company", tentative=True))
        if not added:
            return chosen
        gone = {id(guesses[i]) for i in dropped}
        return sorted([m for m in chosen if id(m) not in gone] + added, key=lambda x: x.start)

    def _place_then_name(self, text: str, chosen: list[Mention], tok_at) -> list[Mention]:
        """A place and right after it a rare word (a brand: 鼎盛, 恒越; `place_name_max_freq`, not a kind of company:
        车企), maybe followed by a
        company word (科技, 电子: `org_suffixes_industry`, `listed_name_goes_on`), before what a company does or has
        (`described_org_after`, `company_cues_after`, `person_not_before`) is a company named with its place:
        深圳鼎盛宣布完成融资, 苏州恒越股价大涨. Not where the model or a rule took the word (深圳王伟表示: a person)."""
        taken = _covered(text, chosen)
        out = []
        for m in chosen:
            tok = tok_at.get(m.end)
            if m.fields["label"] == "GPE" and tok is not None and not any(taken[tok[1]:tok[2]]):
                word = tok[0]
                end = tok[2]
                nxt = tok_at.get(end)
                if (nxt is not None and (nxt[0] in self.company_word_set or nxt[0] in self.suffix_strength)
                        and not any(taken[nxt[1]:nxt[2]])):
                    end, nxt = nxt[2], tok_at.get(nxt[2])
                if (2 <= len(word) <= 3 and _HAN.match(word) and self.freq(word) <= self.place_name_max_freq
                        and word not in self.described_before and word not in self.generic_heads
                        and not word.endswith(self.generic_nouns) and not word.endswith(self.place_name_not_ends)
                        and not word.endswith(self.facility_words)  # 墨西哥|新厂: a plant
                        and word not in self.places
                        and word not in self._dict_places() and nxt is not None
                        and (nxt[0] in self.described_after or text.startswith(self.person_not_before, end)
                             or self._company_cue(text, end))):
                    m = self._mention("entity.place_name", m.start, end, "ORG", text[m.start:end].replace(" ", ""),
                                      "company")
            out.append(m)
        return out

    def _suffixed_guesses(self, text: str, chosen: list[Mention], tok_at) -> list[Mention]:
        """A model place right before an organisation suffix word (`org_suffixes_strong`, `_weak`, `_industry`:
        资本, 证券, 集团, 地产), or a model person before a strong one (集团, 控股), that nothing else took is an
        organisation named with it (三峡 + 资本; not 李明 + 证券从业); not when another suffix or a company word
        follows (the name goes on: left to the rules)."""
        taken = _covered(text, chosen)
        out = []
        for m in chosen:
            tok = tok_at.get(m.end)
            if (m.rule == "entity.model" and m.fields["label"] in ("PERSON", "GPE") and tok is not None
                    and tok[0] in self.suffix_strength and tok[0] not in self.trade
                    and (self.suffix_strength[tok[0]] or m.fields["label"] == "GPE")
                    and not any(taken[tok[1]:tok[2]])):
                after = tok_at.get(tok[2])
                if after is None or (after[0] not in self.merge_suffixes and after[0] not in self.company_word_set):
                    m = self._model_mention(text, m.start, tok[2], "ORG")
            out.append(m)
        return out

    def _coordinated(self, text: str, chosen: list[Mention], tok_at, ends) -> list[Mention]:
        """Names listed with 、 are of one kind. In a list of three or more items of which at least two are
        organisations and none a person or place the rules know: an item the model read as a person or a place
        is an organisation (爱立信、阿朗、诺西、中兴); a model span that lost the first characters of its item is the
        whole item, an organisation (、同|力日升、 -> 同力日升); an item between two names that nothing found is an
        organisation when it stands on token boundaries, is two to eight Han or Latin characters and is
        neither one common word nor a market word (联泓新科、方大集团、龙腾光电、科华数据). Lists of places or
        people are left alone."""
        if "、" not in text:
            return chosen
        out = sorted(chosen, key=lambda m: m.start)
        replace: dict[int, Mention] = {}
        added: list[Mention] = []
        i = 0
        while i < len(out):
            # the items of one list: (mention or None, start, end, the mention it replaces or None)
            group, j = [(out[i], out[i].start, out[i].end, None)], i
            while text[group[-1][2]:group[-1][2] + 1] in _ITEM_SEPARATORS:
                end = group[-1][2]
                nxt = out[j + 1] if j + 1 < len(out) else None
                k = end + 1
                while k < len(text) and k - end <= 9 and text[k] not in _NAME_BREAK:
                    k += 1
                if nxt is not None and nxt.start == end + 1:
                    group.append((nxt, nxt.start, nxt.end, None))
                    j += 1
                elif (nxt is not None and end + 1 < nxt.start < k and nxt.end == k and k - end - 1 <= 8
                      and nxt.rule == "entity.model" and end + 1 in tok_at and _NAME_TOKEN.match(text[end + 1:k])):
                    group.append((self._model_mention(text, end + 1, k, "ORG"), end + 1, k, nxt))
                    j += 1
                elif (k > end + 1 and k - end - 1 <= 8 and text[k:k + 1] == "、" and text[end] == "、"
                      and (nxt is None or nxt.start >= k)):
                    group.append((None, end + 1, k, None))
                else:
                    break
            i = j + 1
            named = [m for m, *_ in group if m is not None]
            kinds = _KIND_AFTER_LIST.match(text, group[-1][2]) is not None  # 禾钰、宏崧、晶聿等中小型股, …等公司
            # one organisation the rules found and the rest two or three characters with no surname (茂晟、昶宏-KY与宇硕)
            brands = any(m.fields["label"] == "ORG" and m.rule != "entity.model" for m in named) and all(
                m.fields["label"] == "ORG" or (m.rule == "entity.model" and 2 <= m.end - m.start <= 3
                                               and not self._surname_len(text, m.start)) for m in named)
            if (len(group) < (2 if kinds else 3) or (sum(m.fields["label"] == "ORG" for m in named) < 2
                                                     and not kinds and not brands)
                    or any(m.fields["label"] != "ORG" and m.rule != "entity.model" for m in named)):
                continue
            for m, s, e, old in group:
                if old is not None:
                    replace[id(old)] = m
                elif m is not None:
                    if m.fields["label"] != "ORG":
                        replace[id(m)] = self._model_mention(text, s, e, "ORG")
                elif (s in tok_at and e in ends and _NAME_TOKEN.match(text[s:e]) and not self._market_word(text[s:e])
                      and not self._pronoun_in(s, e, tok_at) and text[s:e] not in self.places
                      and not (tok_at[s][2] == e and self._common(text[s:e]))):
                    added.append(self._mention("entity.listed_with", s, e, "ORG", text[s:e], None, tentative=True))
        if not replace and not added:
            return chosen
        return sorted([replace.get(id(m), m) for m in chosen] + added, key=lambda m: m.start)

    def _pronoun_in(self, s: int, e: int, tok_at) -> bool:
        """A word no name holds among the tokens from `s` to `e`: 的, or a pronoun or generic head first
        (后者的股价, 其股价; `org_stop`, `org_generic_heads`)."""
        first = tok_at[s][0]
        if (first in self.org_stop and first not in self.generic_nouns) or first in self.generic_heads:
            return True
        pos = s
        while pos < e and pos in tok_at:
            if tok_at[pos][0] == "的":
                return True
            pos = tok_at[pos][2]
        return False

    def _market_word(self, name: str) -> bool:
        """An index, a market, a sector or a commodity, not a company: a `stock_move_not_names` word inside
        (恒指, 沪镍期货, 两市), a final 股 (银行股; not 股份), or one of `market_not_companies` (黄金, 原油)."""
        return name in self.not_companies or (name not in self.known_aliases and (
            any(w in name for w in self.stock_move_not) or name.endswith("股")))

    def _company_cue(self, text: str, e: int) -> bool:
        """A listed company's share-price or investor-relations word right after `e` (`company_cues_after`;
        永茂泰涨停, 星帅尔等跟涨)."""
        return self.company_cue_rx.match(text, e) is not None

    def _notions(self, text: str, chosen: list[Mention]) -> list[Mention]:
        """A model organisation followed by a common Latin abbreviation in brackets is a notion spelled out,
        not a name (通用人工智能(AGI), 首次公开募股(IPO): `org_generic_latin`)."""
        out = []
        for m in chosen:
            if m.rule == "entity.model" and m.fields["label"] == "ORG" and text[m.end:m.end + 1] == "(":
                close = text.find(")", m.end + 1, m.end + 12)
                if close > 0 and text[m.end + 1:close] in self.generic_latin:
                    continue
            out.append(m)
        return out

    def _aliases(self, text, chosen, starts, ends) -> list[Mention]:
        """`云安全联盟(CSA)` and `Kimi(月之暗面)`: the other side of a known name in brackets is its alias, after
        简称 or 以下简称 too, where it replaces a model span of another label (以下简称天全福鞍, read as a person; not
        巴拉克(切尔西), a player and his club)."""
        by_end = {m.end: m for m in chosen}
        by_span = {(m.start, m.end): m for m in chosen}
        out = []
        for m in self.paren_rx.finditer(text):
            a0, a1 = m.span("a")
            b = m.span("b")
            if m.group("b") in self.legal_brackets or m.group("b").startswith("作为"):
                continue  # 立信会计师事务所(特殊普通合伙): a partnership's form; (作为买方): its role, no other name
            if _LETTERED_CODE.fullmatch(m.group("b")):
                continue  # 瀚澄新材(SZ.002718): a stock code with its market's letters, no other name
            before = by_end.get(a1)  # a known name ends right at "("
            held = by_span.get(b)
            if before is not None and (held is None or (m.group("abbr") and held.rule == "entity.model"
                                                        and held.fields["label"] != before.fields["label"])
                                       or (held.rule == "entity.latin_name" and before.fields["label"] == "ORG"
                                           and held.fields["norm"] == text[b[0]:b[1]])):
                # (the Latin name in brackets after a Chinese one takes its norm: 澄曜智能(Chengyao Intelligence))
                f = before.fields
                out.append(self._mention("entity.paren_alias", b[0], b[1], f["label"], f["norm"], f["kind"]))
                continue
            if held is not None and held.fields["label"] == "GPE" and not text[a0:a1].isascii():
                continue  # 星环信息科技(上海): the seat of a company, not another name of the place
            if (held is not None and (a0, a1) not in by_span and (text[a0:a1].isascii() or a0 in starts)
                    and not (held.rule == "entity.latin_name" and not text[a0:a1].isascii())):
                # (not the Chinese words before a Latin name a cue found: where its Chinese name begins is unknown)
                f = held.fields
                out.append(self._mention("entity.paren_alias", a0, a1, f["label"], f["norm"], f["kind"]))
        return out

    def _short_names(self, text: str, chosen: list[Mention], tok_at) -> list[Mention]:
        """A registered name (ending in a legal form, with no canonical norm from the gazetteer) and its short
        name take the short name's norm, both, at every occurrence (tests/gold/GUIDELINES.md). The short name
        is, first, one defined in brackets right after it (嘉兴鼎泰新材料股份有限公司(以下简称“鼎泰新材”),
        恒裕國際控股有限公司(「恒裕國際」)), an organisation even where nothing else found it; else an organisation
        the model or a pattern found in the same sentence whose name is the registered name's characters in
        order (苏州恒越精工有限公司 ... 恒越精工; not a gazetteer's or a listed company's name: 中国石油 is not
        中国石油化工股份有限公司); else the registered name without its places and legal form, or the first
        three or more characters of that, where it stands on token boundaries elsewhere in the text and does
        not begin with a common word (苏州恒越精工有限公司 ... 恒越精工; not 石油化工 after 中国石油化工股份有限公司)."""
        orgs = [m for m in chosen if m.fields["label"] == "ORG"]
        full = [m for m in orgs if text.endswith(self.legal_forms, m.start, m.end)
                and m.fields["norm"] == text[m.start:m.end].replace(" ", "")
                and (not _SEAT.search(text, m.start, m.end)  # 岷丰新材(江西)有限公司: a company of its own,
                     or self._defined_after(text, m.end, text[m.start:m.end]) is not None)]  # unless one is defined
        if not full:
            return chosen
        by_span = {(m.start, m.end): m for m in chosen}
        added: list[Mention] = []
        renorm: dict[str, str] = {}  # a registered name, or a short name, -> the short name's norm
        relabel: set[str] = set()  # short names the model read as a person or a place
        for f in full:
            name = text[f.start:f.end]
            if name in renorm:
                continue
            defined = self._defined_after(text, f.end, name)
            if defined is not None:
                held = by_span.get(defined)
                if held is None:
                    crossing = [m for m in chosen + added if m.start < defined[1] and defined[0] < m.end]
                    if not all((m.rule == "entity.model" or (m.fields["label"] == "GPE" and m.end - m.start
                                                             < defined[1] - defined[0]))
                               and f.end <= m.start and m.end <= defined[1] for m in crossing):
                        continue  # (a place inside the defined name gives way too: 「晋隆深圳」)
                    # a model guess inside the brackets gives way to the defined name (「華盛金融」 read as the person
                    # 華盛, 下稱澤康 read as one organisation)
                    gone = {id(m) for m in crossing}
                    chosen = [m for m in chosen if id(m) not in gone]
                    added = [m for m in added if id(m) not in gone]
                    held = self._mention("entity.short_name", *defined, "ORG",
                                         text[defined[0]:defined[1]].replace(" ", ""), f.fields["kind"])
                    added.append(held)
                    added += self._occurrences(text, held, chosen + added, tok_at, common=True)
                if held.fields["label"] != "ORG" and held.rule == "entity.model":
                    relabel.add(text[held.start:held.end])  # 以下简称“澍禾”, read as a person: the company
                    held = self._mention("entity.short_name", held.start, held.end, "ORG",
                                         text[held.start:held.end].replace(" ", ""), f.fields["kind"])
                if held.fields["label"] == "ORG":
                    norm = held.fields["norm"]
                    if norm == f.fields["norm"]:  # an alias that took the registered name's norm
                        norm = text[held.start:held.end].replace(" ", "")
                    renorm[name] = renorm[text[held.start:held.end]] = norm
                continue
            lo, hi = self._sentence(text, f.start)
            same = [m for m in orgs if lo <= m.start and m.end <= hi and (m.end <= f.start or m.start >= f.end)
                    and 2 <= m.end - m.start < len(name) and _in_order(text[m.start:m.end], name)
                    and m.rule not in ("entity.gazetteer", "entity.listed", "entity.coded_name")
                    and not text.endswith(self.legal_forms, m.start, m.end)]
            if same:
                renorm[name] = max(same, key=lambda m: m.end - m.start).fields["norm"]
                continue
            head = self._registered_head(name)
            named = {text[m.start:m.end]: m for m in orgs if (m.end <= f.start or m.start >= f.end)
                     and m.rule not in ("entity.gazetteer", "entity.listed")}
            other = next((named[head[:n]] for n in range(len(head), 2, -1) if head[:n] in named), None)
            if other is not None:  # 宏硕精密工业股份有限公司 ... 宏硕精密董事长: its head, found on its own elsewhere
                renorm[name] = other.fields["norm"]
                continue
            found = self._head_occurrences(text, f, chosen + added, tok_at)
            if found:
                added += found
                renorm[name] = found[0].fields["norm"]
        if not renorm:
            return chosen
        out = []
        for m in chosen + added:
            name = text[m.start:m.end]
            if name in relabel and m.fields["label"] != "ORG" and m.rule in ("entity.model", "entity.propagated"):
                m = self._mention("entity.short_name", m.start, m.end, "ORG", name.replace(" ", ""), None)
            norm = renorm.get(name) if m.fields["label"] == "ORG" else None
            if norm is not None and norm != m.fields["norm"]:
                m = dataclasses.replace(m, fields={**m.fields, "norm": norm})
            out.append(m)
        return sorted(out, key=lambda m: m.start)

    def _registered_head(self, name: str) -> str:
        """A registered name without its legal form, its seat in brackets and the places before it."""
        head = name[:-len(next(x for x in sorted(self.legal_forms, key=len, reverse=True) if name.endswith(x)))]
        return self._after_places(_SEAT_END.sub("", head))

    def _head_occurrences(self, text: str, f: Mention, taken: list[Mention], tok_at) -> list[Mention]:
        """Mentions of a registered name's head (`_short_names`) elsewhere in the text, the longest head form
        that occurs: the name without its places and legal form, then its prefixes of three or more characters."""
        head = self._registered_head(text[f.start:f.end])
        if len(head) < 3 or not _HAN.match(head):
            return []
        for n in range(len(head), 2, -1):
            short = self._mention("entity.short_name", -1, -1, "ORG", head[:n], f.fields["kind"])
            out = self._occurrences(text, short, taken, tok_at)
            if out:
                return out
        return []

    def _occurrences(self, text: str, short: Mention, taken: list[Mention], tok_at, common: bool = False):
        """`short`'s norm where it occurs on token boundaries outside `taken`, not going on into a longer
        company name (…科技, …集团); only where it does not begin with a common word unless `common`."""
        name = short.fields["norm"]
        busy = _covered(text, taken)
        out = []
        for hit in regex.finditer(regex.escape(name), text):
            s, e = hit.span()
            first, nxt = tok_at.get(s), tok_at.get(e)
            if (first is None or any(busy[s:e]) or (not common and self._common(first[0]))
                    or (e < len(text) and nxt is None)
                    or (nxt is not None and (nxt[0] in self.merge_suffixes or nxt[0] in self.company_word_set))):
                continue
            out.append(dataclasses.replace(short, start=s, end=e))
        return out

    def _defined_after(self, text: str, end: int, name: str) -> tuple[int, int] | None:
        """The span of the short name defined in brackets right after a registered name ending at `end`:
        (以下简称“X”), (简称X), (下称“X”), (“X”), (「X」); not a generic word (以下简称“公司”, “本集团”,
        “发行人”), and its first character is in the name."""
        form = next((f for f in self.legal_brackets if text.startswith(f"({f})", end)), None)
        if form is not None:
            end += len(form) + 2  # 云帆投资合伙企业(有限合伙)(以下简称“云帆投资”)
        m = self.defined_rx.match(text, end)
        if m is None:
            return None
        s, e = m.span("n")
        short = text[s:e]
        if (short in self.generic_heads or short.startswith(tuple(self.generic_heads)) or short in self.not_defined
                or short.endswith(self.generic_nouns) and len(short) <= 3 or short[0] not in name):
            return None
        return s, e

    @staticmethod
    def _sentence(text: str, pos: int) -> tuple[int, int]:
        """The sentence around `pos`: from after the last 。！？!?；;\n before it to the next one."""
        lo = max(text.rfind(c, 0, pos) for c in _SENTENCE_ENDS) + 1
        ends = [i for i in (text.find(c, pos) for c in _SENTENCE_ENDS) if i >= 0]
        return lo, min(ends, default=len(text))

    def _propagate(self, text, chosen, starts, ends) -> list[Mention]:
        """Every other occurrence of a name a pattern found, in one Aho-Corasick pass over the text."""
        names: dict[str, Mention] = {}
        for m in chosen:
            if m.rule != "entity.gazetteer":  # patterns and the model (a gazetteer alias is found anyway)
                names.setdefault(text[m.start:m.end], m)
        names = {n: m for n, m in names.items() if len(n) >= 2}
        if not names:
            return []
        out = []
        for pos, end, name in WordScan.of(names).find(text):
            if (pos in starts and end in ends) or (name.isascii() and self._latin_alone(text, pos, end)):
                f = names[name].fields
                out.append(self._mention("entity.propagated", pos, end, f["label"], f["norm"], f["kind"],
                                         tentative=names[name].tentative))
        return out


def _in_order(short: str, name: str) -> bool:
    """The characters of `short` occur in `name` in the same order (恒越精工 in 苏州恒越精工有限公司)."""
    it = iter(name)
    return all(c in it for c in short)


def _cuts_latin_word(text: str, s: int, e: int) -> bool:
    """[s, e) begins or ends at the hyphen of a Latin word: Mobile in T-Mobile. (Letters run together are no
    sign: sports results write vsac米兰 for "vs AC米兰".)"""
    def joined(i: int) -> bool:  # text[i-1] and text[i] belong to one hyphenated Latin word
        if i <= 0 or i >= len(text):
            return False
        a, b = text[i - 1], text[i]
        if a == "-":
            return i >= 2 and _LETTER.match(text[i - 2]) is not None and _LETTER.match(b) is not None
        if b == "-":
            return i + 1 < len(text) and _LETTER.match(a) is not None and _LETTER.match(text[i + 1]) is not None
        return False
    return joined(s) or joined(e)
