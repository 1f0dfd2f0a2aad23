"""Reference places on the base map: country names, capitals and major cities, and seas, from
Natural Earth (geo/data/places.csv, built by geo/data/build_places.py). They are labelled by the
same placer as the records, after every record, so a place never covers a record or its label."""
from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

from geo.geodesic import normalise
from layers.labels import Mark

PLACES = files("geo.data") / "places.csv"
ORDER = {"city": 0, "country": 1, "sea": 2}  # at one zoom of first showing: cities (fixed), countries, seas
DOT = (-2.0, -2.0, 2.0, 2.0)  # a city's dot, in px around its point


@cache
def places() -> tuple[dict[str, str], ...]:
    """Every reference place: kind (city, country, sea), name, lat, lon, min_zoom, rank, country and
    the name in each language Natural Earth gives (name_ja, name_ko, name_zh, name_fr...)."""
    with PLACES.open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def place_marks(bounds: tuple[float, float, float, float], centre: float, locale: str = "en") -> list[Mark]:
    """Marks for the places in and a little around ``bounds`` (west, south, east, north), longitudes
    around ``centre``, so a reader who pans or zooms out a step still sees the nearest names; named
    in ``locale`` where Natural Earth has the name ('東京'), else in English."""
    west, south, east, north = bounds
    margin = max((east - west) / 4, (north - south) / 4, 5.0)
    marks = []
    for n, p in enumerate(places()):
        lat, lon = float(p["lat"]), normalise(float(p["lon"]), centre)
        if not (west - margin <= lon <= east + margin and south - margin <= lat <= north + margin):
            continue
        weight = -int(p["rank"]) if p["kind"] == "city" else int(p["rank"])  # population; or label rank
        marks.append(Mark(f"place:{n}", lat, round(lon, 4), p.get(f"name_{locale}") or p["name"],
                          (float(p["min_zoom"]), ORDER[p["kind"]], weight, p["name"]),
                          DOT if p["kind"] == "city" else (0.0, 0.0, 0.0, 0.0),
                          style=p["kind"], min_zoom=float(p["min_zoom"]), fixed=True))
    return marks
