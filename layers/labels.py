"""Label placement at build time: for each zoom a map can show, where each label goes (beside its
marker, or further out with a leader line), which markers fan out around a shared point, and how
many labels found no room. The page only switches between these placements (layers/runtime/labels.js).
Beside the map's own placement, a plan holds one for each view the page is known to show with some
records off the map or other labels first (``View``: a state of the timeline, a story step), written as
its differences from the map's own.

Pixels are Web Mercator's at zoom z (the world 256 * 2**z wide); the browser uses the placement of
the nearest step at or below its zoom, so points only ever stand further apart than they were placed.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np
import shapely
from folium.template import Template

from geo.collector import paused
from geo.geodesic import normalise
from layers.boxgrid import BoxGrid
from layers.datalayer import PagePart, parsed, raw_text, safe_json
from layers.lines import mercator
from layers.points import fan_out

LABEL_OPTIONS = ("auto", "all", "none")
# Advance widths in em of DejaVu Sans semibold (what system-ui is on Debian, and wider than the
# system fonts of macOS, Windows or Android), rounded up to 0.05 em: estimates err on the wide side.
_EM = {0.35: " 'ijl", 0.4: ",./:;IJ\\|", 0.45: "-f", 0.5: "!()[]_`rt", 0.55: '"*', 0.6: "?csz", 0.65: "Lx",
       0.7: "0123456789$EFTaekovy", 0.75: "CPSYZbdghnpqu{}", 0.8: "ABKRVX", 0.85: "#+<=>DGHNOQU^~", 0.9: "&",
       0.95: "w", 1.0: "@M", 1.05: "%m", 1.15: "W"}
EM = {c: w for w, chars in _EM.items() for c in chars}
WIDE = 1.0  # any other character (accented, CJK, Arabic...): a full em
# Font size in px and whether a label sits beside its point (record, city, a desk's note at a record:
# aside) or on it (country, sea, a desk's note at a point).
STYLES = {"record": 12, "city": 11, "country": 11, "sea": 11, "note": 12, "aside": 12}
CENTRED = ("country", "sea", "note")
NOTES = ("note", "aside")  # a desk's annotations (layers/annotations.py): placed before any label
NOTE_WIDTH = 160  # px: a desk's note wraps onto more lines past this width (output/page.css .dm-label-note)
PAD = (4, 1)  # the label's CSS padding, x and y (output/page.css .dm-label)
GAP = 3  # px between a marker's edge and its label
LEADER_STEP = 22  # px further out for each ring of candidates that needs a leader line
RINGS = {"base": 4, "command": 2, "event": 2, "deployment": 2}  # rings with a leader: bases reach furthest
KIND_ORDER = {"base": 0, "command": 1, "troops": 2, "event": 3, "deployment": 4}  # bases say where
ZOOM_SPAN = (-2, 4)  # placements from this far below the fitted zoom to this far above
SCREENS = ((320, 240), (1600, 1000))  # the smallest and largest map a page is likely shown in
FRAME_PAD = 12  # px the page pads the fitted bounds with, at the least (a phone's: runtime/view.js)
ASPECTS = (0.5, 2.0)  # width / height of the maps a page is shown in, from a phone's to a desktop's


@dataclass(frozen=True)
class Mark:
    """Something drawn at a point that labels must not cover, perhaps with a label of its own."""

    key: str  # the record's id, or "place:N"
    lat: float
    lon: float  # normalised around the map's centre, as drawn
    text: str = ""  # "" draws no label
    rank: tuple[Any, ...] = ()  # placement order: lower first
    box: tuple[float, float, float, float] = (-9, -9, 9, 9)  # the marker's pixels around its point
    radius: float = 0.0  # a circle's radius in px (its box is then the centre that must stay clear)
    style: str = "record"
    min_zoom: float = 0.0  # shown from this zoom on (reference places by their rank)
    fixed: bool = False  # never fanned out (circles, places)
    more: int = 1  # rings of candidates with a leader line beyond the first ring
    eager: bool = False  # placed before other records, trying all its rings (commands, bases, labels: all)
    hang: bool = False  # its label may also hang off-centre above or below its marker (HANGS)

    @property
    def place(self) -> bool:
        """Whether this is a reference place or a desk's note rather than a record: never fanned out,
        nothing a label must keep clear of but its label."""
        return self.style != "record"

    @property
    def note(self) -> bool:
        """Whether this is a desk's annotation, placed before every other label."""
        return self.style in NOTES


def text_size(text: str, style: str = "record") -> tuple[int, int]:
    """The pixel width and height of a label's box, estimated on the wide side; a desk's note wraps."""
    px = STYLES[style]
    width, lines = _wrapped(text, px) if style in NOTES else (_width(text, px), 1)
    return math.ceil(width + 2 * PAD[0] + 2), lines * (px + 4) + 2 * PAD[1]


def _width(text: str, px: int) -> float:
    """The estimated width of ``text`` on one line at ``px``."""
    return sum(EM.get(c, WIDE) for c in text) * px


