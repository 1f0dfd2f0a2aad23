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
  box.appendChild(el("span", "dm-edge-label", text));
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

function placeAt(words, place) {
  words.className = "dm-edge-label dm-edge-" + place[0] + " dm-edge-" + place[1];
  words.style.margin = place[3] + "px 0 0 " + place[2] + "px";
  keepInside(words, true);
}

/* Put the words where they cover the fewest markers, labels and controls (the nearest such place:
 * the first of the candidates), kept whole inside the map. */
function placeWords(marker, exit, size) {
  var words = marker.getElement() && marker.getElement().querySelector(".dm-edge-label");
  if (!words) return;
  var others = Array.prototype.filter.call(
    document.querySelectorAll(".dm-icon:not(.dm-edge-icon), .dm-label, path.dm-circle, .leaflet-control"),
    function (n) { return n.style.visibility !== "hidden" && !n.contains(words); })
    .map(function (n) { return n.getBoundingClientRect(); });
  var best = null;
  placements(exit, size).forEach(function (place) {
    placeAt(words, place);
    var box = words.getBoundingClientRect();
    var covered = others.reduce(function (sum, o) { return sum + overlap(box, o); }, 0);
    if (!best || covered < best[1]) best = [place, covered];
  });
  placeAt(words, best[0]);
}

/* Move a box the map's edge would cut back inside it (edge labels, country badges), and with
 * ``clear`` out from under the layer control too; a hidden one stays. Returns the move [dx, dy]. */
function keepInside(node, clear) {
  node.style.translate = "";
  if (!node.getClientRects().length) return [0, 0];
  var map = dm.map.getContainer().getBoundingClientRect(), box = node.getBoundingClientRect();
  var right = map.right - EDGE_INSET;
  // nor under the layer control at the top right, when it sits at the box's height
  (clear ? document.querySelectorAll(".leaflet-top.leaflet-right .leaflet-control") : []).forEach(function (c) {
    var r = c.getBoundingClientRect();
    if (r.top < box.bottom && box.top < r.bottom && r.left - EDGE_INSET - box.width >= map.left) {
      right = Math.min(right, r.left - EDGE_INSET);
    }
  });
  var dx = Math.max(0, map.left + EDGE_INSET - box.left) - Math.max(0, box.right - right);
  var dy = Math.max(0, map.top + EDGE_INSET - box.top) - Math.max(0, box.bottom - (map.bottom - EDGE_INSET));
  node.style.translate = dx + "px " + dy + "px";
  return [dx, dy];
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
        edgeMarkers.push([entry.group, marker]);
        placeWords(marker, exit, size);
      });
    });
  });
};
