"""Shared fixtures: the seed project copied to a temp folder, and one headless Chromium per session."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from output.preview import launch

RECORDS_TABLE = "#dm-summary table:not([aria-busy])"  # built by table.js from its <noscript> once the map is drawn

# derived data (the GeoNames index) goes to a fresh folder, so tests never depend on a user's cache
os.environ["DEPLOYMAP_CACHE"] = tempfile.mkdtemp(prefix="deploymap-cache-")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEPLOYMAP = str(Path(sys.executable).parent / "deploymap")


def wait_for(condition, seconds: float, what: str, log: Path | None = None) -> None:  # noqa: ANN001
    """Poll ``condition`` until it holds; after ``seconds`` fail, quoting the end of ``log``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (OSError, ValueError):
            pass  # a file replaced while being read; look again
        time.sleep(0.1)
    tail = ":\n" + log.read_text(errors="replace")[-3000:] if log else ""
    raise AssertionError(f"timed out after {seconds} s waiting for {what}{tail}")


def stop(proc: subprocess.Popen) -> None:
    """End a child process: asked to stop, then killed if it has not in ten seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A test server's handler that logs nothing, so the test output stays readable."""

    def log_message(self, *_args) -> None:
        pass


@contextlib.contextmanager
def serving(handler: type[http.server.BaseHTTPRequestHandler] | functools.partial) -> Iterator[int]:
    """An HTTP server on 127.0.0.1 answering with ``handler`` from a thread, for the block; yields its port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def serving_folder(folder: Path) -> contextlib.AbstractContextManager[int]:
    """The files of ``folder`` served on 127.0.0.1 (as a published map would be), for the block; yields the port."""
    return serving(functools.partial(QuietHandler, directory=str(folder)))


@pytest.fixture(scope="session")
def seed_maps(tmp_path_factory) -> Path:
    """The seed maps built once by the real command, for tests that only read them."""
    from click.testing import CliRunner

    from output.cli import main

    out = tmp_path_factory.mktemp("seed-maps")
    result = CliRunner().invoke(main, ["build", "--root", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of seeds/ that a test may edit."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path / "seeds"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


class OpenedPage:
    """A written map opened in Chromium with every non-file request blocked and counted."""

    def __init__(self, browser, path: Path, width: int = 1200, height: int = 800):
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.page.add_init_script("window.__xss = 0;")
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.deploymap && deploymap.ready", timeout=30000)

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def eval(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def records_table(self):
        """The records table for screen readers, once the runtime has built it (table.js, after ready)."""
        self.page.wait_for_selector(RECORDS_TABLE, state="attached")
        return self.page.locator(RECORDS_TABLE)


@pytest.fixture
def open_page(browser):
    """open_page(path) -> OpenedPage; pages are closed after the test."""
    opened: list[OpenedPage] = []

    def _open(path: Path, width: int = 1200, height: int = 800) -> OpenedPage:
        page = OpenedPage(browser, path, width, height)
        opened.append(page)
        return page

    yield _open
    for page in opened:
        page.page.close()
