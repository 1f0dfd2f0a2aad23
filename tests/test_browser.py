"""The written maps opened in headless Chromium: what a reader sees and can do."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.records import read_records
from layers.labels import LabelPlan, step_at
from output import document
from output.cli import main
from output.mapfile import load_mapfile
from tests.conftest import SEEDS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def seed_map(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("render") / "seed.html"
    assert CliRunner().invoke(main, ["render", str(SEEDS / "records"), "-o", str(out)]).exit_code == 0
    return out


def test_the_page_makes_no_request_and_draws_one_marker_per_located_record(seed_map, open_page):
    page = open_page(seed_map)
    drawn = page.eval("deploymap.records()")
    frame = read_records([SEEDS / "records"])
    assert sorted(r["id"] for r in drawn) == sorted(frame["id"])
    assert page.requests == [] and page.errors == []
    atsugi = next(r for r in drawn if r["id"] == "naf-atsugi")
    assert (round(atsugi["lat"], 3), round(atsugi["lng"], 3)) == (35.455, 139.45)
    # every marker is really in the DOM, not just in the data
    assert page.eval("document.querySelectorAll('[data-record]').length") == 15
    assert page.eval("document.querySelectorAll('.dm-total').length") == 2  # the two figures for all of Japan


def test_toggling_a_layer_off_hides_its_markers(seed_map, open_page):
    page = open_page(seed_map)
    assert page.eval("document.querySelectorAll('.dm-base').length") == 4
    page.page.get_by_role("checkbox", name="Bases", exact=True).uncheck()
    assert page.eval("document.querySelectorAll('.dm-base').length") == 0
    assert page.eval("document.querySelectorAll('.dm-event').length") == 4
    page.page.get_by_role("checkbox", name="Bases", exact=True).check()
    assert page.eval("document.querySelectorAll('.dm-base').length") == 4


def test_the_pacific_link_is_continuous_and_hawaii_lies_east_of_japan(seed_map, open_page):
    page = open_page(seed_map)
    lngs = page.eval("""(() => { let out = [];
        deploymap.layers.get('Command links').group.eachLayer(l => { if (l.getLatLngs && !l.getLatLng)
            out = l.getLatLngs().map(p => p.lng); });
        return out; })()""")
    assert len(lngs) > 50
    assert lngs[0] == pytest.approx(139.35, abs=0.01)  # Yokota
    assert lngs[-1] == pytest.approx(360 - 157.906, abs=0.01)  # Camp H. M. Smith, drawn east of Japan
    assert max(abs(a - b) for a, b in zip(lngs, lngs[1:])) < 2


def popup_of(tmp_path: Path, open_page, csv_text: str):
    """Render one record from ``csv_text`` (id x1), click its marker; the page and its open popup."""
    records = tmp_path / "x.csv"
    records.write_text(csv_text, encoding="utf-8")
    out = tmp_path / "x.html"
    assert CliRunner().invoke(main, ["render", str(records), "-o", str(out)]).exit_code == 0
    page = open_page(out)
    page.page.click("[data-record=x1]")
    popup = page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    return page, popup


def test_a_popup_shows_record_text_escaped_and_runs_nothing(tmp_path, open_page):
    page, popup = popup_of(tmp_path, open_page, 'id,kind,name,lat,lon,summary,source\n'
                           'x1,base,<img src=x onerror=alert(1)>,35,139,"${alert(2)}`</script><script>alert(3)</script>",'
                           'javascript:alert(4)\n')
    text = popup.inner_text()
    assert "<img src=x onerror=alert(1)>" in text
    assert "${alert(2)}`</script><script>alert(3)</script>" in text
    assert "javascript:alert(4)" in text and popup.locator("a").count() == 0
    assert page.dialogs == [] and page.requests == [] and page.errors == []


def test_the_seed_map_screenshot_is_a_real_picture(seed_map, open_page, tmp_path):
    page = open_page(seed_map, 1200, 800)
    shot = tmp_path / "seed.png"
    page.page.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    assert page.eval("document.querySelector('.leaflet-control-layers') !== null")
    assert page.eval("document.querySelector('.leaflet-control-scale') !== null")
    assert page.eval("getComputedStyle(document.querySelector('.folium-map')).height") != "0px"


def test_screen_readers_get_a_label_a_summary_and_a_table_of_the_records(seed_map, open_page):
    page = open_page(seed_map)
    region = page.page.get_by_role("region", name="Interactive map: Map. The map shows 4 bases, 4 deployments, "
                                                    "3 commands, 4 events.")
    assert region.count() == 1
    page.records_table()
    assert page.eval("document.querySelectorAll('#dm-summary tbody tr').length") == 15
    assert page.eval("document.querySelector('#dm-summary').getBoundingClientRect().width") <= 1
    assert "user-scalable" not in page.eval("document.querySelector('meta[name=viewport]').content")


def test_a_small_embed_folds_the_dek_key_and_layer_list_to_keep_the_map(seed_map, open_page):
    page = open_page(seed_map, 360, 270)
    assert page.eval("document.body.classList.contains('dm-compact')")
    assert page.eval("document.querySelector('details.dm-legend').open") is False
    assert page.eval("document.querySelector('.dm-map-wrap').getBoundingClientRect().height") >= 120
    control = page.page.locator(".leaflet-control-layers")
    assert "leaflet-control-layers-expanded" not in control.get_attribute("class")
    page.page.locator(".leaflet-control-layers-toggle").click()
    assert "leaflet-control-layers-expanded" in control.get_attribute("class")
    page.page.get_by_role("checkbox", name="Bases", exact=True).uncheck()
    assert page.eval("document.querySelectorAll('.dm-base').length") == 0
    page.page.locator("details.dm-legend summary").click()
    assert page.eval("document.querySelector('details.dm-legend').open") is True
    assert page.requests == [] and page.errors == []


def test_labels_never_cover_each_other_and_what_has_no_room_is_counted(tmp_path, open_page):
    records = tmp_path / "crowd.csv"
    records.write_text("id,kind,name,lat,lon\n" + "".join(
        f"a{i},deployment,Squadron number {i},{35 + i * 0.01},{139 + i * 0.01}\n" for i in range(6)),
        encoding="utf-8")
    out = tmp_path / "crowd.html"
    assert CliRunner().invoke(main, ["render", str(records), "-o", str(out)]).exit_code == 0
    page = open_page(out)
    overlaps = """() => { const boxes = [...document.querySelectorAll('.dm-label')]
        .filter(l => l.style.display !== 'none').map(l => l.getBoundingClientRect());
      return boxes.some((a, i) => boxes.slice(i + 1).some(b =>
        a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top)); }"""
    visible = "[...document.querySelectorAll('.dm-label-record')].filter(l => l.style.display !== 'none').length"
    note = "document.querySelector('.dm-more-labels').textContent"
    for zoom in (None, 2, 14):  # the default view, zoomed far out, zoomed in
        if zoom is not None:
            page.eval(f"() => {{ deploymap.map.setZoom({zoom}, {{animate: false}}); }}")
        assert page.eval(overlaps) is False
        shown, more = page.eval(visible), page.eval(note)
        # what is not shown is counted in the corner, never silently dropped
        assert (shown, more) == (6, "") or more == f"+{6 - shown} label{'s' if 6 - shown > 1 else ''}: zoom in"
    assert page.eval(visible) == 6  # zoomed in, every label shows
    page.eval("() => { deploymap.map.setZoom(2, {animate: false}); }")
    assert page.eval(visible) < 6 and page.eval(note).endswith("zoom in")


# each shown label's key and its place in layer pixels from its mark's point
LABELS_FROM_POINTS = """marks => { const map = deploymap.map, at = {};
  document.querySelectorAll('.dm-label').forEach(label => {
    if (label.style.display === 'none') return;
    const m = marks.find(m => m[0] === label.getAttribute('data-label'));
    const p = L.DomUtil.getPosition(label), q = map.latLngToLayerPoint([m[1], m[2]]);
    at[m[0]] = [p.x - q.x, p.y - q.y]; });
  return at; }"""


def test_labels_at_zooms_the_first_view_never_showed_stand_where_the_build_placed_them(tmp_path, open_page,
                                                                                      monkeypatch):
    plans = []  # the build's label plan, as it hands it to the page
    monkeypatch.setattr(document, "LabelPlan", lambda plan: plans.append(plan) or LabelPlan(plan))
    spec = load_mapfile(SEEDS / "japan-basing.map.yaml")
    out = tmp_path / "japan.html"
    out.write_text(document.render(read_records([SEEDS / p for p in spec.records]), spec).html, encoding="utf-8")
    (plan,) = plans
    page = open_page(out)
    fitted = page.eval("deploymap.map.getZoom()")
    seen = set()
    for zoom in (fitted + 2, fitted - 1, plan["max"], fitted + 0.25, fitted):
        page.eval(f"() => {{ deploymap.map.setZoom({zoom}, {{animate: false}}); }}")
        at = step_at(plan, page.eval("deploymap.map.getZoom()") + 1e-6)
        seen.add(id(at))
        placed = {plan["marks"][i][0]: (dx, dy, str(i) in at["fan"]) for i, dx, dy, _ in at["labels"]}
        shown = page.eval(LABELS_FROM_POINTS, plan["marks"])
        assert shown.keys() == placed.keys() and shown
        # a label on a fanned-out marker's ring is placed from the ring, not from its point
        assert {k: pytest.approx(v) for k, v in shown.items() if not placed[k][2]} == {
            k: [dx, dy] for k, (dx, dy, fanned) in placed.items() if not fanned}
    assert len(seen) == 5 and page.errors == []


def test_web_addresses_in_a_source_become_links_and_nothing_else_does(tmp_path, open_page):
    page, popup = popup_of(tmp_path, open_page, 'id,kind,name,lat,lon,source\n'
                           'x1,base,Cited,35,139,"AP, 28 July 2024, https://apnews.com/article/japan-us-2plus2. '
                           'Also javascript:alert(1) and data:text/html,x"\n')
    links = popup.locator("a")
    assert links.count() == 1
    assert links.first.get_attribute("href") == "https://apnews.com/article/japan-us-2plus2"
    assert links.first.get_attribute("rel") == "noopener noreferrer"
    assert "AP, 28 July 2024, https://apnews.com/article/japan-us-2plus2. Also javascript:alert(1)" in popup.inner_text()
    assert page.dialogs == [] and page.errors == []


# the Leaflet layer drawing each record, by its id
LAYERS = """const layers = {}; deploymap.layers.forEach(e => e.group.eachLayer(l => { layers[l.options.recordId] = l; }));"""
FANNED = """() => { """ + LAYERS + """ const out = [];
  document.querySelectorAll('.dm-marker').forEach(icon => {
    const pos = icon._leaflet_pos, m = [parseFloat(icon.style.marginLeft), parseFloat(icon.style.marginTop)];
    const anchor = layers[icon.firstElementChild.getAttribute('data-record')].options.icon.options.iconAnchor;
    if (m[0] !== -anchor[0] || m[1] !== -anchor[1]) out.push([pos.x, pos.y, pos.x + m[0] + anchor[0], pos.y + m[1] + anchor[1]]);
  });
  const d = (document.querySelector('.dm-leaders path') || {getAttribute: () => ''}).getAttribute('d') || '';
  const leaders = d.split('M').filter(Boolean).map(s => s.replace('L', ' ').split(' ').map(Number));
  return {fanned: out, leaders: leaders}; }"""


def test_markers_sharing_a_place_fan_out_each_with_a_leader_back_to_its_point(seed_map, open_page):
    page = open_page(seed_map)
    for zoom in (None, 7):
        if zoom is not None:
            page.eval(f"() => {{ deploymap.map.setZoom({zoom}, {{animate: false}}); }}")
        drawn = page.eval(FANNED)
        assert len(drawn["fanned"]) >= 2  # the two Tokyo meetings, at least
        for line in drawn["fanned"]:
            assert any(all(abs(a - b) < 0.01 for a, b in zip(line, leader)) for leader in drawn["leaders"]), line


STACK = """() => { """ + LAYERS + """ return [...document.querySelectorAll('.leaflet-marker-pane > .leaflet-marker-icon')]
  .map((icon, i) => [+icon.style.zIndex, i, icon.classList.contains('dm-marker') ?
    layers[icon.firstElementChild.getAttribute('data-record')].getLatLng().lat : null,
    icon.classList.contains('dm-marker') ? 'record' : icon.firstElementChild.classList.contains('dm-arrow') ? 'arrow' : 'other'])
  .sort((a, b) => a[0] - b[0] || a[1] - b[1]); }"""


def test_a_more_southern_marker_is_drawn_over_a_northern_one_and_arrows_under_all(seed_map, open_page):
    page = open_page(seed_map)
    for zoom in (None, 3, 8):
        if zoom is not None:
            page.eval(f"() => {{ deploymap.map.setZoom({zoom}, {{animate: false}}); }}")
        stack = page.eval(STACK)  # bottom to top
        kinds = [s[3] for s in stack]
        assert "arrow" in kinds and kinds.index("record") > max(i for i, k in enumerate(kinds) if k == "arrow")
        lats = [s[2] for s in stack if s[3] == "record"]
        assert lats == sorted(lats, reverse=True)


def test_a_layer_list_taller_than_the_map_scrolls_inside_it(tmp_path, open_page):
    # checked at the first view, against the map's final size (the page checks it once, not while booting)
    layers = "\n".join(f"  - bases: {{title: Bases {n}}}" for n in range(1, 13))
    shutil.copytree(SEEDS / "records", tmp_path / "records")
    mapfile = tmp_path / "many.map.yaml"
    mapfile.write_text(f"title: Twelve layers\nrecords:\n  paths: [records/]\nlayers:\n{layers}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(mapfile), "--root", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = open_page(out / "many.html", 700, 430)
    found = page.eval("""() => { const list = document.querySelector('.leaflet-control-layers-list'),
        map = document.querySelector('.folium-map').getBoundingClientRect(), box = list.getBoundingClientRect();
        return {scrolls: list.classList.contains('leaflet-control-layers-scrollbar'), inside: box.bottom <= map.bottom,
                hidden: list.scrollHeight > list.clientHeight}; }""")
    assert found == {"scrolls": True, "inside": True, "hidden": True}
