"""What one map is: its texts, records, layers, view, base map and size (from a map file or flags)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

THEMES = ("auto", "light", "dark")  # auto: the reader's prefers-color-scheme, or the embed's #theme=
DEFAULT_LAYERS = ("countries", "ranges", "itineraries", "commands", "bases", "deployments", "events")


@dataclass(frozen=True)
class Annotation:
    """A desk's text on the map ("Taiwan Strait"), at a point or a record, with an optional leader line."""

    text: str
    at: tuple[float, float] | None = None  # lat, lon
    record: str | None = None  # or the id of the record it sits at
    leader: tuple[float, float] | None = None  # lat, lon the leader line points to


@dataclass
class MapSpec:
    """Everything needed to render one map from a records frame."""

    title: str = "Map"
    dek: str = ""
    credit: str = ""
    source: str = ""
    records: list[str] = field(default_factory=list)
    kinds: list[str] | None = None
    tags: list[str] | None = None
    as_of: str | None = None
    layers: list[tuple[str, dict[str, Any]]] | None = None  # None: every layer that has something to draw
    bounds: tuple[float, float, float, float] | None = None  # west, south, east, north; None: fit the subject
    center: tuple[float, float] | None = None  # lat, lon, with zoom: a fixed first view
    zoom: float | None = None
    fit: list[str] | None = None  # ids or kinds to frame; None: the map's subject (output/framing.py)
    inset: bool | tuple[float, float, float, float] = False  # a locator map: True, or the region it shows
    annotations: list[Annotation] = field(default_factory=list)
    where: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (file, line), for errors at render
    basemap: str = "natural-earth"
    places: bool = True  # reference places (countries, cities, seas) on the natural-earth base map
    width: int = 800
    height: int = 560
    max_height: int | None = None  # caps the map's height in a wide frame (portrait maps); None: no cap
    output: str = "map"
    assets: str = "inline"
    large: bool | None = None  # force or forbid the large-layer path; None: by record count
    alt: str = ""  # the author's text alternative; empty: a description written from the records
    locale: str = "en"  # the page's language: its own words, numbers and dates
    theme: str = "auto"  # one of THEMES
    exports: list[str] = field(default_factory=list)  # formats of the records written beside the map: kmz, csv...
    orbat: bool | None = None  # the order-of-battle panel: True, False, or None for when a command reports up
    symbols: str = "simple"  # app6: APP-6 symbols on the markers and in the legend; simple: the kinds' glyphs

    def roles(self) -> dict[str, str]:
        """The country roles the map's countries layer gives (alpha-2 code -> host, ally, ...)."""
        return next((dict(options["roles"]) for kind, options in self.layers or [] if kind == "countries"
                     and options.get("roles")), {})
