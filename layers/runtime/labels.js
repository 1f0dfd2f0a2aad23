/* Labels, a desk's notes, reference places and fanned-out markers, placed at build time for every
 * zoom (layers/labels.py): after each zoom the page shows the placement of the nearest zoom step at or
 * below it; nothing is measured or compared here. A view the build knew of (a state of the timeline,
 * a story step) has its own placement, chosen by the records off the map and the step. Markers that
 * share a place move onto a small ring, with a thin leader back to their true point; labels that had
 * to stand off their marker get one too. */
var plan = null;
var byRecord = Object.create(null);  // record id -> its Leaflet marker or circle
var SVG = "http://www.w3.org/2000/svg";

/* Remember the layer that draws a record, so its marker can be fanned out and its label follow. */
function remember(id, layer) {
  byRecord[id] = layer;
}

function pane(name, z) {
  var p = dm.map.getPane(name) || dm.map.createPane(name);
  p.style.zIndex = z;
  return p;
}

/* Move a marker by [dx, dy] pixels from its point (null: back on it), its click area and keyboard
 * focus with it, by the icon's margins (which Leaflet sets once from the anchor); circles never move. */
function fan(layer, offset) {
  var icon = layer.badge && layer.getElement();
  if (!icon) return;
  var o = offset || [0, 0], anchor = layer.options.icon.options.iconAnchor;
  // written only when it moves: a write restyles the marker, at every one of a thousand updates
  if (icon.dmFan === o[0] + " " + o[1]) return;
  icon.dmFan = o[0] + " " + o[1];
  icon.style.marginLeft = (o[0] - anchor[0]) + "px";
  icon.style.marginTop = (o[1] - anchor[1]) + "px";
  if (layer.getPopup()) layer.getPopup().options.offset = L.point(o[0], o[1] + 7);
}

/* A map's latLngToLayerPoint at its present view, without the LatLng and the three Points it makes
 * a call: the numbers worked out as Leaflet's Web Mercator does (shapes.js mercator), for the
 * thousand marks projected together at every zoom and at each of the fit's rounds. */
function layerPointer(map) {
  if (map.options.crs !== L.CRS.EPSG3857) return function (ll) { return map.latLngToLayerPoint(ll); };
  var at = mercator(map);
  return function (ll) { return new L.Point(at.x(ll.lng), at.y(ll.lat)); };
}

/* Where a mark at layer point p is drawn: there, or on its ring (the ring's centre, then the offset
 * on it); at: the view's layerPointer. */
function drawnAt(at, p, ring) {
  return ring ? at({ lat: ring[0], lng: ring[1] }).add([ring[2], ring[3]]) : p;
}

/* A label or dot's style and place are written only when they change: every write restyles it, and a
 * thousand labels are placed again at every zoom and clipped again at every move. */
function setStyle(node, name, value) {
  if (node.style[name] !== value) node.style[name] = value;
}

function moveTo(node, p) {
  if (!L.DomUtil.getPosition(node).equals(p)) L.DomUtil.setPosition(node, p);
}

/* A placement as the page writes it (labels.py page_placement: flat, indexes as steps, offsets as
 * spots) as the runtime reads it: labels [[index, dx, dy, leader or null]], fan {index: [lat, lon, dx,
 * dy]} (none in a view that keeps the map's), the count with no room, a view's "off". */
function unpacked(a) {
  var leaders = Object.create(null), labels = [], spots = a.spots, i = 0, k, s, fan;
  for (k = 0; k < a.leaders.length; k += 3) leaders[a.leaders[k]] = [0, 0, a.leaders[k + 1], a.leaders[k + 2]];
  for (k = 0; k < a.labels.length; k += 2) {
    i += a.labels[k];
    s = 2 * a.labels[k + 1];
    labels.push([i, spots[s], spots[s + 1], leaders[i] || null]);
  }
  if (a.fan) {
    fan = Object.create(null);
    for (k = 0, i = 0; k < a.fan.length; k += 3) {
      i += a.fan[k];
      var r = 2 * a.fan[k + 1];
      s = 2 * a.fan[k + 2];
      fan[i] = [a.rings[r], a.rings[r + 1], spots[s], spots[s + 1]];
    }
  }
  return { labels: labels, fan: fan, hidden: a.hidden, off: a.off };
}

/* The placement of the nearest step at or below ``zoom`` (the lowest below them all), and that step;
 * its JSON text parsed the first time a view shows it. */
function stepAt(p, zoom) {
  var step = p.steps.filter(function (z) { return z <= zoom; }).pop();
  if (step === undefined) step = p.steps[0];
  var key = String(step);
  if (!p.zooms[key]) p.zooms[key] = unpacked(JSON.parse(p.texts[key]));
  return { step: step, at: p.zooms[key] };
}

