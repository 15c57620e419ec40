"""One article in, one validated record out: the stages in order.

normalise -> segment (once) -> regions the prose stages skip (tables) -> the article's reference date ->
every registered stage in its order (entities, money, percentages, dates, shares, stock codes, table
cells) -> overlaps resolved by family rank -> the record, with every span mapped back to the original.
The stages and families come from `pipeline.registry`; this module names none of them.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path

from pipeline import records as R
from pipeline import registry, rxcache, sources
from pipeline.errors import ArticleError, Cancelled, ReadError, RulesError, ZhnewsError
from pipeline.limits import ArticleTimeout, ArticleTooLarge, split_points
from pipeline.mention import Context, Mention
from pipeline.resources import load_rules
from pipeline.settings import Limits, Settings
from pipeline.text import NormText, doc_id, normalise
from pipeline.text.decode import decode
from pipeline.text.segment import load_segmenter
from pipeline.version import MODELS_DIR, fingerprint


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Drop every mention that overlaps one of a family with a lower rank (`Family.rank`): codes and
    rates are the most specific readings of their characters; money consumes the numbers inside it; a
    date is not a count of shares; an entity never splits a number. A tentative mention (the entity
    model's guess) comes after every rule's, whatever its family: 周一 is a weekday, not a person named
    周. Within a family, each stage has already chosen non-overlapping mentions."""
    rank = {f.name: f.rank for f in registry.families()}
    taken = bytearray(max((m.end for m in mentions), default=0))
    kept = []
    for m in sorted(mentions, key=lambda m: (m.tentative, rank[m.family], m.start)):
        if any(taken[m.start:m.end]):
            continue
        kept.append(m)
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    return sorted(kept, key=lambda m: m.start)


