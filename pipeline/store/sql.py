"""The SQL sink: SQLite (the embedded default) and PostgreSQL through the same SQLAlchemy code.

Tables (schema version `SCHEMA_VERSION`; opening a database upgrades it step by step, under a lock):

- `articles`: one row per record: the whole record as JSON (JSONB on PostgreSQL), keyed by
  `(doc_id, pipeline_version)`; `source` (the canonical absolute path, or the caller's id), `origin` (the
  file a part came from), `published` (DATE), `fingerprint` (of the code version, rules and model that made
  it), `run_id` (the run that wrote it), `current` (false once an edited source superseded it).
- `mentions`: one row per item: family, span, text, rule; `value`/`value_max` as exact text, `num`/`num_max`
  as NUMERIC where the value is a number, `date`/`date_end` as DATE where it is a full date; `unit`, `norm`,
  `period`, `kind` as each family declares (`Family.columns`); `attrs` (JSON) holds every other field.
- `errors`: one row per source that failed, with the run that saw it; cleared when the source succeeds.
- `ingested`: the files an ingest run has stored, by content hash and fingerprint: a file is skipped only
  when the same bytes were stored by the same rules and model. A file whose article failed is not marked,
  so the next run retries it.
- `runs`: one row per run: flow, state (running, completed, interrupted, failed), counts, manifest path,
  the Prefect flow run id.
- `zhnews_schema`: the schema version.

Writes are upserts inside one transaction per batch: re-running never duplicates. Each article is written
under a savepoint: one that the database refuses (a constraint, a character PostgreSQL cannot store)
becomes that article's error row, and the rest of the batch is committed. A file is marked as ingested in
the same transaction that commits its records.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    and_,
    create_engine,
    delete,
    event,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from pipeline import registry
from pipeline.records import ArticleBase, ErrorRecord
from pipeline.store.jsonl import Result, SinkError
from pipeline.version import PIPELINE_VERSION

SCHEMA_VERSION = 5

# ----------------------------------------------------------------------------------------------
# the schema as it is after the last migration

metadata = MetaData()
JsonType = JSON().with_variant(JSONB(), "postgresql")
# exact NUMERIC on PostgreSQL; SQLite has no exact decimal type (the exact text is in `value`), so there
# the column holds a float, for sorting and ranges
_NUM = Numeric(asdecimal=True).with_variant(Float(), "sqlite")

schema_table = Table("zhnews_schema", metadata, Column("version", Integer, primary_key=True))

articles = Table(
    "articles", metadata,
    Column("doc_id", String(64), primary_key=True),
    Column("pipeline_version", String(32), primary_key=True),
    Column("source", Text),
    Column("title", Text),
    Column("published", Date),
    Column("script", String(16)),
    Column("encoding", String(16)),
    Column("record", JsonType, nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False),
    Column("origin", Text),              # the file a record came from (a part's source without #partNofM)
    Column("fingerprint", String(32)),   # code version + rules + model that produced the record
    Column("run_id", String(32)),        # the run that wrote the row
    Column("current", Boolean, nullable=False, server_default="1"),  # false once superseded
    Index("ix_articles_published", "published"),
    Index("ix_articles_source", "source"),
)

mentions = Table(
    "mentions", metadata,
    Column("doc_id", String(64), primary_key=True),
    Column("pipeline_version", String(32), primary_key=True),
    Column("family", String(16), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("rule", String(64), nullable=False),
    Column("value", Text),       # exact decimal, ISO date or code as text: no float rounding
    Column("value_max", Text),   # range end (money, percentages) or end_value (dates)
    Column("unit", String(16)),  # currency, entity label, exchange, share class, date granularity
    Column("norm", Text),        # entity norm, stock-code company, table row label
    Column("period", String(16)),  # table cells: the column's period
    Column("kind", String(16)),    # entities: company, exchange, regulator, ...; table cells: money, shares, ...
    Column("attrs", JsonType),     # every other field of the item (qualifier, per_share, year_inferred, ...)
    Column("num", _NUM),           # `value` when it is a number (exact NUMERIC on PostgreSQL)
    Column("num_max", _NUM),       # `value_max` when it is a number
    Column("date", Date),          # `value` when it is a full date (a datetime's day)
    Column("date_end", Date),      # `value_max` when it is a full date
    ForeignKeyConstraint(["doc_id", "pipeline_version"], ["articles.doc_id", "articles.pipeline_version"],
                         ondelete="CASCADE"),
    Index("ix_mentions_family_norm", "family", "norm"),
    Index("ix_mentions_family_unit_value", "family", "unit", "value"),
)

errors_table = Table(
    "errors", metadata,
    Column("source", Text, primary_key=True),
    Column("pipeline_version", String(32), primary_key=True),
    Column("doc_id", String(64)),
    Column("stage", String(32), nullable=False),
    Column("error", String(64), nullable=False),
    Column("message", Text, nullable=False),
    Column("failed_at", DateTime(timezone=True), nullable=False),
    Column("run_id", String(32)),
)

ingested = Table(
    "ingested", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("pipeline_version", String(32), primary_key=True),
    Column("source", Text),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("fingerprint", String(32)),
    Column("run_id", String(32)),
    Column("jsonl", Text),  # the JSONL file its records were exported to (ingest --jsonl-dir)
)

runs = Table(
    "runs", metadata,
    Column("run_id", String(32), primary_key=True),
    Column("flow", String(32), nullable=False),
    Column("state", String(16), nullable=False),  # running, completed, interrupted, failed
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("folder", Text),
    Column("pipeline_version", String(32), nullable=False),
    Column("fingerprint", String(32)),
    Column("prefect_flow_run_id", String(64)),
    Column("articles", Integer),
    Column("records", Integer),
    Column("errors", Integer),
    Column("manifest", Text),
    Column("jsonl_dir", Text),
)


# ----------------------------------------------------------------------------------------------
# rows


def _origin(source: str | None) -> str | None:
    return source.split("#part", 1)[0] if source else source


def _clean(value):
    """Text PostgreSQL can store: no NUL (the normaliser removes them from article text; this covers
    values that did not come from it), lone surrogates escaped."""
    if isinstance(value, str):
        value = value.replace("\x00", "\\0")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            value = value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


_FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _number(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        d = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def _day(value: str | None) -> date | None:
    m = _FULL_DATE.match(value or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def mention_rows(record: ArticleBase) -> list[dict]:
    """One row per item, with the columns each family declares (`Family.columns`); the typed columns
    (`num`, `date`, ...) repeat `value` and `value_max` where they are numbers or full dates."""
    data = record.model_dump(mode="json")
    rows = []
    for fam in registry.families():
        for i, item in enumerate(data.get(fam.field, ())):
            row = {"doc_id": record.doc_id, "pipeline_version": record.pipeline_version,
                   "family": fam.name, "idx": i, "start": item["start"], "end": item["end"],
                   "text": item["text"], "rule": item["rule"]}
            for column in registry.COLUMNS:
                field = fam.columns.get(column)
                value = item.get(field) if field else None
                row[column] = None if value is None else str(value)
            placed = {"text", "start", "end", "rule", *fam.columns.values()}
            row["attrs"] = {k: v for k, v in item.items() if k not in placed} or None
            row["num"], row["num_max"] = _number(row["value"]), _number(row["value_max"])
            row["date"], row["date_end"] = _day(row["value"]), _day(row["value_max"])
            rows.append(row)
    return rows


def _article_row(r: ArticleBase, now: datetime, run_id: str | None) -> dict:
    return {"doc_id": r.doc_id, "pipeline_version": r.pipeline_version, "source": r.source,
            "title": r.title, "published": _day(r.published), "script": r.script, "encoding": r.encoding,
            "record": json.loads(r.model_dump_json()), "processed_at": now, "origin": _origin(r.source),
            "fingerprint": getattr(r, "fingerprint", None), "run_id": run_id, "current": True}


# ----------------------------------------------------------------------------------------------
# the sink


def _insert(engine: Engine):
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif engine.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - guarded in SqlSink.__init__
        raise SinkError(f"unsupported database: {engine.dialect.name}")
    return insert


class SqlSink:
    """SQLite or PostgreSQL through SQLAlchemy 2; the same code path for both. `run_id` marks the rows
    this sink writes."""

    def __init__(self, url: str, *, run_id: str | None = None, connect_timeout: int = 10):
        url = database_url(url)
        connect_args = {"connect_timeout": connect_timeout} if url.startswith("postgresql") else {"timeout": 30}
        try:
            self.engine = create_engine(url, future=True, connect_args=connect_args)
        except Exception as exc:  # noqa: BLE001 - a bad URL is a configuration error
            raise SinkError(f"cannot use database URL {safe_url(url)}: {exc}") from exc
        if self.engine.dialect.name not in ("sqlite", "postgresql"):
            raise SinkError(f"unsupported database {self.engine.dialect.name}; use sqlite or postgresql")
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.insert = _insert(self.engine)
        try:
            migrate(self.engine)
        except SinkError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise SinkError(f"cannot open database {safe_url(url)}: {_first_line(exc)}") from exc
        self.url = url
        self.run_id = run_id
        self.records = 0
        self.errors = 0

    # -- writing ----------------------------------------------------------------------------------

    def write(self, results: Iterable[Result], *, files: Mapping[str, str] | None = None,
              jsonl: str | None = None) -> list[Result]:
        """Write one batch in one transaction, each article under a savepoint; return what was written
        (an article the database refused is returned as its error record). `files` (path -> sha256): the
        files this batch came from, marked as ingested, in the same transaction, when every record of the
        file was stored; `jsonl`: the JSONL file the caller will export them to once this commits (a file
        that never appears was not exported: `unexported`)."""
        results = list(results)
        now = datetime.now(timezone.utc)
        written: list[Result] = []
        failed_sources: set[str] = set()
        try:
            with self.engine.begin() as conn:
                for r in results:
                    if isinstance(r, ErrorRecord):
                        self._error(conn, r, now)
                        failed_sources.add(_origin(r.source) or "")
                        written.append(r)
                        continue
                    try:
                        with conn.begin_nested():
                            self._record(conn, r, now)
                        self.records += 1
                        written.append(r)
                    except SQLAlchemyError as exc:
                        err = ErrorRecord(doc_id=r.doc_id, source=r.source, stage="store", error=type(exc).__name__,
                                          message=f"the database refused the record: {_first_line(exc)}")
                        self._error(conn, err, now)
                        failed_sources.add(_origin(r.source) or "")
                        written.append(err)
                self._supersede(conn, [r for r in written if not isinstance(r, ErrorRecord)])
                if files:
                    rows = [{"sha256": sha, "pipeline_version": PIPELINE_VERSION, "source": path,
                             "ingested_at": now, "fingerprint": self._fingerprint(results), "run_id": self.run_id,
                             "jsonl": jsonl}
                            for path, sha in files.items() if sha and path not in failed_sources]
                    if rows:
                        stmt = self.insert(ingested)
                        conn.execute(stmt.on_conflict_do_update(
                            index_elements=["sha256", "pipeline_version"],
                            set_={k: stmt.excluded[k] for k in ("source", "ingested_at", "fingerprint", "run_id",
                                                                 "jsonl")}),
                            rows)
        except SQLAlchemyError as exc:
            raise SinkError(f"cannot write to {safe_url(self.url)}: {_first_line(exc)}") from exc
        return written

    @staticmethod
    def _fingerprint(results: list[Result]) -> str | None:
        return next((getattr(r, "fingerprint", None) for r in results if not isinstance(r, ErrorRecord)), None)

    def _record(self, conn, r: ArticleBase, now: datetime) -> None:
        row = _clean(_article_row(r, now, self.run_id))
        stmt = self.insert(articles).values(**row)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=["doc_id", "pipeline_version"],
            set_={k: stmt.excluded[k] for k in row if k not in ("doc_id", "pipeline_version")}))
        conn.execute(delete(mentions).where(mentions.c.doc_id == r.doc_id,
                                            mentions.c.pipeline_version == r.pipeline_version))
        rows = [_clean(row) for row in mention_rows(r)]
        if self.engine.dialect.name == "sqlite":
            for row in rows:
                row["num"] = float(row["num"]) if row["num"] is not None else None
                row["num_max"] = float(row["num_max"]) if row["num_max"] is not None else None
        if rows:
            conn.execute(mentions.insert(), rows)
        if r.source:  # a source that now succeeds is no longer an error
            conn.execute(delete(errors_table).where(errors_table.c.source.in_({r.source, _origin(r.source)}),
                                                    errors_table.c.pipeline_version == r.pipeline_version))

    def _error(self, conn, r: ErrorRecord, now: datetime) -> None:
        self.errors += 1
        row = _clean({"source": r.source or "", "pipeline_version": r.pipeline_version, "doc_id": r.doc_id,
                      "stage": r.stage, "error": r.error[:64], "message": r.message, "failed_at": now,
                      "run_id": self.run_id})
        stmt = self.insert(errors_table).values(**row)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=["source", "pipeline_version"],
            set_={k: stmt.excluded[k] for k in ("doc_id", "stage", "error", "message", "failed_at", "run_id")}))

    @staticmethod
    def _supersede(conn, records: list[ArticleBase]) -> None:
        """The records just written are the current ones for their origin; any other row of the same origin
        (an edited file's earlier version, a part the new version no longer has) is not."""
        by_origin: dict[str, set[tuple[str, str]]] = {}
        for r in records:
            if r.source:
                by_origin.setdefault(_origin(r.source), set()).add((r.doc_id, r.pipeline_version))
        for origin, keys in by_origin.items():
            rows = conn.execute(select(articles.c.doc_id, articles.c.pipeline_version).where(
                articles.c.origin == origin, articles.c.current.is_(True))).all()
            stale = [tuple(k) for k in rows if tuple(k) not in keys]
            for doc, version in stale:
                conn.execute(update(articles).where(and_(articles.c.doc_id == doc,
                                                         articles.c.pipeline_version == version))
                             .values(current=False))

    # -- runs and ingest bookkeeping ----------------------------------------------------------------

    def begin_run(self, run_id: str, flow: str, *, folder: str | None = None, fingerprint: str | None = None,
                  prefect_flow_run_id: str | None = None, jsonl_dir: str | None = None) -> None:
        self.run_id = run_id
        with self.engine.begin() as conn:
            conn.execute(self.insert(runs).values(
                run_id=run_id, flow=flow, state="running", started_at=datetime.now(timezone.utc),
                folder=folder, pipeline_version=PIPELINE_VERSION, fingerprint=fingerprint,
                prefect_flow_run_id=prefect_flow_run_id, jsonl_dir=jsonl_dir))

    def end_run(self, run_id: str, state: str, *, articles: int | None = None, records: int | None = None,
                errors: int | None = None, manifest: str | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.run_id == run_id).values(
                state=state, finished_at=datetime.now(timezone.utc), articles=articles, records=records,
                errors=errors, manifest=manifest))
        # the run's last write: close the pool, so that SQLite checkpoints its write-ahead log and removes the
        # -wal and -shm files beside the database (the engine opens a new pool if it is used again)
        self.engine.dispose()

    def known_ids(self, fingerprint: str | None = None) -> set[str]:
        """Content hashes of the files already stored by these rules and model (`fingerprint`; None: by
        this pipeline version, whatever the rules). Failed files are not in it: they are retried."""
        with self.engine.connect() as conn:
            q = select(ingested.c.sha256).where(ingested.c.pipeline_version == PIPELINE_VERSION)
            if fingerprint is not None:
                q = q.where(ingested.c.fingerprint == fingerprint)
            return {r[0] for r in conn.execute(q)}

    def mark_ingested(self, files: dict[str, str], pipeline_version: str = PIPELINE_VERSION,
                      fingerprint: str | None = None) -> None:
        """Record that these files (path -> sha256) were stored (outside a batch; `write(files=...)` does it
        in the batch's own transaction)."""
        rows = [{"sha256": h, "pipeline_version": pipeline_version, "source": p, "fingerprint": fingerprint,
                 "run_id": self.run_id, "ingested_at": datetime.now(timezone.utc)} for p, h in files.items() if h]
        if not rows:
            return
        with self.engine.begin() as conn:
            stmt = self.insert(ingested)
            conn.execute(stmt.on_conflict_do_update(
                index_elements=["sha256", "pipeline_version"],
                set_={k: stmt.excluded[k] for k in ("source", "ingested_at", "fingerprint", "run_id")}), rows)

    def mark_exported(self, shas: Iterable[str], jsonl: str) -> None:
        """These files' records are in `jsonl`."""
        shas = list(shas)
        if not shas:
            return
        with self.engine.begin() as conn:
            conn.execute(update(ingested).where(ingested.c.sha256.in_(shas),
                                                ingested.c.pipeline_version == PIPELINE_VERSION).values(jsonl=jsonl))

    def unexported(self) -> list[tuple[str, str]]:
        """(sha256, source) of the files an ingest run with a JSONL folder stored but did not export: its
        batch's JSONL file (named in the batch's transaction, renamed into place after it) never appeared,
        because the run was killed in between."""
        with self.engine.connect() as conn:
            q = (select(ingested.c.sha256, ingested.c.source, ingested.c.jsonl)
                 .join(runs, runs.c.run_id == ingested.c.run_id)
                 .where(runs.c.jsonl_dir.is_not(None), ingested.c.pipeline_version == PIPELINE_VERSION))
            return [(sha, source) for sha, source, jsonl in conn.execute(q) if not jsonl or not Path(jsonl).exists()]

    def current_records(self, sources: Iterable[str]) -> list[dict]:
        """The current records (as JSON) of these sources, parts in order."""
        sources = list(sources)
        if not sources:
            return []
        with self.engine.connect() as conn:
            q = (select(articles.c.record).where(articles.c.origin.in_(sources), articles.c.current.is_(True))
                 .order_by(articles.c.origin, articles.c.source))
            return [r[0] for r in conn.execute(q)]

    def commit(self) -> None:
        self.engine.dispose()

    def abort(self) -> None:
        self.engine.dispose()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    # Switching a new database to WAL needs an exclusive lock and SQLite does not call the busy handler
    # for it: two processes opening one new file at once see "database is locked". Wait and retry.
    deadline = time.monotonic() + 30
    delay = 0.005
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.25)
    cur.close()


