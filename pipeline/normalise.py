"""Normalisation: bytes in, one clean simplified half-width text with an offset map out.

Every later stage works on `NormText.text`. Each character of it knows the span of the original decoded
text it came from (`starts[i]`, `ends[i]`), so an item found at `[s, e)` in the normalised text is
reported at `NormText.span(s, e)` in the original, and `original[start:end]` is the item's text.

What happens, in order:
1. decode the bytes (UTF-8 with or without BOM; UTF-16 with a BOM; GB18030; Big5), naming the encoding;
2. split off YAML front matter into metadata; the `title:` value stays content;
3. drop what is not content: Markdown images, link targets, footnote markers, heading and quote markers,
   web-converter pinyin (`工場(chǎng)`), and characters lost to `?` (`正式?jīng)_刺`), which are reported;
4. fold full-width ASCII (digits, Latin letters, punctuation) and the ideographic space to half width;
5. convert traditional to simplified with OpenCC (phrase-aware `t2s`), keeping one character per character;
6. join lines that a PDF or a fixed-width export wrapped in the middle of a sentence.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import html
import operator
import re as _re
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import regex
import yaml

from pipeline.errors import DecodeError

# ----------------------------------------------------------------------------------------------
# decoding

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


# ----------------------------------------------------------------------------------------------
# the normalised text


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


class _Builder:
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


# ----------------------------------------------------------------------------------------------
# front matter

_FRONT = _re.compile(r"\A(?:\ufeff)?[ \t]*\r?\n?---[ \t]*\r?\n(.*?)^---[ \t]*$\r?\n?", _re.S | _re.M)


class _NoDatesLoader(yaml.SafeLoader):
    """Safe YAML that keeps timestamps as written (a `+08:00` date must not move to UTC)."""


_NoDatesLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _front_matter(original: str) -> tuple[dict[str, Any], int, tuple[int, int] | None, list[Note]]:
    """(metadata, body offset, title span in the original or None, notes)."""
    m = _FRONT.match(original)
    if not m:
        return {}, 0, None, []
    notes: list[Note] = []
    try:
        data = yaml.load(m.group(1), Loader=_NoDatesLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        notes.append(Note("front_matter_invalid", f"YAML front matter does not parse: {exc}".splitlines()[0],
                          m.start(1), m.end(1)))
        return {}, m.end(), None, notes
    if not isinstance(data, dict):
        notes.append(Note("front_matter_invalid", "YAML front matter is not a mapping", m.start(1), m.end(1)))
        return {}, m.end(), None, notes
    meta = _jsonable(data)
    title_span = None
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        # find the title's characters verbatim on its own `title:` line; quoted or folded titles that
        # do not appear verbatim stay metadata only
        tm = _re.search(r"^title:[ \t]*(['\"]?)(.*?)\1[ \t]*$", m.group(1), _re.M)
        if tm and tm.group(2) == title:
            title_span = (m.start(1) + tm.start(2), m.start(1) + tm.end(2))
    return meta, m.end(), title_span, notes


# ----------------------------------------------------------------------------------------------
# debris and markup

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = rf"[a-zü]{{0,6}}[{_TONED}][a-zü{_TONED}]{{0,6}}"  # a syllable: bounded, so scans stay linear
_CLEAN = regex.compile(
    rf"""
    (?=[!\[?(\#>*_<&\x1b\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ \t])  # where markup can start
    (?:
    (?P<image>!\[[^\]\n]{{0,500}}\]\([^)\n]{{0,2000}}\))
  | (?P<footnote>\[\^[^\]\n]{{1,50}}\]:?)
  | (?P<link>\[(?P<link_text>[^\]\n]{{1,500}})\]\((?:https?://|www\.|/|\#)[^)\s]{{0,2000}}\))
  | (?P<lost>\?{_PINYIN}\)(?P<stray>[\x40-\x7e](?=[^\x00-\x7f]))?(?P<swallowed>\p{{Han}}(?=[A-Za-z0-9]))?)
  | (?<=\p{{Han}})(?P<pinyin>\({_PINYIN}\))
  | (?P<heading>^[ \t]*\#{{1,6}}[ \t]+)
  | (?P<quote>^[ \t]*>[ \t]?)
  | (?P<emphasis>\*\*|__)
  | (?P<html_comment><!--.{{0,5000}}?-->)
  | (?P<html_code><(?P<code_tag>script|style)\b[^>]{{0,500}}>.{{0,100000}}?</(?P=code_tag)\s*>)
  | (?P<html_tag></?(?P<tag_name>[A-Za-z][A-Za-z0-9]{{0,15}})\b[^<>]{{0,500}}/?>)
  | (?P<html_entity>&(?:[A-Za-z]{{2,10}}|\#\d{{1,7}}|\#[xX][0-9A-Fa-f]{{1,6}});)
  | (?P<ansi>\x1b\[[0-9;?]{{0,20}}[A-Za-z])
  | (?P<control>[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+)
  | (?P<surrogate>[\ud800-\udfff])
    )
    """,
    regex.X | regex.M | regex.S,
)
# block-level HTML tags become line breaks, cells a space, everything else nothing
_HTML_BLOCK = frozenset("p div br tr li ul ol h1 h2 h3 h4 h5 h6 table thead tbody section article header footer "
                        "blockquote pre hr".split())
_HTML_CELL = frozenset({"td", "th"})

REPLACEMENT = "\ufffd"  # stands for characters lost to `?`; no rule matches across it


def _swallowed_ascii(ch: str) -> str | None:
    """The ASCII character hidden in a GBK trail byte (`虶` = CD 47 hides the `G` of GLM)."""
    try:
        b = ch.encode("gbk")
    except UnicodeEncodeError:
        return None
    if len(b) == 2 and 0x40 <= b[1] <= 0x7E:
        return chr(b[1])
    return None


def _clean(original: str, start: int, end: int, out: _Builder, notes: list[Note], counts: Counter) -> None:
    """Copy `original[start:end]` into `out`, dropping markup and converter debris."""
    pos = start
    for m in _CLEAN.finditer(original, start, end):
        out.copy(original, pos, m.start())
        pos = m.end()
        kind = m.lastgroup if m.lastgroup not in ("link_text", "stray", "swallowed") else None
        if m.group("link") is not None:
            out.copy(original, m.start("link_text"), m.end("link_text"))
            counts["link"] += 1
        elif m.group("lost") is not None:
            debris_end = m.end("stray") if m.group("stray") is not None else m.end("lost") - (
                len(m.group("swallowed") or ""))
            out.emit(REPLACEMENT, m.start(), debris_end)
            notes.append(Note("lost_character",
                              f"character(s) lost to '?' by a web converter: {original[m.start():debris_end]!r}",
                              m.start(), debris_end))
            swallowed = m.group("swallowed")
            if swallowed:
                hidden = _swallowed_ascii(swallowed)
                if hidden is not None:
                    out.emit(hidden, m.start("swallowed"), m.end("swallowed"))
                    notes.append(Note("recovered_character",
                                      f"{swallowed!r} is mojibake hiding {hidden!r}; kept {hidden!r}",
                                      m.start("swallowed"), m.end("swallowed")))
                else:
                    out.copy(original, m.start("swallowed"), m.end("swallowed"))
        elif m.group("html_tag") is not None:
            name = m.group("tag_name").lower()
            if name in _HTML_BLOCK:
                out.emit("\n", m.start(), m.end())
            elif name in _HTML_CELL:
                out.emit(" ", m.start(), m.end())
            counts["html"] += 1
        elif m.group("html_entity") is not None:
            out.emit(html.unescape(m.group()).replace("\xa0", " "), m.start(), m.end())
        elif m.group("surrogate") is not None:
            out.emit(REPLACEMENT, m.start(), m.end())
            notes.append(Note("lone_surrogate", "a lone surrogate code point (not text) was replaced",
                              m.start(), m.end()))
        else:
            for name in ("image", "footnote", "pinyin", "heading", "quote", "emphasis", "html_comment",
                         "html_code", "ansi", "control"):
                if m.group(name) is not None:
                    counts[name] += 1
                    break
            del kind
    out.copy(original, pos, end)


# ----------------------------------------------------------------------------------------------
# width folding and script conversion

_FOLD = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0xFFE5: 0xA5, 0xFFE0: 0xA2, 0xFFE1: 0xA3, 0x2212: 0x2D})


def fold_width(text: str) -> str:
    """Full-width ASCII and the ideographic space to half width; one character per character."""
    return text.translate(_FOLD)


@functools.lru_cache(maxsize=2)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """OpenCC `t2s` (phrases first, then characters), forced to keep one character per character.

    A line whose phrase conversion changes its length is converted character by character instead, so
    the offset map stays exact.
    """
    conv = _converter("t2s")
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


def detect_script(text: str, simplified: str) -> str:
    """simplified / traditional / mixed / unknown, from characters that exist in only one script.

    Characters that t2s changed are traditional; of the others, those s2t would change are simplified.
    s2t runs once per distinct character, not over the whole text."""
    trad = sum(map(operator.ne, text, simplified))
    distinct = "".join(sorted(ch for ch in set(simplified) if "\u4e00" <= ch <= "\u9fff"))
    as_trad = _converter("s2t").convert(distinct) if distinct else ""
    simp_only = {a for a, b in zip(distinct, as_trad) if a != b} if len(as_trad) == len(distinct) else set()
    counts = Counter(simplified)
    # a simplified-only character counts where it was written so (not where t2s produced it)
    simp = sum(counts[ch] for ch in simp_only) - sum(1 for a, b in zip(text, simplified) if a != b and b in simp_only)
    total = trad + simp
    if total < 3:
        return "unknown" if not _HAN.search(text) else "simplified"
    share = trad / total
    if share >= 0.8:
        return "traditional"
    if share <= 0.2:
        return "simplified"
    return "mixed"


# ----------------------------------------------------------------------------------------------
# wrapped lines

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
    return len(line) + len(_WIDE.findall(line))


_WIDE = regex.compile(r"[^\x00-\u2e7f]")


def _unwrap(text: str) -> list[int]:
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


# ----------------------------------------------------------------------------------------------


def normalise(original: str, *, encoding: str = "utf-8") -> NormText:
    """Normalise decoded article text. Never raises on content: problems become notes."""
    metadata, body_at, title_span, notes = _front_matter(original)
    counts: Counter = Counter()
    out = _Builder()
    body_start = 0
    if title_span is not None:
        _clean(original, title_span[0], title_span[1], out, notes, counts)
        out.emit("\n\n", title_span[1], title_span[1])
        body_start = len(out.text())
    _clean(original, body_at, len(original), out, notes, counts)

    raw = out.text()
    folded = fold_width(raw)
    simplified = to_simplified(folded)
    script = detect_script(folded, simplified)

    starts, ends = out.starts, out.ends
    drops = _unwrap(simplified)
    if drops:
        keep = bytearray(b"\x01") * len(simplified)
        for i in drops:
            keep[i] = 0
        simplified = "".join(ch for ch, k in zip(simplified, keep) if k)
        starts = array("l", (s for s, k in zip(starts, keep) if k))
        ends = array("l", (e for e, k in zip(ends, keep) if k))
        body_start -= sum(1 for i in drops if i < body_start)

    if counts["control"] or counts["ansi"]:
        notes.append(Note("control_characters_removed",
                          f"{counts['control'] + counts['ansi']} run(s) of control characters removed"))
    if counts["html"] or counts["html_code"]:
        notes.append(Note("html_removed", f"{counts['html'] + counts['html_code']} HTML tag(s) removed"))
    if counts["pinyin"]:
        notes.append(Note("pinyin_removed",
                          f"{counts['pinyin']} web-converter pinyin annotation(s) removed, e.g. 工場(chǎng)"))
    return NormText(
        original=original,
        text=simplified,
        starts=starts,
        ends=ends,
        encoding=encoding,
        script=script,
        metadata=metadata,
        notes=tuple(notes),
        body_start=body_start,
    )
