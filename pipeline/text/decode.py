"""Bytes to text: which encoding an article is in, and its content id.

UTF-8 is tried first (with or without BOM). UTF-16/32 are taken with a BOM, or UTF-16 without one when
the decoded text reads as text. Otherwise GB18030 and Big5 are both tried strictly; when both decode, the
one whose text has more common Han characters wins, so a Big5 file is not read as GB18030 mojibake.
"""

from __future__ import annotations

import codecs
import functools
import hashlib

import regex

from pipeline.errors import DecodeError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HAN = regex.compile(r"\p{Han}")


def decode_bytes(raw: bytes, *, source: str | None = None) -> tuple[str, str]:
    """Decode an article. Returns `(text, encoding)`; raises `DecodeError` when nothing fits.

    UTF-8 is tried first (with or without BOM). UTF-16/32 are taken only with a BOM. Otherwise GB18030
    and Big5 are both tried strictly; when both decode, the one whose text has more common Han
    characters (by a round trip through the other script) wins, so a Big5 file is not read as GB18030
    mojibake.
    """
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(name), name
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {name} byte-order mark but does not decode: {exc}",
                                  source=source) from exc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guess = _utf16_without_bom(raw)
    if guess is not None:
        return guess
    candidates: list[tuple[str, str]] = []
    for name in ("gb18030", "big5"):
        try:
            candidates.append((raw.decode(name), name))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise DecodeError("not valid UTF-8, UTF-16 (with BOM), GB18030 or Big5", source=source)
    if len(candidates) == 1:
        return candidates[0]
    return max(candidates, key=lambda c: _plausibility(c[0]))


def _utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 with no BOM: ASCII characters leave a NUL in every other byte, and the decoded text must
    read as text (letters, digits, CJK, punctuation, white space), not as random code points."""
    if len(raw) < 8 or len(raw) % 2 or b"\x00" not in raw:
        return None
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    if odd > even:
        name = "utf-16-le"
    elif even > odd:
        name = "utf-16-be"
    else:
        return None
    try:
        text = raw.decode(name)
    except UnicodeDecodeError:
        return None
    sensible = sum(1 for ch in text if _SENSIBLE.match(ch))
    return (text, name) if sensible >= 0.95 * len(text) else None


# what Chinese news is written in: ASCII, Han, CJK and general punctuation, full-width forms
_SENSIBLE = regex.compile(r"[\x20-\x7e\n\r\t\p{Han}\u3000-\u303f\uff00-\uffef\u2000-\u206f]")


def _plausibility(text: str) -> float:
    """Share of Han characters that are in the common (GB2312 or Big5 level-1) repertoire."""
    han = _HAN.findall(text)
    if not han:
        return 0.0
    common = sum(1 for ch in han if _is_common_han(ch))
    return common / len(han)


@functools.lru_cache(maxsize=65536)
def _is_common_han(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        pass
    try:
        b = ch.encode("big5")
        return 0xA4 <= b[0] <= 0xC6  # Big5 level 1: frequently used characters
    except UnicodeEncodeError:
        return False


def doc_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
