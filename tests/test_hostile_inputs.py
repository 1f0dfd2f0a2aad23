"""Issue 6: hostile and broken input gives a specific error, or is accepted on purpose; never a traceback.

The corpus in tests/hostile/ is checked against tests/hostile/expected.yaml through the Python API
(read_records, load_mapfile) and the real command line; property-based tests then throw arbitrary
bytes, text, rows and values at the readers and field parsers.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import readers
from geo.errors import Problem, RecordError
from geo.fields import FIELDS, PARSERS, FieldError
from geo.records import parse_row, read_records
from output.cli import main
from output.mapfile import KEYS, load_mapfile
from output.mapspec import MapSpec

CORPUS = Path(__file__).parent / "hostile"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
PWNED = Path("/tmp/deploymap-hostile-pwned")  # what the !!python/object/apply payloads try to create

PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def is_mapfile(path: Path) -> bool:
    return path.name.endswith(".map.yaml")


def load(path: Path) -> Any:
    """What deploymap makes of one corpus file: a MapSpec or a records frame."""
    return load_mapfile(path) if is_mapfile(path) else read_records([path])


def run_cli(path: Path, out: Path):  # noqa: ANN201 - click's Result
    """`deploymap build FILE` for a map file, `deploymap check FILE` for records."""
    args = ["build", str(path), "--out", str(out)] if is_mapfile(path) else ["check", str(path)]
    return CliRunner().invoke(main, args)


def cases() -> list[Any]:
    return [pytest.param(name, expect, id=name) for name, expect in EXPECTED.items()]


def test_corpus_is_complete() -> None:
    """Every corpus file has an expectation and every expectation a file; all four formats are there."""
    files = {p.name for p in CORPUS.iterdir() if p.is_file() and p.name != "expected.yaml"}
    assert files == set(EXPECTED)
    assert len(files) >= 40
    for suffix in (".csv", ".yaml", ".geojson", ".map.yaml"):
        assert sum(f.endswith(suffix) for f in files) >= 10, suffix
    for name, expect in EXPECTED.items():
        assert ("error" in expect) != ("accepted" in expect), name
        if "error" in expect:
            assert set(expect["error"]) == {"where", "field", "what", "fix"}, name
        else:
            assert expect["accepted"].strip() and ("records" in expect or "spec" in expect), name


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("name", "expect"), cases())
def test_corpus_file(name: str, expect: dict[str, Any], tmp_path: Path) -> None:
    """The API and the command line agree: the expected problem, exit 1, no traceback; or accepted as documented."""
    path = CORPUS / name
    out = tmp_path / "out"
    if "accepted" in expect:
        check_accepted(load(path), expect)
        result = run_cli(path, out)
        assert "Traceback" not in result.output
        assert result.exit_code == 0, result.output
        return
    with pytest.raises(RecordError) as caught:
        load(path)
    problem = matching(caught.value.problems, path, expect["error"])
    result = run_cli(path, out)
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    printed = [line.strip() for line in result.output.splitlines()]
    assert str(problem) in printed, result.output
    assert not any(p.suffix == ".html" for p in out.rglob("*")), "a failed map wrote output"


def matching(problems: list[Problem], path: Path, want: dict[str, str]) -> Problem:
    """The reported problem at the expected place, field, with the expected words."""
    for p in problems:
        if (p.file == str(path) and p.where == str(want["where"]) and p.field == want["field"]
                and want["what"] in p.what and want["fix"] in p.fix):
            return p
    raise AssertionError(f"no problem like {want} in:\n" + "\n".join(map(str, problems)))


def check_accepted(result: Any, expect: dict[str, Any]) -> None:
    """An accepted file normalises to the values expected.yaml gives."""
    if isinstance(result, MapSpec):
        for key, value in expect["spec"].items():
            assert getattr(result, key) == value, key
        return
    records = result.to_dict("records")
    assert len(records) == len(expect["records"])
    for got, want in zip(records, expect["records"]):
        for key, value in want.items():
            if isinstance(value, float):
                assert got[key] == pytest.approx(value, abs=1e-5), key
            else:
                assert got[key] == value, key


def test_object_building_tags_build_nothing(tmp_path: Path) -> None:
    """!!python/object/apply:os.system in records or map files is refused before anything runs."""
    PWNED.unlink(missing_ok=True)
    for name in ("python-object.yaml", "python-name.yaml", "python-tag.map.yaml"):
        with pytest.raises(RecordError):
            load(CORPUS / name)
        run_cli(CORPUS / name, tmp_path / "out")
    assert not PWNED.exists()


def test_check_lists_every_broken_file_at_once() -> None:
    """`deploymap check` on the whole corpus folder reports the unreadable files together, then exits 1."""
    result = CliRunner().invoke(main, ["check", str(CORPUS)])
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    unreadable = [n for n, e in EXPECTED.items() if "error" in e and not n.endswith(".map.yaml")
                  and n.endswith((".csv", ".yaml", ".geojson", ".gpkg"))  # what a folder holds as records
                  and e["error"]["field"] in ("file", "yaml", "json", "row", "header", "type")]
    assert len(unreadable) >= 20
    for name in unreadable:
        assert str(CORPUS / name) in result.output, name


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".csv", ".yaml", ".geojson", ".gpkg", ".map.yaml"])
def test_200_mb_file_is_refused_without_reading_it(suffix: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A 200 MB file (sparse: nothing is written to disk) is refused by its size, never read."""
    big = tmp_path / f"big{suffix}"
    with big.open("wb") as f:
        f.truncate(200 * 2**20)
    never_read(monkeypatch, big)
    with pytest.raises(RecordError) as caught:
        load(big)
    [problem] = caught.value.problems
    assert (problem.file, problem.where, problem.field) == (str(big), "", "file")
    assert "is 200 MiB, over the 100 MiB limit" in problem.what and "split it" in problem.fix
    result = run_cli(big, tmp_path / "out")
    assert "Traceback" not in result.output and result.exit_code == 1
    assert str(problem) in result.output
    if not is_mapfile(big):
        result = CliRunner().invoke(main, ["check", str(tmp_path)])
        assert result.exit_code == 1 and str(problem) in result.output


