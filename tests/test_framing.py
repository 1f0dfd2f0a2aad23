"""The first view frames the map's subject: which records, how the view is written, and what a
reader sees in Chromium (a Korea map whose command reports to Hawaii)."""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import RecordError
from geo.geodesic import centre_lon
from geo.records import read_records
from output.document import render
from output.framing import subject
from output.mapfile import load_mapfile
from tests.conftest import SEEDS

FIXTURES = Path(__file__).parent / "fixtures"
KOREA = ["camp-humphreys", "osan-ab", "kunsan-ab", "camp-casey", "thaad-seongju", "usfk", "us-troops-korea"]


def framed(frame, **options) -> list[str]:
    return sorted(subject(frame, centre_lon(frame["lon"]), **options)["id"])


def test_the_far_end_of_a_command_link_is_left_out_of_the_frame():
    korea = read_records([FIXTURES / "korea.yaml"])
    assert framed(korea) == sorted(KOREA)
    seeds = read_records([SEEDS / "records"])
    assert set(seeds["id"]) - set(framed(seeds)) == {"camp-hm-smith", "indopacom"}  # Hawaii; Vientiane and Manila stay


def test_a_far_group_stays_when_it_is_more_than_a_third_of_the_map_or_not_far(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,kind,name,lat,lon\ntokyo,event,Tokyo,35.7,139.7\nhonolulu,event,Honolulu,21.3,-157.9\n"
                    "osaka,event,Osaka,34.7,135.5\nnagoya,event,Nagoya,35.2,136.9\n", encoding="utf-8")
    frame = read_records([path])
    assert framed(frame) == ["nagoya", "osaka", "tokyo"]  # one far record of four
    two = frame.assign(lat=[35.7, 21.3, 34.7, 21.4], lon=[139.7, -157.9, 135.5, -157.95])
    assert framed(two) == ["honolulu", "nagoya", "osaka", "tokyo"]  # half the map is not far from the story
    assert framed(frame[frame["id"].isin(["tokyo", "honolulu"])]) == ["honolulu", "tokyo"]
    near = frame.assign(lat=[35.7, 33.0, 34.7, 35.2], lon=[139.7, 131.0, 135.5, 136.9])
    assert framed(near) == ["honolulu", "nagoya", "osaka", "tokyo"]  # Kyushu is not far from Honshu


def test_a_desk_can_fit_named_records_or_kinds():
    korea = read_records([FIXTURES / "korea.yaml"])
    assert framed(korea, fit=["Camp-Casey", "deployment"]) == ["camp-casey", "thaad-seongju", "us-troops-korea"]
    assert framed(korea, layers=["bases"]) == ["camp-casey", "camp-humphreys", "kunsan-ab", "osan-ab"]


def view_of(html: str) -> str:
    return html.split("deploymap.view = ", 1)[1].split(";\n", 1)[0]