# ----------------------------------------------------------------------------------------------
# migrations: version -> the step that reaches it; never edit a released step


def _v1(conn) -> None:
    """articles (record as JSON/JSONB), mentions, errors."""
    json_type = "JSONB" if conn.dialect.name == "postgresql" else "JSON"
    conn.exec_driver_sql(
        "CREATE TABLE articles (doc_id VARCHAR(64) NOT NULL, pipeline_version VARCHAR(32) NOT NULL, source TEXT, "
        f"title TEXT, published VARCHAR(10), script VARCHAR(16), encoding VARCHAR(16), record {json_type} NOT NULL, "
        "processed_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (doc_id, pipeline_version))")
    conn.exec_driver_sql("CREATE INDEX ix_articles_published ON articles (published)")
    conn.exec_driver_sql("CREATE INDEX ix_articles_source ON articles (source)")
    conn.exec_driver_sql(
        "CREATE TABLE errors (source TEXT NOT NULL, pipeline_version VARCHAR(32) NOT NULL, doc_id VARCHAR(64), "
        "stage VARCHAR(32) NOT NULL, error VARCHAR(64) NOT NULL, message TEXT NOT NULL, "
        "failed_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (source, pipeline_version))")
    conn.exec_driver_sql(
        "CREATE TABLE mentions (doc_id VARCHAR(64) NOT NULL, pipeline_version VARCHAR(32) NOT NULL, "
        "family VARCHAR(16) NOT NULL, idx INTEGER NOT NULL, start INTEGER NOT NULL, \"end\" INTEGER NOT NULL, "
        "text TEXT NOT NULL, rule VARCHAR(64) NOT NULL, value TEXT, value_max TEXT, unit VARCHAR(16), norm TEXT, "
        "PRIMARY KEY (doc_id, pipeline_version, family, idx), "
        "FOREIGN KEY (doc_id, pipeline_version) REFERENCES articles (doc_id, pipeline_version) ON DELETE CASCADE)")
    conn.exec_driver_sql("CREATE INDEX ix_mentions_family_norm ON mentions (family, norm)")
    conn.exec_driver_sql("CREATE INDEX ix_mentions_family_unit_value ON mentions (family, unit, value)")


