#!/usr/bin/env python3
"""The regional character variants of rules/region.yaml (`variants.taiwan`, `variants.hong_kong`), from
OpenCC's own configurations: a character is Taiwan's (Hong Kong's) where OpenCC `s2tw` (`s2hk`) writes it
for a simplified character and that differs from the standard `s2t` form and from the other region's
(著 and 裡 are Taiwan's; 説, 税, 户, 衞 Hong Kong's). Characters both regions' press write alike are left out
(`variants.exclude`). Computed here, once, so the pipeline need not load the s2tw / s2hk dictionaries
(about 40 MB) at run time; tests/test_region.py checks the lists against OpenCC.

    .venv/bin/python tools/region_variants.py        # prints the two lists, to paste into rules/region.yaml
"""

from __future__ import annotations

import opencc
import yaml


def variants(exclude: set[str] = frozenset()) -> dict[str, list[str]]:
    t2s, s2t, s2tw, s2hk = (opencc.OpenCC(c) for c in ("t2s", "s2t", "s2tw", "s2hk"))
    out: dict[str, list[str]] = {"taiwan": [], "hong_kong": []}
    for cp in range(0x4E00, 0x9FA6):
        simp = chr(cp)
        if t2s.convert(simp) != simp or simp in exclude:
            continue
        std, tw, hk = s2t.convert(simp), s2tw.convert(simp), s2hk.convert(simp)
        if tw != std and tw != hk and tw not in exclude and len(tw) == 1:
            out["taiwan"].append(tw)
        if hk != std and hk != tw and hk not in exclude and len(hk) == 1:
            out["hong_kong"].append(hk)
    return out


if __name__ == "__main__":
    rules = yaml.safe_load(open("rules/region.yaml", encoding="utf-8"))
    found = variants(set(rules["variants"]["exclude"]))
    for region, chars in found.items():
        print(f"  {region}: [{', '.join(chars)}]")
