"""What every export holds: the record fields in order, then the unknown columns, each cell as plain data."""
from __future__ import annotations

from typing import Any

import geopandas as gpd

from geo.fields import FIELDS, LIST_SEPARATOR
from geo.records import COLUMNS
from layers.points import value

# the gazetteer's operator says who runs a base; 'resolved' and 'origin' describe one run, not the record
DERIVED = ("operator",)
LAYERS = {"base": "bases", "deployment": "deployments", "command": "commands", "event": "events"}
INTEGERS = ("troops", "count")
REALS = ("lat", "lon", "range_km")
LISTS = ("participants", "tags")
LOCATION = ("lat", "lon")  # formats with a geometry keep the point there, not in fields


def columns(frame: gpd.GeoDataFrame) -> list[str]:
    """The exported columns: every record field, the operator, then unknown columns as they came."""
    extra = [c for c in frame.columns if c not in COLUMNS and c != frame.geometry.name]
    return [*FIELDS, *DERIVED, *extra]


def records(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Each record as {column: value}: None when missing, lists as lists of text, Python numbers."""
    names = columns(frame)
    cells = {c: [value(v) for v in frame[c]] if c in frame else [None] * len(frame) for c in names}
    return [{c: cells[c][i] for c in names} for i in range(len(frame))]


def joined(cell: Any) -> Any:
    """A list as text joined with ';', as records are written in CSV; anything else unchanged."""
    return LIST_SEPARATOR.join(cell) if isinstance(cell, list) else cell


def by_layer(frame: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """The records of each kind that has any, keyed by its layer name, in the layers' order."""
    return {layer: frame[frame["kind"] == kind] for kind, layer in LAYERS.items() if (frame["kind"] == kind).any()}
