"""Import spaCy without letting thinc import PyTorch.

thinc, spaCy's machine-learning layer, imports `torch` when it is installed, to offer its PyTorch
wrappers. zhnews never uses them: its entity model runs in onnxruntime. Where the `train` extra is
installed (development machines, CI), that import alone cost about 1.5 s of every start-up and a large
share of each worker's memory. While spaCy is first imported, `torch` is marked as absent, so thinc takes
its own "no PyTorch" path; the mark is removed at once, so `import torch` works as usual afterwards (the
training code imports it directly). If PyTorch or thinc is already imported, nothing changes.
"""

from __future__ import annotations

import sys


def import_spacy() -> None:
    if "thinc" in sys.modules or "torch" in sys.modules:
        import spacy  # noqa: F401
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError
    try:
        import spacy  # noqa: F401,F811
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]


import_spacy()
