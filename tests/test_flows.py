"""The Prefect flow, run for real on a temporary local Prefect server; task logic via `task.fn()`."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS
from sqlalchemy import create_engine, func, select

import flows
from pipeline.sinks import articles, errors_table


def test_extract_batch_logic_without_prefect(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x80\x80\xff\x00\x81\xfe")
    results = flows.extract_batch.fn([str(CORPUS / "002_35e92165ac81694a.txt"), str(bad), str(tmp_path / "gone.txt")])
    assert results[0].published == "2025-06-30"
    assert [r.stage for r in results[1:]] == ["decode", "read"]


def test_discover_articles_logic(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.md").write_text("x", encoding="utf-8")
    (tmp_path / "y.txt").write_text("y", encoding="utf-8")
    (tmp_path / "z.csv").write_text("z", encoding="utf-8")
    assert [p.split("/")[-1] for p in flows.discover_articles.fn(str(tmp_path))] == ["x.md", "y.txt"]


@pytest.mark.flow
def test_reprocess_flow_run_writes_jsonl_and_sqlite(prefect_harness, tmp_path):
    jsonl, db = tmp_path / "out" / "records.jsonl", tmp_path / "out" / "zhnews.db"
    summary = flows.reprocess(str(CORPUS), jsonl=str(jsonl), sqlite=str(db), batch_size=2)
    assert summary["articles"] == 5 and summary["records"] == 5 and summary["errors"] == 0
    assert len(jsonl.read_text(encoding="utf-8").splitlines()) == 5
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(articles)).scalar() == 5
    # reprocessing replaces in place
    flows.reprocess(str(CORPUS), jsonl=str(jsonl), sqlite=str(db), batch_size=3)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(articles)).scalar() == 5
    engine.dispose()


@pytest.mark.flow
def test_reprocess_flow_records_errors_and_goes_on(prefect_harness, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("金山云募资约28亿港元。", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x80\x80\xff\x00\x81\xfe")
    jsonl, db = tmp_path / "records.jsonl", tmp_path / "z.db"
    summary = flows.reprocess(str(folder), jsonl=str(jsonl), sqlite=str(db))
    assert summary["records"] == 1 and summary["errors"] == 1
    assert summary["error_details"][0]["stage"] == "decode"
    assert json.loads((tmp_path / "records.errors.jsonl").read_text(encoding="utf-8"))["source"].endswith("bad.txt")
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(errors_table)).scalar() == 1
    engine.dispose()
