"""Itineraries: a geodesic route through each trip's events in date order, with arrows and dates."""
from __future__ import annotations

from typing import Any

import geopandas as gpd

from layers.datalayer import Layer, LegendEntry, feature_group
from layers.lines import line, line_feature
from layers.messages import say
from layers.points import is_kind
from layers.style import COLORS, short_day


def itineraries(frame: gpd.GeoDataFrame, *, centre: float, title: str | None = None, locale: str = "en") -> Layer:
    """One arrowed route per ``trip`` with two or more events, legs labelled with their dates."""
    title = title or say("Itinerary", locale)
    on_trip = frame["trip"].notna().to_numpy()
    lines = routes(frame[is_kind(frame, "event") & on_trip], centre, locale) if on_trip.any() else []
    group = feature_group(title, {"type": "lines", "lines": lines, "color": COLORS["route"], "weight": 3})
    return Layer(group, [LegendEntry(title, "route", COLORS["route"], say("in date order", locale))],
                 lambda: [line_feature(spec, title, {}) for spec in lines], len(lines))


def routes(events: gpd.GeoDataFrame, centre: float, locale: str) -> list[dict[str, Any]]:
    """A line spec per trip of two or more of ``events`` (each on a trip), through them in date order.
    The events are chosen in one step: a large map's events taken whole, then dropped, cost a copy of each."""
    lines = []
    for trip, stops in events.sort_values(["trip", "start", "id"], kind="stable").groupby("trip", sort=True):
        if len(stops) < 2:
            continue
        points = list(zip(stops["lat"], stops["lon"]))
        stages = [f"{p} ({short_day(d, locale)})" for p, d in zip(stops["place"].fillna(stops["name"]), stops["start"])]
        notes = [say("{start} to {end}", locale, start=a, end=b) for a, b in zip(stages, stages[1:])]
        lines.append({**line(points, centre, f"{trip}: " + " → ".join(stages), notes),
                      "stops": [str(d) if isinstance(d, str) else None for d in stops["start"]]})
    return lines
