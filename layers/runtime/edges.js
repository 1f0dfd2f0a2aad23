/* Links that leave the frame (a command reporting to Hawaii on a map of Korea) end at the frame's
 * edge with an arrow and where they go: "to US Indo-Pacific Command, Hawaii". */
var EDGE_INSET = 6;  // pixels inside the map's edge
var edgeMarkers = [];

/* Where a line first leaves the box [x0, y0, x1, y1] (container pixels), and its direction there. */
function exitPoint(points, box) {
  function inside(p) { return p.x >= box[0] && p.x <= box[2] && p.y >= box[1] && p.y <= box[3]; }
  if (!points.length || !inside(points[0])) return null;
  for (var i = 1; i < points.length; i++) {
    if (inside(points[i])) continue;
    var a = points[i - 1], b = points[i], t = 1;
    [[b.x - a.x, box[0] - a.x], [b.x - a.x, box[2] - a.x], [b.y - a.y, box[1] - a.y], [b.y - a.y, box[3] - a.y]]
      .forEach(function (d) { if (d[0] !== 0 && d[1] / d[0] >= 0 && d[1] / d[0] < t) t = d[1] / d[0]; });
    return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t, angle: Math.atan2(b.y - a.y, b.x - a.x) };
  }
  return null;
}

function edgeIcon(exit, text, color) {
  var box = el("div", "dm-edge");
  box.setAttribute("aria-hidden", "true");  // a visual cue: the records table and popups say who reports to whom
  var arrow = el("span", "dm-arrow", "\u27A4");
  arrow.style.transform = "rotate(" + (exit.angle * 180 / Math.PI) + "deg)";
  arrow.style.color = color;
  box.appendChild(arrow);
  box.appendChild(el("span", "dm-edge-label")).appendChild(el("span", "dm-edge-words", text));
  return L.divIcon({ html: box, className: "dm-icon dm-edge-icon", iconSize: [16, 16], iconAnchor: [8, 8] });
}

/* Where the words may go around the arrow: along the edge it reached (above or below it at a side
 * edge, left or right of it at the top or bottom), aligned to the edge, and slid along that edge
 * by steps when a crowd sits at the exit: [above|below, left|right, slide x, slide y] in pixels. */
var EDGE_SLIDES = [0, 1, -1, 2, -2, 3, 4];

function placements(exit, size) {
  var side = exit.x > size.x - 2 * EDGE_INSET ? "right" : exit.x < 2 * EDGE_INSET ? "left" : null;
  var out = [];
  EDGE_SLIDES.forEach(function (k) {
    if (side) return out.push(["above", side, 0, 28 * k], ["below", side, 0, 28 * k]);
    var across = exit.y < 2 * EDGE_INSET ? "below" : "above";
    out.push([across, "left", 90 * k, 0], [across, "right", 90 * k, 0]);
  });
  return out;
}

function placeAt(words, place, shift) {
  words.className = "dm-edge-label dm-edge-" + place[0] + " dm-edge-" + place[1];
  words.style.margin = place[3] + "px 0 0 " + place[2] + "px";
  words.style.translate = shift[0] + "px " + shift[1] + "px";
}

/* The boxes of the map, of the controls at its top right and of what sits on its bottom edge (the
 * scale, the credit, the order-of-battle panel), read once for every box kept inside. */
function frameBoxes() {
  return { map: dm.map.getContainer().getBoundingClientRect(),
    controls: pageBoxes(".leaflet-top.leaflet-right .leaflet-control"),
    below: pageBoxes(".leaflet-bottom .leaflet-control, .dm-orbat") };
}

/* How far a box (edge words, a country's badge) the map's edge would cut must move to be back inside
 * it, and out from under the layer control at the top right when that sits at the box's height:
 * [dx, dy, up], up being how far it must rise (<= 0) to come out from under what sits on the map's
 * bottom edge below it; a box not drawn (null) stays. */
