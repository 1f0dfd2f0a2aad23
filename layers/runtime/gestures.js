/* Cooperative gestures, as Google Maps' gestureHandling "cooperative": in an article's frame the
 * wheel and one finger scroll the article, Ctrl/Cmd + wheel zooms and two fingers pan and pinch,
 * with a short hint saying so. A standalone page keeps Leaflet's ordinary gestures. Either way a
 * reset button returns the map to the view it was published with. */
var ResetControl = L.Control.extend({
  options: { position: "topleft" },
  onAdd: function () {
    var bar = el("div", "leaflet-bar dm-reset");
    var button = el("button");
    button.type = "button";
    button.title = dm.messages.reset_view;
    button.setAttribute("aria-label", dm.messages.reset_view);
    var glyph = el("span", null, "\u2302");
    glyph.setAttribute("aria-hidden", "true");
    button.appendChild(glyph);
    bar.appendChild(button);
    L.DomEvent.disableClickPropagation(bar);
    L.DomEvent.on(button, "click", function () { dm.home(); });
    return bar;
  }
});

/* A hint over the map for a moment; pointer gestures mean nothing to a screen reader, so it is
 * hidden from one. */
function hinter(wrap) {
  var note = el("div", "dm-hint");
  note.setAttribute("aria-hidden", "true");
  wrap.appendChild(note);
  var timer = null;
  return function (text) {
    note.textContent = text;
    note.classList.add("dm-hint-on");
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { note.classList.remove("dm-hint-on"); }, 1600);
  };
}

dm.gestures = function () {
  var map = dm.map, box = map.getContainer(), wrap = box.parentNode;
  new ResetControl().addTo(map);
  if (!dm.framed) return;
  var hint = hinter(wrap);
  var inControl = function (target) { return target.closest && target.closest(".leaflet-control"); };
  // Leaflet's wheel zoom listens on the map's container: a plain wheel is stopped one level up, on
  // its way down, so it never gets there and the browser scrolls the article as it would anyway.
  wrap.addEventListener("wheel", function (e) {
    if (e.ctrlKey || e.metaKey) return;
    e.stopPropagation();
    if (!inControl(e.target)) hint(dm.messages.hint_wheel);
  }, { capture: true, passive: true });
  // One finger: the browser scrolls the page (touch-action), Leaflet does not drag. Two fingers:
  // Leaflet's pinch handler pans and zooms. A mouse still drags the map.
  box.style.touchAction = "pan-y";
  wrap.addEventListener("pointerdown", function (e) {
    if (e.pointerType === "touch") map.dragging.disable(); else map.dragging.enable();
  }, true);
  // pan-y lets a browser pan the article with two fingers as well (and Safari follows touch
  // events): a two-finger gesture is kept from it for Leaflet's pinch handler to pan and zoom
  function twoFingers(e) {
    if (e.touches.length > 1) e.preventDefault();
    else if (e.type === "touchmove" && !inControl(e.target)) hint(dm.messages.hint_touch);
  }
  box.addEventListener("touchstart", twoFingers, { passive: false });
  box.addEventListener("touchmove", twoFingers, { passive: false });
};
