"""100,000 records: written on the large-layer path, drawn in full, popups built on click."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bench.synthetic import write_records
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
    assert large_map.stat().st_size < 12 * 1024 * 1024


@pytest.mark.slow
@pytest.mark.browser
def test_every_point_is_drawn_and_a_popup_shows_the_right_record(large_map, open_page):
    page = open_page(large_map)
    page.page.wait_for_function("deploymap.drawn.size === 3", timeout=60000)
    drawn = page.eval("[...deploymap.drawn.values()].reduce((a, b) => a + b, 0)")
    in_data = page.eval("deploymap.records().length")
    assert drawn == in_data == N
    assert page.eval("document.querySelectorAll('.leaflet-marker-icon').length") == 0  # no 100,000 DOM nodes
    record = page.eval("deploymap.records().find(r => r.id === 'r4242')")
    page.eval("r => { deploymap.map.setView([r.lat, r.lng], 13, {animate: false}); }", record)
    page.page.wait_for_timeout(200)
    point = page.eval("r => { const p = deploymap.map.latLngToContainerPoint([r.lat, r.lng]);"
                      " const box = deploymap.map.getContainer().getBoundingClientRect();"
                      " return [p.x + box.left, p.y + box.top]; }", record)
    page.page.mouse.click(*point)
    popup = page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Site 4242 (base)" in popup.inner_text()  # r4242 is a base (kinds cycle); its name shown as text
    assert page.requests == [] and page.dialogs == [] and page.errors == []


@pytest.mark.slow
def test_the_legend_of_a_canvas_layer_shows_dots_not_proportional_circles(large_map):
    html = large_map.read_text(encoding="utf-8")
    legend = html[html.index('<details class="dm-legend"'):html.index("</details>")]
    assert legend.count("dm-key-dot") == 3 and "circle area shows headcount" not in legend
