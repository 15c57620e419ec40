"""The Prefect flows, run for real on a temporary local Prefect server; task logic via `task.fn()`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

import flows
from pipeline.store.sql import articles, database_url, errors_table, mentions

from conftest import CORPUS, ROOT, make_inbox


def count(db: str, table=articles) -> int:
    engine = create_engine(database_url(db))
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(table)).scalar()
    engine.dispose()
    return n


# ------------------------------------------------------------------------------------------------
# the logic, without Prefect


def test_extract_batch_logic_without_prefect(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x80\x80\xff\x00\x81\xfe")
    good = CORPUS / "002_35e92165ac81694a.txt"
    got = flows.extract_batch.fn([str(good), str(bad), str(tmp_path / "gone.txt")])
    assert [(p.rsplit("/", 1)[-1], len(h)) for p, h, _ in got] == [(good.name, 64), ("bad.txt", 64), ("gone.txt", 0)]
    assert got[0][1] == hashlib.sha256(good.read_bytes()).hexdigest()
    assert got[0][2][0].published == "2025-06-30"
    assert [rs[0].stage for _, _, rs in got[1:]] == ["decode", "read"]
    # a file whose hash is already known is read (to hash it) but not extracted
    again = flows.extract_batch.fn([str(good)], skip=frozenset({got[0][1]}))
    assert again == [(str(good), got[0][1], None)]


def test_ingest_reads_each_file_once(tmp_path, monkeypatch):
    """The batch task hashes the bytes it extracts: one read per file."""
    files = make_inbox(tmp_path / "inbox")
    import pipeline.sources

    reads = []
    real = os.open
    monkeypatch.setattr(pipeline.sources.os, "open", lambda p, *a: (reads.append(Path(p).name), real(p, *a))[1])
    got = flows.extract_batch.fn([str(f) for f in files])
    assert sorted(reads) == sorted(f.name for f in files) and all(rs for _, _, rs in got)


def test_discover_logic(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.md").write_text("x", encoding="utf-8")
    (tmp_path / "y.txt").write_text("y", encoding="utf-8")
    (tmp_path / "z.csv").write_text("z", encoding="utf-8")
    paths = flows.discover_articles.fn(str(tmp_path))
    assert [p.split("/")[-1] for p, _ in paths] == ["x.md", "y.txt"]
    assert all(root == str(tmp_path) for _, root in paths)


# ------------------------------------------------------------------------------------------------
# real flow runs


@pytest.mark.flow
def test_reprocess_sqlite_and_jsonl_is_idempotent(prefect_harness, tmp_path):
    jsonl, db = tmp_path / "out" / "records.jsonl", f"sqlite:///{tmp_path}/out/zhnews.db"
    summary = flows.reprocess(str(CORPUS), jsonl=str(jsonl), db=db, batch_size=2)
    assert summary["articles"] == 5 and summary["records"] == 5 and summary["errors"] == 0
    # the run closed its connections: SQLite folded its write-ahead log back into the database file
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["records.jsonl", "zhnews.db"]
    assert len(jsonl.read_text(encoding="utf-8").splitlines()) == 5
    first = (count(db), count(db, mentions))
    flows.reprocess(str(CORPUS), jsonl=str(jsonl), db=db, batch_size=3)  # replaced in place
    assert (count(db), count(db, mentions)) == first


@pytest.mark.flow
@pytest.mark.postgres
def test_both_flows_write_postgres(prefect_harness, postgres_url, tmp_path):
    db = postgres_url.replace("postgresql+psycopg://", "postgresql://")  # the URL a user types
    summary = flows.reprocess(str(CORPUS), jsonl=None, db=db)
    assert summary["records"] == 5
    first = (count(db), count(db, mentions))
    flows.reprocess(str(CORPUS), jsonl=None, db=db)  # re-running leaves row counts unchanged
    assert (count(db), count(db, mentions)) == first and first[0] == 5
    inbox = tmp_path / "inbox"
    make_inbox(inbox)
    first = flows.ingest(str(inbox), db=db, manifest_dir=str(tmp_path / "manifests"))
    assert first["processed"] == 5 and first["records"] == 5
    again = flows.ingest(str(inbox), db=db, manifest_dir=str(tmp_path / "manifests"))
    assert again["processed"] == 0 and again["skipped_unchanged"] == 5


@pytest.mark.flow
def test_ingest_only_new_or_changed_never_touches_the_inbox(prefect_harness, tmp_path):
    inbox, db = tmp_path / "inbox", f"sqlite:///{tmp_path}/z.db"
    files = make_inbox(inbox)
    (inbox / "corrupt.txt").write_bytes(b"\x80\x80\xff\x00\x81\xfe")
    before = {p: p.read_bytes() for p in inbox.iterdir()}
    first = flows.ingest(str(inbox), db=db, manifest_dir=str(tmp_path / "m"), batch_size=2)
    assert (first["processed"], first["records"], first["errors"]) == (6, 5, 1)
    assert first["error_details"][0]["stage"] == "decode"
    assert count(db) == 5 and count(db, errors_table) == 1
    manifest = json.loads(Path(first["manifest"]).read_text(encoding="utf-8"))
    assert manifest["records"] == 5 and manifest["errors"] == 1 and manifest["pipeline_version"]
    assert set(manifest["timings"]) == {"extract", "write"}
    assert {p: p.read_bytes() for p in inbox.iterdir()} == before  # nothing moved, deleted or changed

    files[0].write_text(files[0].read_text(encoding="utf-8") + "\n更新:公司募资约28亿港元。\n", encoding="utf-8")
    (inbox / "new.md").write_text("新文章:金山云募资约28亿港元。", encoding="utf-8")
    second = flows.ingest(str(inbox), db=db, manifest_dir=str(tmp_path / "m"))
    assert (second["processed"], second["skipped_unchanged"]) == (3, 4)  # changed + new + the failed one, retried
    assert count(db) == 7  # the changed article is a new doc_id; the old version stays, as written...
    engine = create_engine(database_url(db))
    with engine.connect() as conn:  # ... but only the new one is current
        current = conn.execute(select(func.count()).select_from(articles).where(articles.c.current)).scalar()
        stale = conn.execute(select(articles.c.source).where(articles.c.current.is_(False))).scalars().all()
        runs = conn.exec_driver_sql("SELECT flow, state, records, errors FROM runs ORDER BY started_at").all()
    engine.dispose()
    assert current == 6 and stale == [str(files[0].absolute())]
    assert runs == [("ingest", "completed", 5, 1), ("ingest", "completed", 2, 1)]


@pytest.mark.flow
def test_killed_ingest_resumes_with_every_article_written_once(tmp_path):
    """Kill `zhnews ingest` mid-run (SIGKILL), run it again: every article is in the database once."""
    inbox, db = tmp_path / "inbox", f"sqlite:///{tmp_path}/z.db"
    files = make_inbox(inbox, copies=8)  # 40 articles
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_HOME": str(tmp_path / "prefect")}
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(inbox), "--db", db, "--batch-size", "1",
           "--manifest-dir", str(tmp_path / "m")]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    deadline = time.time() + 180
    while time.time() < deadline and proc.poll() is None:
        if Path(f"{tmp_path}/z.db").exists() and _safe_count(db) >= 3:
            break
        time.sleep(0.2)
    assert proc.poll() is None, f"ingest finished before it could be killed: {proc.stderr.read().decode()[-2000:]}"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _safe_count(db)
    assert 3 <= partial < len(files)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    engine = create_engine(database_url(db))
    with engine.connect() as conn:
        rows = conn.execute(select(articles.c.source, func.count()).group_by(articles.c.source)).all()
    engine.dispose()
    assert len(rows) == len(files) and all(n == 1 for _, n in rows)


def _safe_count(db: str) -> int:
    try:
        return count(db)
    except Exception:  # noqa: BLE001 - the database may not have its tables yet
        return 0


@pytest.mark.flow
def test_cli_reprocess_prints_a_summary(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_HOME": str(tmp_path / "prefect")}
    folder = tmp_path / "in"
    shutil.copytree(CORPUS, folder)
    (folder / "bad.txt").write_bytes(b"\x80\x80\xff\x00\x81\xfe")
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "reprocess", str(folder), "--db",
                          f"sqlite:///{tmp_path}/z.db", "--jsonl", str(tmp_path / "r.jsonl")],
                         env=env, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 1  # one article failed, the run finished
    assert "records" in res.stderr and "bad.txt" in res.stderr
    assert count(f"sqlite:///{tmp_path}/z.db") == 5


@pytest.mark.flow
def test_reprocess_on_a_dask_cluster(prefect_harness, tmp_path):
    """Scale-out: the per-batch tasks run on Dask workers (a real LocalCluster with one worker process)."""
    distributed = pytest.importorskip("distributed")
    pytest.importorskip("prefect_dask")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        run = flows.with_dask(flows.reprocess, cluster.scheduler_address)
        summary = run(str(CORPUS), jsonl=None, db=f"sqlite:///{tmp_path}/z.db", batch_size=2,
                      dask_address=cluster.scheduler_address)
    assert summary["records"] == 5 and count(f"sqlite:///{tmp_path}/z.db") == 5


@pytest.mark.flow
def test_nightly_deployment_is_registered_with_resolved_parameters(prefect_harness, tmp_path):
    """`flows.deploy` (what `zhnews deploy` runs) registers the schedule, absolute paths and the work pool;
    prefect.yaml declares the same deployment for `prefect deploy` users."""
    import yaml
    from prefect.client.orchestration import get_client

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    params = flows.deployment_parameters(str(inbox), f"sqlite:///{tmp_path}/z.db")
    deployment_id = flows.deploy(params, pool="zhnews-test")
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment(deployment_id)
        pool = client.read_work_pool("zhnews-test")
    schedule = deployment.schedules[0].schedule
    assert (schedule.cron, schedule.timezone) == ("0 2 * * *", "Asia/Shanghai")
    assert deployment.parameters["inbox"] == str(inbox) and Path(deployment.parameters["manifest_dir"]).is_absolute()
    assert pool.type == "process" and deployment.work_pool_name == "zhnews-test"
    assert deployment.entrypoint == "flows.py:ingest" and "{{" not in json.dumps(deployment.pull_steps)
    declared = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"][0]
    assert declared["entrypoint"] == "flows.py:ingest" and declared["name"] == deployment.name
    assert (declared["schedules"][0]["cron"], declared["schedules"][0]["timezone"]) == (schedule.cron, schedule.timezone)
