"""The Natural Earth base map: no seam drawn across the map, and land all round the world."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import numpy as np
import pytest
import shapely

from geo.countries import around, countries
from geo.records import read_records
from layers.basemap import natural_earth
from output.document import render
from output.mapfile import load_mapfile
from tests.conftest import SEEDS


def base_rings(bounds, centre) -> list[list[tuple[float, float]]]:
    """The base map's rings as the page gets them, each a list of (lat, lon)."""
    group = natural_earth(bounds, centre)
    [layer] = [c for c in group._children.values() if hasattr(c, "payload")]
    return [list(zip(ring[::2], ring[1::2])) for ring in json.loads(layer.payload)["rings"]]


def test_no_country_part_spans_more_than_half_the_world():
    wide = [(name, part.bounds) for name, shape in zip(countries()["name"], countries().geometry) if shape is not None
            for part in shapely.get_parts(shape) if part.bounds[2] - part.bounds[0] > 180]
    assert wide == []
    russia = countries().geometry[countries()["iso_a2"] == "RU"].iloc[0]
    assert russia.bounds[0] < -179 and russia.bounds[2] > 179  # Chukotka kept, on both sides of the antimeridian


@pytest.mark.parametrize("code, centre", [("FJ", 178.0), ("FJ", -170.0), ("RU", 170.0), ("US", 180.0)])
def test_a_country_cut_at_the_antimeridian_is_whole_across_it(code, centre):
    shape = countries().geometry[countries()["iso_a2"] == code].iloc[0]
    parts = around(shape, centre)
    # no two parts meet along a line: the cut left between them would be stroked across the land as a coast
    assert max(a.intersection(b).length for i, a in enumerate(parts) for b in parts[i + 1:]) < 1e-6
    assert sum(p.area for p in parts) == pytest.approx(shape.area)


@pytest.mark.parametrize("bounds, centre", [((126, 33, 130, 39), 150.0), ((-10, 35, 30, 60), 10.0),
                                            ((170, -20, 190, -10), 180.0)])
def test_the_base_map_has_no_band_and_the_whole_world(bounds, centre):
    rings = base_rings(bounds, centre)
    assert max(max(p[1] for p in r) - min(p[1] for p in r) for r in rings) <= 180
    # zoomed out, land goes on: the coarse world reaches round the globe
    lons = sorted({round(p[1]) for r in rings for p in r})
    assert lons[0] < centre - 170 and lons[-1] > centre + 170


def test_the_page_stays_small_with_the_world_in_it():
    frame = read_records([SEEDS / "records"])
    html = render(frame, load_mapfile(SEEDS / "indo-pacific-diplomacy.map.yaml")).html
    # Leaflet (148 KB), the runtime and its styles (66 KB), the world's land and countries (312 KB), and
    # the story: its timeline and steps, their words and the last step's picture for readers without
    # JavaScript (about 25 KB), and its labels: the map's own placements and each step's view's and
    # each state of the timeline's as changes to them (about 55 KB, written flat: labels.py page_placement)
    assert len(html.encode()) < 690_000


@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(1200, 800), (390, 844)])
def test_no_base_map_path_spans_more_than_180_degrees_on_screen(tmp_path, open_page, width, height):
    out = tmp_path / "seed.html"
    out.write_text(render(read_records([SEEDS / "records"]), load_mapfile(SEEDS / "indo-pacific-diplomacy.map.yaml"))
                   .html, encoding="utf-8")
    page = open_page(out, width, height)
    spans = page.eval("""() => { const map = deploymap.map;
        const spans = deploymap.layers.get('Base map').specs[0].rings.map(ring => {
          const lngs = ring.filter((v, i) => i % 2), xs = lngs.map((lng, i) => map.latLngToContainerPoint([ring[2 * i], lng]).x);
          return [Math.max(...lngs) - Math.min(...lngs), Math.max(...xs) - Math.min(...xs)]; });
        return {spans, world: map.getPixelWorldBounds().getSize().x}; }""")
    assert len(spans["spans"]) > 100
    assert max(lng for lng, _ in spans["spans"]) <= 180
    assert max(px for _, px in spans["spans"]) <= spans["world"] / 2
    # zoomed right out, the map shows land beyond the data's box, and no less than the whole world
    page.eval("() => { deploymap.map.setZoom(0, {animate: false}); }")
    assert page.eval("deploymap.map.getZoom()") >= 0
    # (as wide as the map: on a wide page the story's words take a column beside it)
    assert page.eval("deploymap.map.getPixelWorldBounds().getSize().x") >= page.eval("deploymap.map.getSize().x")


