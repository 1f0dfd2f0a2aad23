/* Rich point layers past 100 marks (layers/datalayer.py RICH) painted on a canvas instead of
 * a DOM element each: the same symbols, date badges, status looks and troop circles, stacked as the DOM
 * markers are (circles under the leaders, symbols over them, the more southern on top), painted by
 * Leaflet's own canvas renderer, which moves the canvas with the map, scales the last frame through a
 * zoom and paints again when the move ends. A click or tap opens the topmost mark's popup; the layer is
 * one Tab stop whose arrow keys move between its marks in view (the ARIA composite pattern). A still
 * picture (print.js) keeps the DOM markers, drawn as vectors. This file comes last in the runtime and
 * takes over a few helpers of the others for such layers only. */
var sheets = new Map();  // map -> its MarkCanvas: one canvas for circles, leaders, symbols and labels
// where each is in the canvas's draw order: circles under the leaders, symbols by their rows, labels on top
var UNDER = { circles: -3e9, leaders: -2e9, labels: 2e9 };

/* Leaflet's canvas renderer, taking no pointer events itself (a line or ring under it keeps its
 * tooltip): the map's container asks it for the mark under the pointer (pick). Paths join the draw
 * order by their stack key, not at its end, so a mark the timeline brings back is stacked as before. */
var MarkCanvas = L.Canvas.extend({
  onAdd: function (map) {
    L.Canvas.prototype.onAdd.call(this, map);
    this._container.style.pointerEvents = "none";
    if (map.dmPicking) return;
    map.dmPicking = true;
    var box = map.getContainer();
    box.addEventListener("click", pick.bind(map), true);
    box.addEventListener("mousemove", hover.bind(map), true);
  },
  _initPath: function (layer) {
    L.Canvas.prototype._initPath.call(this, layer);
    var order = layer._order, key = layer.options.stack, at = order.prev;
    while (at && at.layer.options.stack > key) at = at.prev;
    if (at === order.prev) return;
    // out of the end, back in after the last path stacked at or below it
    this._drawLast = order.prev;
    this._drawLast.next = null;
    order.prev = at;
    order.next = at ? at.next : this._drawFirst;
    order.next.prev = order;
    if (at) at.next = order;
    else this._drawFirst = order;
  },
  /* Leaflet's own, but the canvas keeps its backing store while its size does not change (setting
   * its width and height made a new one at every move's end). */
  _update: function () {
    if (this._map._animatingZoom && this._bounds) return;
    L.Renderer.prototype._update.call(this);
    var b = this._bounds, box = this._container, size = b.getSize(), m = L.Browser.retina ? 2 : 1;
    L.DomUtil.setPosition(box, b.min);
    if (box.width !== m * size.x || box.height !== m * size.y) {
      box.width = m * size.x;
      box.height = m * size.y;
      box.style.width = size.x + "px";
      box.style.height = size.y + "px";
    }
    this._ctx.setTransform(m, 0, 0, m, -m * b.min.x, -m * b.min.y);
    this.fire("update");
  },
  /* Neither projected nor painted at each of the fit's rounds (view.js homing): once, at the view they
   * settle on (goHome below); the fit measures the marks from their points, not from the canvas. A
   * round's reset keeps the canvas where its update put it: Leaflet's transform for the last picture
   * (viewreset comes after moveend) would leave it a fraction of a pixel off, the marks resampled soft. */
  _onZoomEnd: function () {
    if (homing) this.owed = true;
    else L.Canvas.prototype._onZoomEnd.call(this);
  },
  _reset: function () {
    if (!homing) return L.Canvas.prototype._reset.call(this);
    this._update();
    this._postponeUpdatePaths = false;
    this.owed = true;
  },
  _updatePaths: function () {
    if (homing) this.owed = true;
    else L.Canvas.prototype._updatePaths.call(this);
  },
  /* What the fit's rounds owed: every mark projected at the settled view, then painted. */
  payOwed: function () {
    if (!this.owed || !this._map) return;
    this.owed = false;
    for (var id in this._layers) this._layers[id]._project();
    this._updatePaths();
  },
  /* A full paint (the move ended) takes the partial one asked for meanwhile (a fan moved at zoomend). */
  _redraw: function () {
    if (this._redrawRequest) L.Util.cancelAnimFrame(this._redrawRequest);
    L.Canvas.prototype._redraw.call(this);
  },
  /* The mark drawn last (on top) under a layer point, or null: the painters' in turn, the last first
   * (a scan of a thousand boxes is a few microseconds: no index to keep up at every move). */
  topmost: function (p) {
    for (var order = this._drawLast; order; order = order.prev) {
      var hit = order.layer.topmost ? order.layer.topmost(p) : null;
      if (hit) return hit;
    }
    return null;
  }
});

/* The map's canvas, in the markers' pane: the DOM markers of small layers over it, route arrows
 * (stacked under every marker) under it; every canvas repaints its whole area at every move's end,
 * and handing a canvas to the compositor is most of a frame's cost, so all is one canvas, the size of
 * the view (as the large layers' is: Leaflet's 10% margin round it made a zoom frame's main thread
 * 32 -> 27 ms, measured A/B; what a drag uncovers is painted when it ends). */
function sheet(map) {
  if (!sheets.has(map)) {
    var canvas = new MarkCanvas({ pane: "markerPane", padding: 0 });
    canvas.painters = { circles: new Painter({ renderer: canvas, stack: UNDER.circles }),
      symbols: new Painter({ renderer: canvas, stack: 0 }) };
    map.addLayer(canvas.painters.circles).addLayer(canvas.painters.symbols);
    sheets.set(map, canvas);
  }
  return sheets.get(map);
}

