"""Countries: highlighted Natural Earth areas, styled by the role a map gives each (host, ally, ...)."""
from __future__ import annotations

import geopandas as gpd

from geo.countries import area, around, rings
from layers.datalayer import Layer, LegendEntry, feature_group
from layers.locale import country_name
from layers.messages import say
from layers.style import ROLE_COLORS


def default_roles(frame: gpd.GeoDataFrame) -> dict[str, str]:
    """Without roles from the map: countries with country-level records are hosts."""
    hosts = frame.loc[frame["resolved"] == "country", "country"].dropna().unique()
    return {code: "host" for code in sorted(hosts)}


def countries(frame: gpd.GeoDataFrame, *, centre: float, title: str | None = None,
              roles: dict[str, str] | None = None, locale: str = "en") -> Layer:
    """Each country in ``roles`` (alpha-2 code -> host, ally, partner, named or venue) as a tinted area."""
    title = title or say("Countries", locale)
    roles = roles if roles is not None else default_roles(frame)
    areas, features = [], []
    for code, role in roles.items():
        shape = area(code)
        if shape is None:
            continue
        label = f"{country_name(code, locale)}: {say(role, locale)}"
        parts = around(shape, centre)
        areas.append({"rings": rings(parts), "color": ROLE_COLORS[role], "label": label})
        features.append({"type": "Feature", "geometry": shape.__geo_interface__,
                         "properties": {"layer": title, "country": code, "role": role}})
    group = feature_group(title, {"type": "areas", "areas": areas})
    legend = [LegendEntry(say(role.capitalize(), locale), "area", ROLE_COLORS[role])
              for role in dict.fromkeys(roles.values())]
    return Layer(group, legend, lambda: features, len(areas))
