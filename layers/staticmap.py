"""The map drawn once, as SVG, when the page is built: what a reader without JavaScript sees in place
of the interactive map (Leaflet draws that one). Country outlines, the records that hold on a day
inside a box, the command links between them and as many of their names as fit."""
from __future__ import annotations

import math
from html import escape

import geopandas as gpd
import shapely

from geo.countries import around, countries
from geo.geodesic import normalise
from geo.select import on_day
from layers.basemap import BORDER, LAND
from layers.style import COLORS

SEA = "#cfe3ef"
CHAR_PX = 6.6  # the width of an average character of the 11px label font: a label's box before it is drawn
POINT_KINDS = ("base", "deployment", "command", "event")


def mercator(lat: float) -> float:
    """Web Mercator's y of a latitude, in degrees (as the interactive map projects it)."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85.0), -85.0)) / 2)))


def latitude(y: float) -> float:
    """The latitude of a Web Mercator y (the inverse of ``mercator``)."""
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def static_map(frame: gpd.GeoDataFrame, bounds: tuple[float, float, float, float], centre: float,
              day: str | None, size: tuple[int, int], title: str, first: list[str]) -> str:
    """The records of ``frame`` that hold on ``day`` (all, when None) drawn over the countries, with
    ``bounds`` (west, south, east, north) fitted into ``size`` pixels; ``title`` names the picture and
    the records in ``first`` (the step's highlighted ones) are named before the others."""
    width, height = size
    west, south, east, north = bounds
    scale = min(width / max(east - west, 1e-6), height / max(mercator(north) - mercator(south), 1e-6)) * 0.8  # a margin for the names
    left = (west + east) / 2 - width / 2 / scale
    top = (mercator(north) + mercator(south)) / 2 + height / 2 / scale

    def xy(lon: float, lat: float) -> tuple[float, float]:
        # whole pixels: finer would not show and would double the picture's bytes
        return round((normalise(lon, centre) - left) * scale), round((top - mercator(lat)) * scale)

    box = shapely.box(left, latitude(top - height / scale), left + width / scale, latitude(top))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" font-family="system-ui, sans-serif"><title>{escape(title)}</title>',
             f'<rect width="{width}" height="{height}" fill="{SEA}"/>', _land(box, centre, scale, xy)]
    shown = frame[frame["kind"].isin(POINT_KINDS) & (frame["resolved"] != "country")
                  & (on_day(frame, day) if day else True)]
    at = {i: xy(lon, lat) for i, lon, lat in zip(shown["id"], shown["lon"], shown["lat"])}
    for i, boss in zip(shown["id"], shown["reports_to"]):
        if isinstance(boss, str) and boss in at:
            (x1, y1), (x2, y2) = at[i], at[boss]
            parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{COLORS["link"]}" '
                         'stroke-width="1.5" stroke-dasharray="6 4"/>')
    for i, kind in zip(shown["id"], shown["kind"]):
        x, y = at[i]
        parts.append(f'<circle cx="{x}" cy="{y}" r="5" fill="{COLORS[kind]}" stroke="#fff" stroke-width="1.5"/>')
    named = shown.assign(_first=[i not in first for i in shown["id"]]).sort_values("_first", kind="stable")
    parts += _labels(named, at, width, height)
    return "".join(parts) + "</svg>"


def _land(box: shapely.Polygon, centre: float, scale: float, xy) -> str:  # noqa: ANN001
    """Every country's outline inside ``box``, simplified to a pixel or two: a path per polygon, so its
    holes are holes and no two countries' rings cancel each other."""
    paths = []
    for shape in countries().geometry:
        if shape is None:
            continue
        for part in around(shape, centre):
            clipped = part.intersection(box).simplify(1.5 / scale)
            for polygon in shapely.get_parts(clipped):
                if polygon.geom_type != "Polygon" or polygon.is_empty:
                    continue
                rings = ("M" + "L".join("{:g},{:g}".format(*xy(x, y)) for x, y in ring.coords[:-1]) + "Z"
                         for ring in (polygon.exterior, *polygon.interiors))
                paths.append(f'<path d="{"".join(rings)}"/>')
    return f'<g fill="{LAND}" stroke="{BORDER}" stroke-width="0.7" fill-rule="evenodd">{"".join(paths)}</g>'


def _labels(shown: gpd.GeoDataFrame, at: dict[str, tuple[float, float]], width: int, height: int) -> list[str]:
    """Names to the right of their points, else to the left, in the records' order; a name that would
    cover another or leave the picture is left out (the interactive map has them all)."""
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for i, name in zip(shown["id"], shown["name"]):
        x, y = at[i]
        w = len(str(name)) * CHAR_PX + 4
        for x0, anchor, tx in ((x + 8, "start", x + 9), (x - 8 - w, "end", x - 9)):
            rect = (x0, y - 8, x0 + w, y + 8)
            inside = rect[0] >= 0 and rect[2] <= width and rect[1] >= 0 and rect[3] <= height
            if inside and not any(rect[0] < r[2] and r[0] < rect[2] and rect[1] < r[3] and r[1] < rect[3]
                                  for r in placed):
                placed.append(rect)
                out.append(f'<text x="{tx:g}" y="{y + 4:g}" text-anchor="{anchor}" font-size="11" font-weight="600" '
                           f'fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">{escape(str(name))}</text>')
                break
    return out
