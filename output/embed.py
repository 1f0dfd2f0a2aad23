"""The snippet a newsroom pastes into an article: a responsive iframe, a link fallback, and AMP."""
from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

from output.mapspec import MapSpec


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
    """Responsive iframe keeping the map's aspect ratio at any width, with an inert AMP variant after it."""
    title, href = escape(spec.title), escape(src, quote=True)
    ratio = round(100 * spec.height / spec.width, 4)
    return f"""<!-- deploymap embed: {title} -->
<div class="deploymap-embed" style="position:relative;width:100%;height:0;padding-bottom:{ratio}%;">
<iframe src="{href}" title="{title}" loading="lazy" allowfullscreen
 style="position:absolute;top:0;left:0;width:100%;height:100%;border:0;"></iframe>
</div>
<p class="deploymap-fallback" style="margin:4px 0;font-size:0.8em;"><a href="{href}">Open the map: {title}</a></p>
<!-- AMP pages: use this variant instead (needs the amp-iframe component script). -->
<template data-variant="amp">
<amp-iframe src="{href}" title="{title}" width="{spec.width}" height="{spec.height}" layout="responsive"
 sandbox="allow-scripts allow-same-origin allow-popups" frameborder="0">
<a placeholder href="{href}">Open the map: {title}</a>
</amp-iframe>
</template>
"""
