"""The page's timeline: a slider over the records' dates that shows each record while it holds, by
the same rule as the build's as_of (geo.dates.valid_on, mirrored in layers/runtime/timeline.js)."""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.dates import valid_on
from geo.errors import RecordError
from geo.records import read_records
from output.document import render
from output.mapfile import load_mapfile
from tests.conftest import SEEDS

pytestmark = pytest.mark.browser

STORY = "indo-pacific-diplomacy.map.yaml"
CASES = [  # start, end, day
    ("2024-07-27", None, "2024-07-26"), ("2024-07-27", None, "2024-07-27"), ("2024-07-27", None, "2024-07-28"),
    ("2024-07", None, "2024-07-01"), ("2024-07", None, "2024-06-30"), ("2024-07", "2024-07", "2024-07-31"),
    (None, "2024-07", "2024-08-01"), (None, "2024-02", "2024-02-29"), (None, "2023-02", "2023-02-28"),
    (None, "2023-02", "2023-03-01"), ("2023", None, "2023-01-01"), ("2023", "2023", "2023-12-31"),
    (None, "2023", "2024-01-01"), ("2024", None, "2023-12-31"), (None, None, "1999-01-01"),
    ("1957-07-01", "2024-12", "2024-12-31"), ("2024-07-28", "2024-07-28", "2024-07-29"),
]
ANNOUNCED = [  # start, end, day, announced: a change is on the map from its announcement
    ("2025-03", None, "2024-07-27", "2024-07-28"), ("2025-03", None, "2024-07-28", "2024-07-28"),
    (None, None, "2024-07-31", "2024-07"), (None, None, "2024-07-27", "2024-07-28"),
    ("2024-07-01", None, "2024-07-02", "2024-07-28"), ("2025", "2025", "2026-01-01", "2024-07"),
]


def write_map(project: Path, as_of: str | None = None, extra: str = "") -> Path:
    """The diplomacy map (without its steps) built from the project's records, optionally as of a date."""
    path = project / STORY
    text = (SEEDS / STORY).read_text(encoding="utf-8").split("\n# The week as a story")[0] + "\n"  # no steps
    if as_of:
        text = text.replace("as_of: 2024-07-31", f"as_of: {as_of}")
    path.write_text(text + extra, encoding="utf-8")
    spec = load_mapfile(path)
    frame = read_records([project / p for p in spec.records])
    out = project / f"{as_of or 'timeline'}.html"
    out.write_text(render(frame, spec).html, encoding="utf-8")
    return out


def shown(page) -> list[str]:
    """The ids of the records the page draws."""
    return sorted(r["id"] for r in page.eval("deploymap.records()"))


def features(page) -> list[tuple[str, str, float, float]]:
    """Each drawn record as (layer, id, lat, lng)."""
    return sorted((r["layer"], r["id"], round(r["lat"], 5), round(r["lng"], 5)) for r in page.eval("deploymap.records()"))


def test_python_and_javascript_decide_validity_alike_on_every_case(project, open_page):
    page = open_page(write_map(project))
    cases = [(*c, None) for c in CASES] + ANNOUNCED
    script = "cases => cases.map(c => deploymap.validOn(c[0], c[1], c[2], c[3]))"
    assert page.eval(script, [list(c) for c in cases]) == [valid_on(*c) for c in cases]
    for table in (CASES, ANNOUNCED):  # each table tests both outcomes
        assert [valid_on(*c) for c in table].count(True) not in (0, len(table))


def test_the_slider_at_each_date_draws_what_the_as_of_build_draws(project, open_page):
    page = open_page(write_map(project))
    for day in ("2024-07-27", "2024-07-28", "2024-07-29", "2024-07-30"):
        page.eval("day => deploymap.setDay(day)", day)
        built = open_page(write_map(project, day))
        assert features(page) == features(built), day
        assert built.eval("document.getElementById('dm-timeline').hidden") is False


def test_the_keyboard_moves_the_slider_from_vientiane_to_tokyo(project, open_page):
    page = open_page(write_map(project))
    slider = page.page.get_by_label("Date", exact=True)
    assert slider.get_attribute("type") == "range"
    slider.focus()
    page.page.keyboard.press("Home")
    ids = shown(page)
    assert "blinken-wang-vientiane" in ids and "us-philippines-2plus2-manila" not in ids
    assert "us-japan-2plus2-tokyo" not in ids
    assert page.page.locator(".dm-tl-date").inner_text() == "27 July 2024"
    assert page.eval("document.querySelector('.dm-tl-date').getAttribute('aria-live')") == "polite"
    counts = page.page.locator(".dm-tl-counts li[data-layer='Meetings']")
    assert counts.inner_text() == "Meetings: 1"
    page.page.keyboard.press("ArrowRight")
    assert "us-japan-2plus2-tokyo" in shown(page)
    assert counts.inner_text() == "Meetings: 3"
    assert page.page.locator(".dm-tl-date").inner_text() == "28 July 2024"


