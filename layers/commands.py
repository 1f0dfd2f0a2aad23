"""Commands: headquarters as stars, and a geodesic link from each to the command it reports to."""
from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from layers.datalayer import Layer, LegendEntry, feature_group
from layers.labels import record_marks
from layers.lines import line, line_feature
from layers.messages import labelled, say
from layers.points import is_large, name_of, names_by_id, of_kind, point_features, point_spec, rows_by_id, symbol
from layers.style import COLORS, LOCATION_FIELD, SOURCE_FIELDS, STATUS_FIELD, once, status_words

POPUP = [STATUS_FIELD, ("Reports to", "reports_to_name"), ("Based at", "at_name"), LOCATION_FIELD, ("Branch", "branch"),
         *SOURCE_FIELDS]


def far_end(boss: Any, by_id: dict[str, Any]) -> str:
    """What a link that leaves the frame says at the frame's edge: 'to US Indo-Pacific Command, Hawaii'
    (the last part of the superior's place, or of the name of the record it is at)."""
    host = by_id.get(boss.at.casefold()) if isinstance(boss.at, str) else None
    where = boss.place if isinstance(boss.place, str) else host.name if host is not None else ""
    region = where.rsplit(",", 1)[-1].strip()
    return f"to {boss.name}, {region}" if region and region not in boss.name else f"to {boss.name}"


def reporting_links(records: pd.DataFrame, by_id: dict[str, Any], centre: float, locale: str) -> list[dict[str, Any]]:
    """A link spec from each command to the superior it reports to, where the map shows that superior."""
    links = []
    for row in records.itertuples():
        boss = by_id.get(row.reports_to.casefold()) if isinstance(row.reports_to, str) else None
        if boss is None:  # no superior, or the map's selection left it out: no link to draw
            continue
        label = say("{name} reports to {boss}", locale, name=row.name, boss=boss.name)
        if row.status_words:  # the line's tooltip says it too: "..., planned"
            label = f"{label}, {row.status_words}"
        link = line([(row.lat, row.lon), (boss.lat, boss.lon)], centre, label, [label])
        # a page's timeline shows a link while both ends hold
        links.append({**link, "edge": far_end(boss, by_id), "records": [row.id, boss.id],
                      **({"status": row.status} if row.status_words else {})})
    return links


def commands(frame: gpd.GeoDataFrame, *, centre: float, title: str | None = None,
             large: bool | None = None, labels: str = "auto", locale: str = "en") -> Layer:
    """Records of kind command as labelled HQ markers, linked to their ``reports_to`` by arrowed geodesics."""
    title = title or say("Command links", locale)
    records = of_kind(frame, "command")
    names = names_by_id(frame)
    by_id = rows_by_id(frame) if len(records) else {}  # a superior's row, for its link's far end
    records["reports_to_name"] = [name_of(names, r) for r in records["reports_to"]]
    records["at_name"] = [name_of(names, a) for a in records["at"]]
    records["status_words"] = status_words(records, locale)
    once(records, POPUP)
    big = is_large(records, large)
    fields = ["name", *[f for _, f in POPUP]]
    markers = {**point_spec(records, centre, fields, big), "kind": "command", "color": COLORS["command"],
               "popup": labelled(POPUP, locale), "noun": say("headquarters", locale), "detail": "branch"}
    links = reporting_links(records, by_id, centre, locale)
    group = feature_group(title, {"type": "lines", "lines": links, "color": COLORS["link"], "dash": "6 4"},
                          markers)
    legend = [LegendEntry(say("Headquarters", locale), symbol("command", big), COLORS["command"]),
              LegendEntry(say("Reports to", locale), "link", COLORS["link"],
                          say("arrow points to the superior command", locale))]
    return Layer(group, legend,
                 lambda: point_features(records, title, fields) + [line_feature(link, title, {}) for link in links],
                 len(records), big, [] if big else record_marks(records, "command", records["name"], labels, centre))
