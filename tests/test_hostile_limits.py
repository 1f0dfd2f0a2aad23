"""Issue 11: bounds on what a map file or a records file can multiply, linear-time validation, and
the smaller items: odd line breaks in quoted CSV values, the same file named twice, a GeoJSON crs,
tags and trips typed two ways in Unicode, the advice for a runaway quote."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from output.cli import main


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def check(*paths: Path):  # noqa: ANN201 - click's Result
    return CliRunner().invoke(main, ["check", *map(str, paths)])


@pytest.mark.timeout(60)
def test_a_header_of_100000_columns_is_checked_in_one_pass(tmp_path: Path) -> None:
    """Duplicate names among 100,000 columns are found by a set (it took 62 s with a list)."""
    header = ["id", "kind", "name", "lat", "lon"] + [f"c{i}" for i in range(100_000)] + ["c7", "c99999"]
    path = write(tmp_path, "wide.csv", ",".join(header) + "\n")
    result = check(path)
    assert result.exit_code == 1
    assert f"{path}:1: c7: appears twice in the header" in result.output
    assert f"{path}:1: c99999: appears twice in the header" in result.output


@pytest.mark.timeout(120)
def test_10000_records_chained_by_at_are_located_in_linear_time(tmp_path: Path) -> None:
    """Each record is 'at' the next, the last at a base: all located (it took 32 s for 2,000)."""
    n = 10_000
    rows = [f"r{i},deployment,Unit {i},r{i + 1}" for i in range(n)] + [f"r{n},base,Base,"]
    path = write(tmp_path, "chain.csv", "id,kind,name,at\n" + "\n".join(rows) + "\n")
    write(tmp_path, "place.csv", f"id,kind,name,lat,lon\nx,base,X,1,1\n")
    path.write_text(path.read_text(encoding="utf-8").replace(f"r{n},base,Base,", f"r{n},base,Base,x"),
                    encoding="utf-8")
    result = check(path, tmp_path / "place.csv")
    assert result.exit_code == 0, result.output[-2000:]
    assert f"{n + 2} records in 2 files, all valid" in result.output
    cycle = write(tmp_path, "cycle.csv", "id,kind,name,at\n" + "\n".join(
        f"q{i},deployment,Unit {i},q{(i + 1) % n}" for i in range(n)) + "\n")
    result = check(cycle)
    assert result.exit_code == 1 and result.output.count("goes round in a cycle") == n
    assert f"{cycle}:2: at: goes round in a cycle: q0 -> q1 -> q2" in result.output


def mapfile(folder: Path, extra: str) -> Path:
    write(folder, "r.csv", "id,kind,name,lat,lon\nx,base,X,35,139\n")
    return write(folder, "m.map.yaml", f"title: M\nrecords: {{paths: [r.csv]}}\n{extra}")


@pytest.mark.parametrize("extra, expected", [
    ("layers:\n" + "  - countries\n" * 1000, "m.map.yaml:3: layers: has 1000 layers, over the limit of 30"),
    ("size: {width: 800, aspect: '10000:1'}\n", "m.map.yaml:3: size.aspect: '10000:1' is outside 1:4 to 4:1"),
    ("size: {width: 800, aspect: '1:1000'}\n", "m.map.yaml:3: size.aspect: '1:1000' is outside 1:4 to 4:1"),
    ("size: {width: 4000, height: 4000}\n", "m.map.yaml:3: size: 4000x4000 is 16,000,000 pixels, over the 8,000,000"),
])
def test_a_map_file_cannot_multiply_the_page_past_its_bounds(extra: str, expected: str, tmp_path: Path) -> None:
    path = mapfile(tmp_path, extra)
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(tmp_path / "out"), "--preview"])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"{path.parent}/{expected}" in result.output
    assert not (tmp_path / "out").exists()


def test_csv_values_may_hold_unicode_line_breaks_and_form_feeds(tmp_path: Path) -> None:
    """Only CR and LF end a CSV row: U+2028, U+0085 and form feeds are characters of a value, quoted or not."""
    path = write(tmp_path, "r.csv", 'id,kind,name,lat,lon,summary\nx,base,X,35,139,"one\u2028two\x0cthree\u0085"\n'
                 'y,base,Y,35,139,one\u2028two\n' 'z,base,Z,35,139,a\x0cb\n')
    result = check(path)
    assert result.exit_code == 0, result.output
    assert "3 records in 1 file, all valid" in result.output


def test_a_runaway_quote_is_named_as_one(tmp_path: Path) -> None:
    """A quote never closed swallows the file until csv's field limit: the advice says so."""
    path = write(tmp_path, "r.csv", 'id,kind,name,lat,lon\nx,base,"X,35,139\n' + "y,base,Y,35,139\n" * 10_000)
    result = check(path)
    assert result.exit_code == 1
    assert "field larger than field limit" in result.output
    assert "a quote opened at or after line 2 is never closed" in result.output


def test_the_same_file_named_twice_is_read_once(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "id,kind,name,lat,lon\nx,base,X,35,139\n")
    result = check(path, path, tmp_path)
    assert result.exit_code == 0, result.output
    assert "1 record in 1 file, all valid" in result.output


def test_a_geojson_crs_other_than_wgs84_is_refused_by_name(tmp_path: Path) -> None:
    feature = {"type": "Feature", "properties": {"id": "x", "kind": "base", "name": "X"},
               "geometry": {"type": "Point", "coordinates": [15000000, 4000000]}}
    for name, ok in (("urn:ogc:def:crs:EPSG::3857", False), ("urn:ogc:def:crs:OGC:1.3:CRS84", True)):
        data = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": name}},
                "features": [{**feature, "geometry": {"type": "Point", "coordinates": [139, 35]}} if ok else feature]}
        path = write(tmp_path, "r.geojson", json.dumps(data))
        result = check(path)
        if ok:
            assert result.exit_code == 0, result.output
        else:
            assert result.exit_code == 1
            assert f"{path}: crs: is " in result.output and "reproject the file to EPSG:4326" in result.output


def test_tags_and_trips_typed_two_ways_in_unicode_are_one(tmp_path: Path) -> None:
    """'Café' in NFC in the map file selects records tagged in NFD; both halves of a trip join one route."""
    nfc, nfd = unicodedata.normalize("NFC", "Café"), unicodedata.normalize("NFD", "Café")
    write(tmp_path, "r.csv", "id,kind,name,lat,lon,tags,trip,start\n"
          f"a,event,A,35,139,{nfd},{nfc} tour,2024-07-27\nb,event,B,14,121,{nfc},{nfd} tour,2024-07-28\n")
    write(tmp_path, "m.map.yaml", f"title: M\nrecords: {{paths: [r.csv], tags: [{nfc}]}}\n"
          "layers: [events, itineraries]\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--root", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    features = json.loads((out / "m.geojson").read_text(encoding="utf-8"))["features"]
    assert sorted(f["properties"]["id"] for f in features if f["geometry"]["type"] == "Point") == ["a", "b"]
    assert [f["geometry"]["type"] for f in features].count("LineString") == 1
