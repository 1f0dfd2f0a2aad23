"""Label placement and fan-out at build time (layers/labels.py, layers/points.py): deterministic,
no two labels or a label and a marker overlapping in pixel space, priorities respected."""
from __future__ import annotations

import itertools
import math
import random

import pytest
import shapely

from geo.geodesic import centre_lon
from geo.records import read_records
from layers import BUILDERS
from layers.labels import Mark, Placement, View, badge_box, frame_px, label_boxes, label_plan, place_zoom, text_size
from layers.lines import mercator
from layers.places import place_marks, places
from layers.points import fan_out
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seed_marks():
    frame = read_records([SEEDS / "records"])
    centre = centre_lon(frame["lon"])
    return [m for kind in ("commands", "bases", "deployments", "events")
            for m in BUILDERS[kind](frame, centre=centre).marks]


def boxes_at(marks: list[Mark], placement: dict, zoom: int) -> tuple[list, list]:
    """(label boxes, marker boxes) in world pixels at ``zoom``, markers where they were fanned to."""
    world = 256 * 2 ** zoom
    labels, markers, at = [], [], {}
    for i, m in enumerate(marks):
        x, y = (c * world for c in mercator(m.lat, m.lon))
        if str(i) in placement["fan"]:  # on its ring: the ring's centre, then the offset from it
            lat, lon, dx, dy = placement["fan"][str(i)]
            x, y = (c * world + d for c, d in zip(mercator(lat, lon), (dx, dy)))
        at[i] = x, y
        if not m.radius and not m.place:
            markers.append((i, (x + m.box[0], y + m.box[1], x + m.box[2], y + m.box[3])))
    for i, dx, dy, _ in placement["labels"]:
        m = marks[i]
        x, y = at[i]
        w, h = text_size(m.text, m.style)
        labels.append((i, (x + dx, y + dy, x + dx + w, y + dy + h)))
    return labels, markers


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("zoom", [3, 4, 5, 6, 8])
def test_no_label_covers_another_label_or_any_marker(seed_marks, zoom):
    placement = place_zoom(seed_marks, zoom)
    labels, markers = boxes_at(seed_marks, placement, zoom)
    assert labels, "something is labelled"
    for (i, a), (j, b) in itertools.combinations(labels, 2):
        assert not overlap(a, b), (seed_marks[i].text, seed_marks[j].text)
    for (i, a), (j, b) in itertools.product(labels, markers):
        assert i == j or not overlap(a, b), (seed_marks[i].text, seed_marks[j].key)
    for (i, a), (j, b) in itertools.combinations(markers, 2):
        assert not overlap(a, b), (seed_marks[i].key, seed_marks[j].key)  # fanned out: none hides another


def test_placement_is_deterministic_and_counts_what_found_no_room(seed_marks):
    bounds = (102.6, 14.6, 202.2, 35.7)
    plan = label_plan(seed_marks, bounds)
    assert plan == label_plan(list(seed_marks), bounds)
    low = plan["zooms"][str(plan["min"])]
    high = plan["zooms"][str(plan["max"])]
    labelled = sum(1 for m in seed_marks if m.text)
    assert len(low["labels"]) + low["hidden"] == labelled  # every label is placed or counted
    assert len(high["labels"]) == labelled and high["hidden"] == 0  # zoomed in, all fit


def test_priority_is_bases_commands_troops_by_size_meetings_assets_then_id(seed_marks):
    order = [m.key for m in sorted(seed_marks, key=lambda m: m.rank) if m.text]
    # Japan's two country figures are badges: marks without labels, that labels keep clear of
    assert [m.key for m in seed_marks if not m.text] == ["us-troops-japan:badge", "us-aircraft-japan:badge"]
    assert order[:4] == ["camp-hm-smith", "fleet-activities-yokosuka", "naf-atsugi", "yokota-ab"]
    # commands; the seed's only troop figure is Japan's total, a badge at the country's edge, not a label
    assert order[4:7] == ["indopacom", "usfj", "usfj-jfhq"] and "us-troops-japan" not in order
    assert order[7:11] == ["blinken-wang-vientiane", "trilateral-tokyo", "us-japan-2plus2-tokyo",
                           "us-philippines-2plus2-manila"]  # meetings, by id
    assert order[11:] == ["csg-yokosuka", "hsm-51-atsugi"]  # assets last (US aircraft in Japan is a country total)
    frame = read_records([SEEDS / "records"])
    eager = BUILDERS["events"](frame, centre=150.0, labels="all").marks
    assert all(m.rank < min(n.rank for n in seed_marks if n.text) for m in eager)  # labels: all goes first
    assert [m.text for m in BUILDERS["bases"](frame, centre=150.0, labels="none").marks] == [""] * 4


