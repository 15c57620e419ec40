"""Plain data kept between processes in the cache folder (`Settings.cache_dir`), as `marshal` files.

Used for what is slow to rebuild and cheap to load: the compiled rule patterns (`pipeline.rxcache`) and the
segmenter dictionary's tagged words (`pipeline.text.segment`). marshal reads only plain data (numbers,
strings, tuples, lists, dicts), a file is read only when the current user owns it, and every failure only
costs the rebuild: these files never decide a result.
"""

from __future__ import annotations

import marshal
import os
import tempfile
from pathlib import Path


def read(path: Path):
    """The data in `path`, or None when it is missing, not the current user's, or damaged."""
    try:
        if hasattr(os, "getuid") and path.stat().st_uid != os.getuid():
            return None
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write(path: Path, data) -> bool:
    """Write `data` to `path` atomically (a temporary file, then a rename); whether it was written. Never
    raises: a read-only cache folder only means the data is rebuilt next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as fh:
                marshal.dump(data, fh)
            os.replace(tmp, path)
            return True
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, ValueError):
        return False
