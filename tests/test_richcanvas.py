"""Rich layers past a few hundred marks (layers/datalayer.py RICH): painted on one canvas instead of a
DOM element a record, yet clicked, read by keyboard, filtered by the timeline and fitted as before;
below the threshold the DOM markers stay."""
from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from bench.synthetic import write_records
from layers.datalayer import RICH
from tests.conftest import DEPLOYMAP

N = 900  # bases, deployments (troop circles) and meetings in turn: 300 marks a layer, past RICH


def render(records: Path, out: Path) -> Path:
    done = subprocess.run([DEPLOYMAP, "render", str(records), "-o", str(out)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return out


def grid(kind: str, prefix: str, name: str, **more: str) -> list[dict[str, str]]:
    """RICH + 10 records of one kind on a grid of 0.9-degree steps north and east of 10°N 120°E."""
    return [{"id": f"{prefix}{i}", "kind": kind, "name": f"{name} {i}", "lat": f"{10 + (i % 20) * 0.9:.3f}",
             "lon": f"{120 + (i // 20) * 0.9:.3f}", "source": "synthetic", **more} for i in range(RICH + 10)]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """Rows as a CSV whose header is every field any row gives, in the order first given."""
    fields = list(dict.fromkeys(f for row in rows for f in row))
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fields)
        out.writeheader()
        out.writerows(rows)
    return path


@pytest.fixture(scope="module")
def rich_map(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("rich")
    return render(write_records(folder / "records.csv", N), folder / "rich.html")


@pytest.fixture(scope="module")
def dated_map(tmp_path_factory) -> Path:
    """RICH + 10 undated bases, one base opened later apart from the rest, and two dated meetings."""
    folder = tmp_path_factory.mktemp("dated")
    rows = grid("base", "b", "Base")
    rows.append({"id": "late", "kind": "base", "name": "Late base", "lat": "30", "lon": "125", "source": "synthetic",
                 "start": "2021-01-01"})
    rows += [{"id": f"m{k}", "kind": "event", "name": f"Meeting {k}", "lat": "12", "lon": f"{140 + k}",
              "source": "synthetic", "start": day} for k, day in enumerate(["2020-01-01", "2021-06-01"])]
    return render(write_csv(folder / "records.csv", rows), folder / "dated.html")


def screen_point(page, ident: str) -> list[float]:
    """Where a record's point is on the screen."""
    return page.eval("id => { const r = deploymap.records().find(r => r.id === id);"
                     " const p = deploymap.map.latLngToContainerPoint([r.lat, r.lng]);"
                     " const box = deploymap.map.getContainer().getBoundingClientRect();"
                     " return [p.x + box.left, p.y + box.top]; }", ident)


def pixels(page, point: list[float], reach: int = 3) -> bytes:
    """A small square of the page's pixels round a point, as PNG bytes."""
    return page.page.screenshot(clip={"x": point[0] - reach, "y": point[1] - reach, "width": 2 * reach,
                                      "height": 2 * reach})


def rgb_at(page, point: list[float]) -> list[int]:
    """The colour of the page's one pixel at a point (read from a screenshot in the page itself)."""
    shot = page.page.screenshot(clip={"x": point[0], "y": point[1], "width": 1, "height": 1})
    return page.eval("""async (b64) => {
      const img = new Image(); img.src = 'data:image/png;base64,' + b64; await img.decode();
      const c = document.createElement('canvas'); c.width = c.height = 1;
      const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
      return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)]; }""", __import__("base64").b64encode(shot).decode())


def isolate(page, ident: str, zoom: int = 11) -> list[float]:
    """The view centred on a record at a zoom where it stands alone; its point on the screen."""
    page.eval("([id, z]) => { const r = deploymap.records().find(r => r.id === id);"
              " deploymap.map.setView([r.lat, r.lng], z, {animate: false}); }", [ident, zoom])
    page.page.wait_for_timeout(100)
    return screen_point(page, ident)


@pytest.mark.browser
def test_a_layer_past_the_threshold_is_painted_with_no_element_a_record(rich_map, open_page):
    page = open_page(rich_map)
    state = page.eval("""() => ({
      markers: document.querySelectorAll('.leaflet-marker-icon, .dm-marker, path.dm-circle, [data-record]').length,
      labels: document.querySelectorAll('.dm-label').length,
      canvas: document.querySelectorAll('.leaflet-marker-pane canvas').length,
      records: deploymap.records().length,
      stops: [...document.querySelectorAll('[role=listbox]')].map(b => b.getAttribute('aria-label'))})""")
    assert state["markers"] == 0 and state["labels"] == 0  # no DOM element per record or label
    assert state["canvas"] == 1 and state["records"] == N  # every record is still on the map
    assert state["stops"] == ["Bases", "Troops and assets", "Meetings"]  # one Tab stop a layer
    assert page.requests == [] and page.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("ident, name", [("r3", "Site 3 (base)"), ("r4", "Site 4 (deployment)"),
                                         ("r5", "Site 5 (event)")])
def test_a_click_on_a_painted_mark_opens_its_popup(rich_map, open_page, ident, name):
    page = open_page(rich_map)
    point = isolate(page, ident)
    page.page.mouse.move(*point)
    assert page.eval("() => deploymap.map.getContainer().style.cursor") == "pointer"
    page.page.mouse.click(*point)
    popup = page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert name in text and "synthetic" in text  # its name and its source
    assert page.eval("() => document.querySelector('.leaflet-popup').getAttribute('aria-label')").startswith(name)


@pytest.mark.browser
def test_the_layer_is_one_tab_stop_whose_arrows_move_between_marks(rich_map, open_page):
    page = open_page(rich_map)
    for _ in range(60):
        page.page.keyboard.press("Tab")
        if page.eval("() => document.activeElement.getAttribute('aria-label')") == "Bases":
            break
    stop = page.eval("() => ({role: document.activeElement.getAttribute('role'),"
                     " current: document.activeElement.getAttribute('aria-activedescendant')})")
    assert stop["role"] == "listbox" and stop["current"]

    def current() -> str:
        return page.eval("() => document.getElementById(document.activeElement.getAttribute("
                         "'aria-activedescendant')).textContent")

    first = current()
    assert first.startswith("Site ") and "(base)" in first  # its accessible name
    page.page.keyboard.press("ArrowRight")
    second = current()
    assert second != first and "(base)" in second
    page.page.keyboard.press("ArrowLeft")
    assert current() == first
    page.page.keyboard.press("Enter")
    popup = page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert first.split(",")[0] in popup.inner_text()
    assert page.eval("() => document.activeElement.classList.contains('leaflet-popup')")
    page.page.keyboard.press("Escape")
    page.page.wait_for_function("document.querySelector('.leaflet-popup') === null")
    assert page.eval("() => document.activeElement.getAttribute('aria-label')") == "Bases"
    # the next Tab leaves the layer: 300 marks are one stop
    page.page.keyboard.press("Tab")
    assert page.eval("() => document.activeElement.getAttribute('aria-label')") != "Bases"


@pytest.mark.browser
def test_a_focused_mark_has_a_ring_drawn_round_it(rich_map, open_page):
    page = open_page(rich_map)
    page.eval("() => document.querySelector('[role=listbox]').focus()")
    name = page.eval("() => { const b = document.activeElement;"
                     " return document.getElementById(b.getAttribute('aria-activedescendant')).textContent; }")
    ident = "r" + name.split("Site ")[1].split(" ")[0]
    point = screen_point(page, ident)
    ringed = pixels(page, point, 16)
    page.eval("() => document.activeElement.blur()")
    page.page.wait_for_timeout(100)
    assert pixels(page, point, 16) != ringed


@pytest.mark.browser
def test_the_timeline_hides_and_shows_a_painted_mark(dated_map, open_page):
    page = open_page(dated_map)
    assert page.eval("() => document.querySelectorAll('[data-record]').length") == 2  # the two meetings alone
    point = screen_point(page, "late")
    shown = pixels(page, point)
    page.eval("() => deploymap.setDay('2020-06-01')")
    page.page.wait_for_timeout(100)
    assert page.eval("() => deploymap.records().some(r => r.id === 'late')") is False
    assert pixels(page, point) != shown  # its symbol is gone from the canvas
    page.eval("() => deploymap.setDay('2021-06-01')")
    page.page.wait_for_timeout(100)
    assert pixels(page, point) == shown


@pytest.mark.browser
def test_a_click_on_a_painted_mark_reaches_its_layers_group_after_the_timeline_hid_it(dated_map, open_page):
    page = open_page(dated_map)
    # a script on the page listening to a layer's group, as it would to a group of DOM markers
    page.eval("() => { window.heard = []; deploymap.layers.forEach((entry, title) =>"
              " entry.group.on('click', e => heard.push([title, e.layer.options.recordId]))); }")
    page.page.mouse.click(*isolate(page, "late"))
    page.eval("() => { deploymap.map.closePopup(); }")
    page.eval("() => deploymap.setDay('2020-06-01')")
    page.eval("() => deploymap.setDay('2021-06-01')")
    page.page.wait_for_timeout(100)
    page.page.mouse.click(*isolate(page, "b0"))
    assert page.eval("() => heard") == [["Bases", "late"], ["Bases", "b0"]]


@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(1200, 800), (390, 844)])
def test_the_painted_marks_sit_on_whole_pixels_after_the_first_view(rich_map, open_page, width, height):
    # a canvas a fraction of a pixel off is resampled: every mark's edge and circle drawn soft
    page = open_page(rich_map, width, height)
    off = page.eval("""() => { const c = document.querySelector('.leaflet-marker-pane canvas').getBoundingClientRect();
      const m = deploymap.map.getContainer().getBoundingClientRect(); return [c.left - m.left, c.top - m.top]; }""")
    assert off == [round(off[0]), round(off[1])]


