/* The large-layer path: a layer's points arrive as binary columns (layers/packed.py), inflated by the
 * browser, and are written into one pixel buffer shared by every canvas layer; a click finds the
 * nearest point through a grid and decodes that record's fields alone for its popup. */
var PARTS = { i4: Int32Array, f8: Float64Array, u1: Uint8Array, u2: Uint16Array, u4: Uint32Array };
var utf8 = new TextDecoder();
var loading = [];

/* The packed string's bytes: base64 decoded, then inflated by the browser's own DecompressionStream. */
function inflate(text) {
  var bytes = Uint8Array.fromBase64 ? Uint8Array.fromBase64(text)
    : Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Response(stream).arrayBuffer().then(function (buffer) { return new Uint8Array(buffer); });
}

/* One part, [type, offset, count]: raw UTF-8 bytes, or numbers put back together from their byte planes. */
function part(bytes, where) {
  var at = where[1], n = where[2];
  if (where[0] === "utf8" || where[0] === "u1") return bytes.subarray(at, at + n);
  var Type = PARTS[where[0]], width = Type.BYTES_PER_ELEMENT, out = new Uint8Array(n * width);
  for (var k = 0; k < width; k++) {
    for (var i = 0, from = at + k * n; i < n; i++) out[i * width + k] = bytes[from + i];
  }
  return new Type(out.buffer);
}

/* A packed column as cell() reads it: distinct values with an index per row, or get(i), which decodes
 * one row's number or text only when a popup asks for it. Plain values and one-value columns stay. */
function unpackColumn(bytes, c) {
  if (c.idx) return { dict: c.dict, idx: part(bytes, c.idx) };
  if (c.num) {
    var numbers = part(bytes, c.num);
    return { get: function (i) { return numbers[i] === numbers[i] ? numbers[i] : null; } };
  }
  if (!c.text) return c;
  var lengths = part(bytes, c.len), text = part(bytes, c.text), starts = new Float64Array(lengths.length + 1);
  for (var i = 0; i < lengths.length; i++) starts[i + 1] = starts[i] + Math.max(lengths[i], 0);
  return { get: function (i) { return lengths[i] < 0 ? null : utf8.decode(text.subarray(starts[i], starts[i + 1])); } };
}

function rgba(hex) {
  var v = parseInt(hex.slice(1), 16);  // "#rrggbb" as one pixel of the little-endian buffer: a b g r
  return ((255 << 24) | ((v & 0xff) << 16) | (v & 0xff00) | (v >> 16)) >>> 0;
}

/* One point's pixels, as [dx, dy] pairs: a disc of the layer's colour inside a white rim. */
function stampOf(radius) {
  var rim = [], fill = [], reach = Math.ceil(radius + 0.5);
  for (var dy = -reach; dy <= reach; dy++) {
    for (var dx = -reach; dx <= reach; dx++) {
      var d = Math.sqrt(dx * dx + dy * dy);
      if (d <= radius - 0.5) fill.push(dx, dy);
      else if (d <= radius + 0.5) rim.push(dx, dy);
    }
  }
  return { rim: rim, fill: fill, reach: reach, radius: radius };
}

/* The map's one canvas for every canvas layer: each shown layer's points painted in turn into one
 * pixel buffer, redrawn when a move ends; while a move runs, Leaflet carries the last frame along,
 * and a zoom scales it. */
