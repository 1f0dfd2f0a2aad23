/* Areas (the base map, countries, range rings): Leaflet polygons whose rings are read and projected
 * in one tight loop each. A seed map's areas are about 20,000 points, each turned into a LatLng and
 * then a layer point while the page boots; Leaflet does it through several small calls a point
 * (toLatLng, bounds.extend, project, transform, round, subtract), still cold then. The numbers are
 * Leaflet's own, worked out in the same order, so every shape is drawn at the same pixels. */
var Area = L.Polygon.extend({
  // a ring of [lat, lng] pairs: LatLngs and their bounds, the closing point dropped as Leaflet does
  _convertLatLngs: function (latlngs) {
    var n = latlngs.length, ring = new Array(n), i, p;
    for (i = 0; i < n; i++) {
      p = latlngs[i];
      if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== "number") {
        return L.Polygon.prototype._convertLatLngs.call(this, latlngs);  // nested rings, or any other form
      }
      ring[i] = new L.LatLng(p[0], p[1]);
    }
    if (!n) return ring;
    var south = ring[0].lat, west = ring[0].lng, north = south, east = west;
    for (i = 1; i < n; i++) {
      p = ring[i];
      south = Math.min(p.lat, south); west = Math.min(p.lng, west);
      north = Math.max(p.lat, north); east = Math.max(p.lng, east);
    }
    this._bounds.extend(new L.LatLng(south, west)).extend(new L.LatLng(north, east));
    if (n >= 2 && ring[0].equals(ring[n - 1])) ring.pop();
    return ring;
  },

  // one ring to layer points, as map.latLngToLayerPoint does in Web Mercator (any other CRS: Leaflet's)
  _projectLatlngs: function (latlngs, result, projectedBounds) {
    var map = this._map, crs = map.options.crs, n = latlngs.length;
    if (crs !== L.CRS.EPSG3857 || !(latlngs[0] instanceof L.LatLng)) {
      return L.Polygon.prototype._projectLatlngs.call(this, latlngs, result, projectedBounds);
    }
    var R = crs.projection.R, max = crs.projection.MAX_LATITUDE, t = crs.transformation, d = Math.PI / 180,
        a = t._a, b = t._b, c = t._c, e = t._d, scale = crs.scale(map._zoom), origin = map.getPixelOrigin(),
        ring = new Array(n), x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (var i = 0; i < n; i++) {
      var ll = latlngs[i], sin = Math.sin(Math.max(Math.min(max, ll.lat), -max) * d),
          x = Math.round(scale * (a * (R * ll.lng * d) + b)) - origin.x,
          y = Math.round(scale * (c * (R * Math.log((1 + sin) / (1 - sin)) / 2) + e)) - origin.y;
      ring[i] = new L.Point(x, y);
      x0 = Math.min(x, x0); y0 = Math.min(y, y0); x1 = Math.max(x, x1); y1 = Math.max(y, y1);
    }
    projectedBounds.extend(new L.Point(x0, y0)).extend(new L.Point(x1, y1));
    result.push(ring);
  }
});
