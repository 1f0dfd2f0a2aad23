"""Issue 6: markup and script in any text field of records or map files reach the page as text, never as code.

The maps are built with `deploymap build` from a temporary map folder, then opened in headless Chromium
(Debian's, through Playwright). Every popup is opened, every tooltip shown and every marker hovered;
nothing may run (no dialog, window.__xss stays 0), nothing may be fetched from the network, and each
payload must be readable, character for character, where the map shows it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from output.cli import main
from tests.conftest import RECORDS_TABLE

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=\"window.__xss++\">",
    "<script>window.__xss++</script>",
    "</script><script>window.__xss++;alert(1)</script>",
    "\"><svg onload=window.__xss++>",
    "'><svg/onload=alert(1)>",
    "javascript:alert(1)",
    "JaVaScRiPt:window.__xss++",
    "https://example.com/\"onmouseover=\"window.__xss++",
    "https://x.example/'><img src=x onerror=window.__xss++>",
    "${alert(1)}",
    "`;window.__xss++;`",
    "${window.__xss++}`${alert(1)}`",
    "7*7}} %} #} ${7*7}",
    "<a href=\"javascript:window.__xss++\">click me</a>",
    "<iframe src=\"javascript:window.__xss++\"></iframe>",
    "<details open ontoggle=window.__xss++>",
    "<body onload=window.__xss++>",
    "<style>@import 'http://evil.example/x.css';</style>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    "<img src=http://evil.example/pixel.png>",
    "line\u2028separator\u2029paragraph</script>alert(1)",
    "</title><script>window.__xss++</script>",
    "--><script>window.__xss++</script><!--",
    "]]><script>window.__xss++</script>",
    "\"});window.__xss++;//",
    "'-window.__xss++-'",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss++>",
    "<svg><script>window.__xss++</script></svg>",
    "&lt;img src=x onerror=window.__xss++&gt; &amp;amp;",
    "<input autofocus onfocus=window.__xss++>",
    "<video><source onerror=window.__xss++></video>",
    "data:text/html,<script>window.__xss++</script>",
    "<div style=\"background:url(http://evil.example/bg.png)\">bg</div>",
    "\\x3cscript\\x3ewindow.__xss++\\x3c/script\\x3e",
    "%3Cscript%3Ewindow.__xss%2B%2B%3C%2Fscript%3E",
    "<b onmouseover=window.__xss++>hover me</b>",
    "<span class=\"leaflet-popup-content\" onclick=window.__xss++>popup</span>",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss++>\">",
    "<object data=\"javascript:window.__xss++\"></object>",
]
N = len(PAYLOADS)
# Jinja delimiters: branca compiles every rendered script/html macro again as a template, so these must
# reach the page as text and never run while the map is built.
TEMPLATE_PAYLOADS = [
    "{{7*7}}",
    "{{constructor.constructor('window.__xss++')()}}",
    "{% if 1 %}jinja{% endif %}{# comment #}",
    "Operation {{Unknown",
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
]
LAYER_KINDS = ["countries", "ranges", "itineraries", "commands", "bases", "deployments", "events"]
MAPS = 4


def payload(i: int) -> str:
    return PAYLOADS[i % N]


def records() -> list[dict[str, Any]]:
    """Four records per payload (base, deployment, command, event), the payload in every text field."""
    out: list[dict[str, Any]] = []
    for i, p in enumerate(PAYLOADS):
        lat, lon = 20 + (i % 7) * 3, 110 + (i // 7) * 4
        def common() -> dict[str, Any]:  # fresh lists each time: PyYAML would write a shared one as an alias
            return {"name": p, "summary": p, "source": p, "quote": p, "tags": [p, "xss"], "note": p}

        out.append({"id": f"b-{i}", "kind": "base", "lat": lat, "lon": lon, "branch": p,
                    **({"range_km": 120} if i % 6 == 0 else {}), **common()})
        out.append({"id": f"d-{i}", "kind": "deployment", "lat": lat + 0.8, "lon": lon + 0.8, "branch": p,
                    **({"troops": 100 * (i + 1)} if i % 2 == 0 else {"assets": p, "count": i}), **common()})
        out.append({"id": f"c-{i}", "kind": "command", "lat": lat - 0.8, "lon": lon + 0.8, "branch": p,
                    **({"reports_to": "c-0"} if i else {}), **common()})
        out.append({"id": f"e-{i}", "kind": "event", "lat": lat - 0.8, "lon": lon - 0.8, "start": f"2024-07-{1 + i % 28:02d}",
                    "participants": [p, "Someone"], "trip": payload(i - i % 2), **common()})
    return out


def map_texts(k: int) -> dict[str, Any]:
    """Map k's source, credit and layer titles: nine payloads, a different set per map.

    Title and dek get payloads in test_title_and_dek_payloads_are_text, which fails for now.
    """
    start = k * (2 + len(LAYER_KINDS))
    layers = []
    for j, kind in enumerate(LAYER_KINDS):
        options: dict[str, Any] = {"title": payload(start + 2 + j)}
        if kind == "countries":
            options["roles"] = {"JP": "host", "CN": "named"}
        if kind in ("bases", "deployments", "events", "commands") and k == 1:
            options["large"] = True  # the canvas path: popups built on click, from the same data
        layers.append({kind: options})
    return {"title": f"Hostile map {k}", "dek": f"Records full of markup, map {k}.", "source": payload(start),
            "credit": payload(start + 1), "layers": layers}


def build_folder(root: Path, recs: list[dict[str, Any]], maps: dict[str, dict[str, Any]]) -> Path:
    """Write records and map files under ``root``, run `deploymap build` on it and return the output folder."""
    (root / "records").mkdir(parents=True)
    (root / "records" / "hostile.yaml").write_text(yaml.safe_dump(recs, allow_unicode=True), encoding="utf-8")
    for name, texts in maps.items():
        spec = {**texts, "output": name, "records": {"paths": ["records/"]}}
        (root / f"{name}.map.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False),
                                               encoding="utf-8")
    out = root / "out"
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A map folder of hostile records and map files, built by the real command."""
    return build_folder(tmp_path_factory.mktemp("xss-root"), records(), {f"xss-{k}": map_texts(k) for k in range(MAPS)})