/* The mark under the pointer. */
function markAt(map, e) {
  var canvas = sheets.get(map);
  return canvas && canvas._map ? canvas.topmost(map.mouseEventToLayerPoint(e)) : null;
}

/* A click on a mark is the mark's, as on a DOM marker: its popup opens and nothing under it hears it. */
function pick(e) {
  var hit = markAt(this, e);
  if (!hit || this._draggableMoved(hit)) return;
  hit.popup();
  e.stopPropagation();
  this._fireDOMEvent(e, e.type, [hit]);
}

function hover(e) {
  var over = !!markAt(this, e), box = this.getContainer();
  if (box.dmOver !== over) {
    box.dmOver = over;
    box.style.cursor = over ? "pointer" : "";
  }
}

/* The page's colours for marks, read again when the theme changes (theme.js sets dm-dark). */
var palette = null;

function colours() {
  var dark = document.documentElement.classList.contains("dm-dark");
  if (palette && palette.dark === dark) return palette;
  var style = window.getComputedStyle(dm.map.getContainer());
  palette = { dark: dark, halo: themeColour("--dm-halo"), label: themeColour("--dm-label"),
    labelBg: themeColour("--dm-label-bg"), focus: themeColour("--dm-focus"), text: themeColour("--dm-text"),
    family: style.fontFamily, looks: new Map(), kinds: {} };
  return palette;
}

/* A layer's colour: the spec's, or its kind's in the dark theme (page.css), read once a theme. */
function kindColour(spec) {
  var p = colours();
  if (!p.dark) return spec.color;
  if (!(spec.kind in p.kinds)) p.kinds[spec.kind] = themeColour("--dm-" + spec.kind);
  return p.kinds[spec.kind] || spec.color;
}

/* The APP-6 symbols as images from the page's own SVG (a data: address, nothing fetched), each once;
 * the page is ready once they are decoded (cloud.js loading). */
var symbolImages = new Map();

function symbolImage(code) {
  var defs = dm.symbols || [], def = null;
  for (var n = 0; n < defs.length; n++) if (defs[n].code === code) def = defs[n];
  if (!def) return null;
  if (!symbolImages.has(code)) {
    var img = new Image();
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(def.svg);
    var made = { img: img, def: def, ready: false };
    symbolImages.set(code, made);
    loading.push(img.decode().then(function () {
      made.ready = true;
      palette = null;  // looks drawn before it were drawn without it
      repaint();
    }, function () {}));
  }
  return symbolImages.get(code);
}

function repaint() {
  sheets.forEach(function (canvas) { if (canvas._map) canvas._redraw(); });
}

/* A theme chosen anew (theme.js, whose listeners come first) repaints the canvas in its colours. */
window.addEventListener("hashchange", repaint);
if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", repaint);

var PAD = 4;  // px round a look for its halo and shadows

/* A small picture w by h CSS pixels (PAD more on each side) drawn once by paint(ctx) at the screen's
 * pixel ratio: {image, w, h}, its whole size in CSS pixels; an ImageBitmap where the browser makes one
 * at once (copied at each repaint in three quarters of a canvas's time, measured A/B), every one drawn
 * on the same offscreen canvas (a new canvas and context each were two thirds of a picture's cost). */
var easel = null;

function picture(w, h, paint) {
  var ratio = window.devicePixelRatio || 1, cw = Math.ceil((w + 2 * PAD) * ratio), ch = Math.ceil((h + 2 * PAD) * ratio);
  var bitmaps = !!(window.OffscreenCanvas && OffscreenCanvas.prototype.transferToImageBitmap);
  if (bitmaps && !easel) easel = new OffscreenCanvas(cw, ch);
  var canvas = bitmaps ? easel : document.createElement("canvas");
  canvas.width = cw;  // set even when unchanged: a blank bitmap and the context's state reset
  canvas.height = ch;
  var ctx = canvas.getContext("2d");
  ctx.scale(ratio, ratio);
  ctx.translate(PAD, PAD);
  paint(ctx);
  return { image: bitmaps ? canvas.transferToImageBitmap() : canvas, w: cw / ratio, h: ch / ratio };
}

/* A picture's place: its box's top left at (x, y), at whole pixels (a copy, not a resampling, and
 * the text as crisp as the DOM's). */
function copy(ctx, made, x, y) {
  ctx.drawImage(made.image, Math.round(x) - PAD, Math.round(y) - PAD, made.w, made.h);
}

var scratch = null;  // a canvas context to measure text in

function measuring() {
  scratch = scratch || document.createElement("canvas").getContext("2d");
  return scratch;
}

/* One record's look as a small picture, drawn once for each distinct kind, symbol, date badge, status
 * and highlight in the page's colours: what draw.js's icon and page.css show. {made, w, h, anchor}:
 * the icon's box and where its point is in it (the glyph's centre, or the symbol's anchor). */