def _wrapped(text: str, px: int) -> tuple[float, int]:
    """The width and the number of lines of ``text`` wrapped at NOTE_WIDTH, word by word as the browser
    does: the browser's narrower glyphs fit as many words on each line or more, so never more lines;
    a wrapped box is the full NOTE_WIDTH (or its longest word) wide, as the browser draws it."""
    line, lines, widest = "", 1, 0.0
    for word in text.split():
        longer = f"{line} {word}" if line else word
        if line and _width(longer, px) > NOTE_WIDTH:
            lines, line = lines + 1, word
        else:
            line = longer
        widest = max(widest, _width(line, px))
    return (max(widest, NOTE_WIDTH) if lines > 1 else widest), lines


def badge_box(badge: str | None) -> tuple[float, float, float, float]:
    """An event marker's pixels around its point: the glyph, and the date badge to its right."""
    return (-9, -9, 9 + (3 + text_size(badge, "city")[0] if isinstance(badge, str) and badge else 0), 9)


def marker_box(code: object) -> tuple[float, float, float, float]:
    """The pixel box of a record's marker around its point: the 18-px glyph, or its APP-6 symbol's."""
    if not isinstance(code, str):
        return (-9, -9, 9, 9)
    from layers.symbols import marker_box as symbol_box  # late: only maps with APP-6 symbols need milsymbol

    return symbol_box(code)


def record_marks(records: Any, kind: str, texts: Iterable[str | None], labels: str, centre: float,
                 boxes: Iterable[tuple[float, float, float, float]] | None = None,
                 radii: Iterable[float] | None = None) -> list[Mark]:
    """Marks for a layer's records: the record's own ``label`` field wins over the layer's text;
    ``labels`` is the layer option (auto: what fits, all: first and further out, none: no labels)."""
    def field(name: str) -> list[Any]:  # a column as a list (by column: no row object per record)
        return records[name].tolist() if name in records else [None] * len(records)

    ids, lats, lons, own = field("id"), field("lat"), field("lon"), field("label")
    boxes = list(boxes) if boxes is not None else [marker_box(code) for code in field("symbol")]
    radii = list(radii) if radii is not None else [0.0] * len(ids)
    marks = []
    for ident, lat, lon, text, mine, box, radius in zip(ids, lats, lons, texts, own, boxes, radii):
        chosen = mine.strip() if isinstance(mine, str) and mine.strip() else (text or "")
        order = "troops" if radius else kind
        marks.append(Mark(str(ident), round(float(lat), 5), round(normalise(float(lon), centre), 5),
                          "" if labels == "none" else chosen,
                          (0 if labels == "all" else 1, KIND_ORDER[order], -radius, str(ident).casefold()),
                          box, radius, fixed=bool(radius), more=RINGS[kind] + (2 if labels == "all" else 0),
                          eager=kind in ("command", "base") or labels == "all"))
    return marks


CENTRED_SPOTS = ((0, 0), (0, -1), (0, 1), (-1, 0), (1, 0))  # a third across, or a line up or down
# A hanging label's further spots above and below its marker, slid along it: how much of the label's
# overhang lies left of the marker (a long label in a narrow view stands over the marker off-centre)
HANGS = (0.25, 0.75, 0.0, 1.0)


def candidate_table(marks: list[Mark]) -> tuple[np.ndarray, np.ndarray]:
    """Every label's candidate spots, best first, mark after mark: rows (dx, dy, ring, w, h, hung) of
    the label box's top-left corner around its point, its ring (0 touches the marker, rings past it
    need a leader line), the box's size and whether it hangs off-centre; and each mark's first row
    (``start[i]:start[i + 1]`` are mark i's, none for a mark without text). Around a marker's box, g px
    out for each ring: right, left, above, below (all a reference place has), then the four diagonals,
    d = 0.7071 g off each corner (the same distance; a desk's note beside a record has a record's
    spots), then for a hanging label above and below again, slid along the marker (HANGS); a country,
    sea or note at a point on its point, or nudged (CENTRED_SPOTS; a note's further rings nudge it twice
    as far, and more, with no leader: it names the place under it). Worked out for all marks at once,
    with the same sums in the same order as one mark at a time would."""
    shown = [m for m in marks if m.text]
    size = np.array([text_size(m.text, m.style) for m in shown], dtype=float).reshape(-1, 2)
    box = np.array([(-m.radius, -m.radius, m.radius, m.radius) if m.radius else m.box for m in shown],
                   dtype=float).reshape(-1, 4)
    centred = np.array([m.style in CENTRED for m in shown], dtype=bool)
    place = np.array([m.place and m.style != "aside" for m in shown], dtype=bool)  # an aside: a record's spots
    note = np.array([m.note for m in shown], dtype=bool)
    hang = np.array([m.hang for m in shown], dtype=bool)
    per = np.where(centred, len(CENTRED_SPOTS), np.where(place, 4, 8 + 2 * len(HANGS) * hang))  # spots a ring
    more = 1 + np.array([m.more for m in shown], dtype=int)
    count = np.where((centred | place) & ~note, 1, more) * per  # rings
    first = np.concatenate([[0], np.cumsum(count)])
    owner = np.repeat(np.arange(len(shown)), count)
    at = np.arange(len(owner)) - first[:-1][owner]
    ring, slot = at // per[owner], at % per[owner]
    (w, h), (x0, y0, x1, y1) = size.take(owner, axis=0).T, box.take(owner, axis=0).T
    g = GAP + ring * LEADER_STEP
    d = 0.7071 * g
    mid, side = (x0 + x1 - w) / 2, -h / 2
    slid = [x0 - f * (w - (x1 - x0)) for f in HANGS for _ in "ab"]
    dx = np.choose(slot, [x1 + g, x0 - g - w, mid, mid, x1 + d, x1 + d, x0 - d - w, x0 - d - w, *slid])
    dy = np.choose(slot, [side, side, y0 - g - h, y1 + g, y0 - d - h, y1 + d, y0 - d - h, y1 + d,
                          *[y0 - g - h, y1 + g] * len(HANGS)])
    on = centred[owner]
    sx, sy = np.array(CENTRED_SPOTS).take(slot[on], axis=0).T
    nudge = 1 + ring[on]
    dx[on], dy[on] = -w[on] / 2 + sx * nudge * w[on] / 3, side[on] + sy * nudge * h[on]
    start = np.zeros(len(marks) + 1, dtype=int)
    start[1:] = np.cumsum([bool(m.text) for m in marks])
    ring[on] = 0  # a note nudged further names the place under it: no leader
    hung = (slot >= 8) & ~on
    return np.stack([dx, dy, ring, w, h, hung], axis=1).reshape(-1, 6), first[start]


