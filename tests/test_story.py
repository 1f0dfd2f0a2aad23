"""The story: steps that set the map's view, date, layers and highlights, in a panel with previous/next,
the arrow keys, a counter for screen readers and the step in the URL's hash."""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import RecordError
from geo.records import read_records
from output.document import render
from output.mapfile import load_mapfile
from tests.conftest import SEEDS

pytestmark = pytest.mark.browser

STORY = "indo-pacific-diplomacy.map.yaml"


@pytest.fixture(scope="module")
def story(tmp_path_factory) -> Path:
    """The seed diplomacy story, written once."""
    spec = load_mapfile(SEEDS / STORY)
    out = tmp_path_factory.mktemp("story") / "story.html"
    out.write_text(render(read_records([SEEDS / p for p in spec.records]), spec).html, encoding="utf-8")
    return out


def state(page) -> dict:
    return page.eval("""() => ({
      count: document.querySelector('.dm-story-count').textContent,
      title: document.querySelector('.dm-story-title').textContent,
      text: document.querySelector('.dm-story-text').textContent,
      hash: location.hash, date: deploymap.day,
      centre: [deploymap.map.getCenter().lat, deploymap.map.getCenter().lng], zoom: deploymap.map.getZoom(),
      ids: deploymap.records().map(r => r.id),
      highlighted: [...document.querySelectorAll('[data-highlight]')].map(e => e.getAttribute('data-record'))})""")


def test_the_story_opens_on_step_one_and_next_frames_tokyo(story, open_page):
    page = open_page(story)
    first = state(page)
    assert first["count"] == "Step 1 of 5" and first["title"] == "Vientiane, 27 July" and first["hash"] == "#step-1"
    assert "blinken-wang-vientiane" in first["ids"] and "us-philippines-2plus2-manila" not in first["ids"]
    assert page.eval("document.querySelector('.dm-story-count').getAttribute('aria-live')") == "polite"
    page.page.get_by_role("button", name="Next step").click()
    second = state(page)
    assert second["count"] == "Step 2 of 5" and second["title"] == "Tokyo, 28 July" and second["hash"] == "#step-2"
    assert "joint force headquarters" in second["text"]
    lat, lng = second["centre"]
    assert 34 < lat < 37.5 and 138 < lng < 141.5 and second["zoom"] > first["zoom"] - 1  # Tokyo's frame
    assert second["date"] == "2024-07-28" and second["highlighted"] == ["us-japan-2plus2-tokyo"]
    assert page.page.locator(".dm-tl-date").inner_text() == "28 July 2024"  # the step moved the slider
    assert page.errors == [] and page.requests == []


BESIDE = """() => { const box = s => { const r = document.querySelector(s).getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom]; }; return {map: box('.dm-map-wrap'), story: box('#dm-story')}; }"""


def test_the_steps_words_stand_beside_the_map_on_a_wide_screen_and_under_it_on_a_phone(story, open_page):
    wide = open_page(story, 1200, 800).eval(BESIDE)
    (left, top, right, bottom), words = wide["map"], wide["story"]
    assert words[0] >= right and words[1] < bottom and words[3] > top  # a column at the map's right
    assert right - left >= 800 and bottom - top >= 500  # the map keeps the page's height
    phone = open_page(story, 390, 844).eval(BESIDE)
    assert phone["story"][1] >= phone["map"][3]


WIDE_RULES = """() => [...document.styleSheets].flatMap(sheet => [...sheet.cssRules])
  .filter(rule => rule.media && rule.media.mediaText === '(min-width: 960px)')
  .flatMap(rule => [...rule.cssRules].map(r => r.selectorText))"""


def test_the_wide_pages_columns_hang_on_one_condition_set_once(story, open_page):
    """Which pages set the story's words beside the map (read on their own: not a still, a scroll embed
    or a frame) is decided once, by the class the runtime sets; no rule spells the condition out."""
    page = open_page(story, 1200, 800)
    selectors = page.eval(WIDE_RULES)
    assert selectors and all(s.startswith(".dm-columns ") for s in selectors), selectors
    assert not any(word in s for s in selectors for word in ("dm-still", "dm-scroll", "dm-framed"))
    assert page.eval("document.documentElement.classList.contains('dm-columns')")
    page.page.goto(story.resolve().as_uri() + "?still")
    page.page.wait_for_function("window.deploymap && deploymap.ready")
    still = page.eval(BESIDE)
    assert still["story"][1] >= still["map"][3]  # a still picture keeps the words under the map


