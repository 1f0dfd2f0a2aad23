"""Map files: what they select and draw, and clear errors when they are wrong."""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import RecordError
from geo.records import read_records
from geo.select import select
from output.document import render
from output.mapfile import load_mapfile
from output.mapspec import MapSpec
from tests.conftest import SEEDS


def mapfile(project: Path, text: str) -> Path:
    path = project / "test.map.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(RecordError) as err:
        load_mapfile(path)
    return [str(p) for p in err.value.problems]


def test_the_seed_map_files_load():
    spec = load_mapfile(SEEDS / "indo-pacific-diplomacy.map.yaml")
    assert spec.output == "indo-pacific-diplomacy" and spec.as_of == "2024-07-31"
    assert [kind for kind, _ in spec.layers][:2] == ["countries", "itineraries"]
    assert spec.layers[0][1]["roles"]["CN"] == "other" and spec.layers[0][1]["labels"] == {"other": "China"}
    assert (spec.width, spec.height) == (1000, 562)
    basing = load_mapfile(SEEDS / "japan-basing.map.yaml")
    assert basing.bounds == (128.0, 29.0, 146.0, 41.0) and basing.kinds == ["base", "deployment", "command"]


def test_every_mistake_is_named_with_its_line_key_and_fix(project):
    path = mapfile(project, """title: T
tittle: typo
output: ../escape
records:
  paths: [records/, nothere.csv]
  kinds: [base, fortress]
  as_of: 31/07/2024
layers:
  - bases: {colour: red}
  - airfields
  - countries: {roles: {JP: friend}}
view: {bounds: [150, 20, 120, 40]}
basemap: Nowhere.Tiles
size: {width: 10}
assets: cdn-ish
""")
    found = "\n".join(problems(path))
    for expected in (
        f"{path}:2: tittle: is not a map file key; did you mean title?",
        f"{path}:3: output: '../escape' is not a plain file name; use lowercase letters, digits, '-' and '_' only",
        f"{path}:5: records.paths: 'nothere.csv' matches no file; check the path; it is relative to the map file",
        f"{path}:5: records.kinds: 'fortress' is not valid; use base, deployment, command, event",
        f"{path}:5: records.as_of: '31/07/2024' is not an ISO 8601 date; write it as YYYY-MM-DD",
        f"{path}:9: layers[1].bases.colour: is not an option of this layer; use one of title, large",
        f"{path}:10: layers[2]: 'airfields' is not a layer kind",
        f"{path}:11: layers[3].countries.roles: is not a mapping of country codes to roles",
        f"{path}:12: view.bounds: [150, 20, 120, 40] is not [west, south, east, north]; write e.g. view: "
        "{bounds: [120, 20, 150, 46]}: south below north, west before east",
        f"{path}:13: basemap: 'Nowhere.Tiles' is not natural-earth or an xyzservices provider",
        f"{path}:14: size.width: 10 is not a width in pixels; give 200 to 4000",
        f"{path}:15: assets: 'cdn-ish' is not inline or cdn",
    ):
        assert expected in found


def test_selection_by_kind_tag_and_as_of_date():
    frame = read_records([SEEDS / "records"])
    assert set(select(frame, kinds=["event"])["id"]) == {
        "blinken-wang-vientiane", "us-japan-2plus2-tokyo", "trilateral-tokyo", "us-philippines-2plus2-manila"}
    assert set(select(frame, tags=["hawaii"])["id"]) == {"camp-hm-smith", "indopacom"}
    before_manila = select(frame, kinds=["event"], as_of="2024-07-28")
    assert "us-philippines-2plus2-manila" not in set(before_manila["id"])
    assert "us-japan-2plus2-tokyo" in set(before_manila["id"])
    day_before = select(frame, as_of="2024-07-27")
    assert "usfj-jfhq" not in set(day_before["id"]) and "usfj" in set(day_before["id"])  # announced on the 28th
    assert select(frame, as_of="2024-07-28").set_index("id").loc["usfj-jfhq", "status"] == "planned"