/* The plan with the JSON text of each placement (labels.py LabelPlan: a line each, the map's own at
 * each of its steps, then each view's at its own), by zoom step, beside the "zooms" that stepAt fills. */
function handed(p, placements) {
  var lines = placements.split("\n"), next = 0;
  [p].concat(p.views || []).forEach(function (v) {
    v.zooms = Object.create(null);
    v.texts = Object.create(null);
    v.steps.forEach(function (z) { v.texts[String(z)] = lines[next++]; });
  });
  return p;
}

/* The view's placement (labels.py View) for the records now off the map (``absent``: their indexes,
 * joined) at ``zoom``: a story step's own while that step is shown and the zoom one its fit may take,
 * else the timeline state's, else none (null). Written as changes to the map's own placement. */
function viewAt(absent, zoom) {
  var views = (plan.views || []).filter(function (v) { return v.absent.join() === absent; });
  var own = views.filter(function (v) {
    return v.step && v.step === dm.step && zoom >= v.steps[0] && zoom < v.steps[v.steps.length - 1] + 0.25;
  })[0] || views.filter(function (v) { return !v.step; })[0];
  if (!own) return null;
  var mine = stepAt(own, zoom), base = stepAt(plan, mine.step + 1e-6).at, moved = Object.create(null);
  mine.at.labels.concat(mine.at.off.map(function (i) { return [i]; })).forEach(function (l) { moved[l[0]] = true; });
  return { fan: mine.at.fan || base.fan, hidden: mine.at.hidden,
    labels: base.labels.filter(function (l) { return !moved[l[0]]; }).concat(mine.at.labels) };
}

/* The map's controls (zoom buttons, layer list, scale) as boxes in the map's own pixels. */
function controlBoxes(map) {
  var frame = map.getContainer().getBoundingClientRect();
  return pageBoxes(".leaflet-control", map.getContainer()).map(function (r) {
    return { left: r.left - frame.left, top: r.top - frame.top, right: r.right - frame.left, bottom: r.bottom - frame.top };
  }).filter(function (r) { return r.right > r.left; });
}

