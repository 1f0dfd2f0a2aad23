"""The snippet a newsroom pastes into an article: an iframe that takes its height from the map page,
a link fallback, a tiny listener script, and AMP."""
from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

from output.mapspec import MapSpec

# Sets each deploymap iframe's height from the page inside it. The map page posts
# {"sentinel": "amp", "type": "embed-size", "height": N} (layers/runtime/frame.js); a message counts
# only when it comes from that iframe's window and its address's origin. The first one also hides
# the link fallback: the map is there. Pasted twice, the script listens once.
LISTENER = """<script>
(function () {
  if (window.deploymapEmbeds) return;
  window.deploymapEmbeds = true;
  window.addEventListener("message", function (e) {
    var d = e.data;
    if (!d || d.sentinel !== "amp" || d.type !== "embed-size") return;
    var height = Number(d.height);
    if (!(height > 0 && height < 20000)) return;
    document.querySelectorAll("iframe[data-deploymap]").forEach(function (frame) {
      if (e.source !== frame.contentWindow || e.origin !== new URL(frame.src, location.href).origin) return;
      frame.style.height = Math.ceil(height) + "px";
      var fallback = frame.parentNode.querySelector(".deploymap-fallback");
      if (fallback) fallback.hidden = true;
    });
  });
}());
</script>"""


# Scroll mode: the article's scrolling tells a map's steps, like scrollama (our own few lines). Each
# block marked data-deploymap-step="N" is step N; when one crosses the line three quarters down the
# window (an IntersectionObserver on a band one percent high), the map in the same
# [data-deploymap-scroll] box is sent {"sentinel": "deploymap", "type": "step", "step": N}, to that
# frame's origin only; the map (layers/runtime/story.js) takes it only from its parent window, from
# the parent's origin, in that shape. The map's address ends ?mode=scroll: it then fills its sticky
# frame and leaves the words to the article. Pasted twice, the script runs once.
SCROLLER = """<script>
(function () {
  if (window.deploymapScroll) return;
  window.deploymapScroll = true;
  document.querySelectorAll("[data-deploymap-scroll]").forEach(function (story) {
    var frame = story.querySelector("iframe"), current = 0;
    var origin = new URL(frame.src, location.href).origin;
    function send() {
      // a file: page's origin is opaque ("null"), which postMessage cannot name; the step is no secret
      if (current) frame.contentWindow.postMessage({ sentinel: "deploymap", type: "step", step: current },
        origin === "null" ? "*" : origin);
    }
    var watch = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) return;
        current = Number(e.target.getAttribute("data-deploymap-step"));
        send();
      });
    }, { rootMargin: "-75% 0px -24% 0px" });
    story.querySelectorAll("[data-deploymap-step]").forEach(function (step) { watch.observe(step); });
    frame.addEventListener("load", send);  // a step reached before the map was there
  });
}());
</script>"""

# Wide: the steps in a column beside the sticky map; narrow: the map stuck to the top of the window,
# the steps passing under it.
SCROLL_STYLE = """<style>
.deploymap-scroll { position: relative; margin: 1em 0; }
.deploymap-scroll iframe { position: sticky; top: 0; display: block; width: 100%; height: 60vh; border: 0; z-index: 1;
  background: #fff; }
.deploymap-steps { padding: 45vh 0 30vh; }
.deploymap-steps [data-deploymap-step] { max-width: 30em; margin: 0 auto 45vh; padding: 10px 14px; background: #fff;
  border: 1px solid #ccc; border-radius: 4px; }
.deploymap-steps [data-deploymap-step]:last-child { margin-bottom: 0; }
@media (min-width: 900px) {
  .deploymap-scroll { display: grid; grid-template-columns: minmax(16em, 1fr) 2fr; gap: 24px; align-items: start; }
  .deploymap-scroll iframe { grid-column: 2; grid-row: 1; height: 90vh; top: 5vh; }
  .deploymap-steps { grid-column: 1; grid-row: 1; padding: 60vh 0 40vh; }
}
</style>"""


def scroll_snippet(spec: MapSpec, src: str) -> str:
    """The scroll embed of a map with steps: its sticky frame (the map in scroll mode), one block per
    step with the step's title and text (the desk edits or moves them), the style and SCROLLER."""
    title, href = escape(spec.title), escape(f"{src}?mode=scroll", quote=True)
    steps = "\n".join(f'<section data-deploymap-step="{n}"><h3>{escape(s["title"])}</h3><p>{escape(s.get("text", ""))}</p>'
                      "</section>" for n, s in enumerate(spec.steps, 1))
    return f"""<!-- deploymap scroll story: {title}. The reader's scrolling drives the map's steps: each
 data-deploymap-step="N" block is step N (edit their words, add paragraphs between them). -->
{SCROLL_STYLE}
<div class="deploymap-scroll" data-deploymap-scroll>
<iframe src="{href}" title="{title}" allowfullscreen></iframe>
<div class="deploymap-steps">
{steps}
</div>
</div>
<p><a href="{escape(src, quote=True)}">Open the map: {title}</a></p>
{SCROLLER}"""


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot prefix a map's address in the embed snippet (None when it can): only
    http(s)://host/path/ or a relative path, ending in '/'; never javascript:, data: or '//host'."""
    if url == "":
        return None
    if re.search(r"[\x00-\x20\x7f\\]", url):
        return f"{url!r} contains a space, a control character or a backslash"
    if not url.endswith("/"):
        return f"{url!r} does not end with '/', so the map's file name would run into it"
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    if parts.scheme or url.startswith("//"):
        return f"{url!r} is neither an http(s)://host/ address nor a relative path"
    return None


def embed_snippet(spec: MapSpec, src: str) -> str:
    """An iframe as tall as the map page says it is (at first, the map's aspect ratio), its link fallback
    and listener, with an inert AMP variant after it."""
    title, href = escape(spec.title), escape(src, quote=True)
    return f"""<!-- deploymap embed: {title} -->
<div class="deploymap-embed">
<iframe data-deploymap src="{href}" title="{title}" loading="lazy" allowfullscreen
 style="display:block;width:100%;aspect-ratio:{spec.width} / {spec.height};border:0;"></iframe>
<p class="deploymap-fallback" style="margin:4px 0;font-size:0.8em;"><a href="{href}">Open the map: {title}</a></p>
</div>
{LISTENER}
<!-- AMP pages: use this variant instead (needs the amp-iframe component script); it resizes from the same message. -->
<template data-variant="amp">
<amp-iframe src="{href}" title="{title}" width="{spec.width}" height="{spec.height}" layout="responsive" resizable
 sandbox="allow-scripts allow-same-origin allow-popups" frameborder="0">
<div overflow tabindex="0" role="button" aria-label="Show the whole map">Show the whole map</div>
<a placeholder href="{href}">Open the map: {title}</a>
</amp-iframe>
</template>
""" + (f"""<!-- A scrolling story: paste this variant's content instead; the article's scrolling steps the map. -->
<template data-variant="scroll">
{scroll_snippet(spec, src)}
</template>
""" if spec.steps else "")
