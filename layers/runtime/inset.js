/* A locator inset: a small map of the region, from the same offline base map, with the frame's
 * rectangle; in the bottom-left corner as a Leaflet control (so the fit keeps markers clear of it),
 * not interactive and hidden from screen readers (the map's text alternative says where it is). */
var Inset = L.Control.extend({
  options: { position: "bottomleft" },
  onAdd: function () {
    var box = el("div", "dm-inset");
    box.setAttribute("aria-hidden", "true");
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  }
});

dm.inset = function () {
  var region = dm.view.inset, base = dm.layers.get("Base map");
  if (!region || !base) return;
  var control = new Inset().addTo(dm.map);
  var mini = L.map(control.getContainer(), {
    zoomControl: false, attributionControl: false, dragging: false, scrollWheelZoom: false, doubleClickZoom: false,
    boxZoom: false, keyboard: false, touchZoom: false, zoomSnap: 0, fadeAnimation: false, zoomAnimation: false
  });
  var renderer = L.canvas({ padding: 0 });
  base.specs.forEach(function (spec) {
    new Land(spec.rings, { renderer: renderer, weight: 0.4, color: spec.color, fillColor: spec.fill }).addTo(mini);
  });
  mini.fitBounds(region, { animate: false });
  // the map's view is set once the page has booted (view.js)
  dm.map.whenReady(function () {
    var frame = L.rectangle(dm.map.getBounds(), { color: "#c1121f", weight: 1.5, fill: false, interactive: false,
      className: "dm-inset-frame" }).addTo(mini);
    dm.map.on("moveend", function () { frame.setBounds(dm.map.getBounds()); });
  });
  dm.insetMap = mini;
};
