"""A desk's annotations in a map file: validated with their lines, drawn as text, listed in the GeoJSON."""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import RecordError
from geo.records import read_records
from output.document import render
from output.mapfile import load_mapfile

FIXTURES = Path(__file__).parent / "fixtures"
NOTES = """annotations:
  - {text: DMZ, at: [38.3, 127.2]}
  - text: <b>Seongju</b> {{7*7}}
    record: thaad-seongju
  - {text: Yellow Sea, at: [36, 124], leader: [36.5, 125.5]}
"""


def korea_mapfile(tmp_path: Path, extra: str) -> Path:
    (tmp_path / "korea.yaml").write_text((FIXTURES / "korea.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "k.map.yaml"
    path.write_text(f"title: K\nrecords: {{paths: [korea.yaml]}}\n{extra}", encoding="utf-8")
    return path


def test_annotations_are_drawn_and_listed_in_the_geojson(tmp_path):
    spec = load_mapfile(korea_mapfile(tmp_path, NOTES))
    rendered = render(read_records(spec.records), spec)
    notes = [f for f in rendered.geojson()["features"] if f["properties"]["layer"] == "Annotations"]
    assert [(f["properties"]["text"], f["geometry"]["type"]) for f in notes] == [
        ("DMZ", "Point"), ("<b>Seongju</b> {{7*7}}", "Point"), ("Yellow Sea", "Point"), ("Yellow Sea", "LineString")]
    assert notes[1]["geometry"]["coordinates"] == [128.2636, 35.9898]  # at the record it names
    assert notes[3]["geometry"]["coordinates"] == [[124.0, 36.0], [125.5, 36.5]]
    assert "<b>Seongju" not in rendered.html and "{{7*7}}" not in rendered.html  # data, escaped


def test_wrong_annotations_are_named_with_their_line_and_fix(tmp_path):
    path = korea_mapfile(tmp_path, """annotations:
  - {at: [38, 127]}
  - {text: Both, at: [38, 127], record: usfk}
  - {text: Far, at: [138, 27]}
  - {text: Leader, at: [38, 127], leader: north}
  - {text: Colour, at: [38, 127], colour: red}
  - just text
""")
    with pytest.raises(RecordError) as err:
        load_mapfile(path)
    assert [str(p) for p in err.value.problems] == [
        f"{path}:4: annotations[1].text: is missing or not text; give the words to show, e.g. text: DMZ",
        f"{path}:5: annotations[2]: needs one place; give either at: [lat, lon] or record: an id",
        f"{path}:6: annotations[3].at: [138, 27] is not [lat, lon]; write e.g. at: [24.5, 119.5]",
        f"{path}:7: annotations[4].leader: 'north' is not [lat, lon]; give the point the line points to, "
        "e.g. leader: [38.3, 127.2]",
        f"{path}:8: annotations[5].colour: is not an annotation key; use text, at or record, and leader",
        f"{path}:9: annotations[6]: is not a mapping; write - {{text: Taiwan Strait, at: [24.5, 119.5]}}"]


def test_an_annotation_at_a_record_the_map_lacks_is_an_error_with_its_line(tmp_path):
    spec = load_mapfile(korea_mapfile(tmp_path, "annotations:\n  - {text: Here, record: camp-nowhere}\n"))
    with pytest.raises(RecordError) as err:
        render(read_records(spec.records), spec)
    assert str(err.value) == (f"{tmp_path / 'k.map.yaml'}:4: annotations[1].record: 'camp-nowhere' is no record "
                              "on this map; give the id of a record the map draws, or at: [lat, lon]")


@pytest.mark.browser
def test_annotations_show_as_text_inside_the_frame_with_their_leader(tmp_path, open_page):
    spec = load_mapfile(korea_mapfile(tmp_path, NOTES))
    out = tmp_path / "k.html"
    out.write_text(render(read_records(spec.records), spec).html, encoding="utf-8")
    page = open_page(out, 390, 844)
    notes = ".dm-label-note, .dm-label-aside"  # labels placed with the others (layers/labels.py)
    texts = page.eval(f"[...document.querySelectorAll('{notes}')].map(n => n.textContent)")
    assert texts == ["DMZ", "<b>Seongju</b> {{7*7}}", "Yellow Sea"]
    seas = page.eval("[...document.querySelectorAll('.dm-label-sea')].map(n => n.textContent)")
    assert "Yellow Sea" not in seas and "Korea Strait" in seas  # the desk's note, not Natural Earth's label too
    assert page.eval(f"[...document.querySelectorAll('{notes}')].filter(n => n.children.length).length") == 0
    assert page.eval("document.querySelectorAll('path.dm-leader').length") == 1
    frame = page.eval("document.querySelector('.folium-map').getBoundingClientRect().toJSON()")
    shown = f"[...document.querySelectorAll('{notes}')].filter(n => n.style.display !== 'none')"
    assert page.eval(f"{shown}.length") == 3
    for box in page.eval(f"{shown}.map(n => n.getBoundingClientRect().toJSON())"):
        assert frame["left"] <= box["left"] and box["right"] <= frame["right"]
        assert frame["top"] <= box["top"] and box["bottom"] <= frame["bottom"]
    assert page.errors == [] and page.requests == []


@pytest.mark.browser
def test_a_long_note_wraps_onto_lines_no_wider_than_160_px_and_stands_whole_on_a_phone(tmp_path, open_page):
    """A desk's note longer than a short name wraps at 160 px, as map lettering does, so it stands whole in
    a phone's map (on one line it would be wider than the map's middle and be cut, or hidden); a short
    note stays on one line."""
    long = "Demilitarized Zone, the border between the two Koreas since the 1953 armistice"
    spec = load_mapfile(korea_mapfile(tmp_path, f"annotations:\n  - {{text: \"{long}\", at: [38.3, 127.2]}}\n"
                                                "  - {text: Yellow Sea, at: [36, 124]}\n"))
    out = tmp_path / "k.html"
    out.write_text(render(read_records(spec.records), spec).html, encoding="utf-8")
    page = open_page(out, 390, 844)
    frame = page.eval("document.querySelector('.folium-map').getBoundingClientRect().toJSON()")
    notes = page.eval("""[...document.querySelectorAll('.dm-label-note')].map(n => [n.textContent,
      getComputedStyle(n).display !== 'none' && getComputedStyle(n).visibility !== 'hidden',
      n.getBoundingClientRect().toJSON()])""")
    assert [text for text, _, _ in notes] == [long, "Yellow Sea"]
    for text, shown, box in notes:
        assert shown, text
        assert frame["left"] <= box["left"] and box["right"] <= frame["right"], (text, box)
        assert frame["top"] <= box["top"] and box["bottom"] <= frame["bottom"], (text, box)
    (_, _, wrapped), (_, _, short) = notes
    assert wrapped["width"] <= 160 + 8 and wrapped["height"] >= 3 * short["height"] - 4  # 160 px and padding
    assert short["height"] < 20
