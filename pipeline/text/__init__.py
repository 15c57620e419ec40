"""The text room: bytes to a clean simplified half-width text with an offset map, and its tokens.

decode (`decode`) -> front matter (`frontmatter`) -> markup and debris (`markup`) -> width and script
(`script`) -> wrapped lines (`layout`) -> `NormText` (`offsets`); `normalise` runs them in order, and
`segment` owns the jieba tokenizer.
"""

from pipeline.text.decode import decode_bytes, doc_id
from pipeline.text.normalise import normalise
from pipeline.text.offsets import NormText, Note
from pipeline.text.script import fold_width, to_simplified

__all__ = ["NormText", "Note", "decode_bytes", "doc_id", "fold_width", "normalise", "to_simplified"]
