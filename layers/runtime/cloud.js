/* The large-layer path: every point of a layer on one canvas, popups built on click. */
/* The large-layer path: one canvas for every point, redrawn on move; popups built on click. */
var Cloud = L.Layer.extend({
  initialize: function (spec) {
    this.spec = spec;
    var n = spec.lat.length;
    this.mx = new Float64Array(n);
    this.my = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var ll = latLng(spec, i), s = Math.sin(ll[0] * Math.PI / 180);
      this.mx[i] = (ll[1] + 180) / 360;
      this.my[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
  },
  onAdd: function (map) {
    this.canvas = L.DomUtil.create("canvas", "dm-cloud leaflet-zoom-hide");
    map.getPanes().overlayPane.appendChild(this.canvas);
    map.on("moveend zoomend resize", this.redraw, this);
    if (!clouds.length) map.on("click", pickNearest);
    clouds.push(this);
    this.redraw();
  },
  onRemove: function (map) {
    L.DomUtil.remove(this.canvas);
    map.off("moveend zoomend resize", this.redraw, this);
    clouds.splice(clouds.indexOf(this), 1);
    if (!clouds.length) map.off("click", pickNearest);
  },
  origin: function () {
    var map = this._map;
    var scale = 256 * Math.pow(2, map.getZoom());
    var topLeft = map.containerPointToLayerPoint([0, 0]);
    return { scale: scale, pixel: map.getPixelOrigin().add(topLeft), layer: topLeft };
  },
  redraw: function () {
    var map = this._map, size = map.getSize(), o = this.origin();
    var ratio = window.devicePixelRatio || 1, ctx = this.canvas.getContext("2d");
    this.canvas.width = size.x * ratio;
    this.canvas.height = size.y * ratio;
    this.canvas.style.width = size.x + "px";
    this.canvas.style.height = size.y + "px";
    L.DomUtil.setPosition(this.canvas, o.layer);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = this.spec.color;
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = 0.5;
    var r = this.spec.size || 3, drawn = 0;
    ctx.beginPath();
    for (var i = 0; i < this.mx.length; i++) {
      var x = this.mx[i] * o.scale - o.pixel.x, y = this.my[i] * o.scale - o.pixel.y;
      if (x < -r || y < -r || x > size.x + r || y > size.y + r) continue;
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      drawn++;
    }
    ctx.fill();
    ctx.stroke();
    this.visible = drawn;
    dm.drawn.set(this.spec.title, this.mx.length);
  },
  /* The point nearest the click within 8 px, as [index, squared distance]. */
  nearest: function (p) {
    var o = this.origin(), best = -1, bestD = 64;
    for (var i = 0; i < this.mx.length; i++) {
      var dx = this.mx[i] * o.scale - o.pixel.x - p.x, dy = this.my[i] * o.scale - o.pixel.y - p.y;
      var d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = i; }
    }
    return [best, bestD];
  },
  open: function (i) {
    L.popup({ maxWidth: 320 }).setLatLng(latLng(this.spec, i))
      .setContent(popupContent(this.spec, i)).openOn(this._map);
  }
});

/* One click handler for every canvas layer: the nearest point of any visible layer gets the popup. */
var clouds = [];
function pickNearest(e) {
  var best = null;
  clouds.forEach(function (cloud) {
    var hit = cloud.nearest(e.containerPoint);
    if (hit[0] >= 0 && (!best || hit[1] < best[2])) best = [cloud, hit[0], hit[1]];
  });
  if (best) best[0].open(best[1]);
}
