"""The map document: title, dek, legend, layer control, scale bar and the layers, as one HTML page
that is self-contained, deterministic (ids from order, not chance) and escaped."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import escape, unescape
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element, Figure
from folium.template import Template

from geo.dates import interval, valid_on
from geo.errors import Problem, RecordError
from geo.geodesic import centre_lon, normalise
from geo.select import select
from layers import BUILDERS
from layers.annotations import annotations
from layers.basemap import NATURAL_EARTH, natural_earth, tiles
from layers.datalayer import Layer, LegendEntry, Literal, fresh, html_text, painted, safe_json
from layers.labels import LabelPlan, View, label_plan, view_steps
from layers.places import place_marks
from layers.orbat import has_chain, page_data, to_svg, tree
from layers.symbols import assign, definition, svg
from layers.locale import country_name, date_pattern, direction
from layers.messages import runtime_words, say
from layers.points import is_kind, name_of, names_by_id
from layers.style import period, thousands
from layers.staticmap import static_map
from output.assets import head
from output.layercontrol import LayerControl
from output.framing import bounds as framing_bounds
from output.framing import LAYER_KINDS, SUBJECT_KINDS, inside, subject
from output.mapspec import DEFAULT_LAYERS, MapSpec

TABLE_ROWS = 500  # a screen reader's table past this is no help; the GeoJSON beside the map has all
Bounds = tuple[float, float, float, float]

# The order-of-battle panel: a tree the runtime fills (layers/runtime/orbat.js), and a button that saves
# the diagram the build drew (the same SVG as NAME.orbat.svg) from the page's data, with no request.
ORBAT_PANEL = ('<details class="dm-orbat" open><summary>Order of battle</summary>'
               '<div class="dm-orbat-tree" role="tree" aria-label="Order of battle: who reports to whom"></div>'
               '<button type="button" class="dm-orbat-download">Download SVG</button></details>')

TABLE_COLUMNS = ("name", "kind", "place", "at", "country", "start", "end", "summary", "source", "quote", "operator",
                 "branch", "troops", "assets", "count", "participants", "reports_to", "status")  # what a row says
TABLE_HEADS = ("Name", "Kind", "Place", "Date", "Details", "Summary", "Source")
DETAILS = (("Operator", "operator"), ("Branch", "branch"), ("Troops", "troops"), ("Assets", "assets"),
           ("Count", "count"), ("Participants", "participants"), ("Reports to", "reports_to"), ("Status", "status"))
SYMBOLS = {"base": "■", "command": "★", "deployment": "◆", "event": "●", "dot": "●"}
# what each legend symbol is, in words, for a reader who cannot see it
SHAPES = {"base": "square", "command": "star", "deployment": "diamond", "event": "dot", "dot": "dot",
          "circle": "circle", "line": "line", "link": "dashed line", "route": "line with arrows", "area": "area",
          "ring": "ring", "planned": "dashed outline", "former": "grey"}


@dataclass
class Rendered:
    """A rendered map: the page, what each layer holds, and how many records the spec selected."""

    html: str
    layers: dict[str, Layer]
    count: int
    orbat: bytes | None = None  # the order of battle as an SVG diagram, when the map shows one

    def geojson(self) -> dict[str, Any]:
        """A FeatureCollection of what the map drew, layer by layer."""
        return {"type": "FeatureCollection",
                "features": [f for layer in self.layers.values() for f in layer.features()]}

    def geojson_text(self) -> str:
        """geojson() as compact JSON text, from each layer's text (see Layer.geojson_text)."""
        features = ",".join(text for text in (layer.geojson_text() for layer in self.layers.values()) if text)
        return f'{{"type":"FeatureCollection","features":[{features}]}}'


@dataclass
class Shared:
    """What the maps of one build make alike, made once: a project's maps often draw the same records
    the same way (a layer set, a view, the table) and differ in a title or a date."""

    made: dict[tuple, Any] = field(default_factory=dict)
    frames: list[gpd.GeoDataFrame] = field(default_factory=list)  # kept: keys name them by id

    def once(self, key: tuple, make: Callable[[], Any]) -> Any:
        """What ``make`` makes, made the first time ``key`` is asked for."""
        if key not in self.made:
            self.made[key] = make()
        return self.made[key]

    def selection(self, records: gpd.GeoDataFrame, spec: MapSpec) -> tuple:
        """A key for what ``spec`` selects from ``records`` and how it says it (its language)."""
        if not any(frame is records for frame in self.frames):
            self.frames.append(records)
        return id(records), repr((spec.kinds, spec.tags, spec.as_of, spec.symbols, spec.roles(), spec.locale))


