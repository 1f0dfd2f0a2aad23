/* What the page drew, for tests and screen-reader tables. */
/* Every drawn record as {layer, id, lat, lng}: what tests and screen-reader tables count. */
dm.records = function () {
  var out = [];
  dm.layers.forEach(function (entry, title) {
    entry.group.eachLayer(function (layer) {
      if (layer.options && layer.options.recordId !== undefined) {
        var ll = layer.getLatLng();
        out.push({ layer: title, id: layer.options.recordId, lat: ll.lat, lng: ll.lng });
      }
    });
    entry.specs.forEach(function (spec) {
      if (spec.type !== "cloud" || !spec.lat) return;  // a canvas layer still decoding
      for (var i = 0; i < spec.lat.length; i++) {
        var ll = latLng(spec, i);
        out.push({ layer: title, id: cell(spec, "id", i), lat: ll[0], lng: ll[1] });
      }
    });
  });
  return out;
};
