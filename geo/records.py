"""Records files to one validated, geocoded GeoDataFrame in EPSG:4326: the first stage of the flow."""
from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo.countries import country_at, km_outside, label_point
from geo.dates import ends_before
from geo.errors import Problem, RecordError, RecordWarning, raise_if
from geo.fields import FIELDS, PARSERS, FieldError, text
from geo.geocode import approximate, resolve
from geo.geonames import country_names
from geo.readers import RECORD_SUFFIXES, Row, read_rows

REQUIRED = ("id", "kind", "name")
MAX_RECORDS = 250_000  # what one page can hold (the canvas path draws 100,000 points); past it, a mistake
MAP_SUFFIX = ".map.yaml"  # map files may sit beside records; they are not records
COLUMNS = (*FIELDS, "operator", "resolved", "precision", "origin")
# A point may lie this far outside its country's Natural Earth 1:50m area: the 12-nautical-mile (22 km)
# territorial sea, plus the few km by which 1:50m coasts are generalised, keeps harbours, reefs and
# offshore islets in while catching a point in the wrong country (Gamu, PH geocoded to Jammu, IN).
COUNTRY_MARGIN_KM = 25.0


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
                 allow_outside: bool = False) -> Records:
    """read_records, with the warnings; ``strict`` makes every warning an error."""
    rows: list[Row] = []
    problems: list[Problem] = []
    for path in record_files(paths, allow_outside=allow_outside):
        try:
            rows += read_rows(path)
        except RecordError as err:
            problems += err.problems
    if len(rows) > MAX_RECORDS:
        problems.append(Problem(", ".join(map(str, paths))[:200], "", "records", f"are {len(rows):,}, over the "
                                f"limit of {MAX_RECORDS:,} for one map", "choose fewer records (kinds, tags, "
                                "or fewer files) or split the map"))
        raise_if(problems)
    records = []
    for row in rows:
        record, found = parse_row(row)
        records.append(record)
        problems += found
    warnings = [w for record in records for w in record_warnings(record)]
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


def record_warnings(record: dict[str, Any]) -> list[RecordWarning]:
    """What a valid record lacks: a source."""
    if record.get("source"):
        return []
    return [RecordWarning(record["_file"], record["_where"], "source", "is missing",
                          "cite where the record comes from (a release, an article, a dataset)")]


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


def check_links(records: list[dict[str, Any]]) -> list[Problem]:
    """Duplicate ids (ignoring case), and 'at' or 'reports_to' naming no record or going round in a cycle."""
    problems: list[Problem] = []
    seen: dict[str, dict[str, Any]] = {}
    for record in records:
        ident = record.get("id")
        if not ident:
            continue
        first = seen.setdefault(ident.casefold(), record)
        if first is not record:
            problems.append(Problem(record["_file"], record["_where"], "id",
                                    f"{ident!r} is already used at {first['origin']} (ids ignore case)",
                                    "give each record its own id"))
    by_id = seen
    for record in records:
        for field in ("at", "reports_to"):
            target = record.get(field)
            if target and target.casefold() not in by_id:
                close = difflib.get_close_matches(target, [r["id"] for r in by_id.values()], n=3)
                problems.append(Problem(record["_file"], record["_where"], field, f"{target!r} names no record",
                                        ("did you mean " + ", ".join(close) + "? " if close else "")
                                        + "use the id of a record in the same map"))
    cycles = _at_cycles(records, by_id)
    for record in records:
        cycle = cycles.get(id(record))
        if cycle:
            problems.append(Problem(record["_file"], record["_where"], "at",
                                    "goes round in a cycle: " + " -> ".join(cycle),
                                    "give one record of the cycle its own place or lat/lon"))
    return problems


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


def locate(records: list[dict[str, Any]], online: bool = False) -> list[Problem]:
    """Give every record lat/lon and say how: given, gazetteer, geonames, online, at, or country."""
    problems: list[Problem] = []
    for record in records:
        if record.get("lat") is not None:
            record["resolved"] = "given"
        elif record.get("place"):
            try:
                place = resolve(record["place"], record.get("country"), online)
            except FieldError as err:
                problems.append(Problem(record["_file"], record["_where"], "place", err.what, err.fix))
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


def check_countries(records: list[dict[str, Any]]) -> tuple[list[Problem], list[RecordWarning]]:
    """Records whose point lies outside their own ``country`` by more than COUNTRY_MARGIN_KM: an error
    when the point is in another country, a warning when it is at sea (or on an island too small for
    Natural Earth 1:50m, such as Iwo To)."""
    placed = [r for r in records if r.get("_country_given") and r.get("lat") is not None
              and r.get("resolved") != "country"]
    if not placed:
        return [], []
    lons, lats = [r["lon"] for r in placed], [r["lat"] for r in placed]
    away = km_outside([r["country"] for r in placed], lons, lats)
    far = [i for i, km in enumerate(away) if km > COUNTRY_MARGIN_KM]
    inside = country_at([lons[i] for i in far], [lats[i] for i in far])
    problems, warnings = [], []
    for i, other in zip(far, inside):
        record = placed[i]
        how = {"given": "lat/lon", "at": f"at {record.get('at')!r}"}.get(record["resolved"],
                                                                       f"place {record.get('place')!r}")
        code = record["country"]
        what = (f"the point of {how} ({record['lat']:.4f}, {record['lon']:.4f}) is {away[i]:,.0f} km outside "
                f"{code} ({country_names()[code]})")
        fix = "correct the place or the coordinates, or the country"
        if other:
            problems.append(Problem(record["_file"], record["_where"], "country",
                                    f"{what}, in {other} ({country_names().get(other, other)})", fix))
        else:
            warnings.append(RecordWarning(record["_file"], record["_where"], "country",
                                          f"{what}, at sea or on an island too small for the base map", fix))
    return problems, warnings


def to_frame(records: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """The records as a GeoDataFrame: the record fields in order, then unknown columns, then geometry."""
    extra = sorted({k for r in records for k in r if k not in COLUMNS and not k.startswith("_")})
    columns = [*COLUMNS, *extra]
    frame = pd.DataFrame([[r.get(c) for c in columns] for r in records], columns=columns, dtype=object)
    for column in ("lat", "lon", "range_km"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    points = shapely.points(frame["lon"].to_numpy(float), frame["lat"].to_numpy(float))
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")
