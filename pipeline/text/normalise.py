"""Normalisation: bytes in, one clean simplified half-width text with an offset map out.

Every later stage works on `NormText.text` (see `pipeline.text.offsets` for the offset map).

What happens, in order:
1. decode the bytes (`pipeline.text.decode`), naming the encoding and warning about any guess;
   NUL characters are removed from the decoded text, with a warning: PostgreSQL cannot store them, and
   the record's offsets index this NUL-free text (`NormText.original`);
2. split off YAML front matter into metadata; the `title:` value stays content;
3. drop what is not content: Markdown images, link targets, footnote markers, heading and quote markers,
   web-converter pinyin (`工場(chǎng)`), and characters lost to `?` (`正式?jīng)_刺`), which are reported;
4. fold full-width ASCII (digits, Latin letters, punctuation) and the ideographic space to half width;
5. convert traditional to simplified with OpenCC (phrase-aware `t2s`), keeping one character per character;
6. join lines that a PDF or a fixed-width export wrapped in the middle of a sentence.
"""

from __future__ import annotations

from array import array
from collections import Counter
from itertools import compress

from pipeline.text.frontmatter import front_matter
from pipeline.text.layout import unwrap
from pipeline.text.markup import clean
from pipeline.text.offsets import Builder, NormText, Note
from pipeline.text.script import detect_script, fold_width, to_simplified


def normalise(original: str, *, encoding: str = "utf-8", notes: tuple[Note, ...] = ()) -> NormText:
    """Normalise decoded article text. Never raises on content: problems become notes (`notes`: those the
    decoder already raised)."""
    decoder_notes = list(notes)
    nul = original.count("\x00")
    if nul:
        original = original.replace("\x00", "")
        decoder_notes.append(Note("nul_removed", f"{nul} NUL character(s) removed from the text"))
    metadata, body_at, title_span, notes = front_matter(original)
    notes = decoder_notes + notes
    counts: Counter = Counter()
    out = Builder()
    body_start = 0
    if title_span is not None:
        clean(original, title_span[0], title_span[1], out, notes, counts)
        out.emit("\n\n", title_span[1], title_span[1])
        body_start = len(out.text())
    clean(original, body_at, len(original), out, notes, counts)

    raw = out.text()
    folded = fold_width(raw)
    simplified = to_simplified(folded)
    script = detect_script(folded, simplified)

    starts, ends = out.starts, out.ends
    drops = unwrap(simplified)
    if drops:
        keep = bytearray(b"\x01") * len(simplified)
        for i in drops:
            keep[i] = 0
        simplified = "".join(compress(simplified, keep))
        starts = array("l", compress(starts, keep))
        ends = array("l", compress(ends, keep))
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
