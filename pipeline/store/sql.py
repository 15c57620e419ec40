"""The SQL sink: SQLite and PostgreSQL. (The store room: `jsonl.py`, `sql.py`; `open_sinks` in `__init__`.)

- `JsonlSink`: records to a JSONL file, written to a temporary file in the same folder and renamed into
  place on commit, so a reader never sees half a file; error records go to `<name>.errors.jsonl`.
- `SqlSink`: SQLite (the embedded default) and PostgreSQL through the same SQLAlchemy code: the whole
  record as JSON (JSONB on PostgreSQL) plus a normalised `mentions` table. Writes are upserts keyed by
  `(doc_id, pipeline_version)` inside one transaction per batch: re-running never duplicates.

Sinks are the only pipeline code that touches files or databases (besides the CLI and flows).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine

from pipeline import registry
from pipeline.records import ArticleBase, ErrorRecord
from pipeline.store.jsonl import Result, SinkError

SCHEMA_VERSION = 4


# ----------------------------------------------------------------------------------------------
# SQL (SQLite and PostgreSQL)

metadata = MetaData()
JsonType = JSON().with_variant(JSONB(), "postgresql")

schema_table = Table("zhnews_schema", metadata, Column("version", Integer, primary_key=True))

articles = Table(
    "articles", metadata,
    Column("doc_id", String(64), primary_key=True),
    Column("pipeline_version", String(32), primary_key=True),
    Column("source", Text),
    Column("title", Text),
    Column("published", String(10)),
    Column("script", String(16)),
    Column("encoding", String(16)),
    Column("record", JsonType, nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False),
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
    Column("value", Text),       # exact decimal or ISO date as text: no float rounding
    Column("value_max", Text),   # range end (money, percentages) or end_value (dates)
    Column("unit", String(16)),  # currency, entity label, exchange, share class, date granularity
    Column("norm", Text),        # entity norm, stock-code company, table row label
    Column("period", String(16)),  # table cells: the column's period
    Column("kind", String(16)),    # entities: company, exchange, regulator, ...; table cells: money, shares, ...
    Column("attrs", JsonType),     # every other field of the item (qualifier, per_share, year_inferred, ...)
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
)

ingested = Table(
    "ingested", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("pipeline_version", String(32), primary_key=True),
    Column("source", Text),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

def mention_rows(record: ArticleBase) -> list[dict]:
    """One row per item, with the columns each family declares (`Family.columns`)."""
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
            rows.append(row)
    return rows


def _insert(engine: Engine):
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif engine.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - guarded in SqlSink.__init__
        raise SinkError(f"unsupported database: {engine.dialect.name}")
    return insert


class SqlSink:
    """SQLite or PostgreSQL through SQLAlchemy 2; the same code path for both."""

    def __init__(self, url: str):
        url = database_url(url)
        try:
            self.engine = create_engine(url, future=True)
        except Exception as exc:  # noqa: BLE001 - a bad URL is a configuration error
            raise SinkError(f"cannot use database URL {_safe(url)}: {exc}") from exc
        if self.engine.dialect.name not in ("sqlite", "postgresql"):
            raise SinkError(f"unsupported database {self.engine.dialect.name}; use sqlite or postgresql")
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.insert = _insert(self.engine)
        try:
            migrate(self.engine)
        except Exception as exc:  # noqa: BLE001
            raise SinkError(f"cannot open database {_safe(url)}: {exc}") from exc
        self.records = 0
        self.errors = 0

    def write(self, results: Iterable[Result]) -> None:
        results = list(results)
        now = datetime.now(timezone.utc)
        with self.engine.begin() as conn:  # one transaction: all of the batch or none of it
            for r in results:
                if isinstance(r, ErrorRecord):
                    self.errors += 1
                    row = {"source": r.source or "", "pipeline_version": r.pipeline_version, "doc_id": r.doc_id,
                           "stage": r.stage, "error": r.error, "message": r.message, "failed_at": now}
                    stmt = self.insert(errors_table).values(**row)
                    conn.execute(stmt.on_conflict_do_update(
                        index_elements=["source", "pipeline_version"],
                        set_={k: stmt.excluded[k] for k in ("doc_id", "stage", "error", "message", "failed_at")}))
                    continue
                self.records += 1
                row = {"doc_id": r.doc_id, "pipeline_version": r.pipeline_version, "source": r.source,
                       "title": r.title, "published": r.published, "script": r.script, "encoding": r.encoding,
                       "record": json.loads(r.model_dump_json()), "processed_at": now}
                stmt = self.insert(articles).values(**row)
                conn.execute(stmt.on_conflict_do_update(
                    index_elements=["doc_id", "pipeline_version"],
                    set_={k: stmt.excluded[k] for k in row if k not in ("doc_id", "pipeline_version")}))
                conn.execute(delete(mentions).where(mentions.c.doc_id == r.doc_id,
                                                    mentions.c.pipeline_version == r.pipeline_version))
                rows = mention_rows(r)
                if rows:
                    conn.execute(mentions.insert(), rows)
                if r.source:  # a source that now succeeds is no longer an error
                    conn.execute(delete(errors_table).where(errors_table.c.source == r.source,
                                                            errors_table.c.pipeline_version == r.pipeline_version))

    def known_ids(self, pipeline_version: str) -> set[str]:
        """Content hashes already handled for this pipeline version: stored records and errors, and
        files an ingest run marked (an oversize file's parts have their own doc_ids)."""
        with self.engine.connect() as conn:
            done = conn.execute(select(articles.c.doc_id).where(articles.c.pipeline_version == pipeline_version))
            failed = conn.execute(select(errors_table.c.doc_id).where(
                errors_table.c.pipeline_version == pipeline_version, errors_table.c.doc_id.is_not(None)))
            marked = conn.execute(select(ingested.c.sha256).where(ingested.c.pipeline_version == pipeline_version))
            return {r[0] for r in done} | {r[0] for r in failed} | {r[0] for r in marked}

    def mark_ingested(self, files: dict[str, str], pipeline_version: str) -> None:
        """Record that these files (path -> sha256) were handled, after their records were written."""
        rows = [{"sha256": h, "pipeline_version": pipeline_version, "source": p,
                 "ingested_at": datetime.now(timezone.utc)} for p, h in files.items() if h]
        if not rows:
            return
        with self.engine.begin() as conn:
            stmt = self.insert(ingested)
            conn.execute(stmt.on_conflict_do_nothing(index_elements=["sha256", "pipeline_version"]), rows)

    def commit(self) -> None:
        self.engine.dispose()

    def abort(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def _v1(conn) -> None:
    """articles (record as JSON/JSONB), mentions, errors."""
    metadata.create_all(conn, tables=[articles, errors_table])
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
    metadata.create_all(conn, tables=[ingested])


def _v4(conn) -> None:
    """Every item field reaches the mention rows: the ones without a column of their own go to `attrs`
    (JSON; JSONB on PostgreSQL)."""
    kind = "JSONB" if conn.dialect.name == "postgresql" else "JSON"
    conn.exec_driver_sql(f"ALTER TABLE mentions ADD COLUMN attrs {kind}")


MIGRATIONS = {1: _v1, 2: _v2, 3: _v3, 4: _v4}  # version -> the step that reaches it; never edit a released step


def migrate(engine: Engine, target: int = SCHEMA_VERSION) -> int:
    """Create or upgrade the schema step by step, each step in its own transaction; the version now."""
    metadata.create_all(engine, tables=[schema_table])
    with engine.begin() as conn:
        current = conn.execute(select(schema_table.c.version)).scalar()
    if current is not None and current > SCHEMA_VERSION:
        raise SinkError(f"database schema version {current} is newer than this zhnews ({SCHEMA_VERSION})")
    current = current or 0
    for version in range(current + 1, target + 1):
        with engine.begin() as conn:
            MIGRATIONS[version](conn)
            conn.execute(delete(schema_table))
            conn.execute(schema_table.insert().values(version=version))
        current = version
    return current


def _safe(url: str) -> str:
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
