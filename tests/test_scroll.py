"""Scroll mode: the embed snippet's scroll variant pasted into a mock article served over HTTP; the
reader's scrolling past a step's text moves the map to that step, and the map takes steps only from
the page around it, in the snippet's shape."""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from output.cli import main
from output.embed import embed_snippet
from output.mapfile import load_mapfile
from tests.conftest import SEEDS, serving_folder

pytestmark = pytest.mark.browser

STORY = "indo-pacific-diplomacy"
PARAGRAPH = "<p>" + "Blinken and Austin spent a week in Asia's capitals talking about alliances. " * 5 + "</p>"
# a frame beside the map's (same page, same origin) that sends a well-formed step: not the host window
SIBLING = ("<iframe id='other' srcdoc=\"<script>parent.frames[0].postMessage("
           "{sentinel: 'deploymap', type: 'step', step: 4}, '*'); parent.siblingSent = true;</script>\"></iframe>")


def scroll_variant(snippet: str) -> str:
    """The content of the embed snippet's scroll variant, as a desk would paste it."""
    return re.search(r'<template data-variant="scroll">\n(.*)</template>', snippet, re.S).group(1)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    """The seed maps built by the CLI, an article around the diplomacy map's scroll variant, on 127.0.0.1."""
    root = tmp_path_factory.mktemp("scroll")
    shutil.copytree(SEEDS, root / "seeds")
    done = CliRunner().invoke(main, ["build", "--root", str(root / "seeds"), "--out", str(root / "maps")])
    assert done.exit_code == 0, done.output
    snippet = (root / "maps" / f"{STORY}.embed.html").read_text(encoding="utf-8")
    (root / "maps" / "article.html").write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
        "</head><body style='margin:0 auto;max-width:1100px;font:18px/1.5 serif'>"
        f"<h1>A week in Asia</h1>{PARAGRAPH * 2}{scroll_variant(snippet)}{PARAGRAPH * 4}</body></html>",
        encoding="utf-8")
    with serving_folder(root / "maps") as port:
        yield f"http://127.0.0.1:{port}/"


@pytest.fixture
def article(site, browser):
    """article(width, height) -> (page, frame): the article open with its map ready."""
    pages = []

    def _open(width: int, height: int):
        page = browser.new_page(viewport={"width": width, "height": height})
        pages.append(page)
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site) else r.abort())
        page.goto(f"{site}article.html")
        frame = page.frame_locator("iframe").first.locator("body").element_handle().owner_frame()
        frame.wait_for_function("window.deploymap && deploymap.ready")
        return page, frame

    yield _open
    for page in pages:
        page.close()


def scroll_past(page, step: int, direction: int = 1) -> None:
    """Turn the mouse wheel over the article's text until step's block crosses three quarters down the window."""
    block = page.locator(f"[data-deploymap-step='{step}']")
    x = 60 if page.viewport_size["width"] >= 900 else page.viewport_size["width"] // 2
    page.mouse.move(x, page.viewport_size["height"] - 20)  # over the steps, not the map
    line = page.viewport_size["height"] * 0.75
    for _ in range(200):
        box = block.bounding_box()
        if box["y"] < line < box["y"] + box["height"]:
            return
        page.mouse.wheel(0, 90 * direction)
        page.wait_for_function("() => true")  # the wheel's scroll is applied before the next reading
    raise AssertionError(f"step {step} never reached the line")


def map_state(frame) -> dict:
    return frame.evaluate("""() => ({step: deploymap.step, date: document.querySelector('.dm-tl-date').textContent,
      centre: [deploymap.map.getCenter().lat, deploymap.map.getCenter().lng],
      view: deploymap.map.getBounds().toBBoxString().split(',').map(Number),
      panel: getComputedStyle(document.getElementById('dm-story')).display})""")


@pytest.mark.parametrize("width, height", [(1200, 800), (390, 844)])
def test_scrolling_past_a_steps_text_moves_the_map_to_that_step(article, width, height):
    page, frame = article(width, height)
    first = map_state(frame)
    assert first["step"] == 1 and first["panel"] == "none"  # the article tells the words
    scroll_past(page, 2)
    frame.wait_for_function("deploymap.step === 2")
    second = map_state(frame)
    assert second["date"] == "28 July 2024"
    west, south, east, north = second["view"]
    # Tokyo's frame: Tokyo in view, and Japan's width, not the week's region (the view may stretch to
    # hold Japan's figure over its northern coast, and the highlighted meeting's label beside Tokyo)
    assert west < 139.69 < east and south < 35.68 < north and east - west < 24
    scroll_past(page, 4)
    frame.wait_for_function("deploymap.step === 4")
    assert map_state(frame)["date"] == "30 July 2024"
    scroll_past(page, 1, direction=-1)  # back up the article, back to the first step
    frame.wait_for_function("deploymap.step === 1")
    assert map_state(frame)["date"] == "27 July 2024"
    assert frame.evaluate("location.hash") == ""  # the host's scrolling writes no history in the frame
    # the map fills its frame: no scroll bar inside it
    assert frame.evaluate("document.documentElement.scrollHeight <= innerHeight + 1")


def test_the_map_takes_steps_only_from_its_host_in_the_snippets_shape(article):
    page, frame = article(1200, 800)
    frame.evaluate("""() => { window.seen = [];
      new MutationObserver(() => seen.push(deploymap.step))
        .observe(document.querySelector('.dm-story-count'), {childList: true, characterData: true, subtree: true}); }""")
    page.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", SIBLING)
    page.wait_for_function("window.siblingSent === true")
    page.evaluate("""() => { var map = document.querySelector('iframe').contentWindow;
      [{sentinel: 'deploymap', type: 'step', step: '2'}, {sentinel: 'deploymap', type: 'step', step: 99},
       {sentinel: 'deploymap', type: 'step', step: 2.5}, {sentinel: 'amp', type: 'step', step: 2},
       {type: 'step', step: 2}, 'step 2'].forEach(m => map.postMessage(m, '*'));
      map.postMessage({sentinel: 'deploymap', type: 'step', step: 3}, '*'); }""")
    frame.wait_for_function("deploymap.step === 3")
    assert frame.evaluate("seen") == [3]  # neither the sibling's step 4 nor any malformed message moved it


def test_the_snippet_writes_each_steps_words_as_text(project):
    path = project / f"{STORY}.map.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: Manila, 30 July", "title: \"Manila <img src=x onerror=alert(1)>\""), encoding="utf-8")
    spec = load_mapfile(path)
    variant = scroll_variant(embed_snippet(spec, "https://example.org/maps/story.html"))
    assert "<h3>Manila &lt;img src=x onerror=alert(1)&gt;</h3>" in variant
    assert variant.count("<section data-deploymap-step=") == 5 and "<img" not in variant
    assert 'src="https://example.org/maps/story.html?mode=scroll"' in variant
    assert "data-variant=\"scroll\"" not in embed_snippet(load_mapfile(project / "japan-basing.map.yaml"), "j.html")