class DeployMap(folium.Map):
    """folium's Map without its CDN links, jQuery, the viewport tag that blocks pinch-zoom, or a first
    view: the runtime sets that once the page has its final size (view.js), so each layer is drawn once, there."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []
    _template = Template("""
        {% macro html(this, kwargs) %}
            <div class="folium-map" id="{{ this.get_name() }}" role="region" aria-label="{{ this.aria_label }}"></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }}, {
                crs: L.CRS.{{ this.crs }},
                ...{{ this.options|tojavascript }}
            });
            L.control.scale({position: "bottomright"}).addTo({{ this.get_name() }});
            deploymap.view = {{ this.view }};
            {{ this.get_name() }}.attributionControl.addAttribution({{ this.attribution }});
            deploymap.map = {{ this.get_name() }};
        {% endmacro %}
    """)

    def __init__(self, **options: Any):
        super().__init__(tiles=None, **options)
        del self.options["zoom"]


class Page(Figure):
    """The whole page: header (title, dek), the map with its legend, footer (source, credit), and a
    visually hidden description with a table of the records for screen readers."""

    _template = Template("""<!DOCTYPE html>
<html lang="{{ this.spec.locale }}" dir="{{ this.direction }}" data-theme="{{ this.spec.theme }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ this.spec.title|e }}</title>
{{ this.header.render(**kwargs) }}
<style>{{ this.frame_style }}</style>
{{ this.share_tags }}</head>
<body>
<main>
<figure class="dm-figure" aria-labelledby="dm-title" aria-describedby="dm-summary">
<header class="dm-head">
<h1 id="dm-title">{{ this.spec.title|e }}</h1>
{% if this.spec.dek %}<p class="dm-dek">{{ this.spec.dek|e }}</p>{% endif %}
{{ this.legend }}
</header>
<div class="dm-map-wrap{% if this.orbat %} dm-orbat-open{% endif %}">
{{ this.html.render(**kwargs) }}
{{ this.static }}
{{ this.orbat }}
</div>
{{ this.story }}
<figcaption class="dm-foot">
{% if this.spec.source %}<span class="dm-source">{{ this.source_label }} {{ this.spec.source|e }}</span>{% endif %}
{% if this.spec.credit %}<span class="dm-credit">{{ this.spec.credit|e }}</span>{% endif %}
</figcaption>
<div id="dm-summary" class="dm-visually-hidden">{{ this.description }}</div>
</figure>
</main>
<script type="application/json" id="dm-words">{{ this.words }}</script>
<script>
deploymap.messages = {{ this.messages }};
{{ this.script.render(**kwargs) }}
deploymap.compact();
deploymap.inset();
deploymap.fit();
deploymap.gestures();
{{ this.story_script }}
deploymap.settled(function () { deploymap.ready = true; });
</script>
</body>
</html>
""")

    def __init__(self, spec: MapSpec, legend: str, description: str, share: str = ""):
        super().__init__()
        self._name = "Page"
        self.spec = spec
        self.direction = direction(spec.locale)
        self.source_label = html_text(say("Source:", spec.locale))
        self.words = safe_json(runtime_words(spec.locale))
        self.legend = legend
        self.description = description
        self.orbat = ""  # ORBAT_PANEL when the map shows an order of battle
        self.header._children.clear()  # branca's default charset tag: the template has its own
        self.frame_style = frame_style(spec)
        self.messages = safe_json({key: say(text, spec.locale, count="{count}")  # the page counts
                                    for key, text in RUNTIME_MESSAGES.items()})
        self.share_tags = share
        self.story = self.story_script = self.static = ""


# The runtime's hints and the reset button's name; layers/messages.py translates them.
RUNTIME_MESSAGES = {"hint_wheel": "Use ctrl + scroll to zoom the map",
                    "hint_touch": "Use two fingers to move the map",
                    "reset_view": "Reset the map's view",
                    "more_label": "+{count} label: zoom in",
                    "more_labels": "+{count} labels: zoom in"}


def frame_style(spec: MapSpec) -> str:
    """CSS variables for the map's declared shape: its aspect ratio, and the height that caps it."""
    cap = f"{spec.max_height}px" if spec.max_height else "none"
    return f":root {{ --dm-aspect: {spec.width} / {spec.height}; --dm-max-height: {cap}; }}"


