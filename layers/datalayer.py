"""What every layer builder returns, and the one way record data reaches the page: as JSON data
that the runtime (layers/runtime/) draws, so record text is never written into markup."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

import folium
from branca.element import Element, MacroElement
from folium.template import Template

if TYPE_CHECKING:
    from layers.labels import Mark

LARGE = 2000  # past this many points a layer is drawn on one canvas, popups built on click


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a symbol, its colour and what it means."""

    label: str
    symbol: str  # base, command, event, deployment, circle, line, route, area, ring
    color: str
    note: str = ""


@dataclass
class Layer:
    """A built layer: its toggle in the layer control, its legend lines, and how to get the GeoJSON
    of what it drew (only `build` writes that, and at 100,000 points it takes most of a second)."""

    group: folium.FeatureGroup
    legend: list[LegendEntry]
    features: Callable[[], list[dict[str, Any]]]
    count: int = 0  # records drawn
    large: bool = False
    marks: list[Mark] = field(default_factory=list)  # its points for label placement (layers/labels.py)


# branca compiles what each element renders as a Jinja template once more, so record text must
# never carry a Jinja opener ('{{', '{%', '{#') into the page: it would run at build time.
JINJA_OPENERS = (("{{", "{\\u007b"), ("{%", "{\\u0025"), ("{#", "{\\u0023"))


def safe_json(data: Any) -> str:
    """JSON that is safe inside a <script>: with every '<' escaped, no '</script>' or '<!--' can end
    or change the script; Jinja openers and line separators are escaped too. JSON's own structure
    never puts '{' before '{', '%' or '#', so those pairs only ever come from inside strings."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"), *JINJA_OPENERS):
        text = text.replace(raw, escaped)
    return text


def html_text(text: str) -> str:
    """Text escaped for HTML (and attributes), with '{' as an entity so no Jinja opener survives."""
    return escape(text).replace("{", "&#123;")


class Literal(Element):
    """Text that goes into the page as it is, never compiled as a template."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class PagePart(MacroElement):
    """A MacroElement whose rendered header, html and script go into the page as they are: branca
    would compile each again as a Jinja template (a large layer's data is megabytes to lex), and what
    deploymap writes is escaped for the page already (safe_json, html_text)."""

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        module = self._template.module
        for part in ("header", "html", "script"):
            macro = getattr(module, part, None)
            if macro is not None:
                getattr(figure, part).add_child(Literal(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class DataLayer(PagePart):
    """Draws a layer spec into its parent FeatureGroup through the runtime's deploymap.draw."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        deploymap.draw({{ this._parent.get_name() }}, {{ this.payload }});
        {% endmacro %}
    """)

    def __init__(self, spec: dict[str, Any]):
        super().__init__()
        self._name = "DataLayer"
        self.payload = safe_json(spec)


def feature_group(title: str, *specs: dict[str, Any]) -> folium.FeatureGroup:
    """A FeatureGroup titled for the layer control (escaped: Leaflet writes it as HTML) drawing ``specs``."""
    group = folium.FeatureGroup(name=html_text(title))
    for spec in specs:
        group.add_child(DataLayer({"title": title, **spec}))
    return group