def test_a_tile_basemap_is_an_option_with_its_attribution():
    frame = read_records([SEEDS / "records"])
    html = render(frame, MapSpec(basemap="OpenStreetMap.Mapnik")).html
    assert "tile.openstreetmap.org" in html and "openstreetmap.org/copyright" in html
    assert '"title":"Base map"' not in html  # no Natural Earth polygons under tiles


def test_layers_named_in_a_spec_are_drawn_in_that_order_with_their_titles():
    frame = read_records([SEEDS / "records"])
    rendered = render(frame, MapSpec(layers=[("events", {"title": "Talks"}), ("bases", {})]))
    assert list(rendered.layers) == ["events", "bases"]
    assert rendered.html.index('"title":"Talks"') < rendered.html.index('"title":"Bases"')
    kinds = {f["properties"]["kind"] for f in rendered.geojson()["features"]}
    assert kinds == {"event", "base"}


def test_a_tile_provider_that_needs_an_api_key_is_refused(project):
    path = mapfile(project, "title: T\nrecords: {paths: [records/]}\nbasemap: CartoDB.Positron\n")
    assert problems(path) == [f"{path}:3: basemap: 'CartoDB.Positron' needs an API key, which a published page "
                              "would expose; use natural-earth (offline) or a tile provider such as OpenStreetMap.Mapnik"]


def test_label_and_place_options_are_read_and_checked(project):
    path = mapfile(project, "title: T\nrecords: {paths: [records/]}\nlayers:\n  - bases: {labels: none}\n"
                            "  - events: {labels: all}\nbasemap: {name: natural-earth, places: false}\n")
    spec = load_mapfile(path)
    assert spec.layers == [("bases", {"labels": "none"}), ("events", {"labels": "all"})]
    assert spec.basemap == "natural-earth" and spec.places is False
    assert load_mapfile(mapfile(project, "title: T\nrecords: {paths: [records/]}\nbasemap: natural-earth\n")).places
    bad = mapfile(project, "title: T\nrecords: {paths: [records/]}\nlayers:\n  - bases: {labels: some}\n"
                           "basemap: {name: natural-earth, places: no thanks, roads: true}\n")
    assert problems(bad) == [
        f"{bad}:4: layers[1].bases.labels: 'some' is not auto, all or none; write labels: auto (label what fits), "
        "all (label every record) or none",
        f"{bad}:5: basemap.roads: is not a basemap key; use name and places",
        f"{bad}:5: basemap.places: 'no thanks' is not true or false; write places: false to leave out the names "
        "of countries, cities and seas"]


def test_reference_places_are_on_the_natural_earth_map_unless_turned_off():
    frame = read_records([SEEDS / "records"])
    with_places = render(frame, MapSpec()).html
    assert '"Tokyo","city"]' in with_places and '"Seoul","city"]' in with_places
    assert '"South Korea","country"]' in with_places and '"Sea of Japan","sea"]' in with_places
    without = render(frame, MapSpec(places=False)).html
    assert '"Tokyo","city"]' not in without
    assert '"Naval Air Facility Atsugi","record"]' in without  # records keep their labels
    assert '"Tokyo","city"]' not in render(frame, MapSpec(basemap="OpenStreetMap.Mapnik")).html  # tiles name places


def test_max_height_caps_the_map_and_a_bad_one_is_named(project):
    spec = load_mapfile(mapfile(project, "title: T\nrecords: {paths: [records/]}\n"
                                         "size: {width: 600, height: 800, max_height: 500}\n"))
    assert (spec.width, spec.height, spec.max_height) == (600, 800, 500)
    assert 'max-height: 500px' in render(read_records([SEEDS / "records"]), spec).html.replace("--dm-", "")
    path = mapfile(project, "title: T\nrecords: {paths: [records/]}\nsize: {width: 600, max_height: tall}\n")
    assert problems(path) == [f"{path}:3: size.max_height: 'tall' is not a height in pixels; "
                              "give 150 to 4000: the tallest the map may be in a wide column"]
