"""Prefect flows: thin orchestration over the plain pipeline functions.

- `ingest(inbox, ...)`: the nightly run. Only articles whose bytes the database has not stored with the
  current fingerprint (code version, rules, model) are processed; input is never moved or deleted; each
  batch is one transaction that also marks its files as ingested; failed files are retried on the next
  run; a run manifest (state, counts, errors, timings, fingerprint) is written as JSON whatever happens.
- `reprocess(folder, ...)`: the one-off run over everything. Records for the same `doc_id` and
  `pipeline_version` are replaced in place (upserts), never duplicated.

Tasks pass paths and records, never spaCy objects; the pipeline is loaded once per worker process and
reused by every batch, with the settings the flow was given (`ner_mode`; the rest from the environment,
read once by `pipeline.settings`). Each article file is read once: the batch task hashes the bytes it
extracts. Batches are bounded by count and by bytes, so memory does not grow with article size. An article
that fails becomes an error record and the run goes on. `STOP` (set by the CLI's SIGINT/SIGTERM handlers)
stops a run between articles: the batch in flight is dropped, everything before it is committed, and the
manifest and the `runs` row say `interrupted`.

The market region (what a bare 元 means) is detected per article; a feed can fix it: the flows' `region`
parameter fixes it for every article, `feeds` ({"cna": "taiwan", "hket": "hong_kong"}) for the articles of
each subfolder of the inbox, and the records say `region_from: feed`. The nightly deployment takes both as
parameters (`deployment_parameters`).

    zhnews ingest inbox/ --db postgresql://user@host/zhnews
    zhnews reprocess corpus/ --db sqlite:///out/zhnews.db --jsonl out/records.jsonl
    zhnews deploy --inbox /data/inbox --db postgresql://user@host/zhnews   # the nightly deployment
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from pipeline.errors import Cancelled
from pipeline.records import ArticleBase, ErrorRecord
from pipeline.version import PIPELINE_VERSION

NIGHTLY_CRON = "0 2 * * *"
NIGHTLY_TIMEZONE = "Asia/Shanghai"
DEPLOYMENT = "zhnews-nightly"
BATCH_BYTES = 16_000_000  # a batch holds at most this many bytes of articles (and at most batch_size files)

# Progress hooks: the CLI registers a callable(done, total) to draw its progress bar. The flow runs in
# the CLI's own process, so this is a plain in-process callback, not something Prefect has to serialise.
PROGRESS_HOOKS: list[Callable[[int, int], None]] = []
# Set on SIGINT or SIGTERM during a run: it stops at the next article, after committing what it has.
STOP = threading.Event()
SIGNALLED: list[int] = []  # the signals a run received, first first


@contextmanager
def _signals_stop_the_run():
    """During a run (in the main thread: the CLI's, a worker's flow-run process), SIGINT and SIGTERM set
    `STOP` instead of raising in the middle of a write; a second signal leaves at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum, _frame) -> None:
        if SIGNALLED:
            os._exit(128 + signum)
        SIGNALLED.append(signum)
        STOP.set()

    old = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _stop_flag():
    """`STOP` of this process's flows module, looked up at run time: a task shipped to a Dask worker
    (pickled by value) must not carry the event itself; there it is None and the worker runs its batch."""
    module = sys.modules.get("flows")
    return getattr(module, "STOP", None)


def _report(done: int, total: int) -> None:
    for hook in PROGRESS_HOOKS:
        hook(done, total)


# ----------------------------------------------------------------------------------------------
# tasks


@task(cache_policy=NO_CACHE)
def discover_articles(folder: str, follow_symlinks: bool = False) -> list[tuple[str, str | None]]:
    """(path, the folder it was found under) of every *.txt and *.md under `folder`, sorted; special
    files and links are listed too, and refused when read. A missing folder is an error, not retried."""
    from pipeline.core import find_articles

    if not Path(folder).is_dir():
        raise FileNotFoundError(f"not a folder: {folder}")
    return [(str(a.path), str(a.root) if a.root else None)
            for a in find_articles([Path(folder)], follow_symlinks=follow_symlinks)]


def _configure(ner_mode: str) -> None:
    """This worker process's settings: the flow's, with the rest from the environment."""
    from pipeline.core import configure
    from pipeline.settings import Settings

    configure(Settings.from_env(ner_mode=ner_mode))


