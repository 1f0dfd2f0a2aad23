"""Map files (``*.map.yaml``): read and validated with the same clear errors as records."""
from __future__ import annotations

import datetime as dt
import difflib
import inspect
import re
import unicodedata
from pathlib import Path
from typing import Any

from geo import dates
from geo.errors import FieldError, Problem, RecordError
from geo.fields import KINDS
from geo.readers import MAP_SUFFIX
from geo.yamlfiles import Items, load_yaml
from layers import BUILDERS
from layers.labels import LABEL_OPTIONS
from layers.basemap import BASEMAP_FIX, NATURAL_EARTH, basemap_problem
from layers.messages import LOCALES
from layers.style import ROLE_ALIASES, ROLE_COLORS, ROLE_WORDS
from output.mapspec import THEMES, Annotation, MapSpec

KEYS = ("title", "dek", "credit", "source", "alt", "output", "records", "layers", "view", "inset", "annotations",
        "basemap", "size", "assets", "exports", "symbols", "orbat", "locale", "theme", "timeline", "steps", "compare")
# Words other tools use for a key (Datawrapper, uMap, HTML): the error points to ours
SYNONYMS = {"language": "locale", "lang": "locale", "description": "alt", "subtitle": "dek", "mode": "theme"}
SYMBOL_SETS = ("app6", "simple")
RECORD_KEYS = ("paths", "kinds", "tags", "as_of")
OUTPUT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,80}")
MAX_LAYERS = 30  # each layer is drawn in full: a short file of many layers would write gigabytes
MAX_ASPECT = 4  # width:height between 1:4 and 4:1; past that the embed is a sliver or a tower
MAX_PIXELS = 4000 * 2000  # the page's area, and so the preview's: a bigger screenshot takes minutes


def find_mapfiles(root: Path) -> list[Path]:
    """Every map file under ``root``, sorted."""
    return sorted(root.rglob(f"*{MAP_SUFFIX}"))


def load_mapfile(path: Path) -> MapSpec:
    """A MapSpec from a map file; RecordError lists every problem with its line and the fix."""
    data = load_yaml(path)
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise RecordError([Problem(str(path), "1", "file", "is not a mapping of map settings",
                                   "start with 'title: ...' (see the README's map file)")])
    line = str(data.pop("_origin", ""))
    key_lines = data.pop("_lines", {})

    def problem(key: str, what: str, fix: str, at: Any = None) -> None:
        """Report at ``at``: a mapping (its line), a line number, or else the line of the top-level key."""
        where = (at.get("_origin", line) if isinstance(at, dict) else at if isinstance(at, int)
                 else key_lines.get(re.split(r"[.\[]", key)[0], line))
        problems.append(Problem(str(path), str(where), key, what, fix))

    for key in data:
        if key not in KEYS:
            close = [SYNONYMS[key]] if key in SYNONYMS else difflib.get_close_matches(str(key), KEYS, n=1)
            problem(str(key), "is not a map file key",
                    f"did you mean {close[0]}?" if close else f"use one of {', '.join(KEYS)}")
    spec = MapSpec(output=path.name[: -len(MAP_SUFFIX)] if path.name.endswith(MAP_SUFFIX) else path.stem,
                   origin=str(path))
    for key in ("title", "dek", "credit", "source", "alt"):
        if key in data:
            if isinstance(data[key], (str, int, float)) and not isinstance(data[key], bool):
                setattr(spec, key, str(data[key]).strip())
            else:
                problem(key, "is not text", "write it as a single line of text")
    if "title" not in data:
        problem("title", "is missing", "give the map a title")
    if "output" in data:
        name = str(data["output"])
        if OUTPUT_NAME.fullmatch(name):
            spec.output = name
        else:
            problem("output", f"{name!r} is not a plain file name",
                    "use lowercase letters, digits, '-' and '_' only (no folders, no dots)")
    elif not OUTPUT_NAME.fullmatch(spec.output):
        problem("output", f"the file name {spec.output!r} cannot name the output",
                "rename the map file, or set output: to lowercase letters, digits and '-'")
    _records(data.get("records"), path, spec, problem)
    if "layers" in data:
        spec.layers = _layers(data["layers"], problem)
    _view(data.get("view", "fit"), spec, problem)
    spec.where["view"] = (str(path), str(key_lines.get("view", line)))
    if "inset" in data:
        _inset(data["inset"], spec, problem)
    if "annotations" in data:
        _annotations(data["annotations"], path, spec, problem)
    _basemap(data.get("basemap", NATURAL_EARTH), spec, problem)
    if spec.inset and spec.basemap != NATURAL_EARTH:
        problem("inset", "needs the natural-earth base map, which the inset is drawn from",
                "drop basemap:, or set inset: false")
    if spec.inset and spec.center is not None:
        problem("inset", "shows where a fitted frame sits; it does not go with view: {center, zoom}",
                "use view: fit, {fit: [...]} or {bounds: [...]}, or drop inset:")
    _size(data.get("size"), spec, problem)
    _locale(data.get("locale", "en"), spec, problem)
    _theme(data.get("theme", "auto"), spec, problem)
    if data.get("assets", "inline") not in ("inline", "cdn"):
        problem("assets", f"{data['assets']!r} is not inline or cdn", "use inline (works offline) or cdn")
    else:
        spec.assets = data.get("assets", "inline")
    _exports(data.get("exports", []), spec, problem)
    _timeline(data.get("timeline", "auto"), spec, problem)
    if "steps" in data:
        spec.steps = _steps(data["steps"], problem)
    if "compare" in data:
        _compare(data["compare"], spec, problem)
    _symbols(data.get("symbols", "simple"), spec, problem)
    if data.get("orbat", "auto") not in (True, False, "auto"):
        problem("orbat", f"{data['orbat']!r} is not true, false or auto",
                "write orbat: auto (shown when a command reports to another), true or false")
    else:
        spec.orbat = None if data.get("orbat", "auto") == "auto" else data["orbat"]
    if problems:
        raise RecordError(problems)
    return spec