def land_and_sea() -> tuple[list[list[float]], list[list[float]]]:
    """[lat, lon] points every 2.5° over Asia, Australia and the western Pacific: those a degree inside a
    country (clear of its coasts and borders), and those two degrees out at sea."""
    shapes = shapely.STRtree([s for s in countries().geometry if s is not None])
    land, sea = [], []
    for lat in np.arange(-45, 60, 2.5):
        for lon in np.arange(60, 180, 2.5):
            point = shapely.Point(lon, lat)
            near = shapes.geometries[shapes.query(point.buffer(2))]
            if not len(near):
                sea.append([lat, lon])
            elif any(s.contains(point) and s.boundary.distance(point) > 1 for s in near):
                land.append([lat, lon])
    return land, sea


# The land's canvas under each [lat, lng] in the map's view: [r, g, b, alpha], or null out of view.
LAND_AT = """(points) => {
  const map = deploymap.map, canvas = document.querySelector('.leaflet-dmBase-pane canvas'), size = map.getSize();
  const box = canvas.getBoundingClientRect(), frame = map.getContainer().getBoundingClientRect();
  const scale = canvas.width / box.width, ctx = canvas.getContext('2d');
  return points.map(ll => {
    const p = map.latLngToContainerPoint(ll);
    if (p.x < 0 || p.y < 0 || p.x >= size.x || p.y >= size.y) return null;
    const x = Math.floor((frame.left + p.x - box.left) * scale), y = Math.floor((frame.top + p.y - box.top) * scale);
    return [...ctx.getImageData(x, y, 1, 1).data];
  });
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(1200, 800), (390, 844)])
def test_the_land_is_filled_and_the_sea_left_clear_at_every_view(seed_maps, open_page, width, height):
    land, sea = land_and_sea()
    page = open_page(seed_maps / "indo-pacific-diplomacy.html", width, height)
    colour = page.eval("getComputedStyle(document.documentElement).getPropertyValue('--dm-land').trim()")
    filled = [int(colour[i:i + 2], 16) for i in (1, 3, 5)] + [255]
    seen = {"land": 0, "sea": 0}
    # the first view, zoomed out and in, and panned at that zoom (the canvas drawn again at each move's end)
    for move in (None, "setZoom(2.5)", "setZoom(6.25)", "panBy([300, -200])"):
        if move:
            page.eval(f"() => {{ deploymap.map.{move[:-1]}, {{animate: false}}); }}")
        for name, points, wanted in (("land", land, filled), ("sea", sea, [0, 0, 0, 0])):
            shown = [(ll, px) for ll, px in zip(points, page.eval(LAND_AT, points)) if px is not None]
            assert [ll for ll, px in shown if px != wanted] == [], (move, name)
            seen[name] += len(shown)
    assert seen["land"] > 20 and seen["sea"] > 20, seen


# Each drawn area against Leaflet's own L.Polygon code run on the same rings at the map's present view:
# its LatLngs, their bounds, the points it is drawn at, their pixel bounds and the clipped, simplified
# parts it draws (the names of what differ).
# An area out of view (which Leaflet projects and then draws nothing of) has no points until it comes into view.
LEAFLETS_OWN = """() => {
  const same = (a, b) => Array.isArray(a) ? Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]))
    : a instanceof L.Point ? b instanceof L.Point && Object.is(a.x, b.x) && Object.is(a.y, b.y)
    : a instanceof L.LatLng ? b instanceof L.LatLng && Object.is(a.lat, b.lat) && Object.is(a.lng, b.lng)
    : a instanceof L.LatLngBounds ? same(a.getSouthWest(), b.getSouthWest()) && same(a.getNorthEast(), b.getNorthEast())
    : a instanceof L.Bounds ? same(a.min, b.min) && same(a.max, b.max) : Object.is(a, b);
  const P = L.Polygon.prototype, differ = [];
  let points = 0, away = 0;
  deploymap.layers.forEach(entry => entry.specs.filter(s => s.type === "areas").forEach(spec => {
    const shapes = entry.group.getLayers();
    spec.areas.forEach((area, i) => {
      const own = Object.create(P), shape = shapes[i], rings = [], bounds = new L.Bounds();
      own._bounds = new L.LatLngBounds();
      own._map = deploymap.map;
      let latlngs = P._convertLatLngs.call(own, area.rings);
      if (L.LineUtil.isFlat(latlngs)) latlngs = [latlngs];
      P._projectLatlngs.call(own, latlngs, rings, bounds);
      rings.forEach(r => { points += r.length; });
      const view = shape._renderer._bounds, w = shape.options.weight;
      const inView = shape._pxBounds.intersects(new L.Bounds(view.min.subtract([w, w]), view.max.add([w, w])));
      if (!shape._rings.length) away++;
      if (!same(latlngs, shape._latlngs)) differ.push("latlngs");
      if (!same(own._bounds, shape._bounds)) differ.push("bounds");
      // out of view, its points are either not projected yet or those of when it was in view at this zoom
      if (!same(rings, shape._rings) && (inView || shape._rings.length)) differ.push("points");
      if (!same(bounds, shape._rawPxBounds)) differ.push("pixel bounds");
      // and the parts it draws: Leaflet's clip to the renderer's bounds and simplification of those points
      const drawn = Object.assign(Object.create(P), {_renderer: shape._renderer, _rings: shape._rings,
        _pxBounds: shape._pxBounds, options: shape.options});
      P._clipPoints.call(drawn);
      P._simplifyPoints.call(drawn);
      if (!same(drawn._parts, shape._parts)) differ.push("parts");
    });
  }));
  return {points, differ, away};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("name", ["indo-pacific-diplomacy", "japan-basing"])