def render(records: gpd.GeoDataFrame, spec: MapSpec, base_url: str = "", social: bool = False,
           shared: Shared | None = None) -> Rendered:
    """Select the spec's records and draw them as one page; with ``base_url`` (where the page is
    published) the page carries share tags, pointing to NAME.social.png when ``social``; ``shared``:
    what other maps of the build made already."""
    shared = shared or Shared()
    frame = select(records, spec.kinds, spec.tags, spec.as_of)
    symbols = []
    if spec.symbols == "app6":
        frame, symbols = assign(frame, spec.roles())
    centre = (spec.center[1] if spec.center else (spec.bounds[0] + spec.bounds[2]) / 2 if spec.bounds
              else centre_lon(frame["lon"]))
    chosen = shared.selection(records, spec)
    built = {name: layer.copy() for name, layer in shared.once(
        ("layers", *chosen, repr((spec.layers, spec.large, centre))), lambda: build_layers(frame, spec, centre)).items()}
    view, bounds = first_view(frame, spec, centre, canvas_kinds(built))
    summary_text = spec.alt or describe(frame, spec)
    entries = [e for layer in built.values() for e in layer.legend]
    if symbols:  # the symbols replace the kinds' glyphs in the key, each explained in words
        entries = [e for e in entries if e.symbol not in SYMBOLS or e.symbol in ("event", "dot")]
        entries += [LegendEntry(s.words, f"app6-{n}", "") for n, s in enumerate(symbols)]
    entries += status_keys(frame, spec.locale)
    table = shared.once(("table", *chosen), lambda: records_table(frame, spec.locale))
    page = Page(spec, legend_html(entries, spec.locale), f"<p>{escape(summary_text)}</p>" + held_table(table),
                share_tags(spec, summary_text, base_url, social) if base_url else "")
    fmap = DeployMap(zoom_snap=0.25, zoom_delta=0.5)
    # both go through branca's second templating pass: escaped so no record text survives as Jinja
    fmap.aria_label = html_text(say("Interactive map: {title}. {summary}", spec.locale, title=spec.title,
                                    summary=summary_text))
    fmap.view = safe_json(view)
    fmap.attribution = safe_json("Natural Earth" if spec.basemap == NATURAL_EARTH else "")
    page.add_child(fmap)
    page.header.add_child(Literal(head(spec.assets, any(painted(layer.group) for layer in built.values()))),
                          name="assets")
    if symbols:
        page.header.add_child(Literal(symbols_script(symbols)), name="symbols")
    reporting = bool((is_kind(frame, "command") & frame["reports_to"].notna().to_numpy()).any())
    roots = tree(frame) if spec.orbat or (spec.orbat is None and reporting) else []
    diagram = None
    if roots and (spec.orbat or has_chain(roots)):
        diagram = to_svg(roots, spec.title, {s.code: svg(s.code) for s in symbols})
        page.orbat = ORBAT_PANEL
        data = {"tree": page_data(roots), "svg": diagram.decode(), "file": f"{spec.output}.orbat.svg"}
        page.header.add_child(Literal(f"<script>deploymap.orbat = {safe_json(data)};</script>"), name="orbat")
    fmap.add_child(fresh(shared.once(("basemap", bounds, centre), lambda: natural_earth(bounds, centre)))
                   if spec.basemap == NATURAL_EARTH else tiles(spec.basemap))
    for layer in built.values():
        fmap.add_child(layer.group)
    written = notes(frame, spec) if spec.annotations else []
    if written:
        built["annotations"] = annotations(written, centre)
        fmap.add_child(built["annotations"].group)
    marks = [m for layer in built.values() for m in layer.marks]
    if spec.basemap == NATURAL_EARTH and spec.places:
        # a sea the desk names in a note (or a record's label) is not named again by Natural Earth
        said = {m.text for m in marks} | {note["text"] for note in written}
        marks += [m for m in place_marks(bounds, centre, spec.locale) if m.text not in said]
    timeline = timeline_data(frame, spec)
    steps = story_steps(frame, spec, built, centre, timeline) if timeline or spec.steps else []
    views = tuple(label_views(built, timeline, steps, bounds))
    fmap.add_child(fresh(shared.once(("labels", tuple(marks), bounds, views),
                                     lambda: LabelPlan(label_plan(marks, bounds, views)))))
    fmap.add_child(LayerControl(collapsed=False, position="topright"))
    if timeline or spec.steps:
        page.story, page.story_script = story_block(timeline, steps, spec.locale)
        page.static = noscript_map(frame, spec, steps[-1], bounds, centre) if steps else ""
    for number, element in enumerate(walk(page)):
        element._id = str(number)
    return Rendered(page.render(), built, len(frame), diagram)