def test_the_route_grows_leg_by_leg_and_links_follow_their_ends(project, open_page):
    page = open_page(write_map(project))
    legs = """() => { var out = [];
      deploymap.layers.get("Blinken's route").group.eachLayer(l => { if (l.getLatLngs) out.push(l.getLatLngs().length); });
      return out; }"""
    links = """() => { var n = 0;
      deploymap.layers.get("Command links").group.eachLayer(l => { if (l.getLatLngs) n++; }); return n; }"""
    full = page.eval(legs)
    assert len(full) == 1
    page.eval("deploymap.setDay('2024-07-27')")
    assert page.eval(legs) == []  # one stop is no leg yet
    assert page.eval(links) == 1  # US Forces Japan's reporting line today; the planned one is announced on 28 July
    page.eval("deploymap.setDay('2024-07-28')")
    assert 0 < page.eval(legs)[0] < full[0]
    assert page.eval(links) == 2


def test_previous_next_and_play_step_through_the_events(project, open_page):
    page = open_page(write_map(project))
    date = page.page.locator(".dm-tl-date")
    page.page.get_by_role("button", name="Previous event").press("Enter")
    assert date.inner_text() == "28 July 2024"
    page.page.get_by_role("button", name="Next event").click()
    assert date.inner_text() == "30 July 2024"
    page.eval("""() => { deploymap.playDelay = 5; window.seen = []; window.pressed = [];
      var date = document.querySelector('.dm-tl-date'), play = date.parentNode.querySelector('[aria-pressed]');
      new MutationObserver(() => seen.push(date.textContent)).observe(date, {childList: true});
      new MutationObserver(() => pressed.push(play.getAttribute('aria-pressed')))
        .observe(play, {attributes: true, attributeFilter: ['aria-pressed']}); }""")
    play = page.page.get_by_role("button", name="Play")
    play.click()
    page.page.wait_for_function("document.querySelector('.dm-tl-button[aria-pressed]')"
                                ".getAttribute('aria-pressed') === 'false'")
    assert date.inner_text() == "30 July 2024"
    assert "us-philippines-2plus2-manila" in shown(page)
    # from the first event to the last, pressed while it played
    assert page.eval("seen") == ["27 July 2024", "28 July 2024", "30 July 2024"]
    assert page.eval("pressed") == ["true", "false"]
    assert page.errors == [] and page.requests == []


def test_timeline_false_leaves_the_page_without_a_slider(project, open_page):
    page = open_page(write_map(project, extra="timeline: false\n"))
    assert page.eval("document.getElementById('dm-timeline')") is None
    assert "us-philippines-2plus2-manila" in shown(page)


def test_a_map_without_dated_events_gets_no_slider_unless_asked(project):
    spec = load_mapfile(project / "japan-basing.map.yaml")
    frame = read_records([project / p for p in spec.records])
    spec.compare = None  # its before/after would ask for the slider
    assert spec.timeline is None and 'id="dm-timeline"' not in render(frame, spec).html
    spec.timeline = True
    assert 'id="dm-timeline"' in render(frame, spec).html


def test_a_bad_timeline_value_is_named_with_its_line(project):
    path = project / STORY
    path.write_text(path.read_text(encoding="utf-8") + "timeline: sometimes\n", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        load_mapfile(path)
    message = str(err.value)
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert f"{STORY}:{line}" in message and "timeline" in message and "true, false or auto" in message


@pytest.mark.parametrize("locale", ["ja", "es", "de", "ar"])
def test_the_slider_says_its_day_and_its_buttons_in_the_maps_language_as_the_build_would(project, open_page, locale):
    import datetime as dt

    from layers.locale import long_date
    from layers.messages import say

    page = open_page(write_map(project, extra=f"locale: {locale}\n"))
    slider = page.page.get_by_label(say("Date", locale), exact=True)
    slider.focus()
    for day in (27, 30):
        page.page.keyboard.press("Home" if day == 27 else "End")
        assert page.page.locator(".dm-tl-date").inner_text() == long_date(dt.date(2024, 7, day), locale)
        assert slider.get_attribute("aria-valuetext") == long_date(dt.date(2024, 7, day), locale)
    assert page.page.get_by_role("button", name=say("Play", locale), exact=True).count() == 1
    assert page.page.get_by_role("button", name=say("Next event", locale), exact=True).count() == 1
    assert page.errors == []
