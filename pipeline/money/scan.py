"""Scanning fast: word lists as prefix trees, words found by Aho-Corasick, and patterns run only near the
words they cannot match without. Used by the money, percent and share rooms.

- `trie`: the money patterns hold every currency form of ISO 4217 (about 500 words); a flat alternation
  makes the regex engine try each word at every position where an amount might start. The same words as a
  tree (人民币|人仔 -> 人(?:民币|仔)) choose a branch by one character. The language matched, and the
  preference for the longest word (万亿 before 万), are the flat alternation's.
- `Scan` (a rule file's `scan:` section): a pattern's lighter `guard`, and the pieces it is `near` (a rate
  needs 兑 or 对; a percentage its % or 百分之): the pattern then runs only within `reach` characters of
  each of them. This is speed, not meaning: the corpus tests run with it.
"""

from __future__ import annotations

import time

import regex

from pipeline import rxcache
from pipeline.errors import RulesError
from pipeline.mention import TIMEOUT_FROM, Candidate, Context, find_candidates, trim_span
from pipeline.resources import Rules, Strict, WordsOf
from pipeline.wordscan import WordScan

FIRST_CLASS_FROM = 6  # branches: from this many, a character-class test guards the alternation


def trie(words) -> str:
    """One regex for `words`, as a tree of their shared prefixes; a longer word is tried before a shorter
    one it extends."""
    root: dict = {}
    for w in set(words):
        if not w:
            continue
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return "(?:" + _branch(root) + ")"


def _branch(node: dict) -> str:
    leaves, parts = [], []
    for ch in sorted(k for k in node if k):
        child = node[ch]
        if set(child) == {""}:
            leaves.append(regex.escape(ch))
        else:
            parts.append(regex.escape(ch) + _tail(child))
    if len(leaves) == 1:
        parts.append(leaves[0])
    elif leaves:
        parts.append("[" + "".join(leaves) + "]")
    if len(parts) == 1:
        return parts[0]
    body = "(?:" + "|".join(parts) + ")"
    if len(parts) > FIRST_CLASS_FROM:  # one set lookup rejects most positions before the branches are tried
        body = "(?=[" + "".join(regex.escape(k) for k in sorted(k for k in node if k)) + "])" + body
    return body


def _tail(node: dict) -> str:
    body = _branch({k: v for k, v in node.items() if k})
    return f"(?:{body})?" if "" in node else body


def pieces_with_tries(rules: Rules, local: dict | None, where: str) -> dict[str, str]:
    """`Rules.pieces`, with every `any_of` piece built as a prefix tree (`trie`) instead of a flat
    alternation; `starts_of` pieces and templates as there."""
    return rules.pieces(local, where, words_regex=trie)


class WordFinder:
    """Where any of a list of words occurs, in one Aho-Corasick pass (`WordScan`): every occurrence, by
    end, longest first. A Latin word must stand alone (USD is not in USDT)."""

    def __init__(self, words):
        self.words = WordScan.of(words)

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        out = []
        for s, e, _ in self.words.find(text, start, end):
            if text[s].isascii() and text[s].isalpha() and s > 0 and text[s - 1].isascii() and text[s - 1].isalpha():
                continue
            if text[e - 1].isascii() and text[e - 1].isalpha() and e < len(text) and text[e].isascii() \
                    and text[e].isalpha():
                continue
            out.append((s, e))
        return out


class Scan(Strict):
    guard: str = "guard"
    near: str | list[str] | None = None
    reach: int = 40

    @property
    def near_pieces(self) -> tuple[str, ...]:
        return () if self.near is None else (self.near,) if isinstance(self.near, str) else tuple(self.near)


