"""Records files to one validated, geocoded GeoDataFrame in EPSG:4326: the first stage of the flow."""
from __future__ import annotations

import difflib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.countries import country_at, km_outside, label_point
from geo.dates import ends_before
from geo.errors import Problem, RecordError, RecordWarning, raise_if
from geo.fields import FIELDS, PARSERS, FieldError, parse_column, text
from geo.geocode import approximate, resolve
from geo.geonames import country_names
from geo.readers import Early, Row, Table, read_table, record_files
from geo.worker import worker

REQUIRED = ("id", "kind", "name")
MAX_RECORDS = 1_000_000  # what one page holds well: 14 MB, drawn in 1.8 s (README, "Large layers"); past it, a mistake
COLUMNS = (*FIELDS, "operator", "resolved", "precision", "origin")
# A point may lie this far outside its country's Natural Earth 1:50m area: the 12-nautical-mile (22 km)
# territorial sea, plus the few km by which 1:50m coasts are generalised, keeps harbours, reefs and
# offshore islets in while catching a point in the wrong country (Gamu, PH geocoded to Jammu, IN).
COUNTRY_MARGIN_KM = 25.0


@dataclass(frozen=True)
class Records:
    """Valid records as a GeoDataFrame, and the warnings about them (printed by check and build)."""

    frame: gpd.GeoDataFrame
    warnings: tuple[RecordWarning, ...] = ()


def read_records(paths: Sequence[str | Path], online: bool = False, allow_outside: bool = False) -> gpd.GeoDataFrame:
    """Read, validate and geocode records; RecordError lists every problem found in every file.

    ``online`` lets places unknown to the gazetteer and GeoNames be asked of the online geocoder;
    ``allow_outside`` lets a folder's symlinks lead out of it.
    Warnings are dropped: load_records returns them beside the frame.
    """
    return load_records(paths, online, allow_outside=allow_outside).frame


def load_records(paths: Sequence[str | Path], online: bool = False, strict: bool = False,
                 allow_outside: bool = False, early: Early | None = None) -> Records:
    """read_records, with the warnings; ``strict`` makes every warning an error; ``early``: the files
    geo.readers.read_early began to read, each taken out as it is read (what was read is let go)."""
    tables: list[Table] = []
    problems: list[Problem] = []
    for path in record_files(paths, allow_outside=allow_outside):
        try:
            tables.append(read_table(path, early.pop(path, None) if early else None))
        except RecordError as err:
            problems += err.problems
    count = sum(map(len, tables))
    if count > MAX_RECORDS:
        problems.append(Problem(", ".join(map(str, paths))[:200], "", "records", f"are {count:,}, over the "
                                f"limit of {MAX_RECORDS:,} for one map", "choose fewer records (kinds, tags, "
                                "or fewer files) or split the map"))
        raise_if(problems)
    records = Parsed(tables)
    del tables
    problems += records.problems
    warnings = record_warnings(records)
    if strict:
        problems += [w.as_problem() for w in warnings]
    problems += check_links(records)
    raise_if(problems)
    problems += locate(records, online)
    wrong, doubtful = check_countries(records)
    warnings += doubtful
    problems += wrong + ([w.as_problem() for w in doubtful] if strict else [])
    raise_if(problems)
    return Records(to_frame(records), tuple(warnings))