def dark_pixels(page, point: list[float], box: tuple[int, int, int, int]) -> int:
    """How many of the page's pixels in a box (left, top, right, bottom) round a point are near black."""
    shot = page.page.screenshot(clip={"x": point[0] + box[0], "y": point[1] + box[1], "width": box[2] - box[0],
                                      "height": box[3] - box[1]})
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    return sum(1 for x in range(image.width) for y in range(image.height) if max(image.getpixel((x, y))) < 70)


@pytest.mark.browser
def test_a_records_name_the_first_view_leaves_out_is_painted_once_a_zoom_shows_it(rich_map, open_page):
    page = open_page(rich_map)
    point = isolate(page, "r3", 11)  # alone at this zoom: its name in dark letters on the right
    assert dark_pixels(page, point, (12, -10, 100, 10)) > 40
    page.eval("() => { deploymap.map.setZoom(3, {animate: false}); }")
    page.page.wait_for_timeout(100)
    assert dark_pixels(page, screen_point(page, "r3"), (12, -10, 100, 10)) == 0  # too close to its neighbours
    assert page.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width, height, margin", [(1200, 800, 30), (390, 844, 12)])
def test_the_first_view_keeps_every_painted_mark_and_circle_inside_the_frame_and_clear_of_the_controls(
        rich_map, open_page, width, height, margin):
    page = open_page(rich_map, width, height)
    # each mark's box as painted (a symbol's icon, fanned out or not; a circle and its stroke) on the page
    near, under = page.eval("""() => {
      const map = deploymap.map, frame = map.getContainer().getBoundingClientRect();
      const controls = [...document.querySelectorAll('.leaflet-control-zoom, .leaflet-control-layers')]
        .map(n => n.getBoundingClientRect());
      const near = [Infinity, Infinity, Infinity, Infinity];
      let under = 0;
      for (const [title, layer] of deploymap.layers) for (const m of layer.keys ? layer.keys.marks : []) {
        const a = map.layerPointToContainerPoint(m._pxBounds.min), b = map.layerPointToContainerPoint(m._pxBounds.max);
        const box = {left: frame.left + a.x, top: frame.top + a.y, right: frame.left + b.x, bottom: frame.top + b.y};
        near[0] = Math.min(near[0], box.left - frame.left); near[1] = Math.min(near[1], box.top - frame.top);
        near[2] = Math.min(near[2], frame.right - box.right); near[3] = Math.min(near[3], frame.bottom - box.bottom);
        const over = c => box.left < c.right && box.right > c.left && box.top < c.bottom && box.bottom > c.top;
        if (controls.some(over)) under++;
      }
      return [near, under]; }""")
    assert min(near) >= margin - 1
    assert under == 0