def test_higher_priority_labels_win_the_only_room():
    # three records on one spot at a zoom where one label fits: the troop circle's, then the base's
    troops = Mark("t", 35.0, 139.0, "54,000 troops", (1, 0, -20, "t"), radius=20, fixed=True)
    base = Mark("b", 35.0, 139.0, "Yokota Air Base", (1, 1, 0, "b"))
    asset = Mark("a", 35.0, 139.0, "Aircraft", (1, 4, 0, "a"))
    for order in ([troops, base, asset], [asset, base, troops]):
        placement = place_zoom(order, 5)
        placed = [order[i].key for i, *_ in placement["labels"]]
        assert placed[:1] == ["t"] or "t" in placed
        assert set(placed) | {order[i].key for i in range(3)} == {"t", "b", "a"}
        assert len(placed) + placement["hidden"] == 3


def test_a_label_that_stands_off_its_marker_has_a_leader_line():
    # a marker boxed in by eight unlabelled neighbours about 24 px away: no room right beside it
    step = 24 * 360 / (256 * 2 ** 9)
    marks = [Mark("middle", 35.0, 139.0, "Middle", (0, 1, 0, "middle"), more=3)]
    marks += [Mark(f"n{dx}{dy}", 35.0 + dy * step * 0.82, 139.0 + dx * step, "", (1, 1, 0, "n"))
              for dx, dy in itertools.product((-1, 0, 1), (-1, 0, 1)) if dx or dy]
    placement = place_zoom(marks, 9)
    assert placement["fan"] == {}
    [(index, dx, dy, leader)] = placement["labels"]
    assert index == 0 and leader is not None and abs(dx) > 24
    assert leader[:2] == [0, 0] and (leader[2], leader[3]) != (0, 0)
    labels, markers = boxes_at(marks, placement, 9)
    for (i, a), (j, b) in itertools.combinations(labels, 2):
        assert not overlap(a, b)


def test_markers_at_one_place_fan_out_on_a_fixed_ring_and_circles_stay():
    offsets = fan_out([(0, 0), (0, 0), (0, 0)], [(-10, -10, 10, 10), (-9, -9, 9, 9), (-9, -9, 9, 9)],
                      [True, False, False])
    assert offsets[0] is None  # the circle keeps its centre, now clear
    assert offsets == fan_out([(0, 0), (0, 0), (0, 0)], [(-10, -10, 10, 10), (-9, -9, 9, 9), (-9, -9, 9, 9)],
                              [True, False, False])
    (_, _, ax, ay), (_, _, bx, by) = offsets[1], offsets[2]
    assert ay < 0  # the first goes on top
    assert not overlap((ax - 9, ay - 9, ax + 9, ay + 9), (bx - 9, by - 9, bx + 9, by + 9))
    assert not overlap((ax - 9, ay - 9, ax + 9, ay + 9), (-10, -10, 10, 10))
    assert fan_out([(0, 0), (100, 0)], [(-9, -9, 9, 9)] * 2, [False, False]) == [None, None]


def test_many_markers_at_one_place_pack_along_a_spiral_none_hiding_another():
    boxes = [(-9, -9, 9 + 60 * (i % 2), 9) for i in range(12)]  # every other one with a date badge
    fans = fan_out([(0, 0)] * 12, boxes, [False] * 12)
    shown = [(f[2] + b[0], f[3] + b[1], f[2] + b[2], f[3] + b[3]) for f, b in zip(fans, boxes)]
    assert not any(overlap(a, b) for a, b in itertools.combinations(shown, 2))
    assert max(abs(c) for box in shown for c in box) < 120  # packed, not strung round a wide ring


@pytest.mark.parametrize("zoom", [3.25, 4])
def test_label_boxes_give_framing_each_placed_label_in_pixels_around_its_point(seed_marks, zoom):
    plan = label_plan(seed_marks, (102.6, 14.6, 202.2, 35.7))
    placement = plan["zooms"][f"{zoom:g}"]
    boxes = label_boxes(plan, zoom)
    assert len(boxes) == len(placement["labels"]) and placement["fan"]  # some labelled markers are fanned
    world = 256 * 2 ** zoom
    drawn = dict(boxes_at(seed_marks, placement, zoom)[0])
    for (i, *_), (lat, lon, left, top, right, bottom) in zip(placement["labels"], boxes):
        x, y = (c * world for c in mercator(lat, lon))
        assert (x + left, y + top, x + right, y + bottom) == pytest.approx(drawn[i], abs=0.2)
    assert label_boxes(plan, plan["max"] + 5) == label_boxes(plan, plan["max"])  # past the plan: its last


