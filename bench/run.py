"""Benchmark: deploymap against naive folium scripts at 1,000 / 10,000 / 100,000 points.

For each size it measures, in one run: CLI wall time and peak memory, HTML bytes, and the time
until every point is drawn in headless Chromium; then prints the ratios deploymap/baseline.
Run by hand or with ``make bench``; never part of the test suite.
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.synthetic import write_records  # noqa: E402
from output.assets import leaflet_css, leaflet_js  # noqa: E402
from output.preview import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = HERE / "out"
SIZES = (1_000, 10_000, 100_000)
MARKER_LIMIT = 20_000  # the naive Marker script needs minutes past this: skipped, and said so
BIN = Path(sys.executable).parent
# folium's pages load jQuery from a CDN only to turn popup HTML into an element; the bench has
# no network, so this stand-in does that same job.
JQUERY_STANDIN = ("window.$ = function (h) { if (typeof h === 'function') { return "
                  "document.addEventListener('DOMContentLoaded', h); } var t = document.createElement('template');"
                  " t.innerHTML = h.trim(); return [t.content.firstChild]; };")
DRAWN = {
    # markers and circles are in the DOM once added; canvas layers report what they drew
    "deploymap": "window.deploymap && deploymap.ready && deploymap.records().length >= {n}"
                 " && deploymap.drawn.size === [...deploymap.layers.values()].filter(l => l.cloud).length",
    "marker": "document.querySelectorAll('.leaflet-marker-icon').length >= {n}",
    "geojson": "document.querySelectorAll('path.leaflet-interactive').length >= {n}",
}


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def time_to_drawn(browser, html: Path, kind: str, n: int) -> float:
    """Seconds from navigation until every point is on the page."""
    page = browser.new_page(viewport={"width": 1200, "height": 800})

    def serve(route):
        url = route.request.url
        if url.startswith("file:"):
            return route.continue_()
        if url.endswith("leaflet.js"):
            return route.fulfill(body=leaflet_js(), content_type="text/javascript")
        if url.endswith("leaflet.css"):
            return route.fulfill(body=leaflet_css(), content_type="text/css")
        if "jquery" in url:
            return route.fulfill(body=JQUERY_STANDIN, content_type="text/javascript")
        return route.abort()

    page.route("**/*", serve)
    started = time.perf_counter()
    page.goto(html.as_uri(), timeout=600_000)
    page.wait_for_function(DRAWN[kind].replace("{n}", str(n)), timeout=600_000, polling=50)
    seconds = time.perf_counter() - started
    page.close()
    return seconds


def start_up() -> None:
    """The fixed costs a desk feels on every run: --help (target 0.3 s) and the seed map (target 2 s)."""
    deploymap = str(BIN / "deploymap")
    helps = [timed([deploymap, "--help"])[0] for _ in range(5)]
    seeds = HERE.parent / "seeds"
    renders = [timed([deploymap, "render", str(seeds), "-o", str(OUT / "seed.html")])[0] for _ in range(3)]
    print(f"--help {min(helps):.2f} s (target 0.3 s); seed map in a fresh process {min(renders):.2f} s "
          f"(target 2 s); best of {len(helps)} and {len(renders)} runs")


def main() -> None:
    """Measure every size and print the table and ratios."""
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    start_up()
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for n in SIZES:
            records = write_records(OUT / f"records-{n}.csv", n)
            runs = {"deploymap": [str(BIN / "deploymap"), "render", str(records), "-o", str(OUT / f"deploymap-{n}.html")],
                    "geojson": [sys.executable, str(HERE / "baselines.py"), "geojson", str(records),
                                str(OUT / f"geojson-{n}.html")]}
            if n <= MARKER_LIMIT:
                runs["marker"] = [sys.executable, str(HERE / "baselines.py"), "marker", str(records),
                                  str(OUT / f"marker-{n}.html")]
            for kind, command in runs.items():
                seconds, mib = timed(command)
                html = OUT / f"{kind}-{n}.html"
                drawn = time_to_drawn(browser, html, kind, n)
                rows.append((n, kind, seconds, mib, html.stat().st_size, drawn))
                print(f"{n:>7,} {kind:9} cli {seconds:6.2f} s {mib:7.0f} MiB  html {html.stat().st_size / 1e6:6.2f} MB"
                      f"  drawn {drawn:6.2f} s", flush=True)
            if n > MARKER_LIMIT:
                print(f"{n:>7,} marker    skipped: the naive Marker script would run for minutes at this size")
        browser.close()
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"Chromium {subprocess.run([CHROMIUM, '--version'], capture_output=True, text=True).stdout.strip()}")
    print(f"\n{'points':>8} {'tool':10} {'CLI s':>7} {'peak MiB':>9} {'HTML MB':>8} {'drawn s':>8}")
    for n, kind, seconds, mib, size, drawn in rows:
        print(f"{n:>8,} {kind:10} {seconds:7.2f} {mib:9.0f} {size / 1e6:8.2f} {drawn:8.2f}")
    print("\nratios deploymap / baseline (lower is better)")
    by = {(n, k): (s, m, b, d) for n, k, s, m, b, d in rows}
    for n in SIZES:
        ours = by[(n, "deploymap")]
        for base in ("marker", "geojson"):
            if (n, base) in by:
                theirs = by[(n, base)]
                print(f"{n:>8,} vs {base:8} CLI {ours[0] / theirs[0]:5.2f}  HTML {ours[2] / theirs[2]:5.2f}  "
                      f"drawn {ours[3] / theirs[3]:5.2f}")


if __name__ == "__main__":
    main()