def _px(value: float) -> float:
    """Pixels to a tenth, as the page's data: a whole number without its ".0"."""
    value = round(float(value), 1)
    return int(value) if value.is_integer() else value


def _leader(box: tuple[float, float, float, float]) -> list[float]:
    """A line from the point (0, 0) to the nearest point of ``box``, both relative to the point."""
    x0, y0, x1, y1 = (float(c) for c in box)
    return [0, 0, _px(min(max(0.0, x0), x1)), _px(min(max(0.0, y0), y1))]


class Spots:
    """Every label's candidate spots around its point, best first (see ``candidate_table``), for all marks
    at once as flat arrays: they are the same at every zoom, so a plan works them out once. Mark i's
    are rows ``start[i]:start[i + 1]`` (none for a mark without text)."""

    def __init__(self, marks: list[Mark]) -> None:
        self.unit = np.array([mercator(m.lat, m.lon) for m in marks], dtype=float).reshape(-1, 2)  # the world 1 wide
        self.box = np.array([m.box for m in marks], dtype=float).reshape(-1, 4)
        self.radius = np.array([m.radius for m in marks], dtype=float)
        self.min_zoom = np.array([m.min_zoom for m in marks], dtype=float)
        self.place = np.array([m.place for m in marks], dtype=bool)
        self.fixed = np.array([m.fixed for m in marks], dtype=bool)
        self.at_point = np.array([m.style == "note" for m in marks], dtype=bool)
        table, start = candidate_table(marks)
        self.start = start.tolist()
        self.dx, self.dy, self.w, self.h = table[:, 0], table[:, 1], table[:, 3], table[:, 4]
        self.ring = table[:, 2].astype(int)
        self.hung = table[:, 5].astype(bool)
        # how far each spot's box reaches from its point, across and up or down
        self.reach = (np.maximum(-self.dx, self.dx + self.w) + np.maximum(-self.dy, self.dy + self.h))
        # the passes read a few spots of each mark, one at a time: as Python values
        self.columns = tuple(column.tolist() for column in (self.dx, self.dy, self.ring, self.w, self.h))
        self.owner = np.repeat(np.arange(len(marks)), np.diff(self.start))
        # who tries in which pass of place_zoom (see tiers), in priority order: a desk's notes first
        self.order = sorted((k for k, m in enumerate(marks) if m.text),
                            key=lambda k: (not marks[k].note, marks[k].place, marks[k].rank, k))
        self.kind = ["note" if m.note else "place" if m.place else "first" if m.eager else "record" for m in marks]
        self.more = [m.more for m in marks]
        self.keys = [m.key for m in marks]
        self._tiers: dict[frozenset[int], dict[str, list[int]]] = {}

    def tiers(self, first: frozenset[int] = frozenset()) -> dict[str, list[int]]:
        """The passes' marks in priority order: the notes, then the records ``first`` (a story step's
        highlighted records), then commands, bases and labels: all, each trying every ring it has;
        the other records ring by ring; the places last. "lead": the notes and ``first`` again, for
        the pass that labels those still without one past the frame (never dropped: the page's fit
        makes room for them). Made once for each ``first``: they are the same at every zoom."""
        if first not in self._tiers:
            self._tiers[first] = self._tiered(first)
        return self._tiers[first]

    def _tiered(self, first: frozenset[int]) -> dict[str, list[int]]:
        """tiers(first), worked out."""
        tiers: dict[str, list[int]] = {"note": [], "lead": [], "first": [], "record": [], "place": []}
        for k in self.order:
            tiers["lead" if k in first and self.kind[k] != "note" else self.kind[k]].append(k)
        return {"first": tiers["note"] + tiers["lead"] + tiers["first"], "lead": tiers["note"] + tiers["lead"],
                "record": tiers["record"], "place": tiers["place"]}


SLACK = 1e-3  # px: far over the rounding of a drawn disc's corners, far under anything a reader sees


class Obstacles(NamedTuple):
    """What labels may not cover at a zoom (see ``_obstacles``)."""

    outer: np.ndarray  # n x 4: a box around each (a marker's box; a disc's square, SLACK wider)
    inner: np.ndarray  # n x 4: a box inside each (a marker's box; a square inside the disc)
    centre: np.ndarray  # n x 2: each one's point
    radius: np.ndarray  # n: a disc's radius, 0 for a marker's box


