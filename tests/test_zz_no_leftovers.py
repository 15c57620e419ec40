"""Runs last (files run in name order): the test suite leaves no Prefect server behind.

Every server this session started — by a CLI subprocess, a deployment test, `local_server` — must be gone by
now, except the one `prefect_test_harness` keeps for the session (it stops it at the end)."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import _PREFECT_HOME


def _servers() -> dict[int, str]:
    """pid -> PREFECT_HOME of every Prefect API server process on the machine."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes()
            if b"prefect.server.api.server:create_app" not in cmd and b"prefect server start" not in cmd:
                continue
            env = dict(v.split(b"=", 1) for v in (entry / "environ").read_bytes().split(b"\0") if b"=" in v)
            out[int(entry.name)] = env.get(b"PREFECT_HOME", b"").decode(errors="replace")
        except OSError:
            continue
    return out


def test_the_suite_leaves_no_prefect_server_behind(tmp_path_factory):
    from prefect.server.api.server import SubprocessASGIServer

    harness = {s.server_process.pid for s in SubprocessASGIServer._instances.values() if s.server_process}
    tmp = str(tmp_path_factory.getbasetemp())  # this session's folders: other sessions' servers are theirs
    deadline = time.monotonic() + 15
    while True:
        ours = {pid: home for pid, home in _servers().items()
                if pid not in harness and (home.startswith(_PREFECT_HOME) or home.startswith(tmp))}
        if not ours or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert not ours, f"Prefect servers left running: {ours}"
