/* The large-layer path: a layer's points arrive as binary columns (layers/packed.py), inflated by the
 * browser, and are written into one pixel buffer shared by every canvas layer; a click finds the
 * nearest point through the layer's spatial index and decodes that record's fields alone for its popup. */
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
  return (255 << 24) | ((v & 0xff) << 16) | (v & 0xff00) | (v >> 16);
}

/* One point's pixels, as [dx, dy] pairs: a disc of the layer's colour inside a white rim; writer(w)
 * paints a list of them in a buffer w pixels wide (dotWriter). */
function stampOf(radius) {
  var rim = [], fill = [], reach = Math.ceil(radius + 0.5), made = null;
  for (var dy = -reach; dy <= reach; dy++) {
    for (var dx = -reach; dx <= reach; dx++) {
      var d = Math.sqrt(dx * dx + dy * dy);
      if (d <= radius - 0.5) fill.push(dx, dy);
      else if (d <= radius + 0.5) rim.push(dx, dy);
    }
  }
  function at(pairs, w) { return pairs.filter(function (v, k) { return !(k % 2); }).map(function (v, k) { return pairs[2 * k + 1] * w + v; }); }
  return { rim: rim, fill: fill, reach: reach, radius: radius, writer: function (w) {
    if (!made || made.w !== w) made = { w: w, write: dotWriter(w, at(rim, w), at(fill, w)) };
    return made.write;
  } };
}

/* write(pixels, hx, hy, found, across, down, inner, color, clipped): found cells' dots (columns and
 * rows in hx, hy, their pixels in across, down) in turn, rim then fill; one whose centre is outside
 * inner goes to clipped(x, y). The places are numbers in the compiled code: V8 writes them five times
 * faster than read from an array, as the loop does where a Content-Security-Policy forbids it. */
