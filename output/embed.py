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
"""
