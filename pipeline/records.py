"""Frozen pydantic records: what one article turns into.

The record's item lists are those of the registered families (`pipeline.registry`): each room declares
its item model, a subclass of `Item`; `article_model()` assembles the record from them.

Every item carries `text`, `start`, `end` (half-open offsets into the original decoded text, so
`original[start:end] == text`) and `rule` (the rule id or model label that produced it). Amounts are
exact `Decimal`s and serialise to JSON as strings, never as floats.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, create_model, model_validator

from pipeline import registry
from pipeline.version import PIPELINE_VERSION


def _plain(d: Decimal) -> str:
    """A decimal as plain digits: no exponent, no trailing zeros (540000000, 20.37, -265.1)."""
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "") else text


ExactDecimal = Annotated[Decimal, PlainSerializer(_plain, return_type=str, when_used="json")]
Qualifier = Literal["approx", "over", "under"]
Script = Literal["simplified", "traditional", "mixed", "unknown"]
ISO_PERIOD = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?|-Q[1-4]|-H[12])?$"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Item(Frozen):
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    rule: str = Field(description="the rule id (family.slug) or model label that produced the item")

    @model_validator(mode="after")
    def _span(self) -> "Item":
        if self.end < self.start:
            raise ValueError(f"end {self.end} before start {self.start}")
        if self.end - self.start < len(self.text.strip()):
            raise ValueError("span shorter than its text")
        return self


class Warning(Frozen):  # noqa: A001 - the record field is called `warnings`
    code: str
    message: str
    start: int | None = None
    end: int | None = None
    text: str | None = None


class ArticleBase(Frozen):
    """What every record says about its article; the item lists come from the registered families."""

    doc_id: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the raw bytes")
    source: str | None = None
    title: str | None = None
    published: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    published_from: str | None = Field(
        None, description="where `published` came from: argument, front_matter, sign_off, dateline"
    )
    script: Script
    encoding: str
    metadata: dict[str, Any] = Field(default_factory=dict)

    def items(self):
        """Every grounded item, with the name of the list it is in."""
        for fam in registry.families():
            for item in getattr(self, fam.field, ()):
                yield fam.field, item


@functools.cache
def article_model() -> type[ArticleBase]:
    """The record model: the article fields, one list per registered family (in registry order), the
    warnings and the pipeline version. Rebuilt when the registry changes."""
    fields: dict[str, Any] = {
        fam.field: (list[fam.item], Field(default_factory=list)) for fam in registry.families()
    }
    fields["warnings"] = (list[Warning], Field(default_factory=list))
    fields["pipeline_version"] = (str, PIPELINE_VERSION)
    return create_model("ArticleRecord", __base__=ArticleBase, __doc__="One article's record.", **fields)


registry.on_change(article_model.cache_clear)


def __getattr__(name: str):
    if name == "ArticleRecord":  # the model for the families registered now
        return article_model()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ErrorRecord(Frozen):
    """An article that could not be processed: the run records it and goes on."""

    doc_id: str | None = None
    source: str | None = None
    stage: str
    error: str = Field(description="the exception type")
    message: str
    pipeline_version: str = PIPELINE_VERSION
