"""What the rule stages pass around: spans in the normalised text, with resolved fields."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pipeline.normalise import NormText


@dataclass(frozen=True, slots=True)
class Mention:
    """One item found in the normalised text: `[start, end)` there, the rule id, resolved fields."""

    family: str
    rule: str
    start: int
    end: int
    fields: dict[str, Any] = field(default_factory=dict)


SKIP_TABLES_FROM = 300  # characters
TIMEOUT_FROM = 100_000  # characters: from this size each regex scan carries the time left as timeout=


@dataclass
class Context:
    """One article as the rule stages see it."""

    norm: NormText
    tokens: list[tuple[str, int, int]]
    table_mask: bytearray  # 1 where a character sits in a table region
    published: date | None = None
    warnings: list[tuple[str, str, int, int]] = field(default_factory=list)  # code, message, norm span
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


def run_patterns(ctx: "Context", patterns, resolve, *, rules) -> list[Mention]:
    """Run each compiled pattern over the text, resolve every match, keep the longest non-overlapping."""
    found = []
    for pattern in patterns:
        for m in ctx.finditer(pattern.rx):
            mention = resolve(m, pattern, ctx, rules=rules)
            if mention is not None:
                found.append(mention)
    return select_longest(found)


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