STEP_LABELS = """() => { const frame = deploymap.map.getContainer().getBoundingClientRect();
  const box = e => { const r = e.getBoundingClientRect();
    return [r.left - frame.left, r.top - frame.top, r.right - frame.left, r.bottom - frame.top]; };
  const shown = e => getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden';
  const labels = [...document.querySelectorAll('.dm-label')].filter(shown);
  const highlighted = [...document.querySelectorAll('[data-highlight]')].map(e => e.getAttribute('data-record'));
  return {size: [frame.width, frame.height],
    highlighted: highlighted.map(id => [id, labels.filter(l => l.getAttribute('data-label') === id).map(box)]),
    notes: [...document.querySelectorAll('.dm-label-note, .dm-note')].map(n => [n.textContent, shown(n) ? box(n) : null]),
    labels: labels.filter(l => !l.classList.contains('dm-label-note')).map(l => [l.textContent, box(l)]),
    dates: [...document.querySelectorAll('.dm-badge')].map(b => [b.textContent, box(b)])}; }"""


def at_step(story, open_page, step: int, width: int, height: int) -> dict:
    """The labels a reader sees at a step of the seed story in a window of width x height."""
    page = open_page(story, width, height)
    page.page.goto(f"{story.resolve().as_uri()}#step-{step}")
    page.page.wait_for_function("window.deploymap && deploymap.ready")
    return page.eval(STEP_LABELS)


def whole(box: list, size: list) -> bool:
    return box[0] >= 0 and box[1] >= 0 and box[2] <= size[0] and box[3] <= size[1]


def overlap(a: list, b: list) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


SIZES = [(390, 844), (1200, 800)]


def test_every_steps_highlighted_labels_and_the_desks_note_stand_whole_in_view(story, open_page):
    """At every step, on a phone as on a wide screen, each highlighted record's label (step 3's "US-Japan-
    South Korea defence ministers" wider than most of a phone's map; step 5's from Japan to Hawaii) and the
    "South China Sea" note stand whole inside the map, over no other label."""
    for step in range(1, 6):
        for width, height in SIZES:
            seen = at_step(story, open_page, step, width, height)
            assert seen["highlighted"], step
            for record, boxes in seen["highlighted"]:
                assert len(boxes) == 1 and whole(boxes[0], seen["size"]), (step, width, record, boxes)
                others = [text for text, box in seen["labels"] if box != boxes[0] and overlap(box, boxes[0])]
                assert not others, (step, width, record, others)
            if step in (1, 4, 5):  # the views that hold the South China Sea
                [(text, box)] = seen["notes"]
                assert text == "South China Sea" and box and whole(box, seen["size"]), (step, width, box)


LEADERS = """() => (document.querySelector('.dm-leaders path').getAttribute('d').match(/M[^M]+/g) || [])
  .map(s => s.slice(1).split(/[ L]/).map(Number)).map(([x0, y0, x1, y1]) => Math.hypot(x1 - x0, y1 - y0))"""


def test_no_step_runs_a_long_leader_across_the_map_and_its_days_meeting_keeps_its_label(story, open_page):
    """A leader is a short tick from a marker to its label: at no step does one run further than 90 px
    (a quarter of a phone's map, where it reads as a route or a command link). At step 5 on a phone
    (Japan to Hawaii, the whole week in view) the Hawaii labels stand by Hawaii, and the Manila meeting
    held that day is named."""
    for step in range(1, 6):
        for width, height in SIZES:
            page = open_page(story, width, height)
            page.page.goto(f"{story.resolve().as_uri()}#step-{step}")
            page.page.wait_for_function("window.deploymap && deploymap.ready")
            assert max(page.eval(LEADERS)) <= 90, (step, width, sorted(page.eval(LEADERS))[-3:])
    seen = at_step(story, open_page, 5, 390, 844)
    assert [text for text, _ in seen["labels"] if text == 'US-Philippines "2+2"'], seen["labels"]


def test_the_desks_note_lies_over_no_label_and_no_meetings_date(story, open_page):
    """In steps 4 and 5 the Manila meeting's date stands right by the South China Sea: the note keeps
    clear of it, and of every label, at both sizes."""
    for step, width, height in [(4, 1200, 800), (5, 1200, 800), (4, 390, 844), (5, 390, 844)]:
        seen = at_step(story, open_page, step, width, height)
        [(_, note)] = seen["notes"]
        assert note, (step, width)
        assert "30 Jul" in [text for text, _ in seen["dates"]]
        for text, box in seen["labels"] + seen["dates"]:
            assert not overlap(note, box), (step, width, text)


def test_a_meeting_the_timeline_hides_takes_no_room(story, open_page):
    """On 27 July the Manila meeting (30 July) is off the map, and its spot is free: the city of Manila
    is named there; from 30 July the meeting stands there and the city's name gives way to it."""
    def manila(step: int) -> list:
        return [box for text, box in at_step(story, open_page, step, 1200, 800)["labels"] if text == "Manila"]
    assert len(manila(1)) == 1
    assert manila(4) == []