def _obstacles(spots: Spots, xy: np.ndarray, records: np.ndarray) -> Obstacles:
    """What labels may not cover, at each record's drawn point ``xy``, in the order of ``records``:
    its marker's box, or a circle's disc."""
    xy, box, radius = xy.take(records, axis=0), spots.box.take(records, axis=0), spots.radius[records]
    disc = radius > 0
    # a disc is drawn as a 16-gon: a square of half-side 0.7 r (under r cos 45 deg) is inside it
    box[disc] = (0.7 * radius[disc])[:, None] * (-1, -1, 1, 1)
    inner = np.concatenate([xy, xy], axis=1) + box
    outer = inner.copy()
    outer[disc] = np.concatenate([xy[disc], xy[disc]], axis=1) + (radius[disc] + SLACK)[:, None] * (-1, -1, 1, 1)
    return Obstacles(outer, inner, xy, radius)


class _Cover:
    """Which label boxes meet an obstacle (``_obstacles``) other than their own: a grid settles most
    boxes at once (layers/boxgrid.py); the tree the rest: a box obstacle meets a box when their
    envelopes do, and a disc by its distance from the box, or, within SLACK of the drawn 16-gon's
    edge, by GEOS. Made once for a zoom and asked in batches (each box's answer is its own)."""

    def __init__(self, obstacles: Obstacles) -> None:
        self.obstacles = obstacles
        self.grid = BoxGrid(obstacles.outer, obstacles.inner) if len(obstacles.outer) else None
        self._tree: shapely.STRtree | None = None

    def covered(self, boxes: np.ndarray, own: np.ndarray) -> np.ndarray:
        """Which of ``boxes`` (n x 4) meet an obstacle other than their own (index ``own``, or -1)."""
        outer, _, centre, radius = self.obstacles
        if self.grid is None or not len(boxes):
            return np.zeros(len(boxes), dtype=bool)
        hit, near = self.grid.meets_and_near(boxes, own)
        unsure = np.flatnonzero(~hit & near)
        if not len(unsure):
            return hit
        if self._tree is None:
            self._tree = shapely.STRtree(shapely.box(*outer.T))
        tried = shapely.box(*boxes.take(unsure, axis=0).T)
        box, other = self._tree.query(tried)
        keep = other != own[unsure][box]
        box, other = box[keep], other[keep]
        met = radius[other] == 0
        # The 16-gon's corners lie on the circle (to within rounding), so it holds every point nearer
        # its centre than r cos(pi / 16), and none further than r.
        pairs = np.flatnonzero(~met)
        b, c, r = boxes.take(unsure[box[pairs]], axis=0), centre.take(other[pairs], axis=0), radius[other[pairs]]
        dx = np.maximum(np.maximum(b[:, 0] - c[:, 0], c[:, 0] - b[:, 2]), 0)
        dy = np.maximum(np.maximum(b[:, 1] - c[:, 1], c[:, 1] - b[:, 3]), 0)
        near_sq = dx * dx + dy * dy
        inside = near_sq < np.square(np.maximum(r * math.cos(math.pi / 16) - SLACK, 0))
        met[pairs[inside]] = True
        edge = pairs[~inside & (near_sq <= np.square(r + SLACK))]
        if len(edge):
            discs, which = np.unique(other[edge], return_inverse=True)
            drawn = shapely.buffer(shapely.points(centre.take(discs, axis=0)), radius[discs], quad_segs=4)
            met[edge] = shapely.intersects(tried[box[edge]], drawn[which])
        hit[unsure[box[met]]] = True
        return hit


class _Placed:
    """The label boxes placed so far, filed by the cells of a coarse grid they touch, to test a box
    against only the few placed near it (a big map places a thousand at a zoom)."""

    CELL = 64  # px: a label or two across

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _cells(self, x0: float, y0: float, x1: float, y1: float) -> tuple[range, range]:
        """The columns and rows of the cells a box touches: two boxes that overlap share a cell
        (floor never decreases)."""
        return (range(math.floor(x0 / self.CELL), math.floor(x1 / self.CELL) + 1),
                range(math.floor(y0 / self.CELL), math.floor(y1 / self.CELL) + 1))

    def hits(self, box: tuple[float, float, float, float]) -> bool:
        """Whether ``box`` meets a placed box (asked some twenty thousand times a plan: plain loops, the
        cells worked out in line as ``_cells`` does)."""
        x0, y0, x1, y1 = box
        cells, size = self.cells, self.CELL
        for cx in range(math.floor(x0 / size), math.floor(x1 / size) + 1):
            for cy in range(math.floor(y0 / size), math.floor(y1 / size) + 1):
                for a0, b0, a1, b1 in cells.get((cx, cy), ()):
                    if a0 < x1 and x0 < a1 and b0 < y1 and y0 < b1:
                        return True
        return False

    def add(self, box: tuple[float, float, float, float]) -> None:
        columns, rows = self._cells(*box)
        for cx in columns:
            for cy in rows:
                self.cells.setdefault((cx, cy), []).append(box)


def _degrees(x: float, y: float, world: float) -> list[float]:
    """World pixels at a zoom back to [lat, lon] (Web Mercator), rounded as the page's data."""
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / world))))
    return [round(lat, 6), round(x / world * 360 - 180, 6)]