class Watched:
    """A page that counts dialogs and blocked non-file requests."""

    def __init__(self, browser: Any):
        self.dialogs: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.context.add_init_script("window.__xss = 0;")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def open(self, path: Path) -> Any:
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.deploymap && deploymap.ready", timeout=30_000)
        return self.page

    def assert_nothing_ran(self) -> None:
        self.page.wait_for_timeout(200)  # let any onerror/onload a payload might have planted fire
        for frame in self.page.frames:
            assert frame.evaluate("window.__xss") == 0, frame.url
            assert frame.evaluate(INLINE_HANDLERS) == [], frame.url
        assert self.dialogs == []
        assert self.blocked == []
        assert self.errors == []

    def close(self) -> None:
        self.context.close()


INLINE_HANDLERS = """() => [...document.querySelectorAll('*')]
    .filter(e => [...e.attributes].some(a => a.name.startsWith('on')
        || /^\\s*(javascript|data):/i.test(a.value) && (a.name === 'href' || a.name === 'src' || a.name === 'data')))
    .map(e => e.outerHTML.slice(0, 200))"""

OPEN_POPUPS = """() => {
  const out = [];
  const text = popup => popup && popup.getElement() ? popup.getElement().textContent : null;
  for (const [title, entry] of deploymap.layers) {
    entry.group.eachLayer(l => {
      if (l.spec && l.open) {  // the canvas path: one layer for many points, a popup built per click
        for (let i = 0; i < l.spec.lat.length; i++) {
          l.open(i);
          out.push({layer: title, id: l.spec.columns.id.get(i), text: text(deploymap.map._popup)});
          deploymap.map.closePopup();
        }
      } else if (l.openPopup && l.getPopup && l.getPopup()) {
        l.openPopup();
        out.push({layer: title, id: l.options.recordId, text: text(l.getPopup())});
        l.closePopup();
      }
    });
  }
  return out;
}"""

OPEN_TOOLTIPS = """() => {
  const out = [];
  for (const [title, entry] of deploymap.layers) {
    entry.group.eachLayer(l => {
      const t = l.getTooltip && l.getTooltip();
      if (!t) return;
      l.openTooltip();
      const el = t.getElement();
      out.push(el ? el.textContent : null);
    });
  }
  return out;
}"""

TARGETS = """(n) => [...document.querySelectorAll('.leaflet-marker-icon, path.leaflet-interactive')]
  .map(e => e.getBoundingClientRect())
  .filter(r => r.width > 0 && r.x >= 0 && r.y >= 0 && r.x < innerWidth && r.y < innerHeight)
  .map(r => [r.x + r.width / 2, r.y + r.height / 2])
  .filter((_, i, all) => i % Math.max(1, Math.floor(all.length / n)) === 0)
  .slice(0, n)"""


