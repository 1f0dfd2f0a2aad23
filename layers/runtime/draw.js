/* Drawing layer specs (JSON data) as Leaflet markers, circles, lines and areas. */
var SYMBOLS = { base: "\u25A0", command: "\u2605", deployment: "\u25C6", event: "\u25CF" };

/* Markers stack as Leaflet stacks them, the more southern on top, but by where they lie at one fixed
 * fine zoom (about 2 m a pixel), so a marker's z-index is written once, not again for each of a
 * thousand markers at every zoom frame (Leaflet writes it from the marker's pixel row at each zoom). */
var STACK_ZOOM = 16;
var UNDER_MARKERS = -(256 << STACK_ZOOM);  // an offset taking a marker below every other, whatever its latitude

L.Marker.prototype._setPos = function (pos) {
  L.DomUtil.setPosition(this._icon, pos);
  if (this._shadow) L.DomUtil.setPosition(this._shadow, pos);
  if (this._stackedAt !== this._latlng) {
    this._stackedAt = this._latlng;
    this._stackRow = Math.round(this._map.project(this._latlng, STACK_ZOOM).y);
  }
  this._zIndex = this._stackRow + this.options.zIndexOffset;
  this._resetZIndex();
};

L.Marker.prototype._updateZIndex = function (offset) {
  var z = this._zIndex + offset, icon = this._icon;
  if (icon && icon.dmZ !== z) {
    icon.dmZ = z;
    icon.style.zIndex = z;
  }
};

/* A planned record is drawn hollow or dashed, a former one greyed (page.css): its class, or "". */
function statusClass(spec, i) {
  var status = cell(spec, "status", i);
  return status === "planned" || status === "former" ? " dm-" + status : "";
}

function icon(spec, i, badge) {
  var symbol = app6(cell(spec, "symbol", i));
  if (symbol) badge.classList.add("dm-app6");
  badge.style.color = spec.color;
  var date = cell(spec, "badge", i);
  badge.appendChild(symbol ? symbol.svg : el("span", "dm-glyph", SYMBOLS[spec.kind] || "\u25CF"));
  if (date) badge.appendChild(el("span", "dm-badge", date));
  badge.setAttribute("data-record", cell(spec, "id", i));
  badge.className += statusClass(spec, i);
  // the icon's own box stays on the point when the symbol fans out: only the symbol takes clicks
  var anchor = symbol ? symbol.anchor : [9, 9];
  return L.divIcon({
    html: badge, className: "dm-icon dm-marker", iconSize: null, iconAnchor: anchor, popupAnchor: [0, 3 - anchor[1]]
  });
}

/* The page's APP-6 symbols (deploymap.symbols: SVG that the build drew from checked codes) parsed as
 * SVG data, each once, into a hidden sprite of <symbol>s; a marker or a legend key draws one with <use>.
 * Returns {svg, anchor} for ``code``, or null when the page has no such symbol. */
var SVG_NS = "http://www.w3.org/2000/svg";

function app6(code) {
  var defs = dm.symbols || [];
  if (!code || !defs.length) return null;
  if (!dm.sprite) {
    dm.sprite = document.createElementNS(SVG_NS, "svg");
    dm.sprite.setAttribute("class", "dm-sprite");
    dm.sprite.setAttribute("aria-hidden", "true");
    defs.forEach(function (def, n) {
      var drawn = new DOMParser().parseFromString(def.svg, "image/svg+xml").documentElement;
      var symbol = document.createElementNS(SVG_NS, "symbol");
      symbol.setAttribute("id", "dm-sym-" + n);
      symbol.setAttribute("viewBox", drawn.getAttribute("viewBox"));
      while (drawn.firstChild) symbol.appendChild(document.adoptNode(drawn.firstChild));
      dm.sprite.appendChild(symbol);
    });
    document.body.appendChild(dm.sprite);
  }
  for (var n = 0; n < defs.length; n++) {
    if (defs[n].code !== code) continue;
    var svg = document.createElementNS(SVG_NS, "svg"), use = document.createElementNS(SVG_NS, "use");
    svg.setAttribute("class", "dm-app6-symbol");
    svg.setAttribute("width", defs[n].size[0]);
    svg.setAttribute("height", defs[n].size[1]);
    svg.setAttribute("data-sidc", code);
    use.setAttribute("href", "#dm-sym-" + n);
    svg.appendChild(use);
    return { svg: svg, anchor: defs[n].anchor };
  }
  return null;
}