function lookOf(spec, i, highlighted) {
  var code = cell(spec, "symbol", i), date = cell(spec, "badge", i) || "", status = cell(spec, "status", i) || "";
  var image = code ? symbolImage(code) : null;
  var key = [spec.kind, spec.color, image ? code : "", date, status, highlighted ? 1 : 0,
    image && image.ready ? 1 : 0].join("\u0001");
  var p = colours(), look = p.looks.get(key);
  if (look) return look;
  var gw = image ? image.def.size[0] : 18, gh = image ? image.def.size[1] : 18, bw = 0, bh = 0, m = null;
  var badgeFont = "600 11px " + p.family;
  if (date) {
    measuring().font = badgeFont;
    m = scratch.measureText(date);
    bw = Math.ceil(m.width) + 6;
    bh = Math.ceil(m.fontBoundingBoxAscent + m.fontBoundingBoxDescent);
  }
  var w = gw + (date ? 3 + bw : 0), h = Math.max(gh, bh), colour = kindColour(spec), gy = (h - gh) / 2;
  var made = picture(w, h, function (ctx) {
    if (status === "former") ctx.filter = "grayscale(1)";
    if (image && image.ready) {
      ctx.save();
      ctx.shadowColor = "#fff";
      ctx.shadowBlur = 1;
      ctx.drawImage(image.img, 0, gy, gw, gh);
      ctx.restore();
    } else if (!image) {
      glyph(ctx, SYMBOLS[spec.kind] || "\u25CF", colour, gy, status === "planned", highlighted, p);
    }
    if (!date) return;
    var by = (h - bh) / 2;
    ctx.fillStyle = p.labelBg;
    ctx.beginPath();
    ctx.roundRect(gw + 3, by, bw, bh, 3);
    ctx.fill();
    ctx.font = badgeFont;
    ctx.fillStyle = p.label;
    ctx.fillText(date, gw + 6, by + m.fontBoundingBoxAscent);
  });
  look = { made: made, w: w, h: h, anchor: image ? image.def.anchor : [9, 9] };
  p.looks.set(key, look);
  return look;
}

/* A kind's glyph in its 18 px box, 15 px, with the halo of two 2 px shadows; planned: hollow, its
 * outline 1.6 px; highlighted (a story's step): larger, with a yellow glow. */
function glyph(ctx, text, colour, top, hollow, highlighted, p) {
  ctx.save();
  ctx.font = "600 " + (highlighted ? 21 : 15) + "px " + p.family;
  ctx.textAlign = "center";
  var m = ctx.measureText(text), ascent = m.fontBoundingBoxAscent, descent = m.fontBoundingBoxDescent;
  var y = top + 9 + (ascent - descent) / 2;  // a line 18 px high centres the font's box, as CSS does
  ctx.fillStyle = ctx.strokeStyle = colour;
  ctx.lineWidth = 1.6;
  var shadows = highlighted ? [["#ffd400", 3], [p.text, 2]] : [[p.halo, 2], [p.halo, 2]];
  shadows.forEach(function (s) {
    ctx.shadowColor = s[0];
    ctx.shadowBlur = s[1];
    if (hollow) ctx.strokeText(text, 9, y);
    else ctx.fillText(text, 9, y);
  });
  ctx.restore();
}

/* Every record of a painted layer is a plain object its group holds (so the timeline, the layer
 * control, records(), the fit, the story and the order of battle find it as they find a marker), drawn
 * by one painter for all the map's symbols and one for its circles: no Leaflet layer of the map each
 * (adding a thousand was a fifth of the page's script before ready), projected and painted in one
 * pass over arrays. A painter is one path of the map's canvas, stacked as the DOM's panes are. */
var Painter = L.Path.extend({
  options: { interactive: false },
  initialize: function (options) {
    L.setOptions(this, options);
    this.marks = [];  // in draw order once sorted: by stack key, then as made
    this.sorted = true;
  },
  adopt: function (mark) {
    mark.painter = this;
    mark.n = this.marks.length;
    this.marks.push(mark);
    this.sorted = false;
  },
  ordered: function () {
    if (!this.sorted) {
      this.marks.sort(function (a, b) { return a.options.stack - b.options.stack || a.n - b.n; });
      this.sorted = true;
    }
    return this.marks;
  },
  /* A mark on the map (its group's shown and it is in it): the map knows it (map.hasLayer, which
   * labels.js and the keys ask), and it is painted; while the first view's fit runs, the canvas
   * projects and paints it once the view is settled (MarkCanvas payOwed). */
  show: function (mark, map) {
    if (mark._map) return;
    mark._map = map;
    map._layers[L.stamp(mark)] = mark;
    if (!this._map) return;  // placed when the painter is added
    if (homing) {
      this._renderer.owed = true;
      return;
    }
    mark.place();
    mark.redraw();
  },
  hide: function (mark) {
    if (!mark._map) return;
    mark.fire("remove");  // its popup closes, as a removed layer's does
    mark.redraw();
    delete mark._map._layers[L.stamp(mark)];
    mark._map = null;
  },
  /* Every shown mark's point and box at the map's view. */
  _project: function () {
    var at = layerPointer(this._map);
    this._pxBounds = L.bounds([-1e9, -1e9], [1e9, 1e9]);
    this.marks.forEach(function (m) { if (m._map) m.place(at); });
  },
  _update: function () {},
  /* The shown marks inside the area being painted, in draw order. */
  _updatePath: function () {
    var r = this._renderer;
    if (!r._drawing) return;
    var area = r._redrawBounds || r._bounds, ctx = r._ctx, marks = this.ordered();
    for (var k = 0; k < marks.length; k++) {
      var m = marks[k];
      if (m._map && m._pxBounds && area.intersects(m._pxBounds)) m.paint(ctx);
    }
  },
  _containsPoint: function () {
    return false;
  },
  /* The mark drawn last (on top) under a layer point, or null. */
  topmost: function (p) {
    var marks = this.ordered();
    for (var k = marks.length - 1; k >= 0; k--) {
      var m = marks[k];
      if (m._map && m._pxBounds && m._containsPoint(p)) return m;
    }
    return null;
  },
  /* Paint again the canvas round a box (layer pixels) at the next frame: a mark's halo, outlines and rings
   * reach PAD + 4 px past it. */
  invalidate: function (box) {
    var r = this._renderer, pad = [PAD + 4, PAD + 4];
    if (!this._map || !box || !r) return;
    r._redrawBounds = r._redrawBounds || new L.Bounds();
    r._redrawBounds.extend(box.min.subtract(pad));
    r._redrawBounds.extend(box.max.add(pad));
    r._redrawRequest = r._redrawRequest || L.Util.requestAnimFrame(r._redraw, r);
  }
});

