"""What the stages pass around: spans in the normalised text (`Candidate` before resolution, `Mention`
after it), the article as the stages see it (`Context`), and the helpers every pattern family shares:
extract (`find_candidates`), resolve (`resolve_candidates`), choose (`select_longest`)."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from datetime import date
from datetime import time as dt_time
from typing import Any

from pipeline.text.offsets import NormText


@dataclass(frozen=True, slots=True)
class Mention:
    """One item found in the normalised text: `[start, end)` there, the rule id, resolved fields."""

    family: str
    rule: str
    start: int
    end: int
    fields: dict[str, Any] = field(default_factory=dict)
    # a statistical guess (the entity model's, or a name it found, propagated): where another family's rule
    # reads the same characters (周一 a weekday, not the person 周一), the rule keeps them
    tentative: bool = False


SKIP_TABLES_FROM = 300  # characters
TIMEOUT_FROM = 100_000  # characters: from this size each regex scan carries the time left as timeout=


@dataclass
class Context:
    """One article as the rule stages see it."""

    norm: NormText
    tokens: list[tuple[str, int, int]]
    table_mask: bytearray  # 1 where a character sits in a table region
    published: date | None = None
    published_from: str | None = None  # argument, front_matter, sign_off, dateline
    published_time: dt_time | None = None  # the caller's time of day for `published`, when given
    warnings: list[tuple[str, str, int, int]] = field(default_factory=list)  # code, message, norm span
    region: str | None = None  # the article's market region (pipeline.region): mainland, hong_kong, taiwan ...
    region_from: str | None = None  # argument, input, feed, signals
    region_evidence: list = field(default_factory=list)  # the signals that decided (pipeline.region.Evidence)
    units: dict = field(default_factory=dict)  # what a bare 元 / $ means here: currency, dollar, currency_from
    deadline: float | None = None  # time.process_time() after which the article is abandoned

    @property
    def text(self) -> str:
        return self.norm.text

    def in_table(self, start: int, end: int) -> bool:
        return any(self.table_mask[start:end])

    @functools.cached_property
    def prose_spans(self) -> list[tuple[int, int]]:
        """[start, end) runs of text the prose rules scan: everything but tables (rows joined across the
        blank lines between them) of at least `SKIP_TABLES_FROM` characters; a shorter table is cheaper
        to scan than to step around, and each rule's `in_table` check drops matches inside it."""
        text, mask = self.norm.text, self.table_mask
        regions: list[list[int]] = []
        i, n = 0, len(mask)
        while i < n:
            i = mask.find(b"\x01", i)
            if i < 0:
                break
            j = mask.find(b"\x00", i)
            j = n if j < 0 else j
            gap = text[regions[-1][1]:i] if regions else None
            if gap is not None and len(gap) <= 40 and "。" not in gap:
                regions[-1][1] = j  # blank lines or a section label (调整:) between two parts: one table
            else:
                regions.append([i, j])
            i = j
        spans, start = [], 0
        for a, b in regions:
            if b - a >= SKIP_TABLES_FROM:
                if a > start:
                    spans.append((start, a))
                start = b
        if start < len(text) or not spans:
            spans.append((start, max(start, len(text))))
        return spans

    def finditer(self, rx):
        """Matches of `rx` in the prose spans (look-behinds still see the text before a span). For a long
        article with a deadline, the scan carries the time left as the regex module's `timeout=`."""
        text = self.norm.text
        if self.deadline is None or len(text) < TIMEOUT_FROM:
            # a short article cannot stall a linear scan; the stages still check the deadline
            for start, end in self.prose_spans:
                yield from rx.finditer(text, start, end)
            return
        left = self.deadline - time.process_time()
        if left <= 0:
            raise TimeoutError("the article's time limit was reached")
        for start, end in self.prose_spans:
            yield from rx.finditer(text, start, end, timeout=left)

    def warn(self, code: str, message: str, start: int, end: int) -> None:
        self.warnings.append((code, message, start, end))


def select_longest(mentions: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions, longest first; among equals, the earlier rule (list order) wins."""
    order = {id(m): i for i, m in enumerate(mentions)}
    chosen: list[Mention] = []
    taken = bytearray()
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), order[id(m)])):
        if len(taken) < m.end:
            taken.extend(b"\x00" * (m.end - len(taken)))
        if any(taken[m.start:m.end]):
            continue
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span one pattern found (trimmed of white space), before any value is computed."""

    rule: Any  # a `pipeline.resources.Compiled`: its id and the value shape it resolves to
    match: Any  # the regex match, for its named groups
    start: int
    end: int

    def group(self, name: str) -> str | None:
        return self.match.groupdict().get(name)


def find_candidates(ctx: "Context", patterns) -> list[Candidate]:
    """Extract, spans only: every match of every pattern in the prose (tables are left to the table
    reader), in pattern order and then reading order, trimmed of white space."""
    text = ctx.text
    out = []
    for pattern in patterns:
        for m in ctx.finditer(pattern.rx):
            start, end = trim_span(text, m.start(), m.end())
            if end <= start or ctx.in_table(start, end):
                continue
            out.append(Candidate(pattern, m, start, end))
    return out


def resolve_candidates(candidates: list[Candidate], resolvers, ctx: "Context", rules) -> list[Mention]:
    """Resolve each candidate with the resolver of its rule's declared shape; a resolver may reject a
    span (None), which then never blocks a shorter one."""
    out = []
    for c in candidates:
        mention = resolvers[c.rule.resolve](c, ctx, rules)
        if mention is not None:
            out.append(mention)
    return out


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop white space a regex's optional tail left at either end of a span."""
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


CLAUSE_BREAKS = frozenset("。！？；!?;\n")
COMMA_BREAKS = CLAUSE_BREAKS | frozenset(",，")


def clause_start(text: str, pos: int, limit: int, breaks: frozenset = CLAUSE_BREAKS) -> int:
    """Start of the sentence (or, with COMMA_BREAKS, the clause) containing `pos`, at most `limit` back."""
    lo = max(0, pos - limit)
    for i in range(pos - 1, lo - 1, -1):
        if text[i] in breaks:
            return i + 1
    return lo


def sentence_bounds(text: str, pos: int, limit: int = 300) -> tuple[int, int]:
    lo = clause_start(text, pos, limit)
    hi = pos
    n = len(text)
    while hi < n and hi - pos < limit and text[hi] not in CLAUSE_BREAKS:
        hi += 1
    return lo, hi
