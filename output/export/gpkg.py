"""Records as a GeoPackage for QGIS and GDAL: one layer per kind, every field typed.

Types: troops and count are integers, range_km is real, every other field is text; start and end are
ISO 8601 text, not DATE, because a record's date may be a year (2024) or a month (2024-07), which a
GeoPackage DATE cannot hold. Lists are joined with ';' as in CSV. The point is the geometry (EPSG:4326).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from output.export.columns import INTEGERS, LOCATION, REALS, by_layer, columns, joined, records

# GDAL stamps each layer's last change with the clock; a fixed date keeps the bytes the same run to run
FIXED_DATE = {"OGR_CURRENT_DATE": "2000-01-01T00:00:00.000Z"}


def to_bytes(frame: gpd.GeoDataFrame, title: str = "") -> bytes:
    """A GeoPackage with a layer per kind (bases, deployments, commands, events) of the records in ``frame``."""
    import pyogrio  # late: GDAL is 50 MB of memory that a map without a GeoPackage never needs

    with tempfile.TemporaryDirectory(prefix="deploymap-gpkg-") as folder:
        path = Path(folder) / "records.gpkg"
        previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
        pyogrio.set_gdal_config_options(FIXED_DATE)
        try:
            # with no records at all, an empty bases layer: the file still opens, with its fields
            for layer, part in (by_layer(frame) or {"bases": frame.iloc[:0]}).items():
                pyogrio.write_dataframe(typed(part), path, layer=layer, driver="GPKG")
        finally:
            pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
        return path.read_bytes()


def typed(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The records with one typed column per field: nullable integers, reals, and text (lists joined)."""
    rows = records(frame)
    data: dict[str, pd.Series] = {}
    for name in columns(frame):
        if name in LOCATION:
            continue
        cells = [row[name] for row in rows]
        if name in INTEGERS:
            data[name] = pd.Series(cells, dtype="Int64")
        elif name in REALS:
            data[name] = pd.Series([float("nan") if c is None else c for c in cells], dtype="float64")
        else:
            data[name] = pd.Series([None if c is None else str(joined(c)) for c in cells], dtype=object)
    return gpd.GeoDataFrame(data, geometry=list(frame.geometry), crs="EPSG:4326")

