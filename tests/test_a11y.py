"""Accessibility of the written maps, in Chromium: names a listener understands, the keyboard walk,
a key and a records table a screen reader can read, the author's alt text, and axe-core's audit."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from output.cli import main
from output.document import TABLE_HEADS
from tests.conftest import RECORDS_TABLE, SEEDS

pytestmark = pytest.mark.browser
AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
MARKERS = "[...document.querySelectorAll('.leaflet-marker-pane [role=button], path[role=button]')]"


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page: rule id, impact and the first offending element."""
    page.page.add_script_tag(content=AXE)
    result = page.eval("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}" for v in result["violations"]]


@pytest.mark.parametrize("name", ["indo-pacific-diplomacy", "japan-basing"])
def test_axe_core_finds_no_violation_on_the_seed_maps(seed_maps, open_page, name):
    page = open_page(seed_maps / f"{name}.html")
    assert axe_violations(page) == []


def test_markers_circles_and_meetings_have_names_a_listener_understands(seed_maps, open_page):
    page = open_page(seed_maps / "indo-pacific-diplomacy.html")
    page.page.get_by_role("button", name="Next step").click()  # the story opens on 27 July, before Tokyo's meetings
    buttons = page.page.get_by_role("button")
    assert page.page.get_by_role("button", name="Naval Air Facility Atsugi, base, US Navy").count() == 1
    assert page.page.get_by_role("button", name='US-Japan "2+2", meeting, 28 Jul 2024').count() == 1
    assert page.page.get_by_role("button", name="Japan About 54,000 US troops, US troops in Japan").count() == 1
    assert page.page.get_by_role("button", name="HSM-51 Seahawks, assets, MH-60R Seahawk helicopters").count() == 1
    names = [buttons.nth(i).get_attribute("aria-label") or buttons.nth(i).inner_text()
             for i in range(buttons.count())]
    assert not [n for n in names if n.strip() in ("★", "■", "◆", "●", "")]
    # the glyphs are pictures of the name, hidden from the accessibility tree
    assert page.eval("[...document.querySelectorAll('.dm-glyph')]"
                     ".every(g => g.closest('[aria-hidden=true]'))")


def test_tab_reaches_every_record_in_view_enter_opens_and_escape_closes_and_returns_focus(seed_maps, open_page):
    page = open_page(seed_maps / "japan-basing.html")
    expected = page.eval(f"{MARKERS}.filter(m => m.getAttribute('tabindex') === '0')"
                         ".map(m => m.getAttribute('aria-label'))")
    assert len(expected) == 9  # Hawaii's base and INDOPACOM lie outside the published view
    centre = page.eval("deploymap.map.getCenter()")
    page.page.keyboard.press("Tab")  # the map region itself (arrow keys pan it)
    assert page.eval("document.activeElement.classList.contains('folium-map')")
    reached = []
    for _ in expected:
        page.page.keyboard.press("Tab")
        name = page.eval("document.activeElement.getAttribute('aria-label')")
        reached.append(name)
        page.page.keyboard.press("Enter")
        popup = page.page.locator(".leaflet-popup")
        expect(popup).to_have_count(1)
        assert popup.locator(".dm-popup-title").inner_text() in name
        # the popup takes focus, as a dialog named for its record
        focused = page.eval("[document.activeElement.getAttribute('role'), document.activeElement.getAttribute("
                            "'aria-label'), document.activeElement.closest('[aria-hidden=true]')]")
        assert focused == ["dialog", name, None]
        page.page.keyboard.press("Escape")
        expect(page.page.locator(".leaflet-popup")).to_have_count(0)  # after Leaflet's fade
        assert page.eval("document.activeElement.getAttribute('aria-label')") == name
    assert sorted(reached) == sorted(expected)
    page.page.keyboard.press("Tab")
    assert page.eval("document.activeElement.getAttribute('aria-label')") == "Zoom in"
    # walking the records never moved the map (Leaflet's setView rounds the centre to a whole pixel)
    assert page.eval("c => deploymap.map.latLngToContainerPoint(c).distanceTo(deploymap.map.getSize().divideBy(2))",
                     centre) <= 1
    # a country's figure is a button too, named by what it shows
    page.page.get_by_role("button", name="Japan About 54,000 US troops, US troops in Japan").focus()
    page.page.keyboard.press("Enter")
    assert page.page.locator(".leaflet-popup .dm-popup-title").inner_text() == "US troops in Japan"
    assert page.errors == []


