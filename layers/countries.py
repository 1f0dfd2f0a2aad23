"""Countries: highlighted Natural Earth areas, tinted by the role a map gives each, in readers' words."""
from __future__ import annotations

import geopandas as gpd

from geo.countries import area, around, rings
from layers.datalayer import Layer, LegendEntry, feature_group
from layers.messages import say
from layers.style import ROLE_ALIASES, ROLE_COLORS, ROLE_OPACITY, ROLE_WORDS, country_name


def default_roles(frame: gpd.GeoDataFrame) -> dict[str, str]:
    """Without roles from the map: countries with country-level records are hosts."""
    hosts = frame["country"].to_numpy()[frame["resolved"].to_numpy() == "country"]
    hosts = {code for code in hosts.tolist() if isinstance(code, str)}
    return {code: "host" for code in sorted(hosts)}


def tooltip(name: str, word: str) -> str:
    """'China (adversary)'; just 'China' when the map's word for the role is the country's name."""
    return name if word.casefold() == name.casefold() else f"{name} ({word[:1].lower() + word[1:]})"


def countries(frame: gpd.GeoDataFrame, *, centre: float, title: str | None = None,
              roles: dict[str, str] | None = None, labels: dict[str, str] | None = None, locale: str = "en") -> Layer:
    """Each country in ``roles`` (alpha-2 code -> host, ally, partner, adversary, venue or other) as a
    tinted area; ``labels`` renames a role in the legend and tooltips ({adversary: China})."""
    title = title or say("Countries", locale)
    roles = {code: ROLE_ALIASES.get(role, role)
             for code, role in (roles if roles is not None else default_roles(frame)).items()}
    words = {role: (labels or {}).get(role) or say(ROLE_WORDS[role], locale) for role in ROLE_WORDS}
    areas, features = [], []
    for code, role in roles.items():
        shape = area(code)
        if shape is None:
            continue
        name = country_name(code, locale)
        areas.append({"rings": rings(around(shape, centre)), "color": ROLE_COLORS[role],
                      "label": tooltip(name, words[role])})
        features.append({"type": "Feature", "geometry": shape.__geo_interface__,
                         "properties": {"layer": title, "country": code, "name": name, "role": role,
                                        "label": words[role]}})
    group = feature_group(title, {"type": "areas", "areas": areas, "opacity": ROLE_OPACITY})
    legend = [LegendEntry(words[role], "area", ROLE_COLORS[role]) for role in dict.fromkeys(roles.values())]
    return Layer(group, legend, lambda: features, len(areas))