class Parsed:
    """The typed fields of every record, column by column (None where a record has none), parsed a
    column at a time; the rows a column check flags are parsed one by one by parse_row, whose problems
    (each naming its file, line and field) are ``problems``. ``record(i)`` is row i as a record dict,
    for the few rules that follow one record at a time ('at' chains, geocoding)."""

    def __init__(self, tables: list[Table]):
        lengths = list(map(len, tables))
        self.length = sum(lengths)
        self._starts = list(accumulate(lengths, initial=0))[:-1]
        self._tables = [(t.file, t.wheres) for t in tables]
        raw = _joined([t.columns for t in tables], lengths)
        # a column stripped, or of plain numbers, in every file that has it (a file without it gives None)
        stripped = {k for k in raw if all(k in t.stripped or k not in t.columns for t in tables)}
        numbers = _joined([t.numbers for t in tables], lengths)
        numeric = {k for k in numbers if all(k in t.numbers or k not in t.columns for t in tables)}
        self.columns: dict[str, list[Any]] = {}
        flagged: set[int] = set()
        for key, values in raw.items():
            if not key.startswith("_"):
                self.columns[key], refused = parse_column(key, values, stripped=key in stripped,
                                                          numbers=numbers[key] if key in numeric else None)
                flagged.update(refused)
        flagged.update(_flagged_rows(raw, self.columns, self.length).tolist())
        countries = self.columns.get("country", [])
        self.country_given = [False] * self.length if unused(countries) else [c is not None for c in countries]
        self._records: dict[int, dict[str, Any]] = {}
        self.problems: list[Problem] = []
        for i in sorted(flagged):
            t = bisect_right(self._starts, i) - 1
            record, found = parse_row(tables[t].row(i - self._starts[t]))
            self.problems += found
            self.put(i, record)
            self.country_given[i] = record["_country_given"]

    def column(self, key: str) -> list[Any]:
        """One field of every record (None where a record has none)."""
        if key not in self.columns:
            self.columns[key] = [None] * self.length
        return self.columns[key]

    def where(self, i: int) -> tuple[str, str]:
        """The file and the line (or feature) of record i."""
        t = bisect_right(self._starts, i) - 1
        file, wheres = self._tables[t]
        return file, str(wheres[i - self._starts[t]])

    def origin(self, i: int) -> str:
        """FILE:LINE of record i, or the record's own 'origin' field."""
        given = self.columns.get("origin")
        return given[i] if given and given[i] is not None else ":".join(self.where(i))

    def origins(self) -> list[str]:
        """origin() of every record."""
        out = [f"{file}:{where}" for file, wheres in self._tables for where in wheres]
        given = self.columns.get("origin") or ()
        return [o if g is None else g for o, g in zip(out, given)] if given else out

    def record(self, i: int) -> dict[str, Any]:
        """Record i as the one-record rules read it (one dict per record: the rules compare identities)."""
        if i not in self._records:
            file, where = self.where(i)
            record = {"origin": f"{file}:{where}", "_file": file, "_where": where}
            record.update((k, v[i]) for k, v in self.columns.items() if v[i] is not None)
            record["_country_given"] = self.country_given[i]
            self._records[i] = record
        return self._records[i]

    def put(self, i: int, record: dict[str, Any]) -> None:
        """Record i's fields, as a one-record rule left them, back into the columns."""
        self._records[i] = record
        for key, value in record.items():
            if not key.startswith("_") and key != "origin":
                self.column(key)[i] = value


def _joined(columns: list[dict[str, list[Any]]], lengths: list[int]) -> dict[str, list[Any]]:
    """The columns of every table (of ``lengths`` rows), one after the other, None where a table has no
    such column (a single table's own lists)."""
    if len(columns) == 1:
        return columns[0]
    keys = dict.fromkeys(k for c in columns for k in c)
    return {k: [v for c, n in zip(columns, lengths) for v in c.get(k, [None] * n)] for k in keys}


def _flagged_rows(raw: dict[str, list[Any]], parsed: dict[str, list[Any]], length: int) -> np.ndarray:
    """The rows whose fields, each valid alone, break a rule of the record (parse_row's): a required
    field missing, a geometry other than a point, lat without lon, a position off the globe, an end
    before the start, nothing to locate it by."""
    none = [None] * length
    flagged = np.zeros(length, bool)
    for field in REQUIRED:
        flagged |= _blank(raw.get(field, none))
    geometry = ~_blank(raw.get("_geometry_type", none)) | ~_blank(raw.get("_point", none))
    flagged |= geometry  # a GeoJSON or GeoPackage point is checked record by record
    no_lat, no_lon = _blank(raw.get("lat", none)), _blank(raw.get("lon", none))
    flagged |= no_lat != no_lon
    with np.errstate(invalid="ignore"):
        lats, lons = (np.array(parsed.get(k, none), dtype=float) for k in ("lat", "lon"))
        flagged |= (np.abs(lats) > 90) | (np.abs(lons) > 180)
    start, end = parsed.get("start", none), parsed.get("end", none)
    for i in np.flatnonzero(_given(start) & _given(end)):
        flagged[i] |= ends_before(end[i], start[i])
    if no_lat.any():  # a record with lat and lon needs nothing else to be located
        flagged |= no_lat & ~geometry & ~(_given(parsed.get("place", none)) | _given(parsed.get("at", none))
                                           | _given(parsed.get("country", none)))
    return np.flatnonzero(flagged)


def _objects(values: list[Any]) -> np.ndarray:
    """A list as a 1-D array of its objects (np.array would make a list of pairs 2-D)."""
    return np.fromiter(values, dtype=object, count=len(values))


