"""A local Prefect API server that cannot outlive the process that started it.

With no `PREFECT_API_URL`, Prefect starts a temporary server of its own; when the process is killed (a
SIGKILL, an out-of-memory kill), that server is orphaned and keeps running (232 MB each, found minutes
later). `local_server()` starts the same server (uvicorn with Prefect's app factory), but as a child that
the kernel terminates when its parent dies (`PR_SET_PDEATHSIG`), in its own process group, and stops it
at exit; it then points `PREFECT_API_URL` at it, so Prefect starts no server of its own.

- `ephemeral=True`: a server for one command's flow runs (no scheduler), like Prefect's own.
- `ephemeral=False`: with the scheduler and the other services, for `zhnews serve`: schedules fire.

This module starts a process; it does not import Prefect (the package is located, not loaded).
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """In the child: be terminated when the parent dies, and lead a process group of its own."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except OSError:
        pass
    os.setpgid(0, 0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LocalServer:
    process: subprocess.Popen
    api_url: str

    def stop(self, timeout: float = 5.0) -> None:
        """Terminate the server (and anything it started), then reap it."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class ServerError(RuntimeError):
    """The local Prefect server did not start."""


def local_server(*, ephemeral: bool = True, timeout: float = 120.0, port: int | None = None) -> LocalServer:
    """Start a local Prefect API server (see the module doc), wait until it answers, point
    `PREFECT_API_URL` at it and return it. Raises `ServerError` with the server's last words."""
    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        raise ServerError("Prefect is not installed")
    port = port or _free_port()
    env = {**os.environ, "PREFECT_UI_ENABLED": "0"}
    env.pop("PREFECT_API_URL", None)
    if ephemeral:
        env["PREFECT__SERVER_EPHEMERAL"] = "1"
    log = Path(os.environ.get("PREFECT_HOME", str(Path.home() / ".prefect"))) / f"zhnews-server-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(spec.origin).parent.parent), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "error", "--lifespan", "on"],
            env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - fork-safe: two system calls, no locks
        )
    server = LocalServer(process, f"http://127.0.0.1:{port}/api")
    atexit.register(server.stop)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"the local Prefect server exited with code {process.returncode}: "
                              f"{_tail(log)} (log: {log})")
        try:
            with urllib.request.urlopen(f"{server.api_url}/health", timeout=2) as response:
                if response.status == 200:
                    os.environ["PREFECT_API_URL"] = server.api_url
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    server.stop()
    raise ServerError(f"the local Prefect server did not answer within {timeout:g} s (log: {log})")


def _tail(path: Path, lines: int = 3) -> str:
    try:
        return " | ".join(path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return ""
