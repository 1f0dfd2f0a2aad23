"""The curated gazetteer of military installations shipped in geo/data/installations.csv.

Columns: id, name, aliases (';'-separated, local scripts welcome), country, type, operator, lat, lon,
precision (whole metres, or 'town'), point (what the point is), source, source2, note.
"""
from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from geo.geonames import Place
from geo.names import fold

INSTALLATIONS = Path(__file__).parent / "data" / "installations.csv"
COLUMNS = ("id", "name", "aliases", "country", "type", "operator", "lat", "lon", "precision", "point",
           "source", "source2", "note")
ALIAS_SEPARATOR = ";"
# Keys that name more than one installation on purpose: asking for them is an error listing each.
SHARED_KEYS = frozenset({
    "jbphh",  # Joint Base Pearl Harbor-Hickam is both the naval station and Hickam Field
})


@cache
def rows() -> tuple[dict[str, str], ...]:
    """Every installation as its CSV row, in file order."""
    with INSTALLATIONS.open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def keys(row: dict[str, str]) -> set[str]:
    """The folded lookup keys of one installation: its id, name and aliases."""
    names = [row["id"], row["name"], *row["aliases"].split(ALIAS_SEPARATOR)]
    return {fold(n) for n in names if n.strip()}


def place(row: dict[str, str]) -> Place:
    """An installation as a resolved place."""
    return Place(row["name"], row["country"], float(row["lat"]), float(row["lon"]), how="gazetteer",
                 operator=row["operator"], source=row["source"], ident=row["id"], kind=row["type"],
                 precision=row["precision"])


@cache
def _index() -> dict[str, list[Place]]:
    index: dict[str, list[Place]] = {}
    for row in rows():
        for key in keys(row):
            index.setdefault(key, []).append(place(row))
    return index


def installations(name: str, country: str | None = None) -> list[Place]:
    """Installations whose name, alias or id folds to the same key as ``name``, optionally in one country."""
    found = _index().get(fold(name), []) if name.strip() else []
    return sorted((p for p in found if country in (None, p.country)), key=lambda p: (p.country, p.name))


def mentioning(name: str) -> list[Place]:
    """Installations with a name or alias containing ``name`` as whole words ('Gamu' -> 'Gamu EDCA site')."""
    key = f" {fold(name)} " if name.strip() else ""
    found = {p.ident: p for k, places in _index().items() if key and key in f" {k} " for p in places}
    return sorted(found.values(), key=lambda p: (p.country, p.name))


def names() -> dict[str, str]:
    """Every lookup key of the gazetteer with the installation it names, for suggesting near misses."""
    return {key: places[0].name for key, places in _index().items()}
