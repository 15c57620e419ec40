"""The article's market region from its own signals: what it is about (currency words, markets, exchanges,
places, companies, code forms) and how it is written (bylines, market vocabulary, the script and its
regional character variants).

Scoring: each signal adds its weight to its region (a distinct signal counts at most `max_count` times).
The writer's signals decide first when they are clear on their own; otherwise all signals do, with a
margin over the runner-up. A simplified-script text is read only among the regions whose press writes
simplified script, and is mainland's unless Singapore's or Malaysia's signals clearly win. No clear winner
leaves the region unknown: with no rival signals the money stage uses the fallback currency (and says so in
traditional script); with rivals a bare amount gets no currency at all (a wrong currency in the database is
worse than none). The regional characters are data (rules/region.yaml, computed from OpenCC's s2tw / s2hk by
tools/region_variants.py), so OpenCC's Taiwan and Hong Kong dictionaries are never loaded here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.region.rules import CompiledRegion
from pipeline.text.offsets import NormText
from pipeline.text.script import changed_by_s2t, converter


@dataclass(frozen=True, slots=True)
class Evidence:
    """One signal that counted: its text, the region and kind it speaks for, its weight, and where it is
    (`start`, `end` in the normalised text; None for the script as a whole)."""

    signal: str
    region: str
    kind: str
    weight: float
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Detection:
    region: str | None
    status: str  # decided, none (no signal), weak (too little), ambiguous (rival regions)
    evidence: tuple[Evidence, ...]
    scores: dict


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def word_signals(text: str, rules: CompiledRegion) -> list[tuple[int, int, str, tuple]]:
    """Signal words in the normalised text, the longest at each place and without overlaps (a blocker such
    as 按年度 keeps the 按年 inside it from counting); a Latin word must stand alone (RM is not in CRM)."""
    kept = []
    n = len(text)
    for start, end, sigs in rules.signal_words.find_longest(text):
        if not sigs:
            continue
        word = text[start:end]
        if word[0].isascii() and start > 0 and _is_word_char(word[0]) and _is_word_char(text[start - 1]):
            continue
        if word[-1].isascii() and end < n and _is_word_char(word[-1]) and _is_word_char(text[end]):
            continue
        kept.append((start, end, word, sigs))
    return kept


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _norm_index(norm: NormText, ch: str, simp: str) -> int | None:
    """Where the original character `ch` (normalised to `simp`) first stands in the normalised text."""
    i = norm.text.find(simp)
    while i >= 0:
        if norm.original[norm.starts[i]:norm.ends[i]] == ch:
            return i
        i = norm.text.find(simp, i + 1)
    return None


_KNOWN: set[str] = set()  # characters classified so far (process-wide: a character's kind never changes)
_SIMPLIFIED_ONLY: set[str] = set()


def _classify(chars: set[str]) -> None:
    """Adds to `_SIMPLIFIED_ONLY` the characters only simplified script writes (这, 们, 亿): OpenCC t2s keeps
    them and s2t changes them (the s2t answers are the script detector's, `changed_by_s2t`)."""
    new = [ch for ch in chars - _KNOWN if _is_han(ch)]
    _KNOWN.update(chars)
    t2s = converter("t2s")
    _SIMPLIFIED_ONLY.update(ch for ch in changed_by_s2t(new) if t2s.convert(ch) == ch)


def script_evidence(norm: NormText, rules: CompiledRegion) -> tuple[bool, list[Evidence]]:
    """Whether the text is simplified script (enough characters only simplified script has, and the
    normaliser's verdict), and the regional character variants of a traditional text."""
    original = norm.original
    distinct = set(original)
    _classify(distinct)
    need = rules.script.min_chars
    simp_only = 0
    for ch in distinct & _SIMPLIFIED_ONLY:
        simp_only += original.count(ch)
        if simp_only >= need:
            break
    simplified = norm.script == "simplified" and simp_only >= need
    evidence = []
    if not simplified and norm.script in ("traditional", "mixed"):
        variants: dict[str, list[tuple[str, int]]] = {}
        for ch in distinct & rules.variant_of.keys():
            variants.setdefault(rules.variant_of[ch], []).append((ch, original.count(ch)))
        var = rules.variants
        for region, chars in variants.items():
            left = var.max
            for ch, n in sorted(chars, key=lambda cn: (-cn[1], cn[0])):
                if left <= 0:
                    break
                w = min(left, var.weight * n)
                left -= w
                at = _norm_index(norm, ch, converter("t2s").convert(ch))
                evidence.append(Evidence(ch, region, "variant", w, at, None if at is None else at + 1))
    return simplified, evidence


def collect(norm: NormText, rules: CompiledRegion) -> tuple[bool, list[Evidence]]:
    """Every signal of the article, counted as the decision counts them."""
    text = norm.text
    simplified, evidence = script_evidence(norm, rules)
    seen: Counter = Counter()
    cap = rules.decision.max_count
    for start, end, word, sigs in word_signals(text, rules):
        for s in sigs:
            key = (word, s.region)
            if seen[key] >= cap:
                continue
            seen[key] += 1
            evidence.append(Evidence(word, s.region, s.kind, s.weight, start, end))
    for rx, s in rules.patterns_of:
        for m in rx.finditer(text):
            key = (m.group(), s.region)
            if seen[key] >= cap or m.end() <= m.start():
                continue
            seen[key] += 1
            evidence.append(Evidence(m.group(), s.region, s.kind, s.weight, m.start(), m.end()))
    if simplified:
        evidence.append(Evidence("simplified script", rules.script.region, "script", rules.script.weight))
    return simplified, evidence


def _pick(scores: dict[str, float], alone: float, contested: float, margin: float) -> tuple[str | None, str]:
    ranked = sorted(((v, r) for r, v in scores.items() if v > 0), reverse=True)
    if not ranked:
        return None, "none"
    best_score, best = ranked[0]
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    if second == 0 and best_score >= alone:
        return best, "decided"
    if second > 0 and best_score >= contested and best_score >= margin * second:
        return best, "decided"
    return None, ("ambiguous" if second > 0 else "weak")


def detect(norm: NormText, rules: CompiledRegion) -> Detection:
    simplified, evidence = collect(norm, rules)
    if simplified:  # Hong Kong, Taiwan and Macau press write traditional script
        evidence = [e for e in evidence if e.region in rules.simplified_regions]
    scores: Counter = Counter()
    writer: Counter = Counter()
    for e in evidence:
        scores[e.region] += e.weight
        if e.kind in rules.writer_kinds:
            writer[e.region] += e.weight
    d = rules.decision
    region, status = _pick(writer, d.writer_alone, d.writer_alone, d.writer_margin)
    if region is None:
        region, status = _pick(scores, d.alone, d.contested, d.margin)
    if simplified and region is None:  # simplified script is mainland press unless Singapore or Malaysia
        region, status = rules.script.region, "decided"  # clearly outweigh it (a 新加坡 subsidiary does not)
    evidence.sort(key=lambda e: (e.region != region, -e.weight, e.start if e.start is not None else -1))
    return Detection(region, status, tuple(evidence), dict(scores))
