/* Areas (countries, range rings): Leaflet polygons that keep the page's rings as they
 * are. A seed map's areas are about 20,000 points, and about half of them lie outside the first view
 * (the rest of the world, the far side of the Pacific). Leaflet turns every point into a LatLng as a
 * polygon is made and into a layer point at every zoom, then drops a polygon out of view unseen.
 * Here the rings' bounds are read in one pass, a polygon's points are projected only once it is in
 * view (at a move, if a pan brings it there), straight from the numbers, and LatLngs are made only
 * when something asks for them. The numbers are Leaflet's own, worked out in the same order, so every
 * shape in view is drawn at the same pixels; one out of view has the same pixel bounds and no points. */
function plainRings(rings) {
  // [polygon: [ring: [[lat, lng], ...]]], and its [south, west, north, east]; null for any other form
  if (!Array.isArray(rings) || !rings.length) return null;
  var south = Infinity, west = Infinity, north = -Infinity, east = -Infinity;
  for (var i = 0; i < rings.length; i++) {
    if (!Array.isArray(rings[i])) return null;
    for (var j = 0; j < rings[i].length; j++) {
      var ring = rings[i][j];
      if (!Array.isArray(ring) || !ring.length) return null;
      for (var k = 0; k < ring.length; k++) {
        var p = ring[k];
        if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== "number" || typeof p[1] !== "number") return null;
        south = Math.min(p[0], south); west = Math.min(p[1], west);
        north = Math.max(p[0], north); east = Math.max(p[1], east);
      }
    }
  }
  return south <= north ? [south, west, north, east] : null;
}

/* A ring's length less its closing point, which Leaflet drops (LatLng.equals: within 1e-9). */
function openLength(ring) {
  var n = ring.length, a = ring[0], b = ring[n - 1];
  return n >= 2 && Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])) <= 1e-9 ? n - 1 : n;
}

/* Web Mercator layer pixels of [lat, lng] numbers, as map.latLngToLayerPoint works them out. */
function mercator(map) {
  var crs = map.options.crs, R = crs.projection.R, max = crs.projection.MAX_LATITUDE, t = crs.transformation,
      d = Math.PI / 180, a = t._a, b = t._b, c = t._c, e = t._d, scale = crs.scale(map._zoom),
      origin = map.getPixelOrigin();
  return {
    x: function (lng) { return Math.round(scale * (a * (R * lng * d) + b)) - origin.x; },
    y: function (lat) {
      var sin = Math.sin(Math.max(Math.min(max, lat), -max) * d);
      return Math.round(scale * (c * (R * Math.log((1 + sin) / (1 - sin)) / 2) + e)) - origin.y;
    }
  };
}

/* The first view's fit (view.js fitRounds) measures markers and labels over a few rounds, each at a
 * new zoom, where an area in view would be projected, clipped, simplified and drawn twice a round
 * (viewreset, then zoomend and moveend) for nothing the fit reads. Meanwhile the map's areas wait,
 * and are drawn once, at the view the rounds settle on. */
var waiting = null;

function holdAreas() {
  waiting = waiting || [];  // a fit begun inside another's rounds shares their wait
}

function drawHeldAreas() {
  var areas = waiting || [], renderers = [];
  waiting = null;
  areas.forEach(function (area) {
    area._held = false;
    if (!area._map) return;
    area._project();
    if (renderers.indexOf(area._renderer) < 0) renderers.push(area._renderer);
  });
  // as at a moveend: the renderer's paths updated (a canvas drawn again)
  renderers.forEach(function (renderer) { renderer.fire("update"); });
}

/* True (and the area owed a drawing) while the fit's rounds run on the page's map. */
function held(area) {
  if (!waiting || area._map !== dm.map) return false;
  if (!area._held) waiting.push(area);
  area._held = true;
  return true;
}

