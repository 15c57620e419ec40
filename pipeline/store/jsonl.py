"""The JSONL sink: records to a file written to a temporary file beside it and renamed into place on
commit, so a reader never sees half a file; error records go to `<name>.errors.jsonl`. Kept apart from
the SQL sinks so that writing JSONL never imports SQLAlchemy (start-up time of `zhnews extract`)."""

from __future__ import annotations

import os
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
        else:
            self.path = Path(path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._err_path = Path(errors_path) if errors_path else self.path.with_name(
                self.path.name.removesuffix(".jsonl") + ".errors.jsonl")
            self._out = self._temp(self.path)
        self._err = self._temp(self._err_path) if self._err_path else None

    @staticmethod
    def _temp(path: Path):
        """A temporary file beside `path` (same file system, so the final rename is atomic)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; the final file gets the usual mode
        handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return _Temp(handle, name)

    def write(self, results: Iterable[Result]) -> None:
        for r in results:
            if isinstance(r, ErrorRecord):
                self.errors += 1
                if self._err is not None:
                    self._err.handle.write(r.model_dump_json() + "\n")
                else:  # no errors file with stdout output: errors go to stderr as JSON lines
                    sys.stderr.write(r.model_dump_json() + "\n")
            else:
                self.records += 1
                self._write(r.model_dump_json() + "\n")
        if self.to_stdout:
            self._out.flush()

    def _write(self, line: str) -> None:
        (self._out if self.to_stdout else self._out.handle).write(line)

    def commit(self) -> None:
        if not self.to_stdout:
            self._out.finish(self.path)
        if self._err is not None:
            # an errors file is left only when there were errors; a stale one from an earlier run goes
            self._err.finish(self._err_path if self.errors else None)
            if not self.errors and self._err_path.exists():
                self._err_path.unlink()

    def abort(self) -> None:
        """Drop what this run wrote: the previous files stay as they were."""
        if not self.to_stdout:
            self._out.finish(None)
        if self._err is not None:
            self._err.finish(None)


class _Temp:
    def __init__(self, handle, name: str):
        self.handle, self.name, self.done = handle, name, False

    def finish(self, target: Path | None) -> None:
        """Rename into `target` (flushed and synced first), or delete when `target` is None."""
        if self.done:
            return
        self.done = True
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        if target is not None:
            os.replace(self.name, target)
        else:
            os.unlink(self.name)


