"""A map a reader can read at first glance (issue 10), in Chromium at a desktop's and a phone's size,
on both seed maps and a Korea map whose command reports to Hawaii: no record hidden under another,
every base labelled, no label over another or cut by the map's edge, reference places named."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import DEPLOYMAP, ROOT, SEEDS

pytestmark = pytest.mark.browser

KOREA = ROOT / "tests" / "fixtures" / "korea" / "korea.map.yaml"
MAPS = {"indo-pacific-diplomacy": SEEDS / "indo-pacific-diplomacy.map.yaml",
        "japan-basing": SEEDS / "japan-basing.map.yaml", "korea": KOREA}
SIZES = [(1200, 800), (390, 844)]
PLACES = {"indo-pacific-diplomacy": {"Hong Kong", "Taipei"}, "japan-basing": {"Seoul"}, "korea": {"Seoul"}}  # Korea framed: its capital named

# What a reader meets at the default view, measured in the page: for each record drawn in view, what
# is under the centre of its marker or circle; the visible labels' boxes; the map's box.
LOOK = """() => {
  const frame = deploymap.map.getContainer().getBoundingClientRect();
  const inView = (x, y) => x >= frame.left && x <= frame.right && y >= frame.top && y <= frame.bottom;
  const under = (x, y) => { const e = document.elementFromPoint(x, y), r = e && e.closest('[data-record]');
    return r ? r.getAttribute('data-record') : (e ? String(e.className.baseVal ?? e.className) : null); };
  const records = [];
  document.querySelectorAll('.dm-symbol[data-record]').forEach(s => {
    const g = (s.querySelector('.dm-glyph') || s.querySelector('.dm-app6-symbol')).getBoundingClientRect(), x = g.left + g.width / 2, y = g.top + g.height / 2;
    if (inView(x, y)) records.push({id: s.dataset.record, kind: s.className.match(/dm-(base|command|deployment|event)\\b/)[1], under: under(x, y)});
  });
  document.querySelectorAll('path.dm-circle').forEach(p => {
    const c = deploymap.map.latLngToContainerPoint(deploymap.records().find(r => r.id === p.getAttribute('data-record')));
    const box = deploymap.map.getContainer().getBoundingClientRect(), x = box.left + c.x, y = box.top + c.y;
    if (inView(x, y)) records.push({id: p.getAttribute('data-record'), kind: 'circle', under: under(x, y)});
  });
  const labels = [...document.querySelectorAll('.dm-label')]
    .filter(l => l.style.display !== 'none' && l.style.visibility !== 'hidden')
    .map(l => { const b = l.getBoundingClientRect();
      return {text: l.textContent, id: l.dataset.label, style: l.className, box: [b.left, b.top, b.right, b.bottom]}; });
  // every record drawn at a point in view, with the boxes of its marker, circle or badge and its label
  const box = n => { const b = n.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const shown = n => n.getClientRects().length && n.style.visibility !== 'hidden' && n.style.display !== 'none';
  const at = r => deploymap.map.latLngToContainerPoint([r.lat, r.lng]), size = deploymap.map.getSize();
  const marks = deploymap.records().filter(r => at(r).x >= 0 && at(r).y >= 0 && at(r).x <= size.x && at(r).y <= size.y)
    .flatMap(r => [...document.querySelectorAll(`[data-record="${r.id}"], .dm-label[data-label="${r.id}"]`)]
    .filter(shown).map(n => ({id: r.id, what: String(n.className.baseVal ?? n.className).split(' ')[0], box: box(n),
                              at: [frame.left + at(r).x, frame.top + at(r).y]})));
  const covers = [...document.querySelectorAll('.dm-map-wrap .leaflet-control, .dm-map-wrap .dm-orbat')].filter(shown)
    .map(n => ({what: String(n.className).split(' ').pop(), box: box(n)}));
  // an edge's words: their lines as drawn (a range over the text) and the boxes painted behind them
  const lines = n => { const r = document.createRange(); r.selectNodeContents(n.querySelector('*') ? n.querySelector('*').firstChild : n.firstChild);
    return [...r.getClientRects()].map(b => b.width); };
  const painted = n => [n, ...n.querySelectorAll('*')].filter(e => getComputedStyle(e).backgroundColor !== 'rgba(0, 0, 0, 0)')
    .flatMap(e => [...e.getClientRects()].map(b => b.width));
  const edges = [...document.querySelectorAll('.dm-edge-label')].filter(shown)
    .map(n => ({text: n.textContent, box: box(n), lines: lines(n), painted: painted(n)}));
  return {records, labels, marks, covers, edges, frame: [frame.left, frame.top, frame.right, frame.bottom]};
}"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The three maps, built by the real CLI."""
    out = tmp_path_factory.mktemp("maps")
    for path in MAPS.values():
        subprocess.run([DEPLOYMAP, "build", str(path), "--out", str(out)], check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def looks(built, browser) -> dict[tuple[str, int], dict]:
    """What each map shows at each size at its default view."""
    seen = {}
    for name in MAPS:
        for width, height in SIZES:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto((built / f"{name}.html").as_uri())
            page.wait_for_function("window.deploymap && deploymap.ready")
            seen[(name, width)] = page.evaluate(LOOK)
            page.close()
    return seen


CASES = [(name, width) for name in MAPS for width, _ in SIZES]


EDGE = 8  # pixels: the least room between a mark and the map's edge (the fit leaves 12 on a phone, 30 on a desktop)


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("name,width", CASES)
def test_no_record_hides_under_another_at_the_default_view(looks, name, width):
    records = looks[(name, width)]["records"]
    assert records, "the map shows its records"
    assert [(r["id"], r["under"]) for r in records if r["under"] != r["id"]] == []


@pytest.mark.parametrize("name,width", CASES)
def test_every_base_in_view_has_a_visible_label(looks, name, width):
    seen = looks[(name, width)]
    labelled = {lab["id"] for lab in seen["labels"]}
    bases = [r["id"] for r in seen["records"] if r["kind"] == "base"]
    assert bases and [b for b in bases if b not in labelled] == []


@pytest.mark.parametrize("name,width", CASES)
def test_no_label_covers_another_or_is_cut_by_the_maps_edge(looks, name, width):
    seen = looks[(name, width)]
    boxes = [(lab["text"], lab["box"]) for lab in seen["labels"]]
    assert [(a, b) for n, (a, box) in enumerate(boxes) for b, other in boxes[n + 1:] if overlap(box, other)] == []
    frame = seen["frame"]
    cut = [text for text, b in boxes if overlap(b, frame) and not (
        frame[0] <= b[0] and frame[1] <= b[1] and b[2] <= frame[2] and b[3] <= frame[3])]
    assert cut == []


@pytest.mark.parametrize("name,width", CASES)
def test_every_mark_in_view_and_its_label_is_whole_inside_the_maps_free_part(looks, name, width):
    # the first view's fit: nothing drawn at a point in view is cut by the frame's edge, touches it,
    # or lies under a control or the order-of-battle panel
    seen = looks[(name, width)]
    left, top, right, bottom = seen["frame"]
    inside = [left + EDGE, top + EDGE, right - EDGE, bottom - EDGE]
    assert seen["marks"]
    assert [(m["id"], m["what"]) for m in seen["marks"] if not (
        inside[0] <= m["box"][0] and inside[1] <= m["box"][1] and m["box"][2] <= inside[2] and m["box"][3] <= inside[3])] == []
    assert [(m["id"], m["what"], c["what"]) for m in seen["marks"] for c in seen["covers"] if overlap(m["box"], c["box"])] == []
    # and where a link leaves the frame ("to US Indo-Pacific Command, Hawaii"), its words are whole
    assert [e["text"] for e in seen["edges"] if not (
        left <= e["box"][0] and top <= e["box"][1] and e["box"][2] <= right and e["box"][3] <= bottom)] == []


def test_an_edges_wrapped_words_stand_on_a_background_that_fits_their_lines(looks):
    # "to US Indo-Pacific Command, Hawaii" wraps onto two lines: a background the width of its box
    # left an empty field beside the shorter lines
    edges = [e for seen in looks.values() for e in seen["edges"]]
    assert any(len(e["lines"]) > 1 for e in edges), "some edge's words wrap"
    assert [(e["text"], e["lines"], e["painted"]) for e in edges
            if len(e["painted"]) != len(e["lines"]) or max(e["painted"]) > max(e["lines"]) + 2 * 4 + 1] == []


@pytest.mark.parametrize("name,width", [c for c in CASES if c != ("indo-pacific-diplomacy", 1200)])  # its
def test_a_country_figure_sits_over_its_own_coast(looks, name, width):  # first step leaves Japan's north out
    # a badge's point is its country's northmost or southmost point: the badge spans it, not a neighbour
    badges = [m for m in looks[(name, width)]["marks"] if m["what"] == "dm-total"]
    assert badges
    assert [m["id"] for m in badges if not m["box"][0] + 10 <= m["at"][0] <= m["box"][2] - 10] == []


@pytest.mark.parametrize("name,width", CASES)
def test_reference_places_name_the_map(looks, name, width):
    places = [lab for lab in looks[(name, width)]["labels"] if "dm-label-record" not in lab["style"]]
    assert any("dm-label-city" in lab["style"] for lab in places)  # a phone too names a city
    if width == 1200:
        assert PLACES[name] <= {lab["text"] for lab in places}


def test_every_record_in_view_is_a_keyboard_stop_and_a_circle_opens_its_popup_with_enter(built, open_page):
    page = open_page(built / "japan-basing.html")
    # records outside the current view leave the Tab order on purpose (runtime/a11y.js)
    stops = page.eval("""() => deploymap.records().filter(r => deploymap.map.getBounds().contains([r.lat, r.lng ?? r.lon])).map(r => {
        const e = document.querySelector(`[data-record="${r.id}"]`);
        const stop = e && (e.closest('.leaflet-marker-icon') || e);
        return stop ? stop.getAttribute('tabindex') : null; })""")
    assert stops and all(s == "0" for s in stops)


def test_a_troop_circle_is_a_keyboard_stop_that_opens_its_popup_with_enter(tmp_path, open_page):
    (tmp_path / "r.csv").write_text("id,kind,name,lat,lon,troops\ngarrison,deployment,Garrison,35.5,139.5,5000\n",
                                    encoding="utf-8")
    subprocess.run([DEPLOYMAP, "render", str(tmp_path / "r.csv"), "-o", str(tmp_path / "r.html")], check=True,
                   capture_output=True)
    page = open_page(tmp_path / "r.html")
    page.page.focus("path.dm-circle")
    page.page.keyboard.press("Enter")
    assert "5,000" in page.page.locator(".leaflet-popup-content").inner_text()


def test_a_range_ring_drawn_after_a_troop_circle_does_not_swallow_its_clicks(tmp_path, open_page):
    (tmp_path / "r.csv").write_text("id,kind,name,lat,lon,troops,range_km\n"
                                    "garrison,deployment,Garrison,35.5,139.5,5000,\n"
                                    "battery,base,Battery,35.0,139.0,,800\n", encoding="utf-8")
    (tmp_path / "r.map.yaml").write_text("title: Rings\nrecords: {paths: [r.csv]}\n"
                                         "layers: [deployments, bases, ranges]\n", encoding="utf-8")
    subprocess.run([DEPLOYMAP, "build", str(tmp_path / "r.map.yaml"), "--out", str(tmp_path)], check=True)
    page = open_page(tmp_path / "r.html")
    page.page.mouse.click(*page.eval("""() => { const c = deploymap.map.latLngToContainerPoint([35.5, 139.5]);
        const b = deploymap.map.getContainer().getBoundingClientRect(); return [b.left + c.x, b.top + c.y]; }"""))
    assert "5,000" in page.page.locator(".leaflet-popup-content").inner_text()
