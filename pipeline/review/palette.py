"""The review page's colours: Paul Tol's "light" scheme (designed for filling areas behind black text and
tested for colour-blind readers), plus a cue that is not a colour at all: each family draws its spans with
its own outline (underline style, or a box for cells and codes) and every span carries a label with the
family's name. Colour helps, but nothing depends on it: greyscale print and every kind of colour
blindness keep the outline and the label.

Keyed by family name and colour class (the registry's `colours` keys); a family or class not listed here
keeps the registry's colour with a plain underline, so a new family is drawn before anyone picks a colour
for it (see staging/issue19/NOTES.md for the proposed registry values).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Paul Tol, "light" qualitative scheme: https://personal.sron.nl/~pault/#sec:qualitative
TOL_LIGHT = {
    "light_blue": "#77AADD", "orange": "#EE8866", "light_yellow": "#EEDD88", "pink": "#FFAABB",
    "light_cyan": "#99DDFF", "mint": "#44BB99", "pear": "#BBCC33", "olive": "#AAAA00", "pale_grey": "#DDDDDD",
}
WARNING = "#CC3311"  # Tol "vibrant" red: warnings (wavy underline + a ⚠ label), never a family colour
FOCUS = "#000000"    # the span a table row points at: a black outline, whatever the reader's colour vision

SHAPES = ("underline", "box")
"""`underline`: a bottom border under the span; `box`: a border all round (cells, codes)."""
LINES = ("solid", "double", "dashed", "dotted")


@dataclass(frozen=True)
class Style:
    background: str
    line: str = "solid"       # one of LINES
    shape: str = "underline"  # one of SHAPES

    @property
    def edge(self) -> str:
        """The border and label colour: the background darkened to about a third of its lightness."""
        return darken(self.background, 0.62)


# family name -> colour class -> style. Each (colour, line, shape) is unique; where two classes share a
# colour (Tol's light scheme has nine), they differ in shape and line.
PALETTE: dict[str, dict[str, Style]] = {
    "entity": {
        "ORG": Style(TOL_LIGHT["light_blue"]),
        "PERSON": Style(TOL_LIGHT["orange"]),
        "GPE": Style(TOL_LIGHT["pear"]),
    },
    "money": {"money": Style(TOL_LIGHT["light_yellow"], "double")},
    "exchange_rate": {"exchange_rates": Style(TOL_LIGHT["olive"], "double")},
    "percent": {"percentages": Style(TOL_LIGHT["pink"], "dotted")},
    "date": {"dates": Style(TOL_LIGHT["light_cyan"], "dashed")},
    "share": {"shares": Style(TOL_LIGHT["mint"], "dotted", "box")},
    "stock_code": {"stock_codes": Style(TOL_LIGHT["olive"], "solid", "box")},
    "table": {"table_items": Style(TOL_LIGHT["pale_grey"], "dashed", "box")},
}

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
FALLBACK = "#DDDDDD"


def style_for(family: str, cls: str, registry_colour: str | None) -> Style:
    """The style of one colour class: ours when listed, else the registry's colour (if it is a plain
    #rgb / #rrggbb colour; anything else could smuggle CSS into the page) with a solid underline."""
    got = PALETTE.get(family, {}).get(cls)
    if got is not None:
        return got
    colour = registry_colour if registry_colour and _HEX.match(registry_colour) else FALLBACK
    return Style(colour)


def rgb(colour: str) -> tuple[int, int, int]:
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def darken(colour: str, amount: float) -> str:
    r, g, b = rgb(colour)
    return "#{:02x}{:02x}{:02x}".format(*(round(c * (1 - amount)) for c in (r, g, b)))


# ----------------------------------------------------------------------------------------------
# colour-vision checks (used by the tests): Machado, Oliveira & Fernandes (2009), severity 1.0, applied in
# linear RGB; differences as CIE76 ΔE in CIELAB (D65).

CVD = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protan": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deutan": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritan": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
    "grey": ((0.2126, 0.7152, 0.0722),) * 3,
}


def _linear(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def lab(colour: str, vision: str = "normal") -> tuple[float, float, float]:
    lin = [_linear(c) for c in rgb(colour)]
    lin = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, lin)))) for row in CVD[vision]]
    r, g, b = lin
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116  # noqa: E731
    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str, vision: str = "normal") -> float:
    return sum((p - q) ** 2 for p, q in zip(lab(a, vision), lab(b, vision))) ** 0.5
