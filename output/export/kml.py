"""Records as KML and KMZ for Google Earth: one folder per layer, a TimeSpan from start and end for the
time slider, each kind's icon, and every field in ExtendedData and the description.

Built with ElementTree, so record text is always escaped as XML; the description is HTML (Google Earth
shows it as such), so its record text is HTML-escaped first. No network: a KMZ carries its icons as
PNGs inside; a plain .kml names no file at all and tints Google Earth's own pin in the kind's colour.
Dates pass through as written: KML's dates accept a year (2024) and a month (2024-07) as well as a day.
"""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from html import escape
from typing import Any

import geopandas as gpd

from geo.readers import KML_BALLOON
from layers.points import name_of, rows_by_id
from layers.style import COLORS, thousands
from output.export import icons
from output.export.columns import LAYERS, LOCATION, by_layer, joined, records

KML_NS = "http://www.opengis.net/kml/2.2"
DOCUMENT = "doc.kml"  # Google Earth opens the first .kml of a KMZ; by convention this one, first
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: no clock in the bytes
IN_ELEMENTS = ("name", "start", "end", *LOCATION)  # fields KML has its own elements for
DESCRIBED = [("Branch", "branch"), ("Operator", "operator"), ("Place", "place"), ("Country", "country"),
             ("At", "at_name"), ("Reports to", "reports_to_name"), ("Date", "when"), ("Troops", "troops"),
             ("Assets", "assets"), ("Count", "count"), ("Participants", "participants")]
# XML 1.0 cannot carry these at all, not even escaped: they become U+FFFD so the file stays well-formed
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def to_kml(frame: gpd.GeoDataFrame, title: str = "") -> bytes:
    """A KML document of the records, with no icon files: each kind tints Google Earth's pin."""
    return document(frame, title, icon_href=None)


def by_kind(record: dict[str, Any]) -> str:
    """The style of a record: its kind's."""
    return record["kind"]


def to_kmz(frame: gpd.GeoDataFrame, title: str = "", icon: Callable[[str], bytes] = icons.icon,
           style: Callable[[dict[str, Any]], str] = by_kind) -> bytes:
    """A KMZ (zip) of doc.kml and one PNG icon per style present (by default one per kind), with fixed
    dates and order. ``style`` names each record's style (an XML name), ``icon`` draws each style's PNG."""
    keys = sorted({style(r) for r in records(frame)})
    files = {DOCUMENT: document(frame, title, icon_href=lambda key: f"icons/{key}.png", style=style),
             **{f"icons/{key}.png": icon(key) for key in keys}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def document(frame: gpd.GeoDataFrame, title: str, icon_href: Callable[[str], str] | None,
             style: Callable[[dict[str, Any]], str] = by_kind) -> bytes:
    """The KML: a style per kind (or per ``style`` key), then a folder per layer (bases, deployments, ...)."""
    root = ET.Element("kml", xmlns=KML_NS)
    doc = ET.SubElement(root, "Document")
    _text(doc, "name", title)
    names = rows_by_id(frame)
    first = {style(r): r["kind"] for r in reversed(records(frame))}  # each style key and the kind it is for
    for key in sorted(first, key=lambda k: (list(LAYERS).index(first[k]), k)):
        element = ET.SubElement(doc, "Style", id=key)
        icon_style = ET.SubElement(element, "IconStyle")
        if icon_href is None:
            _text(icon_style, "color", kml_color(COLORS[first[key]]))
        else:
            _text(ET.SubElement(icon_style, "Icon"), "href", icon_href(key))
            ET.SubElement(icon_style, "hotSpot", x="0.5", y="0.5", xunits="fraction", yunits="fraction")
    for layer, part in by_layer(frame).items():
        folder = ET.SubElement(doc, "Folder")
        _text(folder, "name", layer.capitalize())
        for record in records(part):
            folder.append(placemark(record, names, style(record)))
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def placemark(record: dict[str, Any], names: dict[str, Any], style: str | None = None) -> ET.Element:
    """One record as a Placemark: name, description, TimeSpan, style, ExtendedData and Point."""
    mark = ET.Element("Placemark")
    _text(mark, "name", record["name"])
    _text(mark, "description", description(record, names))
    if record["start"] or record["end"]:
        span = ET.SubElement(mark, "TimeSpan")
        for element, field in (("begin", "start"), ("end", "end")):
            if record[field]:
                _text(span, element, record[field])
    _text(mark, "styleUrl", f"#{style or record['kind']}")
    data = ET.SubElement(mark, "ExtendedData")
    for field, cell in record.items():
        if field not in IN_ELEMENTS and cell is not None:
            _text(ET.SubElement(data, "Data", name=_xml(field)), "value", _plain(joined(cell)))
    _text(ET.SubElement(mark, "Point"), "coordinates", f"{record['lon']!r},{record['lat']!r}")
    return mark


def description(record: dict[str, Any], names: dict[str, Any]) -> str:
    """The balloon's HTML, like the map's popup: summary, labelled fields, source and quote, all escaped."""
    shown = {**record, "at_name": name_of(names, record["at"]), "reports_to_name": name_of(names, record["reports_to"]),
             "when": when(record["start"], record["end"]), "troops": thousands(record["troops"])}
    rows = "".join(f"<tr><th>{label}</th><td>{escape(_plain(joined(shown[field])))}</td></tr>"
                   for label, field in DESCRIBED if shown.get(field) is not None)
    parts = [f"<p>{escape(record['summary'])}</p>" if record["summary"] else "",
             f"<table>{rows}</table>" if rows else "",
             f"<p>Source: {escape(record['source'])}</p>" if record["source"] else "",
             f"<blockquote>{escape(record['quote'])}</blockquote>" if record["quote"] else ""]
    return f'{KML_BALLOON}{"".join(parts)}</div>'


def when(start: str | None, end: str | None) -> str | None:
    """The record's dates as ISO 8601 text, which holds a year or a month as well as a day."""
    if start and end and end != start:
        return f"{start} to {end}"
    return start or (f"until {end}" if end else None)


def kml_color(hex_color: str) -> str:
    """'#1d3557' as KML's opaque aabbggrr, 'ff57351d'."""
    return f"ff{hex_color[5:7]}{hex_color[3:5]}{hex_color[1:3]}"


def _plain(cell: Any) -> str:
    return cell if isinstance(cell, str) else repr(cell) if isinstance(cell, float) else str(cell)


def _xml(text: str) -> str:
    return NOT_XML.sub("\ufffd", text)


def _text(parent: ET.Element, tag: str, text: Any) -> None:
    """A child element holding ``text`` (nothing when there is none); ElementTree escapes it."""
    if text:
        ET.SubElement(parent, tag).text = _xml(_plain(text))
