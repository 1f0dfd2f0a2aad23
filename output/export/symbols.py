"""APP-6 symbols as the KMZ's placemark icons: the map's SVG symbols rasterised by the project's Chromium
(the same drawing the page shows), read back as pixels and written by deploymap's own PNG encoder, so
the bytes depend on the pixels alone (no encoder settings or metadata of the browser's)."""
from __future__ import annotations

import base64
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import geopandas as gpd
from milsymbol import Symbol as Drawn

from geo.sidc import lookup_key
from layers.symbols import assign, svg
from output.export import icons, kml
from output.mapspec import MapSpec

ICON_PX = 64  # the longer side of an icon: Google Earth scales icons to 32 px, so this stays sharp
STYLE = "sidc-"  # a style id must start with a letter; a SIDC may start with a digit

# In the page: each SVG drawn on a canvas of its size, its RGBA pixels returned (not premultiplied)
PIXELS = """async (items) => {
  const out = {};
  for (const [key, data, width, height] of items) {
    const image = new Image();
    image.src = "data:image/svg+xml;base64," + data;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0, width, height);
    out[key] = Array.from(context.getImageData(0, 0, width, height).data);
  }
  return out;
}"""


def fitted(code: str) -> tuple[str, int, int]:
    """The symbol's SVG drawn to fit ICON_PX on its longer side, with its width and height in pixels."""
    natural = Drawn(lookup_key(code), size=100).get_size()
    size = 100 * ICON_PX / max(natural["width"], natural["height"])
    drawn = Drawn(lookup_key(code), size=size).get_size()
    return svg(code, size), max(1, round(drawn["width"])), max(1, round(drawn["height"]))


def rasterise(codes: list[str]) -> dict[str, bytes]:
    """A PNG of each symbol, rasterised by headless Chromium with no network."""
    items = [(code, base64.b64encode(data.encode()).decode(), w, h) for code, (data, w, h) in
             ((code, fitted(code)) for code in codes)]
    # Playwright's sync API refuses a thread with a running event loop (Jupyter's), so it gets its own thread
    with ThreadPoolExecutor(1) as worker:
        pixels = worker.submit(_pixels, items).result()
    out = {}
    for code, _, width, height in items:
        rgba = bytes(pixels[code])
        rows = b"".join(b"\x00" + rgba[y * width * 4:(y + 1) * width * 4] for y in range(height))
        out[code] = icons.png(width, height, rows)
    return out


def _pixels(items: list[tuple[str, str, int, int]]) -> dict[str, list[int]]:
    from playwright.sync_api import sync_playwright  # late: only maps with APP-6 symbols in a KMZ need it

    from output.preview import launch

    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())
            return page.evaluate(PIXELS, items)
        finally:
            browser.close()


def symbol_kmz(frame: gpd.GeoDataFrame, spec: MapSpec) -> Callable[[gpd.GeoDataFrame, str], bytes]:
    """The KMZ writer for a map with APP-6 symbols: each marked record's symbol as its placemark's icon
    (records without one, such as events, keep their kind's icon)."""
    marked, symbols = assign(frame, spec.roles())
    codes = {i: c for i, c in zip(marked["id"], marked["symbol"]) if isinstance(c, str)}
    pngs = rasterise([s.code for s in symbols]) if symbols else {}

    def style(record: dict[str, Any]) -> str:
        return f"{STYLE}{codes[record['id']]}" if record["id"] in codes else record["kind"]

    def icon(key: str) -> bytes:
        return pngs[key[len(STYLE):]] if key.startswith(STYLE) else icons.icon(key)

    return lambda part, title: kml.to_kmz(part, title, icon=icon, style=style)
