"""One reader per format behind one function: a file of records to raw rows with their origin.

A raw row is a dict of field -> value as written, plus ``_origin`` (file, where) and, for
formats with geometry, ``_point`` (lon, lat) or ``_geometry_type`` when it is not a point.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable

import numpy as np
from xml.parsers import expat

from geo.errors import Problem, RecordError, raise_if
from geo.decimals import plain_numbers
from geo.files import MAX_BYTES, decode, file_size, open_regular, read_limited
from geo.worker import worker

MAP_SUFFIX = ".map.yaml"  # map files may sit beside records; they are not records
SAMPLE = 1024  # a plain CSV's first values of a column, to tell whether its values repeat
GATHERED_LINES = 1 << 16  # lines of a plain CSV's column gathered at a time (see _column)
SQLITE_MAGIC = b"SQLite format 3\x00"
# GDAL may fetch URLs (/vsicurl/ in a VRT or a SQLite view) and read other files on its own: every
# option here keeps a records file from reaching past itself, for the whole process
GDAL_LOCKDOWN = {
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".deploymap-reads-no-url",  # /vsicurl/ refuses every name
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_VRT_ENABLE_PYTHON": "NO",
    "GDAL_VRT_ENABLE_RAWRASTERBAND": "NO",
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
}

Row = dict[str, Any]


def read_rows(path: Path) -> list[Row]:
    """Read one records file, choosing the reader by its extension."""
    size = file_size(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise RecordError([Problem(str(path), "", "file", f"has the extension {path.suffix or '(none)'!r}, "
                                   "which is not a records format", "use CSV, YAML, GeoJSON or a GeoPackage "
                                   "(.csv, .yaml, .geojson, .gpkg)")])
    if size == 0:
        raise RecordError([Problem(str(path), "", "file", "is empty",
                                   "add records, or remove the file from the map's records")])
    return reader(path)


@dataclass(frozen=True)
class Table:
    """The raw records of one file column by column: ``columns[field][i]`` is row i's value as written,
    None where the row leaves it blank (special keys such as ``_point`` included); ``wheres[i]`` its
    line or feature; ``rows``, when the reader made them, the rows as read_rows gives them; ``stripped``
    the columns whose every value is text without whitespace at either end, or None (a plain CSV's,
    seen in its bytes), which the field parsers need not strip; ``numbers`` the columns whose every
    value is a plain decimal number or None, as numbers (a plain CSV's, read from its bytes:
    geo.decimals), which the number parsers need not read again."""

    file: str
    columns: dict[str, list[Any]]
    wheres: Sequence[str | int]
    rows: list[Row] | None = None
    stripped: frozenset[str] = frozenset()  # columns of text (or None) that str.strip would leave as they are
    numbers: dict[str, list[int | float | None]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.wheres)

    def row(self, i: int) -> Row:
        """Row i as read_rows gives it."""
        if self.rows is not None:
            return self.rows[i]
        row: Row = {k: v[i] for k, v in self.columns.items() if v[i] is not None}
        row["_origin"] = (self.file, str(self.wheres[i]))
        return row


def read_table(path: Path, early: Future[PlainColumns | None] | None = None) -> Table:
    """One records file as a Table: a plain CSV read column by column from its bytes, any other
    file, or a CSV the plain reading cannot take exactly, through read_rows; ``early``: read_early's
    reading of it."""
    plain = _plain_csv(path, early) if path.suffix.lower() == ".csv" and file_size(path) else None
    if plain is not None:
        return plain
    rows = read_rows(path)
    keys = list(dict.fromkeys(k for row in rows for k in row if k != "_origin"))
    return Table(str(path), {k: [row.get(k) for row in rows] for k in keys},
                 [row["_origin"][1] for row in rows], rows)


# a plain CSV's header, each column's values as written (see _column), which of its fields are empty and which
# hold no printable ASCII character (each rows x columns), which columns str.strip leaves as they are (see
# _plain_fields), and the columns of plain numbers as numbers (see Table)
PlainColumns = tuple[list[str], dict[str, list[str]], np.ndarray, np.ndarray, np.ndarray,
                     dict[str, list[int | float | None]]]
Early = dict[Path, Future[PlainColumns | None]]


def read_early(paths: Iterable[Path]) -> Early:
    """Start reading the CSVs among ``paths`` (as record_files gives them) on the worker thread: the
    bytes, the lines and fields numpy finds in them and each column's values go on beside the imports a
    command makes next. Hand what this returns to read_table (load_records' ``early``)."""
    return {path: worker().submit(_plain_columns, path) for path in paths if path.suffix.lower() == ".csv"}


def _plain_csv(path: Path, early: Future[PlainColumns | None] | None = None) -> Table | None:
    """A CSV without quotes whose every line is one record of as many fields as its sound header (no
    blank line or row), split by column from its bytes: the rows, lines and values _read_csv gives, at
    a fraction of the time and memory; None for any other CSV (then _read_csv reads it, and names its
    problems); ``early``: read_early's reading of it."""
    plain = early.result() if early is not None else _plain_columns(path)
    if plain is None:
        return None
    header, values, empty, spaces, trimmed, numbers = plain
    blank = _blank_fields(values, empty, spaces)
    if blank.all(axis=1).any():
        return None  # a row of blank fields: _read_csv skips it
    columns = {key: _none_where(values.pop(key), blank[:, c]) for c, key in enumerate(header)}
    return Table(str(path), columns, range(2, len(empty) + 2),
                 stripped=frozenset(key for key, clean in zip(header, trimmed) if clean), numbers=numbers)


def _plain_columns(path: Path) -> PlainColumns | None:
    """A plain CSV's header, columns and fields (see PlainColumns), or None when it is not plain."""
    plain = _plain_bytes(path)
    if plain is None:
        return None
    header, body = plain
    count = len(header)
    if not body:
        nothing = np.zeros((0, count), bool)
        return header, {k: [] for k in header}, nothing, nothing, np.zeros(count, bool), {}
    fields = _plain_fields(body, count)
    if fields is None:
        return None
    empty, spaces, starts, lengths, trimmed = fields
    data = np.frombuffer(body, np.uint8)
    values = {key: _shared(_column(data, starts[c::count], lengths[c::count])) for c, key in enumerate(header)}
    numbers = {key: found for c, key in enumerate(header)
               if (found := plain_numbers(data, starts[c::count], lengths[c::count])) is not None}
    return header, values, empty, spaces, trimmed, numbers


def _plain_bytes(path: Path) -> tuple[list[str], bytes] | None:
    """A plain CSV's header and body (the bytes after it), or None when it cannot be plain."""
    data = read_limited(path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b'"' in data or b"\x00" in data:
        return None
    data = data.removeprefix(codecs.BOM_UTF8)
    if not data.isascii():
        try:
            data.decode("utf-8")  # only checked: each field's bytes are decoded on their own
        except UnicodeDecodeError:
            return None
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None  # a lone CR ends a line for the csv module: the line numbers would differ
    first, _, body = data.partition(b"\n")
    del data
    header = [h.strip() for h in first.decode("utf-8").split(",")]
    if not all(header) or len(set(header)) != len(header) or _reserved(path, "1", header):
        return None
    return header, body


def _plain_fields(body: bytes, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Which fields of a CSV body (lines x ``count``) are empty, which hold no printable ASCII
    character but are not empty (maybe whitespace, which str.strip would leave empty), where each
    field starts and how many bytes it has (a CR before the newline left out), in order, and which
    columns have a printable ASCII character at both ends of every field that is not empty (what
    str.strip would leave as it is): None unless every line holds ``count`` fields (no empty line)."""
    data = np.frombuffer(body, np.uint8)  # ',', CR and newline are single bytes in UTF-8, never inside a character
    newline = data == ord("\n")
    ends = np.flatnonzero(newline).astype(np.int32)  # records files are under 2 GiB (files.MAX_BYTES)
    seps = np.flatnonzero(newline | (data == ord(","))).astype(np.int32)  # each field's end
    del newline
    if not body.endswith(b"\n"):  # the last line, without a newline
        ends, seps = np.append(ends, np.int32(len(data))), np.append(seps, np.int32(len(data)))
    lines = len(ends)
    if len(seps) != lines * count or (seps[count - 1::count] != ends).any():
        return None  # a ragged line: _read_csv names it
    starts = np.empty_like(seps)
    starts[0], starts[1:] = 0, seps[:-1] + 1
    lengths = seps - starts
    lengths -= (lengths > 0) & (data[seps - 1] == ord("\r"))  # a CR is only ever before a newline (checked)
    empty = lengths == 0
    if count == 1 and empty.any():
        return None  # an empty line: _read_csv skips it and counts its line
    printable = np.zeros(len(data) + 1, bool)  # one more: a last field may start at the very end
    printable[:-1] = (data > ord(" ")) & (data < 0x7F)
    printable[seps[seps < len(data)]] = False  # a field's run of bytes below ends on its comma or newline
    solid = np.logical_or.reduceat(printable, starts)
    # an empty field's last byte is the one before it, or (the body's first field) the extra False: left out
    trimmed = (printable[starts] & printable[starts + lengths - 1]) | empty
    return (empty.reshape(lines, count), (~solid & ~empty).reshape(lines, count), starts, lengths,
            trimmed.reshape(lines, count).all(axis=0))


def _column(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> list[str]:
    """One column's values, the fields at ``starts`` of ``lengths`` bytes: numpy gathers them joined by
    newlines (which no value holds), one split makes the strings, each next to the one before (a split
    of the whole body made them row by row, and every later pass over a column strode over all of
    them). In blocks of lines, so the index stays small at a million records."""
    values: list[str] = []
    for block in range(0, len(starts), GATHERED_LINES):
        first = starts[block: block + GATHERED_LINES].astype(np.int64)
        taken = lengths[block: block + GATHERED_LINES].astype(np.int64) + 1  # and the byte after the field
        ends = np.cumsum(taken)
        # each byte's place in the file: its field's start, plus how far into the field it is
        chunk = data.take(np.arange(ends[-1]) + np.repeat(first - (ends - taken), taken), mode="clip")
        chunk[ends - 1] = ord("\n")  # the comma, CR or newline after the field (clipped: the file's end)
        values += str(chunk[:-1], "utf-8").split("\n")
    return values


def _shared(values: list[str]) -> list[str]:
    """A column whose values repeat (a kind, a source) with each value one string, as a CSV parser that
    keeps a table of the strings it made gives them: 100,000 copies of 'synthetic' were 6 MB."""
    if len(set(values[:SAMPLE])) * 2 > min(len(values), SAMPLE):
        return values  # ids, names, coordinates: a table of them would only cost its own memory
    kept: dict[str, str] = {}
    return list(map(kept.setdefault, values, values))


def _blank_fields(values: dict[str, list[str]], empty: np.ndarray, spaces: np.ndarray) -> np.ndarray:
    """Which fields are blank (whitespace only), as _read_csv leaves them out: the empty ones, and those
    of the few with no printable ASCII character that str.strip empties; marked in ``empty`` itself."""
    for c, column in enumerate(values.values()):
        for i in np.flatnonzero(spaces[:, c]).tolist():
            empty[i, c] = not column[i].strip()
    return empty


def _none_where(values: list[str], blank: np.ndarray) -> list[str | None]:
    """The values of a CSV column with None where ``blank``."""
    for i in np.flatnonzero(blank).tolist():
        values[i] = None
    return values


def _reserved(path: Path, where: str, names: Iterable[Any]) -> list[Problem]:
    """Field names starting with '_' name deploymap's own keys (_origin, _point): a file may not set them."""
    return [Problem(str(path), where, str(name), "starts with '_', which deploymap keeps for itself",
                    "rename the field without the leading '_'") for name in names if str(name).startswith("_")]


def _read_csv(path: Path) -> list[Row]:
    text = decode(path)
    # io.StringIO(newline="") splits lines at \r and \n only: str.splitlines would also split at
    # U+2028, form feeds and other breaks inside quoted values, and the rows would come out ragged
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        header = []
    except csv.Error as err:
        raise RecordError([Problem(str(path), "1", "header", f"cannot be parsed ({err})",
                                   "fix the quoting of the first line")]) from None
    if not any(header):
        raise RecordError([Problem(str(path), "1", "header", "is missing",
                                   "put the field names (id,kind,name,...) on the first line")])
    named: set[str] = set()  # a set: 100,000 columns are checked in one pass, not 100,000 squared
    for i, name in enumerate(header):
        if not name:
            problems.append(Problem(str(path), "1", f"column {i + 1}", "has no name",
                                    "name the column or delete it"))
        elif name in named:
            problems.append(Problem(str(path), "1", name, "appears twice in the header",
                                    "rename or delete one of the two columns"))
        named.add(name)
    problems += _reserved(path, "1", header)
    rows: list[Row] = []
    start = reader.line_num + 1
    try:
        for values in reader:
            line = str(start)
            start = reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.append(Problem(str(path), line, "row", f"has {len(values)} fields, the header has "
                                        f"{len(header)}", "add the missing commas or quote values that "
                                        "contain commas"))
                continue
            row: Row = {k: v for k, v in zip(header, values) if k and v.strip() != ""}
            row["_origin"] = (str(path), line)
            rows.append(row)
    except csv.Error as err:
        problems.append(Problem(str(path), str(start), "row", f"cannot be parsed ({err})",
                                f"a quote opened at or after line {start} is never closed: close it, or double "
                                "the quote characters inside a value" if "field limit" in str(err)
                                else "close the quote or double the quote characters inside a value"))
    if problems:
        raise RecordError(problems)
    return rows


def _read_yaml(path: Path) -> list[Row]:
    from geo.yamlfiles import Items, load_yaml  # PyYAML only when a YAML file is read

    data = load_yaml(path)
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list):
        raise RecordError([Problem(str(path), "1", "file", "is not a list of records",
                                   "write one '- id: ...' item per record (or a 'records:' list)")])
    rows: list[Row] = []
    problems: list[Problem] = []
    for i, item in enumerate(data, 1):
        if not isinstance(item, dict):
            where = str(data.lines[i - 1]) if isinstance(data, Items) else ""
            problems.append(Problem(str(path), where, f"item {i}", "is not a mapping",
                                    "write each record as 'key: value' lines under '- '"))
            continue
        line = str(item.pop("_origin"))
        item.pop("_lines")
        problems += _reserved(path, line, item)
        row: Row = {str(k): v for k, v in item.items() if v is not None and v != ""}
        row["_origin"] = (str(path), line)
        rows.append(row)
    if problems:
        raise RecordError(problems)
    return rows


def _read_geojson(path: Path) -> list[Row]:
    text = decode(path)
    try:
        # NaN and Infinity load as floats: the field parsers and the Point check refuse them by feature and
        # field; so do integers too long for Python to convert (over 4,300 digits), read as infinity
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as err:
        line = str(err.lineno)
        raise RecordError([Problem(str(path), line, "json", str(err).split(":")[0],
                                   "fix the JSON syntax (a GeoJSON FeatureCollection)")]) from None
    except RecursionError:
        raise RecordError([Problem(str(path), "", "json", "is nested too deeply",
                                   "write a GeoJSON FeatureCollection of Point features")]) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not (isinstance(data, dict) and data.get("type") == "FeatureCollection"
            and isinstance(data.get("features"), list)):
        raise RecordError([Problem(str(path), "", "type", "is not a GeoJSON FeatureCollection",
                                   'write {"type": "FeatureCollection", "features": [...]}')])
    if data.get("crs") is not None and not _wgs84(data["crs"]):
        raise RecordError([Problem(str(path), "", "crs", f"is {json.dumps(data['crs'])[:80]}; GeoJSON is WGS 84 "
                                   "longitude, latitude (RFC 7946) and deploymap reads it so",
                                   "reproject the file to EPSG:4326 and remove the crs member")])
    rows: list[Row] = []
    problems: list[Problem] = []
    for n, feature in enumerate(data["features"], 1):
        where = f"feature {n}"
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(feature, dict) or not isinstance(props or {}, dict):
            problems.append(Problem(str(path), where, "properties", "is not an object",
                                    "give each feature a properties object"))
            continue
        problems += _reserved(path, where, props or {})
        row: Row = {str(k): v for k, v in (props or {}).items() if v is not None and v != ""}
        if "id" not in row and isinstance(feature.get("id"), (str, int)):
            row["id"] = feature["id"]
        row["_origin"] = (str(path), where)
        geometry = feature.get("geometry")
        if isinstance(geometry, dict):
            coords = geometry.get("coordinates")
            if geometry.get("type") != "Point":
                row["_geometry_type"] = str(geometry.get("type"))
            elif (isinstance(coords, list) and len(coords) >= 2
                  and all(isinstance(c, (int, float)) and not isinstance(c, bool) and abs(c) < 1e300
                          for c in coords[:2])):  # abs(c) < 1e300: finite, and no int too large for a float
                row["_point"] = (float(coords[0]), float(coords[1]))
            else:
                row["_geometry_type"] = "Point without two finite numeric coordinates"
        rows.append(row)
    if problems:
        raise RecordError(problems)
    return rows


def _wgs84(crs: Any) -> bool:
    """Whether a GeoJSON 2008 'crs' member names WGS 84 longitude/latitude (CRS84 or EPSG:4326)."""
    props = crs.get("properties") if isinstance(crs, dict) else None
    name = str(props.get("name", "")) if isinstance(props, dict) else ""
    return bool(re.search(r"(CRS84|EPSG:*4326)$", name, re.I))


def _json_int(digits: str) -> int | float:
    return int(digits) if len(digits) <= 4000 else math.copysign(math.inf, -1 if digits.startswith("-") else 1)


def _read_vector(path: Path) -> list[Row]:
    """A GeoPackage, opened by GDAL's GPKG driver alone once its SQLite header is seen (GDAL would
    otherwise pick a driver by content: a VRT named .gpkg could read other files or URLs)."""
    import pyogrio

    with open_regular(path) as f:
        if f.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise RecordError([Problem(str(path), "", "file", "is not a GeoPackage (no SQLite header)",
                                       "use CSV, YAML, GeoJSON or a GeoPackage saved by QGIS or GDAL")])
    pyogrio.set_gdal_config_options(GDAL_LOCKDOWN)
    source = f"GPKG:{path}"  # the driver prefix: no other driver may open it
    try:
        layers = pyogrio.list_layers(source)
        if len(layers) > 1:
            raise RecordError([Problem(str(path), "", "file", f"has {len(layers)} layers ("
                                       + ", ".join(str(name) for name, _ in layers[:5]) + ")",
                                       "keep the records in one layer, or save each layer as its own file")])
        frame = pyogrio.read_dataframe(source)
    except RecordError:
        raise
    except Exception as err:  # noqa: BLE001 - GDAL raises many types; all mean "cannot read"
        raise RecordError([Problem(str(path), "", "file", f"cannot be read ({err})",
                                   "use CSV, YAML, GeoJSON or a GeoPackage")]) from None
    if "geometry" not in frame:  # a GeoPackage of attributes only
        raise RecordError([Problem(str(path), "", "file", "has no geometry",
                                   "use CSV (with lat and lon columns), YAML, GeoJSON or a GeoPackage of points")])
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        try:
            frame = frame.to_crs(4326)
        except Exception as err:  # noqa: BLE001 - pyproj raises several types for a CRS it cannot transform
            raise RecordError([Problem(str(path), "", "crs", f"{frame.crs.name!r} cannot be transformed to "
                                       f"WGS 84 ({type(err).__name__})", "save the GeoPackage in EPSG:4326")]) from None
    reserved = _reserved(path, "", [c for c in frame.columns if c != "geometry"])
    if reserved:
        raise RecordError(reserved)
    rows: list[Row] = []
    for n, (record, geometry) in enumerate(zip(frame.drop(columns="geometry").to_dict("records"),
                                              frame.geometry), 1):
        row: Row = {k: v for k, v in record.items() if not _is_blank(v)}
        row["_origin"] = (str(path), f"feature {n}")
        if geometry is not None and not geometry.is_empty:
            if geometry.geom_type == "Point":
                row["_point"] = (geometry.x, geometry.y)
            else:
                row["_geometry_type"] = geometry.geom_type
        rows.append(row)
    return rows


class _Refused(Exception):
    """A DOCTYPE or entity declaration met while parsing KML."""


def _xml_tree(data: bytes, path: Path) -> ET.Element:
    """The element tree of an XML document, tags without namespaces; RecordError names the line.

    Parsed by expat with handlers that refuse any DOCTYPE and entity declaration: KML never needs
    one, and refusing them stops entity expansion bombs and external entities before they start.
    """
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True

    def refuse(*_: Any) -> None:
        raise _Refused(parser.CurrentLineNumber)

    def local(name: str) -> str:
        return name.rsplit("}", 1)[-1]

    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = lambda tag, attrs: builder.start(local(tag), {local(k): v for k, v in attrs.items()})
    parser.EndElementHandler = lambda tag: builder.end(local(tag))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except _Refused as err:
        raise RecordError([Problem(str(path), str(err.args[0]), "xml", "declares a DOCTYPE or entities, which "
                                   "KML never needs and deploymap refuses", "remove the <!DOCTYPE ...> part")]) from None
    except expat.ExpatError as err:
        raise RecordError([Problem(str(path), str(err.lineno), "xml", expat.ErrorString(err.code),
                                   "fix the XML at that line (save it from Google Earth again)")]) from None
    except LookupError as err:  # the XML declaration names an encoding Python does not know
        raise RecordError([Problem(str(path), "1", "xml", f"declares an {err}", "save it as UTF-8")]) from None
    return builder.close()


def _kml_rows(data: bytes, path: Path) -> list[Row]:
    """One raw row per Placemark: its name, Point, description, TimeSpan or TimeStamp and ExtendedData.

    ExtendedData fields (Data or SchemaData) are record fields and win over the elements; the
    description, as plain text, is the summary when no field gives one (unless it is the balloon
    deploymap's own export made from the fields). Placemarks are counted from 1.
    """
    root = _xml_tree(data, path)
    rows: list[Row] = []
    problems: list[Problem] = []
    for n, mark in enumerate(root.iter("Placemark"), 1):
        where = f"placemark {n}"
        fields = {f: _kml_text(mark.find(tag)) for f, tag in (("name", "name"), ("summary", "description"),
                                                              ("start", "TimeSpan/begin"), ("start", "TimeStamp/when"),
                                                              ("end", "TimeSpan/end")) if mark.find(tag) is not None}
        if fields.get("summary", "").startswith(KML_BALLOON):
            del fields["summary"]  # deploymap's own balloon, made from the fields below
        elif fields.get("summary"):
            fields["summary"] = _html_text(fields["summary"])
        for field in ("start", "end"):
            if fields.get(field) and re.match(r"\d{4}-\d{2}-\d{2}T", fields[field]):
                fields[field] = fields[field][:10]  # a dateTime: its date, as written
        data_fields = {d.get("name", ""): _kml_text(d.find("value")) for d in mark.iter("Data")}
        data_fields.update({d.get("name", ""): _kml_text(d) for d in mark.iter("SimpleData")})
        problems += _reserved(path, where, data_fields)
        row: Row = {k: v for k, v in {**fields, **data_fields}.items() if k and v}
        row["_origin"] = (str(path), where)
        geometry = next((g for g in mark if g.tag in KML_GEOMETRIES), None)
        if geometry is not None and geometry.tag != "Point":
            row["_geometry_type"] = geometry.tag
        elif geometry is not None:
            point = _kml_point(_kml_text(geometry.find("coordinates")))
            if point is None:
                row["_geometry_type"] = "Point without two finite numeric coordinates"
            else:
                row["_point"] = point
        rows.append(row)
    if problems:
        raise RecordError(problems)
    return rows


KML_BALLOON = '<div class="deploymap-record">'  # how a KML export marks the description it derived
KML_GEOMETRIES = ("Point", "LineString", "LinearRing", "Polygon", "MultiGeometry", "Model", "Track", "MultiTrack")


def _kml_text(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _kml_point(text: str) -> tuple[float, float] | None:
    """(lon, lat) of a Point's 'lon,lat[,alt]', or None when it is not one pair of finite numbers."""
    parts = text.split(",")
    try:
        lon, lat = float(parts[0]), float(parts[1])
    except (ValueError, IndexError):
        return None
    return (lon, lat) if len(parts) <= 3 and math.isfinite(lon) and math.isfinite(lat) else None


class _TextOnly(HTMLParser):
    """The text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html_text(html: str) -> str:
    """A KML description (HTML, as Google Earth shows it) as the plain text a record holds."""
    reader = _TextOnly()
    reader.feed(html)
    reader.close()
    return " ".join(" ".join(reader.parts).split())


def _read_kml(path: Path) -> list[Row]:
    return _kml_rows(read_limited(path), path)


def _read_kmz(path: Path) -> list[Row]:
    """The placemarks of a KMZ's doc.kml (or its first .kml). Only that member is read, into memory and
    no further than the size limit; nothing is extracted, so member names cannot reach the disk."""
    def problem(what: str, fix: str) -> RecordError:
        return RecordError([Problem(str(path), "", "file", what, fix)])

    try:
        with open_regular(path) as handle, zipfile.ZipFile(handle) as archive:
            documents = [i for i in archive.infolist() if i.filename.lower().endswith(".kml") and not i.is_dir()]
            if not documents:
                raise problem("has no .kml document inside", "save the KMZ from Google Earth again, or give the .kml")
            member = next((i for i in documents if i.filename == "doc.kml"), documents[0])
            if member.file_size > MAX_BYTES:
                raise problem(f"holds {member.filename}, {member.file_size / 2**20:.0f} MiB unpacked, over the "
                              f"{MAX_BYTES // 2**20} MiB limit", "split the placemarks into several files")
            with archive.open(member) as stream:
                data = stream.read(MAX_BYTES + 1)
    # a damaged archive's offsets make zipfile seek before the start (OSError), its names undecodable (ValueError)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, EOFError, zlib.error,
            OSError, ValueError) as err:
        raise problem(f"is not a readable KMZ (zip) archive ({err})", "save it from Google Earth again") from None
    if len(data) > MAX_BYTES:  # the zip's own size field can lie
        raise problem(f"holds {member.filename}, over the {MAX_BYTES // 2**20} MiB limit unpacked",
                      "split the placemarks into several files")
    return _kml_rows(data, path)


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


_READERS: dict[str, Callable[[Path], list[Row]]] = {
    ".csv": _read_csv,
    ".yaml": _read_yaml,
    ".yml": _read_yaml,
    ".geojson": _read_geojson,
    ".json": _read_geojson,
    ".kml": _read_kml,
    ".kmz": _read_kmz,
    ".gpkg": _read_vector,
}
RECORD_SUFFIXES = tuple(_READERS)


def record_files(paths: Iterable[str | Path], root: Path | None = None, allow_outside: bool = False,
                 skip: Path | None = None) -> list[Path]:
    """The records files named, with folders expanded to the records files inside them, sorted.

    A file whose real path (symlinks followed) leaves ``root`` (the project; for a folder named
    without one, that folder) is refused unless ``allow_outside``; nothing under ``skip`` (the
    output folder, when it lies inside a folder named) is taken as records. A file named twice (or
    by two globs) is read once.
    """
    files: dict[Path, Path] = {}
    problems: list[Problem] = []
    for path in map(Path, paths):
        if path.is_dir():
            # maps built into the project's own folder (--out .) must not hide the records beside them
            skipped = skip if skip and not _inside(path, skip) else None
            found = sorted(p for p in path.rglob("*") if p.is_file() and _is_records_file(p)
                           and not (skipped and _inside(p, skipped)))
            boundary = root or path
        elif path.exists() or path.is_symlink():
            found, boundary = [path], root
        else:
            problems.append(Problem(str(path), "", "file", "does not exist", "check the path"))
            continue
        for file in found:
            if allow_outside or boundary is None or _inside(file, boundary):
                files.setdefault(file.resolve(), file)
            else:
                problems.append(Problem(str(file), "", "file", f"leads outside {boundary} (to {file.resolve()})",
                                        "copy the file into the project, or build with --allow-outside"))
    raise_if(problems)
    return list(files.values())


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, symlinks followed, is in ``folder``."""
    return path.resolve().is_relative_to(folder.resolve())


def _is_records_file(path: Path) -> bool:
    return path.suffix.lower() in RECORD_SUFFIXES and not path.name.endswith(MAP_SUFFIX)