function dotWriter(w, rim, fill) {
  var head = "for (var j = 0; j < found; j++) { var x = across[hx[j]], y = down[hy[j]], c = y * w + x, k;" +
    " if (x < inner[0] || y < inner[1] || x >= inner[2] || y >= inner[3]) { clipped(x, y); continue; }";
  try {
    return new Function("pixels", "hx", "hy", "found", "across", "down", "inner", "color", "clipped", "var w = " + w + "; " +
      head + rim.map(function (o) { return "pixels[c + " + o + "] = -1;"; }).join("") +
      fill.map(function (o) { return "pixels[c + " + o + "] = color;"; }).join("") + " }");
  } catch (e) {
    return function (pixels, hx, hy, found, across, down, inner, color, clipped) {
      for (var j = 0; j < found; j++) {
        var x = across[hx[j]], y = down[hy[j]], c = y * w + x, k;
        if (x < inner[0] || y < inner[1] || x >= inner[2] || y >= inner[3]) { clipped(x, y); continue; }
        for (k = 0; k < rim.length; k++) pixels[c + rim[k]] = WHITE;
        for (k = 0; k < fill.length; k++) pixels[c + fill[k]] = color;
      }
    };
  }
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
  /* The pixel buffer, made again only when the map's size changes. */
  buffer: function (w, h) {
    if (this.image && this.image.width === w && this.image.height === h) return this.image;
    this.canvas.width = w;
    this.canvas.height = h;
    this.image = this.context.createImageData(w, h);
    this.pixels = new Int32Array(this.image.data.buffer);
    return this.image;
  },
  /* Scratch for a lattice of n cells: cells seen, and those found (column, row). */
  scratch: function (n) {
    if (!this.seen || this.seen.length < n) {
      this.seen = new Uint8Array(n);
      this.hx = new Uint16Array(n);
      this.hy = new Uint16Array(n);
    }
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
    var view = lattice(o.scale * ratio, left, top, w);
    var shown = new Map();
    rects.forEach(function (rect) {
      for (var y = rect[1]; y < rect[3]; y++) this.pixels.fill(0, y * w + rect[0], y * w + rect[2]);
      this.clouds.forEach(function (cloud) { if (cloud.index) this.paint(cloud, view, ratio, rect); }, this);
    }, this);
    this.clouds.forEach(function (cloud) {
      if (cloud.index) shown.set(cloud.spec.title, (shown.get(cloud.spec.title) || 0) + cloud.spec.count);
    });
    this.last = { zoom: zoom, ratio: ratio, w: w, h: h, left: left, top: top };
    if (rects.length) this.context.putImageData(image, 0, 0);
    // a layer may hold two canvas layers (troops and assets): the count is the layer's
    shown.forEach(function (n, title) { dm.drawn.set(title, n); });
  },
  /* One layer's points in a rectangle of the buffer: a dot per occupied lattice cell, clipped. */
  paint: function (cloud, view, ratio, rect) {
    var grid = cellsIn(view, rect), found = this.occupied(cloud, view, grid), stamp = cloud.dot(ratio, view.scale / ratio);
    var pixels = this.pixels, w = view.w, color = rgba(cloud.spec.color), reach = stamp.reach;
    var across = centres(grid.x0, grid.w, view.cell, view.left), down = centres(grid.y0, grid.h, view.cell, view.top);
    stamp.writer(w)(pixels, this.hx, this.hy, found, across, down,
      [rect[0] + reach, rect[1] + reach, rect[2] - reach, rect[3] - reach], color, function (x, y) {
        stampAt(pixels, w, rect, x, y, stamp.rim, WHITE);
        stampAt(pixels, w, rect, x, y, stamp.fill, color);
      });
  },
  /* The cells of the grid a layer's points occupy, each once, into hx, hy in the index's order; their
   * count. To zoom 9 read from the index's cells, closer from its points in reach. */
  occupied: function (cloud, view, grid) {
    var index = cloud.index, level = view.level, gw = grid.w, gh = grid.h, cx0 = grid.x0, cy0 = grid.y0;
    var found = 0, runs, r, k;
    this.scratch(gw * gh);
    var hx = this.hx, hy = this.hy;
    if (level <= KEY) {
      var cells = cellsOf(index, level), xs = cells.xs, ys = cells.ys;
      runs = runsOf(cells.codes, level, cx0, cy0, cx0 + gw, cy0 + gh);
      for (r = 0; r < runs.length; r += 2) {
        for (k = runs[r]; k < runs[r + 1]; k++) {
          var x = xs[k] - cx0, y = ys[k] - cy0;
          if (x >= 0 && y >= 0 && x < gw && y < gh) { hx[found] = x; hy[found++] = y; }
        }
      }
      if (index.inside === index.order.length) return found;
      runs = [];
    } else {
      var finer = level - KEY;
      runs = runsOf(index.keys, KEY, cx0 >> finer, cy0 >> finer, ((cx0 + gw - 1) >> finer) + 1, ((cy0 + gh - 1) >> finer) + 1);
    }
    // then the points off the world's square
    runs.push(index.inside, index.order.length);
    var scale = Math.pow(2, level), px = index.x, py = index.y, order = index.order, seen = this.seen;
    seen.fill(0, 0, gw * gh);
    for (k = 0; k < found; k++) seen[hy[k] * gw + hx[k]] = 1;
    for (r = 0; r < runs.length; r += 2) {
      for (k = runs[r]; k < runs[r + 1]; k++) {
        var i = order[k], cx = Math.floor(px[i] * scale) - cx0, cy = Math.floor(py[i] * scale) - cy0;
        if (cx < 0 || cy < 0 || cx >= gw || cy >= gh || seen[cy * gw + cx]) continue;
        seen[cy * gw + cx] = 1;
        hx[found] = cx;
        hy[found++] = cy;
      }
    }
    return found;
  }
});

/* The pixel of each of n cells' centres from cell c0, less origin. */
function centres(c0, n, cell, origin) {
  var out = new Int32Array(n);
  for (var i = 0; i < n; i++) out[i] = Math.floor((c0 + i + 0.5) * cell) - origin;
  return out;
}

/* The dot lattice of a world scale device pixels wide: the index grid whose cells are at most STEP
 * pixels (a dot stands at most a pixel from its point). */
function lattice(scale, left, top, w) {
  var level = Math.ceil(Math.log2(scale / STEP) - 1e-9);
  return { scale: scale, left: left, top: top, w: w, level: level, cell: scale / Math.pow(2, level) };
}

/* The cells whose dots may reach into a rectangle of the view. */
function cellsIn(view, rect) {
  var x0 = Math.floor((view.left + rect[0] - REACH) / view.cell), y0 = Math.floor((view.top + rect[1] - REACH) / view.cell);
  return { x0: x0, y0: y0, w: Math.ceil((view.left + rect[2] + REACH) / view.cell) - x0,
    h: Math.ceil((view.top + rect[3] + REACH) / view.cell) - y0 };
}

