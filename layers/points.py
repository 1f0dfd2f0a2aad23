"""Point records to a layer spec: coordinates, the record columns a popup needs (once each), and
pixel offsets so records at one place stay side by side instead of hiding each other."""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import geopandas as gpd

from geo.geodesic import normalise
from layers.datalayer import LARGE

SPREAD_PX = 16


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

    Large layers write coordinates as whole numbers of 1/10,000 degree (about 10 m, finer than any
    zoom shows a crowd of points at): the digits without the decimal point.
    """
    lats = [float(y) for y in frame["lat"]]
    lons = [normalise(float(x), centre) for x in frame["lon"]]
    spec: dict[str, Any] = {
        "columns": {f: column([value(v) for v in frame[f]]) for f in ["id", "symbol", *fields]
                    if f in frame and frame[f].notna().any()},
        "type": "cloud" if large else "markers",
    }
    if large:
        spec.update(scale=10_000, lat=[round(y * 10_000) for y in lats], lon=[round(x * 10_000) for x in lons])
    else:
        spec.update(lat=[round(y, 5) for y in lats], lon=[round(x, 5) for x in lons])
        spec["offset"] = spread(spec["lat"], spec["lon"])
    return spec


def label_sides(lats: list[float], lons: list[float], near: float = 1.5) -> list[str]:
    """Which side of its point each label goes, alternating among points within ``near`` degrees."""
    sides = ["right", "left", "bottom", "top"]
    placed: list[tuple[float, float, int]] = []
    out = []
    for lat, lon in zip(lats, lons):
        crowd = sum(1 for y, x, _ in placed if abs(y - lat) < near and abs(x - lon) < near)
        out.append(sides[crowd % len(sides)])
        placed.append((lat, lon, crowd))
    return out


def spread(lats: list[float], lons: list[float]) -> list[list[int]] | None:
    """Pixel offsets placing records that share a position around a small ring, in record order."""
    groups: dict[tuple[float, float], list[int]] = defaultdict(list)
    for i, key in enumerate(zip(lats, lons)):
        groups[(round(key[0], 4), round(key[1], 4))].append(i)
    offsets = [[0, 0] for _ in lats]
    for members in groups.values():
        if len(members) < 2:
            continue
        for k, i in enumerate(members):
            angle = 2 * math.pi * k / len(members) - math.pi / 2
            offsets[i] = [round(SPREAD_PX * math.cos(angle)), round(SPREAD_PX * math.sin(angle))]
    return offsets if any(o != [0, 0] for o in offsets) else None


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


def name_of(rows: dict[str, Any], ident: object) -> str | None:
    """The name of the record ``ident`` names, its id when the map left that record out, or None."""
    if not isinstance(ident, str):
        return None
    row = rows.get(ident.casefold())
    return row.name if row is not None else ident
