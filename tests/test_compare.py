"""Before and after: a map's compare dates as two pressed/unpressed buttons over its timeline."""
from __future__ import annotations

import pytest

from geo.errors import RecordError
from geo.records import read_records
from output.document import render
from output.mapfile import load_mapfile

pytestmark = pytest.mark.browser

BASING = "japan-basing.map.yaml"


def test_the_basing_map_toggles_us_forces_japan_before_and_after_the_announcement(project, open_page):
    spec = load_mapfile(project / BASING)
    assert spec.compare == ("2024-07-27", "2024-07-28")
    out = project / "basing.html"
    out.write_text(render(read_records([project / p for p in spec.records]), spec).html, encoding="utf-8")
    page = open_page(out)
    before = page.page.get_by_role("button", name="Before (27 July 2024)")
    after = page.page.get_by_role("button", name="After (28 July 2024)")
    links = """() => { var n = 0;
      deploymap.layers.get("Command links").group.eachLayer(l => { if (l.getLatLngs) n++; }); return n; }"""
    ids = "() => deploymap.records().map(r => r.id)"
    planned = page.page.get_by_role("treeitem", name="US Forces Japan as a Joint Force Headquarters")
    before.press("Enter")
    assert before.get_attribute("aria-pressed") == "true" and after.get_attribute("aria-pressed") == "false"
    # today's reporting line, solid; the joint force headquarters not yet announced, on the map or in the tree
    assert "usfj" in page.eval(ids) and "usfj-jfhq" not in page.eval(ids) and page.eval(links) == 1
    assert page.page.locator("path.dm-line.dm-planned").count() == 0 and not planned.is_visible()
    assert page.page.locator(".dm-tl-date").inner_text() == "27 July 2024"
    after.click()
    assert before.get_attribute("aria-pressed") == "false" and after.get_attribute("aria-pressed") == "true"
    assert {"usfj", "usfj-jfhq"} <= set(page.eval(ids)) and page.eval(links) == 2 and planned.is_visible()
    # as planned: the joint force headquarters' line is dotted, its symbol's frame dashed
    assert page.page.locator("path.dm-line.dm-planned").get_attribute("stroke-dasharray") == "1 6"
    assert page.page.get_by_role("button", name="US Forces Japan as a Joint Force Headquarters, "
                                                "headquarters, planned, Joint", exact=True).count() == 1
    page.page.get_by_label("Date", exact=True).press("Home")  # the slider drives the same state
    assert before.get_attribute("aria-pressed") == "true" and "usfj-jfhq" not in page.eval(ids)
    assert page.errors == [] and page.requests == []


@pytest.mark.parametrize("value, what", [
    ("{before: 2024-07-28, after: 2024-07-28}", "is not wholly before"),
    ("{before: 2024-07-28}", "is not a mapping of before and after"),
    ("{before: 2024-07-40, after: 2024-08-01}", "is not a calendar date"),
])
def test_bad_compare_dates_are_named_with_their_line(project, value, what):
    path = project / BASING
    text = path.read_text(encoding="utf-8").split("\ncompare:")[0]
    path.write_text(f"{text}\ncompare: {value}\n", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        load_mapfile(path)
    line = len(text.splitlines()) + 1
    assert f"{BASING}:{line}: compare: " in str(err.value) and what in str(err.value)
