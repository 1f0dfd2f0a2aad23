"""The order of battle: the reports_to chain as a tree beside the map, linked to the markers, usable by
keyboard, and written as NAME.orbat.svg by build."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import deploymap
from geo.errors import RecordError
from geo.records import read_records
from geo.select import select
from layers.orbat import tree
from output.cli import main
from output.mapfile import load_mapfile
from tests.conftest import SEEDS


def shape(nodes) -> list:
    return [(n.id, shape(n.children)) if n.children else n.id for n in nodes]


def test_the_seed_tree_runs_from_indopacom_through_us_forces_japan_to_the_units():
    spec = load_mapfile(SEEDS / "japan-basing.map.yaml")
    frame = select(read_records(spec.records), spec.kinds, spec.tags, spec.as_of)
    roots = tree(frame)
    assert shape(roots) == [("indopacom", [("usfj", ["us-troops-japan", "us-aircraft-japan", "csg-yokosuka",
                                                     "hsm-51-atsugi"]), "usfj-jfhq"])]
    usfj = roots[0].children[0]
    assert usfj.where == "HQ at Yokota Air Base"
    assert [n.where for n in usfj.children] == ["in Japan", "in Japan", "at Fleet Activities Yokosuka",
                                                "at Naval Air Facility Atsugi"]


def test_a_unit_hangs_under_its_superior_then_the_command_at_its_base_then_the_one_in_its_country(tmp_path):
    (tmp_path / "r.yaml").write_text("""