/* What the symbols and the circles share: a point, states, a popup made when first opened. A Path to
 * Leaflet's popups and events (opened at its point when its radius is under 10 px, as a DOM marker's). */
var Painted = L.Path.extend({
  initialize: function (latlng, options) {
    L.setOptions(this, options);
    this._latlng = L.latLng(latlng);
  },
  getLatLng: function () {
    return this._latlng;
  },
  // added to or removed from the map by itself (its group shows and hides it through its painter)
  beforeAdd: function () {},
  onAdd: function (map) {
    this._map = null;  // Leaflet set it: shown by its painter from here
    this.painter.show(this, map);
  },
  onRemove: function () {
    this.painter.hide(this);
  },
  /* Focus, selection (the order of battle) and a story's highlight, as the DOM marker shows them. */
  mark: function (state, on) {
    if (!!this[state] === !!on) return;
    this[state] = !!on;
    this.moved();  // a highlighted symbol is larger
  },
  /* Its box worked out again (a new look or offset), the canvas painted again where it was and is. */
  moved: function () {
    this.redraw();
    if (this._point) this._updateBounds();
    this.redraw();
  },
  place: function (at) {
    this._point = (at || layerPointer(this.painter._map))(this._latlng);
    this._updateBounds();
  },
  redraw: function () {
    this.painter.invalidate(this._pxBounds);
    return this;
  },
  /* Its popup, made at its first opening (a click, the keyboard, the order of battle). */
  popup: function () {
    if (!this._popup) {
      var o = this.offset || [0, 0];
      this.bindPopup(popupContent.bind(null, this.spec, this.i), { maxWidth: 320, offset: L.point(o[0], o[1] + 7) });
    }
    return this._popup;
  },
  openPopup: function (latlng) {
    this.popup();
    return L.Path.prototype.openPopup.call(this, latlng);
  }
});

/* One symbol, its box its icon's, moved by a fan (labels.js) as the DOM marker's margins move it. */
var Mark = Painted.extend({
  /* Its look, kept while the page's colours and its highlight stay (a look is found by a long key). */
  look: function () {
    var p = colours();
    if (this._look && this._lookIn === p && this._lookLit === !!this.highlighted) return this._look;
    this._lookIn = p;
    this._lookLit = !!this.highlighted;
    this._look = lookOf(this.spec, this.i, this.highlighted);
    return this._look;
  },
  /* The icon's box in layer pixels, at its point or fanned out. */
  _updateBounds: function () {
    var look = this.look(), o = this.offset || [0, 0];
    var x = this._point.x + o[0] - look.anchor[0], y = this._point.y + o[1] - look.anchor[1];
    this._pxBounds = L.bounds([x, y], [x + look.w, y + look.h]);
  },
  paint: function (ctx) {
    // no save and restore: a thousand of them were a tenth of a zoom frame
    var look = this.look(), b = this._pxBounds.min;
    ctx.globalAlpha = this.former ? 0.55 : 1;
    copy(ctx, look.made, b.x, b.y);
    ctx.globalAlpha = 1;
    if (this.selected) ring(ctx, this._pxBounds, 1 + 1.5, 3, "#ffb703");
    if (this.focused) ring(ctx, this._pxBounds, 2 + 1, 2, colours().focus);
  },
  _containsPoint: function (p) {
    return this._pxBounds.contains(p);
  },
  _getPopupAnchor: function () {
    return [0, 3 - this.look().anchor[1]];
  },
  /* Move by [dx, dy] from its point (null: back on it): labels.js's fan for a painted mark. */
  fanTo: function (offset) {
    var o = offset || [0, 0], was = this.offset || [0, 0];
    if (o[0] === was[0] && o[1] === was[1]) return;
    this.offset = o;
    if (this._popup) this._popup.options.offset = L.point(o[0], o[1] + 7);
    if (this._map && this._pxBounds) this.moved();
  },
  /* Its box on the page (client pixels) at the map's present view; at: layer pixels (layerPointer). */
  clientBox: function (frame, at) {
    var look = this.look(), o = this.offset || [0, 0], p = at(this._latlng);  // no Point made for the pane's shift
    var left = frame.left + frame.pane.x + p.x + o[0] - look.anchor[0];
    var top = frame.top + frame.pane.y + p.y + o[1] - look.anchor[1];
    return { left: left, top: top, right: left + look.w, bottom: top + look.h };
  }
});

/* An outline round a box, as CSS outline and outline-offset draw one. */
function ring(ctx, box, offset, width, colour) {
  ctx.lineWidth = width;
  ctx.strokeStyle = colour;
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.roundRect(box.min.x - offset, box.min.y - offset, box.max.x - box.min.x + 2 * offset,
    box.max.y - box.min.y + 2 * offset, 3);
  ctx.stroke();
}

