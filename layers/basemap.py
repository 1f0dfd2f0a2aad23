"""The base map: Natural Earth country outlines drawn from data in the page (no tile server),
or raster tiles named by xyzservices when a map asks for them (which then need the network)."""
from __future__ import annotations

import folium
import shapely

from geo.countries import around, countries, rings
from layers.datalayer import DataLayer

NATURAL_EARTH = "natural-earth"
BASEMAP_FIX = "use natural-earth (offline) or a tile provider such as OpenStreetMap.Mapnik"
LAND = "#e9e4d8"
BORDER = "#b9b2a3"


WORLD_TOLERANCE = 0.5  # degrees: the rest of the world, drawn coarse, so zooming out shows no edge of the land
WORLD_MIN_AREA = 2.0  # square degrees: smaller islands far from the map are left out of the coarse world


def natural_earth(bounds: tuple[float, float, float, float], centre: float) -> folium.FeatureGroup:
    """Country polygons as one canvas layer under the data: those near ``bounds`` (west, south, east,
    north) in detail, the rest of the world coarse; every part within 180° of ``centre``."""
    west, south, east, north = bounds
    margin = max((east - west) / 2, (north - south) / 2, 10.0)  # land for a reader who pans a little
    view = shapely.box(west - margin, max(south - margin, -85), east + margin, min(north + margin, 85))
    tolerance = max((east - west) / 600, 0.01)  # about a pixel or two at the zoom that fits the view
    areas = []
    for shape in countries().geometry:
        if shape is None:
            continue
        near = [p for p in around(shape, centre) if p.intersects(view)]
        far = [p for p in around(shape, centre) if not p.intersects(view) and p.area >= WORLD_MIN_AREA]
        for parts, detail, digits in ((near, tolerance, 2), (far, WORLD_TOLERANCE, 1)):
            parts = [p.simplify(detail) for p in parts]
            parts = [p for p in parts if not p.is_empty]
            if parts:
                areas.append({"rings": rings(parts, digits), "color": BORDER, "label": ""})
    group = folium.FeatureGroup(name="Base map", control=False)
    group.add_child(DataLayer({"title": "Base map", "type": "areas", "areas": areas, "plain": True,
                               "fill": LAND, "opacity": 1}))
    return group


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
