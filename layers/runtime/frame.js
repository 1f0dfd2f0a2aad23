/* The page in an article's frame, or standalone. */
dm.framed = (function () {
  try { return window.self !== window.top; } catch (e) { return true; }  // a cross-origin parent
}());