var Painter = L.Layer.extend({
  initialize: function () {
    this.clouds = [];
  },
  getEvents: function () {
    var events = { moveend: this.redraw, resize: this.redraw };
    if (this._map._zoomAnimated) events.zoomanim = this.animateZoom;
    return events;
  },
  onAdd: function (map) {
    this.canvas = L.DomUtil.create("canvas", "dm-cloud leaflet-zoom-animated");
    this.context = this.canvas.getContext("2d");
    map.getPanes().overlayPane.appendChild(this.canvas);
    map.on("click", pickNearest);
    this.redraw();
  },
  onRemove: function (map) {
    L.DomUtil.remove(this.canvas);
    this.image = null;
    map.off("click", pickNearest);
  },
  /* A zoom in progress scales the last frame about the zoom's centre, as Leaflet's own canvas does. */
  animateZoom: function (e) {
    if (!this.bounds) return;
    var map = this._map, scale = map.getZoomScale(e.zoom, this.zoom);
    var offset = map._latLngBoundsToNewLayerBounds(this.bounds, e.zoom, e.center).min;
    L.DomUtil.setTransform(this.canvas, offset, scale);
  },
  /* The pixel buffer and its scratch arrays, made again only when the map's size changes. */
  buffer: function (w, h) {
    if (this.image && this.image.width === w && this.image.height === h) return this.image;
    this.canvas.width = w;
    this.canvas.height = h;
    this.image = this.context.createImageData(w, h);
    this.pixels = new Uint32Array(this.image.data.buffer);
    this.seen = new Uint8Array((Math.ceil((w + 2 * REACH) / STEP) + 2) * (Math.ceil((h + 2 * REACH) / STEP) + 2));
    this.hits = new Uint32Array(this.seen.length);
    return this.image;
  },
  /* All of it again: the layers shown have changed. */
  repaint: function () {
    this.last = null;
    this.redraw();
  },
  /* After a pan at the same zoom the last frame moves by whole pixels and only the strips it uncovers
   * are painted (the same pixels a full redraw gives: the lattice is fixed to the world, and every
   * dot reaching into a strip is painted there in the same order); any other change paints it all. */
  redraw: function () {
    var map = this._map;
    if (!map) return;
    var size = map.getSize(), o = viewOrigin(map), ratio = window.devicePixelRatio || 1;
    var w = Math.round(size.x * ratio), h = Math.round(size.y * ratio);
    var last = this.image && this.last, image = this.buffer(w, h), zoom = map.getZoom();
    var left = Math.round(o.pixel.x * ratio), top = Math.round(o.pixel.y * ratio);
    this.canvas.style.width = size.x + "px";
    this.canvas.style.height = size.y + "px";
    L.DomUtil.setPosition(this.canvas, o.layer);
    this.bounds = map.getBounds();
    this.zoom = zoom;
    var same = last && last.zoom === zoom && last.ratio === ratio && last.w === w && last.h === h;
    var dx = same ? left - last.left : w, dy = same ? top - last.top : h, rects = [];
    if (Math.abs(dx) >= w || Math.abs(dy) >= h) {
      rects.push([0, 0, w, h]);
    } else {
      shift(this.pixels, w, h, dx, dy);
      if (dx) rects.push(dx > 0 ? [w - dx, 0, w, h] : [0, 0, -dx, h]);
      if (dy) rects.push(dy > 0 ? [0, h - dy, w, h] : [0, 0, w, -dy]);
    }
    var view = { scale: o.scale * ratio, left: left, top: top, w: w, h: h };
    var shown = new Map();
    rects.forEach(function (rect) {
      for (var y = rect[1]; y < rect[3]; y++) this.pixels.fill(0, y * w + rect[0], y * w + rect[2]);
      this.clouds.forEach(function (cloud) { if (cloud.mx) this.paint(cloud, view, ratio, rect); }, this);
    }, this);
    this.clouds.forEach(function (cloud) {
      if (cloud.mx) shown.set(cloud.spec.title, (shown.get(cloud.spec.title) || 0) + cloud.mx.length);
    });
    this.last = { zoom: zoom, ratio: ratio, w: w, h: h, left: left, top: top };
    if (rects.length) this.context.putImageData(image, 0, 0);
    // a layer may hold two canvas layers (troops and assets): the count is the layer's
    shown.forEach(function (n, title) { dm.drawn.set(title, n); });
  },
  /* One layer's points in a rectangle of the buffer: each marks its cell of a STEP-pixel lattice
   * (fixed to the world, with a stamp's reach round the rectangle) once, then every marked cell gets
   * the stamp, clipped to the rectangle: a crowd of points costs what the cells it covers cost. */
  paint: function (cloud, view, ratio, rect) {
    var stamp = cloud.dot(ratio, view.scale / ratio), seen = this.seen, hits = this.hits, sx = view.scale / STEP;
    var cx0 = Math.floor((view.left + rect[0] - REACH) / STEP), cy0 = Math.floor((view.top + rect[1] - REACH) / STEP);
    var gw = Math.ceil((view.left + rect[2] + REACH) / STEP) - cx0, gh = Math.ceil((view.top + rect[3] + REACH) / STEP) - cy0;
    var mx = cloud.mx, my = cloud.my, found = 0;
    seen.fill(0, 0, gw * gh);
    for (var i = 0; i < mx.length; i++) {
      var x = Math.floor(mx[i] * sx) - cx0, y = Math.floor(my[i] * sx) - cy0;
      if (x < 0 || y < 0 || x >= gw || y >= gh) continue;
      var at = y * gw + x;
      if (!seen[at]) { seen[at] = 1; hits[found++] = at; }
    }
    var pixels = this.pixels, color = rgba(cloud.spec.color), white = 0xffffffff, w = view.w, reach = stamp.reach;
    var ox = cx0 * STEP + HALF - view.left, oy = cy0 * STEP + HALF - view.top, rim = stamp.rim, fill = stamp.fill;
    for (var j = 0; j < found; j++) {
      var px = hits[j] % gw * STEP + ox, py = (hits[j] / gw | 0) * STEP + oy, k;
      if (px < rect[0] + reach || py < rect[1] + reach || px >= rect[2] - reach || py >= rect[3] - reach) {
        stampAt(pixels, w, rect, px, py, rim, white);
        stampAt(pixels, w, rect, px, py, fill, color);
        continue;
      }
      // the common case, written out here: a stamp wholly inside the rectangle needs no clipping
      var centre = py * w + px;
      for (k = 0; k < rim.length; k += 2) pixels[centre + rim[k + 1] * w + rim[k]] = white;
      for (k = 0; k < fill.length; k += 2) pixels[centre + fill[k + 1] * w + fill[k]] = color;
    }
  }
});

