"""Geodesic lines with direction arrows, shared by command links and itineraries."""
from __future__ import annotations

import math
from typing import Any

from geo.geodesic import route


def mercator(lat: float, lon: float) -> tuple[float, float]:
    """Web Mercator x, y (y down, as on screen), in units where the world is 1 wide."""
    s = math.sin(math.radians(max(min(lat, 85.0), -85.0)))
    return (lon + 180) / 360, 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)


def arrow_at(coords: list[tuple[float, float]], fraction: float, note: str = "") -> list[Any]:
    """[lat, lon, screen angle in degrees, note] for an arrow ``fraction`` of the way along a line."""
    i = min(max(int(round(fraction * (len(coords) - 1))), 1), len(coords) - 1)
    (x1, y1), (x2, y2) = mercator(*coords[i - 1]), mercator(*coords[i])
    angle = math.degrees(math.atan2(y2 - y1, x2 - x1))
    return [coords[i][0], coords[i][1], round(angle, 1), note]


def line(points: list[tuple[float, float]], centre: float, label: str, notes: list[str]) -> dict[str, Any]:
    """A geodesic line through (lat, lon) points, with an arrow and a note at the middle of each leg."""
    coords: list[tuple[float, float]] = []
    arrows = []
    ends = []  # where each leg ends in coords: a page's timeline draws a route leg by leg
    for (a, b), note in zip(zip(points, points[1:]), notes):
        leg = route([a, b], centre)
        arrows.append(arrow_at(leg, 0.5, note))
        coords += leg[1:] if coords else leg
        ends.append(len(coords))
    return {"coords": [list(c) for c in coords], "label": label, "arrows": arrows, "ends": ends}


def line_feature(line_spec: dict[str, Any], layer: str, properties: dict[str, Any]) -> dict[str, Any]:
    """GeoJSON LineString of a drawn line (longitudes kept continuous, as drawn)."""
    return {"type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in line_spec["coords"]]},
            "properties": {"layer": layer, "label": line_spec["label"], **properties}}
