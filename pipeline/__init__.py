"""zhnews: Chinese financial news in, one grounded, validated JSON record per article out.

    from pipeline import extract, extract_file
    record = extract("金山云CEO王育林...", published="2020-05-08")

Heavy parts (jieba, spaCy, OpenCC) load on first use, so importing the package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.version import PIPELINE_VERSION

__version__ = PIPELINE_VERSION
__all__ = ["extract", "extract_bytes", "extract_file", "ArticleRecord", "ErrorRecord", "PIPELINE_VERSION"]

if TYPE_CHECKING:  # pragma: no cover
    from pipeline.core import extract, extract_bytes, extract_file
    from pipeline.records import ArticleRecord, ErrorRecord


def __getattr__(name: str):
    if name in ("extract", "extract_bytes", "extract_file"):
        import importlib

        return getattr(importlib.import_module("pipeline.core"), name)
    if name in ("ArticleRecord", "ErrorRecord"):
        from pipeline import records

        return getattr(records, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
