/* The records table for screen readers (document.py records_table) comes inside <noscript>: a reader
 * without JavaScript gets it as it is, and this page builds it once the map is drawn, so its thousands
 * of cells cost the first layout nothing. The noscript's text is the page's own escaped markup; parsed
 * inert in a <template>, it gives the very elements the page would have had, and record text stays text.
 * A still picture (print.js) takes it whole before ready, so the PDF keeps the table's text.
 * A live page adds its rows TABLE_STEP at a time, one step an idle moment: 500 rows at once were one task of
 * about 70 ms (the style, layout and pre-paint of 5,800 boxes) in the frames just after the map shows,
 * where a reader's first pan or click would wait for it. A step of 50 rows is a task of 10-18 ms;
 * each step also costs a frame (about 5 ms), so smaller steps cost more in all (measured: 25 rows
 * a step, 80 ms more than one task; 50 rows, 55 ms). Meanwhile the table is aria-busy, so assistive
 * technology presents it once it is whole. */
var TABLE_STEP = 50;

function recordsTable(whole) {
  var held = document.getElementById("dm-records");
  if (!held) return;
  // the rows past the first step stay text, each step's parsed when it comes: record text is escaped
  // (document.py records_table), so "<tr>" in the held markup only ever opens a row
  var text = held.textContent, open = text.indexOf("<tbody>") + "<tbody>".length, close = text.lastIndexOf("</tbody>");
  var rows = whole || close < open ? [] : text.slice(open, close).split("<tr>").slice(1);
  var later = rows.slice(TABLE_STEP);
  var parsed = document.createElement("template");
  parsed.innerHTML = later.length ? text.slice(0, open) + "<tr>" + rows.slice(0, TABLE_STEP).join("<tr>") + text.slice(close) : text;
  var table = parsed.content.querySelector("table"), body = table && table.tBodies[0];
  if (later.length) table.setAttribute("aria-busy", "true");
  held.replaceWith(parsed.content);
  if (later.length) idle(step);

  function step() {
    var next = document.createElement("template"), rowsNow = document.createDocumentFragment();
    next.innerHTML = "<table><tbody><tr>" + later.splice(0, TABLE_STEP).join("<tr>") + "</tbody></table>";
    Array.prototype.slice.call(next.content.querySelector("tbody").rows).forEach(function (row) { rowsNow.appendChild(row); });
    body.appendChild(rowsNow);
    if (later.length) idle(step);
    else table.removeAttribute("aria-busy");
  }
}

function idle(then) {
  if (window.requestIdleCallback) requestIdleCallback(then, { timeout: 500 });
  else setTimeout(then);
}

var whenTable = dm.settled;
dm.settled = function (then) {
  if (dm.still) recordsTable(true);
  whenTable(function () {
    then();
    // two frames: the map is on screen (drawn) before the table's layout, in the first idle moment
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { idle(function () { recordsTable(false); }); });
    });
  });
};
