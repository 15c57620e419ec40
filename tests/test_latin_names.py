"""Organisations and people written in Latin letters inside Chinese text (`EntityMatcher._latin_names`,
`latin_*` in rules/entity.yaml): found by their cues, never by their letters alone. Our own sentences."""

from __future__ import annotations

import pytest

from pipeline.entity.components import make_entity_component
from pipeline.resources import load_rules
from pipeline.settings import Settings
from pipeline.text.segment import load_segmenter


@pytest.fixture(scope="module")
def entities():
    settings = Settings()
    component = make_entity_component(None, "zhnews_entities", str(settings.rules_dir), settings.segmenter,
                                      str(settings.cache_dir))
    segmenter = load_segmenter(load_rules(settings.rules_dir))

    def run(text: str, model=None):
        found = component.matcher(text, segmenter.tokens(text), model)
        return [(text[m.start:m.end], m.fields["label"], m.rule) for m in found]

    return run


@pytest.mark.parametrize("text,name", [
    ("法国AI初创公司Mistral完成新一轮融资。", "Mistral"),      # a company described right before
    ("英国芯片设计公司 Arm 公布财报。", "Arm"),                 # with spaces around
    ("Databricks宣布完成收购。", "Databricks"),                 # the company's own words after
    ("据The Information报道,双方仍在谈判。", "The Information"),  # a report
    ("Perplexity CEO在会上发言。", "Perplexity"),               # a Latin role after
    ("Scale AI创始人汪滔加入新公司。", "Scale AI"),             # a Chinese role after
    ("Cohere的联合创始人离职。", "Cohere"),                     # 的 and a role
    ("本轮由General Catalyst领投。", "General Catalyst"),
    ("Snowflake股价盘后大涨12%。", "Snowflake"),                # a share-price word
    ("xAI估值再创新高。", "xAI"),                               # a name written like xAI
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
])
def test_capitalised_words_after_a_role_are_a_person(entities, text, person):
    assert (person, "PERSON", "entity.latin_name") in entities(text)


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
