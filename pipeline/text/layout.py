"""Line layout: table rows, and lines that a fixed-width export wrapped in the middle of a sentence."""

from __future__ import annotations

from collections import Counter

import regex

_NUMERIC_CELL = regex.compile(r"^[(（]?[-−]?\d[\d,]*(?:\.\d+)?[)）]?%?$|^[–—-]$")
_SENTENCE_END = set("。！？；：!?;:")


def is_table_row(line: str) -> bool:
    """A label (optional) followed by two or more numeric cells: `收入 7,047,461 7,785,180 10.5%`."""
    cells = line.split()
    if len(cells) < 2:
        return False
    numeric = 0
    for cell in reversed(cells):
        if _NUMERIC_CELL.match(cell):
            numeric += 1
        else:
            break
    return numeric >= 2


def _display_width(line: str) -> int:
    """Characters, with CJK counted double (as a fixed-width export lays them out)."""
    return len(line) + len(_NARROW.sub("", line))  # what is left are the wide characters


_NARROW = regex.compile(r"[\x00-\u2e7f]+")


def unwrap(text: str) -> list[int]:
    """Indices of newlines that a fixed-width export inserted in the middle of a sentence.

    A document is "wrapped" when many of its lines share one display width; then a newline is dropped
    where the line before reaches that width, does not end a sentence, and neither line is a table row.
    """
    lines = text.split("\n")
    widths = [_display_width(ln.rstrip()) for ln in lines]
    long = [w for ln, w in zip(lines, widths) if w >= 40 and not is_table_row(ln)]
    if len(long) < 5:
        return []
    mode, _ = Counter(long).most_common(1)[0]
    near = sum(1 for w in long if abs(w - mode) <= 3)
    if near < 5 or near / len(long) < 0.3:
        return []
    drops: list[int] = []
    pos = 0
    for i, line in enumerate(lines[:-1]):
        nl = pos + len(line)
        nxt = lines[i + 1]
        body = line.rstrip()
        if (
            body
            and nxt.strip()
            and widths[i] >= mode - 6
            and body[-1] not in _SENTENCE_END
            and not is_table_row(line)
            and not is_table_row(nxt)
        ):
            drops.append(nl)
        pos = nl + 1
    return drops
