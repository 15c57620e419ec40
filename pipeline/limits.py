"""Limits that keep a hostile article from stalling a run. Defaults are documented; each can be set with
an environment variable (read once, by `pipeline.settings`) or passed in `Settings(limits=...)`.

| limit | default | variable | what happens beyond it |
| --- | --- | --- | --- |
| article size | 5,000,000 bytes | ZHNEWS_MAX_BYTES | split into parts at paragraph breaks (`ZHNEWS_OVERSIZE=split`, the default), or refused with `ArticleTooLarge` (`refuse`) |
| time per article | 60 s CPU | ZHNEWS_MAX_SECONDS | `ArticleTimeout`; the regex scans carry the remaining time as their `timeout=` |
| items per record | 20,000 | ZHNEWS_MAX_ITEMS | the first items by position are kept, with an `items_truncated` warning |
"""

from __future__ import annotations

from pipeline.errors import ArticleError
from pipeline.settings import Limits

__all__ = ["ArticleTimeout", "ArticleTooLarge", "Limits", "split_points"]


class ArticleTooLarge(ArticleError):
    """The article is larger than the size limit and the policy is to refuse it."""

    stage = "limits"


class ArticleTimeout(ArticleError):
    """Processing the article took longer than the time limit."""

    stage = "timeout"


def split_points(text: str, max_chars: int) -> list[tuple[int, int]]:
    """[start, end) parts of at most `max_chars` characters, cut at paragraph breaks (a blank line), else
    at a line break, else at a sentence end, else hard."""
    parts, start, n = [], 0, len(text)
    while start < n:
        end = min(n, start + max_chars)
        if end < n:
            window = text[start:end]
            for sep in ("\n\n", "\n", "。", "."):
                cut = window.rfind(sep)
                if cut > max_chars // 4:
                    end = start + cut + len(sep)
                    break
        parts.append((start, end))
        start = end
    return parts
