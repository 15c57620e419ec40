"""The registry: a family lives in its own room. Registering one is all it takes for its items to reach
the record, the JSON Schema, the SQL mention rows, the HTML view and the evaluator; and a rule file that
names a value shape its room does not know stops start-up with a message naming the file and the rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, select

from pipeline import registry
from pipeline.core import Pipeline
from pipeline.errors import RulesError
from pipeline.mention import find_candidates, resolve_candidates, select_longest
from pipeline.records import Item, article_model
from pipeline.render import render_html
from pipeline.resources import PatternSpec, Piece, Strict, check_shapes, load_rules
from pipeline.settings import Settings
from pipeline.store.sql import SqlSink, mentions

from conftest import ROOT

# ------------------------------------------------------------------------------------------------
# a throwaway family, declared here exactly as a room declares one


class Colour(Item):
    hex: str


class ColourRules(Strict):
    family: str
    colours: dict[str, str]
    pieces: dict[str, Piece]
    patterns: list[PatternSpec]


class CompiledColour:
    def __init__(self, spec: ColourRules, rules):
        check_shapes("colour", spec.patterns, RESOLVERS)
        self.colours = spec.colours
        self.patterns = rules.compile_patterns("colour", spec.patterns, rules.pieces(spec.pieces, "colour"))


def _resolve(c, ctx, rules):
    from pipeline.mention import Mention

    return Mention("colour", c.rule.id, c.start, c.end, {"hex": rules.colours[c.group("name")]})


RESOLVERS = {"colour_word": _resolve}

COLOUR_FAMILY = registry.Family(
    name="colour", field="colours", item=Colour, order=99, rank=99, title="Colour",
    columns={"value": "hex"}, colours={"colours": "#cccccc"}, detail=lambda i: f"colour {i['hex']}",
    keys=("hex",))
COLOUR_STAGE = registry.Stage(
    name="colour", order=99, families=("colour",), schema=ColourRules, compile=CompiledColour,
    run=lambda ctx, rules, found: select_longest(resolve_candidates(
        find_candidates(ctx, rules.patterns), RESOLVERS, ctx, rules)))

COLOUR_RULES = {
    "family": "colour",
    "colours": {"红色": "#ff0000", "蓝色": "#0000ff"},
    "pieces": {"colour_name": {"any_of": ["colour.colours"]}},
    "patterns": [{"id": "colour.word", "resolve": "colour_word", "regex": "(?P<name>{colour_name})"}],
}


@pytest.fixture()
def rules_dir(tmp_path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", target)
    return target


@pytest.fixture()
def colour_family(rules_dir):
    (rules_dir / "colour.yaml").write_text(yaml.safe_dump(COLOUR_RULES, allow_unicode=True), encoding="utf-8")
    registry.register(families=(COLOUR_FAMILY,), stages=(COLOUR_STAGE,))
    try:
        yield rules_dir
    finally:
        registry.unregister("colour")
    assert "colours" not in article_model().model_fields  # the record is back to the registered rooms


def test_a_registered_family_flows_through_records_sql_and_html(colour_family, tmp_path):
    pipe = Pipeline(Settings(rules_dir=colour_family))
    text = "公司推出红色新款,募资约28亿港元。"
    record = pipe(text)
    assert [(c.text, c.hex, c.rule) for c in record.colours] == [("红色", "#ff0000", "colour.word")]
    assert [m.value for m in record.money] and record.entities == []
    assert "Colour" in type(record).model_json_schema()["$defs"]
    assert type(record).model_validate_json(record.model_dump_json()) == record

    db = tmp_path / "z.db"
    sink = SqlSink(f"sqlite:///{db}")
    sink.write([record])
    sink.commit()
    with create_engine(f"sqlite:///{db}").connect() as conn:
        rows = conn.execute(select(mentions.c.family, mentions.c.text, mentions.c.value)
                            .where(mentions.c.family == "colour")).all()
    assert rows == [("colour", "红色", "#ff0000")]

    page = render_html(text, record)
    assert '<mark class="colours" title="colour #ff0000 · colour.word">红色</mark>' in page
    assert "mark.colours { background: #cccccc; }" in page


def test_an_unknown_value_shape_stops_start_up_naming_file_and_rule(rules_dir):
    money = yaml.safe_load((rules_dir / "money.yaml").read_text(encoding="utf-8"))
    money["patterns"][2]["resolve"] = "amout"  # a typo
    (rules_dir / "money.yaml").write_text(yaml.safe_dump(money, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulesError, match=r"rules/money\.yaml: rule money\.compound declares resolve: 'amout'"):
        load_rules(rules_dir)


def test_an_unknown_piece_stops_start_up(rules_dir):
    pct = yaml.safe_load((rules_dir / "percent.yaml").read_text(encoding="utf-8"))
    pct["patterns"][0]["regex"] = "{no_such_piece}%"
    (rules_dir / "percent.yaml").write_text(yaml.safe_dump(pct, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulesError, match=r"percent\.yaml: pattern percent\.range uses unknown piece"):
        load_rules(rules_dir)


def test_a_piece_that_refers_to_itself_stops_start_up(rules_dir):
    pieces = yaml.safe_load((rules_dir / "pieces.yaml").read_text(encoding="utf-8"))
    pieces["pieces"]["number"] = "(?:{arabic}|{number})"
    (rules_dir / "pieces.yaml").write_text(yaml.safe_dump(pieces, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulesError, match="refers to itself"):
        load_rules(rules_dir)


def test_every_pattern_declares_a_shape_its_room_resolves():
    rules = load_rules()
    for stage in registry.stages():
        for pattern in getattr(rules.compiled[stage.name], "patterns", ()):
            assert pattern.resolve, pattern.id


def test_no_stage_reads_the_environment():
    """Configuration comes in one validated `Settings`; only `pipeline/settings.py` reads `os.environ`
    (and the CLI sets Prefect's own variables)."""
    readers = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pipeline").rglob("*.py")
                     if "os.environ" in p.read_text(encoding="utf-8") or "getenv(" in p.read_text(encoding="utf-8"))
    # the CLI and the local Prefect server's launcher set up processes; neither is a stage
    assert readers == ["pipeline/cli.py", "pipeline/serverctl.py", "pipeline/settings.py"]
