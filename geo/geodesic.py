"""Derived geometry on the WGS 84 ellipsoid: geodesic routes and range rings, kept continuous
across the antimeridian by normalising longitudes around a map's centre."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pyproj import Geod

WGS84 = Geod(ellps="WGS84")
STEP_KM = 50.0


def centre_lon(lons: Sequence[float]) -> float:
    """The longitude in the middle of the shortest arc holding every point (Japan-Hawaii: ~150° E)."""
    # a frame's column is taken as one array (read value by value, a million took 0.13 s); sorted, each once
    ordered = np.unique(np.asarray(lons, dtype=float) % 360)
    if not len(ordered):
        return 0.0
    if len(ordered) == 1:
        return normalise(float(ordered[0]), 0.0)
    gaps = (np.roll(ordered, -1) - ordered) % 360
    widest = int(np.argmax(gaps))
    start = float(ordered[(widest + 1) % len(ordered)])
    span = 360 - float(gaps[widest])
    return normalise(start + span / 2, 0.0)


def normalise(lon: float, centre: float) -> float:
    """``lon`` moved by whole turns into [centre - 180, centre + 180)."""
    return (lon - centre + 180.0) % 360.0 - 180.0 + centre


def unwrap(lons: Sequence[float], centre: float) -> list[float]:
    """A line's longitudes made continuous (no jump of 360°), then shifted to sit around ``centre``."""
    steps = np.unwrap(np.radians(np.asarray(lons, float)))
    out = np.degrees(steps)
    shift = normalise(float(np.mean(out)), centre) - float(np.mean(out))
    return [round(float(x + shift), 5) for x in out]


def route(points: Sequence[tuple[float, float]], centre: float) -> list[tuple[float, float]]:
    """A geodesic polyline through (lat, lon) points, as (lat, lon) vertices about every 50 km."""
    lats: list[float] = [points[0][0]]
    lons: list[float] = [points[0][1]]
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:]):
        distance = WGS84.inv(lon1, lat1, lon2, lat2)[2] / 1000
        between = WGS84.npts(lon1, lat1, lon2, lat2, max(int(distance / STEP_KM), 1) - 1)
        lons += [p[0] for p in between] + [lon2]
        lats += [p[1] for p in between] + [lat2]
    return list(zip((round(y, 5) for y in lats), unwrap(lons, centre)))


def ring(lat: float, lon: float, radius_km: float, centre: float, vertices: int = 128) -> list[tuple[float, float]]:
    """The closed geodesic circle of ``radius_km`` around a point, as (lat, lon) vertices."""
    azimuths = np.linspace(0, 360, vertices, endpoint=False)
    lons, lats, _ = WGS84.fwd(np.full(vertices, lon), np.full(vertices, lat), azimuths,
                             np.full(vertices, radius_km * 1000))
    lons_c = unwrap([*lons, lons[0]], normalise(lon, centre))
    return [(round(float(y), 5), x) for y, x in zip([*lats, lats[0]], lons_c)]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance between two points."""
    return WGS84.inv(lon1, lat1, lon2, lat2)[2] / 1000
