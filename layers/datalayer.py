"""What every layer builder returns, and the one way record data reaches the page: as JSON data
that the runtime (layers/runtime/) draws, so record text is never written into markup."""
from __future__ import annotations

import copy
import functools
import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

import folium
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement
from folium.template import Template

from layers.packed import Deflated

if TYPE_CHECKING:
    from layers.labels import Mark

LARGE = 2000  # past this many points a layer is drawn on one canvas, popups built on click
# past this many marks a rich point layer's symbols, circles and labels are painted on a canvas, not each
# its own DOM element: at 100 marks a layer the DOM page is already drawn later and zooms at twice the
# canvas page's frame time (bench/PROFILE.md, "Rich layers on a canvas"); the seed maps' few stay DOM markers
RICH = 100


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
    # what was encoded once for the layer and every copy of it (see geojson_text)
    encoded: dict[str, str] = field(default_factory=dict, repr=False)

    def geojson_text(self) -> str:
        """Its features as compact GeoJSON text, comma-separated without brackets ('' for none): encoded
        once for the layer and its copies, however many maps of a build draw it."""
        if "features" not in self.encoded:
            self.encoded["features"] = json.dumps(self.features(), ensure_ascii=False, separators=(",", ":"))[1:-1]
        return self.encoded["features"]

    def copy(self) -> Layer:
        """The layer for another page: its group copied (see fresh), all else shared."""
        twin = copy.copy(self)
        twin.group = fresh(self.group)
        return twin


def fresh(element: Element) -> Element:
    """A copy of ``element`` and its children, in no page yet: folium keeps the page an element was
    drawn in (its parent, a child it adds as it is drawn), so an element two pages show is copied."""
    twin = copy.copy(element)
    twin._parent = None
    twin._children = OrderedDict()
    for name, child in element._children.items():
        twin._children[name] = fresh(child)
        twin._children[name]._parent = twin
    return twin


# branca compiles what each element renders as a Jinja template once more, so record text must
# never carry a Jinja opener ('{{', '{%', '{#') into the page: it would run at build time.
JINJA_OPENERS = (("{{", "{\\u007b"), ("{%", "{\\u0025"), ("{#", "{\\u0023"))


# Where a value's ready-made text (a large layer's deflated columns, a base map's rings as kept) goes in
# safe_json's text until it is put in: its megabytes are then not scanned by the encoder and each escape
# (7 ms at 100,000 records), nor parsed and written again.
PLACED = "\x00placed\x00"
_PLACED = json.dumps(PLACED)  # as the encoder writes it: a record's text equal to it is found by the count


class Written:
    """JSON text made before (the base map's rings, as the cache folder keeps them): safe_json puts it
    into its text as it is, escaped as the rest."""

    def __init__(self, text: str):
        self._text = text

    def json(self) -> str:
        """The text as safe_json writes it."""
        return script_safe(self._text)


def _dumps(data: Any, deferred: Callable[[Deflated | Written], Any]) -> str:
    """safe_json's text of ``data``, ``deferred`` standing for each Deflated or Written value."""
    def later(value: Any) -> Any:
        if isinstance(value, (Deflated, Written)):
            return deferred(value)
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    return script_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=later))


def safe_json(data: Any) -> str:
    """JSON that is safe inside a <script>: with every '<' escaped, no '</script>' or '<!--' can end
    or change the script; Jinja openers and line separators are escaped too. JSON's own structure
    never puts '{' before '{', '%' or '#', so those pairs only ever come from inside strings. A value
    whose text is made apart (Deflated on another thread, Written before) is put in as that text."""
    waited: list[Deflated | Written] = []

    def placed(value: Deflated | Written) -> str:
        waited.append(value)
        return PLACED

    parts = _dumps(data, placed).split(_PLACED)
    if len(parts) != len(waited) + 1:
        return _dumps(data, lambda value: json.loads(value.json()))  # a record's text reads as PLACED
    texts = [value.json() for value in waited] + [""]
    return "".join(text for pair in zip(parts, texts) for text in pair)


def script_safe(text: str) -> str:
    """JSON text escaped as safe_json escapes it."""
    for raw, escaped in (("<", "\\u003c"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"), *JINJA_OPENERS):
        text = text.replace(raw, escaped)
    return text


def raw_text(json_text: str) -> str:
    """safe_json's text as a page script's string, ``String.raw`...```: a raw template keeps the text as
    it is (backslashes too) but for a backtick and '${', which only ever come from inside strings and
    are written as JSON's \\u escapes."""
    return "String.raw`" + json_text.replace("`", "\\u0060").replace("${", "\\u0024{") + "`"


def parsed(json_text: str) -> str:
    """safe_json's text as a page script's ``JSON.parse(String.raw`...`)``: V8 compiles a large object
    literal at about half the speed it scans the same text in one string, which JSON.parse then reads."""
    return f"JSON.parse({raw_text(json_text)})"


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


class AddTo(PagePart, ElementAddToElement):
    """folium's line that adds a layer to the map, put into the page as it is (see PagePart)."""


class Group(PagePart, folium.FeatureGroup):
    """folium's FeatureGroup, its scripts put into the page as they are (see PagePart): branca compiled
    each group's two lines as a Jinja template, a dozen templates a page."""

    def render(self, **kwargs: Any) -> None:
        """The group's scripts, its layers', then the line adding it to its map (as folium's Layer does)."""
        if self.show:  # after its layers' scripts, as folium's Layer adds it
            self.add_child(AddTo(self.get_name(), self._parent.get_name()), name=self.get_name() + "_add")
        super().render(**kwargs)


class DataLayer(PagePart):
    """Draws a layer spec into its parent FeatureGroup through the runtime's deploymap.draw."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        deploymap.draw({{ this._parent.get_name() }}, {{ this.parsed }});
        {% endmacro %}
    """)

    def __init__(self, spec: dict[str, Any]):
        super().__init__()
        self._name = "DataLayer"
        self._spec = spec

    @functools.cached_property
    def payload(self) -> str:
        """The spec as JSON, made when the page is written: by then a large layer's columns, deflated
        on another thread while the rest of the map was built, are ready (or nearly)."""
        return safe_json(self._spec)

    @property
    def parsed(self) -> str:
        """The spec as the page script reads it (see parsed)."""
        return parsed(self.payload)


def painted(group: folium.FeatureGroup) -> bool:
    """Whether one of the group's layer specs is painted on a canvas (see RICH)."""
    return any(isinstance(c, DataLayer) and c._spec.get("canvas") for c in group._children.values())


def feature_group(title: str, *specs: dict[str, Any]) -> Group:
    """A FeatureGroup titled for the layer control (escaped: Leaflet writes it as HTML) drawing ``specs``."""
    group = Group(name=html_text(title))
    for spec in specs:
        group.add_child(DataLayer({"title": title, **spec}))
    return group