def _v2(conn) -> None:
    """Table cells need their column's period; entities and cells their kind."""
    conn.exec_driver_sql("ALTER TABLE mentions ADD COLUMN period VARCHAR(16)")
    conn.exec_driver_sql("ALTER TABLE mentions ADD COLUMN kind VARCHAR(16)")
    conn.exec_driver_sql("CREATE INDEX ix_mentions_family_period ON mentions (family, period)")
    conn.exec_driver_sql("CREATE INDEX ix_mentions_doc_family_kind ON mentions (doc_id, family, kind)")


def _v3(conn) -> None:
    """The files an ingest run has handled, by content hash (an oversize file's parts have their own
    doc_ids, so the hash of the whole file is kept here)."""
    conn.exec_driver_sql(
        "CREATE TABLE ingested (sha256 VARCHAR(64) NOT NULL, pipeline_version VARCHAR(32) NOT NULL, source TEXT, "
        "ingested_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (sha256, pipeline_version))")


def _v4(conn) -> None:
    """Every item field reaches the mention rows: the ones without a column of their own go to `attrs`
    (JSON; JSONB on PostgreSQL)."""
    kind = "JSONB" if conn.dialect.name == "postgresql" else "JSON"
    conn.exec_driver_sql(f"ALTER TABLE mentions ADD COLUMN attrs {kind}")


