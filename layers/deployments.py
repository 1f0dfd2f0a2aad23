"""Deployments: troops as circles whose area is proportional to headcount, assets as labelled
markers; country-level figures as badges at the country's edge, in words and numbers."""
from __future__ import annotations

import math
from typing import Any

import geopandas as gpd

from geo.countries import edges, label_point
from geo.geodesic import normalise

from layers.datalayer import Layer, LegendEntry, feature_group
from layers.labels import Mark, record_marks, text_size
from layers.messages import labelled, say
from layers.points import is_large, name_of, names_by_id, of_kind, point_features, point_spec, rows, symbol
from layers.style import (COLORS, LOCATION_FIELD, SOURCE_FIELDS, STATUS_FIELD, country_name, each, figure, once, period,
                          status_words, thousands)

POPUP = [STATUS_FIELD, ("Troops", "troops"), ("Assets", "assets"), ("Count", "count"), ("Branch", "branch"),
         ("Based at", "at_name"), ("Country", "country_name"), LOCATION_FIELD, ("Period", "when"),
         *SOURCE_FIELDS]
MAX_RADIUS = 36  # pixels for the largest force on the map


def radius(troops: float, largest: float) -> float:
    """Circle radius in pixels so that area, not radius, is proportional to troops."""
    return round(MAX_RADIUS * math.sqrt(troops / largest), 2) if largest else 0.0


def country_totals(totals: gpd.GeoDataFrame, frame: gpd.GeoDataFrame, centre: float,
                   fields: list[str], locale: str = "en") -> tuple[dict[str, Any], list[Mark]]:
    """Country-level figures as badges at the country's northmost or southmost point, whichever is
    farther from the map's other records (a badge reaches little past the coast that way, even on a
    phone), stacked per country, the country named on the first: annotations of the country, not places.
    Each badge is also a mark without a label, so no label is placed under it."""
    others = frame[frame["resolved"] != "country"]
    near = list(zip(others["lat"], [normalise(float(x), centre) for x in others["lon"]]))
    anchors, sides, stack, headings = [], [], [], []
    seen: dict[str, int] = {}
    for code in totals["country"]:
        ends = {side: point for side, point in edges(code).items() if side in ("top", "bottom")}
        side = max(ends, key=lambda s: min((math.dist((ends[s][1], normalise(ends[s][0], centre)), p) for p in near),
                                           default=0.0)) if ends else "bottom"
        if code in seen:
            side = sides[seen[code]]
        lon, lat = ends.get(side, label_point(code))
        anchors.append((lat, lon))
        sides.append(side)
        stack.append(sum(1 for c in totals["country"][: len(stack)] if c == code))
        headings.append(None if code in seen else country_name(code, locale))
        seen.setdefault(code, len(sides) - 1)
    placed = totals.assign(lat=[a[0] for a in anchors], lon=[a[1] for a in anchors],
                           figure=[figure(n, country_name(c), t, k, locale) for n, c, t, k in
                                   zip(totals["name"], totals["country"], totals["troops"], totals["count"])],
                           heading=headings)
    per_country = totals["country"].value_counts()
    # rows stack away from the coast; above a country the first row, with its name, goes on top
    stack = [int(per_country[c]) - 1 - k if side == "top" else k for c, side, k in zip(totals["country"], sides, stack)]
    spec = point_spec(placed, centre, fields + ["figure", "heading"], False)
    spec.pop("offset", None)
    marks = [Mark(f"{key}:badge", round(lat, 5), round(normalise(lon, centre), 5),
                  box=badge_box(f"{where or ''} {words}", side, row), fixed=True)
             for key, lat, lon, where, words, side, row in
             zip(placed["id"], placed["lat"], placed["lon"], headings, placed["figure"], sides, stack)]
    return {**spec, "type": "totals", "side": sides, "stack": stack, "kind": "deployment",
            "color": COLORS["deployment"], "popup": POPUP}, marks


def badge_box(text: str, side: str, row: int) -> tuple[float, float, float, float]:
    """A badge's pixels around its anchor, as output/page.css places it (.dm-total-top and -bottom:
    22 px rows, 24 px apart, 4 px off the coast; centred on the anchor)."""
    half = text_size(text.strip())[0] / 2 + 6  # the border and the padding beyond a label's
    near = 4 + 24 * row
    return (-half, -near - 22, half, -near) if side == "top" else (-half, near, half, near + 22)


def deployments(frame: gpd.GeoDataFrame, *, centre: float, title: str | None = None,
                large: bool | None = None, labels: str = "auto", locale: str = "en") -> Layer:
    """Records of kind deployment: proportional circles for troops, labelled markers for assets."""
    title = title or say("Troops and assets", locale)
    popup = labelled(POPUP, locale)
    records = of_kind(frame, "deployment")
    by_id = names_by_id(frame)
    records["at_name"] = each(lambda a: name_of(by_id, a), records["at"])
    records["when"] = each(lambda s, e: period(s, e, locale), records["start"], records["end"])
    records["country_name"] = each(lambda c: country_name(c, locale), records["country"])
    records["status_words"] = status_words(records, locale)
    once(records, POPUP)
    big = is_large(records, large)
    placed = records["resolved"].to_numpy() != "country"  # country totals are badges, not places
    counted = records["troops"].notna().to_numpy()
    troops, assets = rows(records, placed & counted), rows(records, placed & ~counted)  # each taken once
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
    totals = rows(records, ~placed)
    if len(totals):
        spec, badges = country_totals(totals, frame, centre, fields, locale)
        group_specs.append({**spec, "popup": popup})
        marks += badges
        legend.append(LegendEntry(say("Country total", locale), "total", COLORS["deployment"],
                                  say("a figure for the whole country", locale)))
    group = feature_group(title, *group_specs)
    return Layer(group, legend, lambda: point_features(records, title, fields), len(records), big, marks)
