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

/* The published view: the map's bounds, fitted to the map's present size. */
dm.home = function () {
  var pad = document.body.classList.contains("dm-compact") ? 8 : 30;
  dm.map.fitBounds(dm.bounds, { padding: [pad, pad], maxZoom: 9, animate: false });
};

/* Fit the map to its bounds once the page has its final size (after compact). */
dm.fit = function () {
  dm.home();
};