def symbols_script(symbols: list) -> str:
    """The page's APP-6 symbols, each once, as JSON data the runtime parses as SVG (see layers/symbols.py)."""
    return f"<script>deploymap.symbols = {safe_json([definition(s) for s in symbols])};</script>"


def share_tags(spec: MapSpec, summary: str, base_url: str, social: bool) -> str:
    """Open Graph and Twitter card tags for a page published at ``base_url``: title, description
    (the dek, or the summary), address, and the 1200x630 share image when there is one."""
    tags = {"og:type": "website", "og:title": spec.title, "og:description": spec.dek or summary,
            "og:url": f"{base_url}{spec.output}.html",
            "twitter:card": "summary_large_image" if social else "summary"}
    if social:
        tags |= {"og:image": f"{base_url}{spec.output}.social.png", "og:image:width": "1200",
                 "og:image:height": "630", "og:image:alt": spec.title}
    return "".join(f'<meta {"name" if key.startswith("twitter:") else "property"}="{key}" '
                   f'content="{html_text(value)}">\n' for key, value in tags.items())


def notes(frame: gpd.GeoDataFrame, spec: MapSpec) -> list[dict[str, Any]]:
    """The map file's annotations with their points: given, or the position of the record they name."""
    rows = {i.casefold(): (lat, lon) for i, lat, lon in zip(frame["id"], frame["lat"], frame["lon"])}
    out, problems = [], []
    for n, note in enumerate(spec.annotations, 1):
        point = note.at or rows.get((note.record or "").casefold())
        if point is None:
            file, line = spec.where.get(f"annotations[{n}]", ("", ""))
            problems.append(Problem(file, line, f"annotations[{n}].record", f"{note.record!r} is no record on this map",
                                    "give the id of a record the map draws, or at: [lat, lon]"))
            continue
        out.append({"text": note.text, "lat": float(point[0]), "lon": float(point[1]), "leader": note.leader,
                    "beside": note.at is None})
    if problems:
        raise RecordError(problems)
    return out


def canvas_kinds(built: dict[str, Layer]) -> set[str]:
    """The record kinds drawn only on canvas layers: no marker of theirs has a box for the first view to fit."""
    drawn: dict[str, set[bool]] = {}
    for key, layer in built.items():
        if key.split("-")[0] in LAYER_KINDS:
            drawn.setdefault(LAYER_KINDS[key.split("-")[0]], set()).add(layer.large)
    return {kind for kind, large in drawn.items() if large == {True}}


def first_view(frame: gpd.GeoDataFrame, spec: MapSpec, centre: float,
               canvas: set[str] = frozenset()) -> tuple[dict[str, Any], Bounds]:
    """What the page shows first (for the runtime: a centre and zoom, or bounds to fit with the ids of
    the records whose markers and labels must fit inside, leaving out the kinds drawn on ``canvas``
    alone: at 1,000,000 records their ids were 10 MB of the page), and its (west, south, east, north)."""
    if spec.center is not None:
        lat, lon = spec.center
        half = spec.width / 256 * 360 / 2 ** spec.zoom / 2  # degrees of longitude each side at that zoom
        return {"center": [lat, lon], "zoom": spec.zoom}, (lon - half, max(lat - half, -85), lon + half,
                                                           min(lat + half, 85))
    if spec.bounds is not None:
        shown = frame[inside(frame, spec.bounds)]
        box, chosen = spec.bounds, shown[shown["kind"].isin(SUBJECT_KINDS)]
    else:
        missing = [n for n in spec.fit or [] if n.casefold() not in
                   {*map(str.casefold, frame["id"]), *frame["kind"]}]
        if missing:
            file, line = spec.where.get("view", ("", ""))
            raise RecordError([Problem(file, line, "view.fit", f"{missing[0]!r} is no record id or kind on this map",
                                       "name records by id, or kinds (base, deployment, command, event)")])
        chosen = subject(frame, centre, [kind for kind, _ in spec.layers] if spec.layers is not None else None,
                         spec.fit)
        box = framing_bounds(chosen if len(chosen) else frame, centre)
    ids = list(chosen.loc[~chosen["kind"].isin(canvas), "id"])
    west, south, east, north = box
    ids += [f"annotation-{n}" for n in range(1, len(spec.annotations) + 1)]
    view = {"bounds": [[south, west], [north, east]], "subject": ids}
    if spec.inset:
        west, south, east, north = region(box) if spec.inset is True else spec.inset
        view["inset"] = [[south, west], [north, east]]
    return view, box


