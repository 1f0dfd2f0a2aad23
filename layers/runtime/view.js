/* The page around the map: compact small embeds, the first view. */
/* Small embeds: fold the dek, the key and the layer list so the map keeps the room; the key and
 * the layer list open on a tap. */
dm.compact = function () {
  // a frame's height follows its content, so only its width says it is small
  if (window.innerWidth > 560 && (dm.framed || window.innerHeight > 420)) return;
  document.body.classList.add("dm-compact");
  var key = document.querySelector("details.dm-legend");
  if (key) key.open = false;
  var control = document.querySelector(".leaflet-control-layers");
  if (!control) return;
  // Leaflet's toggle button already expands the list; a tap on the map folds it again
  var expanded = "leaflet-control-layers-expanded";
  control.classList.remove(expanded);
  dm.map.on("click", function () { control.classList.remove(expanded); });
  dm.map.invalidateSize({ animate: false });
};

function wanting(ids) {
  var wanted = {};
  ids.forEach(function (id) { wanted[id] = true; });
  return wanted;
}

/* The bounds to fit: the view's, stretched to where the subject's records are drawn (a country's
 * figure sits at its edge, not at the record's point). */
function subjectBounds(view) {
  var bounds = L.latLngBounds(view.bounds), wanted = wanting(view.subject || []);
  dm.layers.forEach(function (entry) {
    entry.group.eachLayer(function (layer) {
      if (layer.options && wanted[layer.options.recordId || layer.options.noteId] && layer.getLatLng) {
        bounds.extend(layer.getLatLng());
      }
    });
  });
  return bounds;
}

/* The screen boxes of what the subject's records show, and of any other record drawn at a point in
 * the map's present view (a base beside the meeting a step frames, a country's figure): markers,
 * circles and their visible labels, none to be cut by the frame's edge. A node's box is read once per
 * fit (all of them in one layout), as an offset from where Leaflet put it (its layer point) and its
 * own offsets (a fan's margins); at later rounds it follows them: moving or fanning out a thousand
 * markers asks for no layout. */
function subjectBoxes(ids, measured) {
  var wanted = wanting(ids), map = dm.map, nodes = [], size = map.getSize();
  function anchored(layer) {
    if (!layer.getLatLng) return false;
    var p = map.latLngToContainerPoint(layer.getLatLng());
    return p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y;
  }
  // where Leaflet put the node: a marker's icon, a label or a tooltip by its position, a circle's
  // path (drawn in layer pixels) by its centre; a label the map's edge cuts is hidden (labels.js
  // clip) but laid out, and counts: the fit makes room for it
  function add(node, layer) {
    if (!node || node.style.display === "none") return;
    node.dmPoint = node._leaflet_pos || (layer && layer._point) || null;
    nodes.push(node);
  }
  dm.layers.forEach(function (entry) {
    entry.group.eachLayer(function (layer) {
      if (layer.painter) return;  // a painted mark (richcanvas.js) has no node: the canvas gives its box
      var id = layer.options && (layer.options.recordId || layer.options.noteId);
      if (!id || !(wanted[id] || anchored(layer))) return;
      wanted[id] = true;  // its label too
      add(layer.getElement && layer.getElement(), layer);
      var tip = layer.getTooltip && layer.getTooltip();
      if (tip && tip.options.permanent) add(tip.getElement());
    });
  });
  // labels are drawn apart from their marker (labels.js) and name their record in data-label
  Array.prototype.forEach.call(document.querySelectorAll("[data-label]"), function (node) {
    if (wanted[node.getAttribute("data-label")]) add(node);
  });
  var frame = map.getContainer().getBoundingClientRect();
  function at(node) {  // the node's layer point on the screen, or null when Leaflet does not place it
    var pos = node.dmPoint;
    return pos ? map.layerPointToContainerPoint(pos).add([frame.left, frame.top]) : null;
  }
  // how far the node's own offsets move its box from its point: a fan's margins, a badge's shift
  function offsets(node) {
    if (node.hasAttribute("data-label")) return [0, 0];  // a label is placed by its position alone
    var own = (node.style.translate || "").split(" "), inner = node.firstElementChild;
    var shifted = (inner && inner.style.translate || "").split(" ");
    return [(parseFloat(node.style.marginLeft) || 0) + (parseFloat(own[0]) || 0) + (parseFloat(shifted[0]) || 0),
      (parseFloat(node.style.marginTop) || 0) + (parseFloat(own[1]) || 0) + (parseFloat(shifted[1]) || 0)];
  }
  var shifts = nodes.map(offsets);
  var fresh = nodes.filter(function (node) {
    var seen = measured.get(node);
    return !seen || !seen.p;
  });
  // every fresh box read before anything is written: one layout for them all
  fresh.map(function (node) {
    // a marker whose icon has no size of its own (a country's badge) shows its content
    var shown = !node.offsetWidth && node.firstElementChild ? node.firstElementChild : node;
    return [node, shown.getBoundingClientRect()];
  }).forEach(function (pair) {
    var node = pair[0], r = pair[1], p = at(node), o = offsets(node);
    measured.set(node, { p: p, box: r.width || r.height ?
      [r.left - (p ? p.x : 0) - o[0], r.top - (p ? p.y : 0) - o[1], r.width, r.height] : null });
  });
  var boxes = [];
  nodes.forEach(function (node, i) {
    var b = measured.get(node).box, p = (at(node) || L.point(0, 0)).add(shifts[i]);
    if (b) boxes.push({ left: p.x + b[0], top: p.y + b[1], right: p.x + b[0] + b[2], bottom: p.y + b[1] + b[3] });
  });
  return boxes;
}