/* The buffer's pixels moved by (-dx, -dy): what was at (x + dx, y + dy) is now at (x, y). */
function shift(pixels, w, h, dx, dy) {
  var from = Math.max(dx, 0), to = Math.max(-dx, 0), n = w - Math.abs(dx);
  var y0 = Math.max(0, -dy), y1 = Math.min(h, h - dy), step = dy > 0 ? 1 : -1;
  for (var y = step > 0 ? y0 : y1 - 1; y >= y0 && y < y1; y += step) {
    pixels.copyWithin(y * w + to, (y + dy) * w + from, (y + dy) * w + from + n);
  }
}

var REACH = 16;  // px: the widest stamp's reach past its point (a 3 px dot at a device ratio up to 4)
// device px: points are drawn on a lattice this fine, one dot per cell (a point moves at most a pixel);
// at 1,000,000 points a crowd then takes a third of the dots (and of the time) that one per pixel did
var STEP = 2, HALF = 1;

/* A stamp's pixels at (x, y) in a buffer w wide, clipped to the rectangle. */
function stampAt(pixels, w, rect, x, y, offsets, color) {
  for (var k = 0; k < offsets.length; k += 2) {
    var tx = x + offsets[k], ty = y + offsets[k + 1];
    if (tx >= rect[0] && ty >= rect[1] && tx < rect[2] && ty < rect[3]) pixels[ty * w + tx] = color;
  }
}

/* The scale of the world in pixels at the map's zoom, and where the map's top-left corner is. */
function viewOrigin(map) {
  var topLeft = map.containerPointToLayerPoint([0, 0]);
  return { scale: 256 * Math.pow(2, map.getZoom()), pixel: map.getPixelOrigin().add(topLeft), layer: topLeft };
}

var painters = new Map();  // one per map (a page may hold an inset map)