class ScanPlan:
    """A rule file's patterns compiled with their guards, and what each is scanned near."""

    def __init__(self, stage: str, spec, rules: Rules, pieces: dict[str, str], default_guard: str = "guard"):
        scans = getattr(spec, "scan", {}) or {}
        ids = {p.id for p in spec.patterns}
        for pid, sc in scans.items():
            if pid not in ids:
                raise RulesError(f"rules/{stage}.yaml: scan names {pid}, which is no pattern")
            for piece in (sc.guard if pid in scans and "guard" in sc.model_fields_set else default_guard,
                          *sc.near_pieces):
                if piece not in pieces:
                    raise RulesError(f"rules/{stage}.yaml: scan of {pid} names unknown piece {{{piece}}}")
        compiled = []
        for p in spec.patterns:
            sc = scans.get(p.id)
            guard = sc.guard if sc is not None and "guard" in sc.model_fields_set else default_guard
            compiled += rules.compile_patterns(stage, [p], pieces, guard=pieces[guard] if guard else "")
        self.patterns = tuple(compiled)
        self.order = {p.id: i for i, p in enumerate(self.patterns)}
        defs = {**rules.specs["pieces"].pieces, **(getattr(spec, "pieces", None) or {})}
        self.finders: dict[str, object] = {}
        for sc in scans.values():
            for piece in sc.near_pieces:
                if piece in self.finders:
                    continue
                d = defs[piece]
                if isinstance(d, WordsOf) and d.any_of:
                    words = [w for path in d.any_of for w in rules.words(path)] + list(d.literal)
                    self.finders[piece] = WordFinder(w for w in words if len(w) >= d.min_length)
                else:
                    self.finders[piece] = rxcache.compile(pieces[piece], regex.V1)
        self.near = {pid: (sc.reach, sc.near_pieces) for pid, sc in scans.items() if sc.near}

    def candidates(self, ctx: Context) -> list[Candidate]:
        """Every span a pattern matches in the prose (tables are the table reader's), near its pieces where
        it has them; in pattern order, which breaks ties between equal spans."""
        out: list[Candidate] = find_candidates(ctx, [p for p in self.patterns if p.id not in self.near])
        found: dict[str, list] = {}  # the occurrences of each piece, found once
        for pattern in self.patterns:
            if pattern.id not in self.near:
                continue
            reach, pieces = self.near[pattern.id]
            windows = None
            for piece in pieces:
                if piece not in found:
                    found[piece] = _occurrences(ctx, self.finders[piece])
                w = _windows(ctx, reach, found[piece])
                windows = w if windows is None else _intersect(windows, w)
            out += _near(ctx, pattern, windows or [])
        out.sort(key=lambda c: self.order[c.rule.id])
        return out


def _occurrences(ctx: Context, finder) -> list[tuple[int, int]]:
    """Where a `near` piece occurs in the prose: a word list's spans, or a regex's matches."""
    if isinstance(finder, WordFinder):
        return [span for a, b in ctx.prose_spans for span in finder.spans(ctx.text, a, b)]
    return [m.span() for m in ctx.finditer(finder)]


def _intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts two sorted lists of disjoint windows share."""
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _windows(ctx: Context, reach: int, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merged [start, end) windows of `reach` characters around each occurrence (`found`)."""
    n = len(ctx.text)
    spans: list[list[int]] = []
    for s, e in found:
        lo, hi = max(0, s - reach), min(n, e + reach)
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    return [(a, b) for a, b in spans]


def _near(ctx: Context, pattern, windows: list[tuple[int, int]]) -> list[Candidate]:
    text = ctx.text
    out = []
    prose = ctx.prose_spans
    timeout = None
    if ctx.deadline is not None and len(text) >= TIMEOUT_FROM:
        timeout = ctx.deadline - time.process_time()
        if timeout <= 0:
            raise TimeoutError("the article's time limit was reached")
    for lo, hi in windows:
        for ps, pe in prose:
            a, b = max(lo, ps), min(hi, pe)
            if a >= b:
                continue
            for m in pattern.rx.finditer(text, a, b, timeout=timeout):
                start, end = trim_span(text, m.start(), m.end())
                if end <= start or ctx.in_table(start, end):
                    continue
                out.append(Candidate(pattern, m, start, end))
    return out
