"""Every occurrence of any of many words in one pass over a text: an Aho-Corasick automaton.

The gazetteers, the listed companies, the date anchors, the region signals and the money pieces each
have hundreds to thousands of words. One automaton finds all of them in time linear in the text.

It is built on ahocorasick_rs (Rust's `aho-corasick` crate). pyahocorasick, which this replaced, looks
up each character among a node's children one by one. Its root has one child per distinct first
character (about 2,000 for the listed companies), so it scanned about 2.4 million characters a
second. ahocorasick_rs scanned the same texts about 30 times faster.

Offsets are Python string indices, [start, end).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

import ahocorasick_rs

V = TypeVar("V")


class WordScan(Generic[V]):
    """Words, each with a value (a later duplicate replaces an earlier one, as in a dict).

    `find` gives every occurrence, overlapping ones too; `find_longest` gives the leftmost-longest ones
    that do not overlap (what a regex alternation of the words, longest first, finds with `finditer`)."""

    __slots__ = ("_words", "_values", "_all", "_longest")

    def __init__(self, items: Iterable[tuple[str, V]]) -> None:
        table: dict[str, V] = {}
        for word, value in items:
            if word:  # an empty word matches nowhere (the automaton refuses it)
                table[word] = value
        self._words = list(table)
        self._values = list(table.values())
        self._all = self._longest = None  # each automaton is built on its first use

    def __getstate__(self):
        return self._words, self._values  # the automata are rebuilt on first use (they do not pickle)

    def __setstate__(self, state) -> None:
        self._words, self._values = state
        self._all = self._longest = None

    def _automaton(self, kind):
        return ahocorasick_rs.AhoCorasick(self._words, matchkind=kind, store_patterns=False)

    @classmethod
    def of(cls, words: Iterable[str]) -> WordScan[str]:
        """Each word its own value."""
        return cls((w, w) for w in words)

    def __len__(self) -> int:
        return len(self._values)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, V]]:
        """(start, end, value) of every occurrence in `text[start:end]`, overlapping ones too: by end, then
        longest first."""
        if not self._words:
            return []
        if self._all is None:
            self._all = self._automaton(ahocorasick_rs.MatchKind.Standard)
        part, base = (text, 0) if start == 0 and end is None else (text[start:end], start)
        found = self._all.find_matches_as_indexes(part, overlapping=True)
        found.sort(key=lambda m: (m[2], m[1]))
        values = self._values
        return [(s + base, e + base, values[i]) for i, s, e in found]

    def find_longest(self, text: str) -> list[tuple[int, int, V]]:
        """(start, end, value) of the leftmost-longest occurrences, none overlapping, left to right."""
        if not self._words:
            return []
        if self._longest is None:
            self._longest = self._automaton(ahocorasick_rs.MatchKind.LeftmostLongest)
        values = self._values
        return [(s, e, values[i]) for i, s, e in self._longest.find_matches_as_indexes(text)]
