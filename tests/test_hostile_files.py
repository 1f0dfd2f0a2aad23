"""Issue 11: a records or map file reads only itself. No URL fetched, no other file read through GDAL,
no FIFO or device opened, no file over the limit hashed, no symlink followed out of the project."""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from geo import files
from output.cli import main
from tests.conftest import DEPLOYMAP, SEEDS, QuietHandler, serving

SECRET = "Secret site from another file"


@pytest.fixture
def server() -> Iterator[tuple[int, list[str]]]:
    """A local HTTP server that counts every request and serves a GeoJSON of one record."""
    hits: list[str] = []
    body = (b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"u","kind":"base",'
            b'"name":"Fetched from a URL"},"geometry":{"type":"Point","coordinates":[1,2]}}]}')

    class Handler(QuietHandler):
        def do_HEAD(self) -> None:  # noqa: N802 - http.server's names
            hits.append(f"HEAD {self.path}")
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802
            hits.append(f"GET {self.path}")
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Handler) as port:
        yield port, hits


def vrt(source: str, layer: str) -> str:
    return (f'<OGRVRTDataSource><OGRVRTLayer name="{layer}"><SrcDataSource>{source}</SrcDataSource>'
            "</OGRVRTLayer></OGRVRTDataSource>\n")


def project_with(tmp_path: Path, records: str) -> Path:
    """A project whose one map reads ``records`` (a path relative to the map file)."""
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    (root / "m.map.yaml").write_text(f"title: M\nrecords: {{paths: [{records}]}}\n", encoding="utf-8")
    return root


def test_a_vrt_named_gpkg_reads_no_other_file_and_fetches_no_url(tmp_path: Path, server) -> None:
    """VRT XML in evil.gpkg pointing at a local file and at /vsicurl/: refused by name, zero requests."""
    port, hits = server
    secret = tmp_path / "secret.geojson"
    secret.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"s",'
                      f'"kind":"base","name":"{SECRET}"}},"geometry":{{"type":"Point","coordinates":[3,4]}}}}]}}',
                      encoding="utf-8")
    root = project_with(tmp_path, "evil.gpkg")
    cases = {"local": vrt(str(secret), "secret"), "url": vrt(f"/vsicurl/http://127.0.0.1:{port}/x.geojson", "x")}
    for case, xml in cases.items():
        (root / "evil.gpkg").write_text(xml, encoding="utf-8")
        checked = CliRunner().invoke(main, ["check", str(root / "evil.gpkg")])
        assert checked.exit_code == 1, (case, checked.output)
        assert f"{root / 'evil.gpkg'}: file: is not a GeoPackage (no SQLite header)" in checked.output
        out = tmp_path / f"out-{case}"
        built = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out)])
        assert built.exit_code == 1 and "is not a GeoPackage" in built.output, built.output
        assert not (out / "m.html").exists()
    assert hits == []


def test_gdal_fetches_no_url_in_this_process_once_a_geopackage_was_read(tmp_path: Path, server) -> None:
    """After the first GeoPackage, GDAL's network access is off for the whole process."""
    import pyogrio

    port, hits = server
    good = tmp_path / "r.gpkg"
    gpd.GeoDataFrame({"id": ["k1"], "kind": ["base"], "name": ["Kadena"]},
                     geometry=[shapely.Point(127.7675, 26.3556)], crs="EPSG:4326").to_file(good)
    assert CliRunner().invoke(main, ["check", str(good)]).exit_code == 0
    with pytest.raises(Exception):
        pyogrio.read_dataframe(f"/vsicurl/http://127.0.0.1:{port}/x.geojson")
    assert hits == []


def test_a_geopackage_of_several_layers_is_refused_not_cut_to_the_first(tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    for layer, name in (("bases", "Kadena"), ("more", "Futenma")):
        gpd.GeoDataFrame({"id": [name.lower()], "kind": ["base"], "name": [name]},
                         geometry=[shapely.Point(127.7, 26.3)], crs="EPSG:4326").to_file(path, layer=layer)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}: file: has 2 layers (bases, more); keep the records in one layer" in result.output


