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
        """[start, end) runs of text outside tables: prose rules scan only these."""
        spans, start, mask = [], None, self.table_mask
        for i, flag in enumerate(mask):
            if not flag and start is None:
                start = i
            elif flag and start is not None:
                spans.append((start, i))
                start = None
        if start is not None or not mask:
            spans.append((start or 0, len(self.norm.text)))
        return spans

    def finditer(self, rx):
        """Matches of `rx` in the prose spans (look-behinds still see the text before a span). With a
        deadline, each scan carries the time left as the regex module's `timeout=`."""
        for start, end in self.prose_spans:
            if self.deadline is None:
                yield from rx.finditer(self.norm.text, start, end)
            else:
                left = self.deadline - time.process_time()
                if left <= 0:
                    raise TimeoutError("the article's time limit was reached")
                yield from rx.finditer(self.norm.text, start, end, timeout=left)

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
