"""What is not content: Markdown images, link targets, footnote markers, heading and quote markers, HTML,
web-converter pinyin (`工場(chǎng)`), characters lost to `?` (`正式?jīng)_刺`), control characters."""

from __future__ import annotations

import html
from collections import Counter

import regex

from pipeline.text.offsets import Builder, Note

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


def clean(original: str, start: int, end: int, out: Builder, notes: list[Note], counts: Counter) -> None:
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
