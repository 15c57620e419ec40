"""Listed companies' short names (rules/listed_companies.tsv, `EntityMatcher._listed`) and their data recipe
(tools/make_listed.py). The sentences are ours; the names are real listings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline.entity.rules import Listed, read_listed
from pipeline.errors import RulesError
from pipeline.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from make_listed import build, match_form  # noqa: E402


@pytest.fixture(scope="module")
def entities(rule_entities):
    return rule_entities


def orgs(found):
    return [(t, r) for t, label, _, r in found if label == "ORG"]


def test_a_listed_name_in_running_text_is_a_company(entities):
    got = entities("芯片股午后走强,华天科技与通富微电双双拉升。")
    assert ("华天科技", "ORG", "华天科技", "entity.listed") in got
    assert ("通富微电", "ORG", "通富微电", "entity.listed") in got


def test_a_taiwan_listing_is_matched_in_its_simplified_form(entities):
    # the normaliser turns 聯發科 / 富邦金 into 联发科 / 富邦金 before any rule runs
    got = entities("联发科与富邦金昨日公布营收。")
    assert ("联发科", "entity.listed") in orgs(got) and ("富邦金", "entity.listed") in orgs(got)


@pytest.mark.parametrize("text", ["货轮横渡太平洋后抵港。", "他拿出指南针辨认方向。", "要推动湖南发展再上台阶。",
                                  "这家企业的统一调度很重要。"])
def test_a_name_that_reads_as_something_else_needs_a_cue(entities, text):
    assert [r for _, r in orgs(entities(text))] == []


@pytest.mark.parametrize("text,name", [
    ("太平洋(601099)晚间发布公告。", "太平洋"),
    ("券商股异动,太平洋涨停。", "太平洋"),
    ("指南针:拟回购公司股份", "指南针"),
    ("湖南发展(000722)收涨。", "湖南发展"),
    ("统一、南亚涨停。", "统一"),
])
def test_with_a_listed_company_cue_it_is_a_company(entities, text, name):
    assert (name, "entity.listed") in orgs(entities(text))


def test_a_headline_colon_counts_only_at_the_start_of_a_line(entities):
    assert ("指南针", "entity.listed") not in orgs(entities("他看了一眼指南针:方向没错。"))
    assert ("指南针", "entity.listed") in orgs(entities("盘后消息\n指南针:拟回购公司股份"))


def test_a_name_under_a_risk_mark_is_matched_with_the_mark_and_normed_without(entities):
    assert ("*ST九鼎", "ORG", "九鼎", "entity.listed") in entities("*ST九鼎今日复牌。")
    # the exchange's shortened name under a mark is not matched bare: 美谷 inside 奥园美谷
    assert all(t != "美谷" for t, *_ in entities("奥园美谷涨停。"))


def test_no_match_inside_a_word_or_at_a_titles_start(entities):
    assert all(r != "entity.listed" for *_, r in entities("中国石油化工行业协会发布报告。"))
    assert all(r != "entity.listed" for *_, r in entities("新游戏《雷迪克:暗夜》上线。"))


def test_a_longer_organisation_the_model_finds_around_a_listed_name_wins(entities):
    text = "法国兴业银行在京设立分行。"
    assert ("兴业银行", "entity.listed") in orgs(entities(text))
    got = entities(text, [(0, 6, "ORG")])
    assert ("法国兴业银行", "ORG", "法国兴业银行", "entity.model") in got
    assert all(t != "兴业银行" for t, *_ in got)


def test_the_gazetteer_keeps_its_own_names(entities):
    # 台积电 is a gazetteer entry (norm, kind, aliases): the listed file does not take it over
    assert ("台积电", "ORG", "台积电", "entity.gazetteer") in entities("台积电公布营收。")


# the file and its recipe -----------------------------------------------------------------------------

def test_the_shipped_file_reads_and_holds_the_exchanges():
    rows = read_listed(Settings().rules_dir / "listed_companies.tsv")
    assert len(rows) > 7000
    assert {r.exchange for r in rows} == {"SSE", "SZSE", "BSE", "TWSE", "TPEx"}
    assert all(len(r.form) >= 2 for r in rows)
    assert Listed("SZSE", "000002", "万科Ａ", "万科") in rows


def test_a_damaged_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "listed.tsv"
    bad.write_text("# header\nSSE\t600000\t浦发银行\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"listed.tsv:2: want 4 tab-separated cells"):
        read_listed(bad)
    with pytest.raises(RulesError, match="cannot read"):
        read_listed(tmp_path / "missing.tsv")


@pytest.mark.parametrize("listed,form", [
    ("万科Ａ", "万科"), ("深振业Ａ", "深振业"), ("XD泰凯英", "泰凯英"), ("N海昇", "海升"), ("慧洋-KY", "慧洋"),
    ("矽力*-KY", "矽力"), ("台積電", "台积电"), ("*ST九鼎", "*ST九鼎"), ("ST人福", "ST人福"), ("TCL科技", "TCL科技"),
])
def test_match_form(listed, form):
    assert match_form(listed) == form


def test_build_keeps_one_row_per_listing_and_drops_names_too_short_to_match():
    lines = build([("SSE", "600000", "浦发银行"), ("SSE", "600000", "浦发银行"), ("TWSE", "9999", "A")])
    assert lines == ["SSE\t600000\t浦发银行\t浦发银行\n"]


@pytest.mark.parametrize("text", ["南亚(1303-TW)今日公布营收。", "统一(1216.TW)股价走高。", "统一(台股代号1216)公告。"])
def test_taiwan_and_hong_kong_code_forms_are_cues(entities, text):
    assert [t for t, _ in orgs(entities(text))][:1] in (["南亚"], ["统一"])


def test_taiwan_financial_and_telecom_endings_make_a_name(entities):
    got = orgs(entities("元大投信与远传电信昨日签约,富邦人寿亦参与。"))
    assert ("元大投信", "entity.org_suffix") in got and ("远传电信", "entity.org_suffix") in got
    assert ("富邦人寿", "entity.org_suffix") in got


def test_a_model_organisation_ending_in_a_company_organ_is_the_company(entities):
    text = "长荣海运董事会通过配息案。"
    got = entities(text, [(0, 7, "ORG")])
    assert ("长荣海运", "ORG", "长荣海运") in [x[:3] for x in got] and "长荣海运董事会" not in [x[0] for x in got]
    text = "星澜运输董事会通过配息案。"  # no rule knows it: the model's span, cut before the organ
    assert entities(text, [(0, 7, "ORG")])[0] == ("星澜运输", "ORG", "星澜运输", "entity.model")


@pytest.mark.parametrize("text,name", [("长荣法说会将于下周举行。", "长荣"), ("南亚毛利率回升。", "南亚"), ("华硕股东会通过配息案。", "华硕")])
def test_a_noun_only_a_company_has_is_a_cue(entities, text, name):
    assert (name, "entity.listed") in orgs(entities(text))


def test_a_listed_name_and_an_industry_word_where_the_name_ends_are_the_companys_longer_name(rule_entities):
    """`listed_name_goes_on`: 长荣 (a two-character listing, which alone needs a cue) and 海运 are 长荣海运, its
    text the norm; not where the words go on (联合汽车电子, 平安银行保险信用卡)."""
    assert rule_entities("长荣海运公布前三季财报。")[0][:3] == ("长荣海运", "ORG", "长荣海运")
    assert rule_entities("中华航空的正式申明。")[0][:3] == ("中华航空", "ORG", "中华航空")
    assert ("中华航空", "ORG") in [x[:2] for x in rule_entities("据公开的中华航空的正式申明。")]
    assert "联合汽车" not in [x[0] for x in rule_entities("客户包括博世、联合汽车电子、华域汽车。")]
    assert "平安银行保险" not in [x[0] for x in rule_entities("持卡人的平安银行保险信用卡遭盗用。")]


@pytest.mark.parametrize("text,name", [
    ("三盛教育(300282)公告称,公司拟转让子公司。", "三盛教育"),
    ("7月15日,诺辉健康(HK06606,股价24.25港元)发布盈利预告。", "诺辉健康"),
    ("*ST未来(600532)收到问询函。", "*ST未来"),
])
def test_a_name_before_its_stock_code_is_a_listed_company_on_any_exchange(rule_entities, text, name):
    assert (name, "ORG", "entity.coded_name") in [(x[0], x[1], x[3]) for x in rule_entities(text)]


@pytest.mark.parametrize("text", [
    "而发卡量超过500万张的则有交通银行(601328.sh)、广发。",  # a known name keeps its edges: not 则有交通银行
    "上证指数(000001)收涨1%。",  # an index
    "该公司(600000)股价下跌。",  # a generic noun
    "依照民国二十四年(1935)颁布的条例执行。",  # a year glossed in brackets: a date, no stock code
    "早在昭和五十年(1975),这家工厂就已投产。",
])
def test_no_coded_name_across_a_known_name_an_index_or_a_generic_noun(rule_entities, text):
    assert "entity.coded_name" not in [x[3] for x in rule_entities(text)]


@pytest.mark.parametrize("text,name", [
    ("公司孙公司天海精锻已深入开展建设。", "天海精锻"),
    ("公司控股子公司建泰建设于近日收到了中标通知书。", "建泰建设"),
])
def test_a_subsidiarys_name_between_the_word_and_what_it_did(rule_entities, text, name):
    assert (name, "ORG") in [x[:2] for x in rule_entities(text)]


@pytest.mark.parametrize("text,name", [
    ("特力A:制定减免部分物业租金方案。", "特力A"),
    ("深纺织A(000045)公告称。", "深纺织A"),
    ("ST新海:参股公司签订备忘录。", "ST新海"),
    ("*ST未来:拟以支付现金的方式收购。", "*ST未来"),
    ("ST天山公告,公司6月销售回升。", "ST天山"),
])
def test_short_names_by_their_share_class_letter_or_risk_mark(rule_entities, text, name):
    assert (name, "ORG", "entity.coded_name") in [(x[0], x[1], x[3]) for x in rule_entities(text)]


@pytest.mark.parametrize("text", ["肝脏内有一种被称为储存维生素A的细胞。", "暂停A、B类份额申购。", "港股通A股ETF上涨。"])
def test_no_short_name_from_a_letter_after_common_words(rule_entities, text):
    assert "entity.coded_name" not in [x[3] for x in rule_entities(text)]


def test_a_listed_name_and_an_industry_word_before_a_title_are_one_name(rule_entities):
    """Not 建投证券 (a weak suffix's name cut at the common word 中信) but 中信建投证券: a title ends a name."""
    got = rule_entities("中信建投证券分析师指出,板块估值已处低位。")
    assert got[0][:2] == ("中信建投证券", "ORG")