def _exports(block: Any, spec: MapSpec, problem) -> None:  # noqa: ANN001
    """exports: [kmz, gpkg, csv, kml, geojson]: the formats of the records written beside the map."""
    from output.export import FORMATS

    values = block if isinstance(block, list) else [block]
    for value in values:
        if not isinstance(value, str):
            problem("exports", "is not a list of format names", f"write e.g. exports: [{', '.join(FORMATS)}]")
        elif value not in FORMATS:
            close = difflib.get_close_matches(value, FORMATS, n=1)
            problem("exports", f"{value!r} is not an export format",
                    f"did you mean {close[0]}?" if close else f"use some of {', '.join(FORMATS)}")
        elif value not in spec.exports:
            spec.exports.append(value)


def _timeline(block: Any, spec: MapSpec, problem) -> None:  # noqa: ANN001
    """timeline: true | false | auto: the page's time slider (auto: on when the events carry dates)."""
    if block not in (True, False, "auto"):
        problem("timeline", f"{block!r} is not true, false or auto",
                "write timeline: true (a time slider), false (none) or auto (when the events carry dates)")
    else:
        spec.timeline = None if block == "auto" else block


def _compare(block: Any, spec: MapSpec, problem) -> None:  # noqa: ANN001
    """compare: {before: DATE, after: DATE}: two buttons that set the timeline to either day."""
    fix = "write compare: {before: 2024-07-27, after: 2024-07-28}"
    if not isinstance(block, dict) or {k for k in block if not str(k).startswith("_")} != {"before", "after"}:
        problem("compare", "is not a mapping of before and after", fix, block)
        return
    try:
        before, after = dates.parse(block["before"]), dates.parse(block["after"])
    except FieldError as err:
        problem("compare", err.what, err.fix, block)
        return
    if not dates.ends_before(before, after):
        problem("compare", f"before ({before}) is not wholly before after ({after})", fix, block)
    elif spec.timeline is False:
        problem("compare", "needs the map's timeline", "remove timeline: false")
    else:
        spec.compare = (before, after)


STEP_KEYS = ("title", "text", "view", "date", "layers", "highlight")
STEP_FIX = "write e.g. - {title: Tokyo, text: ..., view: {fit: [trilateral-tokyo]}, date: 2024-07-28}"


