"""Compiled rule patterns kept between processes, so a new process starts in a fraction of the time.

The rules compile to a few hundred regular expressions, some of them tens of thousands of characters long
(the currency names). `regex` parses and compiles a pattern in Python (about 1.3 CPU-seconds for all of
them) and then hands the result, a list of opcodes and the group tables, to its C module. That hand-over is
what this module keeps: `compile(pattern, flags)` returns exactly what `regex.compile` returns, and the
arguments of the C call are stored in one `marshal` file per user, `regex` version and Python version
(`zhnews-regex-<uid>-<versions>.marshal` in the cache folder, `Settings.cache_dir`: the folder of jieba's
own cache). The next process rebuilds each pattern from them with one C call.

Safety: marshal reads only plain data (numbers, strings, lists, dicts) and the file is used only when the
current user owns it; an entry that does not rebuild (another `regex` version, a damaged file) is
compiled again as usual. The file only ever saves time: delete it, or never call `use`, and every pattern
compiles as before. `regex` itself is not modified: during a recorded compile its C module is seen through
a thin stand-in that notes the arguments of `compile` and passes every call on.
"""

from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import sys
import tempfile
import threading
from pathlib import Path

import regex
from regex import _main

from pipeline import cachefile

_FORMAT = 1
_lock = threading.Lock()
_local = threading.local()
_C = _main._regex  # regex's C module: its compile() takes the finished opcodes


class _Recorder:
    """Stands in for regex's C module: passes every call on, and notes `compile`'s arguments when the
    current thread asked for them."""

    def __init__(self, real):
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    def compile(self, *args):
        if getattr(_local, "recording", False):
            _local.args = args
        return self._real.compile(*args)


class _Store:
    def __init__(self) -> None:
        self.folder: Path | None = None
        self.entries: dict[tuple[str, int], tuple] | None = None
        self.dirty = False
        self.parsed: dict[str, tuple] | None = None  # `parsed`: name -> (sha256 of the text, marshal of the data)
        self.parsed_dirty = False

    @property
    def path(self) -> Path:
        folder = self.folder or Path(tempfile.gettempdir())
        uid = os.getuid() if hasattr(os, "getuid") else 0
        py = f"{sys.version_info[0]}{sys.version_info[1]}"
        return folder / f"zhnews-regex-{uid}-{regex.__version__}-py{py}-{_FORMAT}.marshal"

    @property
    def parsed_path(self) -> Path:
        return self.path.with_name(self.path.name.replace("zhnews-regex-", "zhnews-parsed-"))

    def load(self) -> dict:
        if self.entries is None:
            self.entries = _read(self.path)
        return self.entries


_store = _Store()


def _read(path: Path) -> dict:
    data = cachefile.read(path)
    return data if isinstance(data, dict) else {}


def use(folder: str | Path | None) -> None:
    """Keep the compiled patterns in `folder` (the settings' cache folder); before any compile."""
    with _lock:
        new = Path(folder) if folder else None
        if new != _store.folder:
            if _store.dirty or _store.parsed_dirty:
                _save_locked()
            _store.folder, _store.entries, _store.dirty = new, None, False
            _store.parsed, _store.parsed_dirty = None, False


def parsed(name: str, text: str, parse):
    """`parse(text)`, kept with the patterns (one more `marshal` file in the same folder, keyed by `name` and
    the text's sha256): the rule files' YAML, which takes longer to parse than its result takes to load. Data
    marshal cannot hold is parsed every time; never raises more than `parse` does."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    with _lock:
        if _store.parsed is None:
            data = cachefile.read(_store.parsed_path)
            _store.parsed = data if isinstance(data, dict) else {}
        hit = _store.parsed.get(name)
    if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == digest and isinstance(hit[1], bytes):
        try:
            return marshal.loads(hit[1])  # a fresh copy for each caller
        except (ValueError, EOFError, TypeError):
            pass
    value = parse(text)
    try:
        stored = marshal.dumps(value)
    except ValueError:
        return value
    with _lock:
        _store.parsed[name] = (digest, stored)
        _store.parsed_dirty = True
    return value


def compile(pattern: str, flags: int = 0):  # noqa: A001 - the same name and signature as regex.compile
    """`regex.compile(pattern, flags)`, rebuilt from the stored opcodes when they are there."""
    key = (pattern, int(flags))
    with _lock:
        args = _store.load().get(key)
    if args is not None:
        try:
            rx = _C.compile(*args)
            if rx.pattern == pattern:
                return rx
        except Exception:  # noqa: BLE001 - a stale or damaged entry: compile it again below
            pass
    _local.recording, _local.args = True, None
    try:
        rx = regex.compile(pattern, flags, cache_pattern=False)
        args = _local.args
    finally:
        _local.recording, _local.args = False, None
    if args is not None:
        with _lock:
            _store.load()[key] = _plain(args)
            _store.dirty = True
    return rx


def _plain(x):
    """The same value in marshal's types (regex passes its flags as an IntFlag)."""
    if isinstance(x, (list, tuple)):
        items = [_plain(v) for v in x]
        return items if isinstance(x, list) else tuple(items)
    if isinstance(x, dict):
        return {_plain(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (frozenset, set)):
        return frozenset(_plain(v) for v in x)
    if isinstance(x, int) and type(x) is not int and not isinstance(x, bool):
        return int(x)
    return x


def save() -> None:
    """Write the new entries (merged with what another process wrote meanwhile); never raises."""
    with _lock:
        _save_locked()


def _save_locked() -> None:
    if _store.parsed_dirty and _store.parsed is not None:
        if cachefile.write(_store.parsed_path, {**_read(_store.parsed_path), **_store.parsed}):
            _store.parsed_dirty = False
    if not _store.dirty or _store.entries is None:
        return
    path = _store.path
    if cachefile.write(path, {**_read(path), **_store.entries}):  # else they compile as usual next time
        _store.dirty = False


if not isinstance(_main._regex, _Recorder):
    _main._regex = _Recorder(_main._regex)
atexit.register(save)
