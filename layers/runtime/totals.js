/* Country-level figures ("About 54,000 US troops"): a badge at the country's edge, one row per
 * figure, the country named on the first; an annotation of the country, not a place on it. */
function drawTotals(group, spec) {
  for (var i = 0; i < spec.lat.length; i++) {
    var badge = el("div", "dm-total dm-total-" + spec.side[i]);
    badge.style.setProperty("--stack", spec.stack[i]);
    badge.style.borderColor = spec.color;
    badge.setAttribute("data-record", cell(spec, "id", i));
    var heading = cell(spec, "heading", i);
    if (heading) {
      badge.appendChild(el("span", "dm-total-where", heading));
      badge.appendChild(document.createTextNode(" "));
    }
    badge.appendChild(el("span", null, cell(spec, "figure", i)));
    var marker = L.marker(latLng(spec, i), {
      icon: L.divIcon({ html: badge, className: "dm-icon dm-total-icon", iconSize: [0, 0], iconAnchor: [0, 0] }),
      recordId: cell(spec, "id", i), keyboard: true,
      title: cell(spec, "name", i) || "", alt: cell(spec, "name", i) || ""
    });
    marker.bindPopup(popupContent.bind(null, spec, i), { maxWidth: 320 });
    group.addLayer(marker);
  }
  return spec.lat.length;
}

DRAW.totals = drawTotals;

/* A badge at a coast near the map's side (Japan's on a phone) is moved in sideways, never cut off;
 * never up or down, where it would cover the records near that coast, but up from under what sits
 * on the map's bottom edge (the order of battle on a phone), where it could not be read or clicked. */
dm.totalsInside = function () {
  var badges = Array.prototype.slice.call(document.querySelectorAll(".dm-total"));
  if (!badges.length) return;  // nothing to measure: no layout forced
  // every badge measured in one layout, then all moved
  badges.forEach(function (badge) { badge.style.translate = ""; });
  var frame = frameBoxes(), moves = badges.map(function (badge) { return insideShift(drawnBox(badge), frame); });
  badges.forEach(function (badge, i) { badge.style.translate = moves[i][0] + "px " + moves[i][2] + "px"; });
};
