"""What one map is: its texts, records, layers, view, base map and size (from a map file or flags)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

THEMES = ("auto", "light", "dark")  # auto: the reader's prefers-color-scheme, or the embed's #theme=
DEFAULT_LAYERS = ("countries", "ranges", "itineraries", "commands", "bases", "deployments", "events")


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
    bounds: tuple[float, float, float, float] | None = None  # west, south, east north; None: fit the data
    basemap: str = "natural-earth"
    width: int = 800
    height: int = 560
    output: str = "map"
    assets: str = "inline"
    large: bool | None = None  # force or forbid the large-layer path; None: by record count
    alt: str = ""  # the author's text alternative; empty: a description written from the records
    locale: str = "en"  # the page's language: its own words, numbers and dates
    theme: str = "auto"  # one of THEMES
