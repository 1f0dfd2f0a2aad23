/* The order-of-battle panel: deploymap.orbat (the tree the build made from the reports_to chain) as an
 * ARIA tree beside the map. Selecting a node opens its record's marker and highlights it; opening a
 * marker highlights its node. Arrow keys move, expand and collapse; Enter or Space selects. */
var orbatItems = [];

function orbatLayer(id) {
  var found = null;
  dm.layers.forEach(function (entry) {
    entry.group.eachLayer(function (layer) {
      if (!found && layer.options && layer.options.recordId === id) found = layer;
    });
  });
  return found;
}

function orbatItem(node, level, into) {
  var item = el("li", "dm-orbat-node");
  item.setAttribute("role", "treeitem");
  item.setAttribute("aria-level", level);
  item.setAttribute("aria-selected", "false");
  item.setAttribute("data-node", node.id);
  item.tabIndex = -1;
  orbatItems.push(item);  // in document order: the order arrow keys move in
  var row = el("span", "dm-orbat-row");
  var symbol = app6(node.symbol);
  row.appendChild(symbol ? symbol.svg : el("span", "dm-orbat-dot dm-" + node.kind));
  var words = el("span", "dm-orbat-text");
  words.appendChild(el("span", "dm-orbat-name", node.name));
  if (node.where) words.appendChild(el("span", "dm-orbat-where", ", " + node.where));
  row.appendChild(words);
  item.appendChild(row);
  if (node.children.length) {
    item.setAttribute("aria-expanded", "true");
    var group = el("ul");
    group.setAttribute("role", "group");
    node.children.forEach(function (child) { orbatItem(child, level + 1, group); });
    item.appendChild(group);
  }
  item.addEventListener("click", function (e) {
    e.stopPropagation();
    orbatSelect(item);
  });
  into.appendChild(item);
}

/* The items a reader can reach now: those whose every ancestor is expanded. */
function orbatVisible() {
  return orbatItems.filter(function (item) { return item.offsetParent !== null; });
}

function orbatFocus(item) {
  orbatItems.forEach(function (other) { other.tabIndex = other === item ? 0 : -1; });
  item.focus();
}

/* Mark a node selected and its marker (if drawn) highlighted. */
function orbatMark(item, layer) {
  orbatItems.forEach(function (other) { other.setAttribute("aria-selected", other === item ? "true" : "false"); });
  document.querySelectorAll(".dm-selected").forEach(function (n) { n.classList.remove("dm-selected"); });
  var shown = layer && layer.getElement ? layer.getElement() : null;
  if (shown) shown.classList.add("dm-selected");
}

/* Select a node from the panel: its marker comes into view with its popup open. */
function orbatSelect(item) {
  orbatFocus(item);
  var layer = orbatLayer(item.getAttribute("data-node"));
  orbatMark(item, layer);
  if (!layer) return;
  if (layer.getLatLng && !dm.map.getBounds().contains(layer.getLatLng())) dm.map.panTo(layer.getLatLng(), { animate: false });
  layer.openPopup();
}

function orbatKey(e) {
  var item = e.target.closest('[role="treeitem"]');
  if (!item) return;
  var visible = orbatVisible(), at = visible.indexOf(item);
  var expanded = item.getAttribute("aria-expanded");
  var parent = item.parentNode.closest('[role="treeitem"]');
  var move = null;
  if (e.key === "ArrowDown") move = visible[at + 1];
  else if (e.key === "ArrowUp") move = visible[at - 1];
  else if (e.key === "Home") move = visible[0];
  else if (e.key === "End") move = visible[visible.length - 1];
  else if (e.key === "ArrowRight") {
    if (expanded === "false") item.setAttribute("aria-expanded", "true");
    else if (expanded === "true") move = item.querySelector('[role="treeitem"]');
  } else if (e.key === "ArrowLeft") {
    if (expanded === "true") item.setAttribute("aria-expanded", "false");
    else move = parent;
  } else if (e.key === "Enter" || e.key === " ") orbatSelect(item);
  else return;
  e.preventDefault();
  if (move) orbatFocus(move);
}

/* Save the diagram the build drew, from the page's own data: a blob, so nothing is requested. */
function orbatDownload() {
  var link = el("a");
  link.href = URL.createObjectURL(new Blob([dm.orbat.svg], { type: "image/svg+xml" }));
  link.download = dm.orbat.file;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 0);
}

/* The tree follows the timeline: a unit not on the map that day leaves it (with what it commands). */
function orbatFollow() {
  if (!dm.onMap) return;
  orbatItems.forEach(function (item) { item.hidden = !dm.onMap(item.getAttribute("data-node")); });
}

dm.orbatPanel = function () {
  var box = document.querySelector(".dm-orbat-tree");
  if (!box || !dm.orbat) return;
  var list = el("ul");
  list.setAttribute("role", "none");  // the tree owns its top items directly (no list between them)
  dm.orbat.tree.forEach(function (node) { orbatItem(node, 1, list); });
  box.appendChild(list);
  if (orbatItems.length) orbatItems[0].tabIndex = 0;
  box.addEventListener("keydown", orbatKey);
  var panel = box.parentNode, wrap = panel.parentNode;
  if (document.body.classList.contains("dm-compact")) panel.open = false;
  // on a wide screen the open panel is a column beside the map (page.css): the map takes the room back
  wrap.classList.toggle("dm-orbat-open", panel.open);
  panel.addEventListener("toggle", function () {
    wrap.classList.toggle("dm-orbat-open", panel.open);
    dm.map.invalidateSize({ animate: false });
  });
  panel.querySelector(".dm-orbat-download").addEventListener("click", orbatDownload);
  orbatFollow();
  dm.map.on("overlayadd", orbatFollow);
  // a marker opened on the map selects its node in the panel
  dm.map.on("popupopen", function (e) {
    var source = e.popup._source, id = source && source.options.recordId;
    var item = orbatItems.filter(function (i) { return i.getAttribute("data-node") === id; })[0];
    if (!item) return;
    orbatMark(item, source);
    item.scrollIntoView({ block: "nearest" });
  });
};
document.addEventListener("DOMContentLoaded", function () { dm.orbatPanel(); });
