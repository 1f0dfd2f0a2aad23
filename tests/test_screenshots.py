"""The seed maps as a reader sees them, against reviewed reference images: a change to the look is a
reviewed change. Regenerate the references, after looking at the new pictures, with

    make screenshots          (DEPLOYMAP_UPDATE_SCREENSHOTS=1 python -m pytest tests/test_screenshots.py)

Text is drawn in DejaVu Sans (the font CI installs with fonts-dejavu-core) so machines agree; a pixel
counts as changed when a colour channel moves by more than CHANNEL, and a picture matches when at
most TOLERANCE of its pixels changed (anti-aliasing differs a little between Chromium builds).
"""
from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from output.cli import main
from tests.conftest import SEEDS

pytestmark = pytest.mark.browser
Image = pytest.importorskip("PIL.Image")

REFERENCES = Path(__file__).parent / "screenshots"
UPDATE = os.environ.get("DEPLOYMAP_UPDATE_SCREENSHOTS") == "1"
CHANNEL = 24
TOLERANCE = 0.003  # 0.3%: about 2,900 pixels at 1200x800, less than a moved label
SIZES = [(1200, 800), (390, 844)]
MAPS = ["indo-pacific-diplomacy", "japan-basing"]
FONT = '<style>*, *::before, *::after { font-family: "DejaVu Sans", sans-serif !important; }</style>'


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The seed maps built by the real command, each copied with its text set in DejaVu Sans."""
    out = tmp_path_factory.mktemp("seed-maps")
    result = CliRunner().invoke(main, ["build", "--root", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in MAPS:
        html = (out / f"{name}.html").read_text(encoding="utf-8")
        (out / f"{name}.dejavu.html").write_text(html.replace("<head>", f"<head>\n{FONT}", 1), encoding="utf-8")
    return out


def changed(actual: np.ndarray, expected: np.ndarray) -> float:
    """The fraction of pixels whose colour moved by more than CHANNEL in any channel."""
    if actual.shape != expected.shape:
        return 1.0
    return float((np.abs(actual.astype(int) - expected.astype(int)).max(axis=2) > CHANNEL).mean())


@pytest.mark.parametrize("name", MAPS)
@pytest.mark.parametrize("width, height", SIZES)
def test_the_seed_map_looks_as_reviewed(built, open_page, tmp_path, name, width, height):
    page = open_page(built / f"{name}.dejavu.html", width, height)
    page.page.evaluate("document.fonts.ready")
    png = page.page.screenshot(type="png", animations="disabled")
    actual = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    reference = REFERENCES / f"{name}-{width}x{height}.png"
    if UPDATE:
        Image.fromarray(actual).save(reference, optimize=True)
    assert reference.exists(), f"no reference {reference.name}: run make screenshots and review the pictures"
    fraction = changed(actual, np.asarray(Image.open(reference).convert("RGB")))
    if fraction > TOLERANCE:
        (tmp_path / reference.name).write_bytes(png)
    assert fraction <= TOLERANCE, (f"{fraction:.2%} of pixels differ from {reference.name}; the new picture is "
                                   f"{tmp_path / reference.name}")
    assert page.errors == [] and page.requests == []


def test_a_moved_label_is_a_change_and_anti_aliasing_is_not():
    reference = np.asarray(Image.open(REFERENCES / "indo-pacific-diplomacy-1200x800.png").convert("RGB"))
    moved = reference.copy()
    moved[300:316, 600:720] = 255  # a 120 x 16 label box drawn here instead of there
    moved[500:516, 300:420] = 255
    assert changed(moved, reference) > TOLERANCE
    blurred = np.clip(reference.astype(int) + np.random.default_rng(0).integers(-20, 21, reference.shape), 0, 255)
    assert changed(blurred, reference) == 0.0