def never_read(monkeypatch: pytest.MonkeyPatch, big: Path) -> None:
    """Make any read of ``big`` (text, bytes, or through GDAL) fail the test."""
    def guard(original):
        def read(self, *args, **kwargs):
            assert Path(self) != big, f"{big} was read"
            return original(self, *args, **kwargs)
        return read

    for name in ("read_bytes", "read_text", "open"):
        monkeypatch.setattr(Path, name, guard(getattr(Path, name)))
    monkeypatch.setattr(readers, "_read_vector", guard(readers._read_vector))


# ------------------------------------------------------------------ property-based tests

def load_or_raise(path: Path) -> None:
    """The contract: read_records returns a frame or raises RecordError; anything else fails the test."""
    try:
        frame = read_records([path])
    except RecordError as err:
        assert err.problems
        for p in err.problems:
            assert p.file == str(path) and p.field and p.what and p.fix, p
        return
    assert frame.crs.to_epsg() == 4326
    for lat, lon in zip(frame["lat"], frame["lon"]):
        assert math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90


SUFFIXES = st.sampled_from([".csv", ".yaml", ".geojson"])
BOMS = st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])


@PROPERTY
@given(suffix=SUFFIXES, bom=BOMS, data=st.binary(max_size=600))
def test_any_bytes_load_or_raise(tmp_path: Path, suffix: str, bom: bytes, data: bytes) -> None:
    path = tmp_path / f"records{suffix}"
    path.write_bytes(bom + data)
    load_or_raise(path)


