/* deploymap runtime: draws layer specs (JSON data) with Leaflet.
 * Record text only ever reaches the page through textContent, never as HTML. */
(function () {
  "use strict";
  var dm = window.deploymap = { layers: {}, drawn: {}, ready: false };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function cell(spec, field, i) {
    var column = spec.columns[field];
    if (!column) return null;
    if (!column.dict) return column[i];
    return column.idx ? column.dict[column.idx[i]] : column.dict[0];
  }

  /* 54000 as "54,000", the same in every browser locale. */
  function thousands(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  /* Large layers store whole numbers of 1/scale degree. */
  function latLng(spec, i) {
    var scale = spec.scale || 1;
    return [spec.lat[i] / scale, spec.lon[i] / scale];
  }

  /* Text into an element: web addresses inside it (http and https only) become links, all else text. */
  var ADDRESS = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi;

  function linked(into, text) {
    var last = 0;
    text.replace(ADDRESS, function (url, at) {
      into.appendChild(document.createTextNode(text.slice(last, at)));
      var a = el("a", null, url);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      into.appendChild(a);
      last = at + url.length;
      return url;
    });
    into.appendChild(document.createTextNode(text.slice(last)));
  }

  function popupContent(spec, i) {
    var box = el("div", "dm-popup");
    box.appendChild(el("strong", "dm-popup-title", cell(spec, "name", i)));
    var list = el("dl");
    (spec.popup || []).forEach(function (pair) {
      var v = cell(spec, pair[1], i);
      if (v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length)) return;
      list.appendChild(el("dt", null, pair[0]));
      var dd = el("dd");
      linked(dd, Array.isArray(v) ? v.join(", ") : typeof v === "number" ? thousands(v) : String(v));
      list.appendChild(dd);
    });
    box.appendChild(list);
    return box;
  }

  var SYMBOLS = { base: "\u25A0", command: "\u2605", deployment: "\u25C6", event: "\u25CF" };

  function icon(spec, i) {
    var offset = spec.offset ? spec.offset[i] : [0, 0];
    var badge = el("div", "dm-symbol dm-" + spec.kind);
    badge.style.color = spec.color;
    var date = cell(spec, "badge", i);
    badge.appendChild(el("span", "dm-glyph", SYMBOLS[spec.kind] || "\u25CF"));
    if (date) badge.appendChild(el("span", "dm-badge", date));
    badge.setAttribute("data-record", cell(spec, "id", i));
    return L.divIcon({
      html: badge, className: "dm-icon", iconSize: null,
      iconAnchor: [9 - offset[0], 9 - offset[1]], popupAnchor: [offset[0], offset[1] - 6]
    });
  }

  /* A permanent label on the side the spec chose, ``gap`` pixels further out (past a circle's edge). */
  function label(layer, spec, i, gap) {
    var text = cell(spec, spec.label, i);
    if (!text) return;
    var side = spec.sides ? spec.sides[i] : "right";
    var sign = { right: [1, 0], left: [-1, 0], top: [0, -1], bottom: [0, 1] }[side];
    layer.bindTooltip(el("span", null, text), {
      permanent: true, direction: side, className: "dm-label", interactive: false,
      offset: [sign[0] * (10 + gap), sign[1] * (10 + gap)]
    });
  }

  function drawMarkers(group, spec) {
    for (var i = 0; i < spec.lat.length; i++) {
      var marker = L.marker(latLng(spec, i), {
        icon: icon(spec, i), recordId: cell(spec, "id", i), keyboard: true,
        title: cell(spec, "name", i) || "", alt: cell(spec, "name", i) || ""
      });
      marker.bindPopup(popupContent.bind(null, spec, i), { maxWidth: 320 });
      label(marker, spec, i, 0);
      group.addLayer(marker);
    }
    return spec.lat.length;
  }

  function drawCircles(group, spec) {
    for (var i = 0; i < spec.lat.length; i++) {
      var circle = L.circleMarker(latLng(spec, i), {
        radius: spec.radius[i], color: spec.color, weight: 1.5, fillColor: spec.color,
        fillOpacity: 0.35, recordId: cell(spec, "id", i), className: "dm-circle"
      });
      circle.bindPopup(popupContent.bind(null, spec, i), { maxWidth: 320 });
      label(circle, spec, i, spec.radius[i] - 8);
      group.addLayer(circle);
    }
    return spec.lat.length;
  }

  function arrowIcon(angle, color) {
    var arrow = el("div", "dm-arrow", "\u27A4");
    arrow.style.transform = "rotate(" + angle + "deg)";
    arrow.style.color = color;
    return L.divIcon({ html: arrow, className: "dm-icon", iconSize: [16, 16], iconAnchor: [8, 8] });
  }

  function drawLines(group, spec) {
    spec.lines.forEach(function (line) {
      var path = L.polyline(line.coords, {
        color: spec.color, weight: spec.weight || 2.5, opacity: 0.9,
        dashArray: spec.dash || null, className: "dm-line"
      });
      path.bindTooltip(el("span", null, line.label), { sticky: true });
      group.addLayer(path);
      (line.arrows || []).forEach(function (a) {
        var m = L.marker([a[0], a[1]], { icon: arrowIcon(a[2], spec.color), interactive: true, keyboard: false });
        if (a[3]) m.bindTooltip(el("span", null, a[3]), { direction: "top" });
        group.addLayer(m);
      });
    });
    return spec.lines.length;
  }

  function drawAreas(group, spec) {
    var renderer = spec.plain ? L.canvas({ padding: 0.5 }) : undefined;
    spec.areas.forEach(function (area) {
      var shape = L.polygon(area.rings, {
        color: area.color, weight: spec.plain ? 0.6 : 1, fillColor: spec.fill || area.color,
        fillOpacity: spec.opacity === undefined ? 0.45 : spec.opacity, className: "dm-area",
        interactive: !spec.plain, renderer: renderer
      });
      if (!spec.plain) shape.bindTooltip(el("span", null, area.label), { sticky: true });
      group.addLayer(shape);
    });
    return spec.areas.length;
  }

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
      dm.drawn[this.spec.title] = this.mx.length;
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

  var DRAW = { markers: drawMarkers, circles: drawCircles, lines: drawLines, areas: drawAreas };

  dm.draw = function (group, spec) {
    var entry = dm.layers[spec.title] = dm.layers[spec.title] || { group: group, count: 0, specs: [] };
    entry.specs.push(spec);
    if (spec.type === "cloud") {
      entry.cloud = new Cloud(spec);
      group.addLayer(entry.cloud);
      entry.count += spec.lat.length;
    } else {
      entry.count += DRAW[spec.type](group, spec);
    }
  };

  /* Small embeds: fold the dek, the key and the layer list so the map keeps the room; the key and
   * the layer list open on a tap. */
  dm.compact = function () {
    if (window.innerWidth > 560 && window.innerHeight > 420) return;
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

  /* Permanent labels that would cover an earlier one wait until zooming in parts them; the
   * earlier label wins (troops before assets, layers in their order). */
  function declutter() {
    var kept = [];
    Array.prototype.forEach.call(document.querySelectorAll(".leaflet-tooltip.dm-label"), function (label) {
      label.style.visibility = "";
      var box = label.getBoundingClientRect();
      var covers = kept.some(function (k) {
        return box.left < k.right && box.right > k.left && box.top < k.bottom && box.bottom > k.top;
      });
      if (covers) label.style.visibility = "hidden"; else kept.push(box);
    });
  }

  /* Fit the map to its bounds once the page has its final size (after compact). */
  dm.fit = function () {
    var pad = document.body.classList.contains("dm-compact") ? 8 : 30;
    dm.map.fitBounds(dm.bounds, { padding: [pad, pad], maxZoom: 9, animate: false });
    declutter();
    dm.map.on("zoomend overlayadd overlayremove", function () { window.requestAnimationFrame(declutter); });
  };

  /* Every drawn record as {layer, id, lat, lng}: what tests and screen-reader tables count. */
  dm.records = function () {
    var out = [];
    Object.keys(dm.layers).forEach(function (title) {
      var entry = dm.layers[title];
      entry.group.eachLayer(function (layer) {
        if (layer.options && layer.options.recordId !== undefined) {
          var ll = layer.getLatLng();
          out.push({ layer: title, id: layer.options.recordId, lat: ll.lat, lng: ll.lng });
        }
      });
      entry.specs.forEach(function (spec) {
        if (spec.type !== "cloud") return;
        for (var i = 0; i < spec.lat.length; i++) {
          var ll = latLng(spec, i);
          out.push({ layer: title, id: cell(spec, "id", i), lat: ll[0], lng: ll[1] });
        }
      });
    });
    return out;
  };
})();
