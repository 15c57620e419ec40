"""Sinks against real files, a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import IntegrityError

from pipeline.core import error_record
from pipeline.errors import DecodeError
from pipeline.store.jsonl import JsonlSink
from pipeline.store.sql import SqlSink, articles, errors_table, mentions, migrate, sqlite_url


@pytest.fixture(scope="module")
def results(corpus_files):
    from pipeline.core import extract_file

    recs = [extract_file(p) for p in corpus_files]
    err = error_record(DecodeError("not valid UTF-8", source="bad.txt"), source="bad.txt", raw=b"\x80")
    return recs, err


def test_jsonl_commit_renames_and_abort_keeps_the_old_file(tmp_path, results):
    recs, err = results
    path = tmp_path / "records.jsonl"
    sink = JsonlSink(path)
    sink.write(recs + [err])
    assert not path.exists()  # nothing visible before commit
    sink.commit()
    assert len(path.read_text(encoding="utf-8").splitlines()) == len(recs)
    assert json.loads((tmp_path / "records.errors.jsonl").read_text(encoding="utf-8"))["stage"] == "decode"
    before = path.read_bytes()
    sink2 = JsonlSink(path)
    sink2.write(recs[:1])
    sink2.abort()  # an interrupted run
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def _counts(url):
    engine = create_engine(url)
    with engine.connect() as conn:
        out = (conn.execute(select(func.count()).select_from(articles)).scalar(),
               conn.execute(select(func.count()).select_from(mentions)).scalar(),
               conn.execute(select(func.count()).select_from(errors_table)).scalar())
    engine.dispose()
    return out


def _check_sql_sink(url, recs, err):
    sink = SqlSink(url)
    sink.write(recs + [err])
    sink.commit()
    first = _counts(url)
    n_items = sum(len(list(r.items())) for r in recs)
    assert first == (len(recs), n_items, 1)
    sink = SqlSink(url)  # reprocessing the same records: upserts, never duplicates
    sink.write(recs + [err])
    sink.commit()
    assert _counts(url) == first
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(select(articles.c.record).where(articles.c.doc_id == recs[0].doc_id)).scalar_one()
        data = row if isinstance(row, dict) else json.loads(row)
        assert data["doc_id"] == recs[0].doc_id
        money = conn.execute(select(mentions.c.value, mentions.c.unit).where(
            mentions.c.family == "money", mentions.c.text == "人民幣7,785.2百萬元")).first()
        assert money == ("7785200000", "CNY")  # exact, as text
    engine.dispose()


def test_sqlite_sink_is_idempotent(tmp_path, results):
    recs, err = results
    _check_sql_sink(sqlite_url(tmp_path / "z.db"), recs, err)


@pytest.mark.postgres
def test_postgres_sink_is_idempotent_and_uses_jsonb(postgres_url, results):
    recs, err = results
    _check_sql_sink(postgres_url, recs, err)
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        kind = conn.execute(text("SELECT data_type FROM information_schema.columns "
                                 "WHERE table_name='articles' AND column_name='record'")).scalar()
        assert kind == "jsonb"
        n = conn.execute(text("SELECT count(*) FROM articles WHERE record->'money' @> "
                              "'[{\"currency\": \"HKD\"}]'::jsonb")).scalar()
        assert n >= 2
    engine.dispose()


def test_a_failed_batch_leaves_the_database_as_it_was(tmp_path, results):
    recs, _ = results
    url = sqlite_url(tmp_path / "z.db")
    sink = SqlSink(url)
    sink.write(recs[:2])
    before = _counts(url)
    bad = recs[2].model_copy(update={"doc_id": None})  # violates NOT NULL inside the transaction
    with pytest.raises(IntegrityError):
        sink.write([recs[3], bad])
    assert _counts(url) == before  # recs[3], written first in the same batch, was rolled back too


def test_migrations_upgrade_an_older_database_and_keep_its_rows(tmp_path, results):
    from sqlalchemy import insert as sa_insert

    recs, _ = results
    url = sqlite_url(tmp_path / "old.db")
    engine = create_engine(url)
    assert migrate(engine, target=1) == 1  # a database made by the first release
    with engine.begin() as conn:
        conn.execute(sa_insert(articles).values(
            doc_id=recs[0].doc_id, pipeline_version="0.0.1", source="old.txt", title=None, published=None,
            script="simplified", encoding="utf-8", record={"doc_id": recs[0].doc_id}, processed_at=func.now()))
        cols = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(mentions)")]
        assert "period" not in cols
    engine.dispose()
    sink = SqlSink(url)  # opening it upgrades the schema step by step
    sink.write(recs[:1])
    sink.commit()
    engine = create_engine(url)
    with engine.connect() as conn:
        cols = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(mentions)")]
        assert {"period", "kind", "attrs"} <= set(cols)
        assert conn.exec_driver_sql("SELECT version FROM zhnews_schema").scalar() == 4
        assert conn.execute(select(func.count()).select_from(articles)).scalar() == 2  # the old row survived
    engine.dispose()


@pytest.mark.postgres
def test_readme_query_hkd_amounts_by_company(postgres_url, results):
    from conftest import ROOT

    recs, _ = results
    sink = SqlSink(postgres_url)
    sink.write(recs)
    sink.commit()
    query = (ROOT / "sql" / "hkd_above_1yi_by_company.sql").read_text(encoding="utf-8")
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        rows = conn.execute(text(query)).all()
    engine.dispose()
    got = {(r.company, r.amount_text, int(r.hkd)) for r in rows}
    assert ("智谱", "43億港元", 4300000000) in got
    assert ("金山云", "28亿港元", 2800000000) in got
    assert ("云知声", "220亿港元", 22000000000) in got
    assert all(r.hkd > 100000000 for r in rows)


def test_mention_rows_carry_every_item_field(tmp_path):
    """What has no column of its own (qualifier, per_share, year_inferred, ...) is in `attrs`."""
    from pipeline.core import extract
    from pipeline.store.sql import mention_rows

    record = extract("公司CEO张晓明表示,去年募资约28亿港元,每股作价16.5港元。", published="2025-09-01")
    rows = {(r["family"], r["text"]): r for r in mention_rows(record)}
    assert rows[("money", "28亿港元")]["attrs"] == {"qualifier": "approx", "per_share": False}
    assert rows[("money", "16.5港元")]["attrs"]["per_share"] is True
    assert rows[("date", "去年")]["attrs"] == {"year_inferred": True}
    assert rows[("entity", "张晓明")]["attrs"] is None  # label, norm and kind have columns
    url = sqlite_url(tmp_path / "m.db")
    sink = SqlSink(url)
    sink.write([record])
    sink.commit()
    with create_engine(url).connect() as conn:
        got = conn.execute(select(mentions.c.attrs).where(mentions.c.text == "28亿港元")).scalar()
    assert got == {"qualifier": "approx", "per_share": False}