@PROPERTY
@given(suffix=SUFFIXES, text=st.text(max_size=400), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_any_text_load_or_raise(tmp_path: Path, suffix: str, text: str, encoding: str) -> None:
    path = tmp_path / f"records{suffix}"
    path.write_bytes(text.encode(encoding, "surrogatepass"))
    load_or_raise(path)


CELL = st.one_of(
    st.text(alphabet=st.sampled_from(list('abcXYZ019 .,;:"\'-_°′″NSEW/\n\r\t\x00é<>')), max_size=12),
    st.sampled_from(["", "nan", "inf", "-inf", "1e999", "35°27′17″N", "139d27m0sE", "-500", "54,000",
                     "12.5", "2024-07-28", "2024-02-30", "28/07/2024", "base", "event", "JP", "Tokyo",
                     "Springfield", "JBPHH", "a", "b", "A", " a ", "True"]),
)
HEADER = st.lists(st.sampled_from([*FIELDS, "note", "", "_point", "ID", "id "]), min_size=1, max_size=8)


@PROPERTY
@given(header=HEADER, rows=st.lists(st.lists(CELL, max_size=9), max_size=6), quoted=st.booleans())
def test_csv_rows_load_or_raise(tmp_path: Path, header: list[str], rows: list[list[str]], quoted: bool) -> None:
    """Headers of real, repeated and odd field names over cells of hostile text, quoted or raw."""
    if quoted:
        buffer = io.StringIO()
        csv.writer(buffer).writerows([header, *rows])
        text = buffer.getvalue()
    else:
        text = "\n".join(",".join(row) for row in [header, *rows]) + "\n"
    path = tmp_path / "records.csv"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    load_or_raise(path)


SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20), st.floats(),
    st.text(max_size=10), st.dates(), CELL,
)
VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                          max_size=3), max_leaves=6)
RECORD = st.dictionaries(st.sampled_from([*FIELDS, "note", "_origin", "_point"]), VALUE, max_size=8)
IDS = st.sampled_from(["a", "b", "c", "A", "b "])
LINKED = st.fixed_dictionaries({"id": IDS, "kind": st.sampled_from(["base", "command", "event", "deployment"]),
                                "name": st.just("N")},
                               optional={"at": IDS, "reports_to": IDS, "place": st.sampled_from(["Tokyo", "Nowhere Xyzzy"]),
                                         "lat": st.floats(-95, 95), "lon": st.floats(-185, 185),
                                         "country": st.sampled_from(["JP", "XX"])})


@PROPERTY
@given(records=st.lists(RECORD | LINKED, max_size=5), wrap=st.booleans())
def test_yaml_records_load_or_raise(tmp_path: Path, records: list[dict[str, Any]], wrap: bool) -> None:
    """Any YAML list of mappings of any values (NaN, nested, dates, links between records) loads or is refused."""
    path = tmp_path / "records.yaml"
    path.write_text(yaml.safe_dump({"records": records} if wrap else records, allow_unicode=True), encoding="utf-8")
    load_or_raise(path)


COORD = st.one_of(st.floats(), st.integers(-400, 400), st.text(max_size=4), st.booleans(), st.none())
GEOMETRY = st.one_of(
    st.none(), st.just("Point"),
    st.fixed_dictionaries({"type": st.sampled_from(["Point", "Polygon", "LineString", "Nope", 3]),
                           "coordinates": st.one_of(st.lists(COORD, max_size=3), COORD,
                                                    st.lists(st.lists(COORD, max_size=3), max_size=3))}),
)
FEATURE = st.one_of(
    st.fixed_dictionaries({"type": st.just("Feature"), "geometry": GEOMETRY,
                           "properties": st.one_of(RECORD, LINKED, st.none(), st.lists(SCALAR, max_size=2))},
                          optional={"id": st.one_of(IDS, st.integers(), st.floats())}),
    SCALAR,
)


