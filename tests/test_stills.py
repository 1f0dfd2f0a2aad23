"""Print and social: the vector PDF, the share image and its tags, 2x previews, and the print stylesheet."""
from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.conftest import DEPLOYMAP, SEEDS

pytestmark = pytest.mark.browser

TITLE = 'Talks "2+2" <b>&</b> after'


def deploymap(*args: str) -> subprocess.CompletedProcess:
    # a subprocess: the pictures start their own Playwright, which cannot nest in the tests' one
    done = subprocess.run([DEPLOYMAP, *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The Japan basing map built with every picture and a base URL, its title full of markup."""
    root = tmp_path_factory.mktemp("stills")
    shutil.copytree(SEEDS, root / "seeds")
    mapfile = root / "seeds" / "japan-basing.map.yaml"
    text = mapfile.read_text(encoding="utf-8")
    mapfile.write_text(re.sub(r"(?m)^title: .*$", f"title: '{TITLE}'", text), encoding="utf-8")
    deploymap("build", "--pdf", "--social", "--preview", "--base-url", "https://news.example/maps/",
              "--out", str(root / "maps"), str(mapfile))
    return root / "maps"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def content_streams(pdf: bytes) -> list[bytes]:
    """Every Flate-compressed stream of a PDF, decompressed."""
    out = []
    for match in re.finditer(rb"/Filter\s*/FlateDecode[^>]*>>\s*stream\r?\n", pdf):
        out.append(zlib.decompressobj().decompress(pdf[match.end():]))
    return out


def test_the_pdf_draws_the_map_as_vector_paths_not_a_picture(built):
    pdf = (built / "japan-basing.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    operators = b"\n".join(content_streams(pdf))
    moves, lines, curves = (len(re.findall(rb"[\d.]+ [\d.]+ %s\n" % op, operators)) for op in (b"m", b"l", b"c"))
    assert moves > 100 and lines > 1000  # coastlines, the command link and the shapes, point by point
    assert curves >= 4  # the troops circle is Bézier curves, not pixels
    sizes = [(int(w), int(h)) for w, h in re.findall(rb"/Subtype /Image /Width (\d+) /Height (\d+)", pdf)]
    assert all(w < 100 and h < 100 for w, h in sizes), sizes  # no raster of the map: only glyph shadows
    assert b"/ToUnicode" in pdf  # titles, key and labels are text, not shapes or pixels


def test_the_pdf_is_the_same_bytes_when_built_again(built, tmp_path):
    again = tmp_path / "again"
    deploymap("build", "--pdf", "--base-url", "https://news.example/maps/", "--out", str(again),
              str(built.parent / "seeds" / "japan-basing.map.yaml"))
    assert (again / "japan-basing.pdf").read_bytes() == (built / "japan-basing.pdf").read_bytes()


def test_the_share_image_is_1200_by_630_and_the_preview_is_retina(built):
    assert png_size((built / "japan-basing.social.png").read_bytes()) == (1200, 630)
    assert png_size((built / "japan-basing.png").read_bytes()) == (1600, 1200)  # 800x600 at 2x


def test_share_tags_point_to_the_share_image_with_the_title_escaped(built):
    html = (built / "japan-basing.html").read_text(encoding="utf-8")
    tags = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[\w:]+)" content="([^"]*)">', html))
    assert tags["og:title"] == "Talks &quot;2+2&quot; &lt;b&gt;&amp;&lt;/b&gt; after"
    assert tags["og:image"] == "https://news.example/maps/japan-basing.social.png"
    assert tags["og:url"] == "https://news.example/maps/japan-basing.html"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:description"].startswith("About 54,000 US troops are based in Japan.")
    assert "<b>" not in html.split("</head>")[0]


def test_no_share_tags_without_a_base_url(tmp_path):
    deploymap("build", "--out", str(tmp_path), str(SEEDS / "japan-basing.map.yaml"))
    html = (tmp_path / "japan-basing.html").read_text(encoding="utf-8")
    assert 'property="og:' not in html and 'name="twitter:' not in html


def test_render_writes_a_pdf_and_a_share_image_beside_the_page(tmp_path):
    done = deploymap("render", str(SEEDS / "records"), "-o", str(tmp_path / "seed.html"), "--pdf", "--social",
                     "--title", "Seed")
    assert f"wrote {tmp_path / 'seed.pdf'}" in done.stdout
    assert (tmp_path / "seed.pdf").read_bytes().startswith(b"%PDF-")
    assert png_size((tmp_path / "seed.social.png").read_bytes()) == (1200, 630)


CONTROLS = ".leaflet-control-zoom, .leaflet-control-layers, .dm-reset"
SHOWN = "s => [...document.querySelectorAll(s)].filter(e => e.checkVisibility()).length"


def test_printing_hides_the_controls_and_prints_the_key_and_source(built, open_page):
    page = open_page(built / "japan-basing.html", 1000, 700)
    assert page.eval(SHOWN, CONTROLS) == 3
    page.page.emulate_media(media="print")
    assert page.eval(SHOWN, CONTROLS) == 0
    # the key in words: three map marks, the eight APP-6 symbols the map uses (US Forces Japan's is
    # planned) and what "planned" looks like
    assert page.eval(SHOWN, ".dm-legend li") == 12 and page.eval(SHOWN, ".dm-source") == 1
    assert page.eval(SHOWN, ".leaflet-control-scale") == 1
    link = page.page.locator(".leaflet-control-attribution a").first
    assert link.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"
    assert link.evaluate("a => getComputedStyle(a).color === getComputedStyle(a.parentNode).color")


def test_a_folded_key_opens_for_print(built, open_page):
    page = open_page(built / "japan-basing.html", 360, 270)
    assert page.eval("document.querySelector('details.dm-legend').open") is False
    page.eval("window.dispatchEvent(new Event('beforeprint'))")
    assert page.eval("document.querySelector('details.dm-legend').open") is True


def test_the_still_mode_shows_no_controls_and_draws_the_base_map_as_svg(built, browser):
    page = browser.new_page(viewport={"width": 800, "height": 600})
    try:
        page.goto((built / "japan-basing.html").resolve().as_uri() + "?still")
        page.wait_for_function("deploymap.ready")
        assert page.evaluate(SHOWN, CONTROLS) == 0
        assert page.evaluate("document.querySelectorAll('canvas').length") == 0
        # the land is one vector path: each ring in view (Japan's islands, Korea, China...) a subpath of it
        [rings] = page.evaluate("[...document.querySelectorAll('path.dm-land')].map(p => p.getAttribute('d').split('M').length - 1)")
        assert rings >= 5
    finally:
        page.close()


def test_chromium_loads_no_address_bar_popup_beside_a_map(browser, seed_maps):
    """The omnibox popup Chromium would load in a renderer of its own for every new context (as much
    CPU as the map's page) is switched off wherever deploymap drives Chromium."""
    session = browser.new_browser_cdp_session()
    page = browser.new_page()
    try:
        page.goto((seed_maps / "japan-basing.html").resolve().as_uri())
        page.wait_for_function("window.deploymap && deploymap.ready")
        urls = [t["url"] for t in session.send("Target.getTargets", {"filter": [{}]})["targetInfos"]]
        assert any(url.endswith("japan-basing.html") for url in urls)
        assert not [url for url in urls if url.startswith("chrome://omnibox-popup")]
    finally:
        page.close()
        session.detach()


def test_the_one_disable_features_switch_keeps_every_feature_playwright_disables():
    """Chromium keeps only the last --disable-features: deploymap's must carry the installed Playwright's list."""
    import playwright

    from output.preview import PLAYWRIGHT_DISABLED

    bundle = Path(playwright.__file__).parent / "driver" / "package" / "lib" / "coreBundle.js"
    listed = re.search(r"disabledFeatures = \[(.*?)\]\.filter", bundle.read_text(encoding="utf-8"), re.S)
    assert listed, f"Playwright's disabledFeatures list not found in {bundle}"
    assert set(re.findall(r'^\s*"([^"]+)"', listed.group(1), re.M)) == set(PLAYWRIGHT_DISABLED)