# Clicks as DOM events on every marker and shape: the popups open the user's way, in one round trip
# (and no click can land on a link inside a popup, which would be the user leaving the page).
CLICK_ALL = """() => {
  let n = 0;
  for (const e of document.querySelectorAll('.leaflet-marker-icon, path.leaflet-interactive')) {
    e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true, view: window}));
    e.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
    n++;
  }
  deploymap.map.closePopup();
  return n;
}"""
HOVERS = 80  # real mouse moves per map: each one repaints the map, so a sample, spread over the page


def expected_popup_payloads(record_id: str) -> str:
    return payload(int(record_id.split("-")[1]))


@pytest.mark.parametrize("k", range(MAPS))
def test_record_payloads_are_shown_as_text_and_never_run(browser: Any, built: Path, k: int) -> None:
    watched = Watched(browser)
    try:
        page = watched.open(built / f"xss-{k}.html")
        popups = page.evaluate(OPEN_POPUPS)
        ids = {p["id"] for p in popups}
        assert ids == {f"{kind}-{i}" for kind in "bdce" for i in range(N)}, "every record has a popup"
        for popup in popups:
            text = popup["text"]
            assert text is not None, popup
            p = expected_popup_payloads(popup["id"])
            # name, summary, source and quote at least; branch, assets or participants as well
            assert text.count(p) >= 4, (popup["id"], p, text)
        tooltips = page.evaluate(OPEN_TOOLTIPS)
        joined = "\n".join(t or "" for t in tooltips)
        if k != 1:  # the canvas path draws no labels
            for i in range(1, N, 2):
                assert payload(i) in joined, f"asset label of d-{i}"
        assert f"{payload(0)}: 120 km" in joined, "range label"
        assert f"{payload(5)} reports to {payload(0)}" in joined, "command link"
        assert f"{payload(2)}: " in joined, "itinerary named by its trip"
        for x, y in page.evaluate(TARGETS, HOVERS):
            page.mouse.move(x, y)  # the real mouse: mouseover handlers a payload might have planted would fire
        assert page.evaluate(CLICK_ALL) >= N
        page.wait_for_selector(RECORDS_TABLE, state="attached")
        assert payload(3) in page.evaluate("document.getElementById('dm-summary').textContent")
        watched.assert_nothing_ran()
    finally:
        watched.close()


@pytest.mark.parametrize("k", range(MAPS))
def test_map_file_payloads_are_shown_as_text_and_never_run(browser: Any, built: Path, k: int) -> None:
    texts = map_texts(k)
    watched = Watched(browser)
    try:
        page = watched.open(built / f"xss-{k}.html")
        assert page.title() == texts["title"]
        assert page.evaluate("document.querySelector('#dm-title').textContent") == texts["title"]
        assert page.evaluate("document.querySelector('.dm-dek').textContent") == texts["dek"]
        assert page.evaluate("document.querySelector('.dm-source').textContent") == f"Source: {texts['source']}"
        assert page.evaluate("document.querySelector('.dm-credit').textContent") == texts["credit"]
        titles = [next(iter(layer.values()))["title"] for layer in texts["layers"]]
        control = page.evaluate("[...document.querySelectorAll('.leaflet-control-layers-overlays label')]"
                                ".map(l => l.textContent.trim())")
        for title in titles:
            assert title in control, title
            assert page.evaluate("t => deploymap.layers.has(t)", title), title
        legend = page.evaluate("document.querySelector('.dm-legend') ? "
                               "document.querySelector('.dm-legend').textContent : ''")
        for kind, title in zip(LAYER_KINDS, titles):
            if kind in ("ranges", "itineraries", "bases", "events"):
                assert title in legend, (kind, title)
        for checkbox in page.locator(".leaflet-control-layers-overlays input").all():
            checkbox.click()
            checkbox.click()
        watched.assert_nothing_ran()
    finally:
        watched.close()


def test_embed_snippet_keeps_the_title_as_text(browser: Any, built: Path) -> None:
    """The embed snippet (an iframe of the map) opened as a page: title as text, nothing runs, nothing fetched."""
    snippet = built / "xss-0.embed.html"
    watched = Watched(browser)
    try:
        watched.page.goto(snippet.as_uri())
        frame = watched.page.frame_locator("iframe").first
        frame.locator("#dm-title").wait_for(timeout=30_000)
        title = map_texts(0)["title"]
        assert watched.page.evaluate("document.querySelector('iframe').title") == title
        assert title in watched.page.evaluate("document.querySelector('.deploymap-fallback').textContent")
        assert len(watched.page.frames) == 2
        watched.assert_nothing_ran()
    finally:
        watched.close()