/* The buffer's pixels moved by (-dx, -dy): what was at (x + dx, y + dy) is now at (x, y). */
function shift(pixels, w, h, dx, dy) {
  var from = Math.max(dx, 0), to = Math.max(-dx, 0), n = w - Math.abs(dx);
  var y0 = Math.max(0, -dy), y1 = Math.min(h, h - dy), step = dy > 0 ? 1 : -1;
  for (var y = step > 0 ? y0 : y1 - 1; y >= y0 && y < y1; y += step) {
    pixels.copyWithin(y * w + to, (y + dy) * w + from, (y + dy) * w + from + n);
  }
}

var REACH = 16;  // px: the widest stamp's reach past its point (a 3 px dot at a device ratio up to 4)
// device px: one dot per lattice cell at most this wide (a crowd takes a third of the dots one per pixel
// did); pixels are signed 32-bit numbers, which V8 stores faster than unsigned
var STEP = 2, WHITE = -1;

/* A stamp's pixels at (x, y) in a buffer w wide, clipped to the rectangle. */
function stampAt(pixels, w, rect, x, y, offsets, color) {
  for (var k = 0; k < offsets.length; k += 2) {
    var tx = x + offsets[k], ty = y + offsets[k + 1];
    if (tx >= rect[0] && ty >= rect[1] && tx < rect[2] && ty < rect[3]) pixels[ty * w + tx] = color;
  }
}

/* A layer's index, built once: x, y in Web Mercator (fractions of the world, by record), and order,
 * the records on the world's square (the first inside) sorted by their cell's Morton code in a grid
 * of 2^KEY cells a side (keys), so a rectangle of the map is a few runs of it; those off it follow. */
function indexOf(lat, lon, scale) {
  var n = lat.length, side = Math.pow(2, KEY), k = Math.PI / 180 / scale, inside = 0, off = [], i;
  var mx = new Float64Array(n), my = new Float64Array(n), keys = new Uint32Array(n), order = new Uint32Array(n);
  var box = [Infinity, Infinity, -Infinity, -Infinity];
  for (i = 0; i < n; i++) {
    var s = Math.sin(lat[i] * k), x = (lon[i] / scale + 180) / 360, y = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    mx[i] = x;
    my[i] = y;
    if (x < box[0]) box[0] = x;
    if (x > box[2]) box[2] = x;
    if (y < box[1]) box[1] = y;
    if (y > box[3]) box[3] = y;
    if (x >= 0 && x < 1 && y >= 0 && y < 1) {
      keys[inside] = morton(x * side, y * side);
      order[inside++] = i;
    } else {
      off.push(i);
    }
  }
  keys = keys.subarray(0, inside);
  sortByKey(keys, order.subarray(0, inside));
  for (i = 0; i < off.length; i++) order[inside + i] = off[i];
  return { x: mx, y: my, keys: keys, order: order, inside: inside, box: box, levels: [] };
}

/* The cells of the grid 2^level a side (up to KEY) the points occupy, in order: codes, xs, ys. */
function cellsOf(index, level) {
  var cells = index.levels[level];
  if (cells) return cells;
  var codes = distinct(index.keys, 2 * (KEY - level)), xs = new Uint16Array(codes.length), ys = new Uint16Array(codes.length);
  for (var i = 0; i < codes.length; i++) {
    xs[i] = unmorton(codes[i]);
    ys[i] = unmorton(codes[i] >>> 1);
  }
  index.levels[level] = cells = { codes: codes, xs: xs, ys: ys };
  return cells;
}

var KEY = 16;  // the index's finest grid: 65,536 cells a side (a 2-pixel lattice to zoom 9)

/* Cell (x, y)'s Morton code: their bits interleaved, x's even. unmorton: the even bits again. */
function morton(x, y) {
  return (spread(x) | (spread(y) << 1)) >>> 0;
}

function spread(v) {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  return (v | (v << 1)) & 0x55555555;
}

function unmorton(code) {
  var v = code & 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  return (v | (v >>> 8)) & 0xffff;
}

