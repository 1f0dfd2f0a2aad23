/* Accessibility: every record a reader can open is a named button reachable by Tab; Enter or
 * Space opens its popup, Escape closes it and returns focus; decorative shapes stay out of the
 * Tab order; focus never pans the map (what is outside the view leaves the Tab order instead). */
/* "Naval Air Facility Atsugi, base, US Navy": the record's name, what it is, and its detail. */
function accessibleName(spec, i) {
  // a country's figure is named by what it shows first ("Japan About 54,000 US troops"), then its record
  var shown = spec.type === "totals" ? [cell(spec, "heading", i), cell(spec, "figure", i)]
    .filter(Boolean).join(" ") : null;
  return [shown, cell(spec, "name", i), spec.noun, cell(spec, "status_words", i), spec.detail ? cell(spec, spec.detail, i) : null]
    .filter(function (part) { return part !== null && part !== undefined && part !== ""; })
    .map(String).join(", ");
}

/* The specs drawn whose records have names, each with its rows by record id (unique on a map), made
 * when a name is first asked for: a painted layer's thousand records are drawn with no name made
 * (a popup, a DOM marker's button or the keyboard asks for one). */
var namedSpecs = new Map(), names = Object.create(null);

var drawSpec = dm.draw;
dm.draw = function (group, spec) {
  if (spec.columns && spec.columns.name && spec.type !== "cloud") namedSpecs.set(spec, null);
  drawSpec(group, spec);
};

/* A record's accessible name, or undefined for a record no drawn spec names. */
function nameOf(id) {
  if (!(id in names)) {
    namedSpecs.forEach(function (rows, spec) {
      if (!rows) {
        rows = Object.create(null);
        for (var i = 0; i < spec.lat.length; i++) rows[cell(spec, "id", i)] = i;
        namedSpecs.set(spec, rows);
      }
      if (id in rows) names[id] = accessibleName(spec, rows[id]);
    });
  }
  return names[id];
}

/* The page's own words (the message catalogue, in the page's language), from its JSON data. */
function words() {
  var data = document.getElementById("dm-words");
  return data ? JSON.parse(data.textContent) : {};
}

// Leaflet would pan the map to a focused marker outside the view, into empty ocean with no way
// back; markers outside the view leave the Tab order instead (see inView).
L.Marker.prototype.options.autoPanOnFocus = false;

var opener = null;  // the record (and the view) whose popup the keyboard is opening

function named(layer, node, name) {
  node.setAttribute("aria-label", name);
  node.setAttribute("role", "button");
  node.setAttribute("tabindex", "0");
  Array.prototype.forEach.call(node.children, function (child) { child.setAttribute("aria-hidden", "true"); });
  node.dmOpens = layer;  // for onRecordKey
}

/* Enter or Space on a record's button opens its popup: one listener on the map for a thousand buttons. */
function onRecordKey(e) {
  var node = e.target, layer = node.dmOpens;
  if (!layer || !layer._map || (e.key !== "Enter" && e.key !== " ")) return;
  e.preventDefault();  // also stops Leaflet's own keypress toggle, so Enter opens exactly once
  opener = { node: node, center: layer._map.getCenter(), zoom: layer._map.getZoom() };
  layer.openPopup();
}

function decorative(node) {
  node.setAttribute("aria-hidden", "true");
  node.setAttribute("tabindex", "-1");
}

function onLayerAdd(e) {
  var layer = e.layer, node = layer.getElement ? layer.getElement() : null;
  // shapes and markers only: popups and tooltips are layers too, and must stay readable
  if (!node || !(layer instanceof L.Path || layer instanceof L.Marker)) return;
  var id = layer.options.recordId;
  if (id !== undefined && layer.getPopup && layer.getPopup()) named(layer, node, nameOf(id) || String(id));
  else decorative(node);
}

/* Only what the reader can see is in the Tab order; the records table lists everything. Not at each
 * of a fit's rounds (view.js): once, when it is done. */
function inView() {
  if (homing) return;
  var map = this, bounds = map.getBounds();
  map.eachLayer(function (layer) {
    var node = layer.getElement ? layer.getElement() : null;
    if (!node || layer.options.recordId === undefined || !layer.getLatLng) return;
    var tabindex = bounds.contains(layer.getLatLng()) ? "0" : "-1";
    if (node.getAttribute("tabindex") !== tabindex) node.setAttribute("tabindex", tabindex);  // a write restyles
  });
}

/* A popup the keyboard opened takes focus; closing it (Escape, its close button, another popup)
 * puts back the view it panned away from and returns focus to its record. */
function onPopupOpen(e) {
  var box = e.popup.getElement();
  box.setAttribute("role", "dialog");
  var close = box.querySelector(".leaflet-popup-close-button"), say = words();
  if (close && say["Close"]) close.setAttribute("aria-label", say["Close"]);
  var source = e.popup._source, node = source && source.getElement ? source.getElement() : null;
  if (node && node.getAttribute("aria-label")) box.setAttribute("aria-label", node.getAttribute("aria-label"));
  if (opener && opener.node === node) {
    e.popup.dmOpener = opener;
    box.setAttribute("tabindex", "-1");
    box.focus({ preventScroll: true });
  }
  opener = null;
}

function onPopupClose(e) {
  var back = e.popup.dmOpener;
  if (!back) return;
  e.popup.dmOpener = null;
  this.setView(back.center, back.zoom, { animate: false });
  back.node.focus({ preventScroll: true });
}

function onEscape(e) {
  var map = dm.map;
  if (e.key === "Escape" && map && map._popup && map.hasLayer(map._popup)) map.closePopup();
}

/* Leaflet's own controls in the page's language. */
function nameControls(map) {
  var say = words();
  [[".leaflet-control-zoom-in", "Zoom in"], [".leaflet-control-zoom-out", "Zoom out"],
   [".leaflet-control-layers-toggle", "Layers"]].forEach(function (pair) {
    var node = map.getContainer().querySelector(pair[0]);
    if (node && say[pair[1]]) {
      node.setAttribute("aria-label", say[pair[1]]);
      node.setAttribute("title", say[pair[1]]);
    }
  });
}

L.Map.addInitHook(function () {
  this.on("layeradd", onLayerAdd);
  this.on("moveend", inView);  // a zoom ends with a moveend too (Leaflet's _moveEnd): one pass, not two
  this.on("popupopen", onPopupOpen);
  this.on("popupclose", onPopupClose);
  L.DomEvent.on(this.getContainer(), "keydown", onRecordKey);
  L.DomEvent.on(document, "keydown", onEscape);
});

/* Once the page has its controls: name them (the Tab order is set when the first view is home). */
var fitView = dm.fit;
dm.fit = function () {
  fitView();
  nameControls(dm.map);
};