function drawMarkers(group, spec) {
  for (var i = 0; i < spec.lat.length; i++) {
    var badge = el("div", "dm-symbol dm-" + spec.kind);
    var marker = L.marker(latLng(spec, i), {
      icon: icon(spec, i, badge), recordId: cell(spec, "id", i), keyboard: true,
      title: cell(spec, "name", i) || "", alt: cell(spec, "name", i) || ""
    });
    marker.badge = badge;
    marker.bindPopup(popupContent.bind(null, spec, i), { maxWidth: 320 });
    remember(cell(spec, "id", i), marker);
    group.addLayer(marker);
  }
  return spec.lat.length;
}

/* A circle's path is a keyboard stop too: Enter or Space opens its popup, as on a marker (a11y.js). */
function focusable(layer, name) {
  layer.on("add", function () {
    var path = layer.getElement();
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "button");
    path.setAttribute("aria-label", name || "");
    path.setAttribute("data-record", layer.options.recordId);
  });
}

/* Circles in their own pane, above areas and lines: no ring or route drawn later swallows their clicks. */
function drawCircles(group, spec) {
  pane("dmCircles", 450);
  for (var i = 0; i < spec.lat.length; i++) {
    var circle = L.circleMarker(latLng(spec, i), {
      radius: spec.radius[i], color: spec.color, weight: 1.5, fillColor: spec.color,
      fillOpacity: 0.35, recordId: cell(spec, "id", i), className: "dm-circle" + statusClass(spec, i), pane: "dmCircles"
    });
    circle.bindPopup(popupContent.bind(null, spec, i), { maxWidth: 320 });
    focusable(circle, cell(spec, "name", i));
    remember(cell(spec, "id", i), circle);
    group.addLayer(circle);
  }
  return spec.lat.length;
}

function arrowIcon(angle, color) {
  var arrow = el("div", "dm-arrow", "\u27A4");
  arrow.style.transform = "rotate(" + angle + "deg)";
  arrow.style.color = color;
  return L.divIcon({ html: arrow, className: "dm-icon", iconSize: [16, 16], iconAnchor: [8, 8] });
}

function drawLines(group, spec) {
  spec.lines.forEach(function (line) {
    var path = L.polyline(line.coords, {
      color: spec.color, weight: spec.weight || 2.5, opacity: 0.9,
      // a planned line is dotted (a link is dashed already), a former one greyed (page.css)
      dashArray: line.status === "planned" ? "1 6" : spec.dash || null,
      className: "dm-line" + (line.status ? " dm-" + line.status : ""), line: line
    });
    path.bindTooltip(el("span", null, line.label), { sticky: true });
    group.addLayer(path);
    (line.arrows || []).forEach(function (a, leg) {
      // under every record's marker, whatever its latitude
      var m = L.marker([a[0], a[1]], {
        icon: arrowIcon(a[2], spec.color), interactive: true, keyboard: false, zIndexOffset: UNDER_MARKERS,
        leg: leg, route: line  // the timeline shows a leg's arrow once the leg has happened
      });
      if (a[3]) m.bindTooltip(el("span", null, a[3]), { direction: "top" });
      group.addLayer(m);
    });
  });
  return spec.lines.length;
}

/* Areas (countries, range rings) in a pane under every line and point. */
function drawAreas(group, spec) {
  pane("dmAreas", 350);
  spec.areas.forEach(function (area) {
    var shape = new Area(area.rings, {
      color: area.color, weight: 1, fillColor: area.color,
      fillOpacity: spec.opacity === undefined ? 0.45 : spec.opacity, className: "dm-area", pane: "dmAreas"
    });
    shape.bindTooltip(el("span", null, area.label), { sticky: true });
    group.addLayer(shape);
  });
  return spec.areas.length;
}

/* The base map's land in its own pane under the areas: on a canvas, or as SVG in a still picture, so a
 * PDF keeps it as vectors (print.js). */
function drawLand(group, spec) {
  pane("dmBase", 250);
  group.addLayer(new Land(spec.rings, {
    renderer: dm.still ? undefined : L.canvas({ padding: 0.1, pane: "dmBase" }), pane: "dmBase",
    color: spec.color, fillColor: spec.fill
  }));
  return spec.rings.length;
}

var DRAW = { markers: drawMarkers, circles: drawCircles, lines: drawLines, areas: drawAreas, land: drawLand };

dm.draw = function (group, spec) {
  var entry = dm.layers.get(spec.title) || { group: group, count: 0, specs: [] };
  dm.layers.set(spec.title, entry);
  entry.specs.push(spec);
  if (spec.type === "cloud") {
    entry.cloud = new Cloud(spec);
    group.addLayer(entry.cloud);
    entry.count += spec.count;
  } else {
    entry.count += DRAW[spec.type](group, spec);
  }
};