def test_text_size_errs_wide_and_grows_with_the_text():
    assert text_size("Yokota Air Base")[0] > text_size("Yokota")[0] > 40
    assert text_size("東京")[0] >= 2 * 12  # characters outside the table count a full em
    assert text_size("Seoul", "city")[1] < text_size("Seoul")[1]


def test_reference_places_come_from_natural_earth_with_names_in_other_languages():
    ja = places("ja")
    tokyo = next(n for n, (kind, name) in enumerate(zip(ja["kind"], ja["name"])) if kind == "city" and name == "Tokyo")
    assert ja["country"][tokyo] == "JP" and ja["local"][tokyo].startswith("東京")
    assert places("ko")["local"][tokyo] and places("fr")["local"][tokyo] and places("xx")["local"][tokyo] == ""
    assert set(ja["kind"]) == {"city", "country", "sea"}
    names = {m.text for m in place_marks((128.0, 29.0, 146.0, 41.0), 137.0)}
    assert {"Tokyo", "Seoul", "Japan", "South Korea", "Sea of Japan"} <= names
    assert "Paris" not in names and "Manila" not in names  # only what is around the map


def test_places_are_placed_after_records_and_never_over_a_record_or_its_label(seed_marks):
    bounds = (128.0, 29.0, 146.0, 41.0)
    marks = seed_marks + place_marks(bounds, 137.0)
    for zoom in (4, 6):
        placement = place_zoom(marks, zoom)
        alone = place_zoom(seed_marks, zoom)
        records = [lab for lab in placement["labels"] if not marks[lab[0]].place]
        assert records == alone["labels"] and placement["hidden"] == alone["hidden"]  # places take nothing
        labels, markers = boxes_at(marks, placement, zoom)
        named = {marks[i].text for i, _ in labels}
        assert zoom < 6 or {"Seoul", "South Korea"} <= named
        for (i, a), (j, b) in itertools.combinations(labels, 2):
            assert not overlap(a, b), (marks[i].text, marks[j].text)
        for (i, a), (j, b) in itertools.product(labels, markers):
            assert i == j or not overlap(a, b), (marks[i].text, marks[j].key)


def test_a_label_at_the_frames_edge_turns_inward_instead_of_being_cut():
    bounds = (126.0, 35.0, 129.2, 37.5)  # a Korea-sized frame; the battery sits at its east edge
    thaad = Mark("thaad", 35.9, 129.2, "THAAD battery, Seongju", (1, 4, 0, "thaad"))
    zoom = 7
    alone = place_zoom([thaad], zoom)
    framed = place_zoom([thaad], zoom, Placement(bounds))
    assert alone["labels"][0][1] > 0  # with no frame: to the right, the first choice
    [(_, dx, _, _)] = framed["labels"]
    x0, _, x1, _ = frame_px(bounds, zoom)
    x = mercator(35.9, 129.2)[0] * 256 * 2 ** zoom
    assert dx < 0 and x + dx >= x0 and x + dx + text_size(thaad.text)[0] <= x1


@pytest.fixture(scope="module")
def crowd():
    """1,600 records in a 3-degree square, as a big map's marker layers give them: troop circles,
    bases, and meetings with date badges, all labelled."""
    rng = random.Random(15)
    marks = []
    for n in range(1600):
        lat, lon, key = 35 + rng.uniform(-1.5, 1.5), 139 + rng.uniform(-1.5, 1.5), f"r{n:04d}"
        if n % 4 == 0:
            radius = rng.uniform(6, 20)
            marks.append(Mark(key, lat, lon, f"{n} troops", (1, 2, -radius, key), radius=radius, fixed=True))
        elif n % 4 == 1:
            marks.append(Mark(key, lat, lon, f"Base {n}", (1, 0, 0, key), more=4, eager=True))
        else:
            marks.append(Mark(key, lat, lon, f"Meeting {n}", (1, 3, 0, key), badge_box("27 Jul 2024")))
    return marks


def meeting(first: list, second: list) -> list:
    """Pairs (i, j) of ``first`` and ``second`` ((index, box) lists) whose boxes overlap, touching aside."""
    tree = shapely.STRtree([shapely.box(*box) for _, box in second])
    found = tree.query([shapely.box(*box) for _, box in first], predicate="intersects").T
    return [(first[a][0], second[b][0]) for a, b in found if overlap(first[a][1], second[b][1])]