/* A canvas layer: its points decoded from their packed columns, painted by the map's Painter. */
var Cloud = L.Layer.extend({
  initialize: function (spec) {
    this.spec = spec;
    this.order = loading.length;
    this.loaded = inflate(spec.packed.data).then(this.unpack.bind(this));
    spec.packed.data = null;
    loading.push(this.loaded);
  },
  unpack: function (bytes) {
    var spec = this.spec, packed = spec.packed, columns = Object.create(null);
    spec.lat = part(bytes, packed.lat);
    spec.lon = part(bytes, packed.lon);
    Object.keys(packed.columns).forEach(function (f) { columns[f] = unpackColumn(bytes, packed.columns[f]); });
    spec.columns = columns;
    // Web Mercator as fractions of the world's width, computed once: a redraw only scales and shifts
    var n = spec.count, mx = new Float64Array(n), my = new Float64Array(n), k = Math.PI / 180 / spec.scale;
    for (var i = 0; i < n; i++) {
      var s = Math.sin(spec.lat[i] * k);
      mx[i] = (spec.lon[i] / spec.scale + 180) / 360;
      my[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
    this.mx = mx;
    this.my = my;
    if (this._map) painters.get(this._map).repaint();
  },
  onAdd: function (map) {
    var painter = painters.get(map) || new Painter();
    painters.set(map, painter);
    painter.clouds.push(this);
    // painted in the page's layer order, however the reader toggles them
    painter.clouds.sort(function (a, b) { return a.order - b.order; });
    if (painter._map) painter.repaint();
    else map.addLayer(painter);
  },
  onRemove: function (map) {
    var painter = painters.get(map);
    painter.clouds.splice(painter.clouds.indexOf(this), 1);
    if (painter.clouds.length) painter.repaint();
    else map.removeLayer(painter);
  },
  /* The dot at this zoom: where the layer is a crowd (more than one point in 20 square pixels over its
   * extent) a smaller one, which keeps the crowd legible and halves the pixels each dot writes. */
  dot: function (ratio, scale) {
    var box = this.grid().box, area = (box[2] - box[0]) * (box[3] - box[1]) * scale * scale;
    var radius = (this.spec.size || 3) * (this.mx.length * 20 > area ? 2 / 3 : 1) * ratio;
    if (!this.stamp || this.stamp.radius !== radius) this.stamp = stampOf(radius);
    return this.stamp;
  },
  /* Every point's cell of a grid over the layer's extent, points listed cell by cell: a click looks
   * only at the cells within its reach. Made on the first click. */
  grid: function () {
    if (this.cells) return this.cells;
    var mx = this.mx, my = this.my, n = mx.length, size = 512, box = [Infinity, Infinity, -Infinity, -Infinity];
    for (var i = 0; i < n; i++) {
      box[0] = Math.min(box[0], mx[i]); box[1] = Math.min(box[1], my[i]);
      box[2] = Math.max(box[2], mx[i]); box[3] = Math.max(box[3], my[i]);
    }
    var span = Math.max(box[2] - box[0], box[3] - box[1], 1e-12) / size * (1 + 1e-9);
    var cellOf = new Uint32Array(n), starts = new Uint32Array(size * size + 1), order = new Uint32Array(n);
    for (i = 0; i < n; i++) {
      cellOf[i] = ((my[i] - box[1]) / span | 0) * size + ((mx[i] - box[0]) / span | 0);
      starts[cellOf[i] + 1]++;
    }
    for (i = 0; i < size * size; i++) starts[i + 1] += starts[i];
    var next = starts.slice(0, size * size);
    for (i = 0; i < n; i++) order[next[cellOf[i]]++] = i;
    this.cells = { box: box, span: span, size: size, starts: starts, order: order };
    return this.cells;
  },
  /* The point nearest the click within 8 px, as [index, squared distance]; the later of two equally
   * near, as it is drawn on top. */
  nearest: function (p) {
    if (!this.mx) return [-1, Infinity];
    var o = viewOrigin(this._map), g = this.grid(), best = -1, bestD = 64, reach = 8 / o.scale;
    var wx = (p.x + o.pixel.x) / o.scale, wy = (p.y + o.pixel.y) / o.scale;
    var x0 = Math.max(0, Math.floor((wx - reach - g.box[0]) / g.span));
    var x1 = Math.min(g.size - 1, Math.floor((wx + reach - g.box[0]) / g.span));
    var y0 = Math.max(0, Math.floor((wy - reach - g.box[1]) / g.span));
    var y1 = Math.min(g.size - 1, Math.floor((wy + reach - g.box[1]) / g.span));
    for (var cy = y0; cy <= y1; cy++) {
      for (var cx = x0; cx <= x1; cx++) {
        for (var k = g.starts[cy * g.size + cx]; k < g.starts[cy * g.size + cx + 1]; k++) {
          var i = g.order[k], dx = (this.mx[i] - wx) * o.scale, dy = (this.my[i] - wy) * o.scale, d = dx * dx + dy * dy;
          if (d < bestD || (d === bestD && i > best)) { bestD = d; best = i; }
        }
      }
    }
    return [best, bestD];
  },
  open: function (i) {
    L.popup({ maxWidth: 320 }).setLatLng(latLng(this.spec, i))
      .setContent(popupContent(this.spec, i)).openOn(this._map);
  }
});

/* One click handler for every canvas layer: the nearest point of any shown layer gets the popup. */
function pickNearest(e) {
  var best = null;
  painters.get(this).clouds.forEach(function (cloud) {
    var hit = cloud.nearest(e.containerPoint);
    if (hit[0] >= 0 && (!best || hit[1] < best[2])) best = [cloud, hit[0], hit[1]];
  });
  if (best) best[0].open(best[1]);
}

/* Once every canvas layer is decoded and drawn: the page's ready signal waits for it. */
dm.settled = function (then) {
  Promise.all(loading).then(then);
};
