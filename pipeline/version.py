"""The pipeline version stored in every record, and the fingerprint of what produced a record.

`PIPELINE_VERSION` is the code's version: bump it when output for the same input changes. The
`fingerprint` also covers what changes output without a code change: every rule file, every model file,
and the settings that choose between them (the entity mode, the segmenter). `ingest` reprocesses an
article whose stored record has another fingerprint, so a rule edit reaches the database on the next run.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PIPELINE_VERSION = "0.1.0"

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


def fingerprint(rules_dir: str | Path, *, settings: tuple[str, ...] = (), data_dirs: tuple[Path, ...] = (MODELS_DIR,)
                ) -> str:
    """16 hex digits of sha256 over the version, the settings given and the bytes of every file under the
    rule folder and the data folders (names included, in sorted order)."""
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    for part in settings:
        h.update(b"\0" + part.encode())
    for folder in (Path(rules_dir), *data_dirs):
        if not folder.is_dir():
            continue
        for f in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(b"\0" + str(f.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
            h.update(f.read_bytes())
    return h.hexdigest()[:16]
