"""Large layers: written as packed binary columns, drawn in full on canvases, a popup built on click
from the clicked record's own fields; escaped, offline and byte-identical."""
from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest

from bench.synthetic import write_records
from layers.datalayer import PLACED, Written, safe_json
from layers.packed import Deflated
from tests.conftest import DEPLOYMAP

N = 100_000


@pytest.fixture(scope="module")
def large_map(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("large")
    records = write_records(folder / "records.csv", N)
    out = folder / "large.html"
    done = subprocess.run([DEPLOYMAP, "render", str(records), "-o", str(out), "--title", "Every site"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"({N} records" in done.stdout and "; on canvas: bases, deployments, events)" in done.stdout
    return out


@pytest.mark.slow
def test_a_large_map_is_written_on_the_canvas_path(large_map):
    html = large_map.read_text(encoding="utf-8")
    assert html.count('"type":"cloud"') == 3  # bases, deployments and meetings each on one canvas
    assert "L.marker" not in html.split("deploymap.draw(", 1)[1]  # no per-record markup or markers
    assert "Site 4242" not in html and "\"r4242\"" not in html  # record text travels packed, decoded by the page
    assert large_map.stat().st_size < 4 * 1024 * 1024  # 12 MB as JSON text


@pytest.mark.slow
@pytest.mark.browser
def test_every_point_is_drawn_and_a_popup_shows_the_right_record(large_map, open_page):
    page = open_page(large_map)
    page.page.wait_for_function("deploymap.drawn.size === 3", timeout=60000)
    drawn = page.eval("[...deploymap.drawn.values()].reduce((a, b) => a + b, 0)")
    in_data = page.eval("deploymap.records().length")
    assert drawn == in_data == N
    assert page.eval("document.querySelectorAll('.leaflet-marker-icon').length") == 0  # no 100,000 DOM nodes
    # r4242 is a base (kinds cycle); its name shown as text
    assert "Site 4242 (base)" in click_record(page, "r4242")
    assert page.requests == [] and page.dialogs == [] and page.errors == []


@pytest.mark.slow
def test_the_legend_of_a_canvas_layer_shows_dots_not_proportional_circles(large_map):
    html = large_map.read_text(encoding="utf-8")
    legend = html[html.index('<details class="dm-legend"'):html.index("</details>")]
    assert legend.count("dm-key-dot") == 3 and "circle area shows headcount" not in legend


# Records the sample adds to the synthetic ones: markup, non-Latin text, a link, a missing figure.
SPECIAL = [
    {"id": "x-script", "kind": "base", "name": "<script>window.__xss = 1</script>", "lat": "10.5", "lon": "120.5",
     "source": "<img src=x onerror=window.__xss=2>"},
    {"id": "x-unicode", "kind": "deployment", "name": "横須賀 — Yokosuka “Ōminato”", "lat": "35.2833", "lon": "139.6667",
     "troops": "12345", "source": "https://example.org/report?id=7"},
    {"id": "x-blank", "kind": "deployment", "name": "No figure here", "lat": "20.25", "lon": "150.75", "troops": "",
     "source": "synthetic"},
    # on the world's east edge, where the canvas index's grid ends: drawn and found all the same
    {"id": "x-edge", "kind": "base", "name": "On the antimeridian", "lat": "-17.5", "lon": "180", "source": "synthetic"},
]


def sample(folder: Path, n: int = 6300) -> Path:
    """n synthetic records (each kind past the canvas threshold) and the special ones after them, as one CSV."""
    records = write_records(folder / "records.csv", n)
    with records.open("a", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, ["id", "kind", "name", "lat", "lon", "troops", "source"])
        out.writerows(SPECIAL)
    return records


@pytest.fixture(scope="module")
def sample_map(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    out = folder / "sample.html"
    done = subprocess.run([DEPLOYMAP, "render", str(sample(folder)), "-o", str(out)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return out


def click_record(page, ident: str) -> str:
    """Zoom to a record, click its point as a reader would and return the popup's text."""
    record = page.eval("id => deploymap.records().find(r => r.id === id)", ident)
    page.eval("r => { deploymap.map.setView([r.lat, r.lng], 12, {animate: false}); }", record)
    point = page.eval("r => { const p = deploymap.map.latLngToContainerPoint([r.lat, r.lng]);"
                      " const box = deploymap.map.getContainer().getBoundingClientRect();"
                      " return [p.x + box.left, p.y + box.top]; }", record)
    page.page.mouse.click(*point)
    popup = page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    page.eval("() => { deploymap.map.closePopup(); }")
    page.page.wait_for_function("document.querySelector('.leaflet-popup') === null")  # after its fade
    return text


def test_two_renders_of_a_large_layer_are_byte_identical(sample_map, tmp_path):
    again = tmp_path / "again.html"
    records = sample(tmp_path)
    subprocess.run([DEPLOYMAP, "render", str(records), "-o", str(again)], check=True, capture_output=True, timeout=300)
    assert again.read_bytes() == sample_map.read_bytes()


def test_a_layers_text_equal_to_where_ready_made_text_goes_stays_as_written():
    # deflated columns and kept JSON text are put in after the rest is written: a record's text that reads
    # like their place in the meantime is still that text, and theirs is where it belongs, escaped
    columns, kept = Deflated(b"the packed columns"), Written('[[35.7,139.7],["</script><!--"]]')
    for values in (["Camp Humphreys", "Yokosuka"], [PLACED, "Yokosuka"], [PLACED, PLACED]):
        spec = {"columns": {"name": values}, "packed": {"data": columns}, "rings": kept}
        text = safe_json(spec)
        assert json.loads(text) == {"columns": {"name": values}, "packed": {"data": columns.text()},
                                    "rings": [[35.7, 139.7], ["</script><!--"]]}
        assert "<" not in text


@pytest.mark.browser
def test_every_record_is_drawn_where_its_row_says(sample_map, open_page):
    page = open_page(sample_map)
    drawn = {r["id"]: (r["lat"], r["lng"]) for r in page.eval("deploymap.records()")}
    with (sample_map.parent / "records.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert set(drawn) == {row["id"] for row in rows}
    for row in rows:
        lat, lng = drawn[row["id"]]
        assert abs(lat - float(row["lat"])) < 5.1e-5 and abs(lng - float(row["lon"])) < 5.1e-5, row  # 1/10,000 degree
    assert page.eval("[...deploymap.drawn.values()].reduce((a, b) => a + b, 0)") == len(rows)


@pytest.mark.browser
def test_a_click_shows_that_records_fields_and_source_as_text(sample_map, open_page):
    page = open_page(sample_map)
    hostile = click_record(page, "x-script")
    assert hostile.startswith("<script>window.__xss = 1</script>")  # the name, shown as text
    assert "Source\n<img src=x onerror=window.__xss=2>" in hostile
    unicode = click_record(page, "x-unicode")
    assert unicode.startswith("横須賀 — Yokosuka “Ōminato”") and "Troops\n12,345" in unicode
    assert "https://example.org/report?id=7" in unicode
    blank = click_record(page, "x-blank")
    assert blank.startswith("No figure here") and "Troops" not in blank and "Source\nsynthetic" in blank
    assert "Site 17 (event)" in click_record(page, "r17") and "Site 6000 (base)" in click_record(page, "r6000")
    assert click_record(page, "x-edge").startswith("On the antimeridian")
    assert page.eval("window.__xss") == 0
    assert page.eval("document.querySelectorAll('.dm-popup script, .dm-popup img').length") == 0
    assert page.requests == [] and page.dialogs == [] and page.errors == []


@pytest.mark.browser
def test_a_link_in_a_large_layers_source_opens_in_a_new_tab(sample_map, open_page):
    page = open_page(sample_map)
    click_record(page, "x-unicode")
    record = page.eval("deploymap.records().find(r => r.id === 'x-unicode')")
    point = page.eval("r => { const p = deploymap.map.latLngToContainerPoint([r.lat, r.lng]);"
                      " const box = deploymap.map.getContainer().getBoundingClientRect();"
                      " return [p.x + box.left, p.y + box.top]; }", record)
    page.page.mouse.click(*point)
    link = page.page.locator(".leaflet-popup-content a")
    assert link.get_attribute("href") == "https://example.org/report?id=7"
    assert link.get_attribute("target") == "_blank"


CANVAS_PIXELS = """() => { const c = document.querySelector('canvas.dm-cloud');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let h = 0, dots = 0;
  for (let i = 0; i < d.length; i += 4) { h = (h * 31 + d[i] + d[i + 1] * 7 + d[i + 2] * 13 + d[i + 3]) | 0; dots += d[i + 3] > 0; }
  return [h, dots]; }"""


# Every record in view whose point has no paint at its own pixel (the dot's centre is within a pixel of it).
UNPAINTED = """() => { const map = deploymap.map, c = document.querySelector('canvas.dm-cloud'), size = map.getSize();
  const ratio = c.width / size.x, d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let inView = 0; const missing = [];
  for (const r of deploymap.records()) {
    const p = map.latLngToContainerPoint([r.lat, r.lng]), x = Math.round(p.x * ratio), y = Math.round(p.y * ratio);
    if (x < 0 || y < 0 || x >= c.width || y >= c.height) continue;
    inView++;
    if (d[(y * c.width + x) * 4 + 3] === 0) missing.push(r.id);
  }
  return [inView, missing]; }"""


@pytest.mark.browser
@pytest.mark.parametrize("zoom, at", [(3, (25, 140)), (6, (25, 140)), (12, (-17.5, 180)), (13, (20.25, 150.75))])
def test_every_point_in_view_is_painted_at_its_place(sample_map, open_page, zoom, at):
    """Wide views read each grid's occupied cells, close ones (past zoom 9) the points themselves."""
    page = open_page(sample_map)
    page.eval("a => { deploymap.map.setView(a[0], a[1], {animate: false}); }", [at, zoom])
    in_view, missing = page.eval(UNPAINTED)
    assert in_view >= 1 and missing == []
    if zoom <= 6:
        assert in_view > 500


@pytest.mark.browser
@pytest.mark.parametrize("zoom, dots", [(6, 10_000), (10, 50)])
def test_a_pan_moves_the_drawn_points_as_a_full_redraw_would_draw_them(sample_map, open_page, zoom, dots):
    """A pan repaints only the strips it uncovers: the canvas then holds exactly what repainting it whole does."""
    page = open_page(sample_map)
    page.eval("z => { deploymap.map.setView([25, 140], z, {animate: false}); }", zoom)
    for dx, dy in ((137, -59), (-200, 31), (3, 250), (-41, -7)):
        page.eval("d => { deploymap.map.panBy(d, {animate: false}); }", [dx, dy])
    panned = page.eval(CANVAS_PIXELS)
    toggle = page.page.locator(".leaflet-control-layers").get_by_label("Bases")
    toggle.uncheck()  # the layer control: each change repaints the canvas whole
    assert page.eval(CANVAS_PIXELS) != panned
    toggle.check()
    assert page.eval(CANVAS_PIXELS) == panned and panned[1] > dots


@pytest.mark.browser
def test_a_page_that_may_not_compile_code_paints_the_same_dots(sample_map, open_page, tmp_path):
    """The dot writer is compiled for speed; under a Content-Security-Policy without 'unsafe-eval' the
    same loop reads the stamp's places instead, and the canvas holds the same pixels."""
    html = sample_map.read_text(encoding="utf-8")
    strict = tmp_path / "strict.html"
    policy = "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'unsafe-inline'\">"
    strict.write_text(html.replace("<head>", "<head>" + policy, 1), encoding="utf-8")
    canvases = []
    for path in (sample_map, strict):
        page = open_page(path)
        page.page.wait_for_function("deploymap.drawn.size === 3", timeout=60000)
        page.eval("() => { deploymap.map.setView([25, 140], 6, {animate: false}); }")
        canvases.append(page.eval(CANVAS_PIXELS))
        assert page.eval(UNPAINTED)[1] == [] and page.errors == []
    assert canvases[0] == canvases[1] and canvases[0][1] > 10_000