def test_decorative_shapes_stay_out_of_the_tab_order(seed_maps, open_page):
    page = open_page(seed_maps / "indo-pacific-diplomacy.html")
    focusable = page.eval("""[...document.querySelectorAll('.leaflet-pane [tabindex], .leaflet-pane path')]
        .filter(n => n.tabIndex >= 0 && n.getAttribute('role') !== 'button').length""")
    assert focusable == 0
    arrows = page.eval("[...document.querySelectorAll('.dm-arrow')]"
                       ".map(a => a.parentElement.getAttribute('aria-hidden'))")
    assert arrows and set(arrows) == {"true"}


def test_the_key_is_read_with_its_symbols_in_words(seed_maps, open_page):
    page = open_page(seed_maps / "indo-pacific-diplomacy.html")
    key = page.page.locator("details.dm-legend")
    assert key.get_attribute("aria-hidden") is None
    assert page.page.get_by_role("img", name="square").count() == 1
    assert page.page.get_by_role("img", name="dashed line").count() == 1
    assert "Bases" in key.inner_text()


def test_the_records_table_carries_every_popup_field_and_says_places_in_words(seed_maps, open_page):
    page = open_page(seed_maps / "japan-basing.html")
    page.records_table()
    rows = page.eval("""[...document.querySelectorAll('#dm-summary tbody tr')].map(r =>
        Object.fromEntries([...r.cells].map((c, i) => [document.querySelectorAll('#dm-summary th')[i].textContent,
                                                       c.textContent])))""")
    by_name = {r["Name"]: r for r in rows}
    troops = by_name["US troops in Japan"]
    assert troops["Place"] == "Japan" and "Troops: 54,000" in troops["Details"]
    assert "54,000 US military personnel" in troops["Summary"] and troops["Source"].startswith("US Forces Japan,")
    assert by_name["HSM-51 Seahawks"]["Place"] == "Naval Air Facility Atsugi, Japan"
    assert "Assets: MH-60R Seahawk helicopters" in by_name["HSM-51 Seahawks"]["Details"]
    usfj = next(r for n, r in by_name.items() if n.startswith("US Forces Japan"))
    assert "Reports to: US Indo-Pacific Command" in usfj["Details"]


def test_alt_from_the_map_file_and_from_render_is_the_figures_description(project, tmp_path, open_page):
    mapfile = project / "japan-basing.map.yaml"
    mapfile.write_text(mapfile.read_text() + "alt: Ten US bases and headquarters across Japan, <b>one</b> in Hawaii.\n")
    assert CliRunner().invoke(main, ["build", str(mapfile), "--out", str(tmp_path)]).exit_code == 0
    page = open_page(tmp_path / "japan-basing.html")
    described = page.eval("document.getElementById(document.querySelector('figure').getAttribute('aria-describedby'))"
                          ".querySelector('p').textContent")
    assert described == "Ten US bases and headquarters across Japan, <b>one</b> in Hawaii."
    assert page.page.get_by_role("region", name="Interactive map: US forces in Japan after the July 2024 \"2+2\". "
                                 "Ten US bases and headquarters across Japan, <b>one</b> in Hawaii.").count() == 1
    out = tmp_path / "flags.html"
    result = CliRunner().invoke(main, ["render", str(SEEDS / "records"), "-o", str(out),
                                       "--alt", "Meetings and bases."])
    assert result.exit_code == 0, result.output
    page = open_page(out)
    assert page.eval("document.querySelector('#dm-summary p').textContent") == "Meetings and bases."


