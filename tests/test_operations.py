"""Running it for real: real processes, real signals, real files and databases (issues 17 and 18).

Each test runs `zhnews` as a user would, in a subprocess with its own PREFECT_HOME, and checks what a data
team would check afterwards: the exit code and the one line on standard error, the database rows, the
manifest, the JSONL files, the processes left behind.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, make_inbox

SAMPLE = "金山云CEO王育林宣布,公司于2025年9月通过港股配售募资约28亿港元,其中80%投向AI业务。\n"


def _env(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update({"PYTHONPATH": str(ROOT), "PREFECT_HOME": str(tmp_path / "prefect"), "DO_NOT_TRACK": "1",
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
    env.update(extra)
    return env


def _zhnews(*args, tmp_path: Path, timeout: float = 300, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], env=_env(tmp_path, **extra),
                          capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _children(pid: int) -> set[int]:
    """Every descendant of `pid`, from /proc."""
    parent_of = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parent_of[int(entry.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    out, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parent_of.items() if parent in frontier} - out
        out |= frontier
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_for(predicate, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


# ------------------------------------------------------------------------------------------------
# interrupts


@pytest.mark.flow
@pytest.mark.parametrize("command,sig,code", [("ingest", signal.SIGINT, 130), ("reprocess", signal.SIGTERM, 143)])
def test_a_signal_stops_the_run_quickly_with_one_line_and_a_manifest(tmp_path, command, sig, code):
    inbox = tmp_path / "inbox"
    files = make_inbox(inbox, copies=12)
    db = tmp_path / "z.db"
    args = [sys.executable, "-m", "pipeline.cli", command, str(inbox), "--db", f"sqlite:///{db}", "--batch-size", "2",
            "--manifest-dir", str(tmp_path / "m")] + (["--jsonl", str(tmp_path / "r.jsonl")] if command == "reprocess" else [])
    proc = subprocess.Popen(args, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)

    def committed() -> int:
        try:
            return _rows(db, "SELECT count(*) FROM articles")[0][0]
        except sqlite3.Error:
            return 0

    assert _wait_for(lambda: committed() >= 4 or proc.poll() is not None, 300)
    assert proc.poll() is None, f"the run ended before it could be interrupted: {proc.communicate()[1][-2000:]}"
    proc.send_signal(sig)
    start = time.monotonic()
    out, err = proc.communicate(timeout=60)
    took = time.monotonic() - start
    assert proc.returncode == code, err[-2000:]
    assert took < 2.0 + 1.5, f"took {took:.1f} s to stop"  # 2 s to stop, plus the local server's shutdown
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 3, err
    assert "interrupted:" in err
    stored = committed()
    assert 4 <= stored < len(files)
    manifest = json.loads(next((tmp_path / "m").glob("*.json")).read_text(encoding="utf-8"))
    assert manifest["state"] == "interrupted" and manifest["records"] == stored
    assert _rows(db, "SELECT state, records FROM runs") == [("interrupted", stored)]
    if command == "reprocess":  # the JSONL holds exactly the committed batches
        assert len((tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()) == stored
    assert not list(tmp_path.rglob(".*.tmp"))


@pytest.mark.flow
def test_sigkill_leaves_no_server_and_the_rerun_exports_what_was_stored(tmp_path):
    """SIGKILL mid-ingest: the local Prefect server dies with its parent; the rerun stores every article
    once and, between its JSONL files, exports every article exactly once."""
    inbox, db, out = tmp_path / "inbox", tmp_path / "z.db", tmp_path / "jsonl"
    files = make_inbox(inbox, copies=6)
    args = [sys.executable, "-m", "pipeline.cli", "ingest", str(inbox), "--db", f"sqlite:///{db}", "--batch-size", "1",
            "--jsonl-dir", str(out), "--manifest-dir", str(tmp_path / "m")]
    proc = subprocess.Popen(args, env=_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)

    def stored() -> int:
        try:
            return _rows(db, "SELECT count(*) FROM articles")[0][0]
        except sqlite3.Error:
            return 0

    assert _wait_for(lambda: stored() >= 3 or proc.poll() is not None, 240)
    assert proc.poll() is None
    family = _children(proc.pid)
    assert family, "the CLI started no server process"
    proc.kill()
    proc.wait()
    assert _wait_for(lambda: not any(_alive(p) for p in family), 10), "a child outlived the killed CLI"
    # as if the kill had also come between a batch's commit and its JSONL file: one batch file is missing
    first_batch = sorted(out.glob("*-0001.jsonl"))
    assert first_batch
    first_batch[0].unlink()
    done = _zhnews("ingest", inbox, "--db", f"sqlite:///{db}", "--batch-size", "4", "--jsonl-dir", out,
                   "--manifest-dir", tmp_path / "m", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    sources = [row[0] for row in _rows(db, "SELECT source FROM articles")]
    assert sorted(sources) == sorted(str(f) for f in files)
    exported = [json.loads(line)["source"] for f in sorted(out.glob("*.jsonl")) if not f.name.endswith(".errors.jsonl")
                for line in f.read_text(encoding="utf-8").splitlines()]
    assert sorted(exported) == sorted(str(f) for f in files)  # each exactly once
    assert any(f.name.endswith("-recovered.jsonl") for f in out.glob("*.jsonl"))


# ------------------------------------------------------------------------------------------------
# one exit-code policy; fast one-line errors


@pytest.mark.parametrize("args", [
    ["extract", "corpus", "--published", "2025-13-01"],
    ["show", "corpus/000_9b9d65982590d5c2.txt", "--published", "yesterday"],
    ["reprocess", "corpus", "--published", "2025/06/30", "--db", "sqlite:///{tmp}/z.db"],
    ["ingest", "corpus", "--published", "30-06-2025", "--db", "sqlite:///{tmp}/z.db"],
])
def test_a_bad_date_is_a_usage_error_in_every_command(tmp_path, args):
    res = _zhnews(*[a.format(tmp=tmp_path) for a in args], tmp_path=tmp_path, timeout=60)
    assert res.returncode == 2 and "--published must be YYYY-MM-DD" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr


@pytest.mark.parametrize("command", ["reprocess", "ingest", "serve"])
def test_a_missing_folder_is_a_usage_error(tmp_path, command):
    res = _zhnews(command, tmp_path / "nope", "--db", f"sqlite:///{tmp_path}/z.db", tmp_path=tmp_path, timeout=60)
    assert res.returncode == 2 and "no such" in res.stderr and len(res.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["reprocess", "ingest"])
def test_a_database_that_cannot_be_reached_fails_fast_with_one_line(tmp_path, command):
    start = time.monotonic()
    res = _zhnews(command, CORPUS, "--db", "postgresql://zhnews@127.0.0.1:9/nope", tmp_path=tmp_path, timeout=60)
    took = time.monotonic() - start
    assert res.returncode == 3 and "cannot open database" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    assert took < 8, f"{took:.1f} s"


def test_an_empty_folder_warns(tmp_path):
    (tmp_path / "empty").mkdir()
    res = _zhnews("extract", tmp_path / "empty", "--out", tmp_path / "o.jsonl", tmp_path=tmp_path, timeout=60)
    assert res.returncode == 0 and "warning: no *.txt or *.md articles" in res.stderr


@pytest.mark.flow
def test_an_empty_inbox_warns_and_completes(tmp_path):
    (tmp_path / "inbox").mkdir()
    res = _zhnews("ingest", tmp_path / "inbox", "--db", f"sqlite:///{tmp_path}/z.db", "--manifest-dir",
                  tmp_path / "m", "--json", tmp_path=tmp_path)
    assert res.returncode == 0 and "warning: no *.txt or *.md articles" in res.stderr
    assert json.loads(res.stdout)["articles"] == 0


def test_read_only_outputs_fail_before_any_work(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if os.access(ro, os.W_OK):
            pytest.skip("running as a user who can write a read-only folder (root ignores modes)")
        res = _zhnews("ingest", CORPUS, "--db", f"sqlite:///{tmp_path}/z.db", "--manifest-dir", ro / "m",
                      tmp_path=tmp_path, timeout=60)
        assert res.returncode == 3 and "manifest folder" in res.stderr and "Traceback" not in res.stderr
        res = _zhnews("extract", CORPUS, "--out", ro / "r.jsonl", tmp_path=tmp_path, timeout=60)
        assert res.returncode == 3 and "cannot write" in res.stderr
    finally:
        ro.chmod(0o755)


def test_read_only_mount_and_full_disk_are_configuration_errors(tmp_path):
    """A real read-only file system and a real full one (small tmpfs mounts): exit 3, one line, no
    temporary file left. (A stand-in when mounting is not allowed: the test is skipped, saying so.)"""
    full, ro = tmp_path / "full", tmp_path / "rofs"
    full.mkdir()
    ro.mkdir()
    mounted = []
    try:
        for target, opts in ((full, "size=16k"), (ro, "size=16k,ro")):
            res = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(target)], capture_output=True)
            if res.returncode:
                pytest.skip(f"cannot mount a tmpfs here ({res.stderr.decode().strip()}): no real full disk")
            mounted.append(target)
        res = _zhnews("extract", CORPUS, "--out", ro / "r.jsonl", tmp_path=tmp_path, timeout=60)
        assert res.returncode == 3 and "cannot write" in res.stderr and "Traceback" not in res.stderr
        res = _zhnews("extract", CORPUS, "--out", full / "r.jsonl", tmp_path=tmp_path, timeout=120)
        assert res.returncode == 3 and "No space left" in res.stderr and "Traceback" not in res.stderr
        assert not list(full.iterdir()), "a temporary file was left on the full disk"
    finally:
        for target in mounted:
            subprocess.run(["umount", str(target)], capture_output=True)


# ------------------------------------------------------------------------------------------------
# special files, odd names


def test_special_files_are_error_rows_and_links_stay_inside(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text(SAMPLE, encoding="utf-8")
    os.mkfifo(folder / "fifo.txt")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "inside.txt").symlink_to(folder / "ok.txt")
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    name = os.fsdecode(b"gbk-\xbd\xf0\xc9\xbd.txt")
    (folder / name).write_text(SAMPLE, encoding="utf-8")
    res = _zhnews("extract", folder, "--out", tmp_path / "r.jsonl", tmp_path=tmp_path, timeout=120)
    assert res.returncode == 1, res.stderr
    records = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    errors = {Path(e["source"]).name: e for e in
              (json.loads(x) for x in (tmp_path / "r.errors.jsonl").read_text(encoding="utf-8").splitlines())}
    escaped = b"gbk-\xbd\xf0\xc9\xbd.txt".decode("utf-8", "backslashreplace")  # the bytes that are not UTF-8
    assert sorted(Path(r["source"]).name for r in records) == sorted([escaped, "inside.txt", "ok.txt"])
    odd = next(r for r in records if "gbk" in r["source"])
    assert odd["metadata"]["source_bytes"] == os.fsencode(str(folder / name)).hex()
    assert "FIFO" in errors["fifo.txt"]["message"] and "outside the input folder" in errors["passwd.txt"]["message"]
    assert "loop" in errors["loop-a.txt"]["message"] and errors["fifo.txt"]["stage"] == "read"
    res = _zhnews("extract", folder / "fifo.txt", "--out", tmp_path / "f.jsonl", tmp_path=tmp_path, timeout=30)
    assert res.returncode == 1  # refused at once, never read (reading a FIFO would block)
    res = _zhnews("extract", folder, "--follow-symlinks", "--out", tmp_path / "s.jsonl", tmp_path=tmp_path, timeout=120)
    followed = [json.loads(x)["source"] for x in (tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(s.endswith("passwd.txt") for s in followed)


@pytest.mark.flow
def test_a_non_utf8_file_name_never_stops_a_run(tmp_path):
    """Five good articles and one GBK-named file: all six stored, the odd name escaped and kept as bytes."""
    inbox = tmp_path / "inbox"
    make_inbox(inbox)
    (inbox / os.fsdecode(b"\xbd\xf0\xc9\xbd.txt")).write_text(SAMPLE, encoding="utf-8")
    db = tmp_path / "z.db"
    res = _zhnews("ingest", inbox, "--db", f"sqlite:///{db}", "--manifest-dir", tmp_path / "m", tmp_path=tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    assert _rows(db, "SELECT count(*) FROM articles")[0][0] == 6


# ------------------------------------------------------------------------------------------------
# secrets, versions, the CLI's conventions


@pytest.mark.flow
@pytest.mark.postgres
def test_the_database_password_reaches_no_prefect_parameter(tmp_path, postgres_url):
    url = postgres_url.replace("postgresql+psycopg://zhnews@", "postgresql://zhnews:s3cr3t-pw@")
    res = _zhnews("reprocess", CORPUS, "--db", url, "--jsonl", "", tmp_path=tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    leaked = [p for p in (tmp_path / "prefect").rglob("*") if p.is_file() and b"s3cr3t-pw" in p.read_bytes()]
    assert not leaked, f"the password is stored in {leaked}"
    assert "s3cr3t-pw" not in res.stderr + res.stdout


@pytest.mark.flow
def test_a_rule_change_reprocesses_what_the_old_rules_stored(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "z.db"
    make_inbox(inbox)
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    first = _zhnews("ingest", inbox, "--db", f"sqlite:///{db}", "--json", "--manifest-dir", tmp_path / "m",
                    tmp_path=tmp_path, ZHNEWS_RULES=str(rules))
    assert json.loads(first.stdout)["processed"] == 5
    again = _zhnews("ingest", inbox, "--db", f"sqlite:///{db}", "--json", "--manifest-dir", tmp_path / "m",
                    tmp_path=tmp_path, ZHNEWS_RULES=str(rules))
    assert json.loads(again.stdout)["processed"] == 0
    with open(rules / "qualifier.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n# an edit: the fingerprint changes\n")
    edited = _zhnews("ingest", inbox, "--db", f"sqlite:///{db}", "--json", "--manifest-dir", tmp_path / "m",
                     tmp_path=tmp_path, ZHNEWS_RULES=str(rules))
    summary = json.loads(edited.stdout)
    assert summary["processed"] == 5 and summary["fingerprint"] != json.loads(first.stdout)["fingerprint"]
    assert {row[0] for row in _rows(db, "SELECT fingerprint FROM articles WHERE current")} == {summary["fingerprint"]}


def test_version_info_and_help():
    version = subprocess.run([sys.executable, "-m", "pipeline.cli", "--version"], capture_output=True, text=True,
                             cwd=ROOT)
    assert version.returncode == 0 and version.stdout.startswith("zhnews ")
    info = subprocess.run([sys.executable, "-m", "pipeline.cli", "info", "--json"], capture_output=True, text=True,
                          cwd=ROOT)
    data = json.loads(info.stdout)
    assert data["packages"]["jieba"] and data["packages"]["spacy"] and len(data["fingerprint"]) == 16
    helptext = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", "--help"], capture_output=True,
                              text=True, cwd=ROOT, env={**os.environ, "COLUMNS": "120"}).stdout
    assert "list[Path]" not in helptext and "PATH..." in helptext


# ------------------------------------------------------------------------------------------------
# the nightly deployment, end to end, as the README says


@pytest.mark.flow
def test_deploy_a_worker_and_a_completed_run(tmp_path):
    """A local Prefect server (`make prefect-server` does the same), `zhnews deploy`, a process worker, a
    run of the deployment: it completes and its rows are in the database."""
    from pipeline.serverctl import local_server

    saved = {k: os.environ.get(k) for k in ("PREFECT_HOME", "PREFECT_API_URL")}
    os.environ["PREFECT_HOME"] = str(tmp_path / "prefect")
    try:
        server = local_server(ephemeral=False)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    api = server.api_url
    try:
        env = _env(tmp_path, PREFECT_API_URL=api, PREFECT_WORKER_QUERY_SECONDS="1",
                   PREFECT_WORKER_PREFETCH_SECONDS="1")
        inbox, db = tmp_path / "inbox", tmp_path / "z.db"
        make_inbox(inbox)
        res = subprocess.run([sys.executable, "-m", "pipeline.cli", "deploy", "--inbox", str(inbox), "--db",
                              f"sqlite:///{db}", "--pool", "zhnews-e2e"], env=env, capture_output=True, text=True,
                             cwd=ROOT, timeout=180)
        assert res.returncode == 0, res.stderr[-2000:]
        run = subprocess.run([sys.executable, "-m", "prefect", "deployment", "run", "zhnews-ingest/zhnews-nightly"],
                             env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert run.returncode == 0, run.stderr[-2000:] + run.stdout[-2000:]
        run_id = re.search(r"UUID: ([0-9a-f-]{36})", run.stdout)[1]
        worker = subprocess.Popen([sys.executable, "-m", "prefect", "worker", "start", "--pool", "zhnews-e2e"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
                                  start_new_session=True)

        def state() -> str:
            res = subprocess.run([sys.executable, "-m", "prefect", "flow-run", "inspect", run_id], env=env,
                                 capture_output=True, text=True, cwd=ROOT, timeout=60)
            m = re.search(r"state_type=StateType\.(\w+)", res.stdout) or re.search(r"'type': '(\w+)'", res.stdout)
            return m[1] if m else res.stdout[-300:]

        try:
            assert _wait_for(lambda: state() in ("COMPLETED", "FAILED", "CRASHED"), 240, step=3)
            final = state()
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            out, _ = worker.communicate(timeout=30)
        assert final == "COMPLETED", out[-3000:]
        assert _rows(db, "SELECT count(*) FROM articles WHERE current")[0][0] == 5
        assert _rows(db, "SELECT flow, state FROM runs") == [("ingest", "completed")]
        assert _rows(db, "SELECT prefect_flow_run_id IS NOT NULL FROM runs") == [(1,)]
    finally:
        server.stop()


@pytest.mark.flow
@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_serve_schedules_for_real_and_stops_on_a_signal(tmp_path, sig, code):
    """`zhnews serve` starts its own server with the scheduler (no "ephemeral server" refusal), registers
    the 02:00 schedule, and a signal stops it and its server within two seconds."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", str(inbox), "--db",
                             f"sqlite:///{tmp_path}/z.db"], env=_env(tmp_path), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    import threading

    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")), daemon=True)
    reader.start()
    try:
        assert _wait_for(lambda: any("serving zhnews-nightly" in ln for ln in lines) or proc.poll() is not None, 240)
        assert proc.poll() is None, "".join(lines)[-2000:]
        time.sleep(3)  # the runner registers the deployment and its schedule
        family = _children(proc.pid)
        proc.send_signal(sig)
        start = time.monotonic()
        proc.wait(timeout=30)
        took = time.monotonic() - start
        reader.join(5)
        err = "".join(lines)
        assert proc.returncode == code and took < 2.5, f"{proc.returncode} after {took:.1f} s: {err[-2000:]}"
        assert "Cannot schedule flows on an ephemeral server" not in err and "Traceback" not in err
        assert _wait_for(lambda: not any(_alive(p) for p in family), 10), "the server outlived `zhnews serve`"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# ------------------------------------------------------------------------------------------------
