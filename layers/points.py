"""Point records to a layer spec: coordinates and the record columns a popup needs (once each);
and the fan-out that keeps markers at one place side by side instead of hiding each other."""
from __future__ import annotations

import functools
import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.geodesic import normalise
from layers.boxgrid import BoxGrid
from layers.datalayer import LARGE, RICH
from layers.packed import packed_points
from layers.style import gives

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
        return [f for f in names if f in frame and gives(frame[f])]

    if large:
        lats = frame["lat"].to_numpy(dtype=float)
        lons = normalise(frame["lon"].to_numpy(dtype=float), centre)
        # a canvas draws dots, not symbols: its records need no symbol column
        return {"type": "cloud", **packed_points(lats, lons, {f: frame[f] for f in present(["id", *fields])})}
    return {"columns": {f: column([value(v) for v in frame[f]]) for f in present(["id", "symbol", "status", *fields])},
            "type": "markers",
            "lat": [round(float(y), 5) for y in frame["lat"]],
            "lon": [round(normalise(float(x), centre), 5) for x in frame["lon"]],
            **({"canvas": True} if len(frame) > RICH else {})}


FAN_MARGIN = 2  # px kept between fanned-out markers
PAIRS = 1 << 20  # candidate pairs of boxes fan-out compares at once (a crowd has up to n * n / 2)
CROWDED = 16  # candidate pairs per box past which fan-out first looks for the boxes surely in a crowd
FAN_MOST = 16  # markers one ring may hold: past that a ring is wider than a phone and tells nothing
RING_MAX = 24  # px: past this radius an even ring is too loose, markers pack along a spiral
SPIRAL = (12.0, 21.0)  # px: the spiral's first radius, and how far out each turn goes (a marker and a gap)