def unused(values: list[Any]) -> bool:
    """Whether no record gives this field (every value None): seen without an array (1 ms at a million
    values, against 35 ms for the array and its test), and a large map leaves most fields unused."""
    return not values or (values[0] is None and values.count(None) == len(values))


def _blank(values: list[Any]) -> np.ndarray:
    """Which values are None: counted first, as a field every record gives (or none does) needs no array."""
    nones = values.count(None)
    if nones in (0, len(values)):
        return np.full(len(values), nones > 0)
    return np.equal(_objects(values), None)


def _given(values: list[Any]) -> np.ndarray:
    """Which values are truthy, as parse_row's record.get(field) is."""
    return np.zeros(len(values), bool) if unused(values) else _objects(values).astype(bool)


def record_warnings(records: Parsed) -> list[RecordWarning]:
    """What valid records lack: a source."""
    unsourced = np.flatnonzero(~_given(records.column("source"))).tolist()
    return [RecordWarning(*records.where(i), "source", "is missing",
                          "cite where the record comes from (a release, an article, a dataset)") for i in unsourced]


def parse_row(row: Row) -> tuple[dict[str, Any], list[Problem]]:
    """Typed fields of one raw row, and the problems of its fields taken one by one."""
    file, where = row["_origin"]
    record: dict[str, Any] = {"origin": f"{file}:{where}", "_file": file, "_where": where}
    problems: list[Problem] = []

    def problem(field: str, what: str, fix: str) -> None:
        problems.append(Problem(file, where, field, what, fix))

    for key, value in row.items():
        if key.startswith("_"):
            continue
        try:
            record[key] = PARSERS.get(key, text)(value)
        except FieldError as err:
            problem(key, err.what, err.fix)
            record[key] = None
    for field in REQUIRED:
        if field not in row:
            problem(field, "is missing", f"give every record its {field}" + (
                " (base, deployment, command or event)" if field == "kind" else ""))
    if "_geometry_type" in row:
        problem("geometry", f"is a {row['_geometry_type']}", "records are located by a Point; "
                "use a Point geometry, or lat and lon")
    if "_point" in row and "lat" not in row and "lon" not in row:
        record["lon"], record["lat"] = row["_point"]
        _check_range(record, problem)
    elif ("lat" in row) != ("lon" in row):
        missing = "lon" if "lat" in row else "lat"
        problem(missing, "is missing while " + ("lat" if missing == "lon" else "lon") + " is given",
                "give both lat and lon, or neither")
    elif record.get("lat") is not None and record.get("lon") is not None:
        _check_range(record, problem)
    if record.get("start") and record.get("end") and ends_before(record["end"], record["start"]):
        problem("end", f"{record['end']} is before start {record['start']}", "swap the dates or correct one")
    record["_country_given"] = bool(record.get("country"))
    located = "lat" in row or "_point" in row or "_geometry_type" in row
    if not located and not any(record.get(f) for f in ("place", "at", "country")):
        problem("place", "is missing, and so are lat/lon, at and country",
                "give a place (e.g. 'NAF Atsugi'), lat and lon, the id of a record it is 'at', or a country")
    return record, problems


def _check_range(record: dict[str, Any], problem) -> None:  # noqa: ANN001
    lat, lon = record["lat"], record["lon"]
    swapped = abs(lat) > 90 and abs(lon) <= 90
    if abs(lat) > 90:
        problem("lat", f"{lat} is outside [-90, 90]",
                f"lat and lon look swapped: write lat {lon}, lon {lat}" if swapped else "give degrees north")
        record["lat"] = None
    if abs(lon) > 180:
        problem("lon", f"{lon} is outside [-180, 180]", "give degrees east, from -180 to 180")
        record["lon"] = None


