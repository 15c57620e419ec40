"""The one module of training/ that imports `pipeline.*`: the normaliser, the segmenter and the entity
rules, so that the model is trained on exactly what the pipeline feeds it at run time."""

from __future__ import annotations

import functools


def normalise(text: str) -> tuple[str, list[int], list[int]]:
    """The pipeline's normalised text of `text`, with the original span `[starts[i], ends[i])` of each
    normalised character."""
    from pipeline.text.normalise import normalise as run

    nt = run(text)
    return nt.text, list(nt.starts), list(nt.ends)


@functools.lru_cache(maxsize=1)
def _segmenter():
    from pipeline.resources import load_rules
    from pipeline.text.segment import load_segmenter

    return load_segmenter(load_rules())


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) triples from the project's own jieba segmenter with today's rules, as the pipeline
    cuts at run time (what the dev figures are scored with)."""
    return _segmenter().tokens(text)


def segmenter_words() -> list[str]:
    """The words today's rules give the segmenter (`Rules.user_words`)."""
    from pipeline.resources import load_rules

    return load_rules().user_words()


@functools.lru_cache(maxsize=2)
def _pinned_segmenter(words: tuple[str, ...]):
    from pipeline.text.segment import Segmenter

    return Segmenter(list(words))


class Resources:
    """What a model is trained on besides the data: the lexicon its features read and the words its
    training segmenter keeps whole. Both come from `rules/` (`from_rules`) or from a trained model's
    config.json (`from_model`), so a retrain of a shipped model sees what it saw however `rules/` has grown
    since: the rules' lexicon is bundled with the model, and jieba word boundaries are a feature."""

    def __init__(self, lexicon: dict, words: list[str], source: str):
        self.lexicon, self.words, self.source = lexicon, sorted(words), source

    @classmethod
    def from_rules(cls) -> Resources:
        return cls(lexicon(), segmenter_words(), "rules/")

    @classmethod
    def from_model(cls, folder) -> Resources:
        import json
        from pathlib import Path

        path = Path(folder) / "config.json"
        config = json.loads(path.read_text(encoding="utf-8"))
        if "lexicon" not in config or "segmenter_words" not in config:
            raise ValueError(f"{path} records no lexicon or segmenter words: retrain it from rules/ "
                             "(--resources rules)")
        return cls(config["lexicon"], config["segmenter_words"], str(folder))

    @functools.cached_property
    def segmenter(self):
        """The jieba segmenter with these words (built once: a training run cuts tens of thousands of sentences)."""
        return _pinned_segmenter(tuple(self.words))

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        """(word, start, end) triples from the jieba segmenter with these words."""
        return self.segmenter.tokens(text)


def lexicon() -> dict:
    """The entity resources the model's features use, from today's rules, as plain JSON-able data (bundled
    with the model, so the runtime needs nothing from `rules/`)."""
    import pipeline.entity  # noqa: F401 - registers the entity rule file
    from pipeline.resources import load_rules

    e = load_rules().entity
    return {
        "gazetteer": sorted({(a, x.label) for x in e.all_entries for a in x.aliases}),
        "token_only": sorted(e.token_only),
        "titles_before": sorted(e.titles_before),
        "titles_after": sorted(e.titles_after),
        "org_suffixes_strong": sorted(e.org_suffixes_strong),
        "org_suffixes_weak": sorted(e.org_suffixes_weak),
        "surnames": e.surnames,
        "compound_surnames": sorted(e.compound_surnames),
    }


def build_nlp():
    """The pipeline's spaCy + jieba entity pipeline (for memory measurements next to our model)."""
    from pipeline.core import default_settings
    from pipeline.entity.components import build_nlp as build

    return build(default_settings())