def _steps(block: Any, problem) -> list[dict[str, Any]]:  # noqa: ANN001
    """steps: the story's scenes, each a title, a text, and what the map shows (view, date, layers, highlight)."""
    if not isinstance(block, list) or not block:
        problem("steps", "is not a list of steps", STEP_FIX)
        return []
    steps = []
    for n, entry in enumerate(block, 1):
        key = f"steps[{n}]"
        at = entry if isinstance(entry, dict) else block.lines[n - 1] if isinstance(block, Items) else None
        if not isinstance(entry, dict):
            problem(key, "is not a step", STEP_FIX, at)
            continue
        step: dict[str, Any] = {"line": entry.get("_origin")}
        for name in entry:
            if name not in (*STEP_KEYS, "_origin", "_lines"):
                problem(f"{key}.{name}", "is not a step key", f"use some of {', '.join(STEP_KEYS)}", entry)
        for name in ("title", "text"):
            value = entry.get(name, "")
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                step[name] = str(value).strip()
            else:
                problem(f"{key}.{name}", "is not text", "write it as text", entry)
        if not step.get("title"):
            problem(f"{key}.title", "is missing", "give every step a title", entry)
        _step_view(entry.get("view"), step, key, entry, problem)
        if "date" in entry:
            try:
                step["date"] = dates.parse(entry["date"])
            except FieldError as err:
                problem(f"{key}.date", err.what, err.fix, entry)
        layers = entry.get("layers", {})
        if isinstance(layers, dict) and all(isinstance(v, bool) for k, v in layers.items() if not str(k).startswith("_")):
            step["layers"] = {str(k): v for k, v in layers.items() if not str(k).startswith("_")}
        else:
            problem(f"{key}.layers", "is not a mapping of layers to true or false",
                    "write layers: {Meetings: true, bases: false} (layer titles or kinds)", entry)
        highlight = entry.get("highlight", [])
        if isinstance(highlight, list) and all(isinstance(h, str) for h in highlight):
            step["highlight"] = highlight
        else:
            problem(f"{key}.highlight", "is not a list of record ids", "write highlight: [trilateral-tokyo]", entry)
        steps.append(step)
    return steps


def _step_view(block: Any, step: dict[str, Any], key: str, entry: dict[str, Any], problem) -> None:  # noqa: ANN001
    """A step's view: bounds [west, south, east, north], or {fit: [record ids or kinds]}; none keeps the map's."""
    if block is None:
        return
    if isinstance(block, list) and len(block) == 4 and all(
            isinstance(b, (int, float)) and not isinstance(b, bool) for b in block) and block[1] < block[3]:
        step["bounds"] = [float(b) for b in block]
    elif isinstance(block, dict) and isinstance(block.get("fit"), list) and block["fit"] and all(
            isinstance(f, str) for f in block["fit"]):
        step["fit"] = block["fit"]
    else:
        problem(f"{key}.view", "is neither bounds [west, south, east, north] nor {fit: [ids or kinds]}",
                "write view: [120, 20, 150, 46] or view: {fit: [trilateral-tokyo]}", entry)
def _symbols(value: Any, spec: MapSpec, problem) -> None:  # noqa: ANN001
    """symbols: app6 (APP-6 symbols on markers and in the legend) or simple (each kind's glyph)."""
    if value in SYMBOL_SETS:
        spec.symbols = value
    else:
        problem("symbols", f"{value!r} is not app6 or simple", "write symbols: app6 for military symbols, "
                "or symbols: simple for the plain glyphs")


def _records(block: Any, path: Path, spec: MapSpec, problem) -> None:  # noqa: ANN001
    if not isinstance(block, dict) or "paths" not in block:
        problem("records", "is missing or has no paths", "add records: {paths: [records/]} (relative to the map file)",
                block)
        return
    for key in block:
        if key not in (*RECORD_KEYS, "_origin", "_lines"):
            problem(f"records.{key}", "is not a records key", f"use one of {', '.join(RECORD_KEYS)}", block)
    paths = block["paths"] if isinstance(block["paths"], list) else [block["paths"]]
    for entry in paths:
        if not isinstance(entry, str) or not entry.strip() or Path(entry).is_absolute():
            problem("records.paths", f"{entry!r} is not a relative path", "give paths or globs relative to the "
                    "map file, e.g. records/ or records/*.csv", block)
            continue
        try:
            matches = sorted(path.parent.glob(entry)) if any(c in entry for c in "*?[") else [path.parent / entry]
            found = bool(matches) and all(m.exists() for m in matches)
        except ValueError as err:  # pathlib refuses some globs ('a**') and NUL bytes: say which and why
            problem("records.paths", f"{entry!r} is not a valid path or glob ({err})", "give globs relative to "
                    "the map file, with ** only as a whole folder name, e.g. records/**/*.csv", block)
            continue
        if not found:
            problem("records.paths", f"{entry!r} matches no file", "check the path; it is relative to the map file",
                    block)
        spec.records += [str(m) for m in matches]
    for key, allowed in (("kinds", KINDS), ("tags", None)):
        if key in block:
            values = block[key] if isinstance(block[key], list) else [block[key]]
            bad = [v for v in values if not isinstance(v, str) or (allowed and v not in allowed)]
            if bad:
                problem(f"records.{key}", f"{bad[0]!r} is not valid",
                        f"use {', '.join(allowed)}" if allowed else "give tags as text", block)
            setattr(spec, key, [unicodedata.normalize("NFC", str(v)) for v in values])  # as record tags are
    if "as_of" in block:
        value = block["as_of"]
        try:
            spec.as_of = value.isoformat() if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            problem("records.as_of", f"{value!r} is not an ISO 8601 date", "write it as YYYY-MM-DD", block)


