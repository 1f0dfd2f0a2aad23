/* deploymap runtime, core: the namespace and the helpers every concern shares.
 * Record text only ever reaches the page through textContent, never as HTML. */
/* layers and drawn are Maps keyed by layer title: a title such as "__proto__" or "constructor" is
 * text like any other, never a property of an object. */
var dm = window.deploymap = { layers: new Map(), drawn: new Map(), ready: false };

function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

/* The page boxes (getBoundingClientRect) of the elements under ``root`` (the document when none) that
 * ``selector`` matches and ``keep`` (when given) keeps: every reader of several boxes in one layout. */
function pageBoxes(selector, root, keep) {
  var nodes = Array.prototype.slice.call((root || document).querySelectorAll(selector));
  return (keep ? nodes.filter(keep) : nodes).map(function (n) { return n.getBoundingClientRect(); });
}

function cell(spec, field, i) {
  var column = spec.columns[field];
  if (!column) return null;
  if (column.get) return column.get(i);  // a canvas layer's packed column (cloud.js)
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

/* The area two boxes ({left, top, right, bottom}) share: 0 when they do not meet. */
function overlap(a, b) {
  return Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
    Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
}
