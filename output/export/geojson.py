"""Records as GeoJSON: every record (not only what a map drew), its fields as properties, lists as arrays."""
from __future__ import annotations

import json

import geopandas as gpd

from output.export.columns import LOCATION, columns, records


def to_bytes(frame: gpd.GeoDataFrame, title: str = "") -> bytes:
    """A FeatureCollection with one Point feature per record, every field a property (null when missing)."""
    names = [c for c in columns(frame) if c not in LOCATION]
    features = [{"type": "Feature", "id": r["id"],
                 "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                 "properties": {c: r[c] for c in names}}
                for r in records(frame)]
    collection = {"type": "FeatureCollection", "features": features}
    return (json.dumps(collection, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n").encode()