def test_a_link_to_step_three_opens_step_three(story, open_page):
    page = open_page(story)
    page.page.goto(story.resolve().as_uri() + "#step-3")
    page.page.wait_for_function("window.deploymap && deploymap.ready")
    got = state(page)
    assert got["count"] == "Step 3 of 5" and got["title"] == "Tokyo, 28 July, with South Korea"
    assert got["highlighted"] == ["trilateral-tokyo"]


def test_the_arrow_keys_step_through_the_story_and_stop_at_its_ends(story, open_page):
    page = open_page(story)
    page.page.get_by_role("button", name="Next step").focus()
    for _ in range(6):
        page.page.keyboard.press("ArrowRight")
    last = state(page)
    assert last["count"] == "Step 5 of 5" and last["title"] == "A new reporting line" and last["hash"] == "#step-5"
    assert sorted(last["highlighted"]) == ["indopacom", "usfj-jfhq"]
    assert page.page.get_by_role("button", name="Next step").is_disabled()
    page.page.get_by_role("button", name="Previous step").focus()
    page.page.keyboard.press("ArrowLeft")
    assert state(page)["title"] == "Manila, 30 July"
    assert "us-philippines-2plus2-manila" in state(page)["ids"]


def test_without_javascript_the_reader_gets_the_last_steps_map_and_every_steps_words(story, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 800})
    page = context.new_page()
    page.goto(story.resolve().as_uri())
    picture = page.get_by_role("img", name="A week of alliance diplomacy, July 2024: A new reporting line")
    assert picture.is_visible()
    box = picture.bounding_box()
    assert box["width"] > 1000 and box["height"] > 400  # the map's room, not a thumbnail
    named = picture.locator("text").all_text_contents()
    assert "US Indo-Pacific Command" in named and "Blinken meets Wang Yi" not in named  # the last step's frame
    assert picture.locator("circle").count() >= 4 and picture.locator("line").count() == 2  # USFJ's lines to INDOPACOM
    steps = page.locator("ol.dm-story-all > li")
    assert steps.locator("h2").all_inner_texts() == ["Vientiane, 27 July", "Tokyo, 28 July",
                                                     "Tokyo, 28 July, with South Korea", "Manila, 30 July",
                                                     "A new reporting line"]
    assert steps.nth(4).locator("p").inner_text().startswith("US Forces Japan, at Yokota, is to become")
    context.close()


def test_with_javascript_the_list_and_the_picture_give_way_to_the_map(story, open_page):
    page = open_page(story)
    assert page.eval("document.querySelectorAll('.dm-story-all, .dm-static').length") == 0
    assert page.page.locator(".dm-story-title").inner_text() == "Vientiane, 27 July"


def test_step_text_is_drawn_as_text_and_layers_switch(project, open_page):
    path = project / STORY
    path.write_text(path.read_text(encoding="utf-8") + """  - title: <b>bold</b> & {{ x }}
    text: <img src=x onerror="window.__xss = 1"> see https://example.org/a
    layers: {bases: false, Meetings: true}
""", encoding="utf-8")
    spec = load_mapfile(path)
    out = project / "story.html"
    out.write_text(render(read_records([project / p for p in spec.records]), spec).html, encoding="utf-8")
    page = open_page(out)
    page.page.goto(out.resolve().as_uri() + "#step-6")
    page.page.wait_for_function("window.deploymap && deploymap.ready")
    got = state(page)
    assert got["title"] == "<b>bold</b> & {{ x }}" and got["text"].startswith("<img src=x")
    assert page.eval("window.__xss") == 0
    html = out.read_text(encoding="utf-8")
    assert "<b>bold" not in html and 'aria-label="A week of alliance diplomacy, July 2024: &lt;b&gt;bold' in html
    assert page.eval("document.querySelector('.dm-story-text a').href") == "https://example.org/a"
    on_map = "title => deploymap.map.hasLayer(deploymap.layers.get(title).group)"
    assert page.eval(on_map, "Bases") is False and page.eval(on_map, "Meetings") is True
    assert page.eval("document.querySelector('.leaflet-control-layers input:not(:checked)') !== null")


def test_bad_steps_are_named_with_their_lines(project):
    path = project / STORY
    text = path.read_text(encoding="utf-8")
    path.write_text(text + """  - text: no title
    view: {fit: tokyo}
    date: 2024-13-01
    highlight: nobody
""", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        load_mapfile(path)
    message = str(err.value)
    line = len(text.splitlines()) + 1
    for key in ("steps[6].title: is missing", "steps[6].view", "steps[6].date", "steps[6].highlight"):
        assert f"{STORY}:{line}: {key}" in message, key
    path.write_text(text + "  - {title: Nowhere, view: {fit: [no-such-record]}, highlight: [ghost]}\n", encoding="utf-8")
    spec = load_mapfile(path)
    with pytest.raises(RecordError) as err:
        render(read_records([project / p for p in spec.records]), spec)
    assert "steps[6].view.fit: no-such-record names no record" in str(err.value)
    assert "steps[6].highlight: ghost is not a record" in str(err.value)
