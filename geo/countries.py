"""Country areas from Natural Earth 1:50m (public domain), shipped in geo/data/countries.geojson."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import geopandas as gpd
import shapely
import shapely.affinity

from geo.geodesic import normalise
from geo.geonames import capital

COUNTRIES = Path(__file__).parent / "data" / "countries.geojson"


@cache
def countries() -> gpd.GeoDataFrame:
    """Every country polygon with its ISO alpha-2 code (``iso_a2``) and English ``name``."""
    return gpd.read_file(COUNTRIES, engine="pyogrio")


def area(code: str) -> shapely.Geometry | None:
    """The union of a country's polygons, or None for a code Natural Earth does not draw."""
    shapes = countries().geometry[countries()["iso_a2"] == code]
    return shapely.union_all(shapes.values) if len(shapes) else None


@cache
def label_point(code: str) -> tuple[float, float]:
    """(lon, lat) inside the country's largest polygon, where a country-level fact is labelled."""
    shape = area(code)
    if shape is None:  # too small for Natural Earth 1:50m: label at the capital
        place = capital(code)
        return (place.lon, place.lat) if place else (0.0, 0.0)
    largest = max(shapely.get_parts(shape), key=lambda p: p.area)
    point = largest.point_on_surface()
    return round(point.x, 4), round(point.y, 4)


def around(shape: shapely.Geometry, centre: float) -> list[shapely.Polygon]:
    """A (multi)polygon's parts, each moved by whole turns so that it sits within 180° of ``centre``."""
    out = []
    for part in shapely.get_parts(shape):
        if part.geom_type != "Polygon":
            continue
        x = part.representative_point().x
        out.append(shapely.affinity.translate(part, xoff=normalise(x, centre) - x))
    return out


def rings(polygons: list[shapely.Polygon], digits: int = 3) -> list[list[list[list[float]]]]:
    """Polygons as Leaflet wants them: per polygon, its rings of [lat, lon]."""
    return [[[[round(y, digits), round(x, digits)] for x, y in ring.coords]
             for ring in (p.exterior, *p.interiors)] for p in polygons]
