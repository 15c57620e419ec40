"""The schema of `rules/entity.yaml`: gazetteer entries and the cues of the pattern rules."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal, NamedTuple

import regex
from pydantic import Field, model_validator

from pipeline.errors import RulesError
from pipeline.resources import Strict


class EntityEntry(Strict):
    norm: str
    label: Literal["PERSON", "ORG", "GPE"]
    kind: str
    aliases: list[str] = Field(min_length=1)


class EntityRules(Strict):
    family: str
    entries: list[EntityEntry]
    token_only: list[str]
    aliases_also_words: list[str] = Field(default_factory=list)
    titles_before: list[str]
    titles_after: list[str]
    bylines: list[str]
    surnames: str
    compound_surnames: list[str]
    org_suffixes_strong: list[str]
    org_suffixes_weak: list[str]
    org_suffixes_industry: list[str] = Field(default_factory=list)
    org_suffixes_trade: list[str] = Field(default_factory=list)
    org_trade_not_heads: list[str] = Field(default_factory=list)
    org_weak_max_freq: int
    org_generic_heads: list[str]
    org_kind_heads: list[str] = Field(default_factory=list)
    org_stop: list[str]
    places: dict[str, list[str]]
    place_suffixes: list[str]
    place_suffixes_of: dict[str, list[str]] = Field(default_factory=dict)
    place_suffix_not_before: dict[str, list[str]]
    org_not_after_head: str
    org_kind_suffixes: dict[str, list[str]] = Field(default_factory=dict)
    gpe_abbreviations: dict[str, str] = Field(default_factory=dict)
    gpe_abbreviations_paired: dict[str, str] = Field(default_factory=dict)
    gpe_abbreviation_not_before: list[str] = Field(default_factory=list)
    model_place_not_heads: list[str] = Field(default_factory=list)
    org_generic_nouns: list[str] = Field(default_factory=list)
    model_not_names: list[str] = Field(default_factory=list)
    org_generic_latin: list[str] = Field(default_factory=list)
    org_description_words: list[str] = Field(default_factory=list)
    org_suffixes_place_headed: list[str] = Field(default_factory=list)
    org_unit_suffixes: list[str] = Field(default_factory=list)
    org_branch_units: list[str] = Field(default_factory=list)
    org_roles_after: list[str] = Field(default_factory=list)
    official_titles: list[str] = Field(default_factory=list)
    model_org_cut_after: list[str] = Field(default_factory=list)
    model_org_cut_before: list[str] = Field(default_factory=list)
    model_org_organs: list[str] = Field(default_factory=list)
    model_org_index_words: list[str] = Field(default_factory=list)
    model_org_sector_stock: str = ""
    stock_word_continuations: str = ""
    company_cues_after: list[str] = Field(default_factory=list)
    person_not_before: list[str] = Field(default_factory=list)
    stock_move_not_names: list[str] = Field(default_factory=list)
    stock_move_not_words: list[str] = Field(default_factory=list)
    market_not_companies: list[str] = Field(default_factory=list)
    # a tab-separated file beside this one: the listed companies' short names (`read_listed`)
    listed_companies: str | None = None
    listed_ambiguous_heads: list[str] = Field(default_factory=list)
    listed_name_goes_on: list[str] = Field(default_factory=list)
    generic_body_after: list[str] = Field(default_factory=list)
    regional_aliases: dict[str, dict[str, str]] = Field(default_factory=dict)
    latin_org_after_words: list[str] = Field(default_factory=list)
    latin_acronym_after_words: list[str] = Field(default_factory=list)
    latin_org_before_words: list[str] = Field(default_factory=list)
    latin_company_words: list[str] = Field(default_factory=list)
    latin_not_names: list[str] = Field(default_factory=list)
    org_before_title_not: list[str] = Field(default_factory=list)
    org_before_title_skip_roles: list[str] = Field(default_factory=list)
    person_not_last: str = ""
    described_org_before: list[str] = Field(default_factory=list)
    org_stop_before_legal_form: list[str] = Field(default_factory=list)
    described_org_after: list[str] = Field(default_factory=list)
    defined_not_names: list[str] = Field(default_factory=list)
    model_org_adverbs: list[str] = Field(default_factory=list)
    report_source_before: list[str] = Field(default_factory=list)
    report_source_after: list[str] = Field(default_factory=list)
    legal_form_brackets: list[str] = Field(default_factory=list)
    org_acts_after: list[str] = Field(default_factory=list)
    place_name_max_freq: int = 0
    place_name_not_ends: list[str] = Field(default_factory=list)
    place_government_endings: list[str] = Field(default_factory=list)
    suffix_not_before: dict[str, list[str]] = Field(default_factory=dict)
    country_org_heads: list[str] = Field(default_factory=list)
    kind_before_name: list[str] = Field(default_factory=list)
    rank_kinds: list[str] = Field(default_factory=list)
    model_org_facility_words: list[str] = Field(default_factory=list)
    model_org_facility_verbs: list[str] = Field(default_factory=list)
    common_words: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _suffixes_of_known_places(self):
        unknown = sorted(set(self.place_suffixes_of) - set(self.places))
        if unknown:
            raise ValueError(f"place_suffixes_of names no list of places: {', '.join(unknown)}")
        return self

    @functools.cached_property
    def all_entries(self) -> tuple[EntityEntry, ...]:
        """The gazetteer entries plus one GPE entry per listed place not already in an entry (built once)."""
        known = {a for e in self.entries for a in e.aliases}
        out = list(self.entries)
        for category, names in self.places.items():
            suffixes = self.place_suffixes_of.get(category, self.place_suffixes)
            for name in names:
                if name in known:
                    continue
                aliases = [name] + [name + suffix for suffix in suffixes if name + suffix not in known]
                out.append(EntityEntry(norm=name, label="GPE", kind="place", aliases=aliases))
                known.update(aliases)
        return tuple(out)

    def user_words(self) -> list[str]:
        """Every gazetteer alias, title, organisation suffix and common word of financial news: the segmenter
        keeps them whole (稳盛|金控, not 稳盛金|控以; 增持|明辉电子) and knows them as words."""
        words = {a for entry in self.all_entries for a in entry.aliases if not a.isascii()}
        words.update(w for w in self.titles_before if not w.isascii())
        words.update(self.common_words)
        words.update(w for w in (*self.org_suffixes_strong, *self.org_suffixes_weak, *self.org_suffixes_industry,
                                 *self.org_suffixes_trade) if len(w) >= 2)
        return sorted(words)


class Listed(NamedTuple):
    """A listed company's short name as its exchange publishes it, and the form zhnews matches."""

    exchange: str
    code: str
    listed: str  # as listed: *ST九鼎, 万科Ａ, 台積電
    form: str  # normalised, without passing status marks or a share-class letter: *ST九鼎, 万科, 台积电

    @property
    def norm(self) -> str:
        """The name without a risk mark: 九鼎 for *ST九鼎."""
        return _RISK_MARK.sub("", self.form)

    @property
    def marked(self) -> bool:
        return _RISK_MARK.match(self.form) is not None


_RISK_MARK = regex.compile(r"^(?:S?\*?ST|SST)")


@functools.lru_cache(maxsize=4)
def read_listed(path: str | Path) -> tuple[Listed, ...]:
    """The rows of `rules/listed_companies.tsv` (exchange, code, listed name, matched form; `#` lines are
    comments). Its data recipe is `tools/make_listed.py`."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RulesError(f"listed companies: cannot read {path}: {exc}") from exc
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 4 or not all(cells):
            raise RulesError(f"{path}:{n}: want 4 tab-separated cells (exchange, code, name, form), got {line!r}")
        out.append(Listed(*cells))
    return tuple(out)