var Area = L.Polygon.extend({
  _setLatLngs: function (rings) {
    var box = plainRings(rings);
    this._raw = null;
    this._ll = null;
    this._ringBoxes = null;
    if (!box) return L.Polygon.prototype._setLatLngs.call(this, rings);  // any other form: Leaflet's
    this._bounds = new L.LatLngBounds([box[0], box[1]], [box[2], box[3]]);
    this._raw = rings;
  },

  // at a zoom: the pixel bounds from the bounds' corners (the projection keeps the order of lats and
  // of lngs, and so does rounding), the points left for _update to project if the area is in view
  _project: function () {
    if (held(this)) return;
    if (!this._raw || this._map.options.crs !== L.CRS.EPSG3857) return L.Polygon.prototype._project.call(this);
    var at = mercator(this._map), sw = this._bounds.getSouthWest(), ne = this._bounds.getNorthEast();
    this._rings = [];
    this._ringBoxes = null;
    this._projected = false;
    this._rawPxBounds = new L.Bounds(L.point(at.x(sw.lng), at.y(ne.lat)), L.point(at.x(ne.lng), at.y(sw.lat)));
    this._updateBounds();
  },

  _update: function () {
    if (held(this)) return;
    if (this._map && this._raw && !this._projected && this._pxBounds && this._pxBounds.intersects(this._clipBounds())) {
      this._projectRings();
    }
    L.Polygon.prototype._update.call(this);
  },

  // the renderer's bounds widened by the stroke, as Leaflet's clip takes them
  _clipBounds: function () {
    var view = this._renderer._bounds, w = this.options.weight, p = new L.Point(w, w);
    return new L.Bounds(view.min.subtract(p), view.max.add(p));
  },

  // every ring to layer points in one loop, and the pixel bounds from the points, as Leaflet's _project;
  // each ring's own pixel box kept for the clip
  _projectRings: function () {
    var at = mercator(this._map), x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    this._rings = [];
    this._ringBoxes = [];
    this._raw.forEach(function (polygon) {
      polygon.forEach(function (ring) {
        var n = openLength(ring), points = new Array(n), a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
        for (var i = 0; i < n; i++) {
          var x = at.x(ring[i][1]), y = at.y(ring[i][0]);
          points[i] = new L.Point(x, y);
          a = Math.min(x, a); b = Math.min(y, b); c = Math.max(x, c); d = Math.max(y, d);
        }
        this._rings.push(points);
        this._ringBoxes.push([a, b, c, d]);
        x0 = Math.min(a, x0); y0 = Math.min(b, y0); x1 = Math.max(c, x1); y1 = Math.max(d, y1);
      }, this);
    }, this);
    this._projected = true;
    this._rawPxBounds = new L.Bounds(L.point(x0, y0), L.point(x1, y1));
    this._updateBounds();
  },

  // Leaflet's clip, less the work for what needs none: a ring wholly inside the clip bounds comes out
  // of clipPolygon as it went in, one wholly outside as nothing (a world's islands, a coast's far
  // rings), so only the rings across the edge are clipped point by point
  _clipPoints: function () {
    var boxes = this._ringBoxes;
    if (!boxes || this.options.noClip) return L.Polygon.prototype._clipPoints.call(this);
    var bounds = this._clipBounds(), min = bounds.min, max = bounds.max;
    this._parts = [];
    if (!this._pxBounds || !this._pxBounds.intersects(bounds)) return;
    for (var i = 0; i < this._rings.length; i++) {
      var box = boxes[i], ring = this._rings[i];
      if (box[2] < min.x || box[0] > max.x || box[3] < min.y || box[1] > max.y) continue;
      var clipped = box[0] >= min.x && box[2] <= max.x && box[1] >= min.y && box[3] <= max.y ?
        ring.slice() : L.PolyUtil.clipPolygon(ring, bounds, true);
      if (clipped.length) this._parts.push(clipped);
    }
  }
});