function insideShift(box, frame) {
  if (!box) return [0, 0, 0];
  var map = frame.map, right = map.right - EDGE_INSET, floor = box.bottom;
  frame.controls.forEach(function (r) {
    if (r.top < box.bottom && box.top < r.bottom && r.left - EDGE_INSET - box.width >= map.left) {
      right = Math.min(right, r.left - EDGE_INSET);
    }
  });
  var dx = Math.max(0, map.left + EDGE_INSET - box.left) - Math.max(0, box.right - right);
  var dy = Math.max(0, map.top + EDGE_INSET - box.top) - Math.max(0, box.bottom - (map.bottom - EDGE_INSET));
  frame.below.forEach(function (r) {
    if (r.left < box.right + dx && box.left + dx < r.right && r.top < box.bottom && box.top < r.bottom
        && r.top - EDGE_INSET - box.height >= map.top) {
      floor = Math.min(floor, r.top - EDGE_INSET);
    }
  });
  return [dx, dy, floor - box.bottom];
}

/* A node's box, or null when it is not drawn. */
function drawnBox(node) {
  return node.getClientRects().length ? node.getBoundingClientRect() : null;
}

/* The page boxes of what edge words should not cover: markers, labels, troop circles and controls. */
function coveredBoxes() {
  return pageBoxes(".dm-icon:not(.dm-edge-icon), .dm-label, path.dm-circle, .leaflet-control", null,
    function (n) { return n.style.visibility !== "hidden"; });
}

/* Put each edge marker's words where they cover the fewest markers, labels and controls (the nearest
 * such place: the first of the candidates), kept whole inside the map. Every candidate of every
 * marker is laid out at once, as a copy of the words, and read in one layout; then the words move. */
function placeWords(edges, size) {
  if (!edges.length) return;  // nothing to place: no layout forced
  var others = coveredBoxes();
  var tried = edges.map(function (edge) {
    var words = edge[0].getElement() && edge[0].getElement().querySelector(".dm-edge-label");
    return words && { words: words, trials: placements(edge[1], size).map(function (place) {
      var copy = words.cloneNode(true);
      placeAt(copy, place, [0, 0]);
      words.parentNode.appendChild(copy);
      return [place, copy];
    }) };
  }).filter(Boolean);
  var frame = frameBoxes();
  tried.forEach(function (t) {
    t.trials.forEach(function (trial) {
      var box = drawnBox(trial[1]), shift = insideShift(box, frame);
      var moved = box && { left: box.left + shift[0], top: box.top + shift[1], right: box.right + shift[0],
        bottom: box.bottom + shift[1] };
      var covered = moved ? others.reduce(function (sum, o) { return sum + overlap(moved, o); }, 0) : 0;
      if (!t.best || covered < t.best[2]) t.best = [trial[0], shift, covered];
    });
  });
  tried.forEach(function (t) {
    t.trials.forEach(function (trial) { trial[1].remove(); });
    placeAt(t.words, t.best[0], t.best[1]);
  });
}

dm.edges = function () {
  edgeMarkers.forEach(function (m) { m[0].removeLayer(m[1]); });
  edgeMarkers = [];
  var map = dm.map, size = map.getSize();
  var box = [EDGE_INSET, EDGE_INSET, size.x - EDGE_INSET, size.y - EDGE_INSET];
  var said = [];  // [x, y, words] of each edge marked: lines leaving together (today's and a planned link) get one
  dm.layers.forEach(function (entry) {
    entry.specs.forEach(function (spec) {
      if (spec.type !== "lines") return;
      spec.lines.forEach(function (line) {
        if (!line.edge) return;
        var exit = exitPoint(line.coords.map(function (c) { return map.latLngToContainerPoint(c); }), box);
        if (!exit || said.some(function (s) { return s[2] === line.edge && Math.abs(s[0] - exit.x) + Math.abs(s[1] - exit.y) < 8; })) return;
        said.push([exit.x, exit.y, line.edge]);
        var marker = L.marker(map.containerPointToLatLng([exit.x, exit.y]), {
          icon: edgeIcon(exit, line.edge, spec.color), interactive: false, keyboard: false
        });
        entry.group.addLayer(marker);
        edgeMarkers.push([entry.group, marker, exit]);
      });
    });
  });
  placeWords(edgeMarkers.map(function (m) { return [m[1], m[2]]; }), size);
};
