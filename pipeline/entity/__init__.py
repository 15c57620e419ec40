"""The entity room: people, organisations and places, each with a canonical simplified `norm`.

`model.py` (zhnews' own trained character tagger, `models/ner/`: features, ONNX encoder, CRF decoding) ->
`rules.py` (the gazetteers and cues of `rules/entity.yaml`) -> `matcher.py` (the rule matcher, which
merges the model's spans with its own by one documented policy) -> `components.py` (the spaCy pipeline:
the model component, then the rule component, on the segmenter's tokens).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pipeline.entity.rules import EntityRules
from pipeline.mention import Mention
from pipeline.records import Item
from pipeline.registry import Family, Stage, register

EntityLabel = Literal["PERSON", "ORG", "GPE"]


class Entity(Item):
    label: EntityLabel = Field(description="PERSON, ORG or GPE (a place: country, region, city)")
    norm: str = Field(description="canonical simplified form; aliases share one norm")
    kind: str | None = Field(None, description="company, exchange, regulator, investor, research, media, "
                                               "auditor, university, international (联合国, 世界银行), person, place, ... "
                                               "when known")


def setup(rules, settings):
    from pipeline.entity.components import build_nlp

    return build_nlp(settings)


def extract_entity(nlp, tokens: list[tuple[str, int, int]], regions=None) -> list[Mention]:
    """Entities of one article, from the tokens the segmenter already produced; the model tags only
    `regions` (None: all of the text). See `pipeline.entity.components.extract_entity`."""
    from pipeline.entity.components import extract_entity as run_nlp

    return run_nlp(nlp, tokens, regions)


def run(ctx, nlp, found) -> list[Mention]:
    # the model reads prose: tables of SKIP_TABLES_FROM characters or more are left to the gazetteer
    mentions = extract_entity(nlp, ctx.tokens, ctx.prose_spans)
    matcher = nlp.get_pipe("zhnews_entities").matcher
    return matcher.regional(ctx.norm.text, mentions, ctx.region)


register(
    families=(Family(name="entity", field="entities", item=Entity, order=10, rank=70, title="Entity",
                     columns={"unit": "label", "norm": "norm", "kind": "kind"},
                     colours={"PERSON": "#EE8866", "ORG": "#77AADD", "GPE": "#BBCC33"},
                     css_class=lambda i: i["label"], detail=lambda i: f"{i['label']}: {i['norm']}",
                     keys=("label",), secondary=("norm",), labels=("PERSON", "ORG", "GPE")),),
    stages=(Stage(name="entity", order=10, families=("entity",), run=run, schema=EntityRules, setup=setup,
                  user_words=lambda rules: rules.entity.user_words()),),
)
