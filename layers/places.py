"""Reference places on the base map: country names, capitals and major cities, and seas, from
Natural Earth (geo/data/places.csv, built by geo/data/build_places.py). They are labelled by the
same placer as the records, after every record, so a place never covers a record or its label."""
from __future__ import annotations

from functools import cache
from importlib.resources import files

import pandas as pd

from geo.geodesic import normalise
from layers.labels import Mark

PLACES = files("geo.data") / "places.csv"
ORDER = {"city": 0, "country": 1, "sea": 2}  # at one zoom of first showing: cities (fixed), countries, seas
DOT = (-2.0, -2.0, 2.0, 2.0)  # a city's dot, in px around its point


@cache
def places(locale: str = "en") -> dict[str, list[str]]:
    """Every reference place by column, as written: kind (city, country, sea), name, lat, lon, min_zoom,
    rank, country, and "local", its name in ``locale`` where Natural Earth gives one (name_ja...), else ''.
    Only these columns are read: the names in the file's 26 languages are most of its 700 KB (read
    whole, a large map's render spent 17 ms on them)."""
    own = f"name_{locale}"
    with PLACES.open("rb") as f:
        read = pd.read_csv(f, dtype=str, na_filter=False, encoding="utf-8", usecols=lambda c: c in (*COLUMNS, own))
    columns = {column: read[column].tolist() for column in COLUMNS}
    return {**columns, "local": read[own].tolist() if own in read else [""] * len(read)}


COLUMNS = ("kind", "name", "lat", "lon", "min_zoom", "rank", "country")


def place_marks(bounds: tuple[float, float, float, float], centre: float, locale: str = "en") -> list[Mark]:
    """Marks for the places in and a little around ``bounds`` (west, south, east, north), longitudes
    around ``centre``, so a reader who pans or zooms out a step still sees the nearest names; named
    in ``locale`` where Natural Earth has the name ('東京'), else in English."""
    west, south, east, north = bounds
    margin = max((east - west) / 4, (north - south) / 4, 5.0)
    p = places(locale)
    marks = []
    for n, (kind, name, local, lat, lon, zoom, rank) in enumerate(zip(
            p["kind"], p["name"], p["local"], map(float, p["lat"]), map(float, p["lon"]), p["min_zoom"], p["rank"])):
        lon = normalise(lon, centre)
        if not (west - margin <= lon <= east + margin and south - margin <= lat <= north + margin):
            continue
        weight = -int(rank) if kind == "city" else int(rank)  # population; or label rank
        marks.append(Mark(f"place:{n}", lat, round(lon, 4), local or name, (float(zoom), ORDER[kind], weight, name),
                          DOT if kind == "city" else (0.0, 0.0, 0.0, 0.0), style=kind, min_zoom=float(zoom), fixed=True))
    return marks