def frame_px(bounds: tuple[float, float, float, float], zoom: float) -> tuple[float, float, float, float]:
    """The map's frame at ``zoom`` in world pixels: ``bounds`` (west, south, east, north) and the least
    padding the page fits them with (output/document.py's fit), so a label inside is never clipped.
    Bounds wider than any screen's shape fill the view's width only: above and below, the view
    shows more, so the frame is open there (and likewise at the sides for tall bounds). At a zoom
    below the fit, bounds smaller than the smallest map still have that map round them: the frame is
    at least its size (a label beside the frame's westmost meeting is not refused for a phone's
    view that shows far more)."""
    world = 256 * 2 ** zoom
    west, south, east, north = bounds
    (x0, y0), (x1, y1) = mercator(north, west), mercator(south, east)
    x0, y0, x1, y1 = x0 * world - FRAME_PAD, y0 * world - FRAME_PAD, x1 * world + FRAME_PAD, y1 * world + FRAME_PAD
    aspect = (x1 - x0) / max(y1 - y0, 1e-9)
    wide, high = max(0.0, SCREENS[0][0] - (x1 - x0)) / 2, max(0.0, SCREENS[0][1] - (y1 - y0)) / 2
    x0, y0, x1, y1 = x0 - wide, y0 - high, x1 + wide, y1 + high
    if aspect > ASPECTS[1]:
        return x0, -math.inf, x1, math.inf
    if aspect < ASPECTS[0]:
        return -math.inf, y0, math.inf, y1
    return x0, y0, x1, y1


class Placement(NamedTuple):
    """A view's options for ``place_zoom``. ``bounds``: a label whose point is in the frame of these
    stays inside it. ``absent``: marks off the map (the timeline's, a layer a story step hides), taking
    no room. ``first``: records labelled before all but the notes (see Spots.tiers), a story step's
    highlighted ones. ``step``: a story step's own bounds; then every record's label stays inside the
    frame, its point in it or not (a view round the frame may show a marker beyond it at its edge, and
    its label must not reach out of view), and the records ``first`` inside the step's own frame: the
    least any screen fitting the step at that zoom shows."""

    bounds: tuple[float, float, float, float] | None = None
    absent: frozenset[int] = frozenset()
    first: frozenset[int] = frozenset()
    step: tuple[float, float, float, float] | None = None


def _outside(boxes: np.ndarray, frame: tuple[float, float, float, float]) -> np.ndarray:
    """Which of ``boxes`` (n x 4, world pixels) reach out of ``frame``."""
    return (boxes[:, 0] < frame[0]) | (boxes[:, 1] < frame[1]) | (boxes[:, 2] > frame[2]) | (boxes[:, 3] > frame[3])


def _past(boxes: np.ndarray, frame: tuple[float, float, float, float]) -> np.ndarray:
    """How far each of ``boxes`` reaches out of ``frame``, its four sides' overhangs summed."""
    return (np.maximum(frame[0] - boxes[:, 0], 0) + np.maximum(boxes[:, 2] - frame[2], 0)
            + np.maximum(frame[1] - boxes[:, 1], 0) + np.maximum(boxes[:, 3] - frame[3], 0))