/* The LatLngs Leaflet would hold ([polygon][ring][LatLng], closing points dropped), made when first asked. */
Object.defineProperty(Area.prototype, "_latlngs", {
  get: function () {
    if (!this._ll && this._raw) {
      this._ll = this._raw.map(function (polygon) {
        return polygon.map(function (ring) {
          var out = new Array(openLength(ring));
          for (var i = 0; i < out.length; i++) out[i] = new L.LatLng(ring[i][0], ring[i][1]);
          return out;
        });
      });
    }
    return this._ll;
  },
  set: function (latlngs) {
    this._raw = null;
    this._ringBoxes = null;
    this._ll = latlngs;
  }
});

/* A flat ring's [south, west, north, east]. */
function ringBox(ring) {
  var south = Infinity, west = Infinity, north = -Infinity, east = -Infinity;
  for (var i = 0; i < ring.length; i += 2) {
    south = Math.min(ring[i], south); north = Math.max(ring[i], north);
    west = Math.min(ring[i + 1], west); east = Math.max(ring[i + 1], east);
  }
  return [south, west, north, east];
}

/* The base map's land (layers/basemap.py natural_earth): every ring of the countries, flat
 * [lat, lng, ...], as one shape with one fill and one stroke (its rings wound for a nonzero fill), not a
 * polygon a country: 180 polygons, each set up, filled and stroked on its own, drew the 1,000-record page
 * 10-14 ms later (bench/PROFILE.md). At each view only the rings meeting it are traced, each point
 * projected as Leaflet projects it (mercator) and skipped when on the pixel of the one before. */
var Land = L.Path.extend({
  options: { fill: true, fillOpacity: 1, fillRule: "nonzero", weight: 0.6, interactive: false, className: "dm-land" },
  initialize: function (rings, options) {
    L.setOptions(this, options);
    this._flat = rings;
    this._boxes = rings.map(ringBox);
  },
  // over the whole of any view: painted whenever its renderer paints
  _project: function () {
    this._pxBounds = L.bounds([-1e9, -1e9], [1e9, 1e9]);
  },
  // a canvas paints it when it redraws (_updatePath); an SVG path is written at each update
  _update: function () {
    if (this._map && !(this._renderer instanceof L.Canvas)) this._updatePath();
  },
  /* Every ring meeting the renderer's bounds (widened by the stroke) to move(x, y), line(x, y), close(). */
  _trace: function (move, line, close) {
    var map = this._map, at = mercator(map), view = this._renderer._bounds, w = this.options.weight;
    var sw = map.layerPointToLatLng([view.min.x - w, view.max.y + w]), ne = map.layerPointToLatLng([view.max.x + w, view.min.y - w]);
    for (var k = 0; k < this._flat.length; k++) {
      var box = this._boxes[k], ring = this._flat[k], px = NaN, py = NaN;
      if (box[2] < sw.lat || box[0] > ne.lat || box[3] < sw.lng || box[1] > ne.lng) continue;
      for (var i = 0; i < ring.length; i += 2) {
        var x = at.x(ring[i + 1]), y = at.y(ring[i]);
        if (x === px && y === py) continue;
        if (i) line(x, y);
        else move(x, y);
        px = x;
        py = y;
      }
      close();
    }
  },
  _updatePath: function () {
    var r = this._renderer;
    if (r instanceof L.Canvas) {
      if (!r._drawing) return;
      var ctx = r._ctx;
      ctx.beginPath();
      this._trace(ctx.moveTo.bind(ctx), ctx.lineTo.bind(ctx), ctx.closePath.bind(ctx));
      r._fillStroke(ctx, this);
      return;
    }
    var d = [];
    this._trace(function (x, y) { d.push("M" + x + " " + y); }, function (x, y) { d.push("L" + x + " " + y); },
      function () { d.push("z"); });
    r._setPath(this, d.join("") || "M0 0");
  },
  _containsPoint: function () {
    return false;
  }
});
