/* The story: steps that each set the map's view, date, layers and highlighted records, told in a
 * panel with previous/next buttons, arrow keys and a counter read out to screen readers. The URL's
 * hash keeps the step (#step-3). */
var HASH = /^#step-(\d+)$/;

/* Scroll mode (NAME.html?mode=scroll, the scroll embed's address): the host article's scrolling
 * chooses the step (output/embed.py SCROLLER posts {sentinel: "deploymap", type: "step", step: N}),
 * and the step's words are the article's, so the page shows the map alone and fills its frame. */
var SCROLLED = /[?&]mode=scroll(&|$)/.test(location.search);
if (SCROLLED) document.documentElement.classList.add("dm-scroll");

/* The page read on its own (not a still picture, a scroll embed or an article's frame): on a wide
 * screen the story's words and the open order of battle take columns beside the map (page.css), a
 * condition set here once rather than written out in every rule. */
if (!dm.still && !SCROLLED && !dm.framed) document.documentElement.classList.add("dm-columns");

/* The origin of the page around this frame, where the browser says it (Chromium and Safari give
 * ancestorOrigins, others the referrer); null when it does not. */
function hostOrigin() {
  if (location.ancestorOrigins && location.ancestorOrigins.length) return location.ancestorOrigins[0];
  try { return document.referrer ? new URL(document.referrer).origin : null; } catch (e) { return null; }
}

/* The step a message from the host asks for, or 0: only the window around this frame, from its
 * origin, with the snippet's shape and one of this map's step numbers. */
function hostStep(e, count) {
  var d = e.data, origin = hostOrigin();
  if (window.parent === window || e.source !== window.parent) return 0;
  if (origin && origin !== e.origin) return 0;
  if (!d || d.sentinel !== "deploymap" || d.type !== "step") return 0;
  return typeof d.step === "number" && d.step % 1 === 0 && d.step >= 1 && d.step <= count ? d.step : 0;
}

function highlight(ids) {
  Object.keys(byRecord).forEach(function (id) {
    var layer = byRecord[id], on = ids.indexOf(id) >= 0;
    var node = layer.badge || (layer.getElement && layer.getElement());
    // an attribute, not a class: a marker's classes say its kind
    if (node && on) node.setAttribute("data-highlight", "");
    if (node && !on) node.removeAttribute("data-highlight");
  });
}

function showLayers(wanted) {
  Object.keys(wanted).forEach(function (title) {
    var entry = dm.layers.get(title);
    if (!entry) return;
    if (wanted[title]) dm.map.addLayer(entry.group);
    else dm.map.removeLayer(entry.group);
  });
}

function arrowed(text, arrow, after) {
  var b = el("button", "dm-tl-button"), glyph = el("span", null, arrow);
  b.type = "button";
  glyph.setAttribute("aria-hidden", "true");
  b.appendChild(after ? document.createTextNode(text + " ") : glyph);
  b.appendChild(after ? glyph : document.createTextNode(" " + text));
  return b;
}

dm.story = function (steps, words) {
  var panel = document.getElementById("dm-story"), published = dm.view;
  while (panel.firstChild) panel.removeChild(panel.firstChild);
  var counter = el("p", "dm-story-count");
  counter.setAttribute("aria-live", "polite");
  var title = el("h2", "dm-story-title"), text = el("p", "dm-story-text");
  var nav = el("div", "dm-story-nav");
  // named by their words alone: the arrows are hidden from screen readers
  var back = arrowed(words.previous_step, "\u25C0", false), next = arrowed(words.next_step, "\u25B6", true);
  nav.appendChild(back);
  nav.appendChild(next);
  [counter, title, text, nav].forEach(function (e) { panel.appendChild(e); });
  panel.parentNode.classList.add("dm-steps");  // a wide page sets the words beside the map (page.css)

  function go(n) {
    n = Math.max(1, Math.min(steps.length, n | 0 || 1));
    var step = steps[n - 1];
    dm.step = n;
    counter.textContent = fill(words.step, { n: n, count: steps.length });
    title.textContent = step.title;
    while (text.firstChild) text.removeChild(text.firstChild);
    linked(text, step.text || "");
    back.disabled = n === 1;
    next.disabled = n === steps.length;
    if (step.date && dm.setDay) dm.setDay(dayInterval(step.date)[1]);
    showLayers(step.layers || {});
    dm.map.fire("overlayadd");  // labels.js places the step's labels (the build's, for its view and date)
    // the step's view becomes the one the reset button returns to
    var b = step.bounds;
    dm.view = b ? { bounds: [[b[1], b[0]], [b[3], b[2]]], subject: step.subject || [] } : published;
    dm.map.invalidateSize({ animate: false });  // the step's text may take more or less room from the map
    dm.home();
    // a circle has its element once the map has its first view (view.js)
    dm.map.whenReady(function () { highlight(step.highlight || []); });
    if (!SCROLLED && location.hash !== "#step-" + n) history.replaceState(null, "", "#step-" + n);
  }

  back.addEventListener("click", function () { go(dm.step - 1); });
  next.addEventListener("click", function () { go(dm.step + 1); });
  panel.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight" || e.key === "ArrowDown") { e.preventDefault(); go(dm.step + 1); }
    if (e.key === "ArrowLeft" || e.key === "ArrowUp") { e.preventDefault(); go(dm.step - 1); }
  });
  panel.tabIndex = -1;  // a click on its text gives it focus, so the arrows work there too
  window.addEventListener("hashchange", function () {
    var m = HASH.exec(location.hash);
    if (m) go(+m[1]);
  });
  window.addEventListener("message", function (e) {
    var n = hostStep(e, steps.length);
    if (n && n !== dm.step) go(n);
  });
  var start = HASH.exec(location.hash);
  go(start ? +start[1] : 1);
};
