"""The entity stage as a spaCy pipeline, built once per process and settings.

The pipeline is spaCy's blank `zh` whose tokenizer is our own jieba segmenter (so the text is segmented
once, with our dictionary), plus two components declared below with their config:

1. `zhnews_ner`: our trained model (`pipeline.entity.model`, files in `models/ner/`) tags people,
   organisations and places; its spans go to `doc._.zh_model_spans`. It tags only the regions the Doc
   carries in `doc.user_data["zh_regions"]` (the stage passes the prose spans: long tables are skipped).
2. `zhnews_entities`: the rule matcher (`pipeline.entity.matcher`), which merges the model's spans with
   what the rules find by the one merge policy documented in `pipeline.entity` and the matcher.

Results are character spans in `doc._.zh_entities`; those that align with tokens are also set as
`doc.ents`.
"""

from __future__ import annotations

import bisect
import functools
import operator
from pathlib import Path

import pipeline.entity.spacy_import  # noqa: F401  (before spaCy: keeps thinc from importing PyTorch)

# isort: split
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.entity.matcher import EntityMatcher
from pipeline.entity.rules import read_listed
from pipeline.errors import ModelError
from pipeline.mention import Mention
from pipeline.resources import load_rules
from pipeline.settings import NER_MODES, Settings
from pipeline.text.segment import Segmenter, load_segmenter
from pipeline.version import MODELS_DIR

DEFAULT_MODEL = MODELS_DIR / "ner"

if not Doc.has_extension("zh_entities"):
    Doc.set_extension("zh_entities", default=None)
if not Doc.has_extension("zh_model_spans"):
    Doc.set_extension("zh_model_spans", default=None)


@Language.factory(
    "zhnews_ner",
    default_config={"model": None, "threads": 1},
    assigns=["doc._.zh_model_spans"],
)
def make_ner_component(nlp: Language, name: str, model: str | None, threads: int):
    return NerComponent(model or DEFAULT_MODEL, threads=threads)


class NerComponent:
    """spaCy component: our trained model's (start, end, label) spans in `doc._.zh_model_spans`.

    The model is loaded on the first Doc, once per process (`pipeline.entity.model.load_model`); a
    missing model folder is a configuration error raised when the pipeline is built."""

    def __init__(self, path: str | Path, threads: int = 1):
        self.path, self.threads = str(path), threads
        missing = [n for n in ("config.json", "vocab.npz", "model.onnx") if not (Path(path) / n).is_file()]
        if missing:
            raise ModelError(f"NER model folder {path} lacks {', '.join(missing)} (see models/ner/MODEL_CARD.md; "
                                    "`make train-ner` rebuilds it; ZHNEWS_NER_MODEL points elsewhere)")

    @property
    def model(self):
        from pipeline.entity.model import load_model

        return load_model(self.path, self.threads)

    def __call__(self, doc: Doc) -> Doc:
        found = self.model.predict(doc_text(doc), doc_tokens(doc), regions=doc.user_data.get("zh_regions"))
        doc._.zh_model_spans = [(s, e, label) for s, e, label, _ in found]
        return doc


@Language.factory(
    "zhnews_entities",
    default_config={"rules_dir": None, "segmenter": "jieba-next", "cache_dir": None},
    assigns=["doc.ents", "doc._.zh_entities"],
)
def make_entity_component(nlp: Language, name: str, rules_dir: str | None, segmenter: str, cache_dir: str | None):
    rules = load_rules(rules_dir)
    seg = load_segmenter(rules, segmenter, cache_dir)
    tokenizer = seg.tokenizer
    listed = read_listed(rules.directory / rules.entity.listed_companies) if rules.entity.listed_companies else ()
    return EntityComponent(rules.entity, freq=lambda w: tokenizer.FREQ.get(w, 0), proper=lambda: seg.proper_nouns,
                           dict_places=lambda: seg.place_nouns, listed=listed, dict_orgs=lambda: seg.org_nouns)


class EntityComponent:
    """spaCy component: character-level entity matching; sets `doc._.zh_entities` and `doc.ents`."""

    def __init__(self, entity_rules, freq=None, proper=None, dict_places=None, listed=(), dict_orgs=None):
        self.matcher = EntityMatcher(entity_rules, freq=freq, proper=proper, dict_places=dict_places, listed=listed,
                                     dict_orgs=dict_orgs)

    def __call__(self, doc: Doc) -> Doc:
        tokens = doc_tokens(doc)
        mentions = self.matcher(doc_text(doc), tokens, doc._.zh_model_spans, doc.user_data.get("zh_regions"))
        doc._.zh_entities = mentions
        set_ents(doc, mentions, tokens)
        return doc


def doc_tokens(doc: Doc) -> list[tuple[str, int, int]]:
    """(word, start, end) of every token: the segmenter's own, carried by a Doc `make_doc` built."""
    tokens = doc.user_data.get("zh_tokens")
    return tokens if tokens is not None else [(t.text, t.idx, t.idx + len(t.text)) for t in doc]