def _layers(block: Any, problem) -> list[tuple[str, dict[str, Any]]]:  # noqa: ANN001
    if not isinstance(block, list) or not block:
        problem("layers", "is not a list of layers", f"list some of: {', '.join(BUILDERS)}")
        return []
    if len(block) > MAX_LAYERS:
        problem("layers", f"has {len(block)} layers, over the limit of {MAX_LAYERS}",
                "keep the layers a reader can tell apart; make another map for the rest")
        return []
    out = []
    for n, entry in enumerate(block, 1):
        at = entry if isinstance(entry, dict) else block.lines[n - 1] if isinstance(block, Items) else None
        if isinstance(entry, str):
            kind, options = entry, {}
        elif isinstance(entry, dict) and len([k for k in entry if not k.startswith("_")]) == 1:
            kind = next(k for k in entry if not k.startswith("_"))
            options = entry[kind] if entry[kind] is not None else {}
        else:
            problem(f"layers[{n}]", "is not a layer", "write '- bases' or '- bases: {title: ...}'", at)
            continue
        if kind not in BUILDERS:
            close = difflib.get_close_matches(str(kind), BUILDERS, n=1)
            problem(f"layers[{n}]", f"{kind!r} is not a layer kind",
                    f"did you mean {close[0]}?" if close else f"use one of {', '.join(BUILDERS)}", at)
            continue
        if not isinstance(options, dict):
            problem(f"layers[{n}].{kind}", "options are not a mapping", "write options as key: value", at)
            continue
        out.append((kind, _options(kind, options, n, problem)))
    return out


def _options(kind: str, options: dict[str, Any], n: int, problem) -> dict[str, Any]:  # noqa: ANN001
    allowed = [p for p in inspect.signature(BUILDERS[kind]).parameters if p not in ("frame", "centre", "locale")]
    clean: dict[str, Any] = {}
    for key, value in options.items():
        if key.startswith("_"):
            continue
        where = f"layers[{n}].{kind}.{key}"
        if key not in allowed:
            problem(where, "is not an option of this layer", f"use one of {', '.join(allowed)}", options)
        elif key == "title" and not isinstance(value, str):
            problem(where, "is not text", "give the layer's title as text", options)
        elif key == "large" and not isinstance(value, bool):
            problem(where, "is not true or false", "write true or false", options)
        elif key == "labels" and kind != "countries" and value not in LABEL_OPTIONS:
            problem(where, f"{value!r} is not auto, all or none",
                    "write labels: auto (label what fits), all (label every record) or none", options)
        elif key == "roles" and not _roles_ok(value):
            problem(where, "is not a mapping of country codes to roles",
                    f"write e.g. {{JP: host, CN: adversary}}; roles are {', '.join(ROLE_COLORS)}", options)
        elif kind == "countries" and key == "labels" and not (isinstance(value, dict) and all(
                str(k).startswith("_") or (k in ROLE_WORDS and isinstance(v, str) and v.strip())
                for k, v in value.items())):
            problem(where, "is not a mapping of roles to legend labels",
                    f"write e.g. {{adversary: China}}; roles are {', '.join(ROLE_WORDS)}", options)
        elif kind == "countries" and key in ("roles", "labels"):
            clean[key] = {(str(k).upper() if key == "roles" else k): (v.strip() if key == "labels" else v)
                          for k, v in value.items() if not str(k).startswith("_")}
        else:
            clean[key] = value
    return clean


