"""What the offline geocoder knows, written for `deploymap gazetteer`: a table, CSV or GeoJSON."""
from __future__ import annotations

import csv
import io
import json

from geo.geonames import Place

FIELDS = ("id", "name", "country", "type", "operator", "lat", "lon", "precision", "population", "how", "match",
          "source")
TABLE = ("id", "name", "country", "type", "lat", "lon", "precision", "how", "match")
Known = list[tuple[Place, str]]  # each place with how the query matched it (geo.geocode.known)


def _row(place: Place, match: str) -> dict[str, str]:
    return {"match": match, "id": place.ident, "name": place.name, "country": place.country,
            "type": place.kind or ("city" if place.how == "geonames" else ""), "operator": place.operator,
            "lat": f"{place.lat:.4f}", "lon": f"{place.lon:.4f}", "precision": place.precision or "",
            "population": str(place.population or ""), "how": place.how, "source": place.source}


def as_table(places: Known) -> str:
    """Aligned columns, one place a line, for reading in a terminal."""
    rows = [dict(zip(TABLE, TABLE))] + [_row(p, m) for p, m in places]
    widths = {f: max(len(r[f]) for r in rows) for f in TABLE}
    return "\n".join("  ".join(r[f].ljust(widths[f]) for f in TABLE).rstrip() for r in rows)


def as_csv(places: Known) -> str:
    """CSV with a header, every field."""
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_row(p, m) for p, m in places)
    return out.getvalue().rstrip("\n")


def as_geojson(places: Known) -> str:
    """A GeoJSON FeatureCollection of points, every field a property."""
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                 "properties": _row(p, m)} for p, m in places]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1)


FORMATS = {"table": as_table, "csv": as_csv, "geojson": as_geojson}