/* Fit the bounds, then move and widen the padding by how far the subject's markers and labels still
 * reach past the map's edge (their sizes are in pixels, so a few rounds settle it). No box depends on
 * the base map: it is off the map meanwhile, not projected at every round. A country's badge is
 * measured where it belongs, over its coast: the fit makes room for it there, rather than
 * totalsInside sliding it over a neighbour afterwards. */
function fitSubject(view, margin) {
  var map = dm.map, base = baseMaps.filter(function (g) { return map.hasLayer(g); });
  base.forEach(function (g) { map.removeLayer(g); });
  document.querySelectorAll(".dm-total").forEach(function (badge) { badge.style.translate = ""; });
  holdAreas();
  try {
    fitRounds(map, view, margin);
  } finally {
    drawHeldAreas();
  }
  base.forEach(function (g) { map.addLayer(g); });
}

/* The rounds zoom out at most one level from the subject's own fit: what the subject's neighbours
 * need (a country's figure, a base beside a step's meeting) never shrinks the subject to a dot on a
 * world map (fitBounds keeps to the map's least zoom, set here meanwhile). */
function fitRounds(map, view, margin) {
  var size = map.getSize(), pad = [margin, margin, margin, margin];  // left, top, right, bottom
  var bounds = subjectBounds(view), measured = new Map(), most = 9, least = map.options.minZoom;
  try {
    // five rounds: a story step's labels (placed for its view, labels.js) may move as the zoom steps
    // down, and the last round's padding still moves the view once more
    for (var round = 0; round < 5 && !fitRound(round); round++);
  } finally {
    map.options.minZoom = least;
  }

  /* One round: fit, measure, and widen or move the padding; true when every box is in place. */
  function fitRound(round) {
    map.fitBounds(bounds, { paddingTopLeft: [pad[0], pad[1]], paddingBottomRight: [pad[2], pad[3]],
      maxZoom: most, animate: false });  // labels.js moves the labels to this zoom's placement on zoomend
    if (!round) map.options.minZoom = Math.max(least || 0, map.getZoom() - 1);
    // how far past each side's margin the boxes reach (below zero: the room they leave on that side)
    var frame = map.getContainer().getBoundingClientRect(), more = [-Infinity, -Infinity, -Infinity, -Infinity];
    var controls = pageBoxes(".leaflet-control, .dm-orbat", map.getContainer().parentNode);
    // a box under a corner's control (zoom, layers, scale) or the order of battle moves out by the shorter way
    function outOfCorner(b, c) {
      var side = c.left - frame.left < frame.right - c.right ? 0 : 2;
      var across = c.top - frame.top < frame.bottom - c.bottom ? 1 : 3;
      var sideway = side === 0 ? c.right - b.left : b.right - c.left;
      var upway = across === 1 ? c.bottom - b.top : b.bottom - c.top;
      if (sideway < upway) more[side] = Math.max(more[side], sideway);
      else more[across] = Math.max(more[across], upway);
    }
    // a thousand painted marks' boxes: plain loops, the first round's code not yet compiled
    var boxes = subjectBoxes(view.subject || [], measured);
    for (var k = 0; k < boxes.length; k++) {
      var b = boxes[k];
      more[0] = Math.max(more[0], frame.left + margin - b.left);
      more[1] = Math.max(more[1], frame.top + margin - b.top);
      more[2] = Math.max(more[2], b.right - (frame.right - margin));
      more[3] = Math.max(more[3], b.bottom - (frame.bottom - margin));
      for (var j = 0; j < controls.length; j++) {
        var c = controls[j];
        if (b.left < c.right && b.right > c.left && b.top < c.bottom && b.bottom > c.top) outOfCorner(b, c);
      }
    }
    if (Math.max.apply(null, more) < 1) return true;
    // wider than the frame at this zoom on either axis: the next round is at least a step further out
    // (a wider pad alone zooms out only once the pads outgrow the room the zoom's snapping left)
    if (more[0] + more[2] > 0 || more[1] + more[3] > 0) {
      most = Math.max(map.options.minZoom, map.getZoom() - (map.options.zoomSnap || 0.25));
    }
    for (var i = 0; i < 4; i++) {
      var over = Math.ceil(more[i]), facing = (i + 2) % 4, room = Math.floor(-more[facing]);
      if (over < 1) continue;
      // room on the facing side: the view moves there by the whole overflow, one pad growing as the
      // other shrinks (fitBounds keeps the zoom for the same sum) and this one by twice what the other
      // could not give (a pad alone moves the view by half its growth): one round, not one a halving
      var shrink = Math.max(0, Math.min(over, room, pad[facing]));
      pad[facing] -= shrink;
      pad[i] = Math.min(pad[i] + over + (room >= over ? over - shrink : 0), (i % 2 ? size.y : size.x) * 0.4);
    }
    return false;
  }
}

