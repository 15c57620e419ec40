"""The project's own error types.

Bad configuration stops start-up loudly (`RulesError`); a bad article becomes an error record and the
run goes on (`ArticleError` and its subclasses carry the stage that failed).
"""

from __future__ import annotations


class ZhnewsError(Exception):
    """Base class for every error zhnews raises on purpose."""


class RulesError(ZhnewsError):
    """A rule file in `rules/` is missing or does not validate."""


class ModelError(RulesError):
    """The entity model's folder is missing or unreadable: a configuration error, like a bad rule file."""


class ArticleError(ZhnewsError):
    """One article could not be processed. `stage` names where it failed."""

    stage = "extract"

    def __init__(self, message: str, *, source: str | None = None):
        super().__init__(message)
        self.source = source

    def __str__(self) -> str:  # the file name comes first, so a log line says which article
        base = super().__str__()
        return f"{self.source}: {base}" if self.source else base


class DecodeError(ArticleError):
    """The bytes are in no encoding zhnews reads (UTF-8, UTF-16, GB18030, Big5)."""

    stage = "decode"


class ReadError(ArticleError):
    """The file could not be read at all."""

    stage = "read"


class Cancelled(ZhnewsError):
    """The run was interrupted (SIGINT, SIGTERM): the article in flight is abandoned, not recorded."""
