"""Layer builders on real GeoDataFrames: what each draws, and where."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from geo.geodesic import centre_lon, distance_km
from geo.records import read_records
from layers import BUILDERS
from layers.labels import place_zoom
from tests.conftest import SEEDS


def payloads(layer) -> list[dict]:
    """The data specs a layer's FeatureGroup hands to the page's runtime."""
    return [json.loads(child.payload) for child in layer.group._children.values() if hasattr(child, "payload")]


@pytest.fixture(scope="module")
def seeds():
    return read_records([SEEDS / "records"])


def test_range_rings_are_geodesic_and_continuous_across_the_antimeridian(tmp_path: Path):
    path = tmp_path / "r.yaml"
    path.write_text("- {id: guam, kind: base, name: Andersen, place: Andersen AFB, range_km: 3000}\n", encoding="utf-8")
    frame = read_records([path])
    layer = BUILDERS["ranges"](frame, centre=170.0)
    [spec] = payloads(layer)
    ring = spec["areas"][0]["rings"][0][0]
    assert spec["areas"][0]["label"] == "Andersen: 3,000 km"
    lat0, lon0 = frame.loc[0, "lat"], frame.loc[0, "lon"]
    for lat, lon in ring[::16]:
        assert distance_km(lat0, lon0, lat, lon) == pytest.approx(3000, rel=1e-3)
    lons = [lon for _, lon in ring]
    assert max(abs(a - b) for a, b in zip(lons, lons[1:])) < 5  # no jump across the map
    assert max(lons) > 170  # the eastern side is drawn east, not wrapped to -170


def test_troop_circles_have_area_proportional_to_headcount(tmp_path: Path):
    path = tmp_path / "d.csv"
    path.write_text("id,kind,name,lat,lon,troops\na,deployment,A,35,139,40000\nb,deployment,B,26,127.7,10000\n",
                    encoding="utf-8")
    layer = BUILDERS["deployments"](read_records([path]), centre=135.0)
    [circles] = payloads(layer)
    big, small = circles["radius"]
    assert (big / small) ** 2 == pytest.approx(4.0, rel=1e-3)
    assert [m.text for m in layer.marks] == ["40,000 troops", "10,000 troops"]
    assert [m.radius for m in layer.marks] == [big, small]


def test_same_place_meetings_fan_out_apart_and_dated(seeds):
    layer = BUILDERS["events"](seeds, centre=centre_lon(seeds["lon"]))
    [spec] = payloads(layer)
    ids = [m.key for m in layer.marks]
    fan = place_zoom(layer.marks, 5)["fan"]
    tokyo = [fan[str(ids.index(i))] for i in ("us-japan-2plus2-tokyo", "trilateral-tokyo")]
    assert tokyo[0] != tokyo[1] and all(math.hypot(*o[2:]) > 8 for o in tokyo)  # off the ring's centre
    assert spec["columns"]["badge"] == ["27 Jul", "28 Jul", "28 Jul", "30 Jul"]


def test_the_itinerary_runs_in_date_order_with_an_arrow_per_leg(seeds):
    layer = BUILDERS["itineraries"](seeds, centre=centre_lon(seeds["lon"]))
    [spec] = payloads(layer)
    [route] = spec["lines"]
    assert route["label"] == ("blinken-asia-2024-07: Vientiane, Laos (27 Jul) → Tokyo (28 Jul) → Manila (30 Jul)")
    assert [a[3] for a in route["arrows"]] == ["Vientiane, Laos (27 Jul) to Tokyo (28 Jul)",
                                               "Tokyo (28 Jul) to Manila (30 Jul)"]
    assert route["coords"][0] == pytest.approx([17.9667, 102.6], abs=1e-3)
    assert route["coords"][-1] == pytest.approx([14.6042, 120.9822], abs=1e-3)


def test_a_command_whose_superior_is_left_out_draws_no_link(seeds):
    only_usfj = seeds[seeds["id"] != "indopacom"]
    layer = BUILDERS["commands"](only_usfj, centre=140.0)
    lines, markers = payloads(layer)
    assert lines["lines"] == []
    assert markers["columns"]["reports_to_name"] == {"dict": ["indopacom"]}  # its id: the map left it out


def test_countries_default_to_hosting_the_country_level_records(seeds):
    layer = BUILDERS["countries"](seeds, centre=150.0)
    [spec] = payloads(layer)
    assert [a["label"] for a in spec["areas"]] == ["Japan (host)"]
    assert [e.label for e in layer.legend] == ["Host"]


def test_country_level_figures_are_badges_at_the_country_edge_in_words_and_numbers(seeds):
    layer = BUILDERS["deployments"](seeds, centre=centre_lon(seeds["lon"]))
    specs = payloads(layer)
    [totals] = [s for s in specs if s["type"] == "totals"]
    assert totals["columns"]["figure"] == ["About 54,000 US troops", "US aircraft in Japan"]
    assert totals["columns"]["heading"] == ["Japan", None]  # the country named once, on the first row
    assert totals["side"] == ["top", "top"] and totals["stack"] == [1, 0]  # above Honshu, the named row on top
    # at Japan's edge (the side farthest from the other records), not on its label point in central Honshu
    assert (totals["lat"][0], totals["lon"][0]) != (36.0, 138.0)
    others = [i for s in specs if s["type"] != "totals" for i in (s["columns"]["id"] if isinstance(
        s["columns"]["id"], list) else s["columns"]["id"]["dict"])]
    assert "us-troops-japan" not in others and "us-aircraft-japan" not in others
    assert [e.label for e in layer.legend][-1] == "Country total"
