"""Bytes to text: which encoding an article is in, how sure that is, and the article's content id.

In order:
1. a byte-order mark (UTF-8, UTF-16, UTF-32) decides;
2. valid UTF-8 is UTF-8; UTF-8 with a few invalid bytes (at most 1 in 1,000, or 8) is read with U+FFFD in
   their place and a `decode_replaced` warning, rather than rejected whole;
3. UTF-16 without a BOM, when its NUL bytes say so and the text reads as text;
4. 7-bit encodings that would otherwise pass as ASCII: HZ (`~{…~}`), UTF-7 (`+…-`) and ISO-2022 (escape
   sequences), when decoding them gives CJK text;
5. every other candidate that decodes strictly — GB18030, Big5-HKSCS (a superset of Big5 and CP950),
   Shift-JIS, EUC-JP, EUC-KR — is scored: the mean plausibility of its characters (Han characters by how
   often Chinese text uses them, from jieba's dictionary; kana and Hangul when they form words; private-use,
   control and unassigned characters heavily penalised; a Japanese or Korean reading must look like the
   language). charset-normalizer gives a second opinion: its Japanese or Korean reading joins the
   candidates, and it is named in the warning of a close call;
6. a file whose lines are in different encodings (GBK and Big5 pasted together) is decoded line by line;
7. below a confidence threshold the best reading is kept with an `encoding_uncertain` warning that names
   the runner-up; a file that reads as text in no encoding is a `DecodeError` naming it.
Every guess that is not certain leaves a warning in the record: the run never passes a guess off silently.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import math
import os
import unicodedata
from dataclasses import dataclass

import regex

from pipeline.errors import DecodeError
from pipeline.text.offsets import Note

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HAN = regex.compile(r"\p{Han}")
# multi-byte candidates, scored against each other (Big5-HKSCS decodes every Big5 and CP950 file)
CANDIDATES = ("gb18030", "big5hkscs", "shift_jis", "euc_jp", "euc_kr")
# the same family of encodings, for comparing a second opinion with ours
_FAMILY = {"gb18030": "gb", "gbk": "gb", "gb2312": "gb", "hz": "gb", "big5": "big5", "big5hkscs": "big5",
           "cp950": "big5", "shift_jis": "ja", "cp932": "ja", "euc_jp": "ja", "euc_jis_2004": "ja",
           "shift_jis_2004": "ja", "iso2022_jp": "ja", "euc_kr": "ko", "cp949": "ko", "iso2022_kr": "ko",
           "johab": "ko"}
UNCERTAIN_MARGIN = 0.15  # the best reading must beat the runner-up by this much plausibility
UNREADABLE = 0.35        # below this plausibility, no reading is text


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    notes: tuple[Note, ...] = ()


def decode_bytes(raw: bytes, *, source: str | None = None) -> tuple[str, str]:
    """`(text, encoding)` of an article; raises `DecodeError` when nothing fits. See `decode` for the
    warnings a reading leaves."""
    d = decode(raw, source=source)
    return d.text, d.encoding


def decode(raw: bytes, *, source: str | None = None) -> Decoded:
    """Decode an article (see the module doc); raises `DecodeError` naming `source` when nothing fits."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return Decoded(raw.decode(name), name)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {name} byte-order mark but does not decode: {exc}",
                                  source=source) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        seven_bit = _seven_bit(text, raw) if text.isascii() else None
        return seven_bit or Decoded(text, "utf-8")
    lenient = _utf8_with_stray_bytes(raw)
    if lenient is not None:
        return lenient
    guess = _utf16_without_bom(raw)
    if guess is not None:
        return Decoded(*guess)
    return _scored(raw, source)


def doc_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


# ----------------------------------------------------------------------------------------------
# UTF-8 and UTF-16


