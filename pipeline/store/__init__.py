"""The store room: where records go. One small interface (`Sink`: write, commit, abort), two back ends.

- `jsonl.JsonlSink`: records to a JSONL file, written to a temporary file in the same folder and renamed
  into place on commit, so a reader never sees half a file; error records go to `<name>.errors.jsonl`.
- `sql.SqlSink`: SQLite (the embedded default) and PostgreSQL through the same SQLAlchemy code: the whole
  record as JSON (JSONB on PostgreSQL) plus a normalised `mentions` table whose columns each family
  declares. Writes are upserts keyed by `(doc_id, pipeline_version)` inside one transaction per batch:
  re-running never duplicates.

Sinks are the only pipeline code that touches files or databases (besides the CLI and flows).
"""

from __future__ import annotations

from pipeline.store.jsonl import JsonlSink, Result, Sink, SinkError, atomic_write, clean_leftovers


def open_sinks(*, jsonl: str | None = None, db: str | None = None, run_id: str | None = None) -> list[Sink]:
    sinks: list[Sink] = []
    if jsonl:
        sinks.append(JsonlSink(jsonl))
    if db:
        from pipeline.store.sql import SqlSink

        sinks.append(SqlSink(db, run_id=run_id))
    if not sinks:
        raise SinkError("no sink configured: give --jsonl and/or --db")
    return sinks


__all__ = ["JsonlSink", "Result", "Sink", "SinkError", "atomic_write", "clean_leftovers", "open_sinks"]