@task(cache_policy=NO_CACHE)
def extract_batch(files: list, published: str | None = None, ner_mode: str = "default",
                  skip: frozenset[str] = frozenset(), follow_symlinks: bool = False,
                  regions: dict[str, str] | None = None,
                  ) -> list[tuple[str, str, list[ArticleBase | ErrorRecord] | None]] | None:
    """(source, sha256 of its bytes, records) for each file of a batch, reading each file once; a file whose
    hash is in `skip` is not extracted (records None); a failing article becomes an error record and a file
    that cannot be read has an empty hash (no retry: not I/O). `files`: paths, or (path, root) pairs.
    None when `STOP` was set: the batch is dropped whole (the task itself completes). `regions`: path -> the
    market region its feed fixes (`region_from: feed`)."""
    from pipeline.errors import Cancelled

    try:
        return _extract_batch(files, published, ner_mode, skip, follow_symlinks, regions)
    except Cancelled:
        return None


def _extract_batch(files, published, ner_mode, skip, follow_symlinks, regions):
    from pipeline.core import default_pipeline, error_record, records_of_bytes
    from pipeline.errors import ReadError
    from pipeline.sources import ArticleFile, read_article

    _configure(ner_mode)
    pipe = default_pipeline()  # loaded once per worker process, then reused
    stop = _stop_flag()
    pipe.cancel = stop
    out = []
    for entry in files:
        path, root = (entry, None) if isinstance(entry, str) else entry
        article = ArticleFile(Path(path), Path(root) if root else None)
        if stop is not None and stop.is_set():
            from pipeline.errors import Cancelled

            raise Cancelled("interrupted between articles")
        try:
            raw = read_article(article, follow_symlinks=follow_symlinks)
        except ReadError as exc:
            out.append((article.source, "", [error_record(exc, source=article.source, path=article.path)]))
            continue
        sha = hashlib.sha256(raw).hexdigest()
        region = (regions or {}).get(path)
        records = None if sha in skip else records_of_bytes(raw, source=article.source, published=published,
                                                           path=article.path, region=region,
                                                           region_from="feed" if region else None)
        out.append((article.source, sha, records))
    return out


@task(retries=3, retry_delay_seconds=2, cache_policy=NO_CACHE)
def write_batch(sinks: list, results: list[ArticleBase | ErrorRecord], files: dict[str, str] | None = None,
                jsonl: str | None = None) -> list:
    """Write one batch to every sink, each in one transaction (I/O: retried; upserts make it safe). The SQL
    sink marks `files` (source -> sha256) as ingested in the same transaction, with the JSONL file the batch
    will be exported to (`jsonl`); what it returns (an article it refused becomes an error record) is what
    the other sinks get."""
    for sink in sinks:
        if hasattr(sink, "run_id"):  # the SQL sink
            results = sink.write(results, files=files, jsonl=jsonl)
    for sink in sinks:
        if not hasattr(sink, "run_id"):
            sink.write(results)
    return results


