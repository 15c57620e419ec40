"""Prefect flows: thin orchestration over the plain pipeline functions.

Tasks pass paths and records (never spaCy objects). The pipeline is loaded once per worker process and
reused by every batch. Only I/O tasks retry. An article that fails becomes an error record and the run
goes on.

    python -c "import flows; flows.reprocess('corpus')"      # or: zhnews reprocess corpus/
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from pipeline.records import ArticleRecord, ErrorRecord
from pipeline.version import PIPELINE_VERSION

ARTICLE_SUFFIXES = (".txt", ".md")


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def discover_articles(folder: str) -> list[str]:
    """Every *.txt and *.md under `folder`, sorted (I/O: retried)."""
    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f"not a folder: {folder}")
    return [str(p) for p in sorted(root.rglob("*")) if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES]


@task(cache_policy=NO_CACHE)
def extract_batch(paths: list[str], published: str | None = None) -> list[ArticleRecord | ErrorRecord]:
    """Records for a batch of files; a failing article becomes an error record (no retry: not I/O)."""
    from pipeline.core import default_pipeline, error_record, extract_bytes
    from pipeline.errors import RulesError

    default_pipeline()  # loaded once per worker process, then reused
    out: list[ArticleRecord | ErrorRecord] = []
    for path in paths:
        raw = None
        try:
            raw = Path(path).read_bytes()
            out.append(extract_bytes(raw, published=published, source=path))
        except RulesError:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad article never stops the run
            out.append(error_record(exc, source=path, raw=raw))
    return out


@task(retries=3, retry_delay_seconds=2, cache_policy=NO_CACHE)
def write_batch(sinks: list, results: list[ArticleRecord | ErrorRecord]) -> int:
    """Write one batch to every sink, each in one transaction (I/O: retried; upserts make it safe)."""
    for sink in sinks:
        sink.write(results)
    return len(results)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


@flow(name="zhnews-reprocess")
def reprocess(folder: str, jsonl: str | None = "out/records.jsonl", sqlite: str | None = "out/zhnews.db",
              postgres: str | None = None, published: str | None = None, batch_size: int = 64) -> dict:
    """Reprocess every article under `folder` into the configured sinks; returns the run summary."""
    from pipeline.sinks import open_sinks

    started = time.perf_counter()
    paths = discover_articles(folder)
    sinks = open_sinks(jsonl=jsonl, sqlite=sqlite, postgres=postgres)
    records = errors = 0
    details: list[dict] = []
    try:
        for batch in _chunks(paths, batch_size):
            results = extract_batch(batch, published)
            write_batch(sinks, results)
            for r in results:
                if isinstance(r, ErrorRecord):
                    errors += 1
                    details.append({"source": r.source, "stage": r.stage, "message": r.message})
                else:
                    records += 1
        for sink in sinks:
            sink.commit()
    except BaseException:
        for sink in sinks:
            sink.abort()
        raise
    summary = {
        "folder": folder, "articles": len(paths), "records": records, "errors": errors,
        "error_details": details, "seconds": round(time.perf_counter() - started, 2),
        "pipeline_version": PIPELINE_VERSION,
        "sinks": [s for s, on in (("jsonl", jsonl), ("sqlite", sqlite), ("postgres", postgres)) if on],
    }
    get_run_logger().info("reprocessed %s: %d records, %d errors", folder, records, errors)
    return summary