def records_csv(path: Path, names: list[str]) -> Path:
    """A records file of bases named ``names``, one a line, spread over the Pacific."""
    lines = ["id,kind,name,lat,lon"] + [f"r{i},base,\"{n}\",{10 + i % 40},{120 + i % 50}" for i, n in enumerate(names)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_records_table_is_in_the_accessibility_tree_once_the_map_is_drawn(seed_maps, open_page):
    page = open_page(seed_maps / "japan-basing.html")
    page.records_table()
    cdp = page.page.context.new_cdp_session(page.page)
    nodes = [n for n in cdp.send("Accessibility.getFullAXTree")["nodes"] if not n.get("ignored")]
    role = lambda n: n.get("role", {}).get("value")  # noqa: E731
    name = lambda n: n.get("name", {}).get("value")  # noqa: E731
    assert [name(n) for n in nodes if role(n) == "table"] == ["Records on this map"]
    heads = [name(n) for n in nodes if role(n) == "columnheader"]
    assert heads == list(TABLE_HEADS)
    rows = page.eval("document.querySelectorAll('#dm-summary tbody tr').length")
    assert rows >= 11 and sum(role(n) == "row" for n in nodes) == rows + 1  # and the heads' row
    cells = {name(n) for n in nodes if role(n) == "cell"}
    assert {"US troops in Japan", "HSM-51 Seahawks", "Naval Air Facility Atsugi, Japan"} <= cells


# every change to the records table as it is built: [rows, aria-busy, the map ready]
TABLE_STEPS = """window.__steps = [];
new MutationObserver(() => {
  const table = document.querySelector('#dm-summary table'), steps = window.__steps;
  if (!table) return;
  const now = [table.tBodies[0].rows.length, table.getAttribute('aria-busy'), !!(window.deploymap && deploymap.ready)];
  const last = steps[steps.length - 1];
  if (!last || last[0] !== now[0] || last[1] !== now[1]) steps.push(now);
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-busy'] });"""


def test_a_long_records_table_comes_in_steps_after_the_map_busy_until_whole(browser, tmp_path):
    records = records_csv(tmp_path / "r.csv", [f"Site {i}" for i in range(505)])
    out = tmp_path / "many.html"
    result = CliRunner().invoke(main, ["render", str(records), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    try:
        page.add_init_script(TABLE_STEPS)
        page.goto(out.resolve().as_uri())
        page.wait_for_selector(RECORDS_TABLE, state="attached", timeout=30000)
        steps = page.evaluate("window.__steps")
        # the first rows come once the map is drawn, the table busy (assistive technology waits) until the last
        step = steps[0][0]
        assert 0 < step < 500 and [s[0] for s in steps] == list(range(step, 501, step))
        assert all(s[1:] == ["true", True] for s in steps[:-1]) and steps[-1] == [500, None, True]
        names = page.eval_on_selector_all("#dm-summary tbody tr td:first-child", "cells => cells.map(c => c.textContent)")
        assert names == [f"Site {i}" for i in range(500)]
        # a still picture has it whole when it is ready, never busy
        page.goto(out.resolve().as_uri() + "?still")
        page.wait_for_function("window.deploymap && deploymap.ready", timeout=30000)
        assert page.evaluate("window.__steps") == [[500, None, False]]
    finally:
        page.close()


def test_without_javascript_the_same_table_is_there_and_record_text_stays_text(browser, open_page, tmp_path):
    hostile = "<img src=x onerror=alert(1)>"
    closing = "</noscript><img src=x onerror=alert(2)>"  # would end the held table early, were it markup
    forged = "</td></tr><tr><td>forged"  # would split the held rows (table.js parses them a step at a time)
    records = records_csv(tmp_path / "r.csv", [hostile, closing, forged] + [f"Site {i}" for i in range(3, 503)])
    out = tmp_path / "many.html"
    result = CliRunner().invoke(main, ["render", str(records), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = open_page(out)
    table = page.records_table()
    assert table.locator("caption").inner_text() == "Records on this map"
    assert table.locator("tbody tr").count() == 500
    assert table.locator("tbody tr").first.locator("td").first.text_content() == hostile
    assert table.locator("tbody tr").nth(1).locator("td").first.text_content() == closing
    assert table.locator("tbody tr").nth(2).locator("td").first.text_content() == forged
    assert page.eval("document.querySelectorAll('#dm-summary img, #dm-summary noscript').length") == 0
    built = page.eval("[...document.getElementById('dm-summary').children].slice(1).map(e => e.outerHTML).join('')")
    assert "3 more records are in the map’s GeoJSON." in built
    assert page.dialogs == [] and page.errors == []
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(out.resolve().as_uri())
        # without JavaScript the noscript's content is the page's own: the very markup the runtime builds
        assert plain.locator("#dm-summary table caption").inner_text() == "Records on this map"
        assert plain.locator("#dm-records").inner_html() == built
    finally:
        context.close()