@pytest.mark.parametrize("width, height", [(1200, 800), (390, 844)])
def test_every_area_is_drawn_at_the_points_leaflets_own_polygon_gives(seed_maps, open_page, name, width, height):
    page = open_page(seed_maps / f"{name}.html", width, height)
    for zoom in (None, 2.5, 6.25):  # the first view, then zoomed out and in (every area projected again)
        if zoom is not None:
            page.eval(f"() => {{ deploymap.map.setZoom({zoom}, {{animate: false}}); }}")
        found = page.eval(LEAFLETS_OWN)
        assert found["differ"] == [] and found["points"] > 1000, (zoom, found["differ"][:5])
        if zoom is None and name == "indo-pacific-diplomacy":
            assert found["away"] >= 1  # at the first view, the United States' area is not projected


@pytest.mark.browser
def test_an_area_out_of_the_first_view_is_drawn_once_a_pan_brings_it_in(seed_maps, open_page):
    page = open_page(seed_maps / "indo-pacific-diplomacy.html", 1200, 800)
    # the United States' area lies east of the first view: no points yet, and an empty path
    away = page.eval("""() => { const shapes = deploymap.layers.get("Countries").group.getLayers();
        const i = shapes.findIndex(s => !s._rings.length);
        return {i, label: shapes[i].getTooltip().getContent().textContent, path: shapes[i].getElement().getAttribute("d")}; }""")
    assert away["label"].startswith("United States") and away["path"] == "M0 0"
    # panned there in steps shorter than the map (a longer pan resets the view, projecting everything)
    page.eval(f"""() => {{ const map = deploymap.map, shape = deploymap.layers.get("Countries").group.getLayers()[{away['i']}];
        const to = shape._pxBounds.getCenter().subtract(map.containerPointToLayerPoint(map.getSize().divideBy(2)));
        const steps = Math.ceil(Math.max(Math.abs(to.x), Math.abs(to.y)) / 500);
        for (let k = 0; k < steps; k++) map.panBy(to.divideBy(steps), {{animate: false}}); }}""")
    found = page.eval(LEAFLETS_OWN)
    assert found["differ"] == []
    path = page.eval(f"""() => deploymap.layers.get("Countries").group.getLayers()[{away['i']}]
        .getElement().getAttribute("d")""")
    assert path.count("L") > 100  # its coast drawn, at the points Leaflet's own polygon gives


