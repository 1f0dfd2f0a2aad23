"""Point records to a layer spec: coordinates and the record columns a popup needs (once each);
and the fan-out that keeps markers at one place side by side instead of hiding each other."""
from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np

from geo.geodesic import normalise
from layers.boxgrid import BoxGrid
from layers.datalayer import LARGE
from layers.packed import packed_points

def value(v: Any) -> Any:
    """A frame cell as plain JSON: None for missing, lists for tuples, Python numbers."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, (tuple, list)):
        return [str(x) for x in v]
    if hasattr(v, "item"):  # numpy scalar
        return v.item()
    return v


def column(values: list[Any]) -> list[Any] | dict[str, list[Any]]:
    """A column as plain values, or, when values repeat, each distinct value once and an index per row
    (no index at all when every row has the same value)."""
    if values and all(v == values[0] for v in values):
        return {"dict": [values[0]]}
    if len(values) < 64 or any(isinstance(v, list) for v in values):
        return values
    distinct = list(dict.fromkeys(values))
    if len(distinct) > len(values) // 4:
        return values
    index = {v: i for i, v in enumerate(distinct)}
    return {"dict": distinct, "idx": [index[v] for v in values]}


def is_large(frame: gpd.GeoDataFrame, large: bool | None) -> bool:
    """Whether to take the large-layer path: forced by ``large``, else by record count."""
    return len(frame) > LARGE if large is None else large


def point_spec(frame: gpd.GeoDataFrame, centre: float, fields: list[str], large: bool) -> dict[str, Any]:
    """The shared part of every point layer's spec: where, which record, and its popup columns.

    Large layers are packed as binary columns (layers/packed.py): coordinates as whole numbers of
    1/10,000 degree, text as UTF-8, repeated values once, all deflated, decoded by the page.
    """
    def present(names: list[str]) -> list[str]:
        return [f for f in names if f in frame and frame[f].notna().any()]

    if large:
        lats = frame["lat"].to_numpy(dtype=float)
        lons = normalise(frame["lon"].to_numpy(dtype=float), centre)
        # a canvas draws dots, not symbols: its records need no symbol column
        return {"type": "cloud", **packed_points(lats, lons, {f: frame[f] for f in present(["id", *fields])})}
    return {"columns": {f: column([value(v) for v in frame[f]]) for f in present(["id", "symbol", "status", *fields])},
            "type": "markers",
            "lat": [round(float(y), 5) for y in frame["lat"]],
            "lon": [round(normalise(float(x), centre), 5) for x in frame["lon"]]}


FAN_MARGIN = 2  # px kept between fanned-out markers
DENSE = 1500  # boxes near others up to which fan-out compares every pair at once (2 MB of answers)
FAN_MOST = 16  # markers one ring may hold: past that a ring is wider than a phone and tells nothing
RING_MAX = 24  # px: past this radius an even ring is too loose, markers pack along a spiral
SPIRAL = (12.0, 21.0)  # px: the spiral's first radius, and how far out each turn goes (a marker and a gap)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float], margin: float) -> bool:
    return a[0] < b[2] + margin and b[0] < a[2] + margin and a[1] < b[3] + margin and b[1] < a[3] + margin


def _overlaps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """_overlap of each box of ``a`` (n x 4) with each box of ``b`` (m x 4), at once: n x m."""
    m = FAN_MARGIN
    return ((a[:, None, 0] < b[None, :, 2] + m) & (b[None, :, 0] < a[:, None, 2] + m)
            & (a[:, None, 1] < b[None, :, 3] + m) & (b[None, :, 1] < a[:, None, 3] + m))


def _groups(b: np.ndarray, most: int) -> list[list[int]]:
    """Indices of boxes (n x 4) that overlap, directly or through others, in index order: the groups
    of 2 to ``most`` boxes (a larger one is a crowd, and nothing in it moves)."""
    if len(b) < 2:
        return []
    # a box that shares no grid cell with another, kept apart by the margin, overlaps none of them
    reach = FAN_MARGIN + 1  # over the margin: b[2] + margin rounds, a whole pixel more never misses
    near = np.flatnonzero(BoxGrid(b).near(b + (-reach, -reach, reach, reach), np.arange(len(b))))
    boxes = b[near]
    # every pair at once while that is a few million comparisons (a thousand boxes near others)
    pairs = _overlaps(boxes, boxes) if len(near) <= DENSE else None
    group = np.full(len(b), -1)  # each box's group (its first box), or -2 in a crowd
    out = []
    for start in range(len(near)):
        if group[near[start]] != -1:
            continue
        found, todo, crowd = {start}, [start], False
        while todo and not crowd:  # until the group is whole, or a crowd
            t = todo.pop()
            hits = np.flatnonzero(pairs[t] if pairs is not None else _overlaps(boxes[t:t + 1], boxes)[0])
            fresh = set(hits.tolist()) - found
            found |= fresh
            todo += fresh
            crowd = len(found) > most or bool((group[near[hits]] == -2).any())
        members = near[sorted(found)]
        group[members] = -2 if crowd else near[start]
        if not crowd and len(found) > 1:
            out.append(members.tolist())
    return sorted(out)


Fan = tuple[float, float, float, float]  # a fanned marker: its ring's centre x, y and its offset from it, px


def _ring(points: list[tuple[float, float]], boxes: list[tuple[float, float, float, float]], fixed: list[bool],
          group: list[int]) -> dict[int, Fan]:
    """Places round a group that keep its movable markers apart: evenly on a small ring, or, when
    that ring would be wide (many markers, wide date badges), packed along a spiral from the top."""
    anchors = [i for i in group if fixed[i]]
    movers = [i for i in group if not fixed[i]]
    if anchors:
        cx, cy = points[anchors[0]]
    else:
        cx = sum(points[i][0] for i in movers) / len(movers)
        cy = sum(points[i][1] for i in movers) / len(movers)
    keep = [(points[i][0] + boxes[i][0], points[i][1] + boxes[i][1], points[i][0] + boxes[i][2],
             points[i][1] + boxes[i][3]) for i in anchors]

    def at(i: int, dx: float, dy: float) -> tuple[float, float, float, float]:
        return cx + dx + boxes[i][0], cy + dy + boxes[i][1], cx + dx + boxes[i][2], cy + dy + boxes[i][3]

    radius = 0.0 if len(movers) > 1 and not anchors else 8.0
    while radius <= RING_MAX:
        moved = {}
        for k, i in enumerate(movers):
            angle = -math.pi / 2 + 2 * math.pi * k / len(movers)
            moved[i] = (cx, cy, round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))
        placed = [at(i, moved[i][2], moved[i][3]) for i in movers]
        if not any(_overlap(a, b, FAN_MARGIN) for n, a in enumerate(placed) for b in placed[n + 1:] + keep):
            return moved
        radius += 2.0
    moved, taken, turn = {}, list(keep), 0.0
    for i in movers:
        while True:
            r = SPIRAL[0] + SPIRAL[1] * turn / (2 * math.pi)
            dx, dy = round(r * math.cos(turn - math.pi / 2), 1), round(r * math.sin(turn - math.pi / 2), 1)
            spot = at(i, dx, dy)
            if not any(_overlap(spot, t, FAN_MARGIN) for t in taken):
                break
            turn += 3.0 / r  # about 3 px along the spiral
        moved[i] = (cx, cy, dx, dy)
        taken.append(at(i, dx, dy))
    return moved


def fan_out(points: list[tuple[float, float]] | np.ndarray, boxes: list[tuple[float, float, float, float]] | np.ndarray,
            fixed: list[bool] | np.ndarray) -> list[Fan | None]:
    """Where markers whose boxes overlap go so that none hides another: onto a ring round their
    group, in a fixed arrangement (clockwise from the top, in the given order), the ring as small as
    keeps them apart; groups whose rings then touch are fanned out again as one. Fixed markers
    (circles) stay where they are, and the ring keeps their centre clear. None: stays on its point."""
    drawn = np.array(points, dtype=float).reshape(-1, 2)  # where each marker is, as fanned so far
    box = np.array(boxes, dtype=float).reshape(-1, 4)
    points, boxes, fixed = drawn.tolist(), box.tolist(), list(fixed)
    fans: list[Fan | None] = [None] * len(points)
    member = list(range(len(points)))  # each marker's group, by its first member
    members = {i: [i] for i in range(len(points))}  # each group's markers, by its first member
    for _ in range(len(points)):
        shown = np.concatenate([drawn, drawn], axis=1) + box
        merged = False
        for group in _groups(shown, FAN_MOST):
            firsts = {member[i] for i in group}
            if len(firsts) == 1 or all(fixed[i] for i in group):
                continue  # already one ring (only circles overlap there), or circles only: nothing moves
            together = sorted(i for f in firsts for i in members[f])
            if len(together) > FAN_MOST:
                continue  # a crowd stays stacked until the reader zooms in (its labels say so)
            first = min(firsts)
            for f in firsts - {first}:
                members[first] += members.pop(f)
            for i in together:
                member[i] = first
            for i, f in _ring(points, boxes, fixed, together).items():
                fans[i] = f
                drawn[i] = f[0] + f[2], f[1] + f[3]
            merged = True
        if not merged:
            break
    return fans


def point_features(frame: gpd.GeoDataFrame, layer: str, fields: list[str]) -> list[dict[str, Any]]:
    """GeoJSON features of drawn points, with the record fields shown."""
    columns = {f: [value(v) for v in frame[f]] for f in ["id", "kind", *fields] if f in frame}
    return [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(float(x), 5), round(float(y), 5)]},
             "properties": {"layer": layer, **{c: values[i] for c, values in columns.items()}}}
            for i, (x, y) in enumerate(zip(frame["lon"], frame["lat"]))]


def symbol(kind: str, large: bool) -> str:
    """The legend symbol of a point layer: its marker, or a plain dot when drawn on the canvas."""
    return "dot" if large else kind


def of_kind(frame: gpd.GeoDataFrame, kind: str) -> gpd.GeoDataFrame:
    """The records of one kind, in file order."""
    return frame[frame["kind"] == kind]


def rows_by_id(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """Each record's row (a namedtuple) by its id, ignoring case."""
    return {i.casefold(): row for i, row in zip(frame["id"], frame.itertuples())}


class Names:
    """Each record's name by its id, ignoring case: the index of the two columns is built at the first
    look-up, so a map whose records name no other (most large ones) casefolds no id."""

    def __init__(self, frame: gpd.GeoDataFrame):
        self._columns = (frame["id"], frame["name"])
        self._index: dict[str, str] | None = None

    def get(self, key: str, default: str | None = None) -> str | None:
        """The name of the record whose id is ``key`` (casefolded), else ``default``."""
        if self._index is None:
            self._index = {i.casefold(): n for i, n in zip(*self._columns)}
        return self._index.get(key, default)


def names_by_id(frame: gpd.GeoDataFrame) -> Names:
    """Each record's name by its id, ignoring case (two columns, never a row object per record)."""
    return Names(frame)


def name_of(names: Names, ident: object) -> str | None:
    """The name of the record ``ident`` names, its id when the map left that record out, or None."""
    if not isinstance(ident, str):
        return None
    return names.get(ident.casefold(), ident)
