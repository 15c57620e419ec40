"""Organisations and people written in Latin letters inside Chinese text (`EntityMatcher._latin_names`,
`latin_*` in rules/entity.yaml): found by their cues, never by their letters alone. Our own sentences."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def entities(rule_entities):
    """(text, label, rule) of each entity."""
    return lambda text, model=None: [(t, label, rule) for t, label, _, rule in rule_entities(text, model)]


@pytest.mark.parametrize("text,name", [
    ("法国AI初创公司Mistral完成新一轮融资。", "Mistral"),      # a company described right before
    ("英国芯片设计公司 Arm 公布财报。", "Arm"),                 # with spaces around
    ("Databricks宣布完成收购。", "Databricks"),                 # the company's own words after
    ("据The Information报道,双方仍在谈判。", "The Information"),  # a report
    ("Perplexity CEO在会上发言。", "Perplexity"),               # a Latin role after
    ("Scale AI创始人汪滔加入新公司。", "Scale AI"),             # a Chinese role after
    ("Cohere的联合创始人离职。", "Cohere"),                     # 的 and a role
    ("德国汽车零部件商Kessler Autoteile获得融资。", "Kessler Autoteile"),  # the kind of supplier it is
    ("美资大行Pemberton Brothers下调其评级。", "Pemberton Brothers"),  # a big broker
    ("本轮由General Catalyst领投。", "General Catalyst"),
    ("Snowflake股价盘后大涨12%。", "Snowflake"),                # a share-price word
    ("xAI估值再创新高。", "xAI"),                               # a name written like xAI
    ("Zentro完成5000万美元B轮融资。", "Zentro"),                 # what only a company does
    ("据悉,Veltrix Capital将参与本轮融资。", "Veltrix Capital"),  # the word a company's name ends in
    ("该公司与Lumina Inc.签署合作协议。", "Lumina Inc."),
    ("本轮融资由Arcadia Ventures和Blue Harbor Partners共同参与。", "Blue Harbor Partners"),
])
def test_a_latin_organisation_is_found_by_its_cue(entities, text, name):
    assert (name, "ORG", "entity.latin_name") in entities(text)


@pytest.mark.parametrize("text", [
    "Mistral这个词来自法语。",           # no cue
    "全球航空业ETF涨超4.5%。",            # a financial term, not a name
    "公司Q2营收同比增长42%。",
    "该公司AI业务增长迅速。",             # a generic Latin word after a company word
    "bwin的赔率没有变化。",               # not written like a name
])
def test_no_cue_or_a_common_term_is_no_name(entities, text):
    assert [x for x in entities(text) if x[2] == "entity.latin_name"] == []


@pytest.mark.parametrize("text,person", [
    ("Perplexity CEO Aravind Srinivas表示,估值已达200亿美元。", "Aravind Srinivas"),
    ("OpenAI创始人Sam Altman称,", "Sam Altman"),
    ("AMD首席执行官 Lisa Su在发布会上说,", "Lisa Su"),
    ("天衡证券分析师Whitfield预计,出货量将回升。", "Whitfield"),  # one word after a Chinese role: a surname
])
def test_capitalised_words_after_a_role_are_a_person(entities, text, person):
    assert (person, "PERSON", "entity.latin_name") in entities(text)


def test_one_latin_word_after_a_latin_role_is_no_person_alone(entities):
    assert [x for x in entities("Perplexity CEO Summit将于下月举行。") if x[1] == "PERSON"] == []


def test_the_organisation_before_a_latin_role_and_the_person_after_it(entities):
    got = entities("Perplexity CEO Aravind Srinivas表示")
    assert ("Perplexity", "ORG", "entity.latin_name") in got and ("Aravind Srinivas", "PERSON", "entity.latin_name") in got
    assert all(t != "CEO" for t, *_ in got)


def test_a_latin_name_listed_with_an_organisation_is_one(entities):
    got = entities("微软、Anthropic和Mistral均在名单中。")
    assert ("Mistral", "ORG", "entity.latin_name") in got
    assert ("Cohere", "ORG", "entity.latin_name") in entities("谷歌与Cohere签署协议。")
    assert [x for x in entities("他喜欢Mistral和Cohere这两个词。") if x[2] == "entity.latin_name"] == []


def test_a_longer_model_organisation_around_a_latin_name_wins(entities):
    text = "微软宣布收购Neon公司。"
    assert ("Neon", "ORG", "entity.latin_name") in entities(text)
    s = text.index("Neon")
    assert ("Neon公司", "ORG", "entity.model") in entities(text, [(s, s + 6, "ORG")])


def test_the_gazetteer_keeps_its_latin_names(entities):
    assert ("OpenAI", "ORG", "entity.gazetteer") in entities("OpenAI宣布新一轮融资。")


# the organisation before a role, and a person's name edges (pipeline/entity/matcher.py `_people`) -------------

@pytest.mark.parametrize("text,org", [
    ("摩尔线程创始人张建中表示,公司将加大投入。", "摩尔线程"),
    ("无问芯穹首席执行官夏立雪透露,融资已完成。", "无问芯穹"),
    ("寒武纪董事长陈天石表示,", "寒武纪"),
    ("面壁智能CEO李大海表示,", "面壁智能"),
])
def test_the_words_before_a_role_and_a_person_are_their_organisation(entities, text, org):
    assert (org, "ORG", "entity.org_before_title") in entities(text)


@pytest.mark.parametrize("text", [
    "北京市市长殷勇出席会议。",          # only places: a government post
    "该公司创始人李明表示,",             # a generic head
    "今年公司董事长王强表示,",
    "本报讯记者戴鹏报道:",               # a desk before a reporter
    "中信证券宏观分析师孙稳存认为,",     # a department before an analyst
    "本公司董事会包括董事长兼非执行董事雷军先生。",  # another role
])
def test_no_organisation_before_a_post_a_desk_or_a_generic_head(entities, text):
    assert [x for x in entities(text) if x[2] == "entity.org_before_title"] == []


def test_a_verb_after_a_name_is_not_part_of_it(entities):
    assert ("余凯", "PERSON", "entity.person_after_title") in entities("地平线创始人余凯称,智能驾驶进入新阶段。")


def test_a_known_name_inside_a_longer_name_is_not_matched(entities):
    got = entities("宇树科技创始人王兴兴在接受采访时说,")
    assert all(t != "王兴" for t, *_ in got) and ("王兴兴", "PERSON", "entity.person_after_title") in got
    assert ("王兴", "PERSON", "entity.gazetteer") in entities("美团创始人王兴表示,")


@pytest.mark.parametrize("text", ["王兴称,美团将继续投入。", "董事长王兴称", "王兴在北京表示"])
def test_a_known_name_before_a_verb_stays(entities, text):
    assert ("王兴", "PERSON", "entity.gazetteer") in entities(text)


@pytest.mark.parametrize("text", ["公司A股股票将于明日复牌。", "天茂集团C4烯烃项目投产。", "他获得芝加哥大学MBA、斯坦福大学硕士学位。"])
def test_share_classes_codes_and_short_acronyms_without_a_cue_are_no_names(entities, text):
    assert [x for x in entities(text) if x[2] == "entity.latin_name"] == []


def test_a_short_acronym_with_its_own_cue_is_a_name(entities):
    assert ("AMD", "ORG", "entity.latin_name") in entities("芯片股走强,AMD涨近3%。")


@pytest.mark.parametrize("text,name", [
    ("据报道,AI芯片初创企业清微知行完成新一轮融资。", "清微知行"),
    ("芯片公司沐曦宣布完成新一轮融资。", "沐曦"),
])
def test_a_name_between_a_company_word_and_what_it_did_is_an_organisation(entities, text, name):
    assert (name, "ORG", "entity.described") in entities(text)


@pytest.mark.parametrize("text", ["公司员工表示,薪资将上调。", "从而中国企业就有可能获得不同的税率。"])
def test_common_words_between_them_are_none(entities, text):
    assert [x for x in entities(text) if x[2] == "entity.described"] == []


def test_a_one_character_word_before_an_organisation_and_a_role_is_left_out(entities):
    got = entities("会后,李政道请大会组织委员会主席牛文元协调。")
    assert ("大会组织委员会", "ORG", "entity.org_before_title") in got


def test_places_and_a_kind_before_a_latin_name_are_no_part_of_it(entities):
    text = "美国初创公司Quantix今日发布新品。"
    assert ("Quantix", "ORG", "entity.latin_name") in entities(text, [(0, text.index("今"), "ORG")])