@PROPERTY
@given(features=st.lists(FEATURE, max_size=5))
def test_geojson_features_load_or_raise(tmp_path: Path, features: list[Any]) -> None:
    """GeoJSON of any geometry (NaN and Infinity too) and any properties loads or is refused by feature."""
    path = tmp_path / "records.geojson"
    data = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(data, default=str, allow_nan=True), encoding="utf-8")
    load_or_raise(path)


ANY = st.one_of(VALUE, st.binary(max_size=6), st.datetimes(), st.frozensets(st.integers(), max_size=2),
                st.tuples(st.text(max_size=3)), st.complex_numbers())


@PROPERTY
@given(field=st.sampled_from(sorted(PARSERS)), value=ANY)
def test_field_parsers_parse_or_raise_field_error(field: str, value: Any) -> None:
    """Every field parser returns a clean value or raises FieldError with what and fix; nothing else."""
    try:
        parsed = PARSERS[field](value)
    except FieldError as err:
        assert err.what and err.fix
        return
    if isinstance(parsed, float):
        assert math.isfinite(parsed)
    if isinstance(parsed, int) and field in ("troops", "count"):
        assert parsed >= 0
    if isinstance(parsed, str):
        assert parsed == parsed.strip()
    assert isinstance(parsed, (str, int, float, tuple, dt.date))


@PROPERTY
@given(row=st.dictionaries(st.sampled_from([*FIELDS, "note"]), ANY, max_size=10))
def test_parse_row_reports_and_never_raises(row: dict[str, Any]) -> None:
    """parse_row turns any raw row into a record and a list of problems, each naming the row."""
    row["_origin"] = ("f.yaml", "7")
    record, problems = parse_row(row)
    assert record["origin"] == "f.yaml:7"
    for p in problems:
        assert (p.file, p.where) == ("f.yaml", "7") and p.field and p.what and p.fix


MAP_VALUE = st.one_of(VALUE, st.sampled_from(["fit", "inline", "cdn", "natural-earth", "bases", "16:9", "JP"]))
PATHS = st.one_of(st.just("support/good.csv"), st.just("support/*.csv"), st.just("/etc/*"), st.just("a**"),
                  st.text(max_size=8))
LAYER = st.one_of(st.sampled_from(["bases", "events", "nope"]),
                  st.dictionaries(st.sampled_from(["bases", "countries", "ranges", "x"]),
                                  st.one_of(st.none(), st.dictionaries(
                                      st.sampled_from(["title", "large", "roles", "x"]),
                                      st.one_of(SCALAR, st.dictionaries(st.sampled_from(["JP", "XX", "jp"]),
                                                                        st.sampled_from(["host", "ally", "x"]))),
                                      max_size=2)), min_size=1, max_size=2))
MAPFILE = st.fixed_dictionaries(
    {"records": st.one_of(st.fixed_dictionaries({"paths": st.lists(PATHS, min_size=1, max_size=2)},
                                                optional={"kinds": MAP_VALUE, "tags": MAP_VALUE,
                                                          "as_of": MAP_VALUE, "x": MAP_VALUE}), MAP_VALUE)},
    optional={**{k: MAP_VALUE for k in KEYS if k not in ("records", "layers")},
              "layers": st.one_of(st.lists(LAYER, max_size=3), MAP_VALUE), "titel": MAP_VALUE},
)


@PROPERTY
@given(data=MAPFILE)
def test_mapfile_loads_or_raises(tmp_path: Path, data: dict[str, Any]) -> None:
    """Any map file of any values gives a MapSpec or RecordError; an output name never leaves the folder."""
    support = tmp_path / "support"
    support.mkdir(exist_ok=True)
    (support / "good.csv").write_bytes((CORPUS / "support" / "good.csv").read_bytes())
    path = tmp_path / "m.map.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        spec = load_mapfile(path)
    except RecordError as err:
        assert all(p.file == str(path) and p.field and p.what and p.fix for p in err.problems)
        return
    assert "/" not in spec.output and "\\" not in spec.output and not spec.output.startswith(".")
