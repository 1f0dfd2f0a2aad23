"""The peers deploymap is measured against: the scripts a desk would write by hand for many points.

Run in the bench's own environment (bench/.venv, made by ``make bench``) as
``python bench/baselines.py STYLE RECORDS.csv OUT.html``, STYLE one of PEERS. Each imports only
what its own path needs, so its whole-process time is what a user of that tool would see.
"""
from __future__ import annotations

import csv
import sys

PEERS = ("fastcluster", "lonboard", "geojson", "explore", "marker")


def rows(records: str) -> list[dict[str, str]]:
    """The CSV's rows, as the folium scripts read them."""
    with open(records, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def folium_map():
    """The empty folium map every folium peer starts from: no tiles (the bench has no network), so the
    zoom limit a tile layer would bring is given to the map (marker clusters need one)."""
    import folium

    return folium.Map(location=[22, 140], zoom_start=3, tiles=None, maxZoom=18)


def frame(records: str):
    """The records as a GeoDataFrame of points, as a geopandas user would load them."""
    import geopandas
    import pandas

    df = pandas.read_csv(records)
    return geopandas.GeoDataFrame(df, geometry=geopandas.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")


def marker(records: str, out: str) -> None:
    """One Marker with a Popup per record: the naive script."""
    import folium

    fmap = folium_map()
    for row in rows(records):
        folium.Marker([float(row["lat"]), float(row["lon"])],
                      popup=folium.Popup(f"{row['name']} ({row['kind']})")).add_to(fmap)
    fmap.save(out)


def geojson(records: str, out: str) -> None:
    """One folium.GeoJson layer of circle markers with a popup."""
    import folium

    fmap = folium_map()
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(r["lon"]), float(r["lat"])]},
                 "properties": {"name": r["name"], "kind": r["kind"], "troops": r["troops"]}} for r in rows(records)]
    folium.GeoJson({"type": "FeatureCollection", "features": features}, marker=folium.CircleMarker(radius=3),
                   popup=folium.GeoJsonPopup(fields=["name", "kind", "troops"])).add_to(fmap)
    fmap.save(out)


def fastcluster(records: str, out: str) -> None:
    """folium.plugins.FastMarkerCluster: markers built in the browser from a list of coordinates."""
    from folium.plugins import FastMarkerCluster

    fmap = folium_map()
    FastMarkerCluster([[float(r["lat"]), float(r["lon"])] for r in rows(records)]).add_to(fmap)
    fmap.save(out)


def explore(records: str, out: str) -> None:
    """geopandas' GeoDataFrame.explore(), tooltips on every column, saved as its folium map."""
    frame(records).explore(tiles=None).save(out)


def lonboard(records: str, out: str) -> None:
    """lonboard's viz() (deck.gl, data as GeoArrow/Parquet in the page), exported with to_html."""
    from lonboard import viz

    viz(frame(records)).to_html(out)


if __name__ == "__main__":
    style, records_csv, out_html = sys.argv[1:]
    if style not in PEERS:
        raise SystemExit(f"unknown peer {style!r}: one of {', '.join(PEERS)}")
    globals()[style](records_csv, out_html)
