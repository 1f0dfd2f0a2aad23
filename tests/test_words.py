"""Readers' words: country roles as readers say them, colours no one mistakes for a layer's
symbol, country names in popups, and no field said twice."""
from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pytest

from geo.errors import RecordError
from geo.records import read_records
from layers import BUILDERS
from layers.basemap import LAND
from layers.style import COLORS, ROLE_COLORS, ROLE_OPACITY
from output.mapfile import load_mapfile
from tests.conftest import SEEDS

FIXTURES = Path(__file__).parent / "fixtures"
SEA = "#cfe3ef"  # output/page.css


def lab(hex_color: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(hex_color[i:i + 2], 16) / 255) for i in (1, 3, 5))
    x, y, z = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
               (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def over_land(hex_color: str) -> str:
    """The colour a reader sees: the role's tint at ROLE_OPACITY over the base map's land."""
    mix = [round(ROLE_OPACITY * int(hex_color[i:i + 2], 16) + (1 - ROLE_OPACITY) * int(LAND[i:i + 2], 16))
           for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def delta_e(a: str, b: str) -> float:
    return math.dist(lab(a), lab(b))


def test_no_role_colour_is_mistaken_for_a_symbol_another_role_the_land_or_the_sea():
    seen = {role: over_land(color) for role, color in ROLE_COLORS.items()}
    for role, color in seen.items():
        for kind, symbol in COLORS.items():
            assert delta_e(color, symbol) >= 30, (role, kind)
        assert delta_e(color, LAND) >= 15 and delta_e(color, SEA) >= 20, role
    for a, b in itertools.combinations(seen, 2):
        assert delta_e(seen[a], seen[b]) >= 12, (a, b)


def payloads(layer) -> list[dict]:
    return [json.loads(child.payload) for child in layer.group._children.values() if hasattr(child, "payload")]


def test_tooltips_and_the_legend_say_countries_and_roles_in_words():
    frame = read_records([SEEDS / "records"])
    layer = BUILDERS["countries"](frame, centre=150.0, roles={"JP": "host", "LA": "venue", "CN": "adversary",
                                                              "KP": "named"})
    [spec] = payloads(layer)
    assert [a["label"] for a in spec["areas"]] == ["Japan (host)", "Laos (meeting venue)", "China (adversary)",
                                                   "North Korea (other)"]
    assert [e.label for e in layer.legend] == ["Host", "Meeting venue", "Adversary", "Other"]
    renamed = BUILDERS["countries"](frame, centre=150.0, roles={"CN": "adversary", "LA": "venue"},
                                    labels={"adversary": "China", "venue": "Talks held here"})
    assert [a["label"] for a in payloads(renamed)[0]["areas"]] == ["China", "Laos (talks held here)"]
    assert [e.label for e in renamed.legend] == ["China", "Talks held here"]


def test_popups_name_countries_and_say_each_value_once():
    frame = read_records([FIXTURES / "korea.yaml"])
    [spec] = payloads(BUILDERS["bases"](frame, centre=150.0))
    ids = spec["columns"]["id"]
    humphreys = ids.index("camp-humphreys")
    cell = lambda field: spec["columns"][field][humphreys] if isinstance(spec["columns"][field], list) \
        else spec["columns"][field]["dict"][0]  # noqa: E731
    assert cell("country_name") == "South Korea"
    assert cell("operator") == "US Army" and cell("branch") is None  # Operator and Branch were both US Army
    assert ("Country", "country_name") in [tuple(p) for p in spec["popup"]]


def test_map_files_take_roles_in_readers_words_and_refuse_unknown_ones(tmp_path):
    (tmp_path / "r.csv").write_text("id,kind,name,lat,lon\na,base,A,35,139\n", encoding="utf-8")
    path = tmp_path / "m.map.yaml"
    path.write_text("title: T\nrecords: {paths: [r.csv]}\nlayers:\n"
                    "  - countries: {roles: {cn: named, jp: host}, labels: {other: China}}\n", encoding="utf-8")
    assert load_mapfile(path).layers[0][1] == {"roles": {"CN": "named", "JP": "host"}, "labels": {"other": "China"}}
    path.write_text("title: T\nrecords: {paths: [r.csv]}\nlayers:\n"
                    "  - countries: {roles: {CN: enemy}, labels: {foe: China}}\n", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        load_mapfile(path)
    assert [str(p) for p in err.value.problems] == [
        f"{path}:4: layers[1].countries.roles: is not a mapping of country codes to roles; write e.g. "
        "{JP: host, CN: adversary}; roles are host, ally, partner, adversary, venue, other",
        f"{path}:4: layers[1].countries.labels: is not a mapping of roles to legend labels; write e.g. "
        "{adversary: China}; roles are host, ally, partner, adversary, venue, other"]


@pytest.mark.browser
def test_a_popup_reads_as_words(tmp_path, open_page):
    from output.document import render
    from output.mapspec import MapSpec

    out = tmp_path / "k.html"
    out.write_text(render(read_records([FIXTURES / "korea.yaml"]), MapSpec()).html, encoding="utf-8")
    page = open_page(out)
    page.page.click("[data-record=camp-humphreys]")
    popup = page.page.locator(".leaflet-popup-content dl")
    popup.wait_for()
    pairs = page.eval("[...document.querySelectorAll('.leaflet-popup-content dt')].map(d => "
                      "[d.textContent, d.nextElementSibling.textContent])")
    assert pairs[:3] == [["Operator", "US Army"], ["Based here", "US Forces Korea"], ["Country", "South Korea"]]
    assert "Branch" not in [k for k, _ in pairs]
    page.page.mouse.move(*page.eval("""(() => { const p = deploymap.map.latLngToContainerPoint([36.4, 128.0]);
        const r = document.querySelector('.folium-map').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; })()"""))
    assert page.page.locator(".leaflet-tooltip").filter(has_text="South Korea (host)").count() == 1