def _roles_ok(value: Any) -> bool:
    from geo.geonames import country_names

    return isinstance(value, dict) and all(
        str(k).startswith("_") or (str(k).upper() in country_names() and v in (*ROLE_COLORS, *ROLE_ALIASES))
        for k, v in value.items())


VIEW_FIX = ("write view: fit, {fit: [ids or kinds]}, {center: [lat, lon], zoom: 5} or "
            "{bounds: [west, south, east, north]} (east may pass 180)")


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) != float("inf")


def _bounds(value: Any) -> tuple[float, float, float, float] | None:
    """[west, south, east, north] as floats, or None when it is not a box on the globe."""
    if (isinstance(value, list) and len(value) == 4 and all(_number(b) for b in value)
            and -90 <= value[1] < value[3] <= 90 and value[0] < value[2] and value[2] - value[0] <= 360):
        return tuple(float(b) for b in value)
    return None


def _lat_lon(value: Any) -> tuple[float, float] | None:
    """[lat, lon] as floats, or None when it is not a point."""
    if isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value) and -90 <= value[0] <= 90:
        return float(value[0]), float(value[1])
    return None


def _view(block: Any, spec: MapSpec, problem) -> None:  # noqa: ANN001
    if block == "fit":
        return
    keys = sorted(str(k) for k in block if not str(k).startswith("_")) if isinstance(block, dict) else None
    if keys == ["bounds"]:
        spec.bounds = _bounds(block["bounds"])
        if spec.bounds is None:
            problem("view.bounds", f"{block['bounds']!r} is not [west, south, east, north]",
                    "write e.g. view: {bounds: [120, 20, 150, 46]}: south below north, west before east", block)
    elif keys == ["center", "zoom"]:
        spec.center = _lat_lon(block["center"])
        if spec.center is None:
            problem("view.center", f"{block['center']!r} is not [lat, lon]",
                    "write e.g. view: {center: [36.5, 127.8], zoom: 6}", block)
        if _number(block["zoom"]) and 0 <= block["zoom"] <= 18:
            spec.zoom = float(block["zoom"])
        else:
            problem("view.zoom", f"{block['zoom']!r} is not a zoom level", "give a number from 0 (the world) to 18",
                    block)
    elif keys == ["fit"]:
        names = block["fit"] if isinstance(block["fit"], list) else [block["fit"]]
        if names and all(isinstance(n, str) and n.strip() for n in names):
            spec.fit = [n.strip() for n in names]
        else:
            problem("view.fit", f"{block['fit']!r} is not a list of record ids or kinds",
                    "write e.g. view: {fit: [base, usfk-hq]}", block)
    else:
        problem("view", f"{block!r} is not a view" if not isinstance(block, dict) else
                f"{', '.join(keys) or 'nothing'} is not a view", VIEW_FIX, block)


def _inset(value: Any, spec: MapSpec, problem) -> None:  # noqa: ANN001
    if isinstance(value, bool):
        spec.inset = value
    elif _bounds(value) is not None:
        spec.inset = _bounds(value)
    else:
        problem("inset", f"{value!r} is neither true, false nor bounds",
                "write inset: true (the region around the frame) or inset: [west, south, east, north]")


def _annotations(block: Any, path: Path, spec: MapSpec, problem) -> None:  # noqa: ANN001
    if not isinstance(block, list):
        problem("annotations", "is not a list", "write annotations: as a list of - {text: ..., at: [lat, lon]}")
        return
    for n, entry in enumerate(block, 1):
        key = f"annotations[{n}]"
        at = entry if isinstance(entry, dict) else block.lines[n - 1] if isinstance(block, Items) else None
        if not isinstance(entry, dict):
            problem(key, "is not a mapping", "write - {text: Taiwan Strait, at: [24.5, 119.5]}", at)
            continue
        unknown = [k for k in entry if not str(k).startswith("_") and k not in ("text", "at", "record", "leader")]
        for k in unknown:
            problem(f"{key}.{k}", "is not an annotation key", "use text, at or record, and leader", entry)
        text = entry.get("text")
        if not isinstance(text, (str, int, float)) or isinstance(text, bool) or not str(text).strip():
            problem(f"{key}.text", "is missing or not text", "give the words to show, e.g. text: DMZ", entry)
            continue
        point = _lat_lon(entry["at"]) if "at" in entry else None
        record = entry.get("record")
        if ("at" in entry) == ("record" in entry):
            problem(key, "needs one place", "give either at: [lat, lon] or record: an id", entry)
            continue
        if "at" in entry and point is None:
            problem(f"{key}.at", f"{entry['at']!r} is not [lat, lon]", "write e.g. at: [24.5, 119.5]", entry)
            continue
        if "record" in entry and (not isinstance(record, str) or not record.strip()):
            problem(f"{key}.record", f"{record!r} is not a record id", "give the id of a record on the map", entry)
            continue
        leader = _lat_lon(entry["leader"]) if "leader" in entry else None
        if "leader" in entry and leader is None:
            problem(f"{key}.leader", f"{entry['leader']!r} is not [lat, lon]",
                    "give the point the line points to, e.g. leader: [38.3, 127.2]", entry)
            continue
        spec.annotations.append(Annotation(str(text).strip(), point, record.strip() if record else None, leader))
        spec.where[key] = (str(path), str(entry.get("_origin", "")))


