"""Prefect flows: thin orchestration over the plain pipeline functions.

- `ingest(inbox, ...)`: the nightly run. Only articles that are new or changed (keyed by the sha256 of
  their bytes) are processed; input is never moved or deleted; a run manifest (counts, errors, timings,
  pipeline version) is written as JSON.
- `reprocess(folder, ...)`: the one-off run over everything. Records for the same `doc_id` and
  `pipeline_version` are replaced in place (upserts), never duplicated.

Tasks pass paths and records, never spaCy objects; the pipeline is loaded once per worker process and
reused by every batch, with the settings the flow was given (`ner_mode`; the rest from the environment,
read once by `pipeline.settings`). Each article file is read once: the batch task hashes the bytes it
extracts. Only I/O tasks retry. An article that fails becomes an error record and the run
goes on. With `dask_address`, the per-batch tasks run on a Dask cluster (prefect-dask's DaskTaskRunner).

    zhnews ingest inbox/ --db postgresql://user@host/zhnews      # or: python -c "import flows; ..."
    zhnews reprocess corpus/ --db sqlite:///out/zhnews.db --jsonl out/records.jsonl
    python flows.py serve                                         # the nightly deployment, 02:00 Shanghai
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from pipeline.records import ArticleBase, ErrorRecord
from pipeline.version import PIPELINE_VERSION

NIGHTLY_CRON = "0 2 * * *"
NIGHTLY_TIMEZONE = "Asia/Shanghai"

# Progress hooks: the CLI registers a callable(done, total) to draw its progress bar. The flow runs in
# the CLI's own process, so this is a plain in-process callback, not something Prefect has to serialise.
PROGRESS_HOOKS: list[Callable[[int, int], None]] = []


def _report(done: int, total: int) -> None:
    for hook in PROGRESS_HOOKS:
        hook(done, total)


# ----------------------------------------------------------------------------------------------
# tasks


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def discover_articles(folder: str) -> list[str]:
    """Every *.txt and *.md under `folder`, sorted (I/O: retried)."""
    from pipeline.core import find_articles

    if not Path(folder).is_dir():
        raise FileNotFoundError(f"not a folder: {folder}")
    return [str(p) for p in find_articles([Path(folder)])]


def _configure(ner_mode: str) -> None:
    """This worker process's settings: the flow's, with the rest from the environment."""
    from pipeline.core import configure
    from pipeline.settings import Settings

    configure(Settings.from_env(ner_mode=ner_mode))


@task(cache_policy=NO_CACHE)
def extract_batch(paths: list[str], published: str | None = None, ner_mode: str = "default",
                  skip: frozenset[str] = frozenset()) -> list[tuple[str, str, list[ArticleBase | ErrorRecord] | None]]:
    """(path, sha256 of its bytes, records) for each file of a batch, reading each file once; a file whose
    hash is in `skip` is not extracted (records None); a failing article becomes an error record and a file
    that cannot be read has an empty hash (no retry: not I/O)."""
    from pipeline.core import default_pipeline, error_record, records_of_bytes

    _configure(ner_mode)
    default_pipeline()  # loaded once per worker process, then reused
    out = []
    for path in paths:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            out.append((path, "", [error_record(exc, source=path)]))
            continue
        sha = hashlib.sha256(raw).hexdigest()
        out.append((path, sha, None if sha in skip else records_of_bytes(raw, source=path, published=published)))
    return out


@task(retries=3, retry_delay_seconds=2, cache_policy=NO_CACHE)
def write_batch(sinks: list, results: list[ArticleBase | ErrorRecord]) -> int:
    """Write one batch to every sink, each in one transaction (I/O: retried; upserts make it safe)."""
    for sink in sinks:
        sink.write(results)
    return len(results)


@task(retries=3, retry_delay_seconds=2, cache_policy=NO_CACHE)
def mark_ingested(store, files: dict[str, str]) -> None:
    """Remember that these files were handled (I/O: retried), after their records were committed."""
    store.mark_ingested(files, PIPELINE_VERSION)


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def write_manifest(manifest: dict, folder: str) -> str:
    """The run manifest as JSON, written to a temporary file and renamed into place."""
    target_dir = Path(folder)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{manifest['flow']}-{manifest['started'].replace(':', '').replace('-', '')}-{manifest['run_id'][:8]}.json"
    fd, tmp = tempfile.mkstemp(dir=target_dir, prefix=".manifest.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return str(target)


# ----------------------------------------------------------------------------------------------
# flows


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _task_runner(dask_address: str | None):
    if not dask_address:
        return None
    from prefect_dask import DaskTaskRunner  # an optional extra: pip install -e ".[dask]"

    return DaskTaskRunner(address=dask_address)


def _run(flow_name: str, folder: str, paths: list[str], sinks: list, published: str | None, batch_size: int,
         use_futures: bool, started: float, ner_mode: str, skip: frozenset[str] = frozenset(),
         after_batch: Callable | None = None) -> dict:
    """Extract and write `paths` batch by batch (files whose hash is in `skip` are left alone); commit the
    sinks at the end; the run summary."""
    records = errors = done = processed = 0
    details: list[dict] = []
    timings = {"extract": 0.0, "write": 0.0}
    _report(0, len(paths))
    try:
        batches = list(_chunks(paths, batch_size))
        futures = ([extract_batch.submit(b, published, ner_mode, skip) for b in batches] if use_futures
                   else None)
        for i, batch in enumerate(batches):
            t0 = time.perf_counter()
            got = futures[i].result() if futures else extract_batch(batch, published, ner_mode, skip)
            t1 = time.perf_counter()
            results = [r for _, _, rs in got if rs is not None for r in rs]
            write_batch(sinks, results)
            if after_batch is not None:
                after_batch({path: sha for path, sha, rs in got if rs is not None})
            timings["extract"] += t1 - t0
            timings["write"] += time.perf_counter() - t1
            processed += sum(1 for _, _, rs in got if rs is not None)
            for r in results:
                if isinstance(r, ErrorRecord):
                    errors += 1
                    details.append({"source": r.source, "stage": r.stage, "error": r.error, "message": r.message})
                else:
                    records += 1
            done += len(batch)
            _report(done, len(paths))
        for sink in sinks:
            sink.commit()
    except BaseException:
        for sink in sinks:
            sink.abort()
        raise
    return {
        "flow": flow_name, "folder": folder, "articles": len(paths), "processed": processed,
        "skipped_unchanged": len(paths) - processed, "records": records, "errors": errors,
        "error_details": details, "seconds": round(time.perf_counter() - started, 2),
        "timings": {k: round(v, 3) for k, v in timings.items()}, "pipeline_version": PIPELINE_VERSION,
    }


def _sinks(jsonl: str | None, db: str | None):
    from pipeline.store import open_sinks

    return open_sinks(jsonl=jsonl, db=db)


@flow(name="zhnews-reprocess")
def reprocess(folder: str, jsonl: str | None = "out/records.jsonl", db: str | None = "sqlite:///out/zhnews.db",
              published: str | None = None, batch_size: int = 64, dask_address: str | None = None,
              ner_mode: str = "default") -> dict:
    """Reprocess every article under `folder` into the sinks (upserts: re-running changes no row count)."""
    started = time.perf_counter()
    paths = discover_articles(folder)
    summary = _run("reprocess", folder, paths, _sinks(jsonl, db), published, batch_size, bool(dask_address),
                   started, ner_mode)
    summary["sinks"] = [s for s, on in (("jsonl", jsonl), ("db", db)) if on]
    get_run_logger().info("reprocessed %s: %d records, %d errors", folder, summary["records"], summary["errors"])
    return summary


@flow(name="zhnews-ingest")
def ingest(inbox: str, db: str = "sqlite:///out/zhnews.db", jsonl_dir: str | None = None,
           manifest_dir: str = "out/manifests", published: str | None = None, batch_size: int = 64,
           dask_address: str | None = None, ner_mode: str = "default") -> dict:
    """The nightly run: process only articles whose bytes the database has not seen for this pipeline
    version, never touch the inbox, and write a run manifest. Safe to kill and re-run: each batch is
    committed on its own, and a re-run skips what was already written."""
    from pipeline.store.sql import SqlSink

    run_id = uuid.uuid4().hex
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    started = time.perf_counter()
    paths = discover_articles(inbox)
    store = SqlSink(db)
    seen = frozenset(store.known_ids())
    jsonl = str(Path(jsonl_dir) / f"ingest-{started_at.replace(':', '').replace('-', '')}-{run_id[:8]}.jsonl") \
        if jsonl_dir else None
    sinks = [store] + (_sinks(jsonl, None) if jsonl else [])
    summary = _run("ingest", inbox, paths, sinks, published, batch_size, bool(dask_address), started, ner_mode,
                   skip=seen, after_batch=lambda files: mark_ingested(store, files))
    summary.update({"run_id": run_id, "started": started_at,
                    "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"), "jsonl": jsonl})
    summary["manifest"] = write_manifest(summary, manifest_dir)
    get_run_logger().info("ingested %s: %d new, %d unchanged, %d errors", inbox, summary["processed"],
                          summary["skipped_unchanged"], summary["errors"])
    return summary


def with_dask(flow_fn, dask_address: str | None):
    """The flow, on a Dask cluster when an address is given (its batches then run as futures)."""
    runner = _task_runner(dask_address)
    return flow_fn.with_options(task_runner=runner) if runner else flow_fn


def nightly_schedule():
    from prefect.schedules import Cron

    return Cron(NIGHTLY_CRON, timezone=NIGHTLY_TIMEZONE)


def nightly_deployment(inbox: str = "inbox", db: str = "sqlite:///out/zhnews.db"):
    """The nightly deployment (the same one prefect.yaml declares): ingest at 02:00 Asia/Shanghai."""
    return ingest.to_deployment(name="zhnews-nightly", schedules=[nightly_schedule()],
                                parameters={"inbox": inbox, "db": db})


def serve(inbox: str = "inbox", db: str = "sqlite:///out/zhnews.db") -> None:
    """Serve the nightly deployment from this process until stopped.

    pause_on_shutdown=False: on Prefect 3.8 stopping a `serve` process otherwise pauses the deployment.
    """
    ingest.serve(name="zhnews-nightly", schedules=[nightly_schedule()], parameters={"inbox": inbox, "db": db},
                 pause_on_shutdown=False)


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(*sys.argv[2:4])
    else:
        print(__doc__)