@pytest.mark.browser
def test_a_painted_mark_is_in_its_colour_after_a_zoom(rich_map, open_page):
    page = open_page(rich_map)
    point = isolate(page, "r3", 9)
    page.page.click(".leaflet-control-zoom-in")  # an animated zoom, then the repaint at its end
    page.page.wait_for_function("deploymap.map.getZoom() === 9.5")
    page.page.wait_for_timeout(400)
    point = screen_point(page, "r3")
    colour = page.eval("() => deploymap.layers.get('Bases').specs[0].color")
    want = [int(colour[k:k + 2], 16) for k in (1, 3, 5)]
    assert all(abs(a - b) <= 8 for a, b in zip(rgb_at(page, point), want))


@pytest.mark.browser
def test_the_layer_control_hides_a_painted_layer_and_its_tab_stop(rich_map, open_page):
    page = open_page(rich_map)
    point = isolate(page, "r3")
    shown = pixels(page, point)
    page.page.get_by_role("checkbox", name="Bases").uncheck()
    page.page.wait_for_timeout(100)
    assert pixels(page, point) != shown
    assert page.eval("() => document.querySelector('[aria-label=Bases][role=listbox]').hidden")
    page.page.get_by_role("checkbox", name="Bases").check()
    page.page.wait_for_timeout(100)
    assert pixels(page, point) == shown


