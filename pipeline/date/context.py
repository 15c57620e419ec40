"""One article as the date room reads it: its text, rules and reference date, its sentences and paragraphs,
the market it speaks of (Taiwan, Hong Kong) and the tense around a date."""

from __future__ import annotations

import functools
from datetime import datetime

from pipeline.mention import COMMA_BREAKS, clause_start, sentence_bounds

_CLAUSE = frozenset(COMMA_BREAKS)


class DateText:
    def __init__(self, ctx, rules):
        self.ctx, self.rules = ctx, rules
        self.text: str = ctx.text
        self.published = ctx.published
        # the caller's date and time (relative times count from it: 两小时前, 过去30分钟); None without a time
        self.published_at = (datetime.combine(ctx.published, ctx.published_time)
                             if ctx.published is not None and ctx.published_time is not None else None)

    # -- spans ------------------------------------------------------------------------------------

    def sentence(self, pos: int) -> tuple[int, int]:
        return sentence_bounds(self.text, pos)

    def paragraph(self, pos: int) -> tuple[int, int]:
        text = self.text
        lo = text.rfind("\n", 0, pos) + 1
        hi = text.find("\n", pos)
        return lo, len(text) if hi < 0 else hi

    def clause(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        lo = clause_start(text, start, 200, _CLAUSE)
        hi = end
        n = len(text)
        while hi < n and hi - end < 200 and text[hi] not in _CLAUSE:
            hi += 1
        return lo, hi

    # -- where the article is from ---------------------------------------------------------------------

    @functools.cached_property
    def _roc_anywhere(self) -> bool:
        return "民国" in self.text

    def locale(self, pos: int, loc: str, scope: str = "paragraph") -> bool:
        """Whether the text around `pos` speaks of Taiwan (TW) or Hong Kong (HK): one of the locale's words in
        the paragraph (or the sentence); for Taiwan also 民国 anywhere in the article."""
        if loc == "TW" and self._roc_anywhere:
            return True
        rx = self.rules.locale_rx.get(loc)
        if rx is None:
            return False
        lo, hi = self.sentence(pos) if scope == "sentence" else self.paragraph(pos)
        return rx.search(self.text, lo, hi) is not None

    # -- tense -----------------------------------------------------------------------------------

    def cue(self, start: int, end: int) -> str | None:
        """`past`, `forward` or None for a date at [start, end): the words of `tense` in its clause (or, when
        the date stands alone before a comma, in the next clause too). Compare words and forward words
        together decide nothing (预计上半年净利润同比增长 is a forecast of a period that may have ended);
        a forward word otherwise wins over result words (下半年营收有望回升); compare or result alone look
        back."""
        text = self.text
        lo, hi = self.clause(start, end)
        rest = text[lo:start].strip() + text[end:hi].strip()
        if len(rest) <= 3 and hi < len(text) and text[hi] in ",，":
            _, hi = self.clause(hi + 1, hi + 1)
        near: dict[str, int] = {}  # kind -> distance of its nearest word
        for m in self.rules.tense_rx.finditer(text, lo, hi):
            if m.end() > start and m.start() < end:
                continue
            kind = self.rules.tense_kind[m.group()]
            distance = start - m.end() if m.end() <= start else m.start() - end
            if kind == "forward_adjacent":
                if m.end() > start or distance > 1:
                    continue
                kind = "forward"
            if kind != "neutral":
                near[kind] = min(distance, near.get(kind, distance))
        if "forward" not in near:
            return "past" if near else None
        if "compare" in near:
            return None
        if "result" not in near or near["forward"] < near["result"]:
            return "forward"
        return "past" if near["result"] < near["forward"] else None
