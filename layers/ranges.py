"""Ranges: geodesic rings of ``range_km`` around the records that give one."""
from __future__ import annotations

import geopandas as gpd

from geo.geodesic import ring
from layers.datalayer import Layer, LegendEntry, feature_group
from layers.locale import number
from layers.messages import say
from layers.style import COLORS


def ranges(frame: gpd.GeoDataFrame, *, centre: float, title: str | None = None, locale: str = "en") -> Layer:
    """A ring per record with ``range_km``, labelled with the record and the distance."""
    title = title or say("Ranges", locale)
    given = frame["range_km"].notna().to_numpy()  # the four columns' rows, not every column's (or a row tuple's)
    records = zip(*(frame[c].to_numpy()[given].tolist() for c in ("name", "lat", "lon", "range_km")))
    areas = [{"rings": [[[list(p) for p in ring(lat, lon, km, centre)]]], "color": COLORS["ring"],
              "label": f"{name}: {number(round(km), locale)} km"} for name, lat, lon, km in records]
    group = feature_group(title, {"type": "areas", "areas": areas, "opacity": 0.08})
    features = [{"type": "Feature", "geometry": {"type": "Polygon",
                                                 "coordinates": [[[lon, lat] for lat, lon in a["rings"][0][0]]]},
                 "properties": {"layer": title, "label": a["label"]}} for a in areas]
    legend = [LegendEntry(title, "ring", COLORS["ring"], say("geodesic distance", locale))]
    return Layer(group, legend, lambda: features, len(areas))
