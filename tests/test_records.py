"""Record schema: frozen, exact decimals, the fields downstream consumers rely on."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
from pydantic import ValidationError

from pipeline.money.items import Money
from pipeline.records import ArticleRecord
from pipeline.version import PIPELINE_VERSION


def test_schema_has_the_required_fields():
    schema = ArticleRecord.model_json_schema(mode="serialization")
    props = schema["properties"]
    for name in ("doc_id", "source", "title", "published", "script", "encoding", "entities", "money",
                 "percentages", "dates", "shares", "stock_codes", "warnings", "pipeline_version"):
        assert name in props
    defs = schema["$defs"]
    for model, fields in {
        "Money": ("text", "start", "end", "rule", "value", "value_max", "currency", "qualifier", "per_share"),
        "Percentage": ("value",),
        "Share": ("value", "share_class"),
        "StockCode": ("code", "exchange", "company"),
        "DateItem": ("value", "end_value", "granularity", "year_inferred"),
        "Entity": ("label", "text", "norm"),
    }.items():
        assert set(fields) <= set(defs[model]["properties"]), model


def test_records_round_trip_through_json_exactly(pipeline):
    """A record read back from its JSON (a JSONL line, a database row) equals the record: no float, no
    dropped field, no default that differs from what was written."""
    record = pipeline("金山云CEO王育林宣布募资约28亿港元,每股作价16.5港元,较去年增长12.5%。", published="2025-09-01")
    text = record.model_dump_json()
    again = type(record).model_validate_json(text)
    assert again == record and again.model_dump_json() == text
    money = json.loads(text)["money"]
    assert [(m["value"], m["per_share"]) for m in money] == [("2800000000", False), ("16.5", True)]
    with pytest.raises(ValidationError):  # and the model is closed: an unknown field is an error
        type(record).model_validate({**json.loads(text), "surprise": 1})


def test_exact_decimals_in_json(pipeline):
    record = pipeline("總收入達到人民幣7,785.2百萬元（1,066.6百萬美元），市值逼近52亿美元。")
    data = json.loads(record.model_dump_json())
    values = [(m["value"], m["currency"]) for m in data["money"]]
    assert values == [("7785200000", "CNY"), ("1066600000", "USD"), ("5200000000", "USD")]
    assert data["money"][2]["qualifier"] == "approx"


def test_money_rejects_a_non_iso_currency():
    with pytest.raises(ValidationError):
        Money(text="1元", start=0, end=2, rule="money.x", value=1, currency="yuan")


def test_cli_schema_validates_real_records(pipeline, corpus_files):
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "schema"], capture_output=True, text=True, check=True)
    schema = json.loads(out.stdout)
    for path in corpus_files:
        record = pipeline(path.read_text(encoding="utf-8"), source=str(path))
        jsonschema.validate(json.loads(record.model_dump_json()), schema)


def test_the_record_lists_are_the_registered_families_in_order():
    """Each registered family has its list in the record, in the registry's order, typed by its item model."""
    from pipeline import registry

    fields = list(ArticleRecord.model_fields)
    lists = [f for f in fields if f not in ("doc_id", "source", "title", "published", "published_time", "published_from", "region",
                                              "region_from", "region_evidence", "script",
                                              "encoding", "metadata", "fingerprint", "warnings", "pipeline_version")]
    assert lists == [f.field for f in registry.families()]
    assert lists == ["entities", "money", "exchange_rates", "percentages", "dates", "shares", "stock_codes",
                     "table_items"]
    defs = ArticleRecord.model_json_schema(mode="serialization")["$defs"]
    assert {f.item.__name__ for f in registry.families()} <= set(defs)


def test_the_json_schema_names_itself_and_describes_the_record_fields():
    from pipeline.records import json_schema

    for error in (False, True):
        schema = json_schema(error=error)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].startswith("urn:zhnews:") and schema["$id"].endswith(PIPELINE_VERSION)
        undescribed = [k for k, v in schema["properties"].items() if "description" not in v]
        assert not undescribed, undescribed


def test_the_json_schema_describes_every_field_of_every_item():
    """Every property of the record and of every item model (money, dates, entities, table cells, warnings,
    region evidence, ...) says what it holds: the schema is what a data team reads."""
    from pipeline.records import json_schema

    for error in (False, True):
        schema = json_schema(error=error)
        undescribed = [f"{name}.{k}" for name, node in [("record", schema), *schema.get("$defs", {}).items()]
                       for k, v in node.get("properties", {}).items() if "description" not in v]
        assert not undescribed, undescribed
    assert len(json_schema()["$defs"]) >= 8