def test_below_the_threshold_the_page_keeps_its_dom_markers_and_its_bytes(tmp_path, open_page):
    records = write_records(tmp_path / "records.csv", 3 * RICH)  # RICH marks a layer: not past it
    page = render(records, tmp_path / "dom.html")
    html = page.read_text(encoding="utf-8")
    assert "MarkCanvas" not in html and '"canvas":true' not in html  # no painted layer, nor its runtime
    opened = open_page(page)
    assert opened.eval("() => document.querySelectorAll('.dm-marker').length") == 2 * RICH
    assert opened.eval("() => document.querySelectorAll('path.dm-circle').length") == RICH


def test_a_painted_page_is_the_same_bytes_twice(rich_map, tmp_path):
    again = render(write_records(tmp_path / "records.csv", N), tmp_path / "again.html")
    assert again.read_bytes() == rich_map.read_bytes()


@pytest.mark.browser
def test_a_still_picture_keeps_dom_markers_for_vector_output(rich_map, open_page):
    page = open_page(rich_map)
    page.page.goto(rich_map.resolve().as_uri() + "?still")
    page.page.wait_for_function("window.deploymap && deploymap.ready", timeout=30000)
    assert page.eval("() => document.querySelectorAll('.dm-marker').length") == 2 * N // 3  # bases and meetings
    assert page.eval("() => document.querySelectorAll('path.dm-circle').length") == N // 3
    assert page.eval("() => document.querySelectorAll('.leaflet-marker-pane canvas, [role=listbox]').length") == 0


@pytest.mark.browser
def test_painted_marks_take_the_dark_theme_when_it_is_chosen(rich_map, open_page):
    page = open_page(rich_map)
    point = isolate(page, "r3")
    page.page.goto(rich_map.resolve().as_uri() + "#theme=dark")  # the same page: a hashchange
    page.page.wait_for_timeout(200)
    want = page.eval("() => getComputedStyle(document.documentElement).getPropertyValue('--dm-base').trim()")
    assert all(abs(a - b) <= 8 for a, b in zip(rgb_at(page, point), [int(want[k:k + 2], 16) for k in (1, 3, 5)]))


