"""APP-6 symbols as SVG, drawn at build time with milsymbol from checked codes (geo/sidc.py): one
definition per distinct symbol in the page, used by the markers, the legend and the KMZ icons.

Record text never enters a symbol: the SVG is milsymbol's drawing of a code that geo/sidc.py has
checked digit by digit (or derived), and the page parses it as SVG data, not as HTML.
"""
from __future__ import annotations

import re
from functools import cache
from typing import Any

import geopandas as gpd
from milsymbol import Symbol as Drawn

from geo.sidc import Symbol, derive, lookup_key

SIZE = 22  # milsymbol's size: a unit frame is 1.5 times this many pixels wide
ANTICIPATED = "8,12"  # milsymbol.js's dash for a planned (anticipated) frame, in frame units
# The country roles of a map file, as the affiliation its records take unless they give their own.
ROLE_AFFILIATIONS = {"host": "friend", "ally": "friend", "partner": "friend", "venue": "neutral",
                     "adversary": "hostile", "other": "unknown", "named": "unknown"}
_FRAME = re.compile(r"<path ")


def marked(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The records drawn as markers, which carry a symbol; headcounts stay proportional circles."""
    return frame[(frame["kind"] != "deployment") | frame["troops"].isna()]


def assign(frame: gpd.GeoDataFrame, roles: dict[str, str]) -> tuple[gpd.GeoDataFrame, list[Symbol]]:
    """The frame with a ``symbol`` column (each marker's code, None for others) and the distinct symbols
    in first-use order. A record's affiliation defaults to its country's role on the map (friend
    unless the map makes the country a venue, neutral, or merely named, unknown)."""
    chosen: dict[str, Symbol] = {}
    codes: list[str | None] = [None] * len(frame)
    drawn = set(marked(frame).index)
    for n, (index, row) in enumerate(frame.iterrows()):
        if index not in drawn:
            continue
        side = ROLE_AFFILIATIONS.get(roles.get(row.get("country") or "", ""), "friend")
        symbol = derive({k: (None if _missing(v) else v) for k, v in row.items()}, side)
        if symbol is not None:
            known = chosen.setdefault(symbol.code, symbol)
            if symbol.words not in known.words.split(" or "):
                chosen[symbol.code] = Symbol(symbol.code, f"{known.words} or {symbol.words[0].lower()}{symbol.words[1:]}")
            codes[n] = symbol.code
    out = frame.copy()
    out["symbol"] = codes
    return out, list(chosen.values())


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


@cache
def svg(code: str, size: float = SIZE) -> str:
    """The symbol's SVG as milsymbol draws it, with a planned code's frame dashed (milsymbol's Python
    port ignores the status position, so the dash milsymbol.js gives an anticipated frame is added here)."""
    drawn = Drawn(lookup_key(code), size=size).as_svg()
    return _FRAME.sub(f'<path stroke-dasharray="{ANTICIPATED}" ', drawn, count=1) if Symbol(code, "").planned else drawn


@cache
def marker_box(code: str) -> tuple[float, float, float, float]:
    """A symbol's box in pixels around the point it marks (left, top, right, bottom), for label placement."""
    drawn = Drawn(lookup_key(code), size=SIZE)
    size, anchor = drawn.get_size(), drawn.get_anchor()
    return (-anchor["x"], -anchor["y"], size["width"] - anchor["x"], size["height"] - anchor["y"])


def definition(symbol: Symbol) -> dict[str, Any]:
    """What the page needs to draw a symbol: its SVG, pixel size, anchor and words."""
    drawn = Drawn(lookup_key(symbol.code), size=SIZE)
    size, anchor = drawn.get_size(), drawn.get_anchor()
    return {"code": symbol.code, "words": symbol.words, "svg": svg(symbol.code),
            "size": [round(size["width"], 1), round(size["height"], 1)],
            "anchor": [round(anchor["x"], 1), round(anchor["y"], 1)]}

