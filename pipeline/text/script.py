"""Width folding and script conversion, one character per character so the offset map stays exact."""

from __future__ import annotations

import functools
import operator
from collections import Counter
from itertools import compress

import numpy as np
import regex

_HAN = regex.compile(r"\p{Han}")

_FOLD = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0xFFE5: 0xA5, 0xFFE0: 0xA2, 0xFFE1: 0xA3, 0x2212: 0x2D})


def fold_width(text: str) -> str:
    """Full-width ASCII and the ideographic space to half width; one character per character."""
    return text.translate(_FOLD)


@functools.lru_cache(maxsize=2)
def converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """OpenCC `t2s` (phrases first, then characters), forced to keep one character per character.

    A line whose phrase conversion changes its length is converted character by character instead, so
    the offset map stays exact.
    """
    conv = converter("t2s")
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    lines = text.split("\n")
    fixed = []
    for line in lines:
        c = conv.convert(line)
        if len(c) != len(line):
            c = "".join(ch2 if len(ch2 := conv.convert(ch)) == 1 else ch for ch in line)
        fixed.append(c)
    return "\n".join(fixed)


_S2T_CHANGES: dict[str, bool] = {}  # Han character -> whether s2t changes it (process-wide, never changes)


def changed_by_s2t(chars) -> set[str]:
    """Those of `chars` that OpenCC s2t changes on their own (after t2s, the characters only simplified
    script writes). Each character is converted once per process; the region room asks too."""
    new = [ch for ch in chars if ch not in _S2T_CHANGES]
    if new:
        conv = converter("s2t")
        _S2T_CHANGES.update((ch, conv.convert(ch) != ch) for ch in new)
    return {ch for ch in chars if _S2T_CHANGES[ch]}


def _differing(a: str, b: str) -> int:
    """How many places two strings differ at (zip's pairs): compared as arrays of code points when they
    are as long, which is 20 times quicker than a Python loop on a long article."""
    if a == b:
        return 0
    if len(a) != len(b):
        return sum(map(operator.ne, a, b))
    return int(np.count_nonzero(np.frombuffer(a.encode("utf-32-le", "surrogatepass"), np.uint32)
                                != np.frombuffer(b.encode("utf-32-le", "surrogatepass"), np.uint32)))


def detect_script(text: str, simplified: str) -> str:
    """simplified / traditional / mixed / unknown, from characters that exist in only one script.

    Characters that t2s changed are traditional; of the others, those s2t would change are simplified."""
    trad = _differing(text, simplified)
    counts = Counter(simplified)
    simp_only = changed_by_s2t([ch for ch in counts if "\u4e00" <= ch <= "\u9fff"])
    # a simplified-only character counts where it was written so (not where t2s produced it)
    simp = sum(counts[ch] for ch in simp_only)
    if trad and simp_only:
        simp -= sum(map(simp_only.__contains__, compress(simplified, map(operator.ne, text, simplified))))
    total = trad + simp
    if total < 3:
        return "unknown" if not _HAN.search(text) else "simplified"
    share = trad / total
    if share >= 0.8:
        return "traditional"
    if share <= 0.2:
        return "simplified"
    return "mixed"