@pytest.mark.parametrize("zoom", [5, 8, 11])
def test_a_crowded_map_places_labels_over_no_label_marker_or_circle(crowd, zoom):
    placement = place_zoom(crowd, zoom)
    assert placement == place_zoom(list(crowd), zoom)  # deterministic
    labels, markers = boxes_at(crowd, placement, zoom)
    assert len(labels) + placement["hidden"] == len(crowd)  # every label placed or counted
    if zoom == 5:
        assert placement["hidden"] > 1000  # a crowd: most labels wait for a closer zoom
    if zoom == 11:
        assert placement["hidden"] < 40
    assert all(i == j for i, j in meeting(labels, labels))
    assert all(i == j for i, j in meeting(labels, markers))
    world = 256 * 2 ** zoom
    # no label over a troop circle: it keeps off the drawn disc (a 16-gon, its sides r cos(pi/16) out)
    discs = [shapely.Point(*(c * world for c in mercator(m.lat, m.lon))).buffer(m.radius * math.cos(math.pi / 16) - .01)
             for m in crowd if m.radius]
    assert not shapely.STRtree(discs).query([shapely.box(*box) for _, box in labels], predicate="intersects").size
    if zoom == 11:  # spread out, every marker stands clear of the others
        assert all(i == j for i, j in meeting(markers, markers))


def test_a_record_off_the_map_takes_no_room():
    """A base's label goes left of a meeting that stands to its right; with the meeting off the map (the
    timeline's), the base's label takes its first spot, on the right, and the meeting has none."""
    step = 30 * 360 / (256 * 2 ** 7)  # the meeting 30 px right of the base at zoom 7
    base = Mark("base", 35.0, 139.0, "Yokota Air Base", (1, 0, 0, "base"), more=4, eager=True)
    talks = Mark("talks", 35.0, 139.0 + step, "Talks", (1, 3, 0, "talks"), badge_box("28 Jul"))
    both = place_zoom([base, talks], 7)
    assert both["labels"][0][0] == 0 and both["labels"][0][1] < 0  # the base's label: to the left
    alone = place_zoom([base, talks], 7, Placement(absent=frozenset({1})))
    assert [label[:3] for label in alone["labels"]] == [[0, 12, -9]] and alone["fan"] == {}


def test_a_desks_note_is_placed_first_clear_of_markers_and_dates():
    """A note at a point beside a meeting's date moves off it (a line down, or a third across), and the
    records' labels keep clear of the note."""
    talks = Mark("talks", 14.6, 121.0, "US-Philippines talks", (1, 3, 0, "talks"), badge_box("30 Jul"))
    note = Mark("annotation-1", 14.6, 120.9, "South China Sea", (1,), style="note", fixed=True)
    for zoom in (4, 5, 6):
        placement = place_zoom([talks, note], zoom)
        labels, markers = boxes_at([talks, note], placement, zoom)
        note_box = dict(labels)[1]  # the note is always placed
        assert not any(overlap(note_box, box) for _, box in markers)  # clear of the marker and its date
        assert not any(overlap(note_box, box) for i, box in labels if i != 1)


def test_a_highlighted_label_too_long_for_beside_its_marker_hangs_over_or_under_it_inside_the_steps_view():
    """A story step's highlighted meeting, right of the middle of the step's view, with a name wider than
    the room on either side of it: at the zoom a phone fits the step, the name hangs over or under the
    marker, slid along it, inside the least view any screen shows at that zoom (not out past it towards
    the rest of the map)."""
    talks = Mark("talks", 35.7, 141.2, "US-Japan-South Korea defence ministers", (1, 3, 0, "talks"),
                 badge_box("28 Jul"))
    step = (135.5, 33.2, 143.5, 38.2)  # 8 degrees across: the 388 px of a phone's map at zoom 6
    plan = label_plan([talks], (102.6, 14.6, 143.5, 38.2), [View(step, first=("talks",), step=1, zooms=(6.0,))])
    [(_, dx, dy, _)] = plan["views"][0]["zooms"]["6"]["labels"]
    x, y = (c * 256 * 2 ** 6 for c in mercator(talks.lat, talks.lon))
    w, h = text_size(talks.text)
    x0, y0, x1, y1 = frame_px(step, 6)
    assert x0 <= x + dx and x + dx + w <= x1 and y0 <= y + dy and y + dy + h <= y1  # whole in the view
    assert dx < talks.box[0] and dx + w > talks.box[2]  # over or under the marker, reaching past both sides
    assert dy + h <= talks.box[1] or dy >= talks.box[3]
