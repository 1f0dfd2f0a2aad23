"""Exports: the records of a map as files other tools open (Google Earth, QGIS, spreadsheets), one module
per format, each turning a records frame into bytes so a build writes them with the map's other files."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd

from geo.files import write_atomic
from geo.select import select
from output.export import csv, geojson, gpkg, kml
from output.mapspec import MapSpec

FORMATS: dict[str, Callable[[gpd.GeoDataFrame, str], bytes]] = {
    "kmz": kml.to_kmz,
    "kml": kml.to_kml,
    "gpkg": gpkg.to_bytes,
    "csv": csv.to_bytes,
    "geojson": geojson.to_bytes,
}


def format_of(path: Path) -> str:
    """The export format a file name asks for, by its suffix; ValueError names the formats there are."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"{path.name!r} has no export suffix; use one of "
                         + ", ".join(f".{f}" for f in FORMATS))
    return fmt


def writer(fmt: str, frame: gpd.GeoDataFrame, spec: MapSpec | None) -> Callable[[gpd.GeoDataFrame, str], bytes]:
    """The function writing ``fmt``; the KMZ of a map with APP-6 symbols carries them as its icons."""
    if fmt == "kmz" and spec is not None and spec.symbols == "app6":
        from output.export.symbols import symbol_kmz  # late: it rasterises with Chromium

        return symbol_kmz(frame, spec)
    return FORMATS[fmt]


def export(frame: gpd.GeoDataFrame, path: str | Path, title: str | None = None, spec: MapSpec | None = None) -> Path:
    """Write the records of ``frame`` to ``path`` in the format its suffix names (atomically); ``spec``,
    the map they come from, gives a KMZ its APP-6 symbols when the map draws them."""
    path = Path(path)
    fmt = format_of(path)
    write_atomic(path, writer(fmt, frame, spec)(frame, title or path.stem))
    return path


def export_name(output: str, fmt: str) -> str:
    """The file name of a map's export; its records' GeoJSON stays apart from the GeoJSON of what was drawn."""
    return f"{output}.records.geojson" if fmt == "geojson" else f"{output}.{fmt}"


def map_exports(frame: gpd.GeoDataFrame, spec: MapSpec) -> dict[str, bytes]:
    """The export files of a map by name: the records the map selects, in each format its spec lists."""
    chosen = select(frame, spec.kinds, spec.tags, spec.as_of)
    return {export_name(spec.output, fmt): writer(fmt, chosen, spec)(chosen, spec.title) for fmt in spec.exports}
