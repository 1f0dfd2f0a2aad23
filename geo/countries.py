"""Country areas from Natural Earth 1:50m (public domain), shipped in geo/data/countries.geojson."""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
import shapely.affinity

from geo.geodesic import WGS84, normalise
from geo.geonames import capital

COUNTRIES = Path(__file__).parent / "data" / "countries.geojson"


@cache
def countries() -> gpd.GeoDataFrame:
    """Every country polygon with its ISO alpha-2 code (``iso_a2``) and English ``name``, each part
    within 180° of longitude (see ``mend``)."""
    frame = gpd.read_file(COUNTRIES, engine="pyogrio")
    frame["geometry"] = [mend(shape) for shape in frame.geometry]
    return frame


def mend(shape: shapely.Geometry) -> shapely.Geometry:
    """A (multi)polygon whose rings never jump across the globe.

    The shipped 1:50m data has a few rings (Russia's Chukotka and Arctic islands, Fiji) that jump
    from the antimeridian to another side of the world and back, which a map draws as bands across
    the Pacific. Each such ring is cut at its jumps into runs that are drawn as polygons of their own.
    """
    parts = []
    for part in shapely.get_parts(shape):
        if part.geom_type != "Polygon" or part.bounds[2] - part.bounds[0] <= 180:
            parts.append(part)
            continue
        xy = np.asarray(part.exterior.coords)[:-1]
        cuts = np.flatnonzero(np.abs(np.diff(xy[:, 0])) > 180) + 1
        runs = np.split(xy, cuts)
        runs = [np.vstack([runs[-1], runs[0]]), *runs[1:-1]]  # the ring closes: last and first run are one
        parts += [p for run in runs if len(run) >= 3
                  for p in shapely.get_parts(shapely.make_valid(shapely.Polygon(run))) if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0] if parts else shape


@cache
def area(code: str) -> shapely.Geometry | None:
    """The union of a country's polygons (prepared for fast tests), or None for a code Natural Earth does not draw."""
    shapes = countries().geometry[countries()["iso_a2"] == code]
    if not len(shapes):
        return None
    shape = shapely.union_all(shapes.values)
    shapely.prepare(shape)
    return shape


@cache
def _coast(code: str) -> tuple[shapely.STRtree, np.ndarray]:
    """A country's boundary as single segments in an STRtree: the nearest edge to a point is a tree query,
    not a walk along every vertex of the country."""
    coords = [shapely.get_coordinates(ring) for ring in shapely.get_rings(shapely.get_parts(area(code)))]
    edges = shapely.linestrings(np.concatenate([np.stack([c[:-1], c[1:]], axis=1) for c in coords]))
    return shapely.STRtree(edges), edges


def country_at(lons: Sequence[float], lats: Sequence[float]) -> list[str | None]:
    """The alpha-2 code of the country whose area holds each point, or None at sea (one STRtree query)."""
    found: list[str | None] = [None] * len(lons)
    points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    at, where = countries().sindex.query(points, predicate="within")
    codes = countries()["iso_a2"].to_numpy()
    for i, j in zip(at, where):
        found[i] = codes[j]
    return found


def km_outside(codes: Sequence[str], lons: Sequence[float], lats: Sequence[float]) -> np.ndarray:
    """For each point, how far (km, geodesic) it lies outside its country's area: 0 inside, and 0 for a
    country too small for Natural Earth 1:50m (nothing to test against)."""
    codes = np.asarray(codes, dtype=object)
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    out = np.zeros(len(codes))
    for code in sorted(set(codes)):
        shape = area(code)
        if shape is None:
            continue
        rows = np.flatnonzero(codes == code)
        rows = rows[~shapely.contains_xy(shape, lons[rows], lats[rows])]
        if len(rows):
            points = shapely.points(lons[rows], lats[rows])
            tree, edges = _coast(code)
            at, nearest = tree.query_nearest(points, all_matches=False)
            ends = shapely.get_coordinates(shapely.shortest_line(edges[nearest], points[at])).reshape(-1, 2, 2)
            _, _, metres = WGS84.inv(ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1])
            out[rows[at]] = np.asarray(metres) / 1000
    return out


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


def edges(code: str) -> dict[str, tuple[float, float]]:
    """(lon, lat) of the northmost, southmost, eastmost and westmost points of a country's largest
    polygon, by side (top, bottom, right, left); empty for a code Natural Earth does not draw."""
    shape = area(code)
    if shape is None:
        return {}
    xy = np.asarray(max(shapely.get_parts(shape), key=lambda p: p.area).exterior.coords)
    picks = {"top": xy[:, 1].argmax(), "bottom": xy[:, 1].argmin(), "right": xy[:, 0].argmax(),
             "left": xy[:, 0].argmin()}
    return {side: (round(float(xy[i, 0]), 4), round(float(xy[i, 1]), 4)) for side, i in picks.items()}


def around(shape: shapely.Geometry, centre: float) -> list[shapely.Polygon]:
    """A (multi)polygon's parts, each moved by whole turns so that it sits within 180° of ``centre``.
    Parts that then meet (an island Natural Earth cut at the antimeridian, as Fiji's Vanua Levu) are
    joined again: drawn apart, the cut would be stroked across the land as a coast."""
    out = []
    for part in shapely.get_parts(shape):
        if part.geom_type != "Polygon":
            continue
        x = part.representative_point().x
        out.append(shapely.affinity.translate(part, xoff=normalise(x, centre) - x))
    on_cut = [_on_cut(p.bounds[0]) or _on_cut(p.bounds[2]) for p in out]
    if sum(on_cut) < 2:
        return out
    joined = shapely.get_parts(shapely.unary_union([p for p, cut in zip(out, on_cut) if cut]))
    return [p for p, cut in zip(out, on_cut) if not cut] + [p for p in joined if p.geom_type == "Polygon"]


def _on_cut(lon: float) -> bool:
    """Whether a longitude is the antimeridian (180° give or take whole turns), where Natural Earth cuts."""
    off = (lon + 180) % 360
    return min(off, 360 - off) < 1e-9


def rings(polygons: list[shapely.Polygon], digits: int = 3) -> list[list[list[list[float]]]]:
    """Polygons as Leaflet wants them: per polygon, its rings of [lat, lon]."""
    return [[[[round(y, digits), round(x, digits)] for x, y in ring.coords]
             for ring in (p.exterior, *p.interiors)] for p in polygons]