def check_links(records: Parsed) -> list[Problem]:
    """Duplicate ids (ignoring case), and 'at' or 'reports_to' naming no record or going round in a cycle."""
    problems: list[Problem] = []
    folded = _folded(records.column("id"))
    at, reports_to = records.column("at"), records.column("reports_to")
    linked = np.flatnonzero(_given(at) | _given(reports_to)).tolist()
    if not linked and None not in folded and len(set(folded)) == len(folded):
        return problems  # every id its own, and no record names another: no index of the ids to build
    first = dict(zip(reversed(folded), range(len(folded) - 1, -1, -1)))  # each id's first record
    first.pop(None, None)
    if len(first) < len(folded):
        for i, ident in enumerate(folded):
            if ident is not None and first[ident] != i:
                problems.append(Problem(*records.where(i), "id", f"{records.column('id')[i]!r} is already used at "
                                        f"{records.origin(first[ident])} (ids ignore case)",
                                        "give each record its own id"))
    ids: list[str] = []
    for i in linked:
        for field, target in (("at", at[i]), ("reports_to", reports_to[i])):
            if target and target.casefold() not in first:
                ids = ids or [records.column("id")[j] for j in sorted(first.values())]
                close = difflib.get_close_matches(target, ids, n=3)
                problems.append(Problem(*records.where(i), field, f"{target!r} names no record",
                                        ("did you mean " + ", ".join(close) + "? " if close else "")
                                        + "use the id of a record in the same map"))
    chained = [records.record(i) for i in linked if at[i]]
    by_id = {t: records.record(first[t]) for t in {r["at"].casefold() for r in chained} if t in first}
    cycles = _at_cycles(chained, by_id)
    for record in chained:
        cycle = cycles.get(id(record))
        if cycle:
            problems.append(Problem(record["_file"], record["_where"], "at",
                                    "goes round in a cycle: " + " -> ".join(cycle),
                                    "give one record of the cycle its own place or lat/lon"))
    return problems


def _folded(ids: list[str | None]) -> list[str | None]:
    """The ids casefolded (None stays None); ids, already slugs in ASCII lower case, as they are."""
    if None not in ids and "".join(ids).islower():
        return ids
    return [None if i is None else i.casefold() for i in ids]