/* Zoomed right out, the world is still as wide as the map: the land has no end in view. */
function worldWide() {
  dm.map.setMinZoom(Math.ceil(4 * Math.log2(dm.map.getSize().x / 256)) / 4);
}

/* The map is made with no view, so the layers added while the page boots wait for the first one
 * (Leaflet's whenReady) and are drawn once, at the view the page keeps, never first at another.
 * start: "blank" (no view yet), "fitted" (dm.fit gave the first view), "asked" (a home asked while
 * booting, given when boot ends, at the page's final size), "done" (booted: a home is given at once). */
var start = "blank", homing = false;

/* An open layer list (collapsed: false) checks its height against the map's when added: a layout
 * of the whole page before compact, a timeline or a story change it. While the page boots it only
 * opens; the check waits for the first view (if compact has not folded the list by then). */
var expandLayers = L.Control.Layers.prototype.expand, unchecked = [];
L.Control.Layers.prototype.expand = function () {
  if (start !== "blank") return expandLayers.call(this);
  L.DomUtil.addClass(this._container, "leaflet-control-layers-expanded");
  if (unchecked.indexOf(this) < 0) unchecked.push(this);
  return this;
};

/* The published view: the map file's centre and zoom, or the subject fitted at the map's present size
 * (the first view, and what the reset button returns to). */
dm.home = function () {
  if (start === "done") goHome();
  else start = "asked";
};

function goHome() {
  var view = dm.view, map = dm.map;
  if (!map._loaded) {
    // Leaflet measures the map again only on invalidateSize, which does nothing before a first view
    // (a timeline or story panel took room since): the first view takes the size the page has now
    map._sizeChanged = true;
    worldWide();
  }
  homing = true;
  if (view.center) map.setView(view.center, view.zoom, { animate: false });
  // a phone's margin still sets a mark off the edge by more than its own halo
  else fitSubject(view, document.body.classList.contains("dm-compact") ? 12 : 30);
  homing = false;
  unchecked.splice(0).forEach(function (list) {
    if (L.DomUtil.hasClass(list._container, "leaflet-control-layers-expanded")) expandLayers.call(list);
  });
  afterMove();
  inView.call(map);  // the Tab order (a11y.js), once, at the view the rounds settled on
}

/* The first view, once the page has its final size (after compact; a timeline or story's room). */
dm.fit = function () {
  var map = dm.map, later = document.getElementById("dm-timeline") || document.getElementById("dm-story");
  map.on("resize", worldWide);
  // "load" comes after the first view's moveend, once the layers waiting for it are on the map
  map.on("load moveend resize", afterMove);
  // the first view adds every layer, each an overlayadd: its badges are kept inside once, after
  map.on("overlayadd", function () { if (!homing) dm.totalsInside(); });
  if (later) return;
  goHome();
  start = "fitted";
};

var whenDrawn = dm.settled;
dm.settled = function (then) {
  var owed = start !== "fitted";
  start = "done";
  if (owed) goHome();
  whenDrawn(then);
};

/* Edge arrows and badges kept inside once the view is home (a fit's rounds measure badges unmoved). */
function afterMove() {
  if (homing) return;
  dm.edges();
  dm.totalsInside();
}