def doc_text(doc: Doc) -> str:
    """The Doc's text; `doc.text` would rebuild it from every token, a Doc `make_doc` built carries it."""
    return doc.user_data.get("zh_text") or doc.text


_start = operator.itemgetter(1)
_end = operator.itemgetter(2)


def set_ents(doc: Doc, mentions: list[Mention], tokens: list[tuple[str, int, int]]) -> None:
    """`doc.ents` for the mentions that start and end on token boundaries (spaCy spans are token spans)."""
    spans = []
    n = len(tokens)
    for m in mentions:
        # tokens are in text order: two binary searches, not a map of every token of the article
        i = bisect.bisect_left(tokens, m.start, key=_start)
        j = bisect.bisect_left(tokens, m.end, lo=i, key=_end)
        if i < n and j < n and tokens[i][1] == m.start and tokens[j][2] == m.end:
            spans.append(Span(doc, i, j + 1, label=m.fields["label"]))
    # set_ents with default="unmodified" leaves the other tokens alone; the `doc.ents = ...` setter
    # would walk every token of the article to mark it "outside", half the cost of this stage
    doc.set_ents(spans, default="unmodified")


class SegmenterTokenizer:
    """A spaCy tokenizer backed by our jieba segmenter (used when the pipeline is given raw text)."""

    def __init__(self, vocab, segmenter: Segmenter):
        self.vocab, self.segmenter = vocab, segmenter

    def __call__(self, text: str) -> Doc:
        return make_doc(self.vocab, self.segmenter.tokens(text))


_WORD = operator.itemgetter(0)


def make_doc(vocab, tokens: list[tuple[str, int, int]], regions: list[tuple[int, int]] | None = None) -> Doc:
    """A spaCy Doc from tokens that rebuild the text (whitespace runs are tokens of their own); the
    tokens ride along in `doc.user_data` so components need not walk the Doc to find offsets, and so do
    the `regions` the model tags (None: all of the text)."""
    words = list(map(_WORD, tokens))
    doc = Doc(vocab, words=words, spaces=[False] * len(words))
    doc.user_data["zh_tokens"] = tokens
    doc.user_data["zh_text"] = "".join(words)
    doc.user_data["zh_regions"] = regions
    return doc


def build_nlp(settings: Settings) -> Language:
    """The entity pipeline, built once per process and settings (cached): our model, then the rules,
    which merge the model's spans with their own."""
    return _build_nlp(str(settings.rules_dir), settings.ner_mode, settings.segmenter, str(settings.cache_dir),
                      str(settings.ner_model))


@functools.lru_cache(maxsize=4)
def _build_nlp(rules_dir: str, mode: str, segmenter: str, cache_dir: str, model: str) -> Language:
    import spacy

    if mode not in NER_MODES:
        raise ValueError(f"unknown entity mode {mode!r}; use one of {', '.join(NER_MODES)}")
    rules = load_rules(rules_dir)
    nlp = spacy.blank("zh")
    nlp.tokenizer = SegmenterTokenizer(nlp.vocab, load_segmenter(rules, segmenter, cache_dir))
    nlp.add_pipe("zhnews_ner", config={"model": model, "threads": 1})
    nlp.add_pipe("zhnews_entities", config={"rules_dir": rules_dir, "segmenter": segmenter, "cache_dir": cache_dir})
    return nlp


# spaCy keeps a lexeme and a string for every distinct token it has seen, for the life of the process: over a
# long run of new numbers and names that grows without end. Past this many lexemes the pipeline gets a fresh
# vocabulary (our components keep nothing in it; rebuilding the common words' lexemes is cheap once in a while).
# spaCy's own `memory_zone` frees them after every article instead, but recomputing the lexical attributes of
# each article's new words costs about 40 µs a word, every article.
VOCAB_LIMIT = 300_000


def bound_vocab(nlp: Language, limit: int | None = None) -> bool:
    """Replace the pipeline's vocabulary with a fresh one when it holds more than `limit` lexemes."""
    if len(nlp.vocab) <= (VOCAB_LIMIT if limit is None else limit):
        return False
    from spacy.vocab import Vocab

    old = nlp.vocab
    nlp.vocab = Vocab(lex_attr_getters=old.lex_attr_getters, writing_system=old.writing_system,
                      get_noun_chunks=old.get_noun_chunks)
    if hasattr(nlp.tokenizer, "vocab"):
        nlp.tokenizer.vocab = nlp.vocab
    return True


def extract_entity(nlp: Language, tokens: list[tuple[str, int, int]],
                   regions: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Entities of one article, from the tokens the segmenter already produced; the model tags only
    `regions` (None: everything)."""
    bound_vocab(nlp)
    doc = nlp(make_doc(nlp.vocab, tokens, regions))
    return list(doc._.zh_entities)