def _basemap(block: Any, spec: MapSpec, problem) -> None:  # noqa: ANN001
    """basemap: NAME, or {name: NAME, places: true|false} (reference places on natural-earth)."""
    if isinstance(block, dict):
        for key in block:
            if key not in ("name", "places", "_origin", "_lines"):
                problem(f"basemap.{key}", "is not a basemap key", "use name and places", block)
        if not isinstance(block.get("places", True), bool):
            problem("basemap.places", f"{block['places']!r} is not true or false",
                    "write places: false to leave out the names of countries, cities and seas", block)
        else:
            spec.places = block.get("places", True)
        name = block.get("name", NATURAL_EARTH)
    else:
        name = block
    why = basemap_problem(str(name))
    if why:
        problem("basemap", why, BASEMAP_FIX)
    else:
        spec.basemap = str(name)


def _locale(name: Any, spec: MapSpec, problem) -> None:  # noqa: ANN001
    if name in LOCALES:
        spec.locale = name
    else:
        problem("locale", f"{name!r} is not a language deploymap speaks", f"use one of {', '.join(LOCALES)}")


def _theme(name: Any, spec: MapSpec, problem) -> None:  # noqa: ANN001
    if name in THEMES:
        spec.theme = name
    else:
        problem("theme", f"{name!r} is not a theme", "use auto (follows the reader's setting), light or dark")


def _size(block: Any, spec: MapSpec, problem) -> None:  # noqa: ANN001
    if block is None:
        return
    if not isinstance(block, dict):
        problem("size", "is not a mapping", "write size: {width: 800, height: 560} or {width: 800, aspect: 16:9}")
        return
    width = block.get("width", spec.width)
    if not isinstance(width, int) or not 200 <= width <= 4000:
        problem("size.width", f"{width!r} is not a width in pixels", "give 200 to 4000", block)
        return
    spec.width = width
    if "aspect" in block:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[:/x]\s*(\d+(?:\.\d+)?)\s*", str(block["aspect"]))
        if not match or float(match.group(1)) <= 0 or float(match.group(2)) <= 0:
            problem("size.aspect", f"{block['aspect']!r} is not a ratio", "write it quoted, e.g. aspect: '16:9'", block)
            return
        ratio = float(match.group(1)) / float(match.group(2))
        if not 1 / MAX_ASPECT <= ratio <= MAX_ASPECT:
            problem("size.aspect", f"{block['aspect']!r} is outside 1:{MAX_ASPECT} to {MAX_ASPECT}:1",
                    "give a ratio such as 16:9, 4:3, 1:1 or 3:4", block)
            return
        spec.height = round(width / ratio)
    elif "height" in block:
        height = block["height"]
        if not isinstance(height, int) or not 150 <= height <= 4000:
            problem("size.height", f"{height!r} is not a height in pixels", "give 150 to 4000", block)
            return
        spec.height = height
    if spec.width * spec.height > MAX_PIXELS:
        problem("size", f"{spec.width}x{spec.height} is {spec.width * spec.height:,} pixels, over the "
                f"{MAX_PIXELS:,} a page (and its preview) may have", "make it smaller, e.g. width: 1600", block)
    if "max_height" in block:
        cap = block["max_height"]
        if isinstance(cap, int) and not isinstance(cap, bool) and 150 <= cap <= 4000:
            spec.max_height = cap
        else:
            problem("size.max_height", f"{cap!r} is not a height in pixels",
                    "give 150 to 4000: the tallest the map may be in a wide column", block)
