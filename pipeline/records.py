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
    text: str = Field(description="the item's text exactly as in the original: original[start:end]")
    start: int = Field(ge=0, description="offset of the first character in the original decoded text")
    end: int = Field(ge=0, description="offset after the last character (half-open [start, end))")
    rule: str = Field(description="the rule id (family.slug) or model label that produced the item")

    @model_validator(mode="after")
    def _span(self) -> "Item":
        if self.end < self.start:
            raise ValueError(f"end {self.end} before start {self.start}")
        if self.end - self.start < len(self.text.strip()):
            raise ValueError("span shorter than its text")
        return self


class Warning(Frozen):  # noqa: A001 - the record field is called `warnings`
    """Something the pipeline noticed and dealt with: debris removed, an encoding guessed, a date left out."""

    code: str = Field(description="a stable code: lost_character, encoding_uncertain, date_year_unknown, ...")
    message: str = Field(description="what happened, for people")
    start: int | None = Field(None, description="offset of the span it concerns in the original text, if any")
    end: int | None = Field(None, description="offset after that span")
    text: str | None = Field(None, description="the text of that span")


class RegionEvidence(Frozen):
    """One signal that decided the article's region: `signal` as matched (normalised), the region and kind it
    speaks for, its weight; `start`, `end`, `text` in the original (None for the script as a whole)."""

    signal: str = Field(description="the signal as matched in the normalised text: 港元, 台股, 【台北报导】, 著")
    region: str = Field(description="the region it speaks for")
    kind: str = Field(description="byline, vocabulary, currency, market, institution, place, company, code, "
                                  "variant (a regional character form) or script")
    weight: float = Field(description="what it added to its region's score (rules/region.yaml)")
    start: int | None = Field(None, description="offset in the original text; null for the script as a whole")
    end: int | None = Field(None, description="offset after it")
    text: str | None = Field(None, description="the original text at [start, end)")


class ArticleBase(Frozen):
    """What every record says about its article; the item lists come from the registered families."""

    doc_id: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the raw bytes")
    source: str | None = Field(None, description="the absolute path of the article file (a name that is not "
                                                 "UTF-8 escaped), or the id the caller gave; #partNofM for a part")
    title: str | None = Field(None, description="the front matter's title, when there is one")
    published: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$",
                                  description="the reference date for relative and year-less dates")
    published_time: str | None = Field(None, pattern=r"^\d{2}:\d{2}(:\d{2})?$", description=(
        "the time of day the caller gave with `published` (local time as written), from which relative times "
        "count: 两小时前, 30分钟后, 现在"))
    published_from: str | None = Field(
        None, description="where `published` came from: argument, front_matter, sign_off, dateline"
    )
    region: str | None = Field(None, pattern=r"^[a-z_]+$", description=(
        "the article's market region, which decides a bare 元 / 角 / 分 / $: mainland, hong_kong, taiwan, macau, "
        "singapore, malaysia, other (rules/region.yaml); null when unknown or contested"))
    region_from: str | None = Field(None, description="where `region` came from: argument, input, feed, signals")
    region_evidence: list[RegionEvidence] = Field(default_factory=list, description=(
        "the signals that decided `region` (also when a caller fixed it: a disagreement is a warning)"))
    script: Script = Field(description="the script the article is written in")
    encoding: str = Field(description="the encoding its bytes were read in (utf-8, gb18030, big5hkscs, mixed, ...)")
    metadata: dict[str, Any] = Field(default_factory=dict, description="the front matter (and, for a part of an "
                                                                       "oversize article, which part)")
    fingerprint: str | None = Field(None, description="the code version, rules, model and settings that "
                                                      "produced this record (16 hex digits; see pipeline.version)")

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
        fam.field: (list[fam.item], Field(default_factory=list, description=f"every {fam.title.lower()} found in "
                                                                            "the article, in reading order"))
        for fam in registry.families()
    }
    fields["warnings"] = (list[Warning], Field(default_factory=list, description="what the pipeline noticed"))
    fields["pipeline_version"] = (str, Field(PIPELINE_VERSION, description="the code version (see fingerprint)"))
    return create_model("ArticleRecord", __base__=ArticleBase, __doc__="One article's record.", **fields)


registry.on_change(article_model.cache_clear)


def __getattr__(name: str):
    if name == "ArticleRecord":  # the model for the families registered now
        return article_model()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ErrorRecord(Frozen):
    """An article that could not be processed: the run records it and goes on."""

    doc_id: str | None = Field(None, description="sha256 of the raw bytes, when they could be read")
    source: str | None = Field(None, description="the absolute path of the article file, or the caller's id")
    source_bytes: str | None = Field(None, description="the source path's bytes as hex, when they are not UTF-8")
    stage: str = Field(description="where it failed: read, decode, limits, timeout, extract, store")
    error: str = Field(description="the exception type")
    message: str = Field(description="why, for people, naming the file")
    pipeline_version: str = Field(PIPELINE_VERSION, description="the code version")


SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(*, error: bool = False) -> dict:
    """The JSON Schema (draft 2020-12) of a record, or of an error record, with `$schema` and an `$id` that
    names the pipeline version."""
    model = ErrorRecord if error else article_model()
    schema = model.model_json_schema(mode="serialization")
    kind = "error-record" if error else "record"
    return {"$schema": SCHEMA_DIALECT, "$id": f"urn:zhnews:{kind}:{PIPELINE_VERSION}", **schema}
