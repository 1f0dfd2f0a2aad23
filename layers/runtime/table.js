/* The records table for screen readers (document.py records_table) comes inside <noscript>: a reader
 * without JavaScript gets it as it is, and this page builds it once the map is drawn, so its thousands
 * of cells cost the first layout nothing. The noscript's text is the page's own escaped markup; parsed
 * inert in a <template>, it gives the very elements the page would have had, and record text stays text.
 * A still picture (print.js) takes it before ready, so the PDF keeps the table's text. */
function recordsTable() {
  var held = document.getElementById("dm-records");
  if (!held) return;
  var parsed = document.createElement("template");
  parsed.innerHTML = held.textContent;
  held.replaceWith(parsed.content);
}

var whenTable = dm.settled;
dm.settled = function (then) {
  if (dm.still) recordsTable();
  whenTable(function () {
    then();
    // two frames: the map is on screen (drawn) before the table's layout, in the first idle moment
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        if (window.requestIdleCallback) requestIdleCallback(recordsTable, { timeout: 500 });
        else setTimeout(recordsTable);
      });
    });
  });
};