/* A troop circle, in its theme and status colours; focus, selection and highlight as page.css has them.
 * Drawn once for each radius and look into a small canvas, then copied: a copy costs the compositor a
 * fraction of an antialiased translucent disc painted again at every move's end. */
var Ring = Painted.extend({
  options: { weight: 1.5 },
  initialize: function (latlng, options) {
    Painted.prototype.initialize.call(this, latlng, options);
    this._radius = options.radius;  // over 10 px: its popup opens where it is clicked, as a circle's
  },
  /* Its box: the circle and the click tolerance round it (Leaflet's for a circle marker). */
  _updateBounds: function () {
    var reach = this._radius + this.options.weight / 2;
    this._pxBounds = L.bounds(this._point.subtract([reach, reach]), this._point.add([reach, reach]));
  },
  paint: function (ctx) {
    var made = ringPicture(this), p = this._point;
    copy(ctx, made, p.x - made.reach, p.y - made.reach);
  },
  _containsPoint: function (p) {
    return p.distanceTo(this._point) <= this._radius + this.options.weight / 2;
  },
  clientBox: function (frame, at) {
    var p = at(this._latlng), reach = this.options.radius + 1;
    var x = frame.left + frame.pane.x + p.x, y = frame.top + frame.pane.y + p.y;
    return { left: x - reach, top: y - reach, right: x + reach, bottom: y + reach };
  }
});

function ringPicture(ring) {
  var status = cell(ring.spec, "status", ring.i) || "", colour = kindColour(ring.spec), p = colours();
  var radius = Math.max(Math.round(ring._radius), 1);
  var key = [colour, status, radius, ring.focused ? 1 : 0, ring.selected ? 1 : 0, ring.highlighted ? 1 : 0].join(" ");
  var made = p.looks.get(key);
  if (made) return made;
  var former = status === "former" ? 0.55 : 1, weight = ring.selected || ring.focused ? 4 : 1.5;
  var reach = Math.ceil(radius + weight);  // whole pixels: the centre stays on the point's pixel
  made = picture(2 * reach, 2 * reach, function (ctx) {
    if (ring.highlighted) {
      ctx.shadowColor = "#ffd400";
      ctx.shadowBlur = 3;
    }
    ctx.beginPath();
    ctx.arc(reach, reach, radius, 0, 2 * Math.PI);
    var shown = former < 1 ? grey(colour) : colour;
    if (status !== "planned") {
      ctx.globalAlpha = 0.35 * former;
      ctx.fillStyle = shown;
      ctx.fill();
    }
    ctx.globalAlpha = former;
    ctx.lineWidth = weight;
    ctx.strokeStyle = ring.focused ? p.focus : shown;
    ctx.setLineDash(status === "planned" ? [4, 3] : []);
    ctx.stroke();
  });
  made.reach = reach;
  p.looks.set(key, made);
  return made;
}

/* A colour without its hue (grayscale(1)'s weights). */
function grey(hex) {
  var v = parseInt(hex.slice(1), 16), g = Math.round(0.2126 * (v >> 16) + 0.7152 * (v >> 8 & 255) + 0.0722 * (v & 255));
  return "rgb(" + g + "," + g + "," + g + ")";
}

/* The layer's one Tab stop: a listbox over its marks (no element of theirs), the current mark named
 * by aria-activedescendant; arrows move in the order the marks were drawn (the DOM markers' Tab
 * order), among those in view; Enter or Space opens the popup, Escape (a11y.js) closes it and
 * focus comes back here. */
var keyOpened = null;  // the mark (and view) whose popup the keyboard is opening
var tabStops = 0;

function keysOf(entry, title) {
  if (entry.keys) return entry.keys;
  var map = dm.map, box = el("div", "dm-marks"), option = el("div"), n = tabStops++;
  var keys = entry.keys = { box: box, option: option, marks: [], current: null, n: n };
  box.tabIndex = 0;
  box.setAttribute("role", "listbox");
  box.setAttribute("aria-label", title);
  option.setAttribute("role", "option");
  option.setAttribute("aria-selected", "true");
  box.appendChild(option);
  // out of sight, not out of reach: the ring on the canvas shows where focus is
  box.style.cssText = "position:absolute;left:0;top:0;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);";
  map.getContainer().insertBefore(box, map._controlContainer);
  box.addEventListener("focus", function () {
    var shown = inViewMarks(keys);
    show(keys, shown.indexOf(keys.current) >= 0 ? keys.current : shown[0]);
  });
  box.addEventListener("blur", function () {
    if (keys.current) keys.current.mark("focused", false);
  });
  box.addEventListener("keydown", function (e) { onMarksKey(keys, e); });
  map.on("layeradd layerremove", function (e) {
    if (e.layer === entry.group) box.hidden = !map.hasLayer(entry.group);
  });
  return keys;
}

/* The layer's marks on the map and in view, in order. */
function inViewMarks(keys) {
  var map = dm.map, bounds = map.getBounds();
  return keys.marks.filter(function (m) { return map.hasLayer(m) && bounds.contains(m.getLatLng()); });
}