- {id: top, kind: command, name: Top, place: Camp H. M. Smith}
- {id: fleet, kind: command, name: Fleet, place: Fleet Activities Yokosuka, reports_to: top}
- {id: wing, kind: command, name: Wing, place: Kadena Air Base, reports_to: fleet}
- {id: ship, kind: deployment, name: Ship, at: yokosuka}
- {id: yokosuka, kind: base, name: Yokosuka, place: Fleet Activities Yokosuka}
- {id: jets, kind: deployment, name: Jets, place: Misawa Air Base}
- {id: told, kind: deployment, name: Told, place: Misawa Air Base, reports_to: top}
- {id: far, kind: deployment, name: Far, place: Osan Air Base}
""".replace("place: Fleet Activities Yokosuka, reports_to", "at: yokosuka, reports_to"))
    roots = tree(read_records([tmp_path / "r.yaml"]))
    # jets: no superior, no command at Misawa, so the lowest command in Japan (wing, under fleet)
    assert shape(roots) == [("top", [("fleet", [("wing", ["jets"]), "ship"]), "told"]), "far"]


def test_build_writes_the_tree_as_svg_only_for_maps_that_show_it(project, tmp_path):
    out = tmp_path / "maps"
    result = CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert not (out / "indo-pacific-diplomacy.orbat.svg").exists()  # orbat: false
    data = (out / "japan-basing.orbat.svg").read_bytes()
    svg = ET.fromstring(data)
    texts = ["".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "US Forces Japan, HQ at Yokota Air Base" in texts
    assert "US Forces Japan as a Joint Force Headquarters, HQ at Yokota Air Base" in texts
    assert "HSM-51 Seahawks, at Naval Air Facility Atsugi" in texts
    assert len(svg.findall("{http://www.w3.org/2000/svg}svg")) == 6  # the APP-6 symbols of the drawn markers
    again = CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(out), "--force"])
    assert again.exit_code == 0 and (out / "japan-basing.orbat.svg").read_bytes() == data
    (out / "japan-basing.orbat.svg").unlink()
    rebuilt = CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(out)])
    assert "japan-basing" in rebuilt.output and (out / "japan-basing.orbat.svg").read_bytes() == data


def test_the_orbat_option_is_true_false_or_auto(project):
    path = project / "japan-basing.map.yaml"
    path.write_text(path.read_text() + "orbat: sometimes\n")
    with pytest.raises(RecordError) as err:
        load_mapfile(path)
    assert "orbat: 'sometimes' is not true, false or auto; write orbat: auto" in str(err.value)


@pytest.fixture
def japan(seed_maps) -> Path:
    return seed_maps / "japan-basing.html"


@pytest.mark.browser
def test_the_node_for_us_forces_japan_opens_and_highlights_its_marker(japan, open_page):
    page = open_page(japan)
    tree_box = page.page.get_by_role("tree", name="Order of battle: who reports to whom")
    node = tree_box.locator("[data-node=usfj]")
    node.locator(".dm-orbat-name").first.click()
    assert page.eval("document.querySelector('.leaflet-popup-content .dm-popup-title').textContent") == \
        "US Forces Japan"
    assert page.eval("document.querySelector('.leaflet-marker-icon.dm-selected [data-record]').dataset.record") \
        == "usfj"
    assert node.get_attribute("aria-selected") == "true"
    # and the other way: a marker opened on the map selects its node
    page.eval("document.querySelector('[data-record=\"csg-yokosuka\"]').closest('.leaflet-marker-icon').click()")
    assert page.eval("document.querySelector('[role=treeitem][aria-selected=true]').dataset.node") == "csg-yokosuka"
    assert page.eval("document.querySelectorAll('.dm-selected').length") == 1
    with page.page.expect_download() as saving:
        page.page.get_by_role("button", name="Download SVG").click()
    saved = saving.value
    assert saved.suggested_filename == "japan-basing.orbat.svg"
    assert Path(saved.path()).read_bytes() == (japan.parent / "japan-basing.orbat.svg").read_bytes()
    assert page.requests == [] and page.errors == []


SIDES = """() => { const box = s => { const r = document.querySelector(s).getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom]; };
  return {map: box('.dm-map-wrap .folium-map'), wrap: box('.dm-map-wrap'), panel: box('.dm-orbat'),
          leaflet: deploymap.map.getSize().x}; }"""


@pytest.mark.browser
def test_on_a_wide_screen_the_open_tree_stands_beside_the_map_and_covers_none_of_it(japan, open_page):
    page = open_page(japan, 1200, 800)
    seen = page.eval(SIDES)
    assert seen["panel"][0] >= seen["map"][2] and seen["panel"][2] <= seen["wrap"][2]  # Korea is not under it
    assert seen["map"][2] - seen["map"][0] >= 800 and seen["leaflet"] == round(seen["map"][2] - seen["map"][0])
    page.page.locator(".dm-orbat summary").click()  # folded: the map takes the room back (on the toggle event)
    page.page.wait_for_function("deploymap.map.getSize().x > 1100")
    folded = page.eval(SIDES)
    assert folded["map"][2] == folded["wrap"][2] and folded["leaflet"] == round(folded["map"][2] - folded["map"][0])
    page.page.locator(".dm-orbat summary").click()  # opened again: beside the map again
    page.page.wait_for_function("deploymap.map.getSize().x < 1000")
    assert page.eval(SIDES) == seen
    phone = open_page(japan, 390, 844).eval(SIDES)  # on a phone: folded over the map's corner, as before
    assert phone["map"][2] == phone["wrap"][2] and phone["panel"][2] < phone["map"][2] / 2
    assert page.errors == [] and page.requests == []


@pytest.mark.browser
def test_the_tree_is_read_and_moved_through_by_keyboard(japan, open_page):
    page = open_page(japan)
    focused = "document.activeElement.dataset.node"
    items = page.eval("[...document.querySelectorAll('[role=treeitem]')].map(i => [i.dataset.node, "
                      "i.getAttribute('aria-level'), i.getAttribute('aria-expanded'), i.tabIndex])")
    assert items[:3] == [["indopacom", "1", "true", 0], ["usfj", "2", "true", -1], ["us-troops-japan", "3", None, -1]]
    page.page.get_by_role("button", name="Download SVG").focus()
    page.page.keyboard.press("Shift+Tab")  # the one tab stop of the tree: its current item
    assert page.eval(focused) == "indopacom"
    page.page.keyboard.press("ArrowDown")
    assert page.eval(focused) == "usfj"
    page.page.keyboard.press("ArrowLeft")  # collapse: its units are hidden and skipped
    assert page.eval("document.querySelector('[data-node=usfj]').getAttribute('aria-expanded')") \
        == "false"
    assert not page.page.get_by_role("treeitem", name="HSM-51 Seahawks").is_visible()
    page.page.keyboard.press("ArrowDown")
    assert page.eval(focused) == "usfj-jfhq"  # the next headquarters: the units are skipped while collapsed
    page.page.keyboard.press("ArrowUp")
    page.page.keyboard.press("ArrowRight")  # expand
    page.page.keyboard.press("ArrowRight")  # into the first unit
    assert page.eval(focused) == "us-troops-japan"
    page.page.keyboard.press("End")
    assert page.eval(focused) == "usfj-jfhq"
    page.page.keyboard.press("ArrowUp")
    assert page.eval(focused) == "hsm-51-atsugi"
    page.page.keyboard.press("Enter")
    assert page.eval("document.querySelector('.leaflet-popup-content .dm-popup-title').textContent") == "HSM-51 Seahawks"
    page.page.keyboard.press("ArrowLeft")  # a leaf: to its parent
    assert page.eval(focused) == "usfj"
    page.page.keyboard.press("Home")
    assert page.eval(focused) == "indopacom"


@pytest.mark.browser
def test_record_text_in_the_tree_stays_text(tmp_path, open_page):
    (tmp_path / "r.yaml").write_text("""
- {id: top, kind: command, name: "<img src=x onerror=alert(1)>Top", place: Camp H. M. Smith}
- {id: sub, kind: command, name: "{{7*7}}</script><b>Sub", place: Yokota Air Base, reports_to: top}
""")
    path = deploymap.Map(deploymap.read_records(tmp_path / "r.yaml"), title="T").save(tmp_path / "t.html")
    page = open_page(path)
    names = page.eval("[...document.querySelectorAll('.dm-orbat-name')].map(n => n.textContent)")
    assert names == ["<img src=x onerror=alert(1)>Top", "{{7*7}}</script><b>Sub"]
    assert page.eval("document.querySelectorAll('.dm-orbat img, .dm-orbat b').length") == 0
    assert page.dialogs == [] and page.requests == []
