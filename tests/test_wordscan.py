"""Checks of the word scans (`pipeline/wordscan.py`) against brute force, on texts with Han, Latin and
characters beyond the Basic Multilingual Plane (offsets are Python string indices, not UTF-8 bytes)."""

from __future__ import annotations

import pickle

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.wordscan import WordScan

# a small alphabet so that words overlap often: Han, Latin, an astral Han character (U+20000), a space
_ALPHABET = "中国银行a b\U00020000"
_words = st.lists(st.text(alphabet=_ALPHABET, min_size=0, max_size=4), max_size=8)
_texts = st.text(alphabet=_ALPHABET, max_size=40)


def _every(words, text, start=0, end=None):
    end = len(text) if end is None else end
    found = [(s, s + len(w), w) for w in set(words) if w for s in range(start, end - len(w) + 1)
             if text.startswith(w, s)]
    return sorted(found, key=lambda m: (m[1], m[0]))


@settings(max_examples=300, deadline=None)
@given(_words, _texts)
def test_find_is_every_occurrence_by_end_longest_first(words, text):
    assert WordScan.of(words).find(text) == _every(words, text)


@settings(max_examples=200, deadline=None)
@given(_words, _texts, st.integers(0, 40), st.integers(0, 40))
def test_find_in_a_window_keeps_whole_text_offsets(words, text, a, b):
    a, b = min(a, b, len(text)), min(max(a, b), len(text))
    assert WordScan.of(words).find(text, a, b) == _every(words, text, a, b)


@settings(max_examples=300, deadline=None)
@given(_words, _texts)
def test_find_longest_is_a_longest_first_alternation(words, text):
    kept = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    want = []
    if kept:
        rx = regex.compile("|".join(map(regex.escape, kept)))
        want = [(m.start(), m.end(), m.group()) for m in rx.finditer(text)]
    assert WordScan.of(words).find_longest(text) == want


def test_values_a_later_duplicate_wins_and_pickling_keeps_them():
    scan = WordScan([("招商银行", "first"), ("银行", "bank"), ("招商银行", "second")])
    assert scan.find("在招商银行开户") == [(1, 5, "second"), (3, 5, "bank")]
    assert len(scan) == 2
    again = pickle.loads(pickle.dumps(scan))
    assert again.find("招商银行") == [(0, 4, "second"), (2, 4, "bank")]
    assert WordScan([]).find("招商银行") == [] and WordScan([("", 1)]).find_longest("x") == []