class Pipeline:
    """The loaded rules, segmenter and stages: build once per process, call per article."""

    def __init__(self, settings: Settings | None = None, *, profile: bool = False, limits: Limits | None = None):
        settings = settings or default_settings()
        if limits is not None:
            settings = settings.with_(limits=limits)
        self.settings = settings
        self.limits = settings.limits
        self.mode = settings.ner_mode
        self.timings: Counter | None = Counter() if profile else None  # CPU seconds per stage
        rxcache.use(settings.cache_dir)  # the compiled rule patterns of an earlier process, if any
        self.rules = load_rules(settings.rules_dir)
        self.segmenter = load_segmenter(self.rules, settings.segmenter, str(settings.cache_dir))
        self.stages = registry.stages()
        self.runtime = {st.name: st.setup(self.rules, settings) if st.setup else self.rules.compiled[st.name]
                        for st in self.stages}
        rxcache.save()
        self.record_model = R.article_model()
        models = (MODELS_DIR,) if Path(settings.ner_model).resolve().is_relative_to(MODELS_DIR) else (
            MODELS_DIR, Path(settings.ner_model))  # a model kept elsewhere (ZHNEWS_NER_MODEL) is part of it too
        self.fingerprint = fingerprint(settings.rules_dir, settings=(settings.ner_mode, settings.segmenter),
                                       data_dirs=models)
        self.cancel = None  # a threading.Event: when set, the article in flight stops at its next stage
        # The rules, dictionaries and prefix trees just built live as long as the process: hand them to the
        # permanent generation so that the collector's full passes stop walking them (one full pass over
        # them cost 0.15 s; without this the pipeline spends a tenth of its time there on long runs). No
        # collection first: building leaves a few hundred objects of cyclic garbage, and a full pass to free
        # them cost 0.06 s of every start-up.
        gc.freeze()

    def __call__(self, text: str, *, published: str | date | None = None, source: str | None = None,
                 encoding: str = "utf-8", raw: bytes | None = None, notes: tuple = (), region: str | None = None,
                 region_from: str | None = None) -> R.ArticleBase:
        """The record of one article's decoded `text` (`notes`: the decoder's warnings about it). `region`
        fixes the article's market region (`rules/region.yaml`) instead of detecting it; `region_from` says
        who fixed it (argument, input, feed)."""
        region = self.check_region(region)
        try:
            return self._extract(text, published=published, source=source, encoding=encoding, raw=raw,
                                 notes=notes, region=region,
                                 region_from=(region_from or "argument") if region else None)
        except TimeoutError as exc:
            raise ArticleTimeout(f"gave up after the {self.limits.max_seconds:g} s limit ({exc})",
                                 source=source) from exc

    def check_region(self, region: str | None) -> str | None:
        """A caller's region, checked against `rules/region.yaml` (a bad one is the caller's error)."""
        if not region:
            return None
        known = getattr(self.rules.compiled.get("region"), "regions", {})
        if region not in known:
            raise ZhnewsError(f"region must be one of {', '.join(known)}, got {region!r}")
        return region

    def _extract(self, text: str, *, published, source, encoding, raw, notes, region=None,
                 region_from=None) -> R.ArticleBase:
        fixed_region = region
        deadline = time.process_time() + self.limits.max_seconds
        lap = self._stopwatch(deadline)
        norm = normalise(text, encoding=encoding, notes=notes)
        if raw is None:
            raw = text.encode("utf-8", "surrogatepass")  # the content id is of what the caller gave
        text = norm.original  # offsets index the decoded text without NUL characters
        lap("normalise")
        tokens = self.segmenter.tokens(norm.text, deadline=deadline)
        lap("segment")
        mask = bytearray(len(norm.text))
        for st in self.stages:
            if st.mask is not None:
                region = st.mask(norm.text, self.rules.compiled[st.name])
                mask = bytearray(a | b for a, b in zip(mask, region)) if any(mask) else region
        ctx = Context(norm=norm, tokens=tokens, table_mask=mask, deadline=deadline)
        ctx.published, ctx.published_time = parse_published(published)
        ctx.published_from = "argument" if ctx.published else None
        ctx.region, ctx.region_from = fixed_region, region_from
        for st in self.stages:
            if st.prepare is not None:
                st.prepare(ctx, self.rules.compiled[st.name])
        lap("tables and reference date")

        found: dict[str, list[Mention]] = {}
        every: list[Mention] = []
        for st in self.stages:
            mentions = st.run(ctx, self.runtime[st.name], found)
            found[st.name] = mentions
            every += mentions
            lap(st.name)
        kept = resolve_overlaps(every)
        if len(kept) > self.limits.max_items:
            ctx.warn("items_truncated", f"{len(kept)} items, kept the first {self.limits.max_items}",
                     kept[self.limits.max_items].start, kept[-1].end)
            kept = kept[: self.limits.max_items]

        lists: dict[str, list] = {f.field: [] for f in registry.families()}
        by_name = {f.name: f for f in registry.families()}
        for m in kept:
            fam = by_name[m.family]
            s, e = norm.span(m.start, m.end)
            lists[fam.field].append(fam.item(text=text[s:e], start=s, end=e, rule=m.rule, **m.fields))

        warnings = [R.Warning(code=n.code, message=_safe(n.message), start=n.start, end=n.end,
                              text=_safe(text[n.start:n.end]) if n.start is not None else None) for n in norm.notes]
        for code, message, s, e in ctx.warnings:
            os_, oe = norm.span(s, e)
            warnings.append(R.Warning(code=code, message=_safe(message), start=os_, end=oe,
                                      text=_safe(text[os_:oe])))

        evidence = []
        for ev in ctx.region_evidence:
            es = ee = None
            if ev.start is not None and ev.end is not None and ev.end > ev.start:
                es, ee = norm.span(ev.start, ev.end)
            evidence.append(R.RegionEvidence(signal=ev.signal, region=ev.region, kind=ev.kind, weight=ev.weight,
                                             start=es, end=ee, text=_safe(text[es:ee]) if es is not None else None))

        title = norm.metadata.get("title")
        ref = ctx.published
        record = self.record_model(
            doc_id=doc_id(raw),
            source=source,
            title=title if isinstance(title, str) else None,
            published=ref.isoformat() if ref else None,
            published_time=(ctx.published_time.isoformat(timespec="seconds" if ctx.published_time.second else "minutes")
                            if ref and ctx.published_time else None),
            published_from=ctx.published_from if ref else None,
            region=ctx.region,
            region_from=ctx.region_from if ctx.region else None,
            region_evidence=evidence,
            script=norm.script,
            encoding=encoding,
            metadata=norm.metadata,
            fingerprint=self.fingerprint,
            warnings=warnings,
            **lists,
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
            if self.cancel is not None and self.cancel.is_set():
                raise Cancelled(f"interrupted after the {name} stage")
        return lap

    def records(self, raw: bytes, *, source: str | None = None, published: str | date | None = None,
                region: str | None = None, region_from: str | None = None) -> list[R.ArticleBase]:
        """The record(s) of one article given as bytes: one, or one per part when the article is larger
        than the size limit and the policy is to split it (each part's offsets still index the whole
        decoded text; its source says which part it is)."""
        decoded = decode(raw, source=source)
        text, encoding = decoded.text, decoded.encoding
        if len(raw) <= self.limits.max_bytes:
            return [self(text, published=published, source=source, encoding=encoding, raw=raw,
                         notes=decoded.notes, region=region, region_from=region_from)]
        if self.limits.oversize == "refuse":
            raise self.too_large(raw, source)
        max_chars = max(1000, self.limits.max_bytes * len(text) // len(raw))
        parts = split_points(text, max_chars)
        out = []
        for i, (start, end) in enumerate(parts, 1):
            part = self(text[start:end], published=published, encoding=encoding, notes=decoded.notes,
                        region=region, region_from=region_from,
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


def _shifted(record: R.ArticleBase, offset: int, part: dict) -> R.ArticleBase:
    """A part's record with its offsets moved to index the whole text."""
    update = {f.field: [i.model_copy(update={"start": i.start + offset, "end": i.end + offset})
                        for i in getattr(record, f.field)] for f in registry.families()}
    update["warnings"] = [w.model_copy(update={"start": w.start + offset, "end": w.end + offset})
                          if w.start is not None else w for w in record.warnings]
    update["metadata"] = {**record.metadata, "part": part}
    return record.model_copy(update=update)


def parse_published(published: str | date | None) -> tuple[date | None, dt_time | None]:
    """The reference date, and its time of day when one is given: YYYY-MM-DD, or an ISO date and time
    (2025-03-19T08:30, 2025-03-19 08:30:15+08:00; a `datetime`). The time is the article's local time as
    written: an offset is read, not converted."""
    if published is None:
        return None, None
    if isinstance(published, datetime):
        return published.date(), published.time().replace(microsecond=0)
    if isinstance(published, date):
        return published, None
    text = published.strip()
    try:
        return date.fromisoformat(text), None
    except ValueError:
        pass
    try:
        at = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ZhnewsError(f"published must be YYYY-MM-DD or an ISO date and time (YYYY-MM-DDTHH:MM[:SS][+08:00]), "
                          f"got {published!r}") from exc
    return at.date(), at.time().replace(microsecond=0)


_SETTINGS: Settings | None = None
_DEFAULT: Pipeline | None = None


def configure(settings: Settings) -> None:
    """Set this process's settings (the CLI and the flows do, once); the default pipeline follows them."""
    global _SETTINGS, _DEFAULT
    if _SETTINGS != settings:
        _SETTINGS, _DEFAULT = settings, None


def default_settings() -> Settings:
    """This process's settings: those `configure` set, else from the environment."""
    global _SETTINGS
    if _SETTINGS is None:
        _SETTINGS = Settings.from_env()
    return _SETTINGS


def default_pipeline() -> Pipeline:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline(default_settings())
    return _DEFAULT


def extract(text: str, *, published: str | date | None = None, source: str | None = None,
            region: str | None = None, region_from: str | None = None) -> R.ArticleBase:
    """Extract one article given as text. `published` (YYYY-MM-DD) overrides the article's own date;
    `region` (mainland, hong_kong, taiwan, ...) its detected market region."""
    return default_pipeline()(text, published=published, source=source, region=region, region_from=region_from)


def extract_bytes(raw: bytes, *, published: str | date | None = None, source: str | None = None,
                  region: str | None = None, region_from: str | None = None) -> R.ArticleBase:
    """Extract one article given as bytes; the encoding is detected and named in the record. An article
    over the size limit raises `ArticleTooLarge` here; `extract_records` splits it instead."""
    decoded = decode(raw, source=source)
    pipeline = default_pipeline()
    if len(raw) > pipeline.limits.max_bytes:
        raise pipeline.too_large(raw, source)
    return pipeline(decoded.text, published=published, source=source, encoding=decoded.encoding, raw=raw,
                    notes=decoded.notes, region=region, region_from=region_from)


def extract_records(raw: bytes, *, published: str | date | None = None, source: str | None = None,
                    region: str | None = None, region_from: str | None = None) -> list[R.ArticleBase]:
    """Extract one article given as bytes into one record, or one per part when it is over the size limit."""
    return default_pipeline().records(raw, source=source, published=published, region=region,
                                      region_from=region_from)


def extract_file(path: str | Path, *, published: str | date | None = None,
                 region: str | None = None) -> R.ArticleBase:
    """Extract one article file. Raises `ArticleError` (with the file name) when it cannot be read: a FIFO,
    a socket or a device is refused, never read (it could block)."""
    raw = sources.read_article(path)
    return extract_bytes(raw, published=published, source=sources.source_name(path), region=region)


ARTICLE_SUFFIXES = sources.ARTICLE_SUFFIXES


def find_articles(paths, *, follow_symlinks: bool = False) -> list[sources.ArticleFile]:
    """Files named, and *.txt / *.md entries under folders named (recursively), in a stable order;
    special files and links are found too, and refused when read (`pipeline.sources`)."""
    return sources.find_articles(paths, follow_symlinks=follow_symlinks)


def file_records(path, *, published: str | date | None = None, follow_symlinks: bool = False,
                 region: str | None = None, region_from: str | None = None) -> list[R.ArticleBase | R.ErrorRecord]:
    """The record(s) of one article file, or one error record when it cannot be read or processed: a bad
    article never stops a run. Only a configuration error (`RulesError`) is raised."""
    name = path.source if isinstance(path, sources.ArticleFile) else sources.source_name(path)
    try:
        raw = sources.read_article(path, follow_symlinks=follow_symlinks)
    except ReadError as exc:
        return [error_record(exc, source=name, path=path)]
    return records_of_bytes(raw, source=name, published=published, path=path, region=region, region_from=region_from)


def records_of_bytes(raw: bytes, *, source: str | None, published: str | date | None = None,
                     path=None, region: str | None = None, region_from: str | None = None,
                     ) -> list[R.ArticleBase | R.ErrorRecord]:
    """The record(s) of one article given as bytes, or one error record when it cannot be processed.
    Only a configuration error (`RulesError`) and an interruption (`Cancelled`) are raised. `path`: the
    file it came from, whose name's bytes are kept when they are not UTF-8."""
    try:
        out = extract_records(raw, published=published, source=source, region=region, region_from=region_from)
    except (RulesError, Cancelled):
        raise
    except Exception as exc:  # noqa: BLE001 - one bad article never stops the run
        return [error_record(exc, source=source, raw=raw, path=path)]
    name_bytes = sources.source_bytes(path) if path is not None else None
    if name_bytes:
        out = [r.model_copy(update={"metadata": {**r.metadata, "source_bytes": name_bytes}}) for r in out]
    return out


def error_record(exc: BaseException, *, source: str | None, raw: bytes | None = None, path=None) -> R.ErrorRecord:
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
                         error=type(exc).__name__, message=_safe(message),
                         source_bytes=sources.source_bytes(path) if path is not None else None)


__all__ = ["Pipeline", "configure", "default_pipeline", "extract", "extract_bytes", "extract_file", "extract_records",
           "file_records", "records_of_bytes", "find_articles", "error_record", "NormText"]