def region(box: Bounds) -> Bounds:
    """What a locator inset shows around a frame: three times its size, at least 40° across."""
    west, south, east, north = box
    half = max(east - west, north - south, 40 / 3) * 1.5
    x, y = (west + east) / 2, (south + north) / 2
    return (x - half, max(y - half * 0.75, -80.0), x + half, min(y + half * 0.75, 80.0))


def build_layers(frame: gpd.GeoDataFrame, spec: MapSpec, centre: float) -> dict[str, Layer]:
    """The spec's layers in order (or every layer with something to draw), keyed by kind."""
    chosen = spec.layers if spec.layers is not None else [(kind, {}) for kind in DEFAULT_LAYERS]
    built: dict[str, Layer] = {}
    for kind, options in chosen:
        options = dict(options)
        if spec.large is not None and "large" in BUILDERS[kind].__kwdefaults__:
            options.setdefault("large", spec.large)
        if "locale" in BUILDERS[kind].__kwdefaults__:  # the page's language, for builders with words to say
            options["locale"] = spec.locale
        layer = BUILDERS[kind](frame, centre=centre, **options)
        if layer.count or spec.layers is not None:
            built[kind if kind not in built else f"{kind}-{len(built)}"] = layer
    return built


def walk(element: Element) -> Iterator[Element]:
    """Every element under ``element`` in a fixed order (the page's header, html, script, then children)."""
    yield element
    for part in (getattr(element, "header", None), getattr(element, "html", None), getattr(element, "script", None)):
        if part is not None:
            yield from walk(part)
    for child in element._children.values():
        yield from walk(child)


def legend_html(entries: list[LegendEntry], locale: str = "en") -> str:
    """The legend: a symbol (with its shape in words for screen readers), label and note per entry, all
    text escaped; it folds into 'Key' on small screens."""
    items = []
    for e in entries:
        if e.symbol.startswith("app6-"):
            items.append(f'<li>{symbol_key(int(e.symbol[5:]))}<span>{escape(e.label)}</span></li>')
            continue
        glyph = SYMBOLS.get(e.symbol, "")
        style = f"background:{e.color}" if e.symbol == "area" else f"color:{e.color}"
        note = f" <small>{escape(e.note)}</small>" if e.note else ""
        shape = html_text(say(SHAPES.get(e.symbol, "symbol"), locale))
        items.append(f'<li><span class="dm-key dm-key-{e.symbol}" style="{style}" role="img" aria-label="{shape}">'
                     f'<span aria-hidden="true">{glyph}</span></span><span>{escape(e.label)}{note}</span></li>')
    return (f'<details class="dm-legend" open><summary>{html_text(say("Key", locale))}</summary><ul>{"".join(items)}'
            "</ul></details>" if items else "")


def status_keys(frame: gpd.GeoDataFrame, locale: str) -> list[LegendEntry]:
    """The key's lines for the statuses the map's records have besides current: how each is drawn."""
    keys = {"planned": LegendEntry(say("Planned", locale), "planned", "currentColor", say("hollow or dashed", locale)),
            "former": LegendEntry(say("Former", locale), "former", "currentColor", say("greyed", locale))}
    present = set(frame["status"].dropna())
    return [entry for status, entry in keys.items() if status in present]