def _pairs(b: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of boxes (n x 4) that come within the margin of each other, once each, except pairs
    of two boxes surely in a crowd (returned as a mask: each overlaps ``most`` others, which a grid
    shows without pairing them). Boxes are filed in bands as tall as the tallest, left to right, so
    two that meet are in one band or in two bands next to each other: each box is compared with
    those after it in its band whose left edge is short of its right edge, and with those in the
    next band within reach of it (a whole pixel beyond, for the rounding of the filing key)."""
    none = np.empty(0, dtype=np.int64)
    if len(b) < 2:
        return none, none, np.zeros(len(b), dtype=bool)
    high = float((b[:, 3] - b[:, 1]).max()) + FAN_MARGIN + 1
    wide = float((b[:, 2] - b[:, 0]).max()) + FAN_MARGIN + 1
    left = b[:, 0].min()
    band = np.floor((b[:, 1] - b[:, 1].min()) / high)
    stretch = 2.0 ** math.ceil(math.log2(float(b[:, 2].max() - left) + 2 * wide + 4))  # one band's keys
    key = band * stretch + (b[:, 0] - left)
    order = np.argsort(key, kind="stable")
    s, key, band = b.take(order, axis=0), key[order], band[order]
    x0, x1 = s[:, 0] - left, s[:, 2] - left
    # each box's two runs of boxes to compare, as positions lo:hi in the sorted boxes
    runs = [(np.arange(1, len(s) + 1), np.searchsorted(key, band * stretch + x1 + FAN_MARGIN + 1)),
            (np.searchsorted(key, (band + 1) * stretch + x0 - wide - 1),
             np.searchsorted(key, (band + 1) * stretch + x1 + FAN_MARGIN + 1))]
    runs = [(lo, np.maximum(hi, lo)) for lo, hi in runs]
    sure = np.zeros(len(s), dtype=bool)
    if sum((hi - lo).sum() for lo, hi in runs) > CROWDED * len(s):  # a crowd: each box has many to compare
        # a box's centre is one cell; each box strictly around that cell surely overlaps it
        centre = np.tile((s[:, :2] + s[:, 2:]) / 2, 2)
        sure = BoxGrid(s).surely_met(centre, np.arange(len(s))) >= most
    rest = np.flatnonzero(~sure)
    found_i, found_j = [], []
    for lo, hi in runs:
        # a sure box is compared only with the boxes not sure in its run: positions first:last of rest
        first, last = np.searchsorted(rest, lo), np.searchsorted(rest, hi)
        count = np.where(sure, last - first, hi - lo)
        ends = np.cumsum(count)
        row = 0
        while row < len(s):  # rows in blocks of about PAIRS candidates, so a crowd stays in memory
            stop = max(int(np.searchsorted(ends, ends[row] - count[row] + PAIRS, side="right")), row + 1)
            n = count[row:stop]
            i = np.repeat(np.arange(row, stop), n)
            step = np.arange(len(i)) - np.repeat(np.cumsum(n) - n, n)
            j = np.where(sure[i], rest[np.minimum(first[i] + step, len(rest) - 1)], lo[i] + step)
            m, a, c = FAN_MARGIN, s.take(i, axis=0), s.take(j, axis=0)
            met = ((a[:, 0] < c[:, 2] + m) & (c[:, 0] < a[:, 2] + m) & (a[:, 1] < c[:, 3] + m)
                   & (c[:, 1] < a[:, 3] + m))
            found_i.append(order[i[met]])
            found_j.append(order[j[met]])
            row = stop
    return np.concatenate(found_i or [none]), np.concatenate(found_j or [none]), sure[np.argsort(order)]


def _components(count: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Each of ``count`` nodes' component, named by its least node, given the edges ``i``-``j``."""
    label = np.arange(count)
    while True:  # each node takes its neighbours' least label, then its label's label
        low = np.minimum(label[i], label[j])
        new = label.copy()
        np.minimum.at(new, i, low)
        np.minimum.at(new, j, low)
        new = new[new]
        if (new == label).all():
            return label
        label = new


def _groups(b: np.ndarray, most: int) -> list[list[int]]:
    """Indices of boxes (n x 4) that overlap, directly or through others, in index order: the groups
    of 2 to ``most`` boxes (a larger one is a crowd, and nothing in it moves), in order of their first."""
    count = len(b)
    i, j, sure = _pairs(b, most)
    # a box overlapping `most` others is with them more than `most`, a crowd, as is any box beside it
    seed = sure | (np.bincount(i, minlength=count) + np.bincount(j, minlength=count) >= most)
    beside = np.zeros(count, dtype=bool)
    beside[i[seed[j]]] = beside[j[seed[i]]] = True
    apart = ~seed[i] & ~seed[j]
    label = _components(count, i[apart], j[apart])
    size = np.bincount(label, minlength=count)
    crowd = np.zeros(count, dtype=bool)
    crowd[label[beside | seed]] = True
    member = np.flatnonzero(~crowd[label] & (size[label] >= 2) & (size[label] <= most))
    member = member[np.argsort(label[member], kind="stable")]
    cuts = [0, *(np.flatnonzero(np.diff(label[member])) + 1).tolist(), len(member)]
    member = member.tolist()  # cut as a list: far quicker than an array for each of hundreds of groups
    return [member[a:b] for a, b in zip(cuts, cuts[1:])] if member else []


Fan = tuple[float, float, float, float]  # a fanned marker: its ring's centre x, y and its offset from it, px


@functools.cache
def _even(count: int) -> list[list[tuple[float, float]]]:
    """Offsets (dx, dy) of ``count`` markers evenly round a ring, clockwise from the top, at each
    radius 0, 2, ... RING_MAX px, rounded as the page's data: the same for every ring of that count."""
    angles = [-math.pi / 2 + 2 * math.pi * k / count for k in range(count)]
    return [[(round(r * math.cos(a), 1), round(r * math.sin(a), 1)) for a in angles]
            for r in (2.0 * step for step in range(int(RING_MAX // 2) + 1))]


_SPIRAL: list[tuple[float, float]] = []  # offsets along the spiral, worked out as far as a group has needed


def _spiral(step: int) -> tuple[float, float]:
    """The offset (dx, dy) of the spiral's ``step``-th spot from its top, about 3 px apart, rounded
    as the page's data: the same for every group, so each is worked out once."""
    if step >= len(_SPIRAL):
        spots, turn = [], 0.0
        for _ in range(max(2 * step, 256)):
            r = SPIRAL[0] + SPIRAL[1] * turn / (2 * math.pi)
            spots.append((round(r * math.cos(turn - math.pi / 2), 1), round(r * math.sin(turn - math.pi / 2), 1)))
            turn += 3.0 / r
        _SPIRAL[:] = spots
    return _SPIRAL[step]


def _fits(box: tuple[float, float, float, float], x: float, y: float,
          taken: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float] | None:
    """A marker's box drawn at (x, y), with the margin added to its right and bottom edges, or None
    when it comes within the margin of one of ``taken`` (boxes as this returns them)."""
    x0, y0 = x + box[0], y + box[1]
    x1, y1 = x + box[2] + FAN_MARGIN, y + box[3] + FAN_MARGIN
    for a0, b0, a1, b1 in taken:
        if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
            return None
    return x0, y0, x1, y1


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
    keep = [_fits(boxes[i], *points[i], []) for i in anchors]
    smallest = 0 if len(movers) > 1 and not anchors else 4  # radius 0, or 8 px: beside a circle, or alone
    for offsets in _even(len(movers))[smallest:]:
        taken = list(keep)
        for i, (dx, dy) in zip(movers, offsets):
            spot = _fits(boxes[i], cx + dx, cy + dy, taken)
            if spot is None:
                break
            taken.append(spot)
        else:
            return {i: (cx, cy, dx, dy) for i, (dx, dy) in zip(movers, offsets)}
    moved, taken, step = {}, list(keep), 0
    for i in movers:
        while True:  # along the spiral from where the last marker went, to the first free spot
            dx, dy = _SPIRAL[step] if step < len(_SPIRAL) else _spiral(step)
            spot = _fits(boxes[i], cx + dx, cy + dy, taken)
            if spot is not None:
                break
            step += 1
        moved[i] = (cx, cy, dx, dy)
        taken.append(spot)
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


# columns no point layer reads, left out of its rows: each column taken costs alike (0.2 ms at 33,000
# rows), a GeoDataFrame's geometry more, and the layers draw from lat and lon
UNREAD = ("geometry", "origin", "tags", "trip", "range_km", "sidc", "echelon", "affiliation", "announced")


def of_kind(frame: gpd.GeoDataFrame, kind: str) -> pd.DataFrame:
    """The records of one kind, in file order, with the columns a point layer reads (a plain frame)."""
    return pd.DataFrame(frame, copy=False).loc[is_kind(frame, kind), [c for c in frame.columns if c not in UNREAD]]


def rows(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """``frame[mask]``, without a take when the mask keeps every row (copy-on-write keeps the frame as it is)."""
    return frame if mask.all() else frame[mask]


def is_kind(frame: gpd.GeoDataFrame, kind: str) -> np.ndarray:
    """Which records are of one kind: numpy compares the column's strings five times as fast as pandas
    (100,000 records: 1.7 against 8.5 ms), and a map asks once per layer of points."""
    return frame["kind"].to_numpy() == kind


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
