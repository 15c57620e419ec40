"""Segmentation with our own jieba tokenizer.

We own a `Tokenizer()` rather than jieba's process-wide default, so our words never leak into, or are
changed by, other code in the process. It is loaded with the words in `rules/` (gazetteer aliases, titles,
currency words) so names like 金山云控股有限公司 stay whole. The tokens always rebuild the text.

The implementation is `jieba-next` (jieba's algorithm and dictionary with a Rust core, about 3.7 times
faster); on the normalised text of `corpus/` its tokens are identical to classic jieba's, which a test
checks. The `segmenter` setting (`ZHNEWS_SEGMENTER=jieba`) selects classic jieba.
"""

from __future__ import annotations

import array
import functools
import hashlib
import importlib.metadata
import logging
import os
import tempfile
import time
from itertools import accumulate
from pathlib import Path

import regex

from pipeline import cachefile
from pipeline.resources import Rules


def _jieba_module(name: str | None = None):
    name = name or "jieba-next"
    if name == "jieba-next":
        try:
            import jieba_next

            return jieba_next
        except ImportError:
            pass
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


class Segmenter:
    def __init__(self, words: list[str], implementation: str | None = None, cache_dir: str | None = None):
        module = _jieba_module(implementation)
        self.implementation = "jieba-next" if module.__name__ == "jieba_next" else "jieba"
        self.tokenizer = module.Tokenizer()
        # jieba writes its prefix-dictionary cache to a temp dir; keep it per user and out of the repo
        self.tokenizer.tmp_dir = cache_dir or tempfile.gettempdir()
        path = self._state_path(words)
        if not self._load_state(path):
            self.tokenizer.initialize()
            # all frequencies first, then all words: each add_word makes jieba-next rebuild its prefix index
            # on the next cut, and suggest_freq cuts, so interleaving them costs a rebuild per word
            freqs = [max(2000, self.tokenizer.suggest_freq(w, tune=False)) for w in words]
            for w, f in zip(words, freqs):
                self.tokenizer.add_word(w, freq=f)
            self._save_state(path)

    def _state_path(self, words: list[str]) -> Path:
        """One file per user, segmenter version, dictionary and list of our words."""
        digest = hashlib.sha256("\n".join(words).encode()).hexdigest()
        return self._cache_path(_STATE_FILE, f"{_STATE_FORMAT} {digest}")

    def _load_state(self, path: Path) -> bool:
        """The prefix dictionary with our words in it, as `_save_state` left it: jieba's own cache is a
        marshal dict of 500,000 words that takes 0.8 CPU-s to load on the shared machine; the same words
        as one string and their counts as one array take 0.25. Whether it was loaded; anything else in the
        file (damaged, another format) means the dictionary is built as usual."""
        data = cachefile.read(path)
        if not (isinstance(data, tuple) and len(data) == 3 and isinstance(data[0], str)
                and isinstance(data[1], bytes) and isinstance(data[2], int)):
            return False
        counts = array.array("q")
        try:
            counts.frombytes(data[1])
        except ValueError:
            return False
        keys = data[0].split(_SEP)
        if len(keys) != len(counts):
            return False
        tokenizer = self.tokenizer
        tokenizer.FREQ, tokenizer.total = dict(zip(keys, counts)), data[2]
        tokenizer.initialized = True  # jieba-next builds its prefix index on the first cut
        return True

    def _save_state(self, path: Path) -> None:
        freq = self.tokenizer.FREQ
        if any(_SEP in w for w in freq) or not all(type(c) is int for c in freq.values()):
            return
        try:
            counts = array.array("q", freq.values())
        except OverflowError:
            return
        cachefile.write(path, (_SEP.join(freq), counts.tobytes(), int(self.tokenizer.total)))

    @functools.cached_property
    def proper_nouns(self) -> frozenset[str]:
        """The dictionary's words tagged as names (nr person, nrt, nrfg, nt organisation, nz other proper
        noun): 西门子, 迪斯尼, 腾讯. Read on first use, not at start-up (`_tagged`)."""
        return self._tagged[0]

    @functools.cached_property
    def place_nouns(self) -> frozenset[str]:
        """The dictionary's words tagged as places (ns: 长江, 华北, 中关村), read with `proper_nouns`."""
        return self._tagged[1]

    @functools.cached_property
    def org_nouns(self) -> frozenset[str]:
        """The dictionary's words tagged as organisations (nt: 中国石油, 国家统计局), read with `proper_nouns`."""
        return self._tagged[2]

    @functools.cached_property
    def _tagged(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """Read from the dictionary file (about 0.5 CPU-s) once per user and dictionary, then from a marshal
        file beside jieba's own cache (a few milliseconds): `_TAGS_FILE`. A damaged or foreign file is
        read again from the dictionary."""
        path = self._tags_path()
        data = cachefile.read(path)
        if isinstance(data, tuple) and len(data) == 3 and all(isinstance(x, tuple) for x in data):
            return tuple(frozenset(x) for x in data)  # type: ignore[return-value]
        with self.tokenizer.get_dict_file() as fh:
            text = fh.read()
        tagged = (frozenset(_NAME_LINE.findall(text)), frozenset(_PLACE_LINE.findall(text)),
                  frozenset(_ORG_LINE.findall(text)))
        cachefile.write(path, tuple(tuple(sorted(x)) for x in tagged))
        return tagged

    def _tags_path(self) -> Path:
        """One file per user, segmenter version and dictionary."""
        return self._cache_path(_TAGS_FILE, str(_TAGS_FORMAT))

    def _cache_path(self, pattern: str, extra: str) -> Path:
        """A file of the cache folder named by `pattern` for the user and a key of the segmenter's module,
        its version, its dictionary and `extra`."""
        module = type(self.tokenizer).__module__.split(".")[0]
        try:
            version = importlib.metadata.version(module.replace("_", "-"))
        except importlib.metadata.PackageNotFoundError:
            version = "0"
        dictionary = str(getattr(self.tokenizer, "dictionary", None) or "default")
        key = hashlib.sha256(f"{module} {version} {dictionary} {extra}".encode()).hexdigest()[:16]
        uid = os.getuid() if hasattr(os, "getuid") else 0
        return Path(self.tokenizer.tmp_dir or tempfile.gettempdir()) / pattern.format(uid=uid, key=key)

    def tokens(self, text: str, *, deadline: float | None = None) -> list[tuple[str, int, int]]:
        """(word, start, end) for every token; the words concatenate to `text` exactly.

        The text is cut in chunks of at most `CHUNK` characters (`chunks`), so the work is linear in the
        input (jieba's cost grows faster than linearly on a long run without a break: 'a' × 1 MB took
        13 s); between chunks the article's deadline (`time.process_time()`) is checked."""
        out = []
        for start, end in chunks(text):
            if deadline is not None and time.process_time() > deadline:
                raise TimeoutError("during segmentation")
            words = list(self.tokenizer.cut(text[start:end], HMM=True))
            bounds = list(accumulate(map(len, words), initial=start))
            if bounds[-1] != end:  # never silently lose text
                raise RuntimeError(f"segmentation lost text: {bounds[-1]} != {end}")
            out.extend(zip(words, bounds, bounds[1:]))
        return out


CHUNK = 2_000
# a dictionary line whose part-of-speech tag is a proper noun's: nr, nrt, nrfg (people), nt (organisations), nz
_NAME_LINE = regex.compile(r"^(\S+) \d+ n(?:r|rt|rfg|t|z)$", regex.M)
_PLACE_LINE = regex.compile(r"^(\S+) \d+ ns$", regex.M)
_ORG_LINE = regex.compile(r"^(\S+) \d+ nt$", regex.M)
# the dictionary's proper nouns, places and organisations, kept between processes (`Segmenter._tagged`)
_TAGS_FILE = "zhnews-dicttags-{uid}-{key}.marshal"
_TAGS_FORMAT = 1
# the prefix dictionary with our words (`Segmenter._load_state`): the words joined by _SEP, their counts
_STATE_FILE = "zhnews-prefixdict-{uid}-{key}.marshal"
_STATE_FORMAT = 1
_SEP = "\n"
# jieba segments each run of these characters on its own (its `re_han_default`): a cut anywhere else
# leaves every token as it was
_IN_BLOCK = regex.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")


def chunks(text: str, size: int = CHUNK) -> list[tuple[int, int]]:
    """[start, end) pieces of at most `size` characters, cut after a character outside jieba's blocks
    (a line break, a space, punctuation), so the tokens are those of the whole text; only a run longer
    than `size` with no break at all is cut where it reaches the limit."""
    out, start, n = [], 0, len(text)
    while n - start > size:
        end = start + size
        cut = end
        while cut > start + size // 2 and _IN_BLOCK.match(text, cut - 1):
            cut -= 1
        if cut == start + size // 2:
            cut = end  # a run with no break in the last half of the window: cut at the limit
        out.append((start, cut))
        start = cut
    out.append((start, n))
    return out


@functools.lru_cache(maxsize=4)
def _cached(words: tuple[str, ...], implementation: str | None, cache_dir: str | None) -> Segmenter:
    return Segmenter(list(words), implementation, cache_dir)


def load_segmenter(rules: Rules, implementation: str | None = None, cache_dir: str | None = None) -> Segmenter:
    """One segmenter per process, rule set and implementation."""
    return _cached(tuple(rules.user_words()), implementation, cache_dir)