def test_a_geopackage_in_a_crs_that_cannot_reach_wgs84_is_a_named_error(tmp_path: Path) -> None:
    """A Mars CRS (IAU 2015) has no transformation to WGS 84: an error naming the CRS, not a traceback."""
    path = tmp_path / "mars.gpkg"
    gpd.GeoDataFrame({"id": ["m"], "kind": ["base"], "name": ["Jezero"]},
                     geometry=[shapely.Point(77.5, 18.4)], crs="IAU_2015:49900").to_file(path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}: crs: 'Mars (2015) - Sphere / Ocentric' cannot be transformed to WGS 84" in result.output
    assert "save the GeoPackage in EPSG:4326" in result.output


# ------------------------------------------------------------------ FIFOs, devices, huge files

@pytest.mark.timeout(120)
def test_a_fifo_as_map_file_or_records_is_refused_without_opening_it(tmp_path: Path) -> None:
    """`build` on a FIFO named *.map.yaml, and a map reading a FIFO, says so and exits (it used to hang)."""
    root = project_with(tmp_path, "pipe.csv")
    os.mkfifo(root / "pipe.csv")
    os.mkfifo(root / "pipe.map.yaml")
    done = subprocess.run([DEPLOYMAP, "build", "--root", root, "--out", tmp_path / "out"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert f"{root / 'pipe.map.yaml'}: file: is not a regular file but a FIFO (named pipe)" in done.stderr
    assert f"{root / 'pipe.csv'}: file: is not a regular file but a FIFO (named pipe)" in done.stderr
    done = subprocess.run([DEPLOYMAP, "check", root / "pipe.csv"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "is not a regular file but a FIFO" in done.stderr


def test_a_symlink_to_dev_zero_is_refused(tmp_path: Path) -> None:
    root = project_with(tmp_path, "zero.csv")
    (root / "zero.csv").symlink_to("/dev/zero")
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(tmp_path / "out"),
                                       "--allow-outside"])
    assert result.exit_code == 1
    assert f"{root / 'zero.csv'}: file: is not a regular file but a device" in result.output


def test_a_1_gib_records_file_is_refused_by_its_size_before_it_is_hashed(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A sparse 1 GiB file: refused by stat; never opened (it used to be hashed whole, 1.15 GB of memory)."""
    root = project_with(tmp_path, "big.csv")
    with (root / "big.csv").open("wb") as f:
        f.truncate(2**30)
    opened: list[str] = []

    def spy(original):
        def call(path, *args, **kwargs):
            opened.append(str(path))
            return original(path, *args, **kwargs)
        return call

    monkeypatch.setattr(files.os, "open", spy(os.open))
    for name in ("read_bytes", "open"):
        monkeypatch.setattr(Path, name, spy(getattr(Path, name)))
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{root / 'big.csv'}: file: is 1024 MiB, over the 100 MiB limit" in result.output
    assert str(root / "big.csv") not in opened


# ------------------------------------------------------------------ the project root

def outside_records(tmp_path: Path) -> Path:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(SEEDS / "records" / "bases.csv", outside / "bases.csv")
    return outside / "bases.csv"


def test_a_symlink_out_of_a_records_folder_is_refused_unless_allowed(tmp_path: Path) -> None:
    target = outside_records(tmp_path)
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "bases.csv").symlink_to(target)
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert result.exit_code == 1
    assert (f"{folder / 'bases.csv'}: file: leads outside {folder} (to {target}); copy the file into the "
            "project, or build with --allow-outside") in result.output
    assert CliRunner().invoke(main, ["check", "--allow-outside", str(folder)]).exit_code == 0


def test_a_map_file_cannot_read_records_outside_the_project_without_the_flag(tmp_path: Path) -> None:
    outside_records(tmp_path)
    root = project_with(tmp_path, "../elsewhere/bases.csv")
    out = tmp_path / "out"
    refused = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out)])
    assert refused.exit_code == 1 and "leads outside" in refused.output and not (out / "m.html").exists()
    allowed = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out), "--allow-outside"])
    assert allowed.exit_code == 0, allowed.output
    assert (out / "m.html").exists()