def _v5(conn) -> None:
    """What a data team queries: typed values (NUMERIC, DATE), the run that wrote each row (`runs`), the
    fingerprint of the rules and model, and which record of a source is current."""
    pg = conn.dialect.name == "postgresql"
    for stmt in (
        "ALTER TABLE articles ADD COLUMN origin TEXT",
        "ALTER TABLE articles ADD COLUMN fingerprint VARCHAR(32)",
        "ALTER TABLE articles ADD COLUMN run_id VARCHAR(32)",
        "ALTER TABLE articles ADD COLUMN current BOOLEAN NOT NULL DEFAULT " + ("true" if pg else "1"),
        "ALTER TABLE mentions ADD COLUMN num NUMERIC",
        "ALTER TABLE mentions ADD COLUMN num_max NUMERIC",
        "ALTER TABLE mentions ADD COLUMN date DATE",
        "ALTER TABLE mentions ADD COLUMN date_end DATE",
        "ALTER TABLE errors ADD COLUMN run_id VARCHAR(32)",
        "ALTER TABLE ingested ADD COLUMN fingerprint VARCHAR(32)",
        "ALTER TABLE ingested ADD COLUMN run_id VARCHAR(32)",
        "ALTER TABLE ingested ADD COLUMN jsonl TEXT",
        "CREATE TABLE runs (run_id VARCHAR(32) NOT NULL PRIMARY KEY, flow VARCHAR(32) NOT NULL, "
        "state VARCHAR(16) NOT NULL, started_at TIMESTAMP WITH TIME ZONE NOT NULL, "
        "finished_at TIMESTAMP WITH TIME ZONE, folder TEXT, pipeline_version VARCHAR(32) NOT NULL, "
        "fingerprint VARCHAR(32), prefect_flow_run_id VARCHAR(64), articles INTEGER, records INTEGER, "
        "errors INTEGER, manifest TEXT, jsonl_dir TEXT)",
        "UPDATE articles SET origin = source",
        "CREATE INDEX ix_articles_origin_current ON articles (origin, current)",
        "CREATE INDEX ix_mentions_family_num ON mentions (family, unit, num)",
        "CREATE INDEX ix_mentions_family_date ON mentions (family, date)",
    ):
        conn.exec_driver_sql(stmt)
    if pg:
        conn.exec_driver_sql("ALTER TABLE articles ALTER COLUMN published TYPE DATE USING NULLIF(published, '')::date")
        # existing rows: the typed columns from the text ones (values that are not numbers or dates stay NULL)
        conn.exec_driver_sql(r"UPDATE mentions SET num = value::numeric WHERE value ~ '^-?\d+(\.\d+)?$'")
        conn.exec_driver_sql(r"UPDATE mentions SET num_max = value_max::numeric WHERE value_max ~ '^-?\d+(\.\d+)?$'")
        conn.exec_driver_sql(r"UPDATE mentions SET date = substr(value, 1, 10)::date "
                             r"WHERE value ~ '^\d{4}-\d{2}-\d{2}'")
        conn.exec_driver_sql(r"UPDATE mentions SET date_end = substr(value_max, 1, 10)::date "
                             r"WHERE value_max ~ '^\d{4}-\d{2}-\d{2}'")
    else:
        conn.exec_driver_sql("UPDATE mentions SET num = CAST(value AS NUMERIC) WHERE value GLOB '[0-9]*' "
                             "AND value NOT GLOB '*[^0-9.]*'")
        conn.exec_driver_sql("UPDATE mentions SET date = substr(value, 1, 10) "
                             "WHERE value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'")
    # the newest record of each source is its current one
    conn.exec_driver_sql(
        "UPDATE articles SET current = (processed_at = (SELECT max(b.processed_at) FROM articles AS b "
        "WHERE b.origin IS NOT DISTINCT FROM articles.origin)) WHERE origin IS NOT NULL"
        if pg else
        "UPDATE articles SET current = (processed_at = (SELECT max(b.processed_at) FROM articles AS b "
        "WHERE b.origin IS articles.origin)) WHERE origin IS NOT NULL")


