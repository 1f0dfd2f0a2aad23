"""deploymap from Python, for notebooks and scripts: read records, make a map, save it, export its
records, and show it inline. ``import deploymap`` re-exports this module; the CLI's render and export
commands are thin over the same functions.

    records = deploymap.read_records("seeds/records")
    m = deploymap.Map(records, title="US forces in Japan", layers=["bases", "commands"])
    m.save("japan.html"); m.export("japan.kmz")
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from html import escape
from pathlib import Path
from typing import Any, Union

import geopandas as gpd

from geo.files import write_atomic
from geo.records import read_records as _read_records
from geo.select import select
from layers import BUILDERS
from output.document import Rendered, render
from output.mapspec import MapSpec

# a layer by name, or with its options: "events", ("events", {"title": "Meetings"}), {"events": {...}}
LayerChoice = Union[str, tuple[str, dict[str, Any]], dict[str, dict[str, Any]]]
OPTIONS = tuple(f.name for f in fields(MapSpec) if f.name not in ("title", "layers", "records"))


def read_records(paths: str | Path | Iterable[str | Path], online: bool = False) -> gpd.GeoDataFrame:
    """Records files or folders (CSV, YAML, GeoJSON, GeoPackage, KML, KMZ) as one validated, geocoded
    GeoDataFrame in EPSG:4326; RecordError lists every problem, each with its file, line and fix.

    ``online`` lets places unknown offline be asked of OpenStreetMap's Nominatim (answers are cached).
    """
    return _read_records([paths] if isinstance(paths, (str, Path)) else list(paths), online)


class Map:
    """One map of a records frame: ``Map(frame, title=..., layers=[...], dek=..., kinds=[...], as_of=...)``.

    Options are those of a map file (dek, credit, source, kinds, tags, as_of, bounds, basemap, width,
    height, assets, large, exports, output). The page is rendered when first asked for and kept while
    the options stay the same; make a new Map after changing the records frame.
    """

    def __init__(self, frame: gpd.GeoDataFrame, title: str = "Map", layers: Iterable[LayerChoice] | None = None,
                 **options: Any):
        unknown = [name for name in options if name not in OPTIONS]
        if unknown:
            raise TypeError(f"Map() has no option {unknown[0]!r}; use title, layers or one of {', '.join(OPTIONS)}")
        self.frame = frame
        self.spec = MapSpec(title=title, layers=None if layers is None else layer_choices(layers), **options)
        self._rendered: tuple[str, Rendered] | None = None

    @classmethod
    def from_file(cls, path: str | Path, online: bool = False) -> Map:
        """The map a map file (``*.map.yaml``) describes, with its records read and checked."""
        from output.mapfile import load_mapfile  # late, as export's: a render needs neither

        spec = load_mapfile(Path(path))
        made = cls(read_records(spec.records, online))
        made.spec = spec
        return made

    @property
    def records(self) -> gpd.GeoDataFrame:
        """The records the map shows: the frame narrowed by the map's kinds, tags and as-of date."""
        return select(self.frame, self.spec.kinds, self.spec.tags, self.spec.as_of)

    def render(self) -> Rendered:
        """The rendered page and what each layer drew (kept until the options change)."""
        key = repr(self.spec)
        if self._rendered is None or self._rendered[0] != key:
            self._rendered = (key, render(self.frame, self.spec))
        return self._rendered[1]

    def to_html(self) -> str:
        """The self-contained HTML page: it displays with no network."""
        return self.render().html

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` atomically (a failed write leaves the previous file); return the path."""
        path = Path(path)
        write_atomic(path, self.to_html().encode())
        return path

    def geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection of what the map drew, layer by layer."""
        return self.render().geojson()

    def export(self, path: str | Path) -> Path:
        """Write the map's records to ``path`` as .kmz, .kml, .gpkg, .csv or .geojson (by its suffix)."""
        from output.export import export

        return export(self.records, path, self.spec.title, self.spec)

    def _repr_html_(self) -> str:
        """The page inside a sandboxed iframe (scripts only: no access to the notebook, its cookies or
        its origin), its HTML held in ``srcdoc``, so it shows in untrusted and exported notebooks alike."""
        spec = self.spec
        return (f'<iframe srcdoc="{escape(self.to_html(), quote=True)}" sandbox="allow-scripts" '
                f'title="{escape(spec.title, quote=True)}" width="{spec.width}" height="{spec.height}" '
                f'style="width:100%;max-width:{spec.width}px;aspect-ratio:{spec.width}/{spec.height};'
                f'height:auto;border:0"></iframe>')


def layer_choices(choices: Iterable[LayerChoice]) -> list[tuple[str, dict[str, Any]]]:
    """Layer choices as (kind, options) pairs; ValueError names a layer deploymap does not have."""
    out: list[tuple[str, dict[str, Any]]] = []
    for choice in choices:
        if isinstance(choice, str):
            pairs = [(choice, {})]
        elif isinstance(choice, dict):
            pairs = [(kind, dict(options or {})) for kind, options in choice.items()]
        else:
            kind, options = choice
            pairs = [(kind, dict(options))]
        for kind, options in pairs:
            if kind not in BUILDERS:
                raise ValueError(f"{kind!r} is not a layer; use {', '.join(BUILDERS)}")
            out.append((kind, options))
    return out
