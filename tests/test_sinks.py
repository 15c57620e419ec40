"""Sinks against real files, a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, func, select, text

from pipeline.core import error_record
from pipeline.errors import DecodeError
from pipeline.store.jsonl import JsonlSink, SinkError
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


def test_an_article_the_database_refuses_becomes_its_error_row_and_the_batch_goes_on(tmp_path, results):
    """One article can never sink a batch: it is written under a savepoint, and a refusal (here a NOT NULL
    violation) becomes its error row, in the same transaction as the rest."""
    recs, _ = results
    url = sqlite_url(tmp_path / "z.db")
    sink = SqlSink(url)
    sink.write(recs[:2])
    bad = recs[2].model_copy(update={"doc_id": None, "source": "bad.txt"})
    written = sink.write([recs[3], bad, recs[4]], files={recs[3].source: "a" * 64, "bad.txt": "b" * 64})
    assert [type(w).__name__ for w in written] == ["ArticleRecord", "ErrorRecord", "ArticleRecord"]
    assert written[1].stage == "store" and "refused" in written[1].message
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(articles)).scalar() == 4
        assert conn.execute(select(errors_table.c.source, errors_table.c.stage)).all() == [("bad.txt", "store")]
        marked = {r[0] for r in conn.exec_driver_sql("SELECT source FROM ingested")}
    engine.dispose()
    assert marked == {recs[3].source}  # the refused file is not marked: the next run retries it


def test_a_database_that_is_gone_is_a_sink_error_not_a_bad_article(tmp_path, results):
    recs, _ = results
    db = tmp_path / "z.db"
    sink = SqlSink(sqlite_url(db))
    sink.engine.dispose()
    db.unlink()
    db.mkdir()  # the path is now a folder: the database cannot be opened at all
    with pytest.raises(SinkError, match="cannot write"):
        sink.write(recs[:1])


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
        assert {"period", "kind", "attrs", "num", "date"} <= set(cols)
        assert conn.exec_driver_sql("SELECT version FROM zhnews_schema").scalar() == 5
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
    money_attrs = {"qualifier": "approx", "per_share": False, "currency_from": "explicit", "per_unit": None}
    assert rows[("money", "28亿港元")]["attrs"] == money_attrs  # currency_from, per_unit: issue 16
    assert rows[("money", "16.5港元")]["attrs"]["per_share"] is True
    attrs = rows[("date", "去年")]["attrs"]  # every date field without a column: year_from, relative, ...
    assert attrs["year_inferred"] is True and attrs["year_from"] == "reference"
    assert attrs["relative"]["unit"] == "year" and attrs["relative"]["offset"] == -1
    assert rows[("entity", "张晓明")]["attrs"] is None  # label, norm and kind have columns
    url = sqlite_url(tmp_path / "m.db")
    sink = SqlSink(url)
    sink.write([record])
    sink.commit()
    with create_engine(url).connect() as conn:
        got = conn.execute(select(mentions.c.attrs).where(mentions.c.text == "28亿港元")).scalar()
    assert got == money_attrs


# ------------------------------------------------------------------------------------------------
# issue 18: concurrency, per-article isolation on PostgreSQL; issue 17: current rows and typed columns


def _open(url: str, barrier, out) -> None:
    try:
        barrier.wait(10)
        SqlSink(url).commit()
        out.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        out.put(f"{type(exc).__name__}: {exc}")


def _open_twice_at_once(urls: list[str]) -> list[str]:
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    outcomes = []
    for url in urls:
        barrier, out = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_open, args=(url, barrier, out)) for _ in range(2)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        outcomes += [out.get(timeout=5) for _ in procs]
    return outcomes


def test_two_processes_can_open_a_new_sqlite_database_at_once(tmp_path):
    outcomes = _open_twice_at_once([sqlite_url(tmp_path / f"new{i}.db") for i in range(6)])
    assert outcomes == ["ok"] * 12


@pytest.mark.postgres
def test_two_processes_can_open_a_new_postgres_database_at_once(postgres_server):
    import uuid

    import psycopg

    host, port = postgres_server
    urls = []
    for _ in range(6):
        name = f"zhnews_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host={host} port={port} user=zhnews dbname=postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        urls.append(f"postgresql+psycopg://zhnews@{host}:{port}/{name}")
    assert _open_twice_at_once(urls) == ["ok"] * 12


@pytest.mark.postgres
def test_postgres_stores_an_item_with_a_nul_and_the_rest_of_the_batch(postgres_url, results):
    """PostgreSQL refuses NUL in text and JSONB: the normaliser removes NUL from articles, and the sink
    escapes any that reach it another way, so the batch is written whole."""
    recs, _ = results
    odd = recs[0].model_copy(update={"title": "28\x00亿港元"})
    sink = SqlSink(postgres_url)
    written = sink.write([odd] + recs[1:])
    assert all(type(w).__name__ == "ArticleRecord" for w in written)
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(articles)).scalar() == len(recs)
        assert conn.execute(select(articles.c.title).where(articles.c.doc_id == odd.doc_id)).scalar() == "28\\0亿港元"
    engine.dispose()


def test_an_edited_source_supersedes_its_earlier_record(tmp_path):
    from pipeline.core import extract

    url = sqlite_url(tmp_path / "z.db")
    sink = SqlSink(url)
    first = extract("金山云募资约28亿港元。", source="/inbox/a.txt")
    edited = extract("金山云募资约30亿港元。", source="/inbox/a.txt")
    other = extract("智谱募资约43亿港元。", source="/inbox/b.txt")
    sink.write([first, other])
    sink.write([edited])
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = dict(conn.execute(select(articles.c.doc_id, articles.c.current)).all())
        amounts = conn.execute(select(mentions.c.num, mentions.c.unit).join(
            articles, (articles.c.doc_id == mentions.c.doc_id) & articles.c.current)
            .where(mentions.c.family == "money").order_by(mentions.c.num)).all()
    engine.dispose()
    assert rows == {first.doc_id: False, edited.doc_id: True, other.doc_id: True}
    assert amounts == [(3e9, "HKD"), (4.3e9, "HKD")]  # current rows only, numbers as numbers


@pytest.mark.postgres
def test_postgres_typed_columns_are_exact(postgres_url):
    from decimal import Decimal

    from pipeline.core import extract

    record = extract("公司于2025年6月30日公布收入为人民币7,785.2百万元,较去年增长10.5%。", source="/x.txt",
                     published="2025-07-01")
    sink = SqlSink(postgres_url)
    sink.write([record])
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        num = conn.execute(select(mentions.c.num).where(mentions.c.family == "money")).scalar()
        day = conn.execute(select(mentions.c.date).where(mentions.c.family == "date")).scalar()
        published = conn.execute(select(articles.c.published)).scalar()
        kinds = dict(conn.exec_driver_sql(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'mentions'").all())
    engine.dispose()
    assert num == Decimal("7785200000") and str(day) == "2025-06-30" and str(published) == "2025-07-01"
    assert kinds["num"] == "numeric" and kinds["date"] == "date"


@pytest.mark.postgres
def test_postgres_migration_to_typed_columns_keeps_and_types_the_rows(postgres_url):
    """A database written by schema 4 (text dates and values) opens as schema 5 with the same rows, now
    typed: published is a DATE, values that are numbers are NUMERIC, and the newest record is current."""
    engine = create_engine(postgres_url)
    assert migrate(engine, target=4) == 4
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO articles (doc_id, pipeline_version, source, published, script, encoding, record, "
            "processed_at) VALUES ('a', '0.0.9', 'old.txt', '2025-06-30', 'simplified', 'utf-8', '{}', now())")
        conn.exec_driver_sql(
            "INSERT INTO mentions (doc_id, pipeline_version, family, idx, start, \"end\", text, rule, value, unit) "
            "VALUES ('a', '0.0.9', 'money', 0, 0, 5, '28亿港元', 'money.x', '2800000000', 'HKD')")
    engine.dispose()
    SqlSink(postgres_url).commit()  # opening upgrades
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT published, current, origin FROM articles WHERE doc_id = 'a'").one()
        num = conn.exec_driver_sql("SELECT num FROM mentions WHERE doc_id = 'a'").scalar()
        version = conn.exec_driver_sql("SELECT version FROM zhnews_schema").scalar()
    engine.dispose()
    assert (str(row[0]), row[1], row[2]) == ("2025-06-30", True, "old.txt")
    assert str(num) == "2800000000" and version == 5


def test_output_to_dev_null_or_a_fifo_is_written_in_place_never_replaced(tmp_path, results):
    """`zhnews extract -o /dev/null` (and a FIFO a reader drains) must not be renamed over: the device stays a
    device, no temporary file or errors file is left in its folder, and the records reach a FIFO's reader."""
    import os
    import stat
    import subprocess
    import sys
    import threading

    from conftest import ROOT

    before = os.stat("/dev/null")
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(ROOT / "corpus"), "-o", "/dev/null"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino
    assert not [n for n in os.listdir("/dev") if n.startswith(".null.") or n.startswith("null.")]

    fifo = tmp_path / "records.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    recs, err = results
    sink = JsonlSink(fifo)
    sink.write(recs + [err])  # the error record goes to stderr: there is no folder of its own to put it in
    sink.commit()
    reader.join(30)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [json.loads(line)["doc_id"] for line in got[0].splitlines()] == [r.doc_id for r in recs]
    assert sorted(os.listdir(tmp_path)) == ["records.fifo"]