MIGRATIONS = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5}
_LOCK_KEY = 0x7A686E657773  # "zhnews": the advisory lock that serialises schema creation and migration


def migrate(engine: Engine, target: int = SCHEMA_VERSION) -> int:
    """Create or upgrade the schema step by step, under a lock (a PostgreSQL advisory lock; SQLite's
    BEGIN IMMEDIATE), so any number of processes can open a new or old database at once; the version now."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.begin()
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS zhnews_schema (version INTEGER NOT NULL PRIMARY KEY)")
        current = conn.execute(select(schema_table.c.version)).scalar()
        if current is not None and current > SCHEMA_VERSION:
            conn.rollback()
            raise SinkError(f"database schema version {current} is newer than this zhnews ({SCHEMA_VERSION})")
        current = current or 0
        for version in range(current + 1, target + 1):
            MIGRATIONS[version](conn)
            conn.execute(delete(schema_table))
            conn.execute(schema_table.insert().values(version=version))
            current = version
        conn.commit()
    return current


def safe_url(url: str) -> str:
    """A URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return "<unparseable URL>"


def sqlite_url(path: str | Path) -> str:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{p.resolve()}"


def database_url(db: str) -> str:
    """`sqlite:///path`, `postgresql://...` (driven by psycopg 3) or a bare file path (SQLite)."""
    if db.startswith("postgresql://") or db.startswith("postgres://"):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if db.startswith("sqlite:///"):
        return sqlite_url(db.removeprefix("sqlite:///"))
    if "://" not in db:
        return sqlite_url(db)
    return db
