"""The two baselines deploymap is measured against: the folium scripts a desk would write by hand.

Run as ``python bench/baselines.py marker|geojson RECORDS.csv OUT.html``.
"""
from __future__ import annotations

import csv
import sys

import folium


def main(style: str, records: str, out: str) -> None:
    """A folium map of the records: one Marker with a Popup each, or one GeoJson layer of circle markers."""
    with open(records, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fmap = folium.Map(location=[22, 140], zoom_start=3, tiles=None)
    if style == "marker":
        for row in rows:
            folium.Marker([float(row["lat"]), float(row["lon"])],
                          popup=folium.Popup(f"{row['name']} ({row['kind']})")).add_to(fmap)
    else:
        features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(r["lon"]), float(r["lat"])]},
                     "properties": {"name": r["name"], "kind": r["kind"], "troops": r["troops"]}} for r in rows]
        folium.GeoJson({"type": "FeatureCollection", "features": features}, marker=folium.CircleMarker(radius=3),
                       popup=folium.GeoJsonPopup(fields=["name", "kind", "troops"])).add_to(fmap)
    fmap.save(out)


if __name__ == "__main__":
    main(*sys.argv[1:])
