"""Exports: the records as files other tools open, each read back and compared record by record."""
from __future__ import annotations

import json
import math
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.records import read_records
from output.cli import main
from output.export import export
from output.export.csv import neutralise
from output.export.columns import DERIVED
from geo.fields import FIELDS
from tests.conftest import DEPLOYMAP, SEEDS


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def seeds():
    return read_records([SEEDS / "records"])


def plain(v):
    """A frame cell for comparison: None for missing, numbers as floats, lists joined."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, (tuple, list)):  # lists come back joined from formats without lists
        return ";".join(v)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


def assert_same_records(original, read_back, fields=(*FIELDS, *DERIVED)) -> None:
    """Same ids in the same order, points within 1e-6 degrees, and every other field equal."""
    assert list(read_back["id"]) == list(original["id"])
    for (_, a), (_, b) in zip(original.iterrows(), read_back.iterrows()):
        assert abs(a["lat"] - b["lat"]) < 1e-6 and abs(a["lon"] - b["lon"]) < 1e-6, a["id"]
        for field in fields:
            if field not in ("lat", "lon"):
                assert plain(a.get(field)) == plain(b.get(field)), (a["id"], field, a.get(field), b.get(field))


def test_csv_round_trips_through_the_projects_own_reader(seeds, tmp_path):
    out = tmp_path / "records.csv"
    result = run("export", str(SEEDS / "records"), "--to", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote {out} (15 records)" in result.output
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:6] == ["id", "kind", "name", "place", "lat", "lon"] and "tags" in header
    assert_same_records(seeds, read_records([out]))
    assert "Antony Blinken;Wang Yi" in out.read_text(encoding="utf-8-sig")  # lists joined as in the input


def test_csv_neutralises_formulas_but_keeps_numbers(tmp_path):
    records = tmp_path / "r.csv"
    records.write_text(
        "id,kind,name,lat,lon,summary,source,note\n"
        'a,base,=HYPERLINK(\"http://x\"),-33.8,151.2,+1+2,@SUM(A1),-12\n'
        'b,base,"-cmd|\' /C calc\'!A0",-33.9,-151.25,"\tx","=1",ok\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    assert run("export", str(records), "--to", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1+2" in text and "'@SUM(A1)" in text and "'-cmd|" in text
    assert ",-33.8,151.2," in text and ",-33.9,-151.25," in text and ",-12" in text and "'-12" not in text
    assert "'=1" in text
    back = read_records([out])
    assert list(back["lat"]) == [-33.8, -33.9] and list(back["lon"]) == [151.2, -151.25]
    assert back["name"][0] == "'=HYPERLINK(\"http://x\")" and back["note"][0] == "-12"


def test_geojson_export_holds_every_record_and_field_and_reads_back(seeds, tmp_path):
    out = tmp_path / "records.geojson"
    assert run("export", str(SEEDS / "records"), "--to", str(out)).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["features"]) == 15  # the country-level troops too, not only what a map draws
    first = data["features"][0]
    assert first["properties"]["tags"] == ["japan", "basing"] and "lat" not in first["properties"]
    assert_same_records(seeds, read_records([out]))


def by_kind(frame):
    """The records grouped by kind in the exports' layer order (bases, deployments, commands, events)."""
    order = {"base": 0, "deployment": 1, "command": 2, "event": 3}
    return frame.sort_values("kind", key=lambda k: k.map(order), kind="stable")


def test_geopackage_has_a_typed_layer_per_kind_and_round_trips(seeds, tmp_path):
    out = tmp_path / "records.gpkg"
    result = run("export", str(SEEDS / "records"), "--to", str(out))
    assert result.exit_code == 0, result.output
    assert [name for name, _ in pyogrio.list_layers(out)] == ["bases", "deployments", "commands", "events"]
    info = pyogrio.read_info(out, layer="deployments")
    types = dict(zip(info["fields"], info["dtypes"]))
    assert types["troops"] == "int64" and types["count"] == "int64" and types["range_km"] == "float64"
    assert types["start"] == "object" and types["tags"] == "object" and info["crs"] == "EPSG:4326"
    back = pd.concat([pyogrio.read_dataframe(out, layer=layer) for layer in ("bases", "deployments", "commands",
                                                                             "events")], ignore_index=True)
    back["lat"], back["lon"] = back.geometry.y, back.geometry.x
    assert_same_records(by_kind(seeds), back)
    assert back.loc[back["id"] == "blinken-wang-vientiane", "participants"].item() == "Antony Blinken;Wang Yi"