def _at_next(record: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The record an unlocated record is 'at' (None when it has its own place or lat/lon)."""
    if record.get("lat") is None and not record.get("place") and record.get("at"):
        return by_id.get(record["at"].casefold())
    return None


def _at_cycles(records: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> dict[int, list[str]]:
    """For each record on an 'at' cycle, the cycle's ids from it back to it (the first 10 of a longer one).
    Each record is walked once, so 10,000 chained records take 10,000 steps, not 10,000 squared."""
    walked: set[int] = set()
    cycles: dict[int, list[str]] = {}
    for start in records:
        path: dict[int, int] = {}  # id(record) -> position on this walk
        chain: list[dict[str, Any]] = []
        current = start
        while current is not None and id(current) not in walked:
            walked.add(id(current))
            path[id(current)] = len(chain)
            chain.append(current)
            current = _at_next(current, by_id)
        if current is not None and id(current) in path:  # this walk came back onto itself
            ring = [r["id"] for r in chain[path[id(current)]:]]
            for i, record in enumerate(chain[path[id(current)]:]):
                shown = [ring[(i + j) % len(ring)] for j in range(min(len(ring), 10))]
                cycles[id(record)] = shown + (["..."] if len(ring) > 10 else []) + [ring[i]]
    return cycles


def _targets_first(records: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The records ordered so that each comes after the record it is 'at', so that following an
    'at' chain takes one step to a record already located (linear in the number of records)."""
    order: list[dict[str, Any]] = []
    placed: set[int] = set()
    for record in records:
        chain, current = [], record
        while current is not None and id(current) not in placed:
            placed.add(id(current))
            chain.append(current)
            current = by_id.get(current["at"].casefold()) if current.get("at") else None
        order.extend(reversed(chain))
    return order


def locate(records: Parsed, online: bool = False) -> list[Problem]:
    """Give every record lat/lon and say how: given, gazetteer, geonames, online, at, or country.
    Records with lat/lon are 'given' a column at a time; the others, with the records they are 'at',
    are located one by one, each place geocoded once."""
    lats = records.column("lat")
    unlocated = np.flatnonzero(_blank(lats)).tolist()
    given: list[str | None] = ["given"] * len(lats)
    for i in unlocated:
        given[i] = None
    problems: list[Problem] = []
    if unlocated:
        folded = {ident: n for n, ident in enumerate(_folded(records.column("id")))}
        at = records.column("at")
        targets = {folded[a.casefold()] for a in (at[i] for i in unlocated) if a and a.casefold() in folded}
        rows = sorted(set(unlocated) | targets)
        subset = [records.record(i) for i in rows]
        problems = _locate_each(subset, online)
        for i, record in zip(rows, subset):
            records.put(i, record)
            given[i] = record.get("resolved")
    records.columns["resolved"] = given
    return problems


def _locate_each(records: list[dict[str, Any]], online: bool) -> list[Problem]:
    """locate, one record at a time, for the records without lat/lon and those they are 'at'."""
    problems: list[Problem] = []
    places: dict[tuple[str, str | None], Any] = {}
    for record in records:
        if record.get("lat") is not None:
            record["resolved"] = "given"
        elif record.get("place"):
            query = (record["place"], record.get("country"))
            if query not in places:
                try:
                    places[query] = resolve(*query, online)
                except FieldError as err:
                    places[query] = err
            place = places[query]
            if isinstance(place, FieldError):
                problems.append(Problem(record["_file"], record["_where"], "place", place.what, place.fix))
                continue
            record.update(lat=place.lat, lon=place.lon, resolved=place.how)
            if approximate(place):
                record["precision"] = approximate(place)
            record.setdefault("country", place.country)
            if place.operator:
                record.setdefault("operator", place.operator)
    by_id = {r["id"].casefold(): r for r in records if r.get("id")}
    for record in _targets_first(records, by_id):
        target, seen = record, {id(record)}
        while target.get("resolved") is None and target.get("at"):
            target = by_id[target["at"].casefold()]
            if id(target) in seen:  # a cycle through a place that failed to geocode (reported above)
                break
            seen.add(id(target))
        if target is not record and target.get("lat") is not None:
            record.update(lat=target["lat"], lon=target["lon"], resolved="at")
            if target.get("precision"):
                record["precision"] = target["precision"]
            record.setdefault("country", target.get("country"))
    for record in records:
        if record.get("lat") is None and record.get("country"):
            record["lon"], record["lat"] = label_point(record["country"])
            record.update(resolved="country", precision="approximate (country)")
    return problems


def check_countries(records: Parsed) -> tuple[list[Problem], list[RecordWarning]]:
    """Records whose point lies outside their own ``country`` by more than COUNTRY_MARGIN_KM: an error
    when the point is in another country, a warning when it is at sea (or on an island too small for
    Natural Earth 1:50m, such as Iwo To)."""
    lats, lons, codes = records.column("lat"), records.column("lon"), records.column("country")
    resolved = records.column("resolved")
    if True not in records.country_given:
        return [], []  # a large map's records often give lat/lon alone: no need to walk them
    placed = [i for i, given in enumerate(records.country_given)
              if given and lats[i] is not None and resolved[i] != "country"]
    if not placed:
        return [], []
    away = km_outside([codes[i] for i in placed], [lons[i] for i in placed], [lats[i] for i in placed])
    far = [placed[j] for j in np.flatnonzero(away > COUNTRY_MARGIN_KM)]
    km = dict(zip(placed, away))
    inside = country_at([lons[i] for i in far], [lats[i] for i in far])
    problems, warnings = [], []
    for i, other in zip(far, inside):
        how = {"given": "lat/lon", "at": f"at {records.column('at')[i]!r}"}.get(
            resolved[i], f"place {records.column('place')[i]!r}")
        what = (f"the point of {how} ({lats[i]:.4f}, {lons[i]:.4f}) is {km[i]:,.0f} km outside "
                f"{codes[i]} ({country_names()[codes[i]]})")
        fix = "correct the place or the coordinates, or the country"
        if other:
            problems.append(Problem(*records.where(i), "country",
                                    f"{what}, in {other} ({country_names().get(other, other)})", fix))
        else:
            warnings.append(RecordWarning(*records.where(i), "country",
                                          f"{what}, at sea or on an island too small for the base map", fix))
    return problems, warnings


def to_frame(records: Parsed) -> gpd.GeoDataFrame:
    """The records as a GeoDataFrame: the record fields in order, then unknown columns, then geometry."""
    none = np.full(records.length, None, dtype=object)  # shared by every field no record has (copied on write)
    # a number no record gives is NaN throughout, made at once (converting a million None took 50-80 ms)
    numbers = {k: np.array(records.columns.pop(k), dtype=float) if k in records.columns
               else np.full(records.length, np.nan) for k in ("lat", "lon", "range_km")}
    # GEOS makes the points on the worker thread, mostly without the GIL, while the other columns are made
    points = worker().submit(shapely.points, numbers["lon"], numbers["lat"])
    records.columns["origin"] = records.origins()
    extra = sorted(k for k, v in records.columns.items() if k not in COLUMNS and v.count(None) < len(v))
    columns = [*COLUMNS, *extra]

    def column(name: str) -> pd.Series:
        if name in numbers:
            return pd.Series(numbers[name])
        values = records.columns.pop(name, None)
        return pd.Series(none if values is None else values, dtype=object, copy=False)

    # copy=False: each column its own block, not stacked into one more copy of every cell
    frame = pd.DataFrame({c: column(c) for c in columns}, columns=columns, copy=False)
    records.columns.clear()
    return gpd.GeoDataFrame(frame, geometry=points.result(), crs="EPSG:4326", copy=False)  # the frame is ours: no copy
