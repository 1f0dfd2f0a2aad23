"""A record's status: current, planned (drawn hollow, its line dotted) or former (greyed), said in
words in its popup, its name, the records table and the key."""
from __future__ import annotations

import pytest

from geo.errors import RecordError
from geo.records import read_records
from output.document import render
from output.mapfile import load_mapfile

pytestmark = pytest.mark.browser

STORY = "indo-pacific-diplomacy.map.yaml"
CLOSED = """
- id: closed-airfield
  kind: base
  name: Closed airfield
  lat: 26.35
  lon: 127.77
  country: JP
  branch: US Air Force
  status: former
  summary: A base given back.
  source: A source
  tags: [japan, basing]
"""


def written(project, mapfile: str = STORY):
    """The project's map written to a file, its records as the project holds them."""
    spec = load_mapfile(project / mapfile)
    out = project / "status.html"
    out.write_text(render(read_records([project / p for p in spec.records]), spec).html, encoding="utf-8")
    return out


@pytest.fixture
def with_former(project):
    """The seed project with a former base on Okinawa."""
    commands = project / "records" / "commands.yaml"
    commands.write_text(commands.read_text(encoding="utf-8") + CLOSED, encoding="utf-8")
    return project


def test_a_planned_command_is_hollow_its_line_dotted_and_both_say_so(with_former, open_page):
    page = open_page(written(with_former))
    page.page.goto(page.page.url.split("#")[0] + "#step-5")  # 30 July: USFJ's planned reporting line
    page.page.wait_for_function("window.deploymap && deploymap.ready")
    usfj = page.page.locator("[data-record='usfj-jfhq']")
    assert "dm-planned" in usfj.get_attribute("class")
    glyph = page.eval("getComputedStyle(document.querySelector(\"[data-record='usfj-jfhq'] .dm-glyph\"))"
                      ".webkitTextFillColor")
    assert glyph == "rgba(0, 0, 0, 0)"  # hollow: only the outline is drawn
    link = page.page.locator("path.dm-line.dm-planned")
    assert link.count() == 1 and link.get_attribute("stroke-dasharray") == "1 6"
    name = page.page.get_by_role("button", name="US Forces Japan as a Joint Force Headquarters, "
                                                "headquarters, planned, Joint", exact=True)
    assert name.count() == 1
    name.focus()
    page.page.keyboard.press("Enter")
    popup = page.page.locator(".leaflet-popup")
    assert popup.locator("dt").first.inner_text() == "Status" and popup.locator("dd").first.inner_text() == "planned"
    key = page.eval("[...document.querySelectorAll('.dm-legend li')].map(li => li.textContent)")
    assert "Planned hollow or dashed" in key and "Former greyed" in key
    assert page.page.get_by_role("img", name="dashed outline").count() == 1
    page.records_table()
    table = page.eval("[...document.querySelectorAll('#dm-summary tr')].map(r => r.textContent)")
    assert any(row.startswith("US Forces Japan as a Joint") and "Status: planned" in row for row in table)
    assert not any(row.startswith("US Forces Japan,") and "Status" in row for row in table)  # today's USFJ
    assert any(row.startswith("Closed airfield") and "Status: former" in row for row in table)
    assert page.errors == []


def test_a_former_base_is_greyed_and_a_current_one_is_not(with_former, open_page):
    page = open_page(written(with_former, "japan-basing.map.yaml"))
    styles = page.eval("""() => ['closed-airfield', 'yokota-ab'].map(id => {
      var node = document.querySelector(`[data-record='${id}']`);
      return [node.classList.contains('dm-former'), getComputedStyle(node).filter]; })""")
    assert styles == [[True, "grayscale(1)"], [False, "none"]]
    assert page.page.get_by_role("button", name="Closed airfield, base, former", exact=True).count() == 1


def test_without_a_status_a_map_says_nothing_of_it(project, open_page):
    commands = project / "records" / "commands.yaml"
    commands.write_text(commands.read_text(encoding="utf-8").replace("  status: planned", ""), encoding="utf-8")
    page = open_page(written(project))
    assert page.eval("document.querySelectorAll('.dm-planned, .dm-former, .dm-key-planned').length") == 0
    page.records_table()
    assert "Status" not in page.eval("document.getElementById('dm-summary').textContent")


@pytest.mark.parametrize("value, read", [("present", "current"), ("Anticipated", "planned"), ("former", "former")])
def test_status_words_and_their_aliases_are_read(project, value, read):
    commands = project / "records" / "commands.yaml"
    commands.write_text(commands.read_text(encoding="utf-8").replace("status: planned", f"status: {value}"),
                        encoding="utf-8")
    frame = read_records([project / "records"])
    assert frame.set_index("id").loc["usfj-jfhq", "status"] == read


def test_an_unknown_status_is_named_with_its_line(project):
    commands = project / "records" / "commands.yaml"
    text = commands.read_text(encoding="utf-8")
    commands.write_text(text.replace("status: planned", "status: soon"), encoding="utf-8")
    line = text[:text.index("- id: usfj-jfhq")].count("\n") + 1  # a YAML record is named by its first line
    with pytest.raises(RecordError) as err:
        read_records([project / "records"])
    assert (f"commands.yaml:{line}: status: 'soon' is not a status; use one of current, planned, former"
            in str(err.value))


ROTATION = """
- id: rotation-2025
  kind: deployment
  name: Rotational squadron
  at: yokota-ab
  branch: US Air Force
  announced: 2024-07-28
  start: 2025-03
  summary: A rotation announced in July 2024 to begin in March 2025.
  source: A source
  tags: [basing]
"""


@pytest.mark.parametrize("as_of, drawn", [("2024-07-27", None), ("2024-12-31", "planned"), ("2025-03-01", "current")])
def test_a_change_is_drawn_planned_from_its_announcement_until_it_starts(project, open_page, as_of, drawn):
    deployments = project / "records" / "deployments.yaml"
    deployments.write_text(deployments.read_text(encoding="utf-8") + ROTATION, encoding="utf-8")
    mapfile = project / "japan-basing.map.yaml"
    text = mapfile.read_text(encoding="utf-8").replace("  tags: [basing, command]\n",
                                                       f"  tags: [basing, command]\n  as_of: {as_of}\n")
    mapfile.write_text(text.split("\ncompare:")[0] + "\n", encoding="utf-8")
    page = open_page(written(project, "japan-basing.map.yaml"))
    marker = page.page.locator("[data-record='rotation-2025']")
    if drawn is None:  # not yet announced: not on the map
        assert marker.count() == 0
        return
    assert ("dm-planned" in marker.get_attribute("class")) is (drawn == "planned")
    name = "Rotational squadron, assets" + (", planned" if drawn == "planned" else "")
    assert page.page.get_by_role("button", name=name, exact=True).count() == 1
    assert page.errors == []
