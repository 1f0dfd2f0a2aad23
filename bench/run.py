"""Benchmark: deploymap render against the peers a user would pick for many points.

For 10,000 and 100,000 records (and 1,000,000 with BENCH_MILLION=1) it runs ``deploymap render``
and each peer of bench/baselines.py (FastMarkerCluster, lonboard, folium.GeoJson, geopandas
explore(), the naive per-Marker script at 10,000 only) as its own process on the same CSV, in
alternating rounds (BENCH_RUNS, default 3), and prints the medians: whole-process CLI time (start-up
and imports included), the child's peak RSS, HTML size, drawn time in headless Chromium and the
median frame time of pans and zooms; then the ratios deploymap/peer. Before them, the seed maps' drawn
time at a desktop and a phone viewport. The peers live in the bench's
own environment (bench/.venv, BENCH_PYTHON to override), never in the project's.
Run with ``make bench``; never part of the test suite.
"""
from __future__ import annotations

import compileall
import functools
import http.server
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from output.assets import leaflet_css, leaflet_js  # noqa: E402
from output.preview import CHROMIUM, launch  # noqa: E402

from bench.synthetic import write_records  # noqa: E402

OUT = HERE / "out"  # pages are served from here by a local HTTP server, every other request answered locally or refused
CORS = {"Access-Control-Allow-Origin": "*"}  # the peers load their CDN files with crossorigin="anonymous"
ASSETS = HERE / ".assets"  # npm packages fetched by `make bench` (npm pack): the peers' CDN scripts
BIN = Path(sys.executable).parent
PEER_PYTHON = os.environ.get("BENCH_PYTHON", str(HERE / ".venv" / "bin" / "python"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SIZES = (1_000, 10_000, 100_000) + ((1_000_000,) if os.environ.get("BENCH_MILLION") else ())
TOOLS = ("deploymap", "fastcluster", "lonboard", "geojson", "explore", "marker")
# Past these sizes a peer runs for minutes or writes pages of hundreds of MB: skipped, and said so.
LIMIT = {"marker": 10_000, "geojson": 100_000, "explore": 100_000}
# folium's pages load jQuery from a CDN only to turn popup HTML into an element; this does that job.
JQUERY_STANDIN = ("window.$ = function (h) { if (typeof h === 'function') { return "
                  "document.addEventListener('DOMContentLoaded', h); } var t = document.createElement('template');"
                  " t.innerHTML = h.trim(); return [t.content.firstChild]; };")
# What each CDN file name is served from: (npm package folder in ASSETS, path inside it).
NPM = {
    "leaflet.markercluster.js": ("leaflet.markercluster", "dist/leaflet.markercluster.js"),
    "MarkerCluster.css": ("leaflet.markercluster", "dist/MarkerCluster.css"),
    "MarkerCluster.Default.css": ("leaflet.markercluster", "dist/MarkerCluster.Default.css"),
    "leaflet.awesome-markers.js": ("awesome-markers", "dist/leaflet.awesome-markers.js"),
    "leaflet.awesome-markers.css": ("awesome-markers", "dist/leaflet.awesome-markers.css"),
}
# The map object of each page: deploymap publishes its own; folium keeps its map in a global.
MAP = ("(window.deploymap && deploymap.map) || (window.L && Object.values(window).find(v => v instanceof L.Map))")
# lonboard's page is not drawn offline: its widget fetches parquet_wasm_bg.wasm (parquet-wasm 0.9.0,
# which npm does not carry) from jsdelivr at run time, so only its CLI time, memory and size are measured.
NOT_DRAWN = {"lonboard"}
# When every point is on the page: deploymap's own ready signal and its canvas layers' report; for
# the folium peers, their map holds all n points (the layers are added).
READY = {
    # ready: every marker added and every canvas layer painted; the count is each canvas layer's
    # points painted, or the markers a layer holds (records() would build 1,000,000 objects per poll)
    "deploymap": "window.deploymap && deploymap.ready && [...deploymap.layers].reduce((a, [t, l]) =>"
                 " a + (l.cloud ? deploymap.drawn.get(t) || 0 : l.count), 0) >= {n}",
    "folium": "(() => { const m = " + MAP + "; if (!m || document.readyState !== 'complete') return false;"
              " let c = 0; m.eachLayer(l => { c += l.getLayers ? l.getLayers().length : (l instanceof L.Marker ? 1 : 0); });"
              " return c >= {n}; })()",
}
TWO_FRAMES = ("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))")
# Median interval between animation frames while the map pans (200 px, alternating) or zooms
# (in and out by one), one step per frame, no animation: each frame carries one full redraw.
FRAMES = """async (move) => {
  const map = %s, frame = () => new Promise(r => requestAnimationFrame(r)), times = [];
  const zoom = map.getZoom();
  await frame();
  let t = performance.now();
  for (let i = 0; i < 10; i++) {
    if (move === 'pan') map.panBy([i %% 2 ? -200 : 200, 0], {animate: false});
    else map.setZoom(i %% 2 ? zoom : zoom + 1, {animate: false});
    await frame();
    const now = performance.now(); times.push(now - t); t = now;
  }
  times.sort((a, b) => a - b);
  return (times[4] + times[5]) / 2;
}""" % MAP


def timed(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user and system: what a machine shared with other work does not
    inflate) and peak resident MiB of one command (the child's own, from wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def command(tool: str, records: Path, html: Path) -> list[str]:
    """The process that turns the CSV into the page, for deploymap or one peer."""
    if tool == "deploymap":
        return [str(BIN / "deploymap"), "render", str(records), "-o", str(html)]
    return [PEER_PYTHON, str(HERE / "baselines.py"), tool, str(records), str(html)]


class Quiet(http.server.SimpleHTTPRequestHandler):
    """OUT's files over HTTP, without a log line per request."""

    def log_message(self, *args) -> None:
        pass


@functools.cache
def origin() -> str:
    """Where a local HTTP server in this process serves OUT's pages: the browser loads a page as it
    would from a server (handing a 14 MB page through Playwright's route.fulfill took 3.4 s)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(OUT)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def serve(blocked: set[str]):
    """A route handler: the page from the local server, Leaflet and the peers' CDN files from
    installed packages, every other request refused (its host noted in ``blocked``)."""
    def handle(route):
        url = route.request.url
        name = urlsplit(url).path.rsplit("/", 1)[-1]
        if url.startswith(origin()) and (OUT / name).exists():
            return route.continue_()
        if name == "leaflet.js":
            return route.fulfill(body=leaflet_js(), content_type="text/javascript", headers=CORS)
        if name == "leaflet.css":
            return route.fulfill(body=leaflet_css(), content_type="text/css", headers=CORS)
        if name.startswith("jquery"):
            return route.fulfill(body=JQUERY_STANDIN, content_type="text/javascript", headers=CORS)
        if name in NPM and (ASSETS / NPM[name][0] / NPM[name][1]).exists():
            kind = "text/css" if name.endswith(".css") else "text/javascript"
            return route.fulfill(path=str(ASSETS / NPM[name][0] / NPM[name][1]), content_type=kind, headers=CORS)
        blocked.add(f"{urlsplit(url).netloc}/{name}")
        return route.abort()
    return handle


def drawn_page(browser, name: str, ready: str, blocked: set[str], viewport: tuple[int, int] = (1200, 800)):
    """A page of OUT opened at ``viewport`` and the seconds from navigation to two frames after ``ready``."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.route("**/*", serve(blocked))
    page.goto(origin() + name, wait_until="commit", timeout=900_000)
    page.wait_for_function(ready, timeout=900_000, polling="raf")
    return page, page.evaluate(TWO_FRAMES) / 1000


def in_browser(browser, html: Path, tool: str, n: int, blocked: set[str]) -> tuple[float, float, float]:
    """Drawn seconds (from navigation to two frames after every point is on the page), and the
    median pan and zoom frame times in ms."""
    page, drawn = drawn_page(browser, html.name, READY.get(tool, READY["folium"]).replace("{n}", str(n)), blocked)
    pan, zoom = page.evaluate(FRAMES, "pan"), page.evaluate(FRAMES, "zoom")
    page.close()
    return drawn, pan, zoom


SEED_VIEWPORTS = ((1200, 800), (390, 844))  # a desktop article and a phone


def seed_maps(browser, blocked: set[str]) -> None:
    """The seed maps drawn (labels placed, the first view fitted, ready for a click: deploymap.ready)
    at each viewport, median of RUNS loads (target 0.4 s)."""
    out = OUT / "seeds"
    subprocess.run([str(BIN / "deploymap"), "build", "--root", str(HERE.parent / "seeds"), "--out", str(out)],
                   check=True, capture_output=True)
    for html in sorted(out.glob("*.html")):
        if html.name.endswith(".embed.html"):
            continue
        (OUT / html.name).write_bytes(html.read_bytes())
        for viewport in SEED_VIEWPORTS:
            times = []
            for _ in range(RUNS):
                page, drawn = drawn_page(browser, html.name, "window.deploymap && deploymap.ready", blocked, viewport)
                page.close()
                times.append(drawn)
            print(f"seed map {html.stem} at {viewport[0]}x{viewport[1]}: drawn {statistics.median(times):.2f} s"
                  f" (target 0.4 s; median of {RUNS})", flush=True)


def byte_compiled() -> None:
    """deploymap's own modules compiled to bytecode, as pip compiles an installed package and as the
    peers' modules are: where PYTHONDONTWRITEBYTECODE is set (this machine, many containers and CI) the
    editable install compiled its 60 modules from source on every run, about 0.08 s of each."""
    root = HERE.parent
    for package in ("geo", "layers", "output"):
        compileall.compile_dir(root / package, quiet=1)
    compileall.compile_file(root / "deploymap.py", quiet=1)


def start_up() -> None:
    """The fixed costs a desk feels on every run: --help (target 0.3 s) and the seed map (target 2 s)."""
    deploymap = str(BIN / "deploymap")
    helps = [timed([deploymap, "--help"])[0] for _ in range(5)]
    seeds = HERE.parent / "seeds"
    renders = [timed([deploymap, "render", str(seeds), "-o", str(OUT / "seed.html")])[0] for _ in range(3)]
    print(f"--help {min(helps):.2f} s (target 0.3 s); seed map in a fresh process {min(renders):.2f} s "
          f"(target 2 s); best of {len(helps)} and {len(renders)} runs", flush=True)


def measure(browser, n: int, blocked: set[str]) -> dict[str, tuple[float, ...]]:
    """Medians, per tool, of RUNS alternating rounds at n records: CLI s, CPU s, peak MiB, HTML bytes, drawn s,
    pan ms, zoom ms."""
    records = write_records(OUT / f"records-{n}.csv", n)
    tools = [t for t in TOOLS if n <= LIMIT.get(t, n)]
    samples: dict[str, list[tuple[float, ...]]] = {t: [] for t in tools}
    for round_ in range(RUNS):
        for tool in tools:
            html = OUT / f"{tool}-{n}.html"
            seconds, cpu, mib = timed(command(tool, records, html))
            nan = float("nan")
            shown = (nan, nan, nan) if tool in NOT_DRAWN else in_browser(browser, html, tool, n, blocked)
            sample = (seconds, cpu, mib, html.stat().st_size, *shown)
            samples[tool].append(sample)
            print(f"  round {round_ + 1} {n:>9,} {tool:11} " + row(sample), flush=True)
    return {t: tuple(statistics.median(column) for column in zip(*s)) for t, s in samples.items()}


def row(m: tuple[float, ...]) -> str:
    """One tool's figures as table cells."""
    seconds, cpu, mib, size, drawn, pan, zoom = m
    shown = "       -      -      -" if drawn != drawn else f"{drawn:8.2f} {pan:6.0f} {zoom:6.0f}"
    return f"{seconds:7.2f} {cpu:6.2f} {mib:8.0f} {size / 1e6:8.2f} {shown}"


def ratio(a: float, b: float) -> str:
    """a/b as a table cell, or a dash when either side was not measured."""
    return "    -" if a != a or b != b or not b else f"{a / b:5.2f}"


def main() -> None:
    """Measure every size and print the table and the ratios."""
    from playwright.sync_api import sync_playwright

    if not Path(PEER_PYTHON).exists():
        raise SystemExit(f"no peer environment at {PEER_PYTHON}: run `make bench`, which makes it")
    OUT.mkdir(exist_ok=True)
    byte_compiled()
    start_up()
    table: dict[int, dict[str, tuple[float, ...]]] = {}
    blocked: set[str] = set()
    with sync_playwright() as p:
        browser = launch(p)
        seed_maps(browser, blocked)
        for n in SIZES:
            table[n] = measure(browser, n, blocked)
        browser.close()
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"\n{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {chromium};"
          f" medians of {RUNS} alternating runs")
    print(f"\n{'records':>9} {'tool':11} {'CLI s':>7} {'CPU s':>6} {'peak MiB':>8} {'HTML MB':>8} {'drawn s':>8} {'pan ms':>6} "
          f"{'zoom ms':>6}")
    for n, tools in table.items():
        for tool, m in tools.items():
            print(f"{n:>9,} {tool:11} " + row(m))
        for tool in TOOLS:
            if tool not in tools:
                print(f"{n:>9,} {tool:11} skipped: past {LIMIT[tool]:,} records it runs for minutes")
    print("\nratios deploymap / peer (below 1: deploymap is faster or smaller)")
    print(f"{'records':>9} {'peer':11} {'CLI':>5} {'CPU':>5} {'MiB':>5} {'HTML':>5} {'drawn':>5} {'pan':>5} {'zoom':>5}")
    for n, tools in table.items():
        ours = tools["deploymap"]
        for tool, theirs in tools.items():
            if tool != "deploymap":
                print(f"{n:>9,} {tool:11} " + " ".join(ratio(a, b) for a, b in zip(ours, theirs)))
    print("\nlonboard: not drawn offline (its widget fetches parquet_wasm_bg.wasm from a CDN at run time)")
    print("requests refused (no network; served from installed packages: Leaflet, leaflet.markercluster,"
          " leaflet.awesome-markers; jQuery by a stand-in):")
    print("  " + (", ".join(sorted(blocked)) or "none"))


if __name__ == "__main__":
    main()