@pytest.fixture(scope="module")
def command_map(tmp_path_factory) -> Path:
    """RICH + 10 commands reporting to one, each at its own place: a painted layer with an order of battle."""
    folder = tmp_path_factory.mktemp("commands")
    rows = [{"id": "top", "kind": "command", "name": "Top command", "lat": "35", "lon": "139", "source": "synthetic",
             "reports_to": ""}]
    rows += grid("command", "c", "Command", reports_to="top")
    return render(write_csv(folder / "records.csv", rows), folder / "commands.html")


@pytest.mark.browser
def test_the_order_of_battle_opens_and_outlines_a_painted_mark_and_follows_a_click(command_map, open_page):
    page = open_page(command_map)
    assert page.eval("() => document.querySelectorAll('[data-record]').length") == 0  # painted
    page.page.locator("[data-node=c5] .dm-orbat-name").first.click()
    assert page.eval("() => document.querySelector('.leaflet-popup-content .dm-popup-title').textContent") == \
        "Command 5"
    page.eval("() => { deploymap.map.closePopup(); }")
    page.page.wait_for_function("document.querySelector('.leaflet-popup') === null")
    x, y = screen_point(page, "c5")
    red, green, blue = rgb_at(page, [x, y - 11])  # the outline's top edge, 2.5 px above the 18 px symbol
    assert red > 200 and 140 < green < 220 and blue < 90  # amber, as page.css outlines a selected marker
    # and the other way: a mark clicked on the map selects its node
    point = isolate(page, "c7")
    page.page.mouse.click(*point)
    page.page.locator(".leaflet-popup-content").wait_for()
    assert page.eval("() => document.querySelector('[role=treeitem][aria-selected=true]').dataset.node") == "c7"
    assert page.errors == []