def place_zoom(marks: list[Mark], zoom: float, view: Placement = Placement(),
               spots: Spots | None = None) -> dict[str, Any]:
    """The placement at one zoom for ``view``: fanned markers {index: [lat, lon, dx, dy]} (the ring's
    centre and the marker's pixel offset from it, so a ring keeps its shape at fractional zooms),
    labels [[index, dx, dy, leader]] (the box's corner and the leader [x0, y0, x1, y1] or None, in
    pixels from the marker where it is drawn), and how many record labels found no room.
    ``spots``: ``Spots(marks)``, made once."""
    spots = spots or Spots(marks)
    world = 256 * 2 ** zoom
    frame = frame_px(view.bounds, zoom) if view.bounds else None
    # the least a screen fitting a story step shows at this zoom: its highlighted labels keep inside
    least = frame_px(view.step, zoom) if view.step else frame
    first = view.first
    points = spots.unit * world
    off = np.zeros(len(marks), dtype=bool)
    off[list(view.absent)] = True
    shown = np.flatnonzero((spots.min_zoom <= zoom) & ~off)
    visible = set(shown.tolist())
    records = shown[~spots.place[shown]]
    fanned = fan_out(points.take(records, axis=0), spots.box.take(records, axis=0), spots.fixed[records])
    fans = {i: f for i, f in zip(records.tolist(), fanned) if f}
    at = np.full((len(marks), 2), np.nan)  # where each shown mark is drawn
    at[shown] = points[shown]
    for i, f in fans.items():
        at[i] = f[0] + f[2], f[1] + f[3]
    # every candidate of every shown label at once: its box, and whether it is (when its mark's true
    # point is in the frame: a marker fanned out past the frame still labels inside) inside the
    # frame and clear of the markers and circles; the frame first, as it rules out a third of the
    # candidates for far less than the obstacle test costs
    x, y = at[:, 0].take(spots.owner), at[:, 1].take(spots.owner)
    boxes = np.stack([x + spots.dx, y + spots.dy, x + spots.dx + spots.w, y + spots.dy + spots.h], axis=1)
    drawable = ~np.isnan(x)
    tried = drawable
    if frame:
        px, py = points[:, 0].take(spots.owner), points[:, 1].take(spots.owner)
        framed = (frame[0] <= px) & (px <= frame[2]) & (frame[1] <= py) & (py <= frame[3])
        outside = _outside(boxes, frame)
        if view.step and least:
            highlighted = np.zeros(len(marks), dtype=bool)
            highlighted[list(first)] = True
            outside = np.where(highlighted[spots.owner], _outside(boxes, least), outside)
        # a desk's note at a point (a sea, a strait) is placed by its place alone: the page's fit makes
        # room for it when its point is in view (a note beside a record keeps to the frame as records do)
        contain = bool(view.step) & ~spots.place[spots.owner]
        tried = drawable & (~(outside & (framed | contain)) | spots.at_point[spots.owner])
    slot = np.full(len(marks), -1)
    slot[records] = np.arange(len(records))
    cover = _Cover(_obstacles(spots, at, records))
    usable = np.zeros(len(boxes), dtype=bool)
    drawn = at.tolist()
    grid = _Placed()
    labels: dict[int, list[Any]] = {}
    # Commands, bases and labels: all first, each with every ring it has; then the others ring by ring
    # (each tries the spots beside its marker before any takes one further out with a leader line);
    # within a pass, in priority order. Places come after all records.
    order = {tier: [k for k in marks_in if k in visible] for tier, marks_in in spots.tiers(first).items()}
    rings = 1 + max((spots.more[k] for k in order["record"]), default=0)
    passes = [("first", None), ("lead", None)] + [("record", ring) for ring in range(rings)] + [("place", 0)]
    # Spots are tested against the obstacles only when a pass may look at them: before the first
    # pass all but the records' outer rings, and those only for the records still without a label
    # after their first ring (at a zoom with room, most records label beside their marker).
    record = np.zeros(len(marks), dtype=bool)
    record[order["record"]] = True
    outer = record[spots.owner] & (spots.ring > 0)
    lead = np.zeros(len(marks), dtype=bool)
    lead[order["lead"]] = True
    # A record first (a story step's highlighted one) takes its nearest spot to the step's own frame,
    # beside or round its marker before one hanging off-centre (a narrow view holds a long label under
    # its marker, not beside it far out), then the closest; a note keeps to its place's spots in their
    # order: the fit makes room for it.
    nearest: dict[int, list[int]] = {}
    if first:
        past = _past(boxes, least) if least else np.zeros(len(boxes))
        for i in first:
            own = np.arange(spots.start[i], spots.start[i + 1])
            nearest[i] = own[np.lexsort((spots.reach[own], spots.hung[own], past[own]))].tolist()
    batches = {passes[0]: (~outer, tried), passes[1]: (lead[spots.owner], drawable), ("record", 1): (outer, tried)}
    dxs, dys, rings_of, ws, hs = spots.columns
    for tier, ring in passes:
        if (tier, ring) in batches:
            labelled = np.zeros(len(marks), dtype=bool)
            labelled[list(labels)] = True
            rows_in, allowed = batches[tier, ring]
            test = np.flatnonzero(rows_in & allowed & ~labelled[spots.owner])
            usable[test] = ~cover.covered(boxes.take(test, axis=0), slot[spots.owner[test]])
            # each mark's usable candidates, best first: rows[cut[i]:cut[i + 1]] of spots.columns
            rows = np.flatnonzero(usable)
            cut = np.searchsorted(rows, spots.start).tolist()
            rows = rows.tolist()
        for i in order[tier]:
            if i in labels or cut[i] == cut[i + 1]:
                continue
            x, y = drawn[i]
            if tier == "place" and grid.hits((x - 2, y - 2, x + 2, y + 2)):
                continue  # the place's own point is under a record's label: name nothing there
            mine = rows[cut[i]:cut[i + 1]]
            if i in nearest:
                usable_k = set(mine)
                mine = [k for k in nearest[i] if k in usable_k]
            for k in mine:
                dx, dy, ring_k, w, h = dxs[k], dys[k], rings_of[k], ws[k], hs[k]
                if ring is not None and ring_k != ring:
                    continue
                x0, y0 = x + dx, y + dy  # the same sums, in the same order, as ``boxes``
                spot = (x0, y0, x0 + w, y0 + h)
                if not grid.hits(spot):
                    grid.add(spot)
                    leader = _leader((x0 - x, y0 - y, spot[2] - x, spot[3] - y)) if ring_k else None
                    labels[i] = [i, _px(dx), _px(dy), leader]
                    break
    hidden = sum(1 for tier in ("first", "record") for i in order[tier] if i not in labels and not marks[i].place)
    centres = {(f[0], f[1]): None for f in fans.values()}  # a ring's markers share its centre
    where = {c: _degrees(*c, world) for c in centres}
    return {"fan": {str(i): [*where[f[0], f[1]], f[2], f[3]] for i, f in sorted(fans.items())},
            "labels": [labels[i] for i in sorted(labels)], "hidden": hidden}


def fitted_zoom(bounds: tuple[float, float, float, float], width: int, height: int) -> float:
    """The zoom at which ``bounds`` (west, south, east, north) fill a map of width x height px."""
    west, south, east, north = bounds
    x0, y1 = mercator(south, west)
    x1, y0 = mercator(north, east)
    span = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    return math.log2(min(width / (256 * span[0]), height / (256 * span[1])))


