"""Record schema: frozen, exact decimals, the fields downstream consumers rely on."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
from pydantic import ValidationError

from pipeline.records import ArticleRecord, Money


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


def test_records_are_frozen(pipeline):
    record = pipeline("金山云募资约28亿港元。")
    with pytest.raises(ValidationError):
        record.title = "x"


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


def test_record_has_no_stray_fields(pipeline):
    data = pipeline("金山云募资约28亿港元。").model_dump()
    assert "ITEM_FIELDS" not in data
    assert set(data) == set(ArticleRecord.model_fields)