def symbol_key(index: int) -> str:
    """A legend key drawing the page's symbol ``index`` from the one definition the runtime put in the page."""
    return (f'<svg class="dm-key dm-key-app6" width="26" height="20"><use href="#dm-sym-{index}" '
            'width="26" height="20"></use></svg>')


def describe(frame: gpd.GeoDataFrame, spec: MapSpec) -> str:
    """One or two sentences a screen reader says for the map (plain text): the dek and what is on it."""
    counts = frame["kind"].value_counts()
    parts = [say(f"{{count}} {k}{'s' if counts[k] != 1 else ''}", spec.locale, count=thousands(counts[k], spec.locale))
             for k in ("base", "deployment", "command", "event") if k in counts]
    shows = say("The map shows {things}.", spec.locale, things=", ".join(parts) or say("no records", spec.locale))
    return f"{spec.dek} {shows}" if spec.dek else shows


def records_table(frame: gpd.GeoDataFrame, locale: str = "en") -> str:
    """The records as a table carrying every field a popup shows, places written out in words, for
    readers who cannot see the map."""
    by_id = names_by_id(frame)
    heads = "".join(f"<th>{html_text(say(h, locale))}</th>" for h in TABLE_HEADS)
    rows = []
    first = pd.DataFrame(frame, copy=False).head(TABLE_ROWS)  # a row tuple of the columns read, not the geometry
    for r in first[[c for c in TABLE_COLUMNS if c in first]].itertuples():
        cells = [r.name, say(r.kind, locale), spoken_place(r, by_id, locale), period(r.start, r.end, locale) or "",
                 details(r, by_id, locale), text_of(r.summary),
                 " — ".join(t for t in (text_of(r.source), text_of(r.quote)) if t)]
        rows.append("<tr>" + "".join(f"<td>{html_text(str(c))}</td>" for c in cells) + "</tr>")
    rest = len(frame) - TABLE_ROWS
    more = (f"<p>{html_text(say('{count} more records are in the map’s GeoJSON.', locale, count=rest))}</p>"
            if rest > 0 else "")
    return (f"<table><caption>{html_text(say('Records on this map', locale))}</caption><thead><tr>{heads}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>{more}")


def held_table(table: str) -> str:
    """The records table inside <noscript>: as it is without JavaScript; the runtime (table.js) builds
    it from the noscript's text once the map is drawn, so it costs the first layout nothing."""
    return f'<noscript id="dm-records">{table}</noscript>'


def text_of(value: Any) -> str:
    """A record cell as text: '' for missing, lists joined with commas."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def spoken_place(row: Any, by_id: dict[str, str], locale: str) -> str:
    """Where a record is, as a reader would say it: 'Camp Humphreys, South Korea', not 'KR'."""
    text = text_of(row.place) or (text_of(name_of(by_id, row.at)) if isinstance(row.at, str) else "")
    country = country_name(row.country, locale) if isinstance(row.country, str) else ""
    if country and country.casefold() not in text.casefold():
        return f"{text}, {country}" if text else country
    return text


def details(row: Any, by_id: dict[str, str], locale: str) -> str:
    """What else a popup shows about a record (operator, branch, troops, assets, who met, who it reports
    to, a status other than current), as 'Field: value; ...'."""
    values = {"operator": text_of(row.operator) if hasattr(row, "operator") else "",
              "branch": text_of(row.branch), "troops": thousands(row.troops, locale) or "",
              "assets": text_of(row.assets), "count": thousands(row.count, locale) or "",
              "participants": text_of(row.participants),
              "reports_to": text_of(name_of(by_id, row.reports_to)) if isinstance(row.reports_to, str) else "",
              "status": say(row.status, locale) if row.status in ("planned", "former") else ""}
    return "; ".join(f"{say(label, locale)}: {values[field]}" for label, field in DETAILS if values[field])


# The timeline and story: their containers in the page and the data the runtime (timeline.js) reads.
def timeline_data(frame: gpd.GeoDataFrame, spec: MapSpec) -> dict[str, Any] | None:
    """What the page's time slider needs: each dated record's start, end and announced (as written), the event
    dates it marks, and the span it runs over (the events', else every record's); None: no slider."""
    def dates(column: str, rows: Any = slice(None)) -> list[str]:
        return [d for d in frame[column].to_numpy()[rows].tolist() if isinstance(d, str)]

    events = is_kind(frame, "event")  # a mask: selecting the events' every column took longer than the rest
    marks = sorted(set(dates("start", events)), key=lambda d: interval(d))
    if spec.timeline is False or (spec.timeline is None and not marks and not spec.compare):
        return None
    spanned = dates("start", events) + dates("end", events) if marks else dates("start") + dates("end") + dates("announced")
    spanned += list(spec.compare or ())
    if not spanned:
        return None
    # the columns as lists: iterating a Series is three times slower
    records = {i: [d if isinstance(d, str) else None for d in dated]
               for i, *dated in zip(*(frame[c].tolist() for c in ("id", "start", "end", "announced")))
               if any(isinstance(d, str) for d in dated)}
    return {"records": records, "events": marks, "compare": list(spec.compare or []),
            "span": [min(interval(d)[0] for d in spanned).isoformat(), max(interval(d)[1] for d in spanned).isoformat()]}


# the timeline's states are placed apart while states x marks stay under this (each a plan as big as
# the map's own); past it, a meeting the slider hides keeps its room but for the story's steps
TIMELINE_PLACEMENTS = 20_000


def timeline_days(timeline: dict[str, Any] | None) -> list[dt.date]:
    """The days of the slider's span where the records on the map change, from its first."""
    if not timeline:
        return []
    first, last = (dt.date.fromisoformat(d) for d in timeline["span"])
    days = {first}
    for start, end, announced in timeline["records"].values():
        begins = [interval(d)[0] for d in (start, announced) if d]
        if begins:
            days.add(min(begins))
        if end:
            days.add(interval(end)[1] + dt.timedelta(days=1))
    return sorted(d for d in days if first <= d <= last)