def zoom_range(bounds: tuple[float, float, float, float]) -> tuple[int, int]:
    """The integer zooms to place labels for: from below the fit on a phone to above it on a desktop."""
    low = math.floor(fitted_zoom(bounds, *SCREENS[0])) + ZOOM_SPAN[0]
    high = math.ceil(fitted_zoom(bounds, *SCREENS[1])) + ZOOM_SPAN[1]
    return max(low, 0), min(max(high, 0), 18)


def zoom_steps(bounds: tuple[float, float, float, float]) -> list[float]:
    """The zooms to place labels for: every integer of ``zoom_range``, and every quarter between the
    fits on a phone and on a desktop, since the page fits its view to a quarter zoom (a placement
    made for floor(zoom) would be tighter than the view needs)."""
    low, high = zoom_range(bounds)
    fits = math.floor(fitted_zoom(bounds, *SCREENS[0])), math.ceil(fitted_zoom(bounds, *SCREENS[1]))
    quarters = {q / 4 for q in range(4 * max(fits[0], low), 4 * min(fits[1], high) + 1)}
    return sorted(set(range(low, high + 1)) | quarters)


def step_at(plan: dict[str, Any], zoom: float) -> dict[str, Any]:
    """The plan's placement for a view at ``zoom``: the nearest step at or below it (or the lowest)."""
    steps = [z for z in plan["steps"] if z <= zoom + 1e-6] or plan["steps"][:1]
    return plan["zooms"][f"{steps[-1]:g}"]


# In a story step's view, a label's leader reaches at most this many rings out: a longer line across
# a phone's map reads as part of the story (a route, a command link), and leads the eye away
STEP_RINGS = 2
FIT_MOST = 9  # the greatest zoom the page's fit takes (runtime/view.js fitRounds)
FIT_LEAST = 1  # how far below a view's own fit the page's fit zooms out at most (runtime/view.js fitRounds)


class View(NamedTuple):
    """A view the page is known to show other than the map's own: its bounds (the map's, or a story
    step's own), the marks off the map (by key: the timeline's records not yet or no longer holding, a
    hidden layer's), and the records labelled first (a story step's highlighted ones). ``step``: the
    story step it is (1 on), placed at ``zooms`` (those its fit may take, ``view_steps``) with every
    label inside its bounds and the map's, its highlighted ones inside its own (label_plan); None: a
    state of the timeline, at every zoom of the map's plan."""

    bounds: tuple[float, float, float, float]
    absent: frozenset[str] = frozenset()
    first: tuple[str, ...] = ()
    step: int | None = None
    zooms: tuple[float, ...] = ()


def view_steps(bounds: tuple[float, float, float, float]) -> list[float]:
    """The quarter zooms a fit of ``bounds`` may take: from FIT_LEAST below its fit on the smallest map
    (as far as the page's fit zooms out to make room for labels) to its fit on the largest, capped as
    the page's fit is."""
    low = max(math.floor(4 * fitted_zoom(bounds, *SCREENS[0])) / 4 - FIT_LEAST, 0)
    high = min(math.ceil(4 * fitted_zoom(bounds, *SCREENS[1])) / 4, FIT_MOST)
    return [q / 4 for q in range(int(4 * low), int(4 * max(high, low)) + 1)]