# issue 18: bookkeeping that cannot lie, leftovers, memory


@pytest.mark.flow
def test_a_file_missing_during_ingest_is_stored_once_it_is_back(prefect_harness, tmp_path, monkeypatch):
    """A file that vanishes between the folder scan and its read becomes an error row and is not marked as
    ingested: restored unchanged, the next run stores it."""
    import flows
    import pipeline.sources as sources
    from pipeline.errors import ReadError

    inbox, db = tmp_path / "inbox", tmp_path / "z.db"
    files = make_inbox(inbox)
    gone = files[2]
    real = sources.read_article

    def flaky(article, **kwargs):
        if Path(article.path).name == gone.name:
            raise ReadError("cannot read: No such file or directory", source=article.source)
        return real(article, **kwargs)

    monkeypatch.setattr(sources, "read_article", flaky)
    first = flows.ingest(str(inbox), db=f"sqlite:///{db}", manifest_dir=str(tmp_path / "m"))
    assert (first["records"], first["errors"]) == (4, 1)
    assert _rows(db, "SELECT count(*) FROM ingested")[0][0] == 4
    monkeypatch.setattr(sources, "read_article", real)
    second = flows.ingest(str(inbox), db=f"sqlite:///{db}", manifest_dir=str(tmp_path / "m"))
    assert (second["processed"], second["records"], second["errors"]) == (1, 1, 0)
    assert _rows(db, "SELECT count(*) FROM errors")[0][0] == 0  # the error row is gone once it succeeds


