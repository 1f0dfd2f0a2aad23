/* Permanent labels beside markers and circles, and hiding those that would overlap. */
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