function show(keys, mark) {
  if (keys.current && keys.current !== mark) keys.current.mark("focused", false);
  keys.current = mark || null;
  if (!mark) {
    keys.option.removeAttribute("id");
    keys.option.textContent = "";
    keys.box.removeAttribute("aria-activedescendant");
    return;
  }
  mark.mark("focused", true);
  keys.option.id = "dm-mark-" + keys.n + "-" + keys.marks.indexOf(mark);
  keys.option.textContent = nameOf(mark.options.recordId) || String(mark.options.recordId);
  keys.box.setAttribute("aria-activedescendant", keys.option.id);
}

function onMarksKey(keys, e) {
  var shown = inViewMarks(keys), at = shown.indexOf(keys.current), to;
  if (e.key === "ArrowRight" || e.key === "ArrowDown") to = shown[Math.min(at + 1, shown.length - 1)];
  else if (e.key === "ArrowLeft" || e.key === "ArrowUp") to = shown[Math.max(at - 1, 0)];
  else if (e.key === "Home") to = shown[0];
  else if (e.key === "End") to = shown[shown.length - 1];
  else if ((e.key === "Enter" || e.key === " ") && keys.current && at >= 0) {
    e.preventDefault();
    keyOpened = { mark: keys.current, node: keys.box, center: dm.map.getCenter(), zoom: dm.map.getZoom() };
    keys.current.openPopup();
    return;
  } else return;
  e.preventDefault();
  e.stopPropagation();
  show(keys, to);
}

/* A popup of a painted mark is named by its record; opened by the keyboard it takes focus, and when
 * it closes (a11y.js onPopupClose) the view comes back and focus returns to the layer's stop. */
var openPopupDom = onPopupOpen;
onPopupOpen = function (e) {
  openPopupDom.call(this, e);
  var source = e.popup._source, box = e.popup.getElement();
  if (!source || !source.keys) return;
  box.setAttribute("aria-label", nameOf(source.options.recordId) || "");
  if (keyOpened && keyOpened.mark === source) {
    e.popup.dmOpener = { node: keyOpened.node, center: keyOpened.center, zoom: keyOpened.zoom };
    box.setAttribute("tabindex", "-1");
    box.focus({ preventScroll: true });
  }
  keyOpened = null;
};

/* A painted layer's group keeps its marks as its layers, but shows and hides them through their painter,
 * not the map's addLayer: no element, no events of their own, no projection each. (The group is the
 * one folium made, so it takes these methods itself.) Its marks share one map of event parents, the
 * group alone: Leaflet's addEventParent gives each its own object keyed by the group's id, and V8 keeps
 * such a key in an array as long as the id (the third group's is near 900), 3.2 MB for a thousand
 * marks, which the first view's collections copied as live data. */
var paintedGroup = {
  addLayer: function (layer) {
    if (!layer.painter) return L.FeatureGroup.prototype.addLayer.call(this, layer);
    if (this.hasLayer(layer)) return this;
    if (!this.dmParents) {
      this.dmParents = {};
      this.dmParents[L.stamp(this)] = this;
    }
    layer._eventParents = this.dmParents;  // Leaflet's own field: its events reach the group as before
    this._layers[L.stamp(layer)] = layer;
    if (this._map) layer.painter.show(layer, this._map);
    return this;
  },
  removeLayer: function (layer) {
    if (layer in this._layers) layer = this._layers[layer];
    if (!layer.painter) return L.FeatureGroup.prototype.removeLayer.call(this, layer);
    if (!this.hasLayer(layer)) return this;
    layer._eventParents = null;  // not removeEventParent: that would empty the map its group's marks share
    delete this._layers[L.stamp(layer)];
    layer.painter.hide(layer);
    return this;
  },
  onAdd: function (map) {
    this.eachLayer(function (layer) {
      if (layer.painter) layer.painter.show(layer, map);
      else map.addLayer(layer);
    });
  },
  onRemove: function (map) {
    this.eachLayer(function (layer) {
      if (layer.painter) layer.painter.hide(layer);
      else map.removeLayer(layer);
    });
  }
};

/* A painted layer: a mark per record, each one of the group's layers (so the timeline, the layer
 * control, the fit, the story and the order of battle find it as they find a marker). */
function paintMarks(group, spec, circles) {
  var map = dm.map, entry = dm.layers.get(spec.title), keys = keysOf(entry, spec.title);
  var painter = sheet(map).painters[circles ? "circles" : "symbols"];
  L.extend(group, paintedGroup);
  for (var i = 0; i < spec.lat.length; i++) {
    var id = cell(spec, "id", i), at = latLng(spec, i), code = cell(spec, "symbol", i);
    if (code && !symbolImages.has(code)) app6(code);  // the page's sprite, which the key's symbols use
    if (code) symbolImage(code);
    var mark = circles ?
      new Ring(at, { radius: spec.radius[i], recordId: id, stack: UNDER.circles + keys.marks.length }) :
      new Mark(at, { recordId: id, stack: Math.round(map.project(at, STACK_ZOOM).y) });
    mark.spec = spec;
    mark.i = i;
    mark.former = cell(spec, "status", i) === "former";
    mark.keys = keys;
    painter.adopt(mark);
    remember(id, mark);
    keys.marks.push(mark);
    group.addLayer(mark);
  }
  return spec.lat.length;
}

var markersDom = DRAW.markers, circlesDom = DRAW.circles;
DRAW.markers = function (group, spec) {
  return spec.canvas && !dm.still ? paintMarks(group, spec, false) : markersDom(group, spec);
};
DRAW.circles = function (group, spec) {
  return spec.canvas && !dm.still ? paintMarks(group, spec, true) : circlesDom(group, spec);
};

