"""Prefect flows: thin orchestration over the plain pipeline functions.

- `ingest(inbox, ...)`: the nightly run. Only articles that are new or changed (keyed by the sha256 of
  their bytes) are processed; input is never moved or deleted; a run manifest (counts, errors, timings,
  pipeline version) is written as JSON.
- `reprocess(folder, ...)`: the one-off run over everything. Records for the same `doc_id` and
  `pipeline_version` are replaced in place (upserts), never duplicated.

Tasks pass paths and records, never spaCy objects; the pipeline is loaded once per worker process and
reused by every batch. Only I/O tasks retry. An article that fails becomes an error record and the run
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

from pipeline.records import ArticleRecord, ErrorRecord
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


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def hash_articles(paths: list[str]) -> dict[str, str]:
    """path -> sha256 of its bytes, the key that says whether an article is new (I/O: retried). A file
    that cannot be read is left out here and reported by the extraction step."""
    out = {}
    for p in paths:
        try:
            out[p] = hashlib.sha256(Path(p).read_bytes()).hexdigest()
        except OSError:
            out[p] = ""
    return out


@task(cache_policy=NO_CACHE)
def extract_batch(paths: list[str], published: str | None = None) -> list[ArticleRecord | ErrorRecord]:
    """Records for a batch of files; a failing article becomes an error record (no retry: not I/O)."""
    from pipeline.core import default_pipeline, file_records

    default_pipeline()  # loaded once per worker process, then reused
    return [r for path in paths for r in file_records(path, published=published)]


@task(retries=3, retry_delay_seconds=2, cache_policy=NO_CACHE)
def write_batch(sinks: list, results: list[ArticleRecord | ErrorRecord]) -> int:
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


def _run(flow_name: str, folder: str, paths: list[str], skipped: int, sinks: list, published: str | None,
         batch_size: int, use_futures: bool, started: float, after_batch: Callable | None = None) -> dict:
    """Extract and write `paths` batch by batch; commit the sinks at the end; the run summary."""
    records = errors = done = 0
    details: list[dict] = []
    timings = {"extract": 0.0, "write": 0.0}
    _report(0, len(paths))
    try:
        batches = list(_chunks(paths, batch_size))
        futures = [extract_batch.submit(b, published) for b in batches] if use_futures else None
        for i, batch in enumerate(batches):
            t0 = time.perf_counter()
            results = futures[i].result() if futures else extract_batch(batch, published)
            t1 = time.perf_counter()
            write_batch(sinks, results)
            if after_batch is not None:
                after_batch(batch)
            timings["extract"] += t1 - t0
            timings["write"] += time.perf_counter() - t1
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
        "flow": flow_name, "folder": folder, "articles": len(paths) + skipped, "processed": len(paths),
        "skipped_unchanged": skipped, "records": records, "errors": errors, "error_details": details,
        "seconds": round(time.perf_counter() - started, 2),
        "timings": {k: round(v, 3) for k, v in timings.items()}, "pipeline_version": PIPELINE_VERSION,
    }


def _sinks(jsonl: str | None, db: str | None):
    from pipeline.sinks import open_sinks

    return open_sinks(jsonl=jsonl, db=db)


@flow(name="zhnews-reprocess")
def reprocess(folder: str, jsonl: str | None = "out/records.jsonl", db: str | None = "sqlite:///out/zhnews.db",
              published: str | None = None, batch_size: int = 64, dask_address: str | None = None) -> dict:
    """Reprocess every article under `folder` into the sinks (upserts: re-running changes no row count)."""
    started = time.perf_counter()
    paths = discover_articles(folder)
    summary = _run("reprocess", folder, paths, 0, _sinks(jsonl, db), published, batch_size,
                   bool(dask_address), started)
    summary["sinks"] = [s for s, on in (("jsonl", jsonl), ("db", db)) if on]
    get_run_logger().info("reprocessed %s: %d records, %d errors", folder, summary["records"], summary["errors"])
    return summary


@flow(name="zhnews-ingest")
def ingest(inbox: str, db: str = "sqlite:///out/zhnews.db", jsonl_dir: str | None = None,
           manifest_dir: str = "out/manifests", published: str | None = None, batch_size: int = 64,
           dask_address: str | None = None) -> dict:
    """The nightly run: process only articles whose bytes the database has not seen for this pipeline
    version, never touch the inbox, and write a run manifest. Safe to kill and re-run: each batch is
    committed on its own, and a re-run skips what was already written."""
    from pipeline.sinks import SqlSink

    run_id = uuid.uuid4().hex
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    started = time.perf_counter()
    paths = discover_articles(inbox)
    hashes = hash_articles(paths)
    store = SqlSink(db)
    seen = store.known_ids(PIPELINE_VERSION)
    new = [p for p in paths if hashes[p] not in seen]
    jsonl = str(Path(jsonl_dir) / f"ingest-{started_at.replace(':', '').replace('-', '')}-{run_id[:8]}.jsonl") \
        if jsonl_dir else None
    sinks = [store] + (_sinks(jsonl, None) if jsonl else [])
    summary = _run("ingest", inbox, new, len(paths) - len(new), sinks, published, batch_size,
                   bool(dask_address), started,
                   after_batch=lambda batch: mark_ingested(store, {p: hashes[p] for p in batch}))
    summary.update({"run_id": run_id, "started": started_at,
                    "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"), "jsonl": jsonl})
    summary["manifest"] = write_manifest(summary, manifest_dir)
    get_run_logger().info("ingested %s: %d new, %d unchanged, %d errors", inbox, len(new),
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
