"""The region room: the article's market region (mainland, Hong Kong, Taiwan, Macau, Singapore, Malaysia),
which decides what a bare 元, 块, 蚊, 角, 分, 仙 and $ mean in it.

Before any stage runs (`prepare`), `detect.py` scores the article's own signals (`rules/region.yaml`) and
sets on the context the region, where it came from, its evidence, and `units`: the currency of a bare
local unit and of a bare $, and how it was decided (`region`, `default` when no region is known and the
fallback applies, with a warning `region_unknown` in traditional script, where it is least likely;
`unresolved` when rival regions leave it open, with a warning `region_ambiguous`). A caller's region (`--region`, a JSONL
`region` field, a feed setting) wins; detection still runs, and a disagreement becomes a warning.
The room has no items of its own: the record carries `region`, `region_from` and `region_evidence`.
"""

from __future__ import annotations

from pipeline.region.detect import Detection, Evidence, detect
from pipeline.region.rules import CompiledRegion, RegionRules
from pipeline.registry import Stage, register

REGION_SOURCES = ("argument", "input", "feed", "signals")


def _label(region: str | None) -> str:
    return (region or "none").replace("_", " ")


def prepare(ctx, rules: CompiledRegion) -> None:
    found: Detection = detect(ctx.norm, rules)
    ctx.region_evidence = list(found.evidence)
    if ctx.region is not None:  # fixed by the caller
        if found.region is not None and found.region != ctx.region:
            first = next((e for e in found.evidence if e.region == found.region and e.start is not None), None)
            if first is not None:
                ctx.warn("region_disagrees", f"the region was given as {_label(ctx.region)}, but the article's "
                         f"signals say {_label(found.region)} ({first.signal}, …)", first.start, first.end)
        region = ctx.region
    else:
        region = found.region
        ctx.region = region
        ctx.region_from = "signals" if region else None
    if region is not None:
        info = rules.regions[region]
        ctx.units = {"currency": info.currency, "dollar": info.dollar,
                     "from": "region" if info.currency else "unresolved",
                     "warning": None if info.currency else "region_currency_unknown",
                     "why": f"the article's region is {_label(region)}, whose local 元 is not one currency"}
    elif found.status == "ambiguous":
        rivals = sorted(found.scores.items(), key=lambda rv: -rv[1])
        ctx.units = {"currency": None, "dollar": None, "from": "unresolved", "warning": "region_ambiguous",
                     "why": "the article's signals name rival regions (" + ", ".join(
                         f"{_label(r)} {s:g}" for r, s in rivals if s > 0) + "): a bare 元 is left without a currency"}
    else:  # the fallback; said in a warning where it is the least likely reading: traditional script
        traditional = ctx.norm.script in ("traditional", "mixed")
        ctx.units = {"currency": rules.fallback, "dollar": "USD", "from": "default",
                     "warning": "region_unknown" if traditional else None,
                     "why": f"a traditional-script article with no region signal: a bare 元 is read as "
                            f"{rules.fallback}, the fallback"}


def known_regions(rules) -> tuple[str, ...]:
    """The region names a caller may give (`rules/region.yaml`)."""
    return tuple(rules.compiled["region"].regions)


register(stages=(Stage(name="region", order=5, families=(), run=lambda ctx, rules, found: [], schema=RegionRules,
                       compile=CompiledRegion, prepare=prepare),))

__all__ = ["Detection", "Evidence", "REGION_SOURCES", "detect", "known_regions", "prepare"]