@pytest.mark.browser
def test_a_story_step_highlights_its_painted_mark(tmp_path, open_page):
    write_csv(tmp_path / "records.csv", grid("base", "b", "Base"))
    (tmp_path / "story.map.yaml").write_text("title: Story\nrecords: {paths: [records.csv]}\nsteps:\n"
                                             "  - {title: One, text: First., view: {fit: [b5, b7]}, highlight: [b5]}\n"
                                             "  - {title: Two, text: Second., view: {fit: [b5, b7]}, highlight: [b7]}\n",
                                             encoding="utf-8")
    done = subprocess.run([DEPLOYMAP, "build", "--root", str(tmp_path), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    page = open_page(tmp_path / "out" / "story.html")
    point = screen_point(page, "b7")
    plain = pixels(page, point, 12)
    page.page.get_by_role("button", name="Next step").click()
    page.page.wait_for_timeout(100)
    assert screen_point(page, "b7") == point  # the same view
    assert pixels(page, point, 12) != plain  # b7 now drawn highlighted
    page.page.get_by_role("button", name="Previous step").click()
    page.page.wait_for_timeout(100)
    assert pixels(page, point, 12) == plain
    assert page.errors == []


@pytest.mark.browser
def test_painted_app6_symbols_come_from_the_page_and_the_key_keeps_its_symbol(tmp_path, open_page):
    write_csv(tmp_path / "records.csv", grid("base", "b", "Base"))
    (tmp_path / "app6.map.yaml").write_text("title: Symbols\nsymbols: app6\nrecords: {paths: [records.csv]}\n",
                                            encoding="utf-8")
    done = subprocess.run([DEPLOYMAP, "build", "--root", str(tmp_path), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    page = open_page(tmp_path / "out" / "app6.html")
    assert page.eval("() => document.querySelectorAll('[data-record], .dm-app6-symbol:not(.dm-key-app6 *)').length") == 0
    key = page.eval("() => { const use = document.querySelector('.dm-legend use');"
                    " return !!document.querySelector(use.getAttribute('href')); }")
    assert key  # the key's symbol finds its definition in the page's sprite
    x, y = isolate(page, "b5")
    red, green, blue = rgb_at(page, [x - 10, y])  # inside the friendly frame, left of its centre lines
    assert red < 160 and green > 200 and blue > 230  # the frame's light blue fill, painted from the SVG
    assert page.requests == [] and page.errors == []


@pytest.mark.browser
def test_edge_words_keep_clear_of_painted_marks(tmp_path, open_page):
    """The Korea map's link to Hawaii, with 120 more bases along the east coast where its words go."""
    fixtures = Path(__file__).parent / "fixtures"
    extra = [f"- {{id: x{k}, kind: base, name: Extra {k}, lat: {35.3 + (k // 10) * 0.2:.3f}, "
             f"lon: {128.6 + (k % 10) * 0.09:.3f}, country: KR, branch: US Army}}" for k in range(120)]
    (tmp_path / "korea.yaml").write_text((fixtures / "korea.yaml").read_text(encoding="utf-8") + "\n".join(extra) + "\n",
                                         encoding="utf-8")
    (tmp_path / "korea.map.yaml").write_text((fixtures / "korea.map.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run([DEPLOYMAP, "build", str(tmp_path / "korea.map.yaml"), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    page = open_page(tmp_path / "out" / "korea.html", 390, 844)
    covered = page.eval("""() => {
      const words = document.querySelector('.dm-edge-label').getBoundingClientRect();
      const frame = deploymap.map.getContainer().getBoundingClientRect();
      return deploymap.records().filter(r => r.id.startsWith('x')).filter(r => {
        const p = deploymap.map.latLngToContainerPoint([r.lat, r.lng]), x = p.x + frame.left, y = p.y + frame.top;
        return x + 9 > words.left && x - 9 < words.right && y + 9 > words.top && y - 9 < words.bottom;
      }).length; }""")
    assert covered <= 10  # 20 when the words took only DOM markers and labels into account


@pytest.fixture(scope="module")
def stacked_map(tmp_path_factory) -> Path:
    """Painted bases and troop circles, one base (opened in 2021) over the largest circle, 0.17° east of its
    centre (31 px at zoom 8: no fan-out), and two dated meetings."""
    folder = tmp_path_factory.mktemp("stacked")
    rows = grid("base", "b", "Base")
    rows += [{**row, "lon": f"{float(row['lon']) + 20:.3f}", "troops": "100"} for row in grid("deployment", "d", "Unit")]
    rows.append({"id": "big", "kind": "deployment", "name": "Big unit", "lat": "40", "lon": "150", "troops": "10000",
                 "source": "synthetic"})
    rows.append({"id": "over", "kind": "base", "name": "Over base", "lat": "40", "lon": "150.17", "source": "synthetic",
                 "start": "2021-01-01"})
    rows += [{"id": f"m{k}", "kind": "event", "name": f"Meeting {k}", "lat": "12", "lon": f"{160 + k}",
              "source": "synthetic", "start": day} for k, day in enumerate(["2020-01-01", "2021-06-01"])]
    return render(write_csv(folder / "records.csv", rows), folder / "stacked.html")


def popup_title(page, point: list[float]) -> str:
    """The title of the popup a click at a point opens (every popup closed before)."""
    page.eval("() => { deploymap.map.closePopup(); }")
    page.page.wait_for_function("document.querySelector('.leaflet-popup') === null")
    page.page.mouse.click(*point)
    title = page.page.locator(".leaflet-popup-content .dm-popup-title")
    title.wait_for()
    return title.inner_text()


@pytest.mark.browser
def test_a_click_opens_the_mark_drawn_on_top_and_never_a_hidden_one(stacked_map, open_page):
    page = open_page(stacked_map)
    assert page.eval("() => document.querySelectorAll('[data-record]').length") == 2  # the meetings alone
    centre = isolate(page, "big", 8)
    base = screen_point(page, "over")
    assert 25 < base[0] - centre[0] < 35 and base[1] == centre[1]  # inside the circle's 36 px
    assert popup_title(page, base) == "Over base"  # the symbol, drawn over the circle
    assert popup_title(page, centre) == "Big unit"  # the circle, where no symbol is
    page.eval("() => deploymap.setDay('2020-06-01')")
    page.page.wait_for_timeout(100)
    assert popup_title(page, base) == "Big unit"  # the base is not on the map that day: the circle under it
    page.eval("() => deploymap.setDay('2021-06-01')")
    page.page.wait_for_timeout(100)
    assert popup_title(page, base) == "Over base"
    assert page.errors == []
