/* Print and still pictures. The page opened with "?still" (the PDF, previews and the share image
 * deploymap takes; "?still=social" for the share image's larger title) shows no controls and draws
 * every shape as SVG, so a PDF keeps them as vector paths; printing hides the controls too
 * (page.css) and prints the key open. */
var stillMode = new URLSearchParams(window.location.search).get("still");
dm.still = stillMode !== null;
if (dm.still) document.documentElement.classList.add("dm-still");
if (stillMode === "social") document.documentElement.classList.add("dm-social");

window.addEventListener("beforeprint", function () {
  var key = document.querySelector("details.dm-legend");
  if (key) key.open = true;
});