def off_the_map(timeline: dict[str, Any] | None, day: dt.date | None) -> frozenset[str]:
    """The ids of the timeline's records not on the map on ``day`` (none without a day)."""
    if not timeline or day is None:
        return frozenset()
    return frozenset(i for i, (start, end, announced) in timeline["records"].items()
                     if not valid_on(start, end, day, announced))


def label_views(built: dict[str, Layer], timeline: dict[str, Any] | None, steps: list[dict[str, Any]],
                bounds: Bounds) -> Iterator[View]:
    """The views the page shows that the map's own placement does not fit (layers/labels.py View): each
    state of the timeline with records off the map, and each story step with a view (its own bounds,
    its date's records and the layers it hides off the map, its highlighted records first)."""
    days = timeline_days(timeline)
    if len(days) * sum(len(layer.marks) for layer in built.values()) <= TIMELINE_PLACEMENTS:
        states = (off_the_map(timeline, day) for day in days)
        yield from dict.fromkeys(View(bounds, absent) for absent in states if absent)
    titles = {unescape(layer.group.layer_name): [m.key for m in layer.marks] for layer in built.values()}
    for n, step in enumerate(steps, 1):
        if "bounds" not in step:
            continue
        absent = set(off_the_map(timeline, interval(step["date"])[1] if step.get("date") else None))
        absent.update(key for title, on in step["layers"].items() if not on for key in titles.get(title, ()))
        own = tuple(step["bounds"])
        yield View(own, frozenset(absent), tuple(step["highlight"]), n, tuple(view_steps(own)))