/* keys and values sorted by key in place: two stable radix passes of 16 bits. */
function sortByKey(keys, values) {
  var n = keys.length, k2 = new Uint32Array(n), v2 = new Uint32Array(n), low = new Uint32Array(65536), high = new Uint32Array(65536);
  for (var i = 0; i < n; i++) {
    low[keys[i] & 0xffff]++;
    high[keys[i] >>> 16]++;
  }
  var a = 0, b = 0;
  for (i = 0; i < 65536; i++) {
    var c = low[i], d = high[i];
    low[i] = a;
    high[i] = b;
    a += c;
    b += d;
  }
  for (i = 0; i < n; i++) {
    var at = low[keys[i] & 0xffff]++;
    k2[at] = keys[i];
    v2[at] = values[i];
  }
  for (i = 0; i < n; i++) {
    at = high[k2[i] >>> 16]++;
    keys[at] = k2[i];
    values[at] = v2[i];
  }
}

/* The distinct codes of a sorted array, shifted right by bits (a coarser grid's). */
function distinct(codes, bits) {
  var out = new Uint32Array(codes.length), n = 0;
  for (var i = 0; i < codes.length; i++) {
    var c = codes[i] >>> bits;
    if (!n || out[n - 1] !== c) out[n++] = c;
  }
  return out.slice(0, n);
}

/* The runs [start, end...] of sorted Morton codes of a grid 2^level a side holding every cell of
 * [x0, x1) x [y0, y1): square tiles a quarter of it a side, each one run, in order. */
function runsOf(codes, level, x0, y0, x1, y1) {
  var side = Math.pow(2, level);
  x0 = Math.max(x0, 0); y0 = Math.max(y0, 0); x1 = Math.min(x1, side); y1 = Math.min(y1, side);
  if (x0 >= x1 || y0 >= y1) return [];
  var bits = Math.max(0, Math.ceil(Math.log2(Math.max(x1 - x0, y1 - y0))) - 2), tiles = [], runs = [];
  for (var ty = y0 >> bits; ty <= (y1 - 1) >> bits; ty++) {
    for (var tx = x0 >> bits; tx <= (x1 - 1) >> bits; tx++) tiles.push(morton(tx, ty));
  }
  tiles.sort(function (a, b) { return a - b; });
  var span = Math.pow(4, bits);
  tiles.forEach(function (t) {
    var a = lowerBound(codes, t * span), b = lowerBound(codes, (t + 1) * span);
    if (a === b) return;
    if (runs.length && runs[runs.length - 1] === a) runs[runs.length - 1] = b;
    else runs.push(a, b);
  });
  return runs;
}

/* The first place in a sorted array whose value is at least v. */
function lowerBound(values, v) {
  var lo = 0, hi = values.length;
  while (lo < hi) {
    var mid = (lo + hi) >>> 1;
    if (values[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
    // Web Mercator computed once: a redraw only scales and shifts
    this.index = indexOf(spec.lat, spec.lon, spec.scale);
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
    var box = this.index.box, area = (box[2] - box[0]) * (box[3] - box[1]) * scale * scale;
    var radius = (this.spec.size || 3) * (this.spec.count * 20 > area ? 2 / 3 : 1) * ratio;
    if (!this.stamp || this.stamp.radius !== radius) this.stamp = stampOf(radius);
    return this.stamp;
  },
  /* The point nearest the click within 8 px, as [record, squared distance]; of two equally near, the
   * later record. */
  nearest: function (p) {
    if (!this.index) return [-1, Infinity];
    var o = viewOrigin(this._map), ix = this.index, best = -1, bestD = 64, reach = 8 / o.scale, side = Math.pow(2, KEY);
    var wx = (p.x + o.pixel.x) / o.scale, wy = (p.y + o.pixel.y) / o.scale;
    var runs = runsOf(ix.keys, KEY, Math.floor((wx - reach) * side), Math.floor((wy - reach) * side),
      Math.floor((wx + reach) * side) + 1, Math.floor((wy + reach) * side) + 1);
    runs.push(ix.inside, ix.order.length);
    for (var r = 0; r < runs.length; r += 2) {
      for (var k = runs[r]; k < runs[r + 1]; k++) {
        var i = ix.order[k], dx = (ix.x[i] - wx) * o.scale, dy = (ix.y[i] - wy) * o.scale, d = dx * dx + dy * dy;
        if (d < bestD || (d === bestD && i > best)) { bestD = d; best = i; }
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
