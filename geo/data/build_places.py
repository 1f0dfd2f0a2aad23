"""Rebuild places.csv, the base map's reference places, from Natural Earth (public domain).

Run once by hand; not used at run time. Inputs, all Natural Earth v5 attribute tables and shapes:

- ``ne_50m_populated_places.csv`` and ``ne_50m_admin_0_countries.csv`` (the shapefiles' DBF tables as
  CSV, from the repository Raysphere24/NaturalEarthCsvTsv, folder csv_with_names/50m_cultural/);
- ``ne_10m_geography_marine_polys.csv`` (same repository, csv_with_names/10m_physical/: the names in
  other languages) and ``ne_10m_geography_marine_polys.json`` (the polygons, matched by name, from the repository
  martynafford/natural-earth-geojson, 10m/physical/: where each sea's label goes);
- country label points are computed from this folder's countries.geojson (Natural Earth 1:50m).

``python geo/data/build_places.py FOLDER`` with those four files in FOLDER writes places.csv: one row
per capital or major city, country and sea, with the zoom Natural Earth shows it from, its rank
(population or label rank) and its name in every language Natural Earth gives.
"""
import csv
import json
import sys
from pathlib import Path

import shapely
from shapely.ops import polylabel

HERE = Path(__file__).parent
OUT = HERE / "places.csv"
LANGUAGES = ("ar", "bn", "de", "el", "en", "es", "fa", "fr", "he", "hi", "hu", "id", "it", "ja", "ko", "nl", "pl",
             "pt", "ru", "sv", "tr", "uk", "ur", "vi", "zh", "zht")
COLUMNS = ("kind", "name", "lat", "lon", "min_zoom", "rank", "country", *[f"name_{lang}" for lang in LANGUAGES])
SEA_CLASSES = {"ocean", "sea", "gulf", "bay", "strait", "channel", "sound"}
# Names whose polygons in the GeoJSON release lie elsewhere than the sea named: "Inner Seas off the
# West Coast of Scotland" is labelled in Japan's Seto Inland Sea there (seen on the Korea test map).
MISPLACED = {"inner seas off the west coast of scotland"}


def _names(row: dict[str, str], upper: bool) -> dict[str, str]:
    return {f"name_{lang}": (row.get(f"NAME_{lang.upper()}" if upper else f"name_{lang}") or "").strip()
            for lang in LANGUAGES}


def _label_point(shape: shapely.Geometry) -> tuple[float, float]:
    """(lon, lat) well inside the largest part of a polygon: where its name is written."""
    largest = max(shapely.get_parts(shape), key=lambda p: p.area)
    point = polylabel(largest, tolerance=0.05)
    return round(point.x, 3), round(point.y, 3)


def cities(folder: Path) -> list[dict[str, object]]:
    """Capitals and major cities of Natural Earth 1:50m, ranked by population."""
    with open(folder / "ne_50m_populated_places.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [{"kind": "city", "name": r["NAME"], "lat": round(float(r["LATITUDE"]), 4),
             "lon": round(float(r["LONGITUDE"]), 4), "min_zoom": float(r["MIN_ZOOM"]), "rank": int(float(r["POP_MAX"])),
             "country": r["ISO_A2"] if r["ISO_A2"] != "-99" else "", **_names(r, True)} for r in rows]


def countries(folder: Path) -> list[dict[str, object]]:
    """Country names at a point inside each country, from the zoom Natural Earth labels them at."""
    parts: dict[str, list[shapely.Geometry]] = {}
    for f in json.loads((HERE / "countries.geojson").read_text(encoding="utf-8"))["features"]:
        if f["geometry"] and f["properties"]["iso_a2"]:
            parts.setdefault(f["properties"]["iso_a2"], []).append(shapely.geometry.shape(f["geometry"]))
    shapes = {code: shapely.union_all(p) for code, p in parts.items()}
    with open(folder / "ne_50m_admin_0_countries.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        code = r["ISO_A2_EH"] if r["ISO_A2_EH"] != "-99" else ""
        if code not in shapes:
            continue
        lon, lat = _label_point(shapes[code])
        out.append({"kind": "country", "name": r["NAME"], "lat": lat, "lon": lon, "min_zoom": float(r["MIN_LABEL"]),
                    "rank": int(r["LABELRANK"]), "country": code, **_names(r, True)})
    return out


def seas(folder: Path) -> list[dict[str, object]]:
    """Oceans, seas, gulfs, bays and straits of Natural Earth 1:10m at a point inside each."""
    with open(folder / "ne_10m_geography_marine_polys.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    polygons: dict[str, list[shapely.Geometry]] = {}
    for feature in json.loads((folder / "ne_10m_geography_marine_polys.json").read_text(encoding="utf-8"))["features"]:
        if feature["geometry"] and feature["properties"]["name"]:
            key = feature["properties"]["name"].casefold()
            polygons.setdefault(key, []).append(shapely.geometry.shape(feature["geometry"]))
    out = []
    done = set()
    for r in rows:  # the two tables come from different releases: match them by name
        key = r["name"].casefold()
        if r["featurecla"] not in SEA_CLASSES or key not in polygons or key in done or key in MISPLACED:
            continue
        done.add(key)
        lon, lat = _label_point(shapely.union_all(polygons[key]))
        name = r["name_en"] or r["name"].title()
        out.append({"kind": "sea", "name": name, "lat": lat, "lon": lon, "min_zoom": float(r["min_label"]),
                    "rank": int(r["scalerank"]), "country": "", **_names(r, False)})
    return out


def main(folder: str) -> None:
    """Write places.csv from the Natural Earth tables in ``folder``, sorted so rebuilds diff cleanly."""
    rows = cities(Path(folder)) + countries(Path(folder)) + seas(Path(folder))
    rows.sort(key=lambda r: (r["kind"], r["name"], r["lat"], r["lon"]))
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1])