def write_manifest(manifest: dict, folder: str) -> str:
    """The run manifest as JSON, written to a temporary file and renamed into place (never half a file)."""
    from pipeline.store.jsonl import atomic_write

    target = Path(folder) / (f"{manifest['flow']}-{manifest['started'].replace(':', '').replace('-', '')}-"
                             f"{manifest['run_id'][:8]}.json")
    atomic_write(target, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return str(target)


# ----------------------------------------------------------------------------------------------
# flows


def _batches(files: list, batch_size: int, max_bytes: int = BATCH_BYTES) -> Iterator[list]:
    """Batches of at most `batch_size` files and `max_bytes` bytes (a file larger than that is a batch of
    its own): memory is bounded by bytes, not by article count."""
    batch, size = [], 0
    for entry in files:
        path = entry if isinstance(entry, str) else entry[0]
        try:
            n = os.lstat(path).st_size
        except OSError:
            n = 0
        if batch and (len(batch) >= batch_size or size + n > max_bytes):
            yield batch
            batch, size = [], 0
        batch.append(entry)
        size += n
    if batch:
        yield batch


def _task_runner(dask_address: str | None):
    if not dask_address:
        return None
    from prefect_dask import DaskTaskRunner  # an optional extra: pip install -e ".[dask]"

    return DaskTaskRunner(address=dask_address)


def _fingerprint(ner_mode: str) -> str:
    from pipeline.settings import Settings
    from pipeline.version import fingerprint

    settings = Settings.from_env(ner_mode=ner_mode)
    return fingerprint(settings.rules_dir, settings=(settings.ner_mode, settings.segmenter))


def _flow_run_id() -> str | None:
    try:
        from prefect.runtime import flow_run

        return str(flow_run.get_id()) if flow_run.get_id() else None
    except Exception:  # noqa: BLE001 - the id is bookkeeping, never a reason to fail
        return None


def _run(summary: dict, files: list, sinks: list, published: str | None, batch_size: int, use_futures: bool,
         ner_mode: str, skip: frozenset[str] = frozenset(), follow_symlinks: bool = False,
         after_batch: Callable | None = None, jsonl_of: Callable[[int], str | None] = lambda i: None,
         regions: dict[str, str] | None = None) -> dict:
    """Extract and write `files` batch by batch (files whose hash is in `skip` are left alone); commit the
    sinks at the end, or, interrupted, what the committed batches wrote. Fills in `summary`."""
    records = errors = done = processed = 0
    details: list[dict] = []
    timings = {"extract": 0.0, "write": 0.0}
    started = time.perf_counter()
    _report(0, len(files))
    state = "completed"
    try:
        batches = list(_batches(files, batch_size))
        futures = ([extract_batch.submit(b, published, ner_mode, skip, follow_symlinks, _regions_of(b, regions))
                    for b in batches] if use_futures else None)
        for i, batch in enumerate(batches):
            if STOP.is_set():
                raise Cancelled("interrupted between batches")
            t0 = time.perf_counter()
            got = futures[i].result() if futures else extract_batch(batch, published, ner_mode, skip, follow_symlinks,
                                                                    _regions_of(batch, regions))
            if got is None:
                raise Cancelled("interrupted during a batch")
            t1 = time.perf_counter()
            results = [r for _, _, rs in got if rs is not None for r in rs]
            shas = {source: sha for source, sha, rs in got if rs is not None and sha}
            results = write_batch(sinks, results, shas, jsonl_of(i) if shas else None)
            if after_batch is not None:
                after_batch(i, shas, results)
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
            _report(done, len(files))
    except Cancelled:
        state = "interrupted"
    except BaseException:
        for sink in sinks:
            sink.abort()
        summary["state"] = "failed"
        raise
    finally:
        summary.update({
            "articles": len(files), "processed": processed, "skipped_unchanged": done - processed,
            "records": records, "errors": errors, "error_details": details,
            "seconds": round(time.perf_counter() - started, 2),
            "timings": {k: round(v, 3) for k, v in timings.items()},
        })
    for sink in sinks:  # interrupted too: the JSONL holds exactly the committed batches
        sink.commit()
    summary["state"] = state
    if state == "interrupted":
        summary["skipped_unchanged"] = None  # not known: the rest was never looked at
    return summary


def _sinks(jsonl: str | None, db: str | None, run_id: str):
    from pipeline.store import open_sinks

    return open_sinks(jsonl=jsonl, db=db, run_id=run_id)


def _new_summary(flow_name: str, folder: str, ner_mode: str, db: str | None) -> dict:
    from pipeline.store.sql import safe_url

    STOP.clear()  # a new run in this process starts uninterrupted
    SIGNALLED.clear()
    return {"flow": flow_name, "run_id": uuid.uuid4().hex, "state": "running", "folder": folder,
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "finished": None,
            "pipeline_version": PIPELINE_VERSION, "fingerprint": _fingerprint(ner_mode), "ner_mode": ner_mode,
            "db": safe_url(db) if db else None, "prefect_flow_run_id": _flow_run_id()}


def _finish(summary: dict, store, manifest_dir: str | None) -> dict:
    """The manifest (written whatever the state), then the `runs` row."""
    summary["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    if manifest_dir:
        summary["manifest"] = write_manifest(summary, manifest_dir)
    if store is not None:
        store.end_run(summary["run_id"], summary["state"], articles=summary.get("articles"),
                      records=summary.get("records"), errors=summary.get("errors"), manifest=summary.get("manifest"))
    return summary


@flow(name="zhnews-reprocess")
def reprocess(folder: str, jsonl: str | None = "out/records.jsonl", db: str | None = "sqlite:///out/zhnews.db",
              published: str | None = None, batch_size: int = 64, dask_address: str | None = None,
              ner_mode: str = "default", manifest_dir: str | None = None, follow_symlinks: bool = False,
              region: str | None = None, feeds: dict[str, str] | None = None) -> dict:
    """Reprocess every article under `folder` into the sinks (upserts: re-running changes no row count).
    `region` fixes every article's market region, `feeds` one per subfolder (see `feed_regions`)."""
    summary = _new_summary("reprocess", folder, ner_mode, db)
    sinks = _sinks(jsonl, db, summary["run_id"])
    store = next((s for s in sinks if hasattr(s, "run_id")), None)
    if store is not None:
        store.begin_run(summary["run_id"], "reprocess", folder=folder, fingerprint=summary["fingerprint"],
                        prefect_flow_run_id=summary["prefect_flow_run_id"])
    try:
        with _signals_stop_the_run():
            files = discover_articles(folder, follow_symlinks)
            _run(summary, files, sinks, published, batch_size, bool(dask_address), ner_mode,
                 follow_symlinks=follow_symlinks, regions=feed_regions(files, folder, region, feeds))
    finally:
        if summary["state"] == "running":
            summary["state"] = "failed"
        _finish(summary, store, manifest_dir)
    summary["sinks"] = [s for s, on in (("jsonl", jsonl), ("db", db)) if on]
    get_run_logger().info("reprocessed %s: %s, %d records, %d errors", folder, summary["state"],
                          summary["records"], summary["errors"])
    return summary


@flow(name="zhnews-ingest")
def ingest(inbox: str, db: str = "sqlite:///out/zhnews.db", jsonl_dir: str | None = None,
           manifest_dir: str = "out/manifests", published: str | None = None, batch_size: int = 64,
           dask_address: str | None = None, ner_mode: str = "default", follow_symlinks: bool = False,
           region: str | None = None, feeds: dict[str, str] | None = None) -> dict:
    """The nightly run: process only articles whose bytes the database has not stored with the current
    fingerprint, never touch the inbox, and write a run manifest. Safe to kill and re-run: each batch is
    committed on its own with its files' marks, a re-run skips what was stored and retries what failed,
    and, with `jsonl_dir`, exports to JSONL what a killed run stored but never exported."""
    from pipeline.store.sql import SqlSink

    summary = _new_summary("ingest", inbox, ner_mode, db)
    run_id, stamp = summary["run_id"], summary["started"].replace(":", "").replace("-", "")
    store = SqlSink(db, run_id=run_id)
    store.begin_run(run_id, "ingest", folder=inbox, fingerprint=summary["fingerprint"],
                    prefect_flow_run_id=summary["prefect_flow_run_id"], jsonl_dir=jsonl_dir)
    exported: list[str] = []
    try:
        if jsonl_dir:
            recovered = _export_leftovers(store, Path(jsonl_dir), f"ingest-{stamp}-{run_id[:8]}-recovered.jsonl")
            if recovered:
                exported.append(recovered)
        files = discover_articles(inbox, follow_symlinks)
        seen = frozenset(store.known_ids(summary["fingerprint"]))

        def jsonl_of(i: int) -> str | None:
            """The JSONL file of batch `i`: named in the batch's transaction, written after it commits."""
            return str(Path(jsonl_dir) / f"ingest-{stamp}-{run_id[:8]}-{i + 1:04d}.jsonl") if jsonl_dir else None

        def export(i: int, shas: dict[str, str], results: list) -> None:
            if jsonl_dir and shas:
                _write_jsonl(Path(jsonl_of(i)), results)
                exported.append(jsonl_of(i))

        with _signals_stop_the_run():
            _run(summary, files, [store], published, batch_size, bool(dask_address), ner_mode, skip=seen,
                 follow_symlinks=follow_symlinks, after_batch=export, jsonl_of=jsonl_of,
                 regions=feed_regions(files, inbox, region, feeds))
    finally:
        summary["jsonl"] = exported
        if summary["state"] == "running":
            summary["state"] = "failed"
        _finish(summary, store, manifest_dir)
    get_run_logger().info("ingested %s: %s, %d new, %s unchanged, %d errors", inbox, summary["state"],
                          summary["processed"], summary["skipped_unchanged"], summary["errors"])
    return summary


def feed_regions(files: list, folder: str, region: str | None = None,
                 feeds: dict[str, str] | None = None) -> dict[str, str]:
    """The market region each article's feed fixes: `feeds` maps a subfolder of the inbox (one feed) to a
    region ({"cna": "taiwan", "hket": "hong_kong"}; the longest subfolder that holds the file wins), and
    `region` is every other article's; an article of neither keeps the region its own signals give."""
    if not region and not feeds:
        return {}
    root = Path(folder).absolute()
    out = {}
    for entry in files:
        path = entry if isinstance(entry, str) else entry[0]
        try:
            rel = Path(path).absolute().relative_to(root).as_posix()
        except ValueError:
            rel = ""
        feed = max((k for k in (feeds or {}) if rel.startswith(k.strip("/") + "/")), key=len, default=None)
        chosen = feeds[feed] if feed is not None else region
        if chosen:
            out[path] = chosen
    return out


def _regions_of(batch: list, regions: dict[str, str] | None) -> dict[str, str] | None:
    if not regions:
        return None
    paths = (e if isinstance(e, str) else e[0] for e in batch)
    return {p: regions[p] for p in paths if p in regions} or None


def _write_jsonl(path: Path, results: list) -> None:
    """Records, then error records, of one batch: `<name>.jsonl` and `<name>.errors.jsonl`, each written to a
    temporary file and renamed into place."""
    from pipeline.store.jsonl import atomic_write

    records = [r.model_dump_json() for r in results if not isinstance(r, ErrorRecord)]
    errors = [r.model_dump_json() for r in results if isinstance(r, ErrorRecord)]
    if records:
        atomic_write(path, "".join(line + "\n" for line in records))
    if errors:
        atomic_write(path.with_name(path.name.removesuffix(".jsonl") + ".errors.jsonl"),
                     "".join(line + "\n" for line in errors))


def _export_leftovers(store, folder: Path, name: str) -> str | None:
    """Records a killed run committed to the database but never wrote to its JSONL: exported now."""
    missing = store.unexported()
    if not missing:
        return None
    path = folder / name
    from pipeline.store.jsonl import atomic_write

    rows = store.current_records(source for _, source in missing)
    atomic_write(path, "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in rows))
    store.mark_exported((sha for sha, _ in missing), str(path))
    return str(path)


def with_dask(flow_fn, dask_address: str | None):
    """The flow, on a Dask cluster when an address is given (its batches then run as futures)."""
    runner = _task_runner(dask_address)
    return flow_fn.with_options(task_runner=runner) if runner else flow_fn


# ----------------------------------------------------------------------------------------------
# the nightly deployment


def nightly_schedule():
    from prefect.schedules import Cron

    return Cron(NIGHTLY_CRON, timezone=NIGHTLY_TIMEZONE)


def deployment_parameters(inbox: str, db: str, *, manifest_dir: str | None = None, jsonl_dir: str | None = None,
                          ner_mode: str = "default", region: str | None = None,
                          feeds: dict[str, str] | None = None) -> dict:
    """The parameters of the nightly run, with every path absolute (a worker runs in its own folder).
    `region` / `feeds`: the market region of the inbox's articles, or of each feed's subfolder (see
    `feed_regions`): a Taiwan feed loaded tonight books its bare 元 as TWD whatever an article says."""
    params = {"inbox": str(Path(inbox).absolute()), "db": db,
              "manifest_dir": str(Path(manifest_dir or Path(inbox).absolute().parent / "manifests").absolute()),
              "ner_mode": ner_mode}
    if jsonl_dir:
        params["jsonl_dir"] = str(Path(jsonl_dir).absolute())
    if region:
        params["region"] = region
    if feeds:
        params["feeds"] = dict(feeds)
    return params


def deploy(params: dict, *, pool: str = "zhnews", name: str = DEPLOYMENT, project: str | None = None) -> str:
    """Register the nightly deployment with the Prefect server `PREFECT_API_URL` names, for a worker of
    `pool` (created if missing, type process); returns the deployment id. The flow's code is this
    checkout (`project`, default: the folder of this file)."""
    from prefect import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def ensure_pool() -> None:
        async with get_client() as client:
            try:
                await client.read_work_pool(pool)
            except ObjectNotFound:
                await client.create_work_pool(WorkPoolCreate(name=pool, type="process"))

    run_coro_as_sync(ensure_pool())
    source = str(Path(project or Path(__file__).resolve().parent))
    flow_ = ingest.from_source(source=source, entrypoint="flows.py:ingest")
    return str(flow_.deploy(name=name, work_pool_name=pool, schedules=[nightly_schedule()], parameters=params,
                            build=False, push=False, print_next_steps=False))


def serve(params: dict) -> None:
    """Serve the nightly deployment from this process until stopped (`STOP`, or a signal).

    pause_on_shutdown=False: on Prefect 3.8 stopping a `serve` process otherwise pauses the deployment.
    """
    ingest.serve(name=DEPLOYMENT, schedules=[nightly_schedule()], parameters=params, pause_on_shutdown=False,
                 print_starting_message=False)