/* The first view's fit (view.js) paints once it is home: its rounds had the whole canvas painted four
 * times, a third of the page's script before it was ready. */
var goHomeDom = goHome;
goHome = function () {
  goHomeDom();
  sheets.forEach(function (canvas) { canvas.payOwed(); });
};

/* labels.js fans a painted mark out by its offset, not by margins. */
var fanDom = fan;
fan = function (layer, offset) {
  if (layer.fanTo) layer.fanTo(offset);
  else fanDom(layer, offset);
};

/* The page boxes of the painted marks on the map and their shown labels, of the records ``wanted``
 * holds (every record when it is null). */
function paintedBoxes(wanted) {
  var map = dm.map, frame = map.getContainer().getBoundingClientRect(), boxes = [], at = layerPointer(map);
  frame = { left: frame.left, top: frame.top, pane: map._getMapPanePos() };  // a mark's container point: its layer point and the pane's
  dm.layers.forEach(function (entry) {
    var marks = entry.keys ? entry.keys.marks : [];
    for (var k = 0; k < marks.length; k++) {  // a plain loop: the first view's code is not yet compiled
      var m = marks[k];
      if ((!wanted || wanted[m.options.recordId]) && m._map === map) boxes.push(m.clientBox(frame, at));
    }
  });
  return paintedLabels ? boxes.concat(paintedLabels.clientBoxes(wanted, frame)) : boxes;
}

/* The fit (view.js) keeps painted marks inside the frame as it keeps markers: by their boxes. */
var subjectBoxesDom = subjectBoxes;
subjectBoxes = function (ids, measured) {
  return subjectBoxesDom(ids, measured).concat(paintedBoxes(wanting(ids)));
};

/* Edge words (edges.js) keep clear of painted marks and labels as of markers and labels. */
var coveredBoxesDom = coveredBoxes;
coveredBoxes = function () {
  return coveredBoxesDom().concat(paintedBoxes(null));
};

/* A story's step highlights its painted marks too. */
var highlightDom = highlight;
highlight = function (ids) {
  highlightDom(ids);
  Object.keys(byRecord).forEach(function (id) {
    if (byRecord[id].mark) byRecord[id].mark("highlighted", ids.indexOf(id) >= 0);
  });
};

/* The order of battle's selected node shows its painted mark outlined. */
var selectedMark = null, orbatMarkDom = orbatMark;
orbatMark = function (item, layer) {
  orbatMarkDom(item, layer);
  if (selectedMark) selectedMark.mark("selected", false);
  selectedMark = layer && layer.mark ? layer : null;
  if (selectedMark) selectedMark.mark("selected", true);
};

/* The labels on a canvas too, over the marks: labels.js's placement, clip and leaders as they are,
 * each label a plain record its setStyle and moveTo write to as to a node, painted with the font,
 * colours, background and halo page.css gives a DOM label (read once from one hidden label a kind). */
function unplaced() {
  return { style: { display: "none", visibility: "" } };
}

/* A kind of label's look: its font, line height, colours, letter spacing and text shadows. */
function labelStyle(kind) {
  return labelStyles([kind])[kind];
}

/* The looks of these kinds of label, read from one hidden label a kind not read yet, all in one
 * style read (each probe added and read in turn was a style recalculation of its own). */
function labelStyles(kinds) {
  var p = colours(), styles = p.labels = p.labels || {}, unread = {};
  kinds.forEach(function (kind) { if (!styles[kind]) unread[kind] = true; });
  var probes = Object.keys(unread).map(function (kind) {
    var probe = el("div", "dm-label dm-label-" + kind, "x");
    probe.style.visibility = "hidden";
    dm.map.getPanes().markerPane.appendChild(probe);
    return [kind, probe];
  });
  probes.forEach(function (made) {
    var c = window.getComputedStyle(made[1]), size = parseFloat(c.fontSize);
    var shadows = c.textShadow === "none" ? [] : c.textShadow.split(/,(?![^(]*\))/).map(function (s) {
      var colour = /rgba?\([^)]*\)|#\w+/.exec(s), px = s.match(/-?[\d.]+px/g) || [];
      return [colour ? colour[0] : p.halo, px.length > 2 ? parseFloat(px[2]) : 0];
    });
    styles[made[0]] = {
      font: c.fontStyle + " " + c.fontWeight + " " + c.fontSize + " " + c.fontFamily, colour: c.color,
      background: c.backgroundColor, radius: parseFloat(c.borderTopLeftRadius) || 0,
      line: parseFloat(c.lineHeight) || Math.round(size * 1.2),
      spacing: c.letterSpacing === "normal" ? "0px" : c.letterSpacing,
      pad: [parseFloat(c.paddingLeft) || 0, parseFloat(c.paddingTop) || 0], shadows: shadows
    };
  });
  probes.forEach(function (made) { made[1].remove(); });
  return styles;
}

/* A label drawn once into its own small canvas (its halo's blur is the costly part of painting it),
 * again only when the page's colours change. */
