"""What a map's first view frames: its subject, the records the story is about, and not the far end
of a command link or a route leg.

The rule, measured on a Web Mercator map (what the reader sees): join the subject's records by the
shortest links that connect them all (a minimum spanning tree) and try cutting each link longer
than MIN_SPAN. When the smaller side holds at most a third of the records and lies farther from
the rest than the rest is wide (the diagonal of its box, at least MIN_SPAN), it is left out of the
frame. Every link is tried this way against all the other records, so one far group never makes
another look far.
A Korea map whose command reports to Hawaii frames Korea, and its link leaves the frame with a label.
"""
from __future__ import annotations

import math

import geopandas as gpd
import numpy as np

from geo.geodesic import normalise

SUBJECT_KINDS = ("base", "deployment", "event", "command")
LAYER_KINDS = {"bases": "base", "deployments": "deployment", "commands": "command", "events": "event",
               "itineraries": "event"}
MIN_SPAN = 20.0  # Mercator degrees (about 2,000 km at 20° N): nearer than this is never far (Okinawa from Tokyo)
CELL = 0.05  # Mercator degrees: records closer than this count as one place (a cap on the work at 100,000 points)
MAX_PLACES = 500  # past this many places the frame holds everything (the rule's cost grows as the square)
PLACES_SEEN = 10_000  # records whose places are counted first: past MAX_PLACES there, no sort of them all


def subject(frame: gpd.GeoDataFrame, centre: float, layers: list[str] | None = None,
            fit: list[str] | None = None) -> gpd.GeoDataFrame:
    """The records a frame is about: those ``fit`` names (ids or kinds), else the point records of the
    kinds the map's layers draw, less the remote groups (see the module's rule)."""
    if fit is not None:
        wanted = {f.casefold() for f in fit}
        return frame[[i.casefold() in wanted or k in wanted for i, k in zip(frame["id"], frame["kind"])]]
    kinds = {LAYER_KINDS[kind] for kind in layers if kind in LAYER_KINDS} if layers is not None else set(SUBJECT_KINDS)
    # a selection takes every column of every row: where it keeps them all (a large map's points, most
    # often) the frame is the subject as it is (1,000,000 records: two takes of 0.1-0.15 s each)
    wanted = frame["kind"].isin(kinds).to_numpy()
    chosen = frame if wanted.all() else frame[wanted]
    far = remote(chosen, centre) if len(chosen) else np.zeros(0, bool)
    return chosen[~far] if far.any() else chosen


def mercator(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """(x, y) in degrees on a Web Mercator map: distances there are what a reader sees."""
    y = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(np.clip(lat, -85, 85)) / 2)))
    return np.column_stack([lon, y])


def remote(frame: gpd.GeoDataFrame, centre: float) -> np.ndarray:
    """For each record, whether it belongs to a group far from the rest (left out of the frame)."""
    lat, lon = frame["lat"].to_numpy(float), frame["lon"].to_numpy(float)
    # the first records' places counted before the rest are projected: past MAX_PLACES there, they never are
    seen = np.round(mercator(lat[:PLACES_SEEN], normalise(lon[:PLACES_SEEN], centre)) / CELL)
    if len(_cells(seen)[0]) > MAX_PLACES:
        return np.zeros(len(frame), bool)
    rounded = np.round(mercator(lat, normalise(lon, centre)) / CELL)
    cells, place = _cells(rounded)
    if not 2 <= len(cells) <= MAX_PLACES:
        return np.zeros(len(frame), bool)
    cells = cells * CELL
    weight = np.bincount(place, minlength=len(cells))
    parent, length = _spanning_tree(cells)
    out = np.zeros(len(cells), bool)
    for link in np.flatnonzero(length > MIN_SPAN):
        side = _component(parent, int(link))
        far = side if weight[side].sum() <= weight[~side].sum() else ~side
        rest = cells[~far]
        span = max(math.hypot(*(rest.max(axis=0) - rest.min(axis=0))), MIN_SPAN)
        if weight[far].sum() * 3 <= weight.sum() and length[link] > span:
            out |= far
    return out[place]


def _cells(rounded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(rounded, axis=0, return_inverse=True) of whole-number (x, y) rows, by one integer key
    per row (sorting rows as records is ten times slower at 1,000,000 points)."""
    if not np.isfinite(rounded).all():
        cells, place = np.unique(rounded, axis=0, return_inverse=True)
        return cells, place.ravel()
    low = rounded.min(axis=0)
    x, y = (rounded - low).astype(np.int64).T
    keys, place = np.unique(x * (int(y.max()) + 1) + y, return_inverse=True)
    height = int(y.max()) + 1
    return np.column_stack([keys // height, keys % height]).astype(float) + low, place.ravel()


def _spanning_tree(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Prim's minimum spanning tree: each place's parent and the length of its link (the root's is 0)."""
    n = len(points)
    parent = np.zeros(n, int)
    length = np.zeros(n)
    done = np.zeros(n, bool)
    done[0] = True
    best = np.hypot(*(points - points[0]).T)
    for _ in range(n - 1):
        j = int(np.argmin(np.where(done, np.inf, best)))
        length[j] = best[j]
        done[j] = True
        near = np.hypot(*(points - points[j]).T)
        closer = (near < best) & ~done
        best[closer] = near[closer]
        parent[closer] = j
    return parent, length


def _component(parent: np.ndarray, cut: int) -> np.ndarray:
    """The places under ``cut`` in the tree (``cut`` and its descendants)."""
    children: dict[int, list[int]] = {}
    for child in range(1, len(parent)):
        children.setdefault(int(parent[child]), []).append(child)
    below = np.zeros(len(parent), bool)
    stack = [cut]
    while stack:
        j = stack.pop()
        below[j] = True
        stack += children.get(j, [])
    return below


def inside(frame: gpd.GeoDataFrame, box: tuple[float, float, float, float]) -> np.ndarray:
    """Whether each record lies in ``box`` (west, south, east, north; east may pass 180)."""
    west, south, east, north = box
    lons = normalise(frame["lon"].to_numpy(float), (west + east) / 2)
    lats = frame["lat"].to_numpy(float)
    return (lons >= west) & (lons <= east) & (lats >= south) & (lats <= north)


def bounds(frame: gpd.GeoDataFrame, centre: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the records, longitudes around ``centre``, never a single point."""
    if frame.empty:
        return (centre - 90, -60.0, centre + 90, 70.0)
    lons = normalise(frame["lon"].to_numpy(float), centre)
    west, east = float(lons.min()), float(lons.max())
    south, north = float(frame["lat"].min()), float(frame["lat"].max())
    pad = 1.0 if (east - west) < 1 and (north - south) < 1 else 0.0
    return (west - pad, max(south - pad, -85.0), east + pad, min(north + pad, 85.0))