def test_view_forms_in_a_map_file(tmp_path):
    records = tmp_path / "korea.yaml"
    records.write_text((FIXTURES / "korea.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "k.map.yaml"
    path.write_text("title: K\nrecords: {paths: [korea.yaml]}\nview: {center: [36.5, 127.8], zoom: 6.5}\n",
                    encoding="utf-8")
    spec = load_mapfile(path)
    assert (spec.center, spec.zoom) == ((36.5, 127.8), 6.5)
    assert view_of(render(read_records(spec.records), spec).html) == '{"center":[36.5,127.8],"zoom":6.5}'
    path.write_text("title: K\nrecords: {paths: [korea.yaml]}\nview:\n  fit: [usfk, nowhere]\n", encoding="utf-8")
    spec = load_mapfile(path)
    with pytest.raises(RecordError) as err:
        render(read_records(spec.records), spec)
    assert str(err.value) == (f"{path}:3: view.fit: 'nowhere' is no record id or kind on this map; name records "
                              "by id, or kinds (base, deployment, command, event)")


@pytest.mark.parametrize("view, expected", [
    ("{center: [36.5], zoom: 6}",
     "view.center: [36.5] is not [lat, lon]; write e.g. view: {center: [36.5, 127.8], zoom: 6}"),
    ("{center: [36.5, 127], zoom: 40}", "view.zoom: 40 is not a zoom level; give a number from 0 (the world) to 18"),
    ("{fit: [3]}", "view.fit: [3] is not a list of record ids or kinds; write e.g. view: {fit: [base, usfk-hq]}"),
    ("{centre: [36, 127]}", "view: centre is not a view; write view: fit, {fit: [ids or kinds]}, {center: "
                            "[lat, lon], zoom: 5} or {bounds: [west, south, east, north]} (east may pass 180)"),
    ("zoomed", "view: 'zoomed' is not a view; write view: fit"),
])
def test_a_wrong_view_is_named_with_its_line_and_fix(tmp_path, view, expected):
    path = tmp_path / "k.map.yaml"
    (tmp_path / "r.csv").write_text("id,kind,name,lat,lon\na,base,A,35,139\n", encoding="utf-8")
    path.write_text(f"title: K\nrecords: {{paths: [r.csv]}}\nview: {view}\n", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        load_mapfile(path)
    assert str(err.value).startswith(f"{path}:3: {expected}")


def test_the_page_fits_the_subject_ids_and_links_say_where_they_go():
    korea = read_records([FIXTURES / "korea.yaml"])
    html = render(korea, load_mapfile(FIXTURES / "korea.map.yaml")).html
    assert '"subject":["camp-humphreys","osan-ab","kunsan-ab","camp-casey","thaad-seongju","usfk",' in html
    assert '"edge":"to US Indo-Pacific Command, Hawaii"' in html


@pytest.fixture(scope="module")
def korea_map(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("korea") / "korea.html"
    out.write_text(render(read_records([FIXTURES / "korea.yaml"]), load_mapfile(FIXTURES / "korea.map.yaml")).html,
                   encoding="utf-8")
    return out


BOXES = """() => {
  const map = document.querySelector('.folium-map').getBoundingClientRect();
  const ids = %s;
  const marks = [...document.querySelectorAll('[data-record]')].filter(n => ids.includes(n.dataset.record))
    .map(n => n.getBoundingClientRect());
  const box = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
  const label = [...document.querySelectorAll('.dm-label')].find(t => t.textContent === 'THAAD battery');
  const edge = document.querySelector('.dm-edge-label'), arrow = document.querySelector('.dm-edge .dm-arrow');
  return {map: box(map), marks: marks.map(box), thaad: label && box(label.getBoundingClientRect()),
          edge: edge && box(edge.getBoundingClientRect()), edgeText: edge && edge.textContent,
          arrow: arrow && box(arrow.getBoundingClientRect())};
}"""


def inside(box: dict, frame: dict, slack: float = 0.5) -> bool:
    return (box["left"] >= frame["left"] - slack and box["top"] >= frame["top"] - slack
            and box["right"] <= frame["right"] + slack and box["bottom"] <= frame["bottom"] + slack)


@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(1200, 800), (390, 844)])
def test_a_korea_map_frames_korea_and_its_link_to_hawaii_ends_at_the_edge(korea_map, open_page, width, height):
    page = open_page(korea_map, width, height)
    seen = page.eval(BOXES % KOREA)
    frame, marks = seen["map"], seen["marks"]
    assert len(marks) == 7 and all(inside(m, frame) for m in marks)  # markers and the country's badge
    spread_x = max(m["right"] for m in marks) - min(m["left"] for m in marks)
    spread_y = max(m["bottom"] for m in marks) - min(m["top"] for m in marks)
    # the subject fills the frame in the direction that limits it
    assert max(spread_x / (frame["right"] - frame["left"]), spread_y / (frame["bottom"] - frame["top"])) > 0.55
    assert seen["thaad"] is not None and inside(seen["thaad"], frame)  # "THAAD battery" whole, not "attery"
    assert seen["edgeText"] == "to US Indo-Pacific Command, Hawaii"
    assert inside(seen["edge"], frame) and inside(seen["arrow"], frame)
    assert min(seen["arrow"]["left"] - frame["left"], frame["right"] - seen["arrow"]["right"],
               seen["arrow"]["top"] - frame["top"], frame["bottom"] - seen["arrow"]["bottom"]) < 12
    badge = page.page.locator(".dm-total")
    assert badge.text_content() == "South Korea About 28,500 US troops"
    # nothing sits over it (on a phone, the collapsed order of battle at the map's bottom left did)
    assert page.eval("() => { const b = document.querySelector('.dm-total').getBoundingClientRect();"
                     " return !!document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2)"
                     ".closest('.dm-total'); }")
    badge.click()
    assert page.page.locator(".leaflet-popup-content .dm-popup-title").text_content() == "US troops in South Korea"
    assert page.errors == [] and page.requests == []


def test_an_inset_is_refused_where_it_cannot_be_drawn(tmp_path):
    (tmp_path / "r.csv").write_text("id,kind,name,lat,lon\na,base,A,35,139\n", encoding="utf-8")
    path = tmp_path / "k.map.yaml"
    path.write_text("title: K\nrecords: {paths: [r.csv]}\ninset: yes please\nbasemap: OpenStreetMap.Mapnik\n"
                    "view: {center: [35, 139], zoom: 5}\n", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        load_mapfile(path)
    assert str(err.value) == (f"{path}:3: inset: 'yes please' is neither true, false nor bounds; write inset: true "
                              "(the region around the frame) or inset: [west, south, east, north]")
    path.write_text("title: K\nrecords: {paths: [r.csv]}\ninset: [100, 0, 160, 50]\nbasemap: OpenStreetMap.Mapnik\n"
                    "view: {center: [35, 139], zoom: 5}\n", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        load_mapfile(path)
    assert [str(p) for p in err.value.problems] == [
        f"{path}:3: inset: needs the natural-earth base map, which the inset is drawn from; drop basemap:, "
        "or set inset: false",
        f"{path}:3: inset: shows where a fitted frame sits; it does not go with view: {{center, zoom}}; use view: "
        "fit, {fit: [...]} or {bounds: [...]}, or drop inset:"]


@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(1200, 800), (390, 844)])
def test_a_locator_inset_shows_the_frame_in_its_region(tmp_path, open_page, width, height):
    (tmp_path / "korea.yaml").write_text((FIXTURES / "korea.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "k.map.yaml"
    path.write_text((FIXTURES / "korea.map.yaml").read_text(encoding="utf-8") + "inset: true\n", encoding="utf-8")
    spec = load_mapfile(path)
    out = tmp_path / "k.html"
    out.write_text(render(read_records(spec.records), spec).html, encoding="utf-8")
    page = open_page(out, width, height)
    seen = page.eval("""() => {
      const box = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
      const inset = document.querySelector('.dm-inset');
      const frame = document.querySelector('.dm-inset-frame');
      const main = deploymap.map.getBounds(), mini = deploymap.insetMap.getBounds();
      return {map: box(document.querySelector('.folium-map').getBoundingClientRect()),
              inset: box(inset.getBoundingClientRect()), frame: box(frame.getBoundingClientRect()),
              canvas: inset.querySelectorAll('canvas').length, hidden: inset.getAttribute('aria-hidden'),
              marks: [...document.querySelectorAll('[data-record]')].map(n => box(n.getBoundingClientRect())),
              holds: mini.contains(main),
              wider: mini.getEast() - mini.getWest() > 2 * (main.getEast() - main.getWest())};
    }""")
    assert inside(seen["inset"], seen["map"]) and seen["canvas"] == 1 and seen["hidden"] == "true"
    assert seen["inset"]["left"] - seen["map"]["left"] < 20 and seen["map"]["bottom"] - seen["inset"]["bottom"] < 20
    assert inside(seen["frame"], seen["inset"], slack=2) and seen["holds"] and seen["wider"]
    covered = [m for m in seen["marks"] if m["right"] > seen["inset"]["left"] and m["left"] < seen["inset"]["right"]
               and m["bottom"] > seen["inset"]["top"] and m["top"] < seen["inset"]["bottom"]]
    assert covered == []  # the fit keeps the subject clear of the inset
    assert page.errors == [] and page.requests == []