def test_outputs_keep_every_payload_verbatim(built: Path) -> None:
    """The GeoJSON beside the map holds the payloads exactly as written; the HTML holds no raw markup from them."""
    data = json.loads((built / "xss-0.geojson").read_text(encoding="utf-8"))
    names = {f["properties"].get("name") for f in data["features"]}
    assert set(PAYLOADS) <= names
    html = (built / "xss-0.html").read_text(encoding="utf-8")
    for p in PAYLOADS:
        if "<" in p:
            assert p not in html, p
    assert html.count("</script>") == html.count("<script>") + html.count("<script ")


TITLE_PAYLOADS = ["<b onmouseover=window.__xss++>hover me</b>", "\"><svg onload=window.__xss++>",
                  "x onfocus=window.__xss++ autofocus tabindex=1 y", "</title><script>window.__xss++</script>",
                  "<img src=x onerror=alert(1)>", "line\u2028separator\u2029paragraph</script>alert(1)"]


def test_title_and_dek_payloads_are_text(browser: Any, tmp_path: Path) -> None:
    """Payloads as a map's title and dek: shown as text in the page, the tab title and the map's label."""
    recs = [{"id": "a", "kind": "base", "name": "A", "lat": 35, "lon": 139}]
    maps = {f"title-{i}": {"title": p, "dek": p} for i, p in enumerate(TITLE_PAYLOADS)}
    out = build_folder(tmp_path, recs, maps)
    watched = Watched(browser)
    try:
        for name, texts in maps.items():
            page = watched.open(out / f"{name}.html")
            assert page.title() == texts["title"]
            assert page.evaluate("document.querySelector('#dm-title').textContent") == texts["title"]
            assert page.evaluate("document.querySelector('.dm-dek').textContent") == texts["dek"]
            label = page.evaluate("document.querySelector('.folium-map').getAttribute('aria-label')")
            assert label.startswith(f"Interactive map: {texts['title']}."), label
            box = page.locator(".folium-map").bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.keyboard.press("Tab")
            watched.assert_nothing_ran()
    finally:
        watched.close()


def test_template_payloads_are_text(browser: Any, tmp_path: Path) -> None:
    """Jinja in records, layer titles and the title is text in the page; nothing is evaluated while building."""
    marker = tmp_path / "ssti-ran"
    payloads = [p.replace("MARKER", str(marker)) for p in TEMPLATE_PAYLOADS]
    recs = [{"id": f"b-{i}", "kind": "base", "lat": 30 + i, "lon": 130 + i, "name": p, "summary": p, "source": p}
            for i, p in enumerate(payloads)]
    maps = {"jinja": {"title": payloads[0], "dek": payloads[2], "source": payloads[1], "credit": payloads[3],
                      "layers": [{"bases": {"title": payloads[4]}}]}}
    try:
        out = build_folder(tmp_path / "root", recs, maps)
    finally:
        assert not marker.exists(), "record text ran a shell command while the map was built"
    watched = Watched(browser)
    try:
        page = watched.open(out / "jinja.html")
        popups = page.evaluate(OPEN_POPUPS)
        assert sorted(p["id"] for p in popups) == [f"b-{i}" for i in range(len(payloads))]
        for popup in popups:
            assert popup["text"].count(payloads[int(popup["id"][2:])]) >= 3, popup
        assert page.evaluate("t => deploymap.layers.has(t)", payloads[4])
        assert payloads[4] in page.evaluate("document.querySelector('.leaflet-control-layers-overlays').textContent")
        label = page.evaluate("document.querySelector('.folium-map').getAttribute('aria-label')")
        assert label.startswith(f"Interactive map: {payloads[0]}."), label
        watched.assert_nothing_ran()
    finally:
        watched.close()


def test_record_text_never_runs_code_while_building(tmp_path: Path) -> None:
    marker = tmp_path / "ssti-ran"
    name = "{{ cycler.__init__.__globals__.os.system('touch %s') }}" % marker
    recs = [{"id": "a", "kind": "base", "lat": 35, "lon": 139, "name": name}]
    try:
        build_folder(tmp_path / "root", recs, {"plain": {"title": "Plain"}})
    except AssertionError:
        pass  # a failed build is not the point here; running the command is
    assert not marker.exists(), "a record's name ran a shell command while the map was built"