def test_the_base_map_kept_between_runs_draws_the_same_land(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("DEPLOYMAP_CACHE", str(tmp_path))
    drawn = base_rings((126, 33, 130, 39), 150.0)
    [kept] = tmp_path.glob("basemap-*.json")
    assert base_rings((126, 33, 130, 39), 150.0) == drawn  # read back from the cache folder
    text = kept.read_text()
    lat = json.dumps(json.loads(text)["data"][0][0])
    moved = text.replace(f'[[{lat},', '[[1000,', 1)
    assert moved != text
    for bad in (text[:40], moved):  # cut off; a latitude of 1000 under the digest kept
        kept.write_text(bad)
        with caplog.at_level(logging.WARNING, logger="deploymap"):
            assert base_rings((126, 33, 130, 39), 150.0) == drawn  # drawn again, and kept again
        assert "is not a sound base map" in caplog.text and "set aside as" in caplog.text
        assert kept.with_name(kept.name + ".corrupt").read_text() == bad
        assert json.loads(kept.read_text())["data"][0]
        caplog.clear()
    assert base_rings((-10, 35, 30, 60), 10.0) != drawn and len(list(tmp_path.glob("basemap-*.json"))) == 2


def test_the_cache_keeps_the_base_maps_of_the_views_used_last(tmp_path, monkeypatch):
    import layers.basemap

    monkeypatch.setenv("DEPLOYMAP_CACHE", str(tmp_path))
    monkeypatch.setattr(layers.basemap, "KEPT_VIEWS", 2)
    views = [((126, 33, 130, 39), 150.0), ((-10, 35, 30, 60), 10.0), ((100, -10, 120, 10), 110.0)]
    base_rings(*views[0])
    first = set(tmp_path.glob("basemap-*.json"))
    base_rings(*views[1])
    os.utime(next(iter(first)), ns=(1, 1))  # the first view's file, as if from long ago ...
    base_rings(*views[0])  # ... and used again now
    base_rings(*views[2])  # a third view: the one used longest ago (the second) makes room
    kept = set(tmp_path.glob("basemap-*.json"))
    assert len(kept) == 2 and first <= kept


# The countries' areas as drawn (their SVG paths), and the map's view.
AREAS_DRAWN = """() => [[...document.querySelectorAll('path.dm-area')].map(p => p.getAttribute('d')),
  deploymap.map.getZoom(), deploymap.map.getPixelOrigin().toString()]"""


@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(1200, 800), (390, 844)])
def test_the_areas_are_drawn_at_the_view_the_fit_settles_on(seed_maps, open_page, width, height):
    # the fit's rounds leave the areas be and draw them once, after: what they show at the first view and
    # at a step's view is what they show once the map runs a zoom's events at that view (every area
    # projected and drawn again)
    page = open_page(seed_maps / "indo-pacific-diplomacy.html", width, height)
    for step in (1, 3, 1):
        page.eval(f"() => {{ location.hash = '#step-{step}'; }}")
        page.page.wait_for_function(f"deploymap.step === {step}")
        drawn = page.eval(AREAS_DRAWN)
        page.eval("() => { ['viewreset', 'zoomend', 'moveend'].forEach(e => deploymap.map.fire(e)); }")
        assert page.eval(AREAS_DRAWN) == drawn, step
        assert sum(d.count("L") for d in drawn[0]) > 100  # the coasts in view are drawn
    assert page.errors == []
