"""Import spaCy without letting thinc import PyTorch, and without spaCy's command line.

thinc, spaCy's machine-learning layer, imports `torch` when it is installed, to offer its PyTorch
wrappers. zhnews never uses them: its entity model runs in onnxruntime. Where the `train` extra is
installed (development machines, CI), that import alone cost about 1.5 s of every start-up and a large
share of each worker's memory. While spaCy is first imported, `torch` is marked as absent, so thinc takes
its own "no PyTorch" path; the mark is removed at once, so `import torch` works as usual afterwards (the
training code imports it directly). If PyTorch or thinc is already imported, nothing changes.

`import spacy` also imports its whole command line (`spacy.cli`: download, train, package ... and their
dependencies) only to export `spacy.info`; that is about 0.3 s of every start-up. While spaCy is first
imported, `spacy.cli` is a placeholder whose `info` imports the real command on first call; the placeholder
is removed at once, so `import spacy.cli` (or `python -m spacy`) loads the real one afterwards. Should a
spaCy version need more of its command line at import time, the import is simply made again without the
placeholder.
"""

from __future__ import annotations

import sys
import types


def _info(*args, **kwargs):
    """`spacy.info`, imported when first called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _placeholders() -> dict[str, types.ModuleType]:
    cli = types.ModuleType("spacy.cli")
    info = types.ModuleType("spacy.cli.info")
    info.info = _info
    cli.info = info
    return {"spacy.cli": cli, "spacy.cli.info": info}


def import_spacy() -> None:
    if "spacy" in sys.modules:
        return
    if "thinc" in sys.modules or "torch" in sys.modules:
        _import_without_cli()
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError
    try:
        _import_without_cli()
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]


def _import_without_cli() -> None:
    stubs = _placeholders()
    sys.modules.update(stubs)
    try:
        import spacy  # noqa: F401
    except ImportError:
        for name in [m for m in sys.modules if m == "spacy" or m.startswith("spacy.")]:
            del sys.modules[name]  # a spaCy that needs more of its command line: the plain import
        import spacy  # noqa: F401,F811
        return
    finally:
        for name, stub in stubs.items():
            if sys.modules.get(name) is stub:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is stubs["spacy.cli"]:
        del spacy.cli  # `import spacy.cli` and `spacy.cli` load the real one from now on


import_spacy()
