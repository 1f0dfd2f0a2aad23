"""Deployments: troops as circles whose area is proportional to headcount, assets as labelled
markers; country-level figures sit on the country's label point."""
from __future__ import annotations

import math

import geopandas as gpd

from layers.datalayer import Layer, LegendEntry, feature_group
from layers.labels import record_marks
from layers.messages import labelled, say
from layers.points import is_large, name_of, of_kind, point_features, point_spec, rows_by_id, symbol
from layers.style import COLORS, LOCATION_FIELD, SOURCE_FIELDS, period, thousands

POPUP = [("Troops", "troops"), ("Assets", "assets"), ("Count", "count"), ("Branch", "branch"),
         ("At", "at_name"), ("Country", "country"), LOCATION_FIELD, ("Period", "when"),
         *SOURCE_FIELDS]
MAX_RADIUS = 36  # pixels for the largest force on the map


def radius(troops: float, largest: float) -> float:
    """Circle radius in pixels so that area, not radius, is proportional to troops."""
    return round(MAX_RADIUS * math.sqrt(troops / largest), 2) if largest else 0.0


def deployments(frame: gpd.GeoDataFrame, *, centre: float, title: str | None = None,
                large: bool | None = None, labels: str = "auto", locale: str = "en") -> Layer:
    """Records of kind deployment: proportional circles for troops, labelled markers for assets."""
    title = title or say("Troops and assets", locale)
    popup = labelled(POPUP, locale)
    records = of_kind(frame, "deployment").copy()
    by_id = rows_by_id(frame)
    records["at_name"] = [name_of(by_id, a) for a in records["at"]]
    records["when"] = [period(s, e, locale) for s, e in zip(records["start"], records["end"])]
    big = is_large(records, large)
    troops = records[records["troops"].notna()]
    assets = records[records["troops"].isna()]
    fields = ["name", *[f for _, f in POPUP]]
    group_specs = []
    legend = []
    marks = []
    if len(troops):
        largest = float(troops["troops"].max())
        spec = point_spec(troops, centre, fields, big)
        if not big:
            # the circle's words serve its label and its accessible name
            words = [say("{count} troops", locale, count=thousands(t, locale)) for t in troops["troops"]]
            spec["columns"]["circle_label"] = words
            spec.update(type="circles", radius=[radius(float(t), largest) for t in troops["troops"]])
            marks += record_marks(troops, "deployment", words, labels, centre, radii=spec["radius"])
        group_specs.append({**spec, "kind": "deployment", "color": COLORS["deployment"], "popup": popup,
                            "noun": say("deployment", locale), "detail": "circle_label"})
        legend.append(LegendEntry(say("Troops", locale), symbol("deployment", big), COLORS["deployment"]) if big else
                      LegendEntry(say("Troops", locale), "circle", COLORS["deployment"],
                                  say("circle area shows headcount; largest {count}", locale,
                                      count=thousands(largest, locale))))
    if len(assets):
        spec = point_spec(assets, centre, fields, big)
        if not big:
            marks += record_marks(assets, "deployment", assets["name"], labels, centre)
        group_specs.append({**spec, "kind": "deployment", "color": COLORS["deployment"], "popup": popup,
                            "noun": say("assets", locale), "detail": "assets"})
        legend.append(LegendEntry(say("Assets", locale), symbol("deployment", big), COLORS["deployment"]))
    group = feature_group(title, *group_specs)
    return Layer(group, legend, lambda: point_features(records, title, fields), len(records), big, marks)