def story_steps(frame: gpd.GeoDataFrame, spec: MapSpec, built: dict[str, Layer], centre: float,
                timeline: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The spec's steps as the page needs them: views fitted to bounds, layers named by their titles;
    RecordError names the step (file and line) whose ids, kinds, layers or date the map cannot show."""
    titles = {kind: unescape(layer.group.layer_name) for kind, layer in built.items()}
    ids = {i.casefold(): i for i in frame["id"]}
    problems: list[Problem] = []
    out = []
    for n, step in enumerate(spec.steps, 1):
        def problem(key: str, what: str, fix: str) -> None:
            problems.append(Problem(spec.origin or spec.output, str(step["line"] or ""), f"steps[{n}].{key}", what, fix))

        page_step = {k: step[k] for k in ("title", "text", "bounds", "date") if k in step}
        if "fit" in step:
            fit = {f.casefold() for f in step["fit"]}
            chosen = frame[[i.casefold() in fit or k in step["fit"] for i, k in zip(frame["id"], frame["kind"])]]
            if chosen.empty:
                problem("view.fit", f"{', '.join(step['fit'])} names no record on this map",
                        "name record ids (or kinds: base, deployment, command, event) that the map shows")
            else:
                page_step["bounds"] = step_bounds(framing_bounds(chosen, centre))
                page_step["subject"] = list(chosen["id"])
        if "date" in step and not timeline:
            problem("date", "needs the map's timeline", "remove timeline: false, or give the map dated events")
        layers = {}
        for name, on in step.get("layers", {}).items():
            title = titles.get(name, name)
            if title not in titles.values():
                problem("layers", f"{name!r} is not a layer of this map",
                        f"use a layer's title or kind: {', '.join(titles.values())}")
            layers[title] = on
        page_step["layers"] = layers
        unknown = [h for h in step.get("highlight", []) if h.casefold() not in ids]
        if unknown:
            problem("highlight", f"{', '.join(unknown)} is not a record on this map", "use the ids of records the map shows")
        page_step["highlight"] = [ids[h.casefold()] for h in step.get("highlight", []) if h.casefold() in ids]
        out.append(page_step)
    if problems:
        raise RecordError(problems)
    return out


STEP_SPAN = (8.0, 5.0)  # degrees: a step fitted to one place still shows its neighbours


def step_bounds(bounds: tuple[float, float, float, float]) -> list[float]:
    """A step's view around ``bounds``, at least STEP_SPAN wide and high."""
    west, south, east, north = bounds
    x, y = max((STEP_SPAN[0] - (east - west)) / 2, 0), max((STEP_SPAN[1] - (north - south)) / 2, 0)
    return [round(west - x, 4), round(max(south - y, -85.0), 4), round(east + x, 4), round(min(north + y, 85.0), 4)]


def noscript_map(frame: gpd.GeoDataFrame, spec: MapSpec, last: dict[str, Any], bounds: Bounds, centre: float) -> str:
    """The last step's map as a picture in <noscript>: what a reader without JavaScript sees where the
    map would be, above the list of every step's words (story_block)."""
    day = interval(last["date"])[1].isoformat() if last.get("date") else None
    svg = static_map(frame, tuple(last.get("bounds") or bounds), centre, day, (spec.width, spec.height),
                     f"{spec.title}: {last['title']}", last.get("highlight", []))
    return f'<noscript><div class="dm-static">{svg}</div></noscript>'


def story_words(locale: str) -> dict[str, Any]:
    """The timeline's and the story's words in the page's language, and the long date's pattern and
    month names, so the runtime says a day as the build does ('27 July 2024', '2024年7月27日')."""
    pattern, months = date_pattern(locale)
    return {"date": say("Date", locale), "previous_event": say("Previous event", locale),
            "next_event": say("Next event", locale), "play": say("Play", locale),
            "shown": say("Records shown", locale), "compare": say("Before and after", locale),
            "before": say("Before ({date})", locale, date="{date}"), "after": say("After ({date})", locale, date="{date}"),
            "step": say("Step {n} of {count}", locale, n="{n}", count="{count}"),
            "previous_step": say("Previous step", locale),
            "next_step": say("Next step", locale), "pattern": pattern, "months": months}


def story_block(timeline: dict[str, Any] | None, steps: list[dict[str, Any]], locale: str) -> tuple[str, str]:
    """The timeline's and the story's containers, and the script lines that hand them their data.

    The runtime builds the controls (they need JavaScript). Without it, the story panel holds every
    step's title and text as plain HTML, in order, under the last step's map (noscript_map)."""
    html, script, words = "", "", story_words(locale)
    if steps:
        items = "".join(f"<li><h2>{html_text(s['title'])}</h2><p>{html_text(s.get('text', ''))}</p></li>"
                        for s in steps)
        html += (f'<section class="dm-story" id="dm-story" aria-label="{html_text(say("Story", locale))}">'
                 f'<ol class="dm-story-all">{items}</ol></section>\n')
        script += f"deploymap.story({safe_json(steps)}, {safe_json(words)});\n"
    if timeline:
        html += (f'<section class="dm-timeline" id="dm-timeline" aria-label="{html_text(say("Timeline", locale))}" '
                 'hidden></section>')
        # the timeline first: a step's date moves its slider
        script = f"deploymap.timeline({safe_json({**timeline, 'words': words})});\n" + script
    return html, script
