"""The embed snippet pasted into a mock article served over HTTP, read as a reader would: the map
does not trap the page, the frame is as tall as its content, the map keeps its shape."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from output.cli import main
from tests.conftest import serving_folder

pytestmark = pytest.mark.browser

PARAGRAPH = "<p>" + "The alliance talks in Tokyo set out a new command structure for US forces in Japan. " * 6 + "</p>"
PORTRAIT = """title: A tall map
records: {paths: [records/bases.csv]}
size: {width: 600, height: 800, max_height: 500}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, request) -> Iterator[tuple[str, Path]]:
    """The seed maps built into a folder, an article page around each embed snippet, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("site")
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    (seeds_copy := root / "seeds").mkdir()
    shutil.copytree(seeds / "records", seeds_copy / "records")  # records must sit inside the project
    for name in ("japan-basing.map.yaml", "indo-pacific-diplomacy.map.yaml"):
        (seeds_copy / name).write_text((seeds / name).read_text(encoding="utf-8"), encoding="utf-8")
    (seeds_copy / "tall.map.yaml").write_text(PORTRAIT, encoding="utf-8")
    done = CliRunner().invoke(main, ["build", "--root", str(seeds_copy), "--out", str(root / "maps")])
    assert done.exit_code == 0, done.output
    for snippet in (root / "maps").glob("*.embed.html"):
        name = snippet.name.removesuffix(".embed.html")
        (root / "maps" / f"{name}.article.html").write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
            "</head><body style='margin:0;font:18px/1.5 serif'>"
            f"<h1>The story</h1>{PARAGRAPH}{snippet.read_text(encoding='utf-8')}{PARAGRAPH * 8}</body></html>",
            encoding="utf-8")
    with serving_folder(root / "maps") as port:
        yield f"http://127.0.0.1:{port}/", root / "maps"


@pytest.fixture
def article(site, browser):
    """article(name, width) -> (page, frame): the article open, its map drawn and its frame sized."""
    pages = []

    def _open(name: str, width: int):
        page = browser.new_page(viewport={"width": width, "height": 800})
        pages.append(page)
        page.goto(f"{site[0]}{name}.article.html")
        page.wait_for_function("document.querySelector('.deploymap-fallback').hidden")
        frame = page.frame_locator("iframe[data-deploymap]").locator("body").element_handle().owner_frame()
        frame.wait_for_function("window.deploymap && deploymap.ready")
        return page, frame

    yield _open
    for page in pages:
        page.close()


def map_centre(page) -> tuple[float, float]:
    """The middle of the part of the embedded map inside the window (a frame with a timeline under
    its map may be taller than the window)."""
    box = page.locator("iframe[data-deploymap]").bounding_box()
    wrap = page.frame_locator("iframe[data-deploymap]").locator(".dm-map-wrap").bounding_box()
    top, bottom = max(wrap["y"], 0), min(wrap["y"] + wrap["height"], page.viewport_size["height"])
    return box["x"] + box["width"] / 2, (top + bottom) / 2


@pytest.mark.parametrize("width", [768, 1280])
def test_the_wheel_over_an_embedded_map_scrolls_the_article_and_ctrl_wheel_zooms(article, width):
    page, frame = article("japan-basing", width)
    zoom = frame.evaluate("deploymap.map.getZoom()")
    frame.evaluate("""window.__leafletWheels = 0; deploymap.map.getContainer()
        .addEventListener('wheel', () => window.__leafletWheels++)""")
    page.mouse.move(*map_centre(page))
    for _ in range(3):
        page.mouse.wheel(0, 120)
    page.wait_for_function("window.scrollY > 100")
    assert frame.evaluate("window.__leafletWheels") == 0  # Leaflet's wheel zoom never heard them
    assert frame.evaluate("deploymap.map.getZoom()") == zoom
    hint = frame.locator(".dm-hint")
    assert hint.text_content() == "Use ctrl + scroll to zoom the map"

    page, frame = article("japan-basing", width)  # afresh: no scroll of the article still under way
    zoom = frame.evaluate("deploymap.map.getZoom()")
    page.mouse.move(*map_centre(page))
    page.keyboard.down("Control")
    page.mouse.wheel(0, -120)
    page.keyboard.up("Control")
    frame.wait_for_function("z => deploymap.map.getZoom() > z", arg=zoom)
    assert page.evaluate("window.scrollY") == 0


def test_a_standalone_page_zooms_on_the_wheel(site, browser):
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    try:
        page.goto(f"{site[0]}japan-basing.html")
        page.wait_for_function("deploymap.ready")
        zoom = page.evaluate("deploymap.map.getZoom()")
        assert page.evaluate("document.documentElement.classList.contains('dm-framed')") is False
        page.mouse.move(500, 400)
        page.mouse.wheel(0, -120)
        page.wait_for_function("z => deploymap.map.getZoom() > z", arg=zoom)
        assert page.locator(".dm-hint").count() == 0
    finally:
        page.close()


def swipe(cdp, points: list[tuple[float, float]], dy: float) -> None:
    """Fingers at ``points`` moving up by ``dy`` pixels, as a touch screen reports them."""
    def at(step: int) -> list[dict]:
        return [{"x": x, "y": y - dy * step / 10, "id": n} for n, (x, y) in enumerate(points)]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": at(0)})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": at(step)})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_on_a_touch_screen_one_finger_scrolls_the_article_and_two_fingers_move_the_map(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)

    def opened(name: str):
        page = context.new_page()
        page.goto(f"{site[0]}{name}")
        frame = page.frames[-1]
        frame.wait_for_function("window.deploymap && deploymap.ready")
        return page, frame, context.new_cdp_session(page), frame.evaluate("deploymap.map.getCenter()")

    try:
        page, frame, cdp, centre = opened("japan-basing.article.html")
        page.wait_for_function("document.querySelector('.deploymap-fallback').hidden")
        x, y = map_centre(page)
        swipe(cdp, [(x, y)], 200)
        page.wait_for_function("window.scrollY > 50")
        assert frame.evaluate("deploymap.map.getCenter()") == centre
        assert frame.locator(".dm-hint").text_content() == "Use two fingers to move the map"

        page, frame, cdp, centre = opened("japan-basing.article.html")  # afresh: no fling still scrolling
        page.wait_for_function("document.querySelector('.deploymap-fallback').hidden")
        x, y = map_centre(page)
        swipe(cdp, [(x - 20, y), (x + 20, y)], 150)
        frame.wait_for_function("lat => deploymap.map.getCenter().lat < lat - 1", arg=centre["lat"])
        assert page.evaluate("window.scrollY") == 0

        standalone, _, cdp, centre = opened("japan-basing.html")
        swipe(cdp, [(195, 500)], 200)
        standalone.wait_for_function("lat => deploymap.map.getCenter().lat < lat - 1", arg=centre["lat"])
    finally:
        context.close()


def test_reset_view_returns_to_the_published_view(article):
    page, frame = article("indo-pacific-diplomacy", 1280)
    home = frame.evaluate("[deploymap.map.getCenter(), deploymap.map.getZoom()]")
    frame.evaluate("() => { deploymap.map.setView([0, 0], 6, {animate: false}); }")
    reset = frame.get_by_role("button", name="Reset the map's view")
    reset.click()
    centre, zoom = frame.evaluate("[deploymap.map.getCenter(), deploymap.map.getZoom()]")
    assert zoom == home[1]
    # fitted again to the frame's present size, which lost a scroll bar since the first fit
    assert (centre["lat"], centre["lng"]) == pytest.approx((home[0]["lat"], home[0]["lng"]), abs=0.1)


@pytest.mark.parametrize("width", [360, 768, 1280])
@pytest.mark.parametrize("name, ratio", [("japan-basing", 800 / 600), ("indo-pacific-diplomacy", 16 / 9)])
def test_the_frame_is_as_tall_as_its_content_and_the_map_keeps_its_ratio(article, name, ratio, width):
    page, frame = article(name, width)
    box = page.locator("iframe[data-deploymap]").bounding_box()
    content = frame.evaluate("document.documentElement.getBoundingClientRect().height")
    assert box["height"] == pytest.approx(content, abs=2)
    assert frame.evaluate("document.documentElement.scrollHeight") <= box["height"] + 1  # nothing cut off
    area = frame.evaluate("(() => { const r = document.querySelector('.dm-map-wrap').getBoundingClientRect();"
                          " return [r.width, r.height]; })()")
    assert area[0] == pytest.approx(width, abs=1)
    assert area[0] / area[1] == pytest.approx(ratio, rel=0.02)
    assert frame.evaluate("getComputedStyle(document.querySelector('.dm-dek')).display") != "none"
    assert page.locator(".deploymap-fallback").is_hidden()


def test_max_height_caps_a_portrait_map_in_a_wide_column(article):
    page, frame = article("tall", 1280)
    assert frame.evaluate("document.querySelector('.dm-map-wrap').getBoundingClientRect().height") == 500
    box = page.locator("iframe[data-deploymap]").bounding_box()
    assert box["height"] < 700
    assert box["height"] == pytest.approx(frame.evaluate("document.documentElement.scrollHeight"), abs=2)


def test_the_listener_ignores_height_messages_from_anything_but_its_frame(article):
    page, _ = article("japan-basing", 768)
    before = page.locator("iframe[data-deploymap]").bounding_box()["height"]
    page.evaluate("""window.postMessage({sentinel: 'amp', type: 'embed-size', height: 3000}, '*');
        window.__seen = new Promise(r => window.addEventListener('message', () => setTimeout(r), {once: true}))""")
    page.evaluate("window.__seen")
    assert page.locator("iframe[data-deploymap]").bounding_box()["height"] == before


def test_without_the_listener_the_fallback_link_stays(site, browser):
    snippet = (site[1] / "japan-basing.embed.html").read_text(encoding="utf-8")
    stripped = snippet.split("<script>")[0] + snippet.split("</script>")[1]  # a CMS that removes scripts
    (site[1] / "stripped.article.html").write_text(f"<!DOCTYPE html><body>{PARAGRAPH}{stripped}</body>",
                                                  encoding="utf-8")
    page = browser.new_page(viewport={"width": 768, "height": 800})
    try:
        page.goto(f"{site[0]}stripped.article.html")
        page.frame_locator("iframe").locator(".leaflet-container").wait_for()
        assert page.get_by_role("link", name="Open the map: US forces in Japan").is_visible()
    finally:
        page.close()
