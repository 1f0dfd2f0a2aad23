"""Dark mode: theme: auto follows the reader's setting or the embedding page's #theme=, light and
dark force one; every text stays legible (contrast from getComputedStyle) and axe finds nothing."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from click.testing import CliRunner

from geo.errors import RecordError
from output.cli import main
from output.mapfile import load_mapfile
from tests.conftest import SEEDS
from tests.test_a11y import axe_violations

# The colour of each text and of what lies behind it (alpha blended down the ancestors), and their
# WCAG contrast ratio: the lowest found among the page's texts, with the element that has it.
CONTRAST = """selectors => {
  const rgba = c => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])).concat([1]);
  const behind = node => {
    const layers = [];
    for (let n = node; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] === 1) break;
    }
    return layers.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255, 1]);
  };
  const lum = c => { const v = c.slice(0, 3).map(x => {
                       x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const found = [];
  selectors.forEach(sel => document.querySelectorAll(sel).forEach(n => {
    if (!n.textContent.trim() || !n.getClientRects().length) return;
    const bg = behind(n), fg = over(rgba(getComputedStyle(n).color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    found.push([Math.round((a + 0.05) / (b + 0.05) * 100) / 100, sel]);
  }));
  return found.sort((x, y) => x[0] - y[0]);
}"""
TEXTS = ["h1", ".dm-dek", ".dm-source", ".dm-credit", ".dm-legend li > span:last-child", ".dm-legend small",
         ".dm-popup-title", ".dm-popup dt", ".dm-popup dd", ".dm-label", ".dm-badge",
         ".leaflet-control-layers label span", ".leaflet-control-attribution", ".leaflet-bar a"]


def is_dark(page) -> bool:
    return page.eval("document.documentElement.classList.contains('dm-dark')")


@pytest.mark.browser
@pytest.mark.parametrize("name", ["indo-pacific-diplomacy", "japan-basing"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_is_legible_and_axe_finds_nothing_in_either_theme(seed_maps, open_page, name, scheme):
    page = open_page(seed_maps / f"{name}.html")
    page.page.emulate_media(color_scheme=scheme)
    page.eval("window.dispatchEvent(new HashChangeEvent('hashchange'))")  # the theme follows at once
    assert is_dark(page) == (scheme == "dark")
    page.page.get_by_role("button", name="Naval Air Facility Atsugi, base, US Navy").focus()
    page.page.keyboard.press("Enter")  # a popup open, so its text is measured too
    expect(page.page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # measured after Leaflet's fade-in
    lowest = page.eval(CONTRAST, TEXTS)
    assert lowest and lowest[0][0] >= 4.5, lowest[:3]
    assert {sel for _, sel in lowest} >= {".dm-popup dd", ".dm-label", ".dm-legend small", "h1"}
    assert axe_violations(page) == []


@pytest.mark.browser
def test_the_base_map_and_symbols_change_with_the_theme(seed_maps, open_page):
    page = open_page(seed_maps / "japan-basing.html")
    page.page.emulate_media(color_scheme="dark")
    page.page.wait_for_function("document.documentElement.classList.contains('dm-dark')")  # the reader's switch
    sea = page.eval("getComputedStyle(document.querySelector('.folium-map')).backgroundColor")
    land = page.eval("deploymap.layers.get('Base map').group.getLayers()[0].options.fillColor")
    base = page.eval("getComputedStyle(document.querySelector('.dm-base')).color")
    assert (sea, land, base) == ("rgb(27, 42, 56)", "#2f3540", "rgb(143, 179, 224)")
    page.page.emulate_media(color_scheme="light")
    page.page.wait_for_function("!document.documentElement.classList.contains('dm-dark')")
    assert page.eval("deploymap.layers.get('Base map').group.getLayers()[0].options.fillColor") == "#e9e4d8"
    assert not is_dark(page)


@pytest.mark.browser
def test_the_embedding_page_chooses_by_address_and_the_map_file_can_fix_the_theme(project, tmp_path, browser):
    mapfile = project / "japan-basing.map.yaml"
    built = tmp_path / "japan-basing.html"
    for theme, scheme, address, dark in (("auto", "light", "#theme=dark", True),
                                         ("auto", "dark", "?theme=light", False),
                                         ("dark", "light", "", True), ("light", "dark", "", False)):
        mapfile.write_text((SEEDS / "japan-basing.map.yaml").read_text() + f"theme: {theme}\n")
        assert CliRunner().invoke(main, ["build", str(mapfile), "--out", str(tmp_path), "--force"]).exit_code == 0
        page = browser.new_page(color_scheme=scheme)
        page.goto(built.as_uri() + address)
        page.wait_for_function("window.deploymap && deploymap.ready")
        assert page.evaluate("document.documentElement.classList.contains('dm-dark')") == dark, (theme, address)
        page.close()


def test_an_unknown_theme_is_refused_with_the_choices(project):
    mapfile = project / "japan-basing.map.yaml"
    mapfile.write_text(mapfile.read_text() + "theme: sepia\n")
    with pytest.raises(RecordError) as err:
        load_mapfile(mapfile)
    assert str(err.value.problems[0]).endswith("theme: 'sepia' is not a theme; use auto (follows the reader's "
                                               "setting), light or dark")
