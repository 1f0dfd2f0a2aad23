"""Bases: a marker per installation; its popup says who runs it and what is based there."""
from __future__ import annotations

import geopandas as gpd

from layers.datalayer import Layer, LegendEntry, feature_group
from layers.labels import record_marks
from layers.messages import labelled, say
from layers.points import is_large, of_kind, point_features, point_spec, symbol
from layers.style import (COLORS, LOCATION_FIELD, SOURCE_FIELDS, STATUS_FIELD, country_name, each, once,
                          status_words)

POPUP = [STATUS_FIELD, ("Operator", "operator"), ("Branch", "branch"), ("Based here", "based_here"),
         ("Country", "country_name"), LOCATION_FIELD, *SOURCE_FIELDS]


def based_here(frame: gpd.GeoDataFrame, ids: list[str]) -> list[tuple[str, ...]]:
    """For each id, the names of the records that are 'at' it (its deployments and headquarters)."""
    given = frame["at"].notna().to_numpy()  # a mask, not dropna: that takes every column of the rows
    names: dict[str, list[str]] = {}
    for target, name in zip(frame["at"].to_numpy()[given], frame["name"].to_numpy()[given]):
        names.setdefault(target.casefold(), []).append(str(name))
    if not names:  # no record is 'at' another (most large maps): no id is casefolded, one empty tuple serves all
        return [()] * len(ids)
    return [tuple(names.get(i.casefold(), ())) for i in ids]


def bases(frame: gpd.GeoDataFrame, *, centre: float, title: str | None = None, large: bool | None = None,
          labels: str = "auto", locale: str = "en") -> Layer:
    """Installations (records of kind base) as square markers named 'NAME, base, BRANCH', labelled with their names."""
    title = title or say("Bases", locale)
    records = of_kind(frame, "base")
    records["based_here"] = based_here(frame, records["id"].tolist())
    records["country_name"] = each(country_name, records["country"])
    records["status_words"] = status_words(records, locale)
    once(records, POPUP)
    big = is_large(records, large)
    fields = [f for _, f in POPUP] + ["name"]
    spec = {**point_spec(records, centre, fields, big), "kind": "base", "color": COLORS["base"],
            "popup": labelled(POPUP, locale), "noun": say("base", locale), "detail": "operator"}
    return Layer(feature_group(title, spec), [LegendEntry(title, symbol("base", big), COLORS["base"])],
                 lambda: point_features(records, title, fields), len(records), big,
                 [] if big else record_marks(records, "base", records["name"], labels, centre))
