"""Still pictures of a map page, taken by headless Chromium (Debian's, driven by Playwright): the PNG
preview at 2x for retina screens, the 1200x630 share image and the vector PDF. Each is returned as
bytes, so a build writes them with the map's other files."""
from __future__ import annotations

import re
from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
# Chromium keeps only the last --disable-features switch it is given, and Playwright passes its own
# list first (its chromiumSwitches.ts), so the one passed here carries Playwright's features as well
# as ours; tests/test_stills.py checks this copy against the installed Playwright.
PLAYWRIGHT_DISABLED = ("AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
                       "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
                       "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin",
                       "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch",
                       "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion")
# The address bar's popup and its AI-mode page (chrome://omnibox-popup.top-chrome): Chromium 156 loads
# them in a renderer of their own beside every new browser context, 0.4-0.8 s of CPU each time, as much
# as the map's own renderer; a reader's browser does not do that when an article opens.
# (PreloadTopChromeWebUI does not stop it.)
DISABLED = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")
# Each still, by the suffix of the file it becomes (NAME.png, NAME.social.png, NAME.pdf).
STILLS = {"preview": ".png", "social": ".social.png", "pdf": ".pdf"}
SOCIAL = (1200, 630)  # the share-card size Facebook, LinkedIn and X crop to
# The page is served to Chromium from this address, never the network: every other request is refused.
ORIGIN = "http://deploymap.invalid/"


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, as deploymap drives it everywhere (stills, symbols, tests, bench)."""
    features = "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED + DISABLED)
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, features])


def take_stills(html: str, width: int, height: int, kinds: Collection[str]) -> dict[str, bytes]:
    """The still pictures of one map page (``kinds`` from STILLS), keyed by kind; the map drawn at
    ``width`` x ``height``, in the page's still mode (no controls, shapes as SVG)."""
    from playwright.sync_api import sync_playwright

    sizes = {"preview": (width, height, 2), "social": (*SOCIAL, 1), "pdf": (width, height, 1)}
    out: dict[str, bytes] = {}
    with sync_playwright() as p:
        browser = launch(p)
        try:
            for kind in (k for k in STILLS if k in kinds):
                w, h, scale = sizes[kind]
                page = browser.new_page(viewport={"width": w, "height": h}, device_scale_factor=scale)
                page.route("**/*", lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8")
                           if route.request.url.startswith(ORIGIN) else route.abort())
                page.goto(f"{ORIGIN}map.html?still" + ("=social" if kind == "social" else ""))
                page.wait_for_function("window.deploymap && deploymap.ready", timeout=30000)
                if kind == "pdf":
                    page.emulate_media(media="print")
                    out[kind] = fixed_dates(page.pdf(width=f"{w}px", height=f"{h}px", print_background=True,
                                                     page_ranges="1"))
                else:
                    out[kind] = page.screenshot(type="png")
                page.close()
        finally:
            browser.close()
    return out


def fixed_dates(pdf: bytes) -> bytes:
    """The PDF with its creation and modification dates set to zeros, digit for digit, so the same
    map gives the same bytes (the byte offsets in the PDF's cross-reference table stay right)."""
    return re.sub(rb"\(D:(\d+)", lambda m: b"(D:" + b"0" * len(m.group(1)), pdf)
