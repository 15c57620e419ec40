"""One article in, one validated `ArticleRecord` out: the stages in order.

normalise -> segment (once) -> table regions -> reference date -> entities -> money, percentages, dates,
shares, stock codes, table cells -> record, with every span mapped back to the original text.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from datetime import date
from pathlib import Path

from pipeline import records as R
from pipeline.date import extract_date, find_published
from pipeline.errors import ArticleError, ReadError, RulesError, ZhnewsError
from pipeline.limits import ArticleTimeout, ArticleTooLarge, Limits, split_points
from pipeline.mention import Context, Mention
from pipeline.money import extract_money
from pipeline.ner import build_nlp, extract_entity
from pipeline.normalise import NormText, decode_bytes, doc_id, normalise
from pipeline.percent import extract_percent
from pipeline.resources import load_rules
from pipeline.segment import load_segmenter
from pipeline.share import extract_share
from pipeline.stock_code import extract_stock_code
from pipeline.tables import extract_table, table_mask

# Where two families claim overlapping text, the earlier family here keeps it and the later one's mention
# is dropped. Codes and rates are the most specific readings of their characters; money consumes the
# numbers inside it; a date is not a count of shares; an entity never splits a number.
OVERLAP_ORDER = ("table", "stock_code", "exchange_rate", "money", "percent", "date", "share", "entity")


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Drop every mention that overlaps one of an earlier family in `OVERLAP_ORDER` (within a family,
    each stage has already chosen non-overlapping mentions)."""
    rank = {family: i for i, family in enumerate(OVERLAP_ORDER)}
    taken = bytearray(max((m.end for m in mentions), default=0))
    kept = []
    for m in sorted(mentions, key=lambda m: (rank[m.family], m.start)):
        if any(taken[m.start:m.end]):
            continue
        kept.append(m)
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    return sorted(kept, key=lambda m: m.start)


