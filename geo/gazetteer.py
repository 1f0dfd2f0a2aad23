"""The curated gazetteer of military installations shipped in geo/data/installations.csv."""
from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from geo.geonames import Place
from geo.names import normalise

INSTALLATIONS = Path(__file__).parent / "data" / "installations.csv"


@cache
def _index() -> dict[str, list[Place]]:
    index: dict[str, list[Place]] = {}
    with INSTALLATIONS.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            place = Place(row["name"], row["country"], float(row["lat"]), float(row["lon"]),
                          how="gazetteer", operator=row["operator"], source=row["source"])
            keys = {normalise(k) for k in [row["id"], row["name"], *row["aliases"].split(";")] if k.strip()}
            for key in keys:
                index.setdefault(key, []).append(place)
    return index


def installations(name: str, country: str | None = None) -> list[Place]:
    """Installations whose name, alias or id is ``name``, optionally in one country."""
    found = _index().get(normalise(name), [])
    return sorted((p for p in found if country in (None, p.country)), key=lambda p: (p.country, p.name))


def names() -> dict[str, str]:
    """Every lookup key of the gazetteer with the installation it names, for suggesting near misses."""
    return {key: places[0].name for key, places in _index().items()}
