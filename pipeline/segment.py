"""Segmentation with our own jieba tokenizer.

We own a `jieba.Tokenizer()` rather than jieba's process-wide default, so our words never leak into, or
are changed by, other code in the process. It is loaded with the words in `rules/` (gazetteer aliases,
titles, currency words) so names like 金山云控股有限公司 stay whole. The tokens always rebuild the text.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile

import jieba

from pipeline.resources import Rules

jieba.setLogLevel(logging.WARNING)


class Segmenter:
    def __init__(self, words: list[str]):
        self.tokenizer = jieba.Tokenizer()
        # jieba writes its prefix-dictionary cache to a temp dir; keep it per user and out of the repo
        self.tokenizer.tmp_dir = os.environ.get("ZHNEWS_CACHE", tempfile.gettempdir())
        self.tokenizer.initialize()
        for w in words:
            self.tokenizer.add_word(w, freq=max(2000, self.tokenizer.suggest_freq(w, tune=False)))

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        """(word, start, end) for every token; the words concatenate to `text` exactly."""
        out = []
        pos = 0
        for word in self.tokenizer.cut(text, HMM=True):
            out.append((word, pos, pos + len(word)))
            pos += len(word)
        if pos != len(text):  # never silently lose text
            raise RuntimeError(f"segmentation lost text: {pos} != {len(text)}")
        return out


@functools.lru_cache(maxsize=2)
def _cached(words: tuple[str, ...]) -> Segmenter:
    return Segmenter(list(words))


def load_segmenter(rules: Rules) -> Segmenter:
    """One segmenter per process and rule set."""
    return _cached(tuple(rules.user_words()))
