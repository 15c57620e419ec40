"""The JSONL sink: records to a file written to a temporary file beside it and renamed into place on
commit, so a reader never sees half a file; error records go to `<name>.errors.jsonl`. Kept apart from
the SQL sinks so that writing JSONL never imports SQLAlchemy (start-up time of `zhnews extract`)."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from pipeline.errors import ZhnewsError
from pipeline.records import ArticleBase, ErrorRecord

Result = ArticleBase | ErrorRecord
_UMASK = os.umask(0)
os.umask(_UMASK)


class SinkError(ZhnewsError):
    """A sink cannot be opened or written (a configuration problem, not a bad article)."""


class Sink(Protocol):
    def write(self, results: Iterable[Result]) -> None: ...
    def commit(self) -> None: ...
    def abort(self) -> None: ...


class JsonlSink:
    """Records to `path` ("-" for standard output); error records to `errors_path`."""

    def __init__(self, path: str | Path, errors_path: str | Path | None = None):
        self.to_stdout = str(path) == "-"
        self.records = 0
        self.errors = 0
        if self.to_stdout:
            self._out = sys.stdout
            self._err_path = Path(errors_path) if errors_path else None
        elif _special(Path(path)):  # /dev/null, a FIFO: written in place, errors to stderr unless given
            self.path = Path(path)
            self._err_path = Path(errors_path) if errors_path else None
            self._out = _Direct(self.path)
        else:
            self.path = Path(path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._err_path = Path(errors_path) if errors_path else self.path.with_name(
                self.path.name.removesuffix(".jsonl") + ".errors.jsonl")
            self._out = self._temp(self.path)
        self._err = self._temp(self._err_path) if self._err_path else None

    @staticmethod
    def _temp(path: Path):
        return _Direct(path) if _special(path) else _temp_beside(path)

    def write(self, results: Iterable[Result]) -> None:
        for r in results:
            if isinstance(r, ErrorRecord):
                self.errors += 1
                if self._err is not None:
                    self._err.handle.write(r.model_dump_json() + "\n")
                else:  # no errors file (stdout or a device as output): errors go to stderr as JSON lines
                    sys.stderr.write(r.model_dump_json() + "\n")
            else:
                self.records += 1
                self._write(r.model_dump_json() + "\n")
        if self.to_stdout:
            self._out.flush()

    def _write(self, line: str) -> None:
        try:
            (self._out if self.to_stdout else self._out.handle).write(line)
        except OSError as exc:  # a full disk: one clear error, and nothing half-written is left
            self.abort()
            raise SinkError(f"cannot write {getattr(self, 'path', 'standard output')}: {exc.strerror or exc}") from exc

    def commit(self) -> None:
        if not self.to_stdout:
            self._out.finish(self.path)
        if self._err is not None:
            # an errors file is left only when there were errors; a stale one from an earlier run goes
            self._err.finish(self._err_path if self.errors else None)
            if not self.errors and self._err_path.exists() and not _special(self._err_path):
                self._err_path.unlink()

    def abort(self) -> None:
        """Drop what this run wrote: the previous files stay as they were."""
        if not self.to_stdout:
            self._out.discard()
        if self._err is not None:
            self._err.discard()


class _Temp:
    def __init__(self, handle, name: str):
        self.handle, self.name, self.done = handle, name, False

    def finish(self, target: Path | None) -> None:
        """Rename into `target` (flushed and synced first), or delete when `target` is None. A failure (a
        full disk) deletes the temporary file and raises `SinkError`."""
        if self.done:
            return
        self.done = True
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            if target is not None:
                os.replace(self.name, target)
                return
        except OSError as exc:
            _discard(self.handle, self.name)
            raise SinkError(f"cannot write {target or self.name}: {exc.strerror or exc}") from exc
        _discard(self.handle, self.name)

    def discard(self) -> None:
        _discard(self.handle, self.name)
        self.done = True


class _Direct:
    """Output to a file that is not a regular file (/dev/null, a FIFO, a terminal): written in place, never
    replaced by a rename (which would put a regular file where the device was)."""

    def __init__(self, path: Path):
        try:
            self.handle = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed in finish
        except OSError as exc:
            raise SinkError(f"cannot write {path}: {exc.strerror or exc}") from exc
        self.name, self.done = str(path), False

    def finish(self, target: Path | None) -> None:
        if self.done:
            return
        self.done = True
        try:
            self.handle.close()
        except OSError as exc:
            raise SinkError(f"cannot write {self.name}: {exc.strerror or exc}") from exc

    def discard(self) -> None:
        self.done = True
        try:
            self.handle.close()
        except OSError:
            pass


def _special(path: Path) -> bool:
    """`path` exists and is not a regular file (a device, a FIFO, a socket)."""
    try:
        return not path.is_file() and path.exists() and not path.is_dir()
    except OSError:
        return False


def _discard(handle, name: str) -> None:
    try:
        handle.close()
    except OSError:
        pass
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass


# temporary files are named .<target>.<pid>.<random>.tmp: one whose process is gone is a leftover
_TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(folder: Path) -> list[Path]:
    """Delete the temporary files a killed zhnews left in `folder` (their process is gone); return them."""
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for p in entries:
        m = _TEMP_NAME.match(p.name)
        if m and not _alive(int(m["pid"])):
            try:
                p.unlink()
                removed.append(p)
            except OSError:
                pass
    return removed


def _temp_beside(path: Path) -> _Temp:
    """A temporary file beside `path` (same file system, so the final rename is atomic), after clearing
    the leftovers of killed runs there. A folder that cannot be written is a `SinkError`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(path.parent)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise SinkError(f"cannot write in {path.parent}: {exc.strerror or exc}") from exc
    os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; the final file gets the usual mode
    handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
    return _Temp(handle, name)


def atomic_write(path: str | Path, text: str) -> None:
    """`text` into `path`, through a temporary file renamed into place: a reader sees the old file or the
    whole new one (a device or FIFO is written in place). Raises `SinkError` (a full disk, a read-only
    folder), leaving nothing behind."""
    temp = JsonlSink._temp(Path(path))
    try:
        temp.handle.write(text)
    except OSError as exc:
        temp.discard()
        raise SinkError(f"cannot write {path}: {exc.strerror or exc}") from exc
    temp.finish(Path(path))


