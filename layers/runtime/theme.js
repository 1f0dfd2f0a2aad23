/* Light or dark: the map's theme (auto follows the reader's prefers-color-scheme), unless the page
 * that embeds it passes its own choice in the address (NAME.html#theme=dark or ?theme=light).
 * The page's CSS does the theming from the dm-dark class; the base map, drawn on a canvas, takes
 * its land and border colours from the same CSS variables. */
var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
var baseMaps = [];

function chosenTheme() {
  var asked = /(?:^|[#?&])theme=(light|dark|auto)\b/.exec(window.location.hash + "&" + window.location.search);
  var theme = asked ? asked[1] : document.documentElement.getAttribute("data-theme") || "auto";
  return theme === "auto" ? (darkQuery && darkQuery.matches ? "dark" : "light") : theme;
}

function themeColour(name) {
  return window.getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function applyTheme() {
  document.documentElement.classList.toggle("dm-dark", chosenTheme() === "dark");
  var land = themeColour("--dm-land"), border = themeColour("--dm-border");
  baseMaps.forEach(function (group) { group.setStyle({ fillColor: land, color: border }); });
}

/* The base map's land is drawn in the theme's colours. */
var drawThemed = dm.draw;
dm.draw = function (group, spec) {
  if (spec.type === "land") {
    spec.fill = themeColour("--dm-land") || spec.fill;
    spec.color = themeColour("--dm-border") || spec.color;
    baseMaps.push(group);
  }
  drawThemed(group, spec);
};

applyTheme();
window.addEventListener("hashchange", applyTheme);
if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", applyTheme);
