"""Leaflet's JavaScript and CSS, inlined from the pinned django-js-lib-leaflet package (Leaflet 1.9.4)
or linked from a CDN with subresource integrity; plus deploymap's own runtime and styles."""
from __future__ import annotations

import base64
import re
from functools import cache
from importlib.resources import files

LEAFLET_VERSION = "1.9.4"
CDN = f"https://unpkg.com/leaflet@{LEAFLET_VERSION}/dist"
# The integrity hashes Leaflet publishes for 1.9.4; they match the pinned package's files.
INTEGRITY = {"leaflet.css": "sha256-p4NxAoJBhIIN+hmNHrzRCf9tD/miZyoHS5obTRR9BMY=",
             "leaflet.js": "sha256-20nQCchB9co0qIjJZRGuk2/Z9VM+kNiyxNV1lvTlZBo="}


def _leaflet(name: str) -> str:
    return (files("js_lib_leaflet") / "static" / "js_lib_leaflet" / name).read_text(encoding="utf-8")


@cache
def leaflet_js() -> str:
    """Leaflet's minified JS without its source-map comment (which would be a request in devtools)."""
    return re.sub(r"//# sourceMappingURL=\S+\s*$", "", _leaflet("leaflet.js"))


@cache
def leaflet_css() -> str:
    """Leaflet's CSS with its images inlined as data URIs, so nothing is fetched."""
    def inline(match: re.Match[str]) -> str:
        data = (files("js_lib_leaflet") / "static" / "js_lib_leaflet" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode()})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, _leaflet("leaflet.css"))


@cache
def own(package: str, name: str) -> str:
    """A text file shipped inside one of deploymap's packages."""
    return (files(package) / name).read_text(encoding="utf-8")


# The page's runtime, one file per concern under layers/runtime/, joined in this order inside one
# function scope so the files share core.js's helpers without putting them on window.
RUNTIME = ("core", "labels", "shapes", "draw", "totals", "annotations", "cloud", "edges", "inset", "view", "a11y",
           "theme", "records", "frame", "gestures", "print", "orbat", "timeline", "story", "table")
# Only a page with a rich layer painted on a canvas (layers/datalayer.py RICH) carries its runtime, last:
# it takes over a few of the files' helpers for such layers, and every other page keeps its bytes.
PAINTED = ("richcanvas",)


# A comment standing alone on its lines (a /* */ block or // lines) is for the runtime's readers, not
# the page's: left out of the page, it is a fifth of the runtime's bytes.
COMMENT_LINES = re.compile(r"^[ \t]*(?:/\*(?:(?!\*/)[\s\S])*\*/|//[^\n]*)[ \t]*\n", re.MULTILINE)


@cache
def runtime(painted: bool = False) -> str:
    """deploymap's page runtime: the files of RUNTIME (and PAINTED when ``painted``) joined in order,
    in one strict-mode IIFE."""
    names = RUNTIME + (PAINTED if painted else ())
    parts = "\n".join(COMMENT_LINES.sub("", own("layers", f"runtime/{name}.js")) for name in names)
    return f'(function () {{\n"use strict";\n{parts}}})();\n'


def head(assets: str, painted: bool = False) -> str:
    """The <head> markup for Leaflet and deploymap: everything inline, or Leaflet from the CDN; the
    canvas layers' runtime too when ``painted``."""
    if assets == "cdn":
        leaflet = (f'<link rel="stylesheet" href="{CDN}/leaflet.css" integrity="{INTEGRITY["leaflet.css"]}" '
                   f'crossorigin="">\n<script src="{CDN}/leaflet.js" integrity="{INTEGRITY["leaflet.js"]}" '
                   f'crossorigin=""></script>')
    else:
        leaflet = f"<style>{leaflet_css()}</style>\n<script>{leaflet_js()}</script>"
    return f"{leaflet}\n<style>{own('output', 'page.css')}</style>\n<script>{runtime(painted)}</script>"
