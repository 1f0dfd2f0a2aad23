"""Events: dated meeting markers with their participants; meetings at one place sit side by side."""
from __future__ import annotations

import geopandas as gpd

from layers.datalayer import Layer, LegendEntry, feature_group
from layers.labels import badge_box, record_marks
from layers.messages import labelled, say
from layers.points import is_large, of_kind, point_features, point_spec, symbol
from layers.style import (COLORS, LOCATION_FIELD, SOURCE_FIELDS, STATUS_FIELD, each, period, short_day, spoken_day,
                          status_words)

POPUP = [STATUS_FIELD, ("Date", "when"), ("Place", "place"), LOCATION_FIELD, ("Participants", "participants"), *SOURCE_FIELDS]


def events(frame: gpd.GeoDataFrame, *, centre: float, title: str | None = None, large: bool | None = None,
           labels: str = "auto", locale: str = "en") -> Layer:
    """Records of kind event as markers badged with their date and labelled, in date order."""
    title = title or say("Meetings", locale)
    records = of_kind(frame, "event").sort_values("start", kind="stable", na_position="last")
    records["when"] = each(lambda s, e: period(s, e, locale), records["start"], records["end"])
    records["status_words"] = status_words(records, locale)
    records["badge"] = each(lambda s: short_day(s, locale), records["start"])
    records["spoken"] = each(lambda s: spoken_day(s, locale), records["start"])
    big = is_large(records, large)
    fields = ["name", "badge", *[f for _, f in POPUP]]
    spec = {**point_spec(records, centre, [*fields, "spoken"], big), "kind": "event", "color": COLORS["event"],
            "popup": labelled(POPUP, locale), "noun": say("meeting", locale), "detail": "spoken"}
    legend = [LegendEntry(title, symbol("event", big), COLORS["event"], say("dated", locale))]
    return Layer(feature_group(title, spec), legend,
                 lambda: point_features(records, title, fields), len(records), big,
                 [] if big else record_marks(records, "event", records["name"], labels, centre,
                                             [badge_box(b) for b in records["badge"]]))
