"""APP-6 symbols on the map: drawn at build time, in the page once each, on the markers and in the key."""
from __future__ import annotations

import io
import re
import struct
import subprocess
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

import deploymap
from geo.errors import RecordError
from layers.symbols import svg
from output.cli import main
from output.mapfile import load_mapfile
from tests.conftest import DEPLOYMAP

USFJ_SIDC = "10031012001100000000"  # friend, land unit, planned (usfj-jfhq says status: planned), headquarters


def test_a_planned_frame_is_dashed_and_a_present_one_is_not():
    planned, present = svg("10031010001701000000"), svg("10031000001701000000")
    assert re.match(r'<svg [^>]*><path stroke-dasharray="8,12" d="M25,50', planned)
    assert "stroke-dasharray" not in present
    assert svg("SFGAUCI----D---").count('stroke-dasharray="8,12"') == 1
    assert "stroke-dasharray" not in svg("SFGPUCI----D---") and "?" not in svg("SFGPUCI----D---")


def test_the_map_file_chooses_app6_or_simple(project):
    assert load_mapfile(project / "japan-basing.map.yaml").symbols == "app6"
    assert load_mapfile(project / "indo-pacific-diplomacy.map.yaml").symbols == "simple"
    path = project / "japan-basing.map.yaml"
    path.write_text(path.read_text().replace("symbols: app6", "symbols: nato"))
    with pytest.raises(RecordError) as err:
        load_mapfile(path)
    assert "japan-basing.map.yaml:" in str(err.value)
    assert "symbols: 'nato' is not app6 or simple; write symbols: app6" in str(err.value)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("maps")
    result = CliRunner().invoke(main, ["build", "--root", str(Path(__file__).parent.parent / "seeds"),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.browser
def test_us_forces_japan_is_a_friendly_joint_headquarters_in_inline_svg(built, open_page):
    html = (built / "japan-basing.html").read_text()
    assert html.count(f'"code":"{USFJ_SIDC}"') == 1  # each distinct symbol once in the page
    page = open_page(built / "japan-basing.html")
    found = page.eval("""(() => {
        const svg = document.querySelector('[data-record="usfj-jfhq"] svg.dm-app6-symbol');
        const symbol = document.querySelector(svg.querySelector('use').getAttribute('href'));
        return {sidc: svg.dataset.sidc, tag: symbol.tagName, frame: symbol.querySelector('path').getAttribute('d'),
                fill: symbol.querySelector('path').getAttribute('fill'), staff: symbol.innerHTML.includes('L25,250'),
                drawn: svg.getBoundingClientRect().width}; })()""")
    assert found == {"sidc": USFJ_SIDC, "tag": "symbol", "frame": "M25,50 l150,0 0,100 -150,0 z",
                     "fill": "rgb(128,224,255)", "staff": True, "drawn": pytest.approx(47.4 * 22 / 30, abs=0.5)}
    key = page.eval("[...document.querySelectorAll('.dm-legend li')].map(li => li.textContent)")
    assert "Friendly joint headquarters" in key and "Friendly naval installation" in key
    assert "Friendly rotary-wing aviation unit" in key
    assert page.eval("document.querySelectorAll('.dm-legend .dm-key-app6 use').length") == \
        page.eval("deploymap.symbols.length")
    assert page.eval("document.querySelectorAll('.dm-glyph').length") == 0  # no kind glyph left on a marker
    assert page.requests == [] and page.errors == []


@pytest.mark.browser
def test_maps_without_symbols_keep_the_glyphs(built, open_page):
    page = open_page(built / "indo-pacific-diplomacy.html")
    assert page.eval("document.querySelectorAll('svg.dm-app6-symbol').length") == 0
    assert page.eval("document.querySelectorAll('.dm-glyph').length") > 0


@pytest.mark.browser
def test_a_planned_unit_is_drawn_with_a_dashed_frame(tmp_path, open_page):
    (tmp_path / "units.csv").write_text(
        "id,kind,name,place,branch,echelon,status,source\n"
        "now,deployment,Marine regiment,Camp Hansen,US Marine Corps,regiment,,test\n"
        "later,deployment,Marine littoral regiment,Camp Hansen,US Marine Corps,regiment,planned,test\n")
    records = deploymap.read_records(tmp_path / "units.csv")
    path = deploymap.Map(records, title="Okinawa", symbols="app6").save(tmp_path / "okinawa.html")
    page = open_page(path)
    dashes = page.eval("""Object.fromEntries(['now', 'later'].map(id => {
        const use = document.querySelector(`[data-record="${id}"] use`);
        const frame = document.querySelector(use.getAttribute('href')).querySelector('path');
        return [id, getComputedStyle(frame).strokeDasharray]; }))""")
    assert dashes == {"now": "none", "later": "8px, 12px"}
    key = page.eval("[...document.querySelectorAll('.dm-legend li')].map(li => li.textContent)")
    assert "Friendly planned amphibious unit, regiment" in key and "Friendly amphibious unit, regiment" in key


def pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and RGBA rows (filter bytes kept) of a PNG written by deploymap's encoder."""
    width, height = struct.unpack(">II", png[16:24])
    data, at = b"", 8
    while at < len(png):
        (length,), kind = struct.unpack(">I", png[at:at + 4]), png[at + 4:at + 8]
        if kind == b"IDAT":
            data += png[at + 8:at + 8 + length]
        at += 12 + length
    return width, height, zlib.decompress(data)


def test_the_kmz_of_a_map_with_symbols_carries_them_as_png_icons(project, tmp_path):
    path = project / "japan-basing.map.yaml"
    path.write_text(path.read_text() + "exports: [kmz]\n")
    out = tmp_path / "maps"
    # the real CLI, in a process of its own; Chromium rasterises the icons
    build = [DEPLOYMAP, "build", "--root", str(project), "--out", str(out)]
    result = subprocess.run(build, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    data = (out / "japan-basing.kmz").read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    icon = archive.read(f"icons/sidc-{USFJ_SIDC}.png")
    assert icon.startswith(b"\x89PNG\r\n\x1a\n")
    width, height, rows = pixels(icon)
    assert max(width, height) == 64 and width < height  # the headquarters' flag on its staff
    assert bytes([128, 224, 255, 255]) in rows  # the friendly frame's light blue, opaque
    doc = ET.fromstring(archive.read("doc.kml"))
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    usfj = next(m for m in doc.iterfind(".//k:Placemark", ns)
                if m.find("k:ExtendedData/k:Data[@name='id']/k:value", ns).text == "usfj-jfhq")
    assert usfj.find("k:styleUrl", ns).text == f"#sidc-{USFJ_SIDC}"
    assert doc.find(f".//k:Style[@id='sidc-{USFJ_SIDC}']/k:IconStyle/k:Icon/k:href", ns).text == \
        f"icons/sidc-{USFJ_SIDC}.png"
    assert "icons/deployment.png" in archive.namelist()  # the troops, a circle on the map, keep the kind's icon
    assert subprocess.run([*build, "--force"]).returncode == 0
    assert (out / "japan-basing.kmz").read_bytes() == data  # the same bytes
