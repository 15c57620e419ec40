"""The article's market region (pipeline/region, rules/region.yaml) and what it decides: the currency of a
bare 元 / 块 / 蚊 / 角 / 分 / 仙 and of a bare $, Taiwan's lots (張), four-digit codes.

`tests/region/region.yaml` (written by `tools/make_region.py`) holds Taiwan, Hong Kong, mainland, Macau,
Singapore and Malaysia sentences and short articles, and a few that are ambiguous on purpose, each with the
region it must get and the currency of every amount in a bare unit. The test prints region and currency
accuracy and fails below the floor."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from pipeline.errors import ZhnewsError
from pipeline.text.script import converter

HERE = Path(__file__).parent
CORPUS = yaml.safe_load((HERE / "region" / "region.yaml").read_text(encoding="utf-8"))
FLOOR = 0.97  # region and currency accuracy on the region corpus


def _score(pipeline):
    regions = currencies = n_money = 0
    misses = []
    for item in CORPUS["items"]:
        record = pipeline(item["text"], published=CORPUS["reference_date"])
        if record.region == item["region"]:
            regions += 1
        else:
            misses.append((item["id"], "region", item["region"], record.region))
        got = {(m.start, m.end): m for m in record.money}
        for want in item["money"]:
            n_money += 1
            m = got.get((want["start"], want["end"]))
            if m is not None and m.value == Decimal(want["value"]) and m.currency == want["currency"]:
                currencies += 1
            else:
                misses.append((item["id"], want["text"], want["currency"], m and (str(m.value), m.currency)))
    return regions, currencies, n_money, misses


def test_region_corpus(pipeline, capsys):
    regions, currencies, n_money, misses = _score(pipeline)
    n = len(CORPUS["items"])
    with capsys.disabled():
        print(f"\nregion corpus: region {regions}/{n} = {regions / n:.3f}; currency of bare-unit amounts "
              f"{currencies}/{n_money} = {currencies / n_money:.3f}")
        for miss in misses:
            print("  miss:", miss)
    assert regions / n >= FLOOR and currencies / n_money >= FLOOR, misses


def test_region_corpus_covers_every_region():
    regions = {item["region"] for item in CORPUS["items"]}
    assert {"mainland", "hong_kong", "taiwan", "macau", "singapore", "malaysia", None} <= regions
    assert sum(1 for i in CORPUS["items"] if i["kind"] == "article") >= 10
    for item in CORPUS["items"]:
        for m in item["money"]:
            assert item["text"][m["start"]:m["end"]] == m["text"], (item["id"], m)


def _cny_forms():
    out = []
    for family in ("money", "percent"):
        data = yaml.safe_load((HERE / "corpus" / f"{family}.yaml").read_text(encoding="utf-8"))
        for case in data["cases"]:
            if case["expect"].get("currency", "CNY") == "CNY":
                out += [str(f) for f in case["forms"]]
    return out


def test_opencc_standard_traditional_is_no_region_of_its_own(pipeline):
    """The corpus runner re-runs every form through OpenCC s2t, whose characters (爲, 着, 裏) are neither
    Taiwan's nor Hong Kong's house style: such a text stays mainland or unknown, so its bare 元 stays CNY."""
    moved = []
    for form in _cny_forms():
        record = pipeline(converter("s2t").convert(form))
        if record.region not in (None, "mainland"):
            moved.append((form, record.region, [(e.signal, e.region) for e in record.region_evidence]))
    assert not moved, moved[:10]


def test_evidence_points_at_the_original_text(pipeline):
    text = "【台北報導】台股今日加權指數上漲152點，收在22,315點，成交金額3,856億元。外資買超1萬2,000張。"
    record = pipeline(text)
    assert record.region == "taiwan" and record.region_from == "signals"
    assert record.money[0].currency == "TWD" and record.money[0].currency_from == "region"
    assert record.shares and record.shares[0].value == Decimal(12_000_000)  # 1萬2,000張: lots of 1,000 shares
    kinds = {e.kind for e in record.region_evidence}
    assert {"byline", "market"} <= kinds
    for e in record.region_evidence:
        if e.start is not None:
            assert text[e.start:e.end] == e.text


def test_a_caller_fixes_the_region_and_a_disagreement_is_a_warning(pipeline):
    text = "台積電今天股價收在1,085元，外資買超台股326億元。"
    fixed = pipeline(text, region="hong_kong", region_from="feed")
    assert fixed.region == "hong_kong" and fixed.region_from == "feed"
    assert {m.currency for m in fixed.money} == {"HKD"}
    assert "region_disagrees" in {w.code for w in fixed.warnings}
    by_argument = pipeline("该公司股价收报12.5元。", region="taiwan")
    assert by_argument.region_from == "argument" and by_argument.money[0].currency == "TWD"
    with pytest.raises(ZhnewsError):
        pipeline(text, region="atlantis")


def test_no_signal_falls_back_with_a_warning_and_rivals_leave_no_currency(pipeline):
    unknown = pipeline("該公司股價今日收報12.5元，成交金額約3億元。")
    assert unknown.region is None
    assert [(m.currency, m.currency_from) for m in unknown.money] == [("CNY", "default")] * 2
    assert "region_unknown" in {w.code for w in unknown.warnings}
    rivals = pipeline("臺積電ADR及港股騰訊同步走高，兩者市值合計增加逾500億元。")
    assert rivals.region is None
    assert [(m.currency, m.currency_from) for m in rivals.money] == [(None, "unresolved")]
    assert "region_ambiguous" in {w.code for w in rivals.warnings}


def test_simplified_text_is_mainland_unless_singapore_or_malaysia(pipeline):
    assert pipeline("港股恒指今日收涨1.2%，腾讯收报368.2元。").money[0].currency == "CNY"
    sg = pipeline("新加坡海峡时报指数今日收高，星展银行收报43.8元。")
    assert sg.region == "singapore" and sg.money[0].currency == "SGD"


def test_a_traditional_text_that_names_only_hong_kong_dollars_is_hong_kongs(pipeline):
    """The traditional rendering of a tests/corpus/money.yaml sentence (its traditional variant is left out
    there): naming 港元 and nothing else, its bare 元 is HKD."""
    text = converter("s2t").convert("单笔交易金额在5000万元以上的,须提交股东大会审议;涉及1亿港元或以上的,须另行刊发公告。")
    record = pipeline(text)
    assert record.region == "hong_kong"
    assert [(m.text, m.currency) for m in record.money] == [("5000萬元", "HKD"), ("1億港元", "HKD")]


def test_cents_and_dollars_by_region(pipeline):
    hk = pipeline("滙豐控股宣派股息每股10美仙，本港股價收報98.5元，入場費$3,940。")
    assert hk.region == "hong_kong"
    assert [(m.text, m.value, m.currency) for m in hk.money] == [
        ("10美仙", Decimal("0.1"), "USD"), ("98.5元", Decimal("98.5"), "HKD"), ("$3,940", Decimal(3940), "HKD")]
    assert pipeline("海外版售价$799起。").money[0].currency == "USD"


def test_lots_and_four_digit_codes_need_taiwan(pipeline):
    tw = pipeline("外資今天賣超台積電(2330)2萬3,456張，鴻海(2317)5月營收年增一成。")
    assert tw.region == "taiwan"
    assert [(s.code, s.exchange) for s in tw.stock_codes] == [("2330", "TWSE"), ("2317", "TWSE")]
    assert [s.value for s in tw.shares] == [Decimal(23_456_000)]
    mainland = pipeline("该公司发行了500万张可转换公司债券,活动代号(0618)。")
    assert not mainland.shares and not mainland.stock_codes


def test_ambiguous_currency_names_resolve_by_country_or_warn(pipeline):
    assert pipeline("阿根廷政府计划发行总额4000亿比索的国内债券。").money[0].currency == "ARS"
    assert pipeline("菲律宾央行降息后,当地银行间市场一日成交近500亿比索。").money[0].currency == "PHP"
    lone = pipeline("他在旅行中用500比索买了一张门票。")
    assert not lone.money and "ambiguous_currency" in {w.code for w in lone.warnings}
    assert pipeline("巴基斯坦央行宣布向银行注资3000亿卢比。").money[0].currency == "PKR"
    assert pipeline("印度一家公司融资3000亿卢比。").money[0].currency == "INR"


def test_region_reaches_the_database(pipeline, tmp_path):
    from pipeline.store import open_sinks

    record = pipeline("臺積電ADR及港股騰訊同步走高，兩者市值合計增加逾500億元。台積電今天股價收在1,085元。")
    sinks = open_sinks(jsonl=None, db=f"sqlite:///{tmp_path / 'r.db'}")
    for sink in sinks:
        sink.write([record])
        sink.commit()
    import sqlite3

    con = sqlite3.connect(tmp_path / "r.db")
    rows = con.execute("select text, unit from mentions where family = 'money'").fetchall()
    assert ("1,085元", None) in rows or any(r[1] in (None, "TWD") for r in rows)


# ------------------------------------------------------------------------------------------------
# a caller fixes the region: the command line, a JSONL field, a feed of the flows


def test_command_line_region_and_jsonl_region(tmp_path):
    import json

    from test_cli import zhnews

    article = tmp_path / "a.txt"
    article.write_text("該公司股價今日收報12.5元。", encoding="utf-8")
    res = zhnews("extract", article, "--region", "taiwan")
    assert res.returncode == 0, res.stderr
    record = json.loads(res.stdout)
    assert record["region"] == "taiwan" and record["region_from"] == "argument"
    assert record["money"][0]["currency"] == "TWD"
    bad = zhnews("extract", article, "--region", "atlantis")
    assert bad.returncode != 0 and "region" in bad.stderr
    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps({"id": "a", "text": "該公司股價今日收報12.5元。", "region": "hong_kong"}) + "\n"
                     + json.dumps({"id": "b", "text": "該公司股價今日收報12.5元。"}) + "\n", encoding="utf-8")
    res = zhnews("extract", "--jsonl-input", lines, "--region", "macau")
    assert res.returncode == 0, res.stderr
    a, b = (json.loads(line) for line in res.stdout.splitlines())
    assert (a["region"], a["region_from"], a["money"][0]["currency"]) == ("hong_kong", "input", "HKD")
    assert (b["region"], b["region_from"], b["money"][0]["currency"]) == ("macau", "argument", "MOP")


def test_a_feed_fixes_the_region_of_its_subfolder(tmp_path):
    import flows

    inbox = tmp_path / "inbox"
    (inbox / "cna").mkdir(parents=True)
    (inbox / "misc").mkdir()
    tw, other = inbox / "cna" / "a.txt", inbox / "misc" / "b.txt"
    for f in (tw, other):
        f.write_text("該公司股價今日收報12.5元。", encoding="utf-8")
    regions = flows.feed_regions([str(tw), str(other)], str(inbox), None, {"cna": "taiwan"})
    assert regions == {str(tw): "taiwan"}
    assert flows.feed_regions([str(tw), str(other)], str(inbox), "hong_kong", {"cna": "taiwan"}) == {
        str(tw): "taiwan", str(other): "hong_kong"}
    got = flows.extract_batch.fn([str(tw), str(other)], regions=regions)
    (_, _, [rec_tw]), (_, _, [rec_other]) = got
    assert (rec_tw.region, rec_tw.region_from, rec_tw.money[0].currency) == ("taiwan", "feed", "TWD")
    assert rec_other.region is None and rec_other.money[0].currency_from == "default"
    params = flows.deployment_parameters(str(inbox), "sqlite:///x.db", feeds={"cna": "taiwan"})
    assert params["feeds"] == {"cna": "taiwan"}


def test_the_regional_characters_are_opencc_s(pipeline):
    """rules/region.yaml lists the characters OpenCC's s2tw / s2hk write for each region (so the pipeline
    need not load those dictionaries): the list must be what tools/region_variants.py computes."""
    import sys

    sys.path.insert(0, str(HERE.parent / "tools"))
    from region_variants import variants

    spec = pipeline.rules.region.variants
    computed = variants(set(spec.exclude))
    assert sorted(spec.taiwan) == sorted(computed["taiwan"])
    assert sorted(spec.hong_kong) == sorted(computed["hong_kong"])


@pytest.mark.flow
def test_ingest_with_a_feed_option_books_the_feeds_bare_yuan_in_its_currency(tmp_path):
    """`zhnews ingest inbox --feed cna=taiwan`: a real flow run; the feed's article is TWD, another keeps
    the region its own text gives; a bad --feed is a usage error before any work."""
    import sqlite3

    from test_operations import _zhnews

    inbox = tmp_path / "inbox"
    (inbox / "cna").mkdir(parents=True)
    (inbox / "misc").mkdir()
    (inbox / "cna" / "a.txt").write_text("該公司股價今日收報12.5元。", encoding="utf-8")
    (inbox / "misc" / "b.txt").write_text("该公司股价今日收报12.5元。", encoding="utf-8")
    db = tmp_path / "z.db"
    bad = _zhnews("ingest", inbox, "--db", f"sqlite:///{db}", "--feed", "cna", tmp_path=tmp_path, timeout=60)
    assert bad.returncode == 2 and "--feed" in bad.stderr and "Traceback" not in bad.stderr
    bad = _zhnews("ingest", inbox, "--db", f"sqlite:///{db}", "--feed", "cna=atlantis", tmp_path=tmp_path,
                  timeout=60)
    assert bad.returncode == 2 and "region must be one of" in bad.stderr
    assert not db.exists()
    res = _zhnews("ingest", inbox, "--db", f"sqlite:///{db}", "--manifest-dir", tmp_path / "m",
                  "--feed", "cna/=taiwan", tmp_path=tmp_path)
    assert res.returncode == 0, res.stderr
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT a.source, m.unit FROM mentions m JOIN articles a ON a.doc_id = m.doc_id "
                                 "WHERE m.family = 'money' AND a.current").fetchall())
    assert {Path(k).relative_to(inbox).as_posix(): v for k, v in rows.items()} == {
        "cna/a.txt": "TWD", "misc/b.txt": "CNY"}, rows


def test_a_body_named_without_its_place_is_the_regions_own(pipeline):
    """`regional_aliases` in rules/entity.yaml: 证监会 in a Hong Kong article is the SFC, 央行 in a Taiwan one its
    central bank; in a mainland article they stay the mainland's. Every region named there is one of
    rules/region.yaml."""
    def orgs(text, region=None):
        return [(e.text, e.norm) for e in pipeline(text, region=region).entities if e.label == "ORG"]

    assert orgs("證監會對一間券商作出譴責，並罰款300萬港元。") == [("證監會", "香港证监会")]
    assert orgs("央行總裁表示，新台幣匯率維持穩定，台股上漲。") == [("央行", "台湾中央银行")]
    assert orgs("证监会发布新规，A股市场反应积极。") == [("证监会", "中国证监会")]
    assert orgs("证监会发布新规。", region="hong_kong") == [("证监会", "香港证监会")]
    regions = set(yaml.safe_load(Path("rules/region.yaml").read_text(encoding="utf-8"))["regions"])
    entity = yaml.safe_load(Path("rules/entity.yaml").read_text(encoding="utf-8"))
    assert set(entity["regional_aliases"]) <= regions