function labelPicture(item) {
  var p = colours();
  if (item.picture && item.pictureIn === p) return item.picture;
  var s = labelStyle(item.kind), e = item.extent;
  item.picture = picture(e[2], e[3], function (ctx) {
    if (s.background !== "rgba(0, 0, 0, 0)") {
      ctx.fillStyle = s.background;
      ctx.beginPath();
      ctx.roundRect(0, 0, e[2], e[3], s.radius);
      ctx.fill();
    }
    ctx.font = s.font;
    ctx.letterSpacing = s.spacing;
    ctx.fillStyle = s.colour;
    var m = ctx.measureText(item.text), ascent = m.fontBoundingBoxAscent, descent = m.fontBoundingBoxDescent;
    var x = s.pad[0], y = s.pad[1] + (s.line - ascent - descent) / 2 + ascent;
    s.shadows.forEach(function (h) {
      ctx.shadowColor = h[0];
      ctx.shadowBlur = h[1];
      ctx.fillText(item.text, x, y);
    });
    ctx.shadowColor = "transparent";
    ctx.fillText(item.text, x, y);
  });
  item.pictureIn = p;
  return item.picture;
}

var PaintedLabels = Labels.extend({
  /* The plan's labels as items with no element, painted by two sheets of the map's canvas; a record's
   * made when a zoom first shows it (labels.js update: at 1,000 records the first view shows none).
   * kinds: the kinds of label the plan has, their looks read together at the first measure. */
  made: function (map) {
    this.lines = [];
    this.sheets = [new Sheet(this.paintLeaders.bind(this), { renderer: sheet(map), stack: UNDER.leaders }),
      new Sheet(this.paint.bind(this), { renderer: sheet(map), stack: UNDER.labels })];
    this.sheets.forEach(function (s) { map.addLayer(s); });
    var kinds = this.kinds = [];
    return plan.marks.map(function (m) {
      if (m[3] && kinds.indexOf(m[4]) < 0) kinds.push(m[4]);
      return m[3] && m[4] !== "record" ? this.item(m) : null;
    }, this);
  },
  /* A mark's label as a plain record (setStyle and moveTo write to it as to a node). */
  item: function (m) {
    return { label: unplaced(), place: m[4] !== "record", text: m[3], kind: m[4], id: m[0],
      dot: m[4] === "city" ? unplaced() : null };
  },
  unmade: function (map) {
    this.sheets.forEach(function (s) { map.removeLayer(s); });
  },
  /* A label's box round its place, from its text's width: no layout. */
  measure: function (items) {
    var ctx = measuring(), set = null;
    labelStyles(this.kinds);  // one style read for every kind, a record's not made yet among them
    items.forEach(function (item) {
      var s = labelStyle(item.kind);
      if (set !== s) {  // a font set is parsed again: once a run of one kind's labels, not once a label
        ctx.font = s.font;
        ctx.letterSpacing = s.spacing;
        set = s;
      }
      item.extent = [0, 0, ctx.measureText(item.text).width + 2 * s.pad[0], s.line + 2 * s.pad[1]];
    });
  },
  clip: function () {
    Labels.prototype.clip.call(this);
    this.sheets.forEach(function (s) { s.redraw(); });
  },
  /* The leaders, painted under the symbols as the DOM's are (labels.js draw). */
  draw: function (lines) {
    this.lines = lines;
  },
  paintLeaders: function (ctx) {
    if (!this.lines.length) return;
    ctx.save();
    ctx.strokeStyle = "#555";
    ctx.lineWidth = 0.8;
    ctx.setLineDash([]);
    ctx.beginPath();
    this.lines.forEach(function (l) {
      ctx.moveTo(l[0], l[1]);
      ctx.lineTo(l[2], l[3]);
    });
    ctx.stroke();
    ctx.restore();
  },
  shown: function (item) {
    return item && item.label.style.display !== "none" && item.label.style.visibility !== "hidden";
  },
  /* Each shown label's picture (and a city's dot), in the plan's order: the later on top. */
  paint: function (ctx) {
    this.items.forEach(function (item) {
      if (!this.shown(item)) return;
      var p = item.label._leaflet_pos;
      if (item.dot) {
        var d = item.dot._leaflet_pos;
        ctx.fillStyle = "#555";
        ctx.beginPath();
        ctx.arc(d.x, d.y, 2, 0, 2 * Math.PI);
        ctx.fill();
      }
      copy(ctx, labelPicture(item), p.x, p.y);
    }, this);
  },
  /* The shown labels of these records as boxes on the page (for the fit). */
  clientBoxes: function (wanted, frame) {
    var map = this._map;
    return this.items.filter(function (item) { return this.shown(item) && (!wanted || wanted[item.id]); }, this).map(function (item) {
      var p = map.layerPointToContainerPoint(item.label._leaflet_pos), e = item.extent;
      return { left: frame.left + p.x + e[0], top: frame.top + p.y + e[1], right: frame.left + p.x + e[2],
        bottom: frame.top + p.y + e[3] };
    });
  }
});

/* Everything of one kind (the labels, the leaders) as one path of the canvas, painted whenever it is. */
var Sheet = L.Path.extend({
  options: { interactive: false },
  initialize: function (paint, options) {
    L.setOptions(this, options);
    this.paint = paint;
  },
  _project: function () {
    this._pxBounds = L.bounds([-1e9, -1e9], [1e9, 1e9]);
  },
  _update: function () {},
  _updatePath: function () {
    if (this._renderer._drawing) this.paint(this._renderer._ctx);
  },
  _containsPoint: function () {
    return false;
  }
});

/* A still picture keeps the labels as text, as it keeps the markers as vectors. */
var paintedLabels = null, labelsDom = dm.labels;
dm.labels = function (p, placements) {
  if (dm.still) return labelsDom(p, placements);
  plan = handed(p, placements);
  paintedLabels = new PaintedLabels();
  dm.map.addLayer(paintedLabels);
};
