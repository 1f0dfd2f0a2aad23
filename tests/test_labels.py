"""Label placement and fan-out at build time (layers/labels.py, layers/points.py): deterministic,
no two labels or a label and a marker overlapping in pixel space, priorities respected."""
from __future__ import annotations

import itertools

import pytest

from geo.geodesic import centre_lon
from geo.records import read_records
from layers import BUILDERS
from layers.labels import Mark, label_boxes, label_plan, place_zoom, text_size
from layers.lines import mercator
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
    labels, markers = [], []
    for i, m in enumerate(marks):
        x, y = (c * world for c in mercator(m.lat, m.lon))
        fx, fy = placement["fan"].get(str(i), (0, 0))
        if not m.radius and not m.place:
            markers.append((i, (x + fx + m.box[0], y + fy + m.box[1], x + fx + m.box[2], y + fy + m.box[3])))
    for i, dx, dy, _ in placement["labels"]:
        m = marks[i]
        x, y = (c * world for c in mercator(m.lat, m.lon))
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
    assert offsets[0] == (0, 0)  # the circle keeps its centre, now clear
    assert offsets == fan_out([(0, 0), (0, 0), (0, 0)], [(-10, -10, 10, 10), (-9, -9, 9, 9), (-9, -9, 9, 9)],
                              [True, False, False])
    a, b = offsets[1], offsets[2]
    assert not overlap((a[0] - 9, a[1] - 9, a[0] + 9, a[1] + 9), (b[0] - 9, b[1] - 9, b[0] + 9, b[1] + 9))
    assert not overlap((a[0] - 9, a[1] - 9, a[0] + 9, a[1] + 9), (-10, -10, 10, 10))
    assert fan_out([(0, 0), (100, 0)], [(-9, -9, 9, 9)] * 2, [False, False]) == [(0, 0), (0, 0)]


def test_label_boxes_give_framing_each_placed_label_in_pixels_around_its_point(seed_marks):
    plan = label_plan(seed_marks, (102.6, 14.6, 202.2, 35.7))
    boxes = label_boxes(plan, plan["max"])
    assert len(boxes) == len(plan["zooms"][str(plan["max"])]["labels"])
    lat, lon, left, top, right, bottom = boxes[0]
    assert right - left == text_size(plan["marks"][plan["zooms"][str(plan["max"])]["labels"][0][0]][3])[0]
    assert label_boxes(plan, 99) == boxes  # past the plan's zooms: its nearest


def test_text_size_errs_wide_and_grows_with_the_text():
    assert text_size("Yokota Air Base")[0] > text_size("Yokota")[0] > 40
    assert text_size("東京")[0] >= 2 * 12  # characters outside the table count a full em
    assert text_size("Seoul", "city")[1] < text_size("Seoul")[1]
