"""The entity stage: a spaCy pipeline with declared components, character-level matching, two modes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.core import resolve_overlaps
from pipeline.entity.components import build_nlp
from pipeline.errors import ZhnewsError
from pipeline.mention import Mention
from pipeline.settings import Settings

from conftest import CORPUS, ROOT


def ents(record):
    return [(e.text, e.label, e.norm) for e in record.entities]


def test_pipeline_components_are_declared_with_config():
    nlp = build_nlp(Settings())
    assert nlp.pipe_names == ["zhnews_ner", "zhnews_entities"]  # the model, then the rules that merge with it
    meta = nlp.get_pipe_meta("zhnews_entities")
    assert "doc._.zh_entities" in meta.assigns
    assert meta.default_config == {"rules_dir": None, "segmenter": "jieba-next", "cache_dir": None}
    assert "doc._.zh_model_spans" in nlp.get_pipe_meta("zhnews_ner").assigns
    assert nlp.get_pipe_config("zhnews_ner")["threads"] == 1
    with pytest.raises(ValueError):
        Settings(ner_mode="fastest")
    with pytest.raises(ZhnewsError, match="accurate entity mode .* was removed"):
        Settings.from_env({"ZHNEWS_NER_MODE": "accurate"})


def test_character_level_decisions_on_purpose(pipeline):
    r = pipeline("阿里云与北京市政府签约,阿里随后表示支持。")
    assert ents(r) == [("阿里云", "ORG", "阿里云"), ("北京市政府", "ORG", "北京市政府"), ("阿里", "ORG", "阿里巴巴")]
    # a gazetteer name inside a longer jieba token is still found: matching is by character
    r = pipeline("金山云控股有限公司公告")
    assert ents(r) == [("金山云控股有限公司", "ORG", "金山云")]


def test_aliases_merge_to_one_canonical_name(pipeline):
    r = pipeline("Kingsoft Cloud Holdings Limited(金山雲控股有限公司)宣布,金山雲CEO王育林出席。")
    assert {e.norm for e in r.entities if e.label == "ORG"} == {"金山云"}


def test_roles_honorifics_and_bylines(pipeline):
    r = pipeline("作者|西梅汁\n创始人杨植麟表示,合伙人牛奎光和独立非执行董事曲静渊女士出席。")
    assert [e.text for e in r.entities if e.label == "PERSON"] == ["西梅汁", "杨植麟", "牛奎光", "曲静渊"]


def test_a_name_found_once_is_found_again(pipeline):
    text = "公司CEO张晓明表示看好前景。张晓明此前在投行任职。"
    r = pipeline(text)
    assert [e.text for e in r.entities] == ["张晓明", "张晓明"]
    # the rules alone (the model's component switched off): the second is found by propagation
    from pipeline.entity.components import extract_entity

    nlp = pipeline.runtime["entity"]
    with nlp.select_pipes(disable=["zhnews_ner"]):
        found = extract_entity(nlp, pipeline.segmenter.tokens(text))
    assert [(text[m.start:m.end], m.rule) for m in found] == [("张晓明", "entity.person_after_title"),
                                                            ("张晓明", "entity.propagated")]


def test_the_model_adds_names_no_rule_knows(pipeline):
    found = {e.text: e for e in pipeline("周立新表示,爱科微已完成新一轮融资。").entities}
    assert found["周立新"].label == "PERSON" and found["周立新"].rule == "entity.model"
    assert found["爱科微"].label == "ORG" and found["爱科微"].norm == "爱科微" and found["爱科微"].rule == "entity.model"


def test_overlaps_are_resolved_in_one_documented_order():
    m = lambda fam, s, e: Mention(fam, f"{fam}.x", s, e, {})  # noqa: E731
    kept = resolve_overlaps([m("entity", 0, 4), m("money", 2, 6), m("date", 5, 9), m("stock_code", 8, 10)])
    assert [(k.family, k.start) for k in kept] == [("money", 2), ("stock_code", 8)]


def test_show_renders_every_item(tmp_path):
    out = tmp_path / "show.html"
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "show", CORPUS / "001_bbb4a6706966530e.txt",
                          "--html", out], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<mark class="ORG" title="ORG: 金山云' in page
    assert '<mark class="money" title="7785200000 CNY' in page
    assert '<mark class="table_items"' in page and "<script" not in page


def test_the_spacy_vocabulary_stays_bounded_and_a_fresh_one_changes_nothing(pipeline, corpus_files):
    """spaCy remembers every token it has seen; past a bound the entity pipeline starts a fresh vocabulary,
    and the records are the same before and after."""
    from pipeline.entity import components

    nlp = pipeline.runtime["entity"]
    texts = [p.read_text(encoding="utf-8") for p in corpus_files]
    before = [pipeline(t).entities for t in texts]
    assert len(nlp.vocab) > 100
    assert components.bound_vocab(nlp, limit=100)
    assert len(nlp.vocab) < 100
    assert [pipeline(t).entities for t in texts] == before
    assert not components.bound_vocab(nlp, limit=10**9)


@pytest.mark.parametrize("text,place", [("北京市场需求旺盛。", "北京"), ("亚洲市场走强。", "亚洲"), ("深圳市民反映。", "深圳")])
def test_a_place_before_market_or_citizens_is_the_place_alone(text, place):
    from pipeline.core import extract

    assert [(e.text, e.label) for e in extract(text).entities] == [(place, "GPE")]


@pytest.mark.parametrize("text,name", [
    ("中国投资有限责任公司发布年报。", "中国投资有限责任公司"),   # 投资 before a legal form; 有限责任/公司 cut in two
    ("新疆风能有限责任公司成立。", "新疆风能有限责任公司"),
    ("国家金融监督管理总局北京监管局开出罚单。", "国家金融监督管理总局北京监管局"),  # a unit of a known body
])
def test_registered_names_and_units(text, name):
    from pipeline.core import extract

    assert (name, "ORG") in [(e.text, e.label) for e in extract(text).entities]


def test_northbound_money_is_no_organisation():
    from pipeline.core import extract

    assert all(e.text != "北向资金" for e in extract("数据显示,北向资金净流入超百亿元。").entities)


def test_doc_ents_are_the_mentions_on_token_boundaries():
    nlp = build_nlp(Settings())
    doc = nlp("阿里云与北京市政府签约,阿里随后表示支持。金山云控股有限公司公告")
    mentions = doc._.zh_entities
    assert [(m.start, m.end) for m in mentions][:3] == [(0, 3), (4, 9), (12, 14)]
    tokens = {(t.idx, t.idx + len(t.text)) for t in doc}
    starts, ends = {s for s, _ in tokens}, {e for _, e in tokens}
    on_bounds = [m for m in mentions if m.start in starts and m.end in ends]
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
        (m.start, m.end, m.fields["label"]) for m in on_bounds]
    assert len(doc.ents) >= 3