def test_geopackage_bytes_are_the_same_every_time_even_with_no_records(seeds, tmp_path):
    from output.export import gpkg

    assert gpkg.to_bytes(seeds) == gpkg.to_bytes(seeds)
    empty = tmp_path / "empty.gpkg"
    result = run("export", str(SEEDS / "records"), "--to", str(empty), "--tags", "no-such-tag")
    assert result.exit_code == 0 and "(0 records)" in result.output
    assert pyogrio.read_info(empty, layer="bases")["features"] == 0


def test_export_chooses_records_like_render(tmp_path):
    out = tmp_path / "events.csv"
    result = run("export", str(SEEDS / "records"), "--to", str(out), "--kinds", "event", "--as-of", "2024-07-28")
    assert result.exit_code == 0 and "(3 records)" in result.output
    assert set(read_records([out])["kind"]) == {"event"}


def test_export_refuses_an_unknown_suffix_and_bad_records_and_writes_nothing(tmp_path):
    result = run("export", str(SEEDS / "records"), "--to", str(tmp_path / "x.xls"))
    assert result.exit_code == 2 and "'x.xls' has no export suffix; use one of .kmz, .kml, .gpkg, .csv, .geojson" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("id,kind,name,lat,lon\na,fort,A,35,139\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text("previous", encoding="utf-8")
    result = run("export", str(bad), "--to", str(out))
    assert result.exit_code == 1
    assert f"{bad}:2: kind: 'fort' is not a record kind" in result.output
    assert "Error: 1 problem; nothing was written." in result.output
    assert out.read_text(encoding="utf-8") == "previous"


def test_exports_are_byte_identical_across_processes(tmp_path):
    for n in (1, 2):
        done = subprocess.run([DEPLOYMAP, "export", str(SEEDS / "records"), "--to", str(tmp_path / f"{n}.csv")],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "1.csv").read_bytes() == (tmp_path / "2.csv").read_bytes()


def test_build_writes_the_exports_a_map_file_lists(project, tmp_path):
    mapfile = project / "japan-basing.map.yaml"
    mapfile.write_text(mapfile.read_text(encoding="utf-8") + "exports: [kmz, gpkg, csv, geojson]\n", encoding="utf-8")
    out = tmp_path / "maps"
    result = run("build", "--root", str(project), "--out", str(out))
    assert result.exit_code == 0, result.output
    back = read_records([out / "japan-basing.csv"])
    assert set(back["kind"]) == {"base", "deployment", "command"}  # the map's selection, not every record
    assert len(json.loads((out / "japan-basing.records.geojson").read_text())["features"]) == len(back)
    assert json.loads((out / "japan-basing.geojson").read_text())["features"][0]["properties"]["layer"]
    assert [n for n, _ in pyogrio.list_layers(out / "japan-basing.gpkg")] == ["bases", "deployments", "commands"]
    assert zipfile.ZipFile(out / "japan-basing.kmz").namelist()[0] == "doc.kml"
    manifest = json.loads((out / ".deploymap-manifest.json").read_text())
    assert "japan-basing.csv" in manifest["japan-basing"]["files"]
    (out / "japan-basing.csv").unlink()
    again = run("build", "--root", str(project), "--out", str(out))
    assert "1 built, 1 skipped" in again.output  # a missing export rebuilds its map
    assert (out / "japan-basing.csv").exists()


def test_a_map_file_with_an_unknown_export_format_says_which(project, tmp_path):
    mapfile = project / "japan-basing.map.yaml"
    mapfile.write_text(mapfile.read_text(encoding="utf-8") + "exports: [kmz2]\n", encoding="utf-8")
    result = run("build", "--root", str(project), "--out", str(tmp_path / "maps"))
    assert result.exit_code == 1
    assert "exports: 'kmz2' is not an export format" in result.output


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(list("=+-@;,'\"<>&\n")),
               min_size=1, max_size=20).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(TEXT, min_size=1, max_size=4), summary=TEXT, fmt=st.sampled_from(["csv", "kmz", "kml",
                                                                                        "gpkg", "geojson"]))
def test_any_record_text_comes_back_from_every_export(tmp_path, names, summary, fmt):
    source = tmp_path / "records.yaml"
    source.write_text(yaml.safe_dump([{"id": f"r{i}", "kind": "base", "name": name, "lat": -33.8, "lon": 151.2,
                                       "summary": summary, "source": summary} for i, name in enumerate(names)]),
                      encoding="utf-8")
    original = read_records([source])
    back = read_records([export(original, tmp_path / f"out.{fmt}")])
    expected = neutralise if fmt == "csv" else str
    assert list(back["name"]) == [expected(n) for n in original["name"]]
    assert set(back["summary"]) == {expected(original["summary"][0])}
    assert list(back["lat"]) == [-33.8] * len(names)