def _utf8_with_stray_bytes(raw: bytes) -> Decoded | None:
    """UTF-8 with a few invalid bytes (a truncated download, one corrupted sector): U+FFFD in their place."""
    text = raw.decode("utf-8", "replace")
    bad = text.count("\ufffd") - raw.count(b"\xef\xbf\xbd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if bad <= 0 or bad > max(8, len(text) // 1000) or multibyte < 4 * bad:
        return None
    note = Note("decode_replaced", f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD")
    return Decoded(text, "utf-8", (note,))


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

# ----------------------------------------------------------------------------------------------
# 7-bit CJK encodings that pass for ASCII

_SEVEN_BIT = (
    ("hz", regex.compile(r"~\{[\x21-\x7d]{2,}~\}")),
    ("iso2022_jp", regex.compile(r"\x1b\$[B@]")),
    ("iso2022_kr", regex.compile(r"\x1b\$\)C")),
    ("utf-7", regex.compile(r"\+[A-Za-z0-9/+]{3,}-?")),
)
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")


def _seven_bit(text: str, raw: bytes) -> Decoded | None:
    for name, marker in _SEVEN_BIT:
        if not marker.search(text):
            continue
        try:
            decoded = raw.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        cjk = len(_CJK.findall(decoded))
        if cjk >= 2 and _plausibility(decoded, name) >= 0.6:
            return Decoded(decoded, name)
    return None


# ----------------------------------------------------------------------------------------------
# scoring candidates


@functools.lru_cache(maxsize=1)
def _han_frequency() -> dict[str, float]:
    """log10 of how often each Han character occurs in jieba's dictionary (words weighted by frequency),
    scaled to 0..1; traditional characters share their simplified form's figure."""
    import jieba

    counts: dict[str, int] = {}
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ", 2)
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            for ch in word:
                counts[ch] = counts.get(ch, 0) + freq
    top = math.log10(max(counts.values()) + 1)
    return {ch: math.log10(n + 1) / top for ch, n in counts.items()}


@functools.lru_cache(maxsize=65536)
def _char_score(ch: str, family: str) -> float:
    """How plausible one character is in a reading from an encoding of `family` (gb, big5, ja, ko)."""
    o = ord(ch)
    if o < 0x80:
        return 1.0 if ch.isprintable() or ch in "\n\r\t" else 0.0
    if 0xE000 <= o <= 0xF8FF or 0xF0000 <= o or ch == "\ufffd":
        return 0.0  # private use, or a character the encoding could not map
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cs", "Co", "Cn"):
        return 0.0
    name = unicodedata.name(ch, "")
    if "CJK UNIFIED" in name or "CJK COMPATIBILITY IDEOGRAPH" in name:
        from pipeline.text.script import converter

        freq = _han_frequency()  # a traditional character counts as its simplified form where that is commoner
        f = max(freq.get(ch, 0.0), freq.get(converter("t2s").convert(ch), 0.0))
        return min(1.0, 0.15 + f) if family in ("gb", "big5") else 0.4 + 0.6 * f
    if name.startswith(("HIRAGANA", "KATAKANA")):
        return 0.9 if family == "ja" else 0.2
    if name.startswith("HALFWIDTH KATAKANA"):
        return 0.05
    if name.startswith("HANGUL LETTER"):
        return 0.05  # a lone jamo in running text: Korean writes syllables, mojibake leaves letters
    if name.startswith("HANGUL"):
        if family != "ko":
            return 0.1
        try:  # the 2,350 syllables of KS X 1001 (two bytes in EUC-KR) are the ones Korean text uses
            return 0.9 if len(ch.encode("euc_kr")) == 2 else 0.1
        except UnicodeEncodeError:
            return 0.1
    if cat.startswith("P") or cat.startswith("Z") or cat in ("Nd", "Sm", "Sc", "So"):
        return 0.7 if 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F else 0.4
    return 0.3  # letters of other scripts: Cyrillic or Greek in a CJK encoding is rare in news


_KANA = regex.compile(r"[\u3040-\u30ff]")  # full-width kana: half-width kana is mojibake's signature
_HANGUL = regex.compile(r"\p{Hangul}")


def _plausibility(text: str, encoding: str) -> float:
    """Mean plausibility of the non-ASCII characters of one reading, in 0..1. A Japanese or Korean
    reading must also look like the language: Japanese prose is never without kana, Korean news is
    mostly Hangul; Chinese bytes read as EUC-KR give Hangul and Han in a jumble."""
    family = _FAMILY.get(encoding, "gb")
    chars = [ch for ch in text if ord(ch) > 0x7F]  # ASCII reads the same in every candidate: it tells nothing
    if not chars:
        return 1.0
    sample = chars if len(chars) <= 20_000 else chars[:10_000] + chars[-10_000:]
    score = sum(_char_score(ch, family) for ch in sample) / len(sample)
    if family in ("ja", "ko"):
        joined = "".join(sample)
        han = len(_HAN.findall(joined))
        own = len((_KANA if family == "ja" else _HANGUL).findall(joined))
        if own + han:
            share, needed = own / (own + han), (0.2 if family == "ja" else 0.8)
            score *= min(1.0, share / needed)
    return score


def _second_opinion(raw: bytes) -> str | None:
    """charset-normalizer's best encoding, or None."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = from_bytes(raw[:200_000]).best()
    return best.encoding if best is not None else None


def _scored(raw: bytes, source: str | None) -> Decoded:
    readings: dict[str, tuple[str, float]] = {}
    for name in CANDIDATES:
        try:
            text = raw.decode(name)
        except UnicodeDecodeError:
            continue
        readings[name] = (text, _plausibility(text, name))
    opinion = _second_opinion(raw)
    if opinion and _FAMILY.get(opinion) in ("ja", "ko") and opinion not in readings:
        try:
            text = raw.decode(opinion)
            readings[opinion] = (text, _plausibility(text, opinion))
        except (UnicodeDecodeError, LookupError):
            pass
    mixed = _line_by_line(raw)
    if not readings and mixed is None:
        raise DecodeError("not valid UTF-8, UTF-16, GB18030, Big5(-HKSCS), Shift-JIS, EUC-JP or EUC-KR",
                          source=source)
    ranked = sorted(readings.items(), key=lambda kv: -kv[1][1])
    if mixed is not None and (not ranked or mixed[1] > ranked[0][1][1] + 0.1):
        text, score, names = mixed
        note = Note("mixed_encodings", f"lines in different encodings ({', '.join(names)}), decoded line by line")
        return Decoded(text, "mixed", (note,))
    best, (text, score) = ranked[0]
    ranked = [ranked[0]] + [r for r in ranked[1:] if r[1][0] != text]  # a twin encoding that reads the same
    if score < UNREADABLE:
        raise DecodeError(f"does not read as text in any supported encoding (best: {best}, "
                          f"plausibility {score:.2f})", source=source)
    if len(ranked) > 1:
        second, (_, score2) = ranked[1]
        if score - score2 < UNCERTAIN_MARGIN:
            also = f"; charset-normalizer says {opinion}" if opinion else ""
            note = Note("encoding_uncertain", f"read as {best} (plausibility {score:.2f}); {second} was close "
                                              f"({score2:.2f}){also}")
            return Decoded(text, best, (note,))
    return Decoded(text, best)


def _line_by_line(raw: bytes) -> tuple[str, float, tuple[str, ...]] | None:
    """GBK and Big5 pasted into one file: each line read in the Chinese encoding that suits it best.
    (Neither encoding uses the newline byte inside a character, so lines split safely.) None unless at
    least two encodings are needed."""
    lines = raw.split(b"\n")
    if len(lines) < 2:
        return None
    out, used, total, weight = [], set(), 0.0, 0
    for line in lines:
        options = []
        for name in ("gb18030", "big5hkscs"):
            try:
                text = line.decode(name)
            except UnicodeDecodeError:
                continue
            options.append((_plausibility(text, name), name, text))
        if not options:
            return None
        score, name, text = max(options)
        if not text.isascii():
            used.add(name)
        out.append(text)
        n = sum(1 for ch in text if not ch.isspace())
        total, weight = total + score * n, weight + n
    if len(used) < 2:
        return None
    return "\n".join(out), (total / weight if weight else 1.0), tuple(sorted(used))