var Labels = L.Layer.extend({
  onAdd: function (map) {
    this.items = this.made(map);
    this.records = plan.marks.filter(function (m) { return m[3] && m[4] === "record"; }).length;
    this.note = L.control({ position: "bottomright" });  // bottom left is the order of battle's
    this.note.onAdd = function () { return el("div", "dm-more-labels"); };
    this.note.addTo(map);
    map.on("zoomend viewreset overlayadd overlayremove", this.update, this);
    map.on("moveend resize", this.clip, this);
    this.update();
  },
  onRemove: function (map) {
    map.off("zoomend viewreset overlayadd overlayremove", this.update, this);
    map.off("moveend resize", this.clip, this);
    this.unmade(map);
    this.note.remove();
  },
  /* The plan's labels as elements in their pane (null for a mark with none), and the leaders' SVG. */
  made: function () {
    this.box = L.DomUtil.create("div", "dm-labels leaflet-zoom-hide", pane("dmLabels", 620));
    this.svg = document.createElementNS(SVG, "svg");
    this.svg.setAttribute("class", "dm-leaders leaflet-zoom-hide");
    pane("dmLeaders", 590).appendChild(this.svg);
    return plan.marks.map(function (m) { return m[3] ? this.item(m) : null; }, this);
  },
  /* A mark's label (and a city's dot), in the labels' pane after those made before it. */
  item: function (m) {
    var item = { label: el("div", "dm-label dm-label-" + m[4], m[3]), place: m[4] !== "record" };
    item.label.setAttribute("data-label", m[0]);
    this.box.appendChild(item.label);
    if (m[4] === "city") item.dot = this.box.appendChild(el("div", "dm-place-dot"));
    return item;
  },
  unmade: function () {
    L.DomUtil.remove(this.box);
    L.DomUtil.remove(this.svg);
  },
  update: function (e) {
    var map = this._map, zoom = map.getZoom() + 1e-6;
    // zoomend, then viewreset for the same view: placed once
    var view = map.getZoom() + " " + map.getPixelOrigin();
    if (e && e.type === "viewreset" && view === this.view) return;
    this.view = view;
    var below = zoom < plan.min;
    var project = layerPointer(map);
    function on(m) { var layer = byRecord[m[0]]; return !layer || map.hasLayer(layer); }
    // the placement of the nearest step at or below this zoom (points only stand further apart), the
    // view's own when the build placed one for the records now off the map
    var at = stepAt(plan, zoom).at, lines = [], shown = 0;
    if (plan.views) {
      var absent = [];
      plan.marks.forEach(function (m, i) { if (!on(m)) absent.push(i); });
      at = viewAt(absent.join(), zoom) || at;
    }
    var shownAt = [];
    plan.marks.forEach(function (m, i) {
      var layer = byRecord[m[0]], ring = below ? null : at.fan[i] || null;
      var p = project({ lat: m[1], lng: m[2] }), q = drawnAt(project, p, ring);
      shownAt[i] = q;
      if (!layer) return;
      fan(layer, ring ? [q.x - p.x, q.y - p.y] : null);
      if (ring && map.hasLayer(layer)) lines.push([p.x, p.y, q.x, q.y]);
    });
    var wanted = [];  // where each shown label goes
    (below ? [] : at.labels).forEach(function (lab) {
      var m = plan.marks[lab[0]];
      if (!on(m)) return;
      var p = shownAt[lab[0]];
      wanted[lab[0]] = p.add([lab[1], lab[2]]);
      if (lab[3]) lines.push([p.x + lab[3][0], p.y + lab[3][1], p.x + lab[3][2], p.y + lab[3][3]]);
      if (m[4] === "record") shown++;
    });
    // a label not made yet is made when first shown
    wanted.forEach(function (p, i) { if (!this.items[i]) this.items[i] = this.item(plan.marks[i]); }, this);
    this.items.forEach(function (item, i) {
      if (!item) return;
      setStyle(item.label, "display", wanted[i] ? "" : "none");
      if (wanted[i]) moveTo(item.label, wanted[i]);
      if (!item.dot) return;
      setStyle(item.dot, "display", wanted[i] ? "" : "none");
      if (wanted[i]) moveTo(item.dot, shownAt[i]);
    });
    this.draw(lines);
    this.clip();
    var hidden = below ? this.records : at.hidden;
    var note = this.note.getContainer();
    note.textContent = hidden ? dm.messages[hidden > 1 ? "more_labels" : "more_label"].replace("{count}", hidden) : "";
    note.style.display = hidden ? "" : "none";
    dm.labelsShown = shown;
  },
  /* A label the map's edge would cut shows only when the view holds all of it (a containment test
   * per shown label, never a comparison between labels); a reference place's name under a control
   * (the zoom buttons, the layer list) is hidden rather than read half covered. */
  clip: function () {
    var map = this._map, size = map.getSize();
    var shown = this.items.filter(function (item) { return item && item.label.style.display !== "none"; });
    this.measure(shown.filter(function (item) { return !item.extent; }));
    // the controls' boxes only when a reference place is shown: those read with the labels' extents
    // if nothing has moved since, else read now (a layout after the moves)
    var controls = !shown.some(function (item) { return item.place; }) ? [] : this.controls || controlBoxes(map);
    this.controls = null;
    shown.forEach(function (item) {
      var p = map.layerPointToContainerPoint(L.DomUtil.getPosition(item.label)), e = item.extent;
      if (!e) return;  // not drawn: nothing to cut
      var box = { left: p.x + e[0], top: p.y + e[1], right: p.x + e[2], bottom: p.y + e[3] };
      var cut = box.right > 0 && box.left < size.x && box.bottom > 0 && box.top < size.y &&
        (box.left < 0 || box.right > size.x || box.top < 0 || box.bottom > size.y);
      var covered = item.place && controls.some(function (c) { return overlap(box, c) > 0; });
      // a city's dot in view goes with its name: not a dot whose name lies beyond the edge
      var away = box.right <= 0 || box.left >= size.x || box.bottom <= 0 || box.top >= size.y;
      var visibility = cut || covered || (item.dot && away) ? "hidden" : "";
      setStyle(item.label, "visibility", visibility);
      if (item.dot) setStyle(item.dot, "visibility", visibility);
    });
  },
  /* A label's extent round its position is measured once (its text never changes), every box
   * measured before any label changes: one layout for them all, none at later moves. A label not
   * drawn (the map hidden) is measured when it is. */
  measure: function (items) {
    if (!items.length) return;
    var map = this._map, frame = map.getContainer().getBoundingClientRect();
    this.controls = controlBoxes(map);  // in the same layout, for the clip that follows
    items.map(function (item) { return item.label.getBoundingClientRect(); }).forEach(function (r, i) {
      if (!r.width) return;
      var p = map.layerPointToContainerPoint(L.DomUtil.getPosition(items[i].label));
      items[i].extent = [r.left - frame.left - p.x, r.top - frame.top - p.y, r.right - frame.left - p.x,
        r.bottom - frame.top - p.y];
    });
  },
  /* The leaders, every one a segment of one path: one attribute written when any moves, not four
   * per line of a thousand at every zoom. */
  draw: function (lines) {
    var path = this.svg.firstChild || this.svg.appendChild(document.createElementNS(SVG, "path"));
    var d = lines.map(function (l) { return "M" + l[0] + " " + l[1] + "L" + l[2] + " " + l[3]; }).join("");
    if (path.getAttribute("d") !== d) path.setAttribute("d", d);
  }
});

/* The page hands over its plan once every layer is drawn. */
dm.labels = function (p, placements) {
  plan = handed(p, placements);
  dm.map.addLayer(new Labels());
};