def test_temporary_files_of_a_killed_run_are_removed_at_the_next_start(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = out / f".r.jsonl.{dead.pid}.abcd1234.tmp"
    leftover.write_bytes(b"x" * 1000)
    alive = out / f".r.jsonl.{os.getpid()}.efgh5678.tmp"  # a live process's file is left alone
    alive.write_bytes(b"y")
    res = _zhnews("extract", CORPUS / "000_9b9d65982590d5c2.txt", "--out", out / "r.jsonl", tmp_path=tmp_path,
                  timeout=120)
    assert res.returncode == 0, res.stderr
    assert not leftover.exists() and alive.exists() and (out / "r.jsonl").exists()


def test_a_read_only_manifest_folder_is_a_configuration_error_before_any_work(tmp_path):
    ro = tmp_path / "rofs"
    ro.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k,ro", "tmpfs", str(ro)], capture_output=True)
    if res.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({res.stderr.decode().strip()})")
    try:
        db = tmp_path / "z.db"
        res = _zhnews("ingest", CORPUS, "--db", f"sqlite:///{db}", "--manifest-dir", ro / "m", tmp_path=tmp_path,
                      timeout=60)
        assert res.returncode == 3 and "manifest folder" in res.stderr and "Traceback" not in res.stderr
        assert not db.exists() or _rows(db, "SELECT count(*) FROM articles")[0][0] == 0  # nothing was processed
    finally:
        subprocess.run(["umount", str(ro)], capture_output=True)


def test_batches_are_bounded_by_bytes_not_only_by_count(tmp_path):
    import flows

    sizes = [3_000_000, 3_000_000, 12_000_000, 100, 100, 20_000_000, 100]
    paths = []
    for i, n in enumerate(sizes):
        p = tmp_path / f"a{i}.txt"
        with open(p, "wb") as fh:
            fh.truncate(n)  # sparse: the size is what counts
        paths.append(str(p))
    batches = list(flows._batches(paths, batch_size=64, max_bytes=16_000_000))
    assert [len(b) for b in batches] == [2, 3, 1, 1]  # 6 MB | 12 MB + 200 B | a 20 MB file alone | 100 B
    assert all(sum(sizes[paths.index(p)] for p in b) <= 16_000_000 or len(b) == 1 for b in batches)
    assert [len(b) for b in flows._batches(paths[3:5] * 40, batch_size=64)] == [64, 16]
