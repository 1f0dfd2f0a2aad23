"""The base map: Natural Earth country outlines drawn from data in the page (no tile server),
or raster tiles named by xyzservices when a map asks for them (which then need the network)."""
from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import folium
import shapely
from shapely.geometry.polygon import orient

from geo.countries import COUNTRIES, around, countries
from geo.files import cache_dir, kept_last, kept_text
from layers.datalayer import DataLayer, Group, Written

NATURAL_EARTH = "natural-earth"
BASEMAP_FIX = "use natural-earth (offline) or a tile provider such as OpenStreetMap.Mapnik"
LAND = "#e9e4d8"
BORDER = "#b9b2a3"


WORLD_TOLERANCE = 0.5  # degrees: the rest of the world, drawn coarse, so zooming out shows no edge of the land
WORLD_MIN_AREA = 2.0  # square degrees: smaller islands far from the map are left out of the coarse world
KEPT_VIEWS = 200  # base maps kept in the cache folder (about 110 KB each), those used last


def natural_earth(bounds: tuple[float, float, float, float], centre: float) -> Group:
    """The countries' land as one canvas layer under the data: near ``bounds`` (west, south, east,
    north) in detail, the rest of the world coarse; every part within 180° of ``centre``. The rings' JSON
    text goes into the page as kept (Written), and the page draws them all as one shape
    (layers/runtime/shapes.js Land): one fill and one stroke."""
    group = Group(name="Base map", control=False)
    group.add_child(DataLayer({"title": "Base map", "type": "land", "rings": Written(land(bounds, centre)),
                               "fill": LAND, "color": BORDER}))
    return group


def land(bounds: tuple[float, float, float, float], centre: float) -> str:
    """The base map's rings for a view as JSON text, kept in the cache folder by the view, the data and
    the tolerances (simplifying the world's countries takes a fifth of a second on every render)."""
    key = json.dumps([list(bounds), centre, WORLD_TOLERANCE, WORLD_MIN_AREA, _data_hash()]).encode()
    path = cache_dir() / f"basemap-{hashlib.sha256(key).hexdigest()[:32]}.json"
    return kept_text(path, "is not a sound base map (not as kept, or changed since)", lambda: _drawn(bounds, centre))


def _drawn(bounds: tuple[float, float, float, float], centre: float) -> str:
    """The land of a view not kept yet: drawn, and room made for it among the views kept."""
    kept_last(cache_dir(), "basemap-*.json", KEPT_VIEWS - 1)
    return json.dumps(_land(bounds, centre), separators=(",", ":"), allow_nan=False)


@cache
def _data_hash() -> str:
    """The shipped countries and the code that draws them: a new version of either draws the land again."""
    code = (Path(__file__), COUNTRIES.parent.parent / "countries.py")  # this module and geo/countries.py
    return hashlib.sha256(b"".join(p.read_bytes() for p in (COUNTRIES, *code))).hexdigest()


def _land(bounds: tuple[float, float, float, float], centre: float) -> list[list[float]]:
    """Every ring of the countries' parts as flat [lat, lon, lat, lon, ...], outer rings wound one way
    and holes the other: filled as one shape (nonzero), a country's lake stays open and a country inside
    another (Lesotho) is land, however the simplified neighbours overlap at their borders."""
    west, south, east, north = bounds
    margin = max((east - west) / 2, (north - south) / 2, 10.0)  # land for a reader who pans a little
    view = shapely.box(west - margin, max(south - margin, -85), east + margin, min(north + margin, 85))
    tolerance = max((east - west) / 600, 0.01)  # about a pixel or two at the zoom that fits the view
    flat = []
    for shape in countries().geometry:
        if shape is None:
            continue
        near = [p for p in around(shape, centre) if p.intersects(view)]
        far = [p for p in around(shape, centre) if not p.intersects(view) and p.area >= WORLD_MIN_AREA]
        for parts, detail, digits in ((near, tolerance, 2), (far, WORLD_TOLERANCE, 1)):
            for part in shapely.get_parts([p.simplify(detail) for p in parts]):
                if part.is_empty:
                    continue
                part = orient(part)
                for ring in (part.exterior, *part.interiors):
                    flat.append([v for x, y in ring.coords for v in (round(y, digits), round(x, digits))])
    return flat


def basemap_problem(name: str) -> str | None:
    """Why ``name`` cannot be a base map, or None when it can."""
    if name == NATURAL_EARTH:
        return None
    import xyzservices.providers as providers

    try:
        provider = providers.query_name(name)
    except ValueError:
        return f"{name!r} is not natural-earth or an xyzservices provider"
    if provider.requires_token():
        return f"{name!r} needs an API key, which a published page would expose"
    return None


def tiles(name: str) -> folium.TileLayer:
    """A raster tile layer from an xyzservices provider name such as 'OpenStreetMap.Mapnik'."""
    import xyzservices.providers as providers

    provider = providers.query_name(name)
    return folium.TileLayer(tiles=provider.build_url(), attr=provider.html_attribution, name=name, control=False)
