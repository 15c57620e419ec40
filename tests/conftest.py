"""Shared fixtures: the corpus, a real PostgreSQL server, and an isolated Prefect."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

# Prefect reads its settings at import: isolate it before any test imports it.
_PREFECT_HOME = tempfile.mkdtemp(prefix="zhnews-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = ROOT / "tests" / "gold"


def pytest_addoption(parser):
    parser.addoption("--fuzz-long", action="store_true", help="run the property tests with many more examples")


def make_inbox(folder: Path, copies: int = 1) -> list[Path]:
    """The corpus, `copies` times, each copy with its own bytes (so its own doc_id)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for c in range(copies):
        for src in sorted(CORPUS.glob("*.txt")):
            dst = folder / f"{src.stem}-{c}.txt"
            dst.write_text(src.read_text(encoding="utf-8") + f"\n(副本{c})\n", encoding="utf-8")
            out.append(dst)
    return out


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def pipeline():
    from pipeline.core import default_pipeline

    return default_pipeline()


# ------------------------------------------------------------------------------------------------
# a real, throwaway PostgreSQL server


@pytest.fixture(scope="session")
def rule_entities():
    """The entity rules as the pipeline's component builds them (listed names included), on plain text:
    `run(text, model_spans=None)` -> [(text, label, norm, rule)]."""
    from pipeline.entity.components import make_entity_component
    from pipeline.resources import load_rules
    from pipeline.settings import Settings
    from pipeline.text.segment import load_segmenter

    settings = Settings()
    component = make_entity_component(None, "zhnews_entities", str(settings.rules_dir), settings.segmenter,
                                      str(settings.cache_dir))
    segmenter = load_segmenter(load_rules(settings.rules_dir))

    def run(text: str, model=None):
        found = component.matcher(text, segmenter.tokens(text), model)
        return [(text[m.start:m.end], m.fields["label"], m.fields["norm"], m.rule) for m in found]

    return run


def _pg_bindir() -> Path | None:
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        cand = Path(out.stdout.strip())
        if (cand / "initdb").exists():
            return cand
    for cand in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (cand / "initdb").exists():
            return cand
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server started for this test session from the local binaries: (host, port)."""
    bindir = _pg_bindir()
    if bindir is None:
        msg = "PostgreSQL server binaries not found (apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    base = Path(tempfile.mkdtemp(prefix="zhnews-pg-"))
    data, log = base / "data", base / "server.log"
    as_root = os.geteuid() == 0  # initdb refuses root: run the server as the postgres user
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(base, "postgres", "postgres")
    port = _free_port()

    def run(*cmd):
        res = subprocess.run(prefix + [str(c) for c in cmd], capture_output=True, text=True)
        if res.returncode:
            raise RuntimeError(f"{cmd[0]} failed: {res.stderr or res.stdout}\n{log.read_text() if log.exists() else ''}")

    run(bindir / "initdb", "-D", data, "-A", "trust", "-U", "zhnews", "--no-sync", "-E", "UTF8")
    run(bindir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o",
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    try:
        yield "127.0.0.1", port
    finally:
        subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the session's PostgreSQL server, for one test."""
    import uuid

    import psycopg

    host, port = postgres_server
    name = f"zhnews_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"host={host} port={port} user=zhnews dbname=postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql+psycopg://zhnews@{host}:{port}/{name}"


# ------------------------------------------------------------------------------------------------
# Prefect: one temporary local server for the whole session


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)