class Pipeline:
    """The loaded rules, segmenter and spaCy pipeline: build once per process, call per article."""

    def __init__(self, rules_dir: str | None = None, mode: str | None = None, profile: bool = False,
                 limits: Limits | None = None):
        self.mode = mode or os.environ.get("ZHNEWS_NER_MODE", "default")
        self.limits = limits or Limits.from_env()
        self.timings: Counter | None = Counter() if profile else None  # CPU seconds per stage
        self.rules = load_rules(rules_dir)
        self.segmenter = load_segmenter(self.rules)
        self.nlp = build_nlp(rules_dir, self.mode)

    def __call__(self, text: str, *, published: str | date | None = None, source: str | None = None,
                 encoding: str = "utf-8", raw: bytes | None = None) -> R.ArticleRecord:
        try:
            return self._extract(text, published=published, source=source, encoding=encoding, raw=raw)
        except TimeoutError as exc:
            raise ArticleTimeout(f"gave up after the {self.limits.max_seconds:g} s limit ({exc})",
                                 source=source) from exc

    def _extract(self, text: str, *, published, source, encoding, raw) -> R.ArticleRecord:
        rules = self.rules
        deadline = time.process_time() + self.limits.max_seconds
        lap = self._stopwatch(deadline)
        norm = normalise(text, encoding=encoding)
        lap("normalise")
        tokens = self.segmenter.tokens(norm.text)
        lap("segment")
        ctx = Context(norm=norm, tokens=tokens, table_mask=table_mask(norm.text), deadline=deadline)
        ref, ref_from = _parse_published(published), "argument"
        if ref is None:
            ref, ref_from = find_published(norm, rules=rules)
        ctx.published = ref
        lap("tables and reference date")

        entities = extract_entity(self.nlp, tokens)
        lap("entities")
        money = extract_money(ctx, rules=rules)
        lap("money")
        percents = extract_percent(ctx, rules=rules)
        lap("percentages")
        dates = extract_date(ctx, rules=rules)
        lap("dates")
        shares = extract_share(ctx, rules=rules)
        codes = extract_stock_code(ctx, rules=rules, entities=entities)
        lap("shares and stock codes")
        cells = extract_table(ctx, rules=rules)
        lap("table cells")
        found = resolve_overlaps(entities + money + percents + dates + shares + codes + cells)
        if len(found) > self.limits.max_items:
            ctx.warn("items_truncated", f"{len(found)} items, kept the first {self.limits.max_items}",
                     found[self.limits.max_items].start, found[-1].end)
            found = found[: self.limits.max_items]
        by_family: dict[str, list[Mention]] = {}
        for m in found:
            by_family.setdefault(m.family, []).append(m)
        money = by_family.get("money", []) + by_family.get("exchange_rate", [])
        entities = by_family.get("entity", [])
        percents, dates = by_family.get("percent", []), by_family.get("date", [])
        shares, codes, cells = by_family.get("share", []), by_family.get("stock_code", []), by_family.get("table", [])

        def items(model, mentions: list[Mention], family: str | None = None):
            out = []
            for m in mentions:
                if family and m.family != family:
                    continue
                s, e = norm.span(m.start, m.end)
                out.append(model(text=text[s:e], start=s, end=e, rule=m.rule, **m.fields))
            return out

        warnings = [R.Warning(code=n.code, message=_safe(n.message), start=n.start, end=n.end,
                              text=_safe(text[n.start:n.end]) if n.start is not None else None) for n in norm.notes]
        for code, message, s, e in ctx.warnings:
            os_, oe = norm.span(s, e)
            warnings.append(R.Warning(code=code, message=_safe(message), start=os_, end=oe,
                                      text=_safe(text[os_:oe])))

        title = norm.metadata.get("title")
        record = R.ArticleRecord(
            doc_id=doc_id(raw if raw is not None else text.encode("utf-8", "surrogatepass")),
            source=source,
            title=title if isinstance(title, str) else None,
            published=ref.isoformat() if ref else None,
            published_from=ref_from if ref else None,
            script=norm.script,
            encoding=encoding,
            metadata=norm.metadata,
            entities=items(R.Entity, entities),
            money=items(R.Money, money, "money"),
            exchange_rates=items(R.ExchangeRate, money, "exchange_rate"),
            percentages=items(R.Percentage, percents),
            dates=items(R.DateItem, dates),
            shares=items(R.Share, shares),
            stock_codes=items(R.StockCode, codes),
            table_items=items(R.TableItem, cells),
            warnings=warnings,
        )
        lap("record")
        return record

    def _stopwatch(self, deadline: float):
        """A lap timer: checks the article's deadline after each stage, and adds CPU seconds per stage to
        `self.timings` when profiling."""
        last = [time.process_time()]

        def lap(name: str) -> None:
            now = time.process_time()
            if self.timings is not None:
                self.timings[name] += now - last[0]
            last[0] = now
            if now > deadline:
                raise TimeoutError(f"after the {name} stage")
        return lap

    def records(self, raw: bytes, *, source: str | None = None,
                published: str | date | None = None) -> list[R.ArticleRecord]:
        """The record(s) of one article given as bytes: one, or one per part when the article is larger
        than the size limit and the policy is to split it (each part's offsets still index the whole
        decoded text; its source says which part it is)."""
        text, encoding = decode_bytes(raw, source=source)
        if len(raw) <= self.limits.max_bytes:
            return [self(text, published=published, source=source, encoding=encoding, raw=raw)]
        if self.limits.oversize == "refuse":
            raise self.too_large(raw, source)
        max_chars = max(1000, self.limits.max_bytes * len(text) // len(raw))
        parts = split_points(text, max_chars)
        out = []
        for i, (start, end) in enumerate(parts, 1):
            part = self(text[start:end], published=published, encoding=encoding,
                        source=f"{source or ''}#part{i}of{len(parts)}",
                        raw=raw + f"\x00part {i} of {len(parts)}".encode())
            out.append(_shifted(part, start, {"part": i, "parts": len(parts), "offset": start}))
        return out


    def too_large(self, raw: bytes, source: str | None) -> ArticleTooLarge:
        """The error for an article over the size limit."""
        return ArticleTooLarge(f"{len(raw):,} bytes, over the {self.limits.max_bytes:,}-byte limit "
                               "(ZHNEWS_MAX_BYTES; ZHNEWS_OVERSIZE=split cuts it into parts)", source=source)


def _safe(value: str) -> str:
    """Text fit for JSON: a lone surrogate (not a character) is written as its escape."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _shifted(record: R.ArticleRecord, offset: int, part: dict) -> R.ArticleRecord:
    """A part's record with its offsets moved to index the whole text."""
    update = {name: [i.model_copy(update={"start": i.start + offset, "end": i.end + offset})
                     for i in getattr(record, name)] for name in record.ITEM_FIELDS}
    update["warnings"] = [w.model_copy(update={"start": w.start + offset, "end": w.end + offset})
                          if w.start is not None else w for w in record.warnings]
    update["metadata"] = {**record.metadata, "part": part}
    return record.model_copy(update=update)


def _parse_published(published: str | date | None) -> date | None:
    if published is None or isinstance(published, date):
        return published
    try:
        return date.fromisoformat(published)
    except ValueError as exc:
        raise ZhnewsError(f"published must be YYYY-MM-DD, got {published!r}") from exc


_DEFAULT: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT


def extract(text: str, *, published: str | date | None = None, source: str | None = None) -> R.ArticleRecord:
    """Extract one article given as text. `published` (YYYY-MM-DD) overrides the article's own date."""
    return default_pipeline()(text, published=published, source=source)


def extract_bytes(raw: bytes, *, published: str | date | None = None, source: str | None = None) -> R.ArticleRecord:
    """Extract one article given as bytes; the encoding is detected and named in the record. An article
    over the size limit raises `ArticleTooLarge` here; `extract_records` splits it instead."""
    text, encoding = decode_bytes(raw, source=source)
    pipeline = default_pipeline()
    if len(raw) > pipeline.limits.max_bytes:
        raise pipeline.too_large(raw, source)
    return pipeline(text, published=published, source=source, encoding=encoding, raw=raw)


def extract_records(raw: bytes, *, published: str | date | None = None,
                    source: str | None = None) -> list[R.ArticleRecord]:
    """Extract one article given as bytes into one record, or one per part when it is over the size limit."""
    return default_pipeline().records(raw, source=source, published=published)


def extract_file(path: str | Path, *, published: str | date | None = None) -> R.ArticleRecord:
    """Extract one article file. Raises `ArticleError` (with the file name) when it cannot be read."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}", source=str(p)) from exc
    return extract_bytes(raw, published=published, source=str(p))


ARTICLE_SUFFIXES = (".txt", ".md")


def find_articles(paths: list[Path]) -> list[Path]:
    """Files given, and *.txt / *.md under folders given (recursively), in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            out.append(p)
    return out


def file_records(path: str | Path, *, published: str | date | None = None) -> list[R.ArticleRecord | R.ErrorRecord]:
    """The record(s) of one article file, or one error record when it cannot be read or processed: a bad
    article never stops a run. Only a configuration error (`RulesError`) is raised."""
    raw = None
    try:
        raw = Path(path).read_bytes()
        return extract_records(raw, published=published, source=str(path))
    except RulesError:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad article never stops the run
        return [error_record(exc, source=str(path), raw=raw)]


def error_record(exc: BaseException, *, source: str | None, raw: bytes | None = None) -> R.ErrorRecord:
    """The record for an article that failed: which stage, which error, why."""
    if isinstance(exc, ArticleError):
        stage = exc.stage
    elif isinstance(exc, OSError):
        stage = "read"
    else:
        stage = "extract"
    message = str(exc)
    if isinstance(exc, OSError) and source and source not in message:
        message = f"{source}: {exc.strerror or message}"
    return R.ErrorRecord(doc_id=doc_id(raw) if raw is not None else None, source=source, stage=stage,
                         error=type(exc).__name__, message=message)


__all__ = ["Pipeline", "extract", "extract_bytes", "extract_file", "extract_records", "file_records", "find_articles",
           "error_record", "NormText"]
