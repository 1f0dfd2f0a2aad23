"""PNG previews of written maps, taken by headless Chromium (Debian's, driven by Playwright)."""
from __future__ import annotations

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def screenshots(pages: list[tuple[Path, int, int]]) -> list[bytes]:
    """A PNG of each (html file, width, height), taken once its layers are drawn; no network allowed."""
    from playwright.sync_api import sync_playwright

    shots = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for html, width, height in pages:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                           else route.abort())
                page.goto(html.resolve().as_uri())
                page.wait_for_function("window.deploymap && deploymap.ready", timeout=30000)
                page.wait_for_timeout(300)  # let the fit-to-bounds animation settle
                shots.append(page.screenshot(type="png"))
                page.close()
        finally:
            browser.close()
    return shots