def _changes(own: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """A view's placement as the page's data: what differs from ``base`` (the map's own at that zoom):
    the labels placed elsewhere or only here, the indexes of base's labels not placed here ("off"),
    the fans when they differ, and the count with no room."""
    was = {label[0]: label for label in base["labels"]}
    now = {label[0] for label in own["labels"]}
    out = {"labels": [label for label in own["labels"] if was.get(label[0]) != label],
           "off": sorted(i for i in was if i not in now), "hidden": own["hidden"]}
    if own["fan"] != base["fan"]:
        out["fan"] = own["fan"]
    return out


def _union(a: tuple[float, float, float, float],
           b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The bounds holding both ``a`` and ``b`` (west, south, east, north)."""
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def label_plan(marks: list[Mark], bounds: tuple[float, float, float, float],
               views: Iterable[View] = ()) -> dict[str, Any]:
    """Every mark once, and its placement at each of ``zoom_steps(bounds)``, labels kept inside the
    frame of ``bounds`` (the view the page fits): the page's JSON. With ``views``, each one's placements
    too ("views": its absent marks and step, its zoom steps, and at each the changes from the map's own)."""
    # placement makes a few hundred thousand small tuples and lists, freed as they go: each collection
    # they set off walked every object of the process (4 of them at 1,000 records: about 0.2 s)
    with paused():
        steps, spots = zoom_steps(bounds), Spots(marks)
        plan = {"min": steps[0], "max": steps[-1], "steps": steps,
                "marks": [[m.key, m.lat, m.lon, m.text, m.style] for m in marks],
                "zooms": {f"{z:g}": place_zoom(marks, z, Placement(bounds), spots) for z in steps}}
        index = {key: i for i, key in enumerate(spots.keys)}
        placed = []
        for view in views:
            absent = frozenset(index[k] for k in view.absent if k in index)
            first = frozenset(index[k] for k in view.first if k in index)
            own = list(view.zooms) or steps
            if view.step:
                # its labels keep to the step's view and the map's own (a step's view fits its bounds,
                # and what stands round them in the map's frame may share it), its highlighted ones to
                # its own; they hang off-centre if need be, and no leader runs far
                leading = [replace(m, more=min(m.more, STEP_RINGS), hang=i in first) for i, m in enumerate(marks)]
                how, mine = Placement(_union(view.bounds, bounds), absent, first, view.bounds), Spots(leading)
            else:
                leading, how, mine = marks, Placement(view.bounds, absent, first), spots
            placed.append({"absent": sorted(absent), "step": view.step, "steps": own,
                           "zooms": {f"{z:g}": _changes(place_zoom(leading, z, how, mine), step_at(plan, z))
                                     for z in own}})
        if placed:
            plan["views"] = placed
        return plan


def label_boxes(plan: dict[str, Any], zoom: float) -> list[tuple[float, float, float, float, float, float]]:
    """The label boxes placed for a view at ``zoom`` (see step_at), as (lat, lon, left, top,
    right, bottom): the record's or place's point, and the box in pixels from it at ``zoom`` (a
    fanned-out marker's offset included): what framing pads the view for."""
    at = step_at(plan, zoom)
    world = 256 * 2 ** zoom
    out = []
    for i, dx, dy, _ in at["labels"]:
        _key, lat, lon, text, style = plan["marks"][i]
        if str(i) in at["fan"]:  # drawn on its ring: from its point to the ring's centre, then out
            ring_lat, ring_lon, fx, fy = at["fan"][str(i)]
            (x0, y0), (x1, y1) = mercator(lat, lon), mercator(ring_lat, ring_lon)
            dx, dy = dx + fx + (x1 - x0) * world, dy + fy + (y1 - y0) * world
        w, h = text_size(text, style)
        out.append((lat, lon, round(dx, 1), round(dy, 1), round(dx + w, 1), round(dy + h, 1)))
    return out


def _whole(value: float) -> float:
    """A number as the page's data: a whole one without its ".0" (the same value, fewer bytes)."""
    return int(value) if float(value).is_integer() else value


def _gaps(indexes: Iterable[int]) -> list[int]:
    """Ascending indexes as the page writes them: each as its step from the one before (from 0)."""
    out, last = [], 0
    for i in indexes:
        out.append(i - last)
        last = i
    return out


def page_placement(at: dict[str, Any]) -> dict[str, Any]:
    """A placement (place_zoom's, or a view's changes) as the page's data, flat and short: "labels" as
    [step, spot, ...] by mark index (see _gaps), "leaders" as [index, x, y, ...] (each line runs from
    the label's marker, (0, 0)), "fan" as [step, ring, spot, ...] with each ring's centre once in
    "rings" [lat, lon, ...], and every pixel offset (a label's corner, a fanned marker's place on its
    ring) once in "spots" [dx, dy, ...], the most used first; the count with no room and a view's "off"
    as they are."""
    labels = at["labels"]
    fans = sorted((int(i), f) for i, f in at.get("fan", {}).items())
    used = Counter([(dx, dy) for _, dx, dy, _ in labels] + [(_whole(f[2]), _whole(f[3])) for _, f in fans])
    spot = {offset: n for n, (offset, _) in enumerate(used.most_common())}
    out: dict[str, Any] = {"spots": [v for offset in spot for v in offset],
                           "labels": [v for (_, dx, dy, _), gap in zip(labels, _gaps(label[0] for label in labels))
                                      for v in (gap, spot[dx, dy])],
                           "leaders": [v for i, _, _, leader in labels if leader for v in (i, leader[2], leader[3])],
                           "hidden": at["hidden"]}
    if "off" in at:
        out["off"] = at["off"]
    if "fan" in at:
        ring = {centre: n for n, centre in enumerate({(f[0], f[1]): None for _, f in fans})}
        out["rings"] = [v for centre in ring for v in centre]
        out["fan"] = [v for (_, f), gap in zip(fans, _gaps(i for i, _ in fans))
                      for v in (gap, ring[f[0], f[1]], spot[_whole(f[2]), _whole(f[3])])]
    return out


def _outline(plan: dict[str, Any]) -> dict[str, Any]:
    """A plan's or a view's entries but its placements ("zooms"), which the page gets apart."""
    return {k: v for k, v in plan.items() if k != "zooms"}


class LabelPlan(PagePart):
    """Hands the label plan to the page's runtime (deploymap.labels), after the layers are drawn: its
    placements (the map's own at each zoom step, then each view's at its steps; page_placement) as one
    text of JSON texts a line, each parsed when a view first shows it; the first view uses two or three
    of the map's 19 steps. Compact JSON has no line break of its own (one inside a string is written
    "\\n"). The marks stay rows: JSON.parse makes them faster than the page's script would from columns."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        deploymap.labels({{ this.parsed }}, {{ this.placements }});
        {% endmacro %}
    """)

    def __init__(self, plan: dict[str, Any]):
        super().__init__()
        self._name = "LabelPlan"
        views = plan.get("views", [])
        outline = _outline(plan)
        if views:
            outline["views"] = [_outline(view) for view in views]
        self.parsed = parsed(safe_json(outline))
        placements = (p["zooms"][f"{z:g}"] for p in (plan, *views) for z in p["steps"])
        self.placements = raw_text("\n".join(safe_json(page_placement(at)) for at in placements))
