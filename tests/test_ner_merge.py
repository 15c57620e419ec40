"""The merge policy between our trained model and the rules (pipeline/entity/matcher.py, `merge_model`).

Each case of the policy is checked with model spans given by hand, so the policy is tested apart from
what any trained model happens to find; the last tests run the real pipeline with the shipped model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.entity.matcher import EntityMatcher
from pipeline.resources import load_rules
from pipeline.text.segment import load_segmenter


@pytest.fixture(scope="module")
def match():
    rules = load_rules()
    segmenter = load_segmenter(rules)
    # as the pipeline's component builds it (pipeline.entity.components), with the dictionary's places and
    # organisations; the listed companies are left out, so that these tests hold whatever that list holds
    matcher = EntityMatcher(rules.entity, freq=lambda w: segmenter.tokenizer.FREQ.get(w, 0),
                            proper=lambda: segmenter.proper_nouns, dict_places=lambda: segmenter.place_nouns,
                            dict_orgs=lambda: segmenter.org_nouns)

    def run(text: str, model: list[tuple[str, str]] | list[tuple[int, int, str]]):
        """Entities of `text` given model spans as (name, label) (each at its first free occurrence) or
        (start, end, label), as (text, label, norm, kind, rule)."""
        spans, pos = [], {}
        if model is None:
            found = matcher(text, segmenter.tokens(text), None)
            return [(text[m.start:m.end], m.fields["label"], m.fields["norm"], m.fields["kind"], m.rule) for m in found]
        for item in model:
            if len(item) == 3:
                spans.append(item)
                continue
            name, label = item
            s = text.index(name, pos.get(name, 0))
            pos[name] = s + 1
            spans.append((s, s + len(name), label))
        found = matcher(text, segmenter.tokens(text), spans)
        return [(text[m.start:m.end], m.fields["label"], m.fields["norm"], m.fields["kind"], m.rule) for m in found]

    return run


# case 4: nothing the rules know there -------------------------------------------------------------

def test_a_name_no_rule_knows_is_added_with_its_text_as_norm(match):
    got = match("周立新表示,星河动力已在宁远完成融资。", [("周立新", "PERSON"), ("星河动力", "ORG"), ("宁远", "GPE")])
    assert got == [("周立新", "PERSON", "周立新", "person", "entity.model"),
                   ("星河动力", "ORG", "星河动力", "company", "entity.model"),
                   ("宁远", "GPE", "宁远", "place", "entity.model")]


def test_an_organisation_gets_the_kind_its_ending_says(match):
    got = match("星河动力科技有限公司、宁远日报和紫光阁签约。",
                [("星河动力科技有限公司", "ORG"), ("宁远日报", "ORG"), ("紫光阁", "ORG")])
    assert [(t, k) for t, _, _, k, _ in got] == [("星河动力科技有限公司", "company"), ("宁远日报", "media"),
                                                 ("紫光阁", None)]


# case 1: the same span as a rule --------------------------------------------------------------------

def test_a_known_alias_keeps_its_norm_kind_and_label(match):
    got = match("港交所今日公布。", [("港交所", "PERSON")])
    assert got == [("港交所", "ORG", "港交所", "exchange", "entity.gazetteer")]


def test_a_titled_person_keeps_the_pattern_rule(match):
    got = match("金山云CEO王育林宣布。", [("王育林", "PERSON")])
    assert got[-1] == ("王育林", "PERSON", "王育林", "person", "entity.person_after_title")


# case 2: inside or across a rule's span ---------------------------------------------------------------

def test_a_model_span_inside_or_across_a_known_name_is_dropped(match):
    assert match("金山云控股有限公司公告", [("山云控股", "ORG")]) == [
        ("金山云控股有限公司", "ORG", "金山云", "company", "entity.gazetteer")]
    assert match("港交所主席", [(1, 5, "ORG")]) == [("港交所", "ORG", "港交所", "exchange", "entity.gazetteer")]


def test_a_registered_name_read_as_two_overlapping_known_names_is_one_name(match):
    # 中国平安 and 平安保险 are both known; the legal name around them is one organisation, under its own name
    got = match("中国平安保险(集团)股份有限公司8月29日在上海发布中期业绩。", [])
    assert got[0][:2] == ("中国平安保险(集团)股份有限公司", "ORG")
    # a known name that begins after the overlapping pair still stops it: two names, not one
    assert match("中国平安保险港交所股份有限公司", [])[0][:2] != ("中国平安保险港交所股份有限公司", "ORG")


# case 3: around rule spans ----------------------------------------------------------------------------

def test_an_organisation_takes_in_the_place_that_qualifies_it(match):
    got = match("北京星河实验室发布报告。", [("北京星河实验室", "ORG")])
    assert got == [("北京星河实验室", "ORG", "北京星河实验室", "research", "entity.model")]


def test_a_known_name_with_suffixes_is_one_organisation_with_the_known_norm(match):
    got = match("云知声控股公告。", [("云知声控股", "ORG")])
    assert got == [("云知声控股", "ORG", "云知声", "company", "entity.model")]
    # a registered name the rules find themselves: the same norm, by the suffix rule
    got = match("云知声控股有限公司公告。", [("云知声控股有限公司", "ORG")])
    assert got == [("云知声控股有限公司", "ORG", "云知声", "company", "entity.org_suffix")]


def test_a_known_organisation_keeps_its_boundaries_in_a_longer_model_span(match):
    got = match("云知声登陆港交所。", [("云知声登陆港交所", "ORG")])
    assert [(t, r) for t, _, _, _, r in got] == [("云知声", "entity.gazetteer"), ("港交所", "entity.gazetteer")]


def test_a_person_or_place_never_swallows_a_rule_span(match):
    got = match("CEO王育林宣布。", [("CEO王育林", "PERSON")])
    assert [(t, r) for t, _, _, _, r in got] == [("王育林", "entity.person_after_title")]
    got = match("北京大兴区", [("北京大兴区", "GPE")])
    assert [t for t, *_ in got] == ["北京"]


# case 0: spans the records never take -------------------------------------------------------------------

def test_one_character_only_for_listed_place_abbreviations(match):
    got = match("中美双方在京会谈,王表示。", [("中", "GPE"), ("美", "GPE"), ("京", "GPE"), ("王", "PERSON")])
    assert [(t, n) for t, _, n, _, _ in got] == [("中", "中国"), ("美", "美国"), ("京", "北京")]


def test_no_latin_only_names_no_punctuation_inside_no_latin_people(match):
    assert match("Kimi发布新版本,B端客户(除外)增加。", [("Kimi", "PERSON"), ("B端", "PERSON"), ("客户(除外)", "ORG")]) == []


def test_generic_and_descriptive_organisations_are_not_names(match):
    text = "本公司及其子公司、联营公司和三家公司的审计委员会。"
    spans = [("本公司", "ORG"), ("子公司", "ORG"), ("联营公司", "ORG"), ("三家公司", "ORG"), ("审计委员会", "ORG")]
    assert match(text, spans) == []
    # a name has a word of its own: 托塔尔公司 stays
    assert [t for t, *_ in match("托塔尔公司宣布。", [("托塔尔公司", "ORG")])] == ["托塔尔公司"]
    # and so has a foreign name the dictionary files as a place the rules do not know (华纳 of 华纳兄弟公司)
    assert [t for t, *_ in match("华纳兄弟公司将片场改造。", [("华纳兄弟公司", "ORG")])] == ["华纳兄弟公司"]


def test_places_and_a_strong_suffix_name_an_institution_of_that_place(match):
    # 辽宁大学, 宁远日报: a place and an institution's ending, no generic head, is a name; the suffix rule that ran
    # too far back (国留学生能力培养辽宁大学) gives way to it
    got = match("外国留学生能力培养辽宁大学自1965年以来招生。", [("辽宁大学", "ORG")])
    assert [(t, lab) for t, lab, *_ in got] == [("辽宁大学", "ORG")]
    assert [t for t, *_ in match("《天津日报》举办大赛。", [("天津日报", "ORG")])] == ["天津日报"]
    # a generic head still makes it generic (香港子公司: the place alone stays)
    assert [t for t, *_ in match("其香港子公司公布。", [("香港子公司", "ORG")])] == ["香港"]


def test_a_one_character_place_inside_a_market_or_currency_word_is_none(match):
    # 港股, 美元, 京剧: a market, currency or art word; 安全港: the end of a common word; 推动中美两国 and 访华 stay
    assert match("港股上市后的公司。", [("港", "GPE")]) == []
    assert match("以美元计价。", [("美", "GPE")]) == []
    assert match("本公告载有的安全港条文。", [("港", "GPE")]) == []
    assert [t for t, *_ in match("推动中美两国合作。", [("中", "GPE"), ("美", "GPE")])] == ["中", "美"]
    assert [(t, n) for t, _, n, *_ in match("总统此次访华。", [("华", "GPE")])] == [("华", "中国")]


def test_a_model_place_ending_in_a_thing_is_none(match):
    assert match("公司在公有云市场面临竞争。", [("云市场", "GPE")]) == []
    assert match("我们发布星河云运维平台。", [("星河云运维平台", "GPE")]) == []


def test_a_notion_spelled_out_before_its_common_abbreviation_is_no_organisation(match):
    # 通用人工智能(AGI): a notion and its abbreviation; the abbreviation is not spread as its alias either
    text = "公司追逐通用人工智能(AGI)梦想,AGI是其目标。"
    assert match(text, [("通用人工智能", "ORG")]) == []
    assert [t for t, *_ in match("星河动力(XHDL)完成融资。", [("星河动力", "ORG")])] == ["星河动力", "XHDL"]


def test_a_person_whose_share_price_moves_is_a_listed_company(match):
    # a three-character stock name reads like a person's name; a share-price word after it, or after the
    # last name of its list, says it is a company
    got = match("盛新锂能涨超7%,奥特佳、藏格矿业涨停。", [("盛新锂能", "ORG"), ("奥特佳", "PERSON"), ("藏格矿业", "ORG")])
    assert [(t, lab) for t, lab, *_ in got] == [("盛新锂能", "ORG"), ("奥特佳", "ORG"), ("藏格矿业", "ORG")]
    assert [lab for _, lab, *_ in match("永茂泰在互动平台表示。", [("永茂泰", "PERSON")])] == ["ORG"]
    assert [lab for _, lab, *_ in match("王明、李华等人出席。", [("王明", "PERSON"), ("李华", "PERSON")])] == ["PERSON", "PERSON"]


def test_a_name_whose_share_price_moves_is_a_listed_company_even_without_the_model(match):
    got = match("中科环保跌超10%,永清环保跌逾9%,劲旅环境、中兰环保涨超5%。", [("中科环保", "ORG")])
    assert [(t, lab, r) for t, lab, _, _, r in got] == [
        ("中科环保", "ORG", "entity.model"), ("永清环保", "ORG", "entity.stock_move"),
        ("劲旅环境", "ORG", "entity.stock_move"), ("中兰环保", "ORG", "entity.org_suffix")]  # 中兰|环保: a trade word
    # indexes, futures, sectors and one common word are no company; the model's 恒指 is dropped there too
    assert match("黄金涨超1%,原油跌逾2%,沪镍期货主力跌超3%,银行股大涨。", []) == []
    assert match("恒指跌超2%。", [("恒指", "ORG")]) == []


def test_a_company_whose_word_the_dictionary_tags_as_a_name_is_not_a_description(match):
    got = match("西门子公司与三家公司签约。", [("西门子公司", "ORG"), ("三家公司", "ORG")])
    assert [(t, lab) for t, lab, *_ in got] == [("西门子公司", "ORG")]


def test_a_government_is_named_by_the_places_right_before_it(match):
    got = match("会上指出中国政府一贯反对，临时政府和地方政府，浙江省杭州市人民政府，克林顿政府。", [])
    assert [(t, lab, k) for t, lab, _, k, _ in got if lab == "ORG"] == [
        ("中国政府", "ORG", "regulator"), ("浙江省杭州市人民政府", "ORG", "regulator")]


def test_the_model_sets_the_left_edge_of_a_name_a_suffix_rule_ran_too_far_back_for(match):
    got = match("月初绿城集团公布季报。", [("绿城集团", "ORG")])
    assert [(t, lab, n) for t, lab, n, _, _ in got] == [("绿城集团", "ORG", "绿城集团")]


def test_a_unit_of_a_known_organisation_is_an_organisation_of_its_own(match):
    got = match("招商银行东直门支行和中国银行业协会发布报告。", [("招商银行东直门支行", "ORG"), ("中国银行业协会", "ORG")])
    assert [(t, lab, n) for t, lab, n, _, _ in got] == [("招商银行东直门支行", "ORG", "招商银行东直门支行"),
                                                        ("中国银行业协会", "ORG", "中国银行业协会")]
    # a unit needs its ending: a known name and a plain word stay apart
    got = match("招商银行今日公告。", [("招商银行今日", "ORG")])
    assert [(t, n) for t, _, n, _, _ in got] == [("招商银行", "招商银行")]
    # a news agency's bureau and a university's branch campus (分社, 分校)
    got = match("新华社广东分社与北京大学深圳分校联合发布。", [("新华社广东分社", "ORG"), ("北京大学深圳分校", "ORG")])
    assert [(t, lab) for t, lab, *_ in got] == [("新华社广东分社", "ORG"), ("北京大学深圳分校", "ORG")]
    assert ("新华社广东分社", "ORG") in [(t, lab) for t, lab, *_ in match("新华社广东分社报道。", None)]  # rules alone
    # an organisation's office in another place (驻…办事处, 驻…代表处)
    got = match("他曾在泸州市政府驻重庆办事处任职。", [("泸州市政府驻重庆办事处", "ORG")])
    assert [(t, lab) for t, lab, *_ in got] == [("泸州市政府驻重庆办事处", "ORG")]


def test_a_seat_or_form_in_brackets_belongs_to_the_company_name(match):
    got = match("星环信息科技(上海)股份有限公司、万达电影(集团)股份有限公司与全资子公司安琪酵母(新加坡)有限公司签约。", [])
    assert [(t, lab) for t, lab, *_ in got if lab == "ORG"] == [
        ("星环信息科技(上海)股份有限公司", "ORG"), ("万达电影(集团)股份有限公司", "ORG"), ("安琪酵母(新加坡)有限公司", "ORG")]
    # the place in brackets is no alias of the name before it, and a legal form alone is no name
    assert ("星环信息科技", "GPE") not in [(t, lab) for t, lab, *_ in got]
    assert not [t for t, *_ in match("上海)股份有限公司成立。", []) if t == "股份有限公司"]


def test_a_model_organisation_starts_after_a_market_or_category_word(match):
    got = match("据河钢集团消息，港股协鑫新能源跌超20%，机器人概念远大智能涨停。",
                [("据河钢集团", "ORG"), ("港股协鑫新能源", "ORG"), ("机器人概念远大智能", "ORG")])
    assert [t for t, lab, *_ in got if lab == "ORG"] == ["河钢集团", "协鑫新能源", "远大智能"]
    # a sector's 股 the segmenter glued to the unknown name after it (锂电|股璟|澜|科技)
    got = match("锂电股璟澜科技午后涨停。", [("锂电股璟澜科技", "ORG")])
    assert [t for t, lab, *_ in got if lab == "ORG"] == ["璟澜科技"]
    assert ("光伏股宝馨", "ORG") not in [(t, lab) for t, lab, *_ in match("光伏股宝馨科技一度触板。", None)]


def test_a_model_organisation_that_begins_in_an_amounts_unit_is_no_name(match):
    got = match("联创证券以8.5亿元竞得公司12%股份。", [("联创证券", "ORG"), ("元竞得公司", "ORG")])
    assert [t for t, lab, *_ in got if lab == "ORG"] == ["联创证券"]


def test_a_one_character_place_next_to_another_one(match):
    got = match("中日关系改善，红军转战赣、粤、闽，26日美国公布数据。",
                [("日", "GPE"), ("赣", "GPE"), ("粤", "GPE"), ("闽", "GPE"), ("日", "GPE")])
    assert [(t, n) for t, lab, n, *_ in got if lab == "GPE" and len(t) == 1] == [
        ("日", "日本"), ("赣", "江西"), ("粤", "广东"), ("闽", "福建")]  # not the 日 of 26日


def test_a_name_that_ends_in_a_legal_form_is_no_description(match):
    got = match("他曾任新疆风能有限责任公司总经理。", [("新疆风能有限责任公司", "ORG")])
    assert [(t, lab) for t, lab, *_ in got] == [("新疆风能有限责任公司", "ORG")]


def test_a_place_inside_a_common_word_is_no_place(match):
    got = match("发展中国家的经济增长，减少250亿挪威克朗，挪威央行发布报告。", [])
    # not the 中国 of 发展中国家 nor the 挪威 of 挪威克朗; the 挪威 of 挪威央行 names that central bank
    assert [(t, lab) for t, lab, *_ in got if lab == "GPE"] == []
    assert ("挪威央行", "ORG", "挪威央行") in [x[:3] for x in got]


def test_a_known_organisation_its_places_and_a_branch_unit_are_one_branch(match):
    got = match("工商银行深圳分行和人民银行成都分行发布通知，建设银行表示支持。", [])
    assert [(t, n) for t, lab, n, *_ in got] == [("工商银行深圳分行", "工商银行深圳分行"),
                                                 ("人民银行成都分行", "人民银行成都分行"), ("建设银行", "中国建设银行")]


def test_places_before_a_known_company_and_a_suffix_name_run_on_to_a_legal_form(match):
    got = match("宁波高瓴、珠海高瓴减持，中国南水北调集团水务投资有限公司成立，美国SEC表示。",
                [("宁波高瓴", "ORG"), ("珠海高瓴", "ORG"), ("中国南水北调集团水务投资有限公司", "ORG"), ("美国SEC", "ORG")])
    assert [(t, lab, n) for t, lab, n, _, _ in got] == [
        ("宁波高瓴", "ORG", "宁波高瓴"), ("珠海高瓴", "ORG", "珠海高瓴"),
        ("中国南水北调集团水务投资有限公司", "ORG", "中国南水北调集团水务投资有限公司"),
        ("美国", "GPE", "美国"), ("SEC", "ORG", "美国证券交易委员会")]  # a regulator's place only says which one


def test_a_company_with_a_role_after_it_or_a_form_in_brackets_is_a_name(match):
    got = match("他曾任上海船舶工业公司党委副书记、江南造船(集团)有限责任公司董事长；三家公司签约。",
                [("上海船舶工业公司", "ORG"), ("江南造船(集团)有限责任公司", "ORG"), ("三家公司", "ORG")])
    assert [t for t, lab, *_ in got if lab == "ORG"] == ["上海船舶工业公司", "江南造船(集团)有限责任公司"]


def test_international_organisations_and_their_bodies(match):
    got = match("联合国安理会、亚太经合组织和国际货币基金组织(IMF)发表声明。", [("联合国安理会", "ORG")])
    assert [(t, n, k) for t, _, n, k, _ in got] == [
        ("联合国安理会", "联合国安理会", "international"), ("亚太经合组织", "亚太经济合作组织", "international"),
        ("国际货币基金组织", "国际货币基金组织", "international"), ("IMF", "国际货币基金组织", "international")]


def test_a_word_the_model_tags_at_most_half_of_its_places_is_dropped_everywhere(match):
    text = "毛利下降。毛利率上升,毛利表示。毛利"
    assert match(text, [(0, 2, "PERSON"), (11, 13, "PERSON")]) == []  # 2 of 4 places
    got = match("周立新表示,周立新认为。", [(0, 3, "PERSON"), (6, 9, "PERSON")])  # 2 of 2
    assert [r for *_, r in got] == ["entity.model", "entity.model"]


def test_descriptions_begun_by_a_function_word_or_ended_by_a_common_latin_noun_are_not_names(match):
    assert match("未商业化公司的估值下降。", [("未商业化公司", "ORG")]) == []
    assert match("它是港股AGI第一股。", [("港股AGI", "ORG")]) == []
    assert [t for t, *_ in match("星河AI完成融资。", [("星河AI", "ORG")])] == []
    assert [t for t, *_ in match("星河动力科技完成融资。", [("星河动力科技", "ORG")])] == ["星河动力科技"]


def test_a_person_that_begins_with_a_filing_word_is_that_word(match):
    assert match("该等陈述乃根据法案作出。", [("陈述乃", "PERSON")]) == []


# aliases and propagation run over the rules and the model together ----------------------------------

def test_a_model_name_is_propagated_and_gives_its_norm_to_a_bracketed_alias(match):
    text = "星河动力(Galactic)完成融资。星河动力表示,星河动力将上市。"
    got = match(text, [(0, 4, "ORG"), (26, 30, "ORG")])  # tagged at 2 of its 3 places
    assert [(t, n, r) for t, _, n, _, r in got] == [("星河动力", "星河动力", "entity.model"),
                                                    ("Galactic", "星河动力", "entity.paren_alias"),
                                                    ("星河动力", "星河动力", "entity.propagated"),
                                                    ("星河动力", "星河动力", "entity.model")]


def test_a_stock_code_in_brackets_is_no_alias(match):
    for code in ("SZ.002718", "HK00700", "sh600519"):
        text = f"星河动力({code})披露定增预案。"
        assert [t for t, *_ in match(text, [(0, 4, "ORG")])] == ["星河动力"], code


def test_a_registered_name_takes_the_norm_of_its_head_found_in_another_sentence(match):
    text = "宏硕精密工业股份有限公司(6789)今日召开法说会。宏硕精密董事长王志远表示,营收可望成长。"
    got = match(text, [("宏硕精密工业股份有限公司", "ORG"), ("宏硕精密", "ORG")])
    assert [(t, n) for t, lab, n, *_ in got if lab == "ORG"] == [("宏硕精密工业股份有限公司", "宏硕精密"),
                                                                ("宏硕精密", "宏硕精密")]


def test_a_registered_name_takes_the_norm_of_the_short_name_defined_after_it(match):
    text = "嘉兴鼎泰宏图股份有限公司(以下简称“鼎泰宏图”)今日公告。鼎泰宏图主营新材料。"
    got = match(text, [(0, 12, "ORG")])  # the model found neither short name
    assert [(t, n, r) for t, _, n, _, r in got] == [
        ("嘉兴鼎泰宏图股份有限公司", "鼎泰宏图", "entity.org_suffix"), ("鼎泰宏图", "鼎泰宏图", "entity.short_name"),
        ("鼎泰宏图", "鼎泰宏图", "entity.short_name")]
    text = "本公司宣布,恒裕国际控股有限公司(「恒裕国际」)已完成收购。"  # a Hong Kong filing's defined term
    got = match(text, [("恒裕国际控股有限公司", "ORG"), ("恒裕国际", "ORG")])
    assert [(t, n) for t, _, n, _, _ in got] == [("恒裕国际控股有限公司", "恒裕国际"), ("恒裕国际", "恒裕国际")]
    text = "公司拟购买天全福鞍碳材料科技有限公司(以下简称天全福鞍)的股权。"  # an alias that had the long norm
    got = match(text, [("天全福鞍碳材料科技有限公司", "ORG")])
    assert [(t, n) for t, _, n, _, _ in got] == [("天全福鞍碳材料科技有限公司", "天全福鞍"), ("天全福鞍", "天全福鞍")]


def test_a_defined_role_is_no_short_name(match):
    text = "嘉兴鼎泰新材料股份有限公司(以下简称“公司”)与宁波拓维有限公司(以下简称“目标公司”)签约。"
    got = match(text, [("嘉兴鼎泰新材料股份有限公司", "ORG"), ("宁波拓维有限公司", "ORG")])
    assert [(t, n) for t, _, n, _, _ in got] == [("嘉兴鼎泰新材料股份有限公司", "嘉兴鼎泰新材料股份有限公司"),
                                                 ("宁波拓维有限公司", "宁波拓维有限公司")]


def test_a_registered_name_and_its_short_name_in_one_text_share_the_short_norm(match):
    text = "苏州恒越宏达有限公司成立于2010年,恒越宏达主营精密零部件。"
    got = match(text, [("苏州恒越宏达有限公司", "ORG"), ("恒越宏达", "ORG")])
    assert [(t, n) for t, _, n, _, _ in got] == [("苏州恒越宏达有限公司", "恒越宏达"), ("恒越宏达", "恒越宏达")]
    got = match(text, [("苏州恒越宏达有限公司", "ORG")])  # the short name found from the registered one
    assert [(t, n, r) for t, _, n, _, r in got] == [("苏州恒越宏达有限公司", "恒越宏达", "entity.org_suffix"),
                                                    ("恒越宏达", "恒越宏达", "entity.short_name")]
    text = "宁波拓维精密机械股份有限公司发布公告,拓维精密拟募资12亿元。"  # its first characters
    got = match(text, [("宁波拓维精密机械股份有限公司", "ORG")])
    assert [(t, n) for t, _, n, _, _ in got] == [("宁波拓维精密机械股份有限公司", "拓维精密"), ("拓维精密", "拓维精密")]


def test_a_known_company_inside_a_registered_name_is_another_company(match):
    text = "中国石油化工股份有限公司与中国石油签署协议,石油化工行业回暖。"
    got = match(text, [("中国石油化工股份有限公司", "ORG")])
    assert ("中国石油化工股份有限公司", "中国石油化工股份有限公司") in [(t, n) for t, _, n, _, _ in got]
    assert "石油化工" not in [t for t, *_ in got]  # its head begins with a common word


def test_a_listed_name_before_a_price_move_replaces_a_model_place_at_its_start(match):
    text = "午后柏川宏图、恒越科创跌逾5%。"  # the list after a time word, the model reading 柏川 as a place
    got = match(text, [("柏川", "GPE"), ("恒越科创", "ORG")])
    assert [(t, lab, r) for t, lab, _, _, r in got] == [("柏川宏图", "ORG", "entity.stock_move"),
                                                        ("恒越科创", "ORG", "entity.model")]
    text = "日本、恒越精工跌逾5%。"  # a place that is the whole item stays a place
    assert ("日本", "GPE") in [(t, lab) for t, lab, *_ in match(text, [("日本", "GPE")])]


def test_names_listed_with_organisations_are_organisations(match):
    text = "爱立信、阿朗、诺西、中兴等业绩下滑。"  # the model read two of the companies as a place and a person
    got = match(text, [("爱立信", "ORG"), ("阿朗", "GPE"), ("诺西", "PERSON")])
    assert [(t, lab) for t, lab, *_ in got] == [("爱立信", "ORG"), ("阿朗", "ORG"), ("诺西", "ORG"), ("中兴", "ORG")]
    text = "联泓新科、方大集团、同力日升、科华数据等一度触板。"  # an item the model cut short
    got = match(text, [("联泓新科", "ORG"), ("方大集团", "ORG"), ("力日升", "PERSON")])
    assert ("同力日升", "ORG") in [(t, lab) for t, lab, *_ in got]
    text = "恒越资本、鼎泰宏图、柏川医疗参与认购。"  # an item nothing found, between two organisations
    got = match(text, [("恒越资本", "ORG"), ("柏川医疗", "ORG")])
    assert [(t, lab, r) for t, lab, _, _, r in got][1] == ("鼎泰宏图", "ORG", "entity.listed_with")


def test_a_list_of_places_or_people_or_things_is_left_alone(match):
    got = match("张伟、李娜、王强出席会议。", [("张伟", "PERSON"), ("李娜", "PERSON"), ("王强", "PERSON")])
    assert {lab for _, lab, *_ in got} == {"PERSON"}
    got = match("日本、韩国、恒越资本、鼎泰新材参展。", [("恒越资本", "ORG"), ("鼎泰新材", "ORG")])
    assert [(t, lab) for t, lab, *_ in got][:2] == [("日本", "GPE"), ("韩国", "GPE")]  # known places
    got = match("恒越资本、黄金、原油、鼎泰新材。", [("恒越资本", "ORG"), ("鼎泰新材", "ORG")])
    assert [t for t, *_ in got] == ["恒越资本", "鼎泰新材"]  # market words and common words are no names


def test_a_model_place_before_a_suffix_word_is_an_organisation_named_with_it(match):
    text = "其一致行动人三峡资本拟减持。"
    assert [(t, lab) for t, lab, *_ in match(text, [("三峡", "GPE")])] == [("三峡资本", "ORG")]
    text = "李明集团宣布。"
    assert [(t, lab) for t, lab, *_ in match(text, [("李明", "PERSON")])] == [("李明集团", "ORG")]


def test_a_model_organisation_ends_before_an_adverb_and_a_verb(match):
    text = "恒越资本、启明星创投联合领投,中国联合网络通信集团跟投。"
    got = match(text, [("恒越资本", "ORG"), ("启明星创投联合领投", "ORG"), ("中国联合网络通信集团", "ORG")])
    assert [t for t, *_ in got] == ["恒越资本", "启明星创投", "中国联合网络通信集团"]  # 联合 inside a name stays


def test_a_common_word_and_a_weak_suffix_name_a_company_that_acts(match):
    assert [(t, r) for t, _, _, _, r in match("星辰光电发布半年报。", None)] == [("星辰光电", "entity.org_suffix")]
    assert ("远景资本", "ORG") in [(t, lab) for t, lab, *_ in match("据悉,远景资本已向港交所递交申请。", None)]
    assert match("国家星辰光电产业园。", None) == []  # no break before it, nothing a company does after it
    assert "商业银行" not in [t for t, *_ in match("。商业银行表示将加大放贷。", None)]  # a dictionary word


def test_a_name_between_ju_and_what_a_company_publishes_is_an_organisation(match):
    # 据恒越|精工: the segmenter glued 据 to the unknown name
    assert [(t, lab) for t, lab, *_ in match("据恒越精工披露,其营收增长。", None)] == [("恒越精工", "ORG")]
    assert [(t, lab) for t, lab, *_ in match("根据鼎泰新材公告,公司将扩产。", None)] == [("鼎泰新材", "ORG")]
    assert "张伟" not in [t for t, lab, *_ in match("据张伟披露,公司将上市。", None) if lab == "ORG"]  # a person
    assert match("据悉,公司将上市。", None) == []


def test_a_model_partnership_run_into_its_form_in_brackets_ends_before_it(match):
    text = "宁波鼎盛股权投资基金合伙企业(有限合伙)认购股份。"
    assert [(t, lab) for t, lab, *_ in match(text, [(0, 19, "ORG")])] == [("宁波鼎盛股权投资基金合伙企业", "ORG")]


def test_a_partnership_is_named_without_its_form_in_brackets(match):
    text = "控股股东为珠海云帆投资合伙企业(有限合伙)(以下简称“云帆投资”),审计机构为立信中联会计师事务所(特殊普通合伙)。"
    got = [(t, n) for t, lab, n, *_ in match(text, None)]
    assert got == [("珠海云帆投资合伙企业", "云帆投资"), ("云帆投资", "云帆投资"), ("立信中联会计师事务所", "立信中联会计师事务所")]


def test_a_han_name_with_the_ky_mark_is_a_listed_company(match):
    got = match("晶创-KY公告第三季营收年增18%。", None)
    assert [(t, lab, n) for t, lab, n, *_ in got] == [("晶创-KY", "ORG", "晶创-KY")]
    assert "KY" not in "".join(t for t, *_ in match("全新KYC流程上线。", None))  # no Han name right before


def test_a_registered_name_after_a_glued_preposition_and_a_name_ending_in_ben(match):
    got = match("根据收购守则,要约人为汇信资本有限公司,其由陈先生全资拥有。", None)  # 要约|人为|汇信|资本|有限公司
    assert ("汇信资本有限公司", "ORG") in [(t, lab) for t, lab, *_ in got]
    assert [t for t, *_ in match("公司将其有限公司股权转让。", None)] == []  # a determiner before the suffix
    for text in ("投资价值占本集团总资产的一成。", "下表呈列本集团的其他亏损净额。", "乃因本集团于各报告期末并无盈利。"):
        assert [t for t, *_ in match(text, None)] == [], text  # 本集团 glued to the word before it


def test_a_defined_short_name_replaces_a_model_guess_inside_it(match):
    text = "华盛金融控股有限公司(「华盛金融」)与新鸿港资本订立认购协议。"
    got = match(text, [("华盛金融控股有限公司", "ORG"), ("华盛", "PERSON")])
    assert [(t, lab, n) for t, lab, n, *_ in got][:2] == [("华盛金融控股有限公司", "ORG", "华盛金融"),
                                                          ("华盛金融", "ORG", "华盛金融")]


def test_a_place_and_a_rare_word_before_what_a_company_does_are_a_company(match):
    for text, name in (("深圳鼎盛宣布完成B轮融资。", "深圳鼎盛"), ("苏州恒越股价大涨。", "苏州恒越"),
                       ("北京鼎盛科技宣布上市。", "北京鼎盛科技")):
        assert [(t, lab) for t, lab, *_ in match(text, None)] == [(name, "ORG")], text
    for text in ("香港市民表示支持。", "上海车企宣布降价。", "上海楼市成交量上涨。"):  # common words, a kind, no act
        assert all(lab == "GPE" for _, lab, *_ in match(text, None)), text


def test_a_trade_word_ends_a_name_only_after_an_unknown_word_where_the_name_ends(match):
    for text, name in (("璟川电气中标国家电网项目。", "璟川电气"), ("批复同意安屹保险在广东设立分公司。", "安屹保险"),
                       ("其旗下产品增持了谦屿食品和湘麓农业。", "谦屿食品"), ("筑源建工公告,公司中标。", "筑源建工"),
                       ("驰远汽车、锐能电驱及宁川锂电涨超5%。", "锐能电驱")):
        assert (name, "ORG") in [(t, lab) for t, lab, *_ in match(text, None)], text
    for text, name in (("保荐机构为泓远国际旗下的泓远证券。", "泓远国际"), ("高盛将辰汐文旅目标价下调。", "辰汐文旅"),
                       ("宣布与晶澔材料合资建厂。", "晶澔材料"), ("核准稳盛金控以每股32元收购。", "稳盛金控")):
        # a function character glued to the name (为泓远|国际, 与晶|澔|材料); a suffix the segmenter keeps whole (金控)
        assert (name, "ORG") in [(t, lab) for t, lab, *_ in match(text, None)], text
    assert "医疗" not in "".join(t for t, *_ in match("产品由璟川医疗器械生产。", None))  # the name goes on: 医疗器械
    got = match("双方将于大湾区合资兴建冷链物流中心。", None)
    assert [(t, lab) for t, lab, *_ in got] == [("大湾区", "GPE")]  # trade words before a site's word
    assert "限售股份" not in [t for t, *_ in match("其余限售股份由青岫资本持有。", None)]  # a kind of share
    text = "宁波璟川电气中标。"  # a place before it is part of the name; another unknown word before it, none
    assert [(t, lab) for t, lab, *_ in match(text, None)] == [("宁波璟川电气", "ORG")]
    for text in ("智慧医疗业务的客户留存率下降。", "基本养老保险个人账户基金托管。", "技术研发类及物流供应链岗位。",
                 "一遇国际官司就会受到影响。", "被视为通往更强智能的必经之路。", "行业努力多年,但大环境仍在变。"):
        assert [t for t, lab, *_ in match(text, None) if lab == "ORG"] == [], text
    text = "印尼农业部长贾斯蒂卡最近披露。"  # a trade word inside a model organisation is no generic part
    assert ("印尼农业部", "ORG") in [(t, lab) for t, lab, *_ in match(text, [(0, 5, "ORG")])]


def test_market_commentary_a_longer_word_a_former_employer_and_a_title_are_no_names(match):
    for text in ("股价大涨,盘中一度触及涨停。", "中概股周五夜盘普遍收跌。", "新车交付量突破1万辆,带动公司股价上涨6%。",
                 "受此消息提振,该股当日午后直线拉升至涨停。"):
        assert [t for t, lab, *_ in match(text, None) if lab == "ORG"] == [], text
    assert "心动公司" in [t for t, *_ in match("网易涨3.6%,心动公司涨超2%。", None)]  # common words may name one
    assert [t for t, *_ in match("要求公司说明控股股东资金占用情况。", None)] == []  # 控股|股东
    got = match("董事会聘任前宁澜银行副行长罗静怡为副总经理。", None)
    assert ("宁澜银行", "ORG") in [(t, lab) for t, lab, *_ in got]  # not 前宁澜银行: the former employer
    for text in ("集团旗下产业基金拟收购该公司51%股权。", "险资和私募基金近期频繁调研。"):  # a kind of fund, no name
        assert [t for t, lab, *_ in match(text, None) if lab == "ORG"] == [], text
    text = "本轮由高岭创投领投,上海市生物医药产业基金跟投。"  # a government fund's own name stays one
    got = match(text, [("上海市生物医药产业基金", "ORG")])
    assert ("上海市生物医药产业基金", "ORG") in [(t, lab) for t, lab, *_ in got]
    got = match("青岫资本创始合伙人郑慧敏此前任职券商。", [(0, 6, "ORG")])
    assert ("青岫资本", "ORG") in [(t, lab) for t, lab, *_ in got]  # 创始合伙人 is a title
    assert match("沪指重回3400点。", [(0, 2, "ORG")]) == []  # an index


def test_a_determiner_after_a_preposition_is_no_person(match):
    assert "于本" not in [t for t, *_ in match("于本公告日期,公司由陈先生全资拥有。", [(0, 2, "PERSON")])]


def test_a_defined_short_name_the_model_read_as_a_person_is_the_company(match):
    text = "湖南澍禾实业集团有限公司(以下简称“澍禾”)与景曜物流签署协议,澍禾将以14亿元受让股权。"
    got = match(text, [("澍禾", "PERSON"), ("澍禾", "PERSON")])
    assert [(t, lab, n) for t, lab, n, *_ in got if t == "澍禾"] == [("澍禾", "ORG", "澍禾")] * 2
    assert ("湖南澍禾实业集团有限公司", "ORG", "澍禾") in [(t, lab, n) for t, lab, n, *_ in got]


def test_a_rare_name_cut_before_its_last_character_and_its_latin_name_in_brackets(match):
    text = "美国私募巨头奥斯特林资本(Osterlin Capital)收购该业务。"  # 奥斯特|林|资本
    got = [(t, lab, n) for t, lab, n, *_ in match(text, None)]
    assert ("奥斯特林资本", "ORG", "奥斯特林资本") in got and ("Osterlin Capital", "ORG", "奥斯特林资本") in got
    text = "澄曜智能(Chengyao Intelligence)宣布完成收购。"  # the Latin name takes the Chinese one's norm
    got = [(t, n) for t, _, n, *_ in match(text, [("澄曜智能", "ORG")])]
    assert got == [("澄曜智能", "澄曜智能"), ("Chengyao Intelligence", "澄曜智能")]
    assert "中国硬科技" not in [t for t, *_ in match("为中国硬科技创业提供了思考。", None)]  # a place, no name
    # a name cut into two single characters, one of which the dictionary tags as a place (澜|韬|科技)
    assert [(t, lab) for t, lab, *_ in match("澜韬科技表示,营收成长。", [("澜韬", "PERSON")])] == [("澜韬科技", "ORG")]


def test_a_place_the_model_finds_with_shi_or_sheng_has_its_norm_without_them(match):
    got = match("公司拟在安徽省滁州市建设项目。", [("安徽省", "GPE"), ("滁州市", "GPE")])
    assert [(t, n) for t, _, n, *_ in got] == [("安徽省", "安徽"), ("滁州市", "滁州")]


def test_a_character_glued_to_a_name_or_a_kind_before_it_is_no_part_of_it(match):
    text = "交易完成后鹭川精密将纳入合并报表。"  # 完成|后鹭川|精密
    assert [(t, lab) for t, lab, *_ in match(text, [("后鹭川精密", "ORG")])] == [("鹭川精密", "ORG")]
    text = "网通厂讯嵘科技与客户签约。"  # a kind of company before the name
    got = match(text, [("网通厂讯嵘科技", "ORG")])
    assert ("讯嵘科技", "ORG") in [(t, lab) for t, lab, *_ in got]
    assert [t for t, *_ in match("于开曼群岛注册成立为获豁免有限公司。", None) if t.endswith("公司")] == []
    assert [(t, lab) for t, lab, *_ in match("交易完成后鹭川精密将纳入报表。", None)] == [("鹭川精密", "ORG")]
    got = match("本公司之核数师为信澧会计师事务所有限公司。", None)  # a firm's role ends the name on the left
    assert [(t, lab) for t, lab, *_ in got] == [("信澧会计师事务所有限公司", "ORG")]


def test_a_kind_of_company_before_a_titled_person_s_organisation_is_no_part_of_it(match):
    got = match("IC设计厂瑞仑科技董事长林冠廷表示,订单增加。", None)  # 设计|厂瑞仑|科技: the kind and a glued 厂
    assert ("瑞仑科技", "ORG") in [(t, lab) for t, lab, *_ in got]
    got = match("面板厂友达光电董事长彭双浪表示,需求回温。", None)
    assert ("友达光电", "ORG") in [(t, lab) for t, lab, *_ in got]


def test_organs_and_market_words_are_no_names(match):
    assert match("董事会宣布委任新董事。", [("董事会", "ORG")]) == []
    assert match("沪铜主力合约夜盘涨1.2%。", [("沪铜主力合约夜盘", "ORG")]) == []
    assert match("创业板指涨1.35%。", [("创业板指", "ORG")]) == []


def test_a_list_ending_in_a_kind_of_company_names_companies(match):
    text = "被动元件族群走强,禾钰、宏崧、晶聿等中小型股同步涨停。"
    got = match(text, [("禾钰", "PERSON"), ("宏崧", "PERSON"), ("晶聿", "PERSON")])
    assert [(t, lab) for t, lab, *_ in got] == [("禾钰", "ORG"), ("宏崧", "ORG"), ("晶聿", "ORG")]
    got = match("张伟、李娜等人出席。", [("张伟", "PERSON"), ("李娜", "PERSON")])  # people stay people
    assert {lab for _, lab, *_ in got} == {"PERSON"}


def test_two_characters_with_no_surname_that_act_as_a_company_are_one(match):
    for text, name in (("被动元件厂禾泰今日公布9月营收。", "禾泰"), ("对于市场传闻,屹川回应称不存在股权关系。", "屹川"),
                       ("与达晟签约后,昱科将成为其独家供应商。", "达晟")):
        got = match(text, [(text.index(name), text.index(name) + 2, "PERSON")])
        assert (name, "ORG") in [(t, lab) for t, lab, *_ in got], text
    got = match("王强今日公布了调查结果。", [(0, 2, "PERSON")])  # a surname: a person
    assert ("王强", "PERSON") in [(t, lab) for t, lab, *_ in got]
    for text in ("董事长赖清表示,订单饱满。", "财务长翁岚回应称,毛利率回升。", "副总裁邝森表示,需求回暖。"):
        # surnames of Taiwan and Hong Kong names are surnames too (赖, 翁, 邝)
        got = match(text, [(3, 5, "PERSON")])
        assert (text[3:5], "PERSON") in [(t, lab) for t, lab, *_ in got], text


def test_a_ky_name_before_its_stock_code_keeps_its_mark(match):
    got = match("台股今日开高走低,荣硕-KY(6893)则重挫逾5%。", None)
    assert ("荣硕-KY", "ORG") in [(t, lab) for t, lab, *_ in got] and "KY" not in [t for t, *_ in got]


def test_short_names_listed_with_a_company_the_rules_found_are_companies(match):
    text = "电动车供应链方面,茂晟、昶宏-KY与宇硕同步走强。"
    got = match(text, [("茂晟", "PERSON"), ("宇硕", "PERSON")])
    assert [(t, lab) for t, lab, *_ in got] == [("茂晟", "ORG"), ("昶宏-KY", "ORG"), ("宇硕", "ORG")]


def test_a_known_company_with_a_seat_in_brackets_is_another_company(match):
    text = "浙江岷丰新材料股份有限公司(以下简称“岷丰新材”)拟向全资子公司岷丰新材(江西)有限公司增资。"
    s = text.index("岷丰新材(")
    got = match(text, [(0, 13, "ORG"), (s, s + 13, "ORG")])
    assert ("岷丰新材(江西)有限公司", "岷丰新材(江西)有限公司") in [(t, n) for t, _, n, *_ in got]


# the real pipeline, with the shipped model ------------------------------------------------------------

def test_the_default_pipeline_runs_the_model(pipeline):
    record = pipeline("周立新表示,星河动力已完成新一轮融资。金山云CEO王育林宣布募资约28亿港元。")
    by_text = {e.text: e for e in record.entities}
    assert by_text["周立新"].rule == "entity.model" and by_text["周立新"].label == "PERSON"
    assert by_text["金山云"].rule == "entity.gazetteer" and by_text["王育林"].rule == "entity.person_after_title"


def test_places_before_a_registered_name_are_part_of_it(match):
    got = match("广州白云山天心制药股份有限公司发布公告。", [("白云山天心制药股份有限公司", "ORG")])
    assert got[0][:2] == ("广州白云山天心制药股份有限公司", "ORG") and got[0][2] == "广州白云山天心制药股份有限公司"
    assert [t for t, *_ in got].count("广州") == 0
    # without a legal form the place stays apart: a place next to an organisation
    assert ("美国", "GPE", "美国", "place", "entity.gazetteer") in match("美国SEC表示,", [])


def test_a_model_person_before_a_word_only_a_company_has_is_a_company(match):
    got = match("贝莱德董事会批准了该计划。", [("贝莱德", "PERSON")])
    assert got[0][:2] == ("贝莱德", "ORG")
    got = match("李明估值这家公司时很谨慎。", [("李明", "PERSON")])  # 估值 is also a verb
    assert got[0][:2] == ("李明", "PERSON")


@pytest.mark.parametrize("text,name", [
    ("恒生指数收市跌1.2%。", "恒生指数收市"),   # an index inside
    ("恒生科技指数跌2.3%。", "恒生科技"),       # an index right after
    ("港股科网股走强。", "科网"),               # a sector's shares
])
def test_an_index_or_a_sector_is_no_organisation(match, text, name):
    assert [g for g in match(text, [(name, "ORG")]) if g[0] == name] == []


@pytest.mark.parametrize("text,name", [
    ("中证指数有限公司发布公告。", "中证指数有限公司"),  # a company that runs indexes
    ("网络股指数ETF涨约5.1%。", "网络股指数ETF"),        # a fund
    ("星河动力股价上涨。", "星河动力"),                  # a company's share price
])
def test_a_company_with_an_index_or_share_word_stays(match, text, name):
    assert [g[:2] for g in match(text, [(name, "ORG")]) if g[0] == name] == [(name, "ORG")]


def test_a_security_after_a_company_is_cut_off(match):
    assert match("联电ADR下跌1.1%。", [("联电ADR", "ORG")])[0][:2] == ("联电", "ORG")


# registered names, word edges and the ends of model names ------------------------------------------------

def test_a_registered_name_that_begins_with_a_known_company_is_one_organisation(rule_entities):
    """The longest name wins (GUIDELINES: no nesting): a legal form after a known company and words of its own
    is another name, its text the norm; only suffixes after it keep the known norm."""
    assert rule_entities("小米通讯技术有限公司发布声明。")[0] == (
        "小米通讯技术有限公司", "ORG", "小米通讯技术有限公司", "entity.org_suffix")
    assert rule_entities("小米科技有限责任公司发布声明。")[0][1:3] == ("ORG", "小米")
    # not across another known name, nor without a legal form
    assert [x[0] for x in rule_entities("小米集团与金山云合资公司成立。")][:2] == ["小米集团", "金山云"]


def test_a_known_company_inside_another_dictionary_word_is_not_found_there(rule_entities):
    """京东 is a known company; in 京东方 (a word of jieba's dictionary) it is the first half of another name."""
    got = rule_entities("京东方科技集团股份有限公司公告称,京东发布财报。")
    assert ("京东方科技集团股份有限公司", "ORG") in [x[:2] for x in got]
    assert [x[0] for x in got].count("京东") == 1


def test_a_model_organisation_ends_before_a_time_word_or_a_verb_and_starts_after_a_rating_verb(rule_entities):
    got = rule_entities("新鸿基地产上半年基础溢利下跌。", [(0, 12, "ORG")])
    assert got[0][:2] == ("新鸿基地产", "ORG")
    got = rule_entities("长江基建联手竞投英国电网资产。", [(0, 12, "ORG")])
    assert got[0][:2] == ("长江基建", "ORG")
    text = "东方财富证券发布研报,上调迈瑞医疗目标价。"
    got = rule_entities(text, [(text.index("上调"), text.index("目标"), "ORG")])
    assert ("迈瑞医疗", "ORG") in [x[:2] for x in got] and "上调迈瑞医疗" not in [x[0] for x in got]


def test_a_model_span_that_cuts_a_latin_word_is_dropped(rule_entities):
    text = "软银集团计划出售部分T-Mobile股份。"
    got = rule_entities(text, [(text.index("Mobile"), text.index("。"), "ORG")])
    assert [x[0] for x in got] == ["软银集团"]
    text = "03沙尔克04vs曼城"  # a letter after digits may begin a word
    assert ("沙尔克04", "ORG") in [x[:2] for x in rule_entities(text, [(2, 7, "ORG")])]


def test_a_model_organisation_ending_in_a_quote_verb_before_a_price_ends_before_it(rule_entities):
    text = "截至收盘,宏景智能报每股12.5元。"
    got = rule_entities(text, [(text.index("宏"), text.index("每"), "ORG")])
    assert [x[:2] for x in got] == [("宏景智能", "ORG")]
    text = "宏景智能收报12.5元,涨3%。"
    assert [x[:2] for x in rule_entities(text, [(0, 6, "ORG")])] == [("宏景智能", "ORG")]
    text = "澳门日报12元一份。"  # the 报 of a newspaper's name is no quote verb
    assert [x[:2] for x in rule_entities(text, [(0, 4, "ORG")])] == [("澳门日报", "ORG")]


def test_an_acronym_after_a_kind_of_organisation_is_its_name_not_the_kind_with_it(rule_entities):
    text = "市场研究机构IDC的最新数据显示,华为出货量居首。"
    assert ("IDC", "ORG") in [x[:2] for x in rule_entities(text, [])]
    text = "咨询公司BCG称,行业增速放缓。"  # the model's 咨询公司BCG: the rules' BCG instead
    assert [x[:2] for x in rule_entities(text, [(0, 7, "ORG")])] == [("BCG", "ORG")]
    text = "公司GMP认证已经完成。"  # the short kinds are followed by terms: no name at all
    assert rule_entities(text, [(0, 5, "ORG")]) == []
    text = "投资机构QFII额度提升。"
    assert rule_entities(text, []) == []


def test_a_model_place_with_a_companys_ending_is_a_company(rule_entities):
    got = rule_entities("九龙仓置业收租业务稳定。", [(0, 5, "GPE")])
    assert got[0][:2] == ("九龙仓置业", "ORG")


def test_industry_words_end_names_but_not_a_places_industry(rule_entities):
    """`org_suffixes_industry`: weak suffixes after a name of its own (新鸿基地产), never after places alone
    (中国汽车的话题), unless a role follows (a role is held in a company: 山东航空副董事长)."""
    assert ("新鸿基地产", "ORG") in [x[:2] for x in rule_entities("新鸿基地产派发特别股息。")]
    assert "中国汽车" not in [x[0] for x in rule_entities("最近,丰田与中国汽车的话题也不少。")]
    assert ("山东航空", "ORG") in [x[:2] for x in rule_entities("他兼任山东航空副董事长。")]


def test_a_model_registered_name_wins_over_the_suffix_rules_guesses_inside_it(rule_entities):
    text = "他曾在上海圣博华康投资管理有限公司工作。"
    got = rule_entities(text, [(text.index("上海"), text.index("工作"), "ORG")])
    assert ("上海圣博华康投资管理有限公司", "ORG", "entity.model") in [(x[0], x[1], x[3]) for x in got]
    text = "北京鹏龙星徽汽车销售服务有限公司发布公告。"
    got = rule_entities(text, [(0, text.index("发布"), "ORG")])
    assert [x[0] for x in got] == ["北京鹏龙星徽汽车销售服务有限公司"]
    # a model span that runs back over a stop word before the rule's registered name keeps the rule's start
    text = "ST新海:参股公司陕西通家汽车股份有限公司签订备忘录。"
    got = rule_entities(text, [(text.index("公司"), text.index("签订"), "ORG")])
    assert ("陕西通家汽车股份有限公司", "ORG") in [x[:2] for x in got]


def test_a_model_place_before_an_industry_word_is_a_company(rule_entities):
    text = "银河娱乐第三季盈利上升。"
    assert rule_entities(text, [(0, 2, "GPE")])[0][:2] == ("银河娱乐", "ORG")
    text = "中国汽车市场回暖。"  # a known place before a noun
    assert ("银河娱乐", "ORG") not in [x[:2] for x in rule_entities(text, [(0, 2, "GPE")])]
    assert rule_entities(text, [(0, 2, "GPE")])[0][:2] == ("中国", "GPE")


def test_a_generic_noun_after_a_description_on_word_edges_is_no_name(rule_entities):
    text = "高瓴资本领投一家生物科技公司的B轮融资。"
    got = rule_entities(text, [(text.index("生物"), text.index("的"), "ORG")])
    assert [x[0] for x in got] == ["高瓴资本"]


@pytest.mark.parametrize("text,name", [
    ("1998年于同济大学工程学研究生班学习。", "同济大学"),
    ("他1997年至今牡丹江水泥集团有限责任公司总经理。", "牡丹江水泥集团有限责任公司"),
    ("女士在本公司控股股东巨田证券有限公司任财务总监。", "巨田证券有限公司"),
    ("据东海广电网络集团负责人介绍,用户增长较快。", "东海广电网络集团"),
    ("根据华夏幸福基业股份有限公司的公告,公司拟出售资产。", "华夏幸福基业股份有限公司"),
])
def test_a_suffix_rule_name_stops_at_time_and_function_words(rule_entities, text, name):
    assert (name, "ORG") in [x[:2] for x in rule_entities(text)]


@pytest.mark.parametrize("text,model,name", [
    ("记者昨日看望了中国国民党荣誉主席连战。", "中国国民党荣誉", "中国国民党"),
    ("东海总商会名誉会长王大同出席了活动。", "东海总商会名誉", "东海总商会"),
    ("中国海监137船领队周国庆说,编队将继续巡航。", "中国海监137船领队", "中国海监137船"),
    # a title of two tokens (基金|经理): the model stopped two characters into it
    ("华夏基金基金经理在路演中表示看好消费。", "华夏基金基金", "华夏基金"),
])
def test_a_model_organisation_ends_before_the_word_that_begins_a_title(rule_entities, text, model, name):
    got = rule_entities(text, [(text.index(model), text.index(model) + len(model), "ORG")])
    assert (name, "ORG") in [x[:2] for x in got] and model not in [x[0] for x in got]


def test_a_suffix_rule_name_never_takes_in_a_person_with_an_honorific(rule_entities):
    assert "周先生大学" not in [x[0] for x in rule_entities("周先生大学学历。")]


def test_hong_kong_and_taiwan_titles_market_words_and_the_investor_conference(rule_entities):
    got = rule_entities("香港交易所行政总裁陈翊庭表示,市场回暖。")
    assert [x[:2] for x in got][:2] == [("香港交易所", "ORG"), ("陈翊庭", "PERSON")]
    got = rule_entities("联发科执行长蔡力行出席活动。")
    assert ("蔡力行", "PERSON") in [x[:2] for x in got]
    text = "恒指收市报17500点,北水今日净买入港股。"
    assert rule_entities(text, [(0, 2, "ORG"), (text.index("北水"), text.index("北水") + 2, "GPE")]) == []
    text = "台积电董事长在法说会上表示。"
    assert ("法", "GPE") not in [x[:2] for x in rule_entities(text, [(text.index("法"), text.index("法") + 1, "GPE")])]


def test_pronouns_and_aspect_words_are_in_no_organisation(rule_entities):
    assert [x[0] for x in rule_entities("她上过大学,还在东海理工大学读过书。")] == ["东海理工大学"]
    assert "后者的" not in [x[0] for x in rule_entities("红杉是当当网的股东,后者的股价也上涨。")]
    assert rule_entities("其ADR股价至今已经翻番。") == []


def test_an_alias_after_jiancheng_is_the_name_alone_and_wins_over_another_label(rule_entities):
    text = "公司拟购买天全福鞍碳材料科技有限公司(以下简称天全福鞍)的股权。"
    s, name = text.index("天全福鞍)"), text.index("天全福鞍碳")
    got = [x[:2] for x in rule_entities(text, [(name, text.index("("), "ORG"), (s, s + 4, "PERSON")])]
    assert ("天全福鞍", "ORG") in got and ("天全福鞍", "PERSON") not in got
    text = "中场:巴拉克(切尔西)、弗林斯(不莱梅)。"
    got = rule_entities(text, [(3, 6, "PERSON"), (7, 10, "ORG")])
    assert ("切尔西", "ORG") in [x[:2] for x in got]  # no 简称: a club after a player stays a club


def test_a_model_organisation_run_into_an_amount_is_none(rule_entities):
    text = "公司通过港股配售募资约28亿港元。"
    got = rule_entities(text, [(text.index("港股"), text.index("28"), "ORG")])
    assert [x for x in got if x[1] == "ORG"] == []


def test_a_model_organisation_ending_in_a_money_flow_is_none(rule_entities):
    text = "港股通南向资金净流入30亿港元。"
    assert [x for x in rule_entities(text, [(2, 7, "ORG")]) if x[1] == "ORG"] == []  # 通南向资金


def test_an_ambiguous_listed_name_at_the_end_of_another_name_is_none_whatever_cue_follows(rule_entities):
    got = [x[:2] for x in rule_entities("午后星河环保涨超6%,云帆材料、海川精工等跟涨。", [])]
    assert ("材料", "ORG") not in got


@pytest.mark.parametrize("text,char", [("这家港式茶餐厅开业了。", "港"), ("中医药产业增长较快。", "中"),
                                       ("他们常去一家中餐馆。", "中")])
def test_a_one_character_place_in_a_style_cuisine_or_medicine_word_is_none(rule_entities, text, char):
    s = text.index(char)
    assert [x for x in rule_entities(text, [(s, s + 1, "GPE")]) if x[1] == "GPE"] == []


def test_people_around_titles_honorifics_and_bylines(rule_entities):
    text = "银行业总监刘海亮认为,风险可控。"
    got = rule_entities(text, [(text.index("刘"), text.index("认为"), "PERSON")])
    assert ("刘海亮", "PERSON") in [x[:2] for x in got]  # the model's third character after a title
    assert ("金庸", "PERSON") in [x[:2] for x in rule_entities("金庸老先生的15部小说。")]
    assert [x for x in rule_entities("银行方面已经向陈先生表示了歉意。") if x[1] == "PERSON"] == []
    text = "本报记者梅建明文/摄"
    got = rule_entities(text, [(text.index("梅"), text.index("/"), "PERSON")])
    assert ("梅建明", "PERSON") in [x[:2] for x in got]
    got = rule_entities("(来源:东海日报 文:李晓明)", [])
    assert ("李晓明", "PERSON") in [x[:2] for x in got]  # a byline's name ends at the bracket
    # an interviewer's question is no byline: 记者: then words and a comma
    assert [x for x in rule_entities("记者:实在难得,大家坚持训练为了什么?", []) if x[1] == "PERSON"] == []
    assert [x for x in rule_entities("公司发言人周三称,新品将如期上市。", []) if x[1] == "PERSON"] == []


def test_a_day_of_the_week_is_no_person(rule_entities):
    text = "若斯潘总理周二晚表示,协议迎来新阶段。"
    got = rule_entities(text, [(text.index("周"), text.index("表示"), "PERSON")])
    assert "周二晚" not in [x[0] for x in got]


@pytest.mark.parametrize("text,name,norm", [
    ("英国央行维持利率不变。", "英国央行", "英国央行"),  # not 中国人民银行, the norm of 央行 alone
    ("中国央行开展逆回购操作。", "中国央行", "中国人民银行"),
    ("香港金管局宣布上调基本利率。", "香港金管局", "香港金融管理局"),
    ("新加坡金管局收紧货币政策。", "新加坡金管局", "新加坡金管局"),
    ("美国商务部公布的数据显示。", "美国商务部", "美国商务部"),
])
def test_a_place_before_a_public_body_named_without_one_is_that_places_body(rule_entities, text, name, norm):
    assert rule_entities(text)[0] == (name, "ORG", norm, "entity.place_body")


def test_a_latin_alias_stays_apart_from_its_place(rule_entities):
    assert [x[:2] for x in rule_entities("美国SEC起诉该公司。")] == [("美国", "GPE"), ("SEC", "ORG")]


@pytest.mark.parametrize("text", ["全球央行纷纷加息。", "各国央行增持黄金储备。", "多家央行表示将继续收紧政策。", "美联储与其他央行协调行动。"])
def test_a_public_body_in_general_is_no_entity(rule_entities, text):
    """`generic_body_after`: not 中国人民银行, the norm of 央行 alone."""
    got = rule_entities(text, [(text.index("央行"), text.index("央行") + 2, "ORG")])
    assert "央行" not in [x[0] for x in got]
    assert rule_entities("央行宣布降准。")[0] == ("央行", "ORG", "中国人民银行", "entity.gazetteer")


def test_a_model_organisation_ends_before_a_count_or_an_adverb_and_a_time_word_alone_is_none(rule_entities):
    text = "量钻石、四方达、黄河旋风4家公司发布了上半年业绩。"
    got = rule_entities(text, [(text.index("黄河"), text.index("发布"), "ORG")])
    assert ("黄河旋风", "ORG") in [x[:2] for x in got] and "黄河旋风4家公司" not in [x[0] for x in got]
    text = "华创、贵州茅台、格林美分别净卖出2亿元。"
    got = rule_entities(text, [(text.index("格林美"), text.index("净"), "ORG")])
    assert ("格林美", "ORG") in [x[:2] for x in got]
    text = "第二季度累计交付28687辆。"
    assert rule_entities(text, [(0, 8, "ORG")]) == []
    text = "曾任航天部508所副总经济师。"  # 508所 is an institute, no count
    got = rule_entities(text, [(text.index("航天"), text.index("副"), "ORG")])
    assert ("航天部508所", "ORG") in [x[:2] for x in got]


def test_no_organisation_before_a_title_that_is_a_legal_form_alone(rule_entities):
    text = "上海自贸区国际文化投资发展有限公司董事长胡环中表示。"
    assert "发展有限公司" not in [x[0] for x in rule_entities(text)]


@pytest.mark.parametrize("text,span", [("美欧日央行政策分化。", (3, 5)), ("中美央行官员会面。", (0, 4))])
def test_bodies_after_two_one_character_places_are_several_no_one_name(rule_entities, text, span):
    got = rule_entities(text, [(*span, "ORG")])
    assert not [x for x in got if x[1] == "ORG"]


@pytest.mark.parametrize("text, model, want", [
    # a model organisation a country begins: the country is a place next to the company
    ("挪威卡斯柏能源宣布签约。", [("挪威卡斯柏能源", "ORG")], [("挪威", "GPE"), ("卡斯柏能源", "ORG")]),
    ("美国辉达宣布签约。", [("美国辉达", "ORG")], [("美国", "GPE"), ("辉达", "ORG")]),
    # the suffix and trade-word rules leave the country out of the name too
    ("日本丸森化学等6家外资研发中心相继落户。", [], [("日本", "GPE"), ("丸森化学", "ORG")]),
    ("芯瑞微电子与德国博腾半导体签署协议。", [], [("芯瑞微电子", "ORG"), ("德国", "GPE"), ("博腾半导体", "ORG")]),
    ("德国克劳森集团宣布投资。", [], [("德国", "GPE"), ("克劳森集团", "ORG")]),
    # common words before the ending, or the country's own bodies: one name
    ("美国通用汽车公司宣布裁员。", [("美国通用汽车公司", "ORG")], [("美国通用汽车公司", "ORG")]),
    ("韩国金融委员会今日表示。", [("韩国金融委员会", "ORG")], [("韩国金融委员会", "ORG")]),
    ("日本央行宣布加息。", [("日本央行", "ORG")], [("日本央行", "ORG")]),
])
def test_a_country_next_to_a_company_is_a_place_of_its_own(match, text, model, want):
    assert [(t, label) for t, label, *_ in match(text, model)] == want


@pytest.mark.parametrize("text, model, want", [
    # a word the dictionary does not know before a trade word is a company, whatever the model read in it
    ("越南和墨西哥成为康嘉家电前三大出口市场。", [("康嘉", "PERSON")], ("康嘉家电", "ORG")),
    ("博川物流需向申请人嘉丰租赁支付租金。", [("嘉丰", "GPE")], ("嘉丰租赁", "ORG")),
    ("铜川矿业与岷岭资源今年净利润有望增长。", [], ("岷岭资源", "ORG")),
])
def test_a_rare_word_before_a_trade_word_is_a_company(match, text, model, want):
    assert want in [(t, label) for t, label, *_ in match(text, model)]


def test_a_negation_before_a_trade_word_is_no_company(match):
    assert match("闭眼不看发展变化了的客观现实。", []) == []


@pytest.mark.parametrize("text, want", [
    ("被动元件厂钰仑今日遭外资大举卖超。", [("钰仑", "ORG")]),
    ("法人看好探针卡厂晶崴半导体与测试介面厂将同步受惠。", [("晶崴半导体", "ORG")]),
    ("ODM大厂纬岳第三季毛利率回升。", [("纬岳", "ORG")]),
    ("与沈阳的数控厂商北方精机达成合作。", [("沈阳", "GPE"), ("北方精机", "ORG")]),
    # a count, common words only, or a name that goes on is no name here
    ("高工与经销商两人浑身上下已经湿透了。", []),
    ("两家银行客服表示,目前还没有接到消息。", []),
])
def test_a_name_after_the_kind_of_company_it_is(rule_entities, text, want):
    assert [(t, label) for t, label, *_ in rule_entities(text)] == want


@pytest.mark.parametrize("text, model, want", [
    ("总经理强调,墨西哥新厂明年投产。", [("墨西哥新厂", "ORG")], [("墨西哥", "GPE")]),
    ("新竹厂产能将扩充三成。", [("新竹厂", "ORG")], [("新竹", "GPE")]),
    ("鞋业代工厂丰岳的新厂已开始试产。", [("新厂", "ORG")], [("丰岳", "ORG")]),
    # a factory's own name stays
    ("波拉尔厂研制了一种新产品。", [("波拉尔厂", "ORG")], [("波拉尔厂", "ORG")]),
    # a company's plant or seat after its name: the company
    ("嵘泰物流新厂明年投产。", [("嵘泰物流新厂", "ORG")], [("嵘泰物流", "ORG")]),
    ("岚图集团新总部位于武汉。", [("岚图集团新总部", "ORG")], [("岚图集团", "ORG"), ("武汉", "GPE")]),
    ("记者到华为总部参观访问。", [("华为总部", "ORG")], [("华为", "ORG")]),
    # a company's seat named by no name; a place and a plant the model did not take
    ("公司总部位于深圳市。", [("公司总部", "ORG")], [("深圳市", "GPE")]),
    ("稳崧工业表示,墨西哥新厂已开始出货。", [], [("稳崧工业", "ORG"), ("墨西哥", "GPE")]),
])
def test_a_plant_or_site_is_no_organisation(match, text, model, want):
    assert [(t, label) for t, label, *_ in match(text, model)] == want


@pytest.mark.parametrize("text, model, want", [
    # the kind of supplier or maker the model took in is no part of the name (the rules keep the place before it)
    ("地产商港信置业公布,出售一幢商业大厦。", [("地产商港信置业", "ORG")], [("港信置业", "ORG")]),
    ("美国软体商Trelliant宣布收购。", [("美国软体商Trelliant", "ORG")], [("美国", "GPE"), ("Trelliant", "ORG")]),
    ("晟丰生技与日本药厂签订授权合约。", [("日本药厂", "ORG")], [("晟丰生技", "ORG"), ("日本", "GPE")]),
    # a kind made of common words and 商 or 厂, which the segmenter may glue to the name (物业管理|商嘉悦)
    ("物业管理商嘉悦服务今日起招股。", [("物业管理商嘉悦服务", "ORG")], [("嘉悦服务", "ORG")]),
    ("内房商深穗置业昨日宣布委任联席主席。", [("内房商深穗置业", "ORG")], [("深穗置业", "ORG")]),
    ("纺织厂宏纱实业董座张永昌昨表示。", [("纺织厂", "ORG"), ("张永昌", "PERSON")],
     [("宏纱实业", "ORG"), ("张永昌", "PERSON")]),
    # not inside a name: 民生|商业银行, a place before 商 (中国商飞)
    ("民生商业银行表示。", [("民生商业银行", "ORG")], [("民生商业银行", "ORG")]),
])
def test_a_kind_of_supplier_before_a_name_is_no_part_of_it(match, text, model, want):
    assert [(t, label) for t, label, *_ in match(text, model)] == want


def test_a_place_and_a_kind_before_a_latin_name_describe_it_and_a_day_ends_a_short_name(match):
    got = match("受让方为新加坡基金Harborview Capital。", None)
    assert [(t, lab) for t, lab, *_ in got] == [("新加坡", "GPE"), ("Harborview Capital", "ORG")]
    got = match("宏硕精密今日股价以512元作收。", None)  # not 宏硕精密今日 (the model's, if anyone's, is 宏硕精密)
    assert "宏硕精密今日" not in [t for t, *_ in got]


def test_filing_forms_roles_organs_and_defined_terms(match):
    def orgs(text, model=None):
        return [(t, n) for t, lab, n, *_ in match(text, model) if lab == "ORG"]

    # a role in the deal and a subsidiary's kind start no name, cut apart or not (关联方, 全资|附属|公司)
    name = "苏州铖拓控股集团有限公司"
    assert orgs(f"公司拟与关联方{name}签订合同。") == [(name, name)]
    text = "本公司之全资附属公司汇晟投资(香港)有限公司(作为买方)与卖方订立买卖协议。"
    assert orgs(text, [("之全资附属公司汇晟投资(香港)有限公司", "ORG")]) == [
        ("汇晟投资(香港)有限公司", "汇晟投资(香港)有限公司")]  # and (作为买方) is its role, no alias
    # a company's organ alone before a title, a function word and a kind of firm are no organisation
    assert orgs("会议由监事会主席傅晓东女士召集。") == []
    assert orgs("因会计师事务所内部组织调整,签字会计师更换。", [("因会计师事务所", "ORG")]) == []
    # a registered name with its seat takes the short name defined for it; 故 ("so") is no part of a name
    text = "间接全资附属公司晋隆实业(深圳)有限公司(「晋隆深圳」)作为借款人订立贷款协议。"
    assert orgs(text) == [("晋隆实业(深圳)有限公司", "晋隆深圳"), ("晋隆深圳", "晋隆深圳")]
    text = "伟盛发展有限公司(「伟盛发展」)由其全资拥有,故伟盛发展为本公司之关连人士。"
    assert [t for t, _ in orgs(text)] == ["伟盛发展有限公司", "伟盛发展", "伟盛发展"]


def test_a_compound_surname_and_a_given_name_glued_to_said_after_a_title(match):
    got = match("穗澜控股执行董事欧阳志恒称,集团正商讨重组。", None)  # 欧阳|志恒称
    assert ("欧阳志恒", "PERSON") in [(t, lab) for t, lab, *_ in got]


def test_hong_kong_and_taiwan_forms_of_roles_ratings_and_defined_terms(match):
    got = match("联岳电子今日召开股东会,董座郑国弘表示订单能见度佳。", [("董座郑国弘", "PERSON")])
    assert ("郑国弘", "PERSON") in [(t, lab) for t, lab, *_ in got]  # 董座, 总座: Taiwan's chairman and president
    got = match("大行韦康证券首予朗峰地产「买入」评级。", [("首予朗峰地产", "ORG")])
    assert ("朗峰地产", "ORG") in [(t, lab) for t, lab, *_ in got]  # 首予: a rating's first issue
    text = "生物科技公司泽康医药(下称泽康)今日截止认购。"  # 下称 defines an alias as 简称 does: not 下称泽康
    got = match(text, [("生物科技公司泽康医药", "ORG"), ("泽康", "PERSON")])
    assert [(t, n) for t, lab, n, *_ in got if lab == "ORG"] == [("泽康医药", "泽康医药"), ("泽康", "泽康医药")]
    got = match("港府与积金局今日公布新措施。", [("港府", "GPE")])
    assert [(t, lab) for t, lab, *_ in got] == [("港府", "ORG"), ("积金局", "ORG")]


def test_a_filing_role_the_segmenter_cut_apart_is_no_part_of_the_name(match):
    text = "要约人朗澄资本有限公司已提出要约。"
    for model in (None, [("人朗澄资本有限公司", "ORG")]):
        assert [t for t, lab, *_ in match(text, model) if lab == "ORG"] == ["朗澄资本有限公司"], model


def test_one_bodys_department_is_not_split_at_its_and(match):
    text = "曾任国家发展和改革委工业司副司长。"
    assert [t for t, *_ in match(text, [("国家发展和改革委工业司", "ORG")])] == ["国家发展和改革委工业司"]


def test_a_model_person_with_a_target_price_is_a_company(match):
    got = match("外资将晟鑫目标价由650元调高至820元。", [("晟鑫", "PERSON")])
    assert ("晟鑫", "ORG") in [(t, label) for t, label, *_ in got]


@pytest.mark.parametrize("text, want", [
    # Hong Kong's districts and areas, Taiwan's counties and districts: places of their own
    ("该集团在屯门及将军澳各有一个物流仓。", [("屯门", "GPE", "屯门"), ("将军澳", "GPE", "将军澳")]),
    ("新厂位于新北市土城区,明年投产。", [("新北市", "GPE", "新北"), ("土城区", "GPE", "土城")]),
    ("苗栗县与新竹县的园区用电吃紧。", [("苗栗县", "GPE", "苗栗"), ("新竹县", "GPE", "新竹")]),
    # a district that is also a common word counts only with 区: 淡水区, not 淡水 (fresh water)
    ("淡水区的新盘去化不错,但淡水资源紧张。", [("淡水区", "GPE", "淡水区")]),
    # 县长 and 区块链 are words of their own after the place
    ("苗栗县长今日视察。", [("苗栗", "GPE", "苗栗")]),
])
def test_districts_and_counties_of_hong_kong_and_taiwan(match, text, want):
    assert [(t, label, norm) for t, label, norm, *_ in match(text, None)] == want


def test_a_plant_set_up_in_places_is_each_place(match):
    got = match("该公司于桃园市中坜区设厂。", [("桃园市中坜区设厂", "ORG")])
    assert [(t, label) for t, label, *_ in got] == [("桃园市", "GPE"), ("中坜区", "GPE")]


def test_suffixes_for_a_list_of_places_that_does_not_exist_are_refused():
    import yaml
    from pydantic import ValidationError

    from pipeline.entity.rules import EntityRules

    data = yaml.safe_load((Path(__file__).resolve().parents[1] / "rules" / "entity.yaml").read_text(encoding="utf-8"))
    data["place_suffixes_of"] = {"taiwan_aereas": ["区"]}
    with pytest.raises(ValidationError, match="taiwan_aereas"):
        EntityRules.model_validate(data)


def test_a_kind_of_maker_after_places_is_a_description_and_country_variants_are_places(match):
    got = match("南韩记忆体大厂扩大产能,肯亚与坦桑尼亚的订单增加。", [("南韩记忆体大厂", "ORG")])
    assert [(t, label, norm) for t, label, norm, *_ in got] == [
        ("南韩", "GPE", "南韩"), ("肯亚", "GPE", "肯亚"), ("坦桑尼亚", "GPE", "坦桑尼亚")]


@pytest.mark.parametrize("text, model, want", [
    # a deal verb is never the start of a name, whatever the segmenter knows of it
    ("外资通过渠道增持明辉电子,持股比例升至5.8%。", [("明辉", "PERSON")], [("明辉电子", "ORG")]),
    ("港股协鑫新能源早盘大涨。", [], [("协鑫新能源", "ORG")]),
    # words of financial news the dictionary lacks are words, not a name's parts
    ("星岚科技大股东拟减持。", [], [("星岚科技", "ORG")]),
])
def test_deal_verbs_and_market_words_bound_a_suffixed_name(match, text, model, want):
    assert [(t, label) for t, label, *_ in match(text, model)] == want


@pytest.mark.parametrize("text", ["申请人诉天衡置业合同纠纷一案已审结。", "被申请人天衡置业未到庭。"])
def test_a_party_to_a_case_is_no_part_of_the_company_named_after_it(match, text):
    assert [(t, label) for t, label, *_ in match(text, None)] == [("天衡置业", "ORG")]


def test_places_building_a_plant_are_places_and_a_board_before_a_title_is_its_company(match):
    got = match("公司将在台中大里兴建新厂,预计明年投产。", [("台中大里兴建新厂", "ORG")])
    assert [(t, label) for t, label, *_ in got] == [("台中", "GPE"), ("大里", "GPE")]
    got = match("星晋地产董事局主席蔡志伟预期,明年香港楼价将回升。", None)
    assert [(t, label) for t, label, *_ in got] == [("星晋地产", "ORG"), ("蔡志伟", "PERSON"), ("香港", "GPE")]


@pytest.mark.parametrize("text, model, want", [
    # a verb of taking or leaving a post is no part of the company after it, nor a time word of one before it
    ("欧阳志明辞任永灏控股有限公司执行董事。", [("欧阳志明", "PERSON"), ("永灏控股有限公司", "ORG")],
     [("欧阳志明", "PERSON"), ("永灏控股有限公司", "ORG")]),
    ("泰丰环球全日升3%。", [("泰丰环球全日", "ORG")], [("泰丰环球", "ORG")]),
])
def test_posts_and_time_words_bound_a_model_organisation(match, text, model, want):
    assert [(t, label) for t, label, *_ in match(text, model)] == want


def test_a_filings_reference_phrase_and_a_department_are_no_part_of_the_company(match):
    got = match("兹提述浩朗国际控股有限公司日期为三月一日的公告。", [("浩朗国际控股有限公司", "ORG")])
    assert [(t, label) for t, label, *_ in got] == [("浩朗国际控股有限公司", "ORG")]
    got = match("朔方电气证券部人士表示。", [("朔方电气证券部", "ORG")])
    assert [(t, label) for t, label, *_ in got] == [("朔方电气", "ORG")]


def test_a_model_person_starts_after_a_verb_or_function_word(match):
    got = match("外资则买超霖宸与晟鑫。", [("买超霖宸", "PERSON")])
    assert [t for t, *_ in got][:1] == ["霖宸"]


def test_places_before_their_own_government_are_one_organisation(match):
    got = match("广东省深圳市南山区政府表示支持。", [("广东省", "GPE"), ("深圳市", "GPE"), ("南山区政府", "ORG")])
    assert [(t, label) for t, label, *_ in got] == [("广东省深圳市南山区政府", "ORG")]


@pytest.mark.parametrize("text, want", [
    ("台北地院判决公司败诉。", [("台北地院", "ORG", "court")]),
    ("上海市高院驳回上诉。", [("上海市高院", "ORG", "court")]),
    ("北京市政府发布通知。", [("北京市政府", "ORG", "regulator")]),
    ("浙江证监局出具警示函。", [("浙江证监局", "ORG", "regulator")]),  # a regulator's office in a province
])
def test_a_court_or_government_named_by_its_places(match, text, want):
    assert [(t, label, kind) for t, label, _, kind, _ in match(text, None)] == want


@pytest.mark.parametrize("text, model, want", [
    # two companies the model read as one: each is a name, and what they formed is no part of either
    ("嘉峰置业及港灏地产合组财团,投得该地皮。", [("嘉峰置业及港灏地产合组财团", "ORG")],
     [("嘉峰置业", "ORG"), ("港灏地产", "ORG")]),
    ("嵘泰科技和博川物流签订合作协议。", [("嵘泰科技和博川物流", "ORG")], [("嵘泰科技", "ORG"), ("博川物流", "ORG")]),
    # a name with 与 in it whose first part is no company stays whole
    ("北方与南方研究会发布报告。", [("北方与南方研究会", "ORG")], [("北方与南方研究会", "ORG")]),
])
def test_two_companies_joined_in_one_model_span_are_two_names(match, text, model, want):
    assert [(t, label) for t, label, *_ in match(text, model)] == want


@pytest.mark.parametrize("text, model, want", [
    # an official's title the model took in at the end of an organisation is no part of its name
    ("金管会主委表示将研议。", [("金管会主委", "ORG")], [("金管会", "ORG")]),
    ("该市投资促进局副局长介绍了情况。", [("投资促进局副局长", "ORG")], [("投资促进局", "ORG")]),
    # a body's organ is: 党委 is no title
    ("徐州矿务局党委专门开展活动。", [("徐州矿务局党委", "ORG")], [("徐州矿务局党委", "ORG")]),
])
def test_a_title_at_the_end_of_a_model_organisation_is_cut_off(match, text, model, want):
    assert [(t, label) for t, label, *_ in match(text, model)] == want


@pytest.mark.parametrize("text, model, want", [
    # a rank and a kind describe the name after them, in the model's span and in a suffix rule's
    ("美国第四大投资银行雷曼兄弟公司申请破产。", [("美国第四大投资银行雷曼兄弟公司", "ORG")],
     [("美国", "GPE"), ("雷曼兄弟公司", "ORG")]),
    ("韩国第一大财阀三星集团宣布裁员。", None, [("韩国", "GPE"), ("三星集团", "ORG")]),
    ("第二大股东嘉峰投资有限公司拟减持。", [("大股东嘉峰投资有限公司", "ORG")], [("嘉峰投资有限公司", "ORG")]),
])
def test_a_rank_and_a_kind_before_a_name_are_no_part_of_it(match, text, model, want):
    assert [(t, label) for t, label, *_ in match(text, model)] == want


def test_a_model_person_right_after_the_kind_of_company_it_is_is_a_company(match):
    got = match("全球最大的资产管理公司贝莱德增持了该股。", [("贝莱德", "PERSON")])
    assert [(t, label) for t, label, *_ in got] == [("贝莱德", "ORG")]
    # after a title it stays a person
    got = match("该公司总经理贝莱德表示。", [("贝莱德", "PERSON")])
    assert [(t, label) for t, label, *_ in got] == [("贝莱德", "PERSON")]


@pytest.mark.parametrize("text, model, want", [
    # 的 inside a model organisation: a description of a company, or a name after it
    ("在香港注册的有限公司都需要报税。", [("香港注册的有限公司", "ORG")], [("香港", "GPE")]),
    ("位于宁波的嘉峰置业有限公司宣布破产。", [("宁波的嘉峰置业有限公司", "ORG")], [("宁波", "GPE"), ("嘉峰置业有限公司", "ORG")]),
])
def test_a_model_organisation_across_de_is_a_description_or_the_name_after_it(match, text, model, want):
    assert [(t, label) for t, label, *_ in match(text, model)] == want


def test_an_alias_that_is_also_an_everyday_word_needs_the_model(match):
    # 联想 "to associate": with the model running and tagging nothing there, no company
    assert match("这让人联想到去年的行情。", []) == []
    # the model tags it an organisation: the gazetteer's company, with its norm
    got = match("联想今日公布业绩。", [("联想", "ORG")])
    assert [(t, label, norm) for t, label, norm, *_ in got] == [("联想", "ORG", "联想")]
    # the rules alone (no model) keep it
    assert [(t, label) for t, label, *_ in match("联想今日公布业绩。", None)] == [("联想", "ORG")]
    # joined to another name it is one, whatever the model says (腾讯、字节等大厂)
    got = match("腾讯、字节等大厂已纷纷提升薪酬。", [("腾讯", "ORG")])
    assert [(t, label) for t, label, *_ in got] == [("腾讯", "ORG"), ("字节", "ORG")]


def test_a_surname_before_an_alias_that_is_also_a_given_name_is_the_models_person(match):
    got = match("采访中,于金山老人一再强调自己不是英雄。", [("于金山", "PERSON")])
    assert [(t, label) for t, label, *_ in got] == [("于金山", "PERSON")]
    # the alias on its own stays the company
    got = match("金山今日公布业绩。", [("金山", "PERSON")])
    assert [(t, label, norm) for t, label, norm, *_ in got] == [("金山", "ORG", "金山软件")]
