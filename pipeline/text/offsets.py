"""The normalised text and its offset map back into the original decoded text.

Every character of `NormText.text` knows the span of the original it came from (`starts[i]`, `ends[i]`),
so an item found at `[s, e)` in the normalised text is reported at `NormText.span(s, e)` in the original,
and `original[start:end]` is the item's text.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Note:
    """A warning raised while normalising, with its span in the original text."""

    code: str
    message: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class NormText:
    original: str
    text: str
    starts: array
    ends: array
    encoding: str = "utf-8"
    script: str = "unknown"
    metadata: dict[str, Any] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
    body_start: int = 0  # index in `text` where the body begins (after a front-matter title)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original `[start, end)` for normalised `[start, end)` (end > start)."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"bad span {start}:{end} for text of length {len(self.text)}")
        return self.starts[start], self.ends[end - 1]

    def original_text(self, start: int, end: int) -> str:
        s, e = self.span(start, end)
        return self.original[s:e]


class Builder:
    """Accumulates normalised characters with the original span of each."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts = array("l")
        self.ends = array("l")

    def copy(self, original: str, start: int, end: int) -> None:
        """Copy `original[start:end]` one character per character."""
        self.chars.append(original[start:end])
        self.starts.extend(range(start, end))
        self.ends.extend(range(start + 1, end + 1))

    def emit(self, text: str, start: int, end: int) -> None:
        """Emit `text` standing for `original[start:end]` (each emitted character maps to the span)."""
        self.chars.append(text)
        for _ in text:
            self.starts.append(start)
            self.ends.append(end)

    def text(self) -> str:
        return "".join(self.chars)
