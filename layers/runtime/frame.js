/* The page in an article's frame. Framed (window.self !== window.top), the page takes the height
 * its content needs (the map at its aspect ratio, header and footer outside it) and tells its
 * parent that height whenever it changes, with the message AMP's amp-iframe reads:
 *   {"sentinel": "amp", "type": "embed-size", "height": N}
 * The embed snippet's listener sets the iframe's height from it. */
dm.framed = (function () {
  try { return window.self !== window.top; } catch (e) { return true; }  // a cross-origin parent
}());

if (dm.framed) {
  document.documentElement.classList.add("dm-framed");
  new ResizeObserver(function () {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ sentinel: "amp", type: "embed-size", height: height }, "*");
  }).observe(document.documentElement);
}
