"""Issue 11: builds are transactions under a lock. A failed preview leaves every output old; a second
build waits for the first and says who holds the lock; only dead builds' temp files are removed;
outputs of removed map files are reported and pruned; --base-url takes http(s) or a relative path
only; a layer may be titled __proto__; `watch` outlives every broken edit."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

import output.preview
from output.build import MANIFEST
from output.cli import main
from tests.conftest import DEPLOYMAP, SEEDS, stop, wait_for

MAPS = ("indo-pacific-diplomacy", "japan-basing")
LOCK = ".deploymap.lock"  # documented in the README: OUT/.deploymap.lock holds the pid of the build holding it


def project(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(SEEDS, root)
    return root


def files_of(out: Path) -> dict[str, bytes]:
    """Every file in OUT but the lock (the manifest included)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != LOCK}


def edit(root: Path, marker: str) -> None:
    bases = root / "records" / "bases.csv"
    bases.write_text(bases.read_text(encoding="utf-8").replace("Naval Air Facility Atsugi", marker), encoding="utf-8")


def build(*args: str | Path):  # noqa: ANN201 - click's Result
    return CliRunner().invoke(main, ["build", *map(str, args)])


def test_a_failed_preview_leaves_html_embed_geojson_png_and_manifest_all_old(tmp_path: Path, monkeypatch) -> None:
    root, out = project(tmp_path), tmp_path / "out"
    monkeypatch.setattr(output.preview, "take_stills", lambda html, w, h, kinds: {k: b"\x89PNG first" for k in kinds})
    assert build("--root", root, "--out", out, "--preview").exit_code == 0
    before = files_of(out)
    assert sorted(before) == sorted([MANIFEST, "japan-basing.orbat.svg"] + [f"{m}{s}" for m in MAPS
                                                  for s in (".html", ".embed.html", ".geojson", ".png")])

    def broken(_html, _width, _height, _kinds):
        raise TimeoutError("Timeout 30000ms exceeded while waiting for deploymap.ready")

    monkeypatch.setattr(output.preview, "take_stills", broken)
    edit(root, "Atsugi (edited)")
    result = build("--root", root, "--out", out, "--preview")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert ("japan-basing.map.yaml: preview: could not be taken (TimeoutError: Timeout 30000ms exceeded while "
            "waiting for deploymap.ready); check that Chromium") in result.output
    assert files_of(out) == before


def test_a_second_build_waits_for_the_lock_saying_who_holds_it_and_no_entry_is_lost(tmp_path: Path) -> None:
    """The test holds OUT's lock; two builds of different maps wait for it, then both land in the manifest."""
    root, out = project(tmp_path), tmp_path / "out"
    out.mkdir()
    fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, b"4242\n")
    procs = [subprocess.Popen([DEPLOYMAP, "build", "--out", out, root / f"{m}.map.yaml"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for m in MAPS]
    try:
        for proc in procs:
            assert proc.stderr.readline() == f"waiting for the build that holds {out / LOCK} (pid 4242)\n"
        assert all(proc.poll() is None for proc in procs)
        assert not any((out / f"{m}.html").exists() for m in MAPS)
    finally:
        os.close(fd)
    for proc in procs:
        _, stderr = proc.communicate(timeout=240)
        assert proc.returncode == 0, stderr
    assert sorted(json.loads((out / MANIFEST).read_text(encoding="utf-8"))) == list(MAPS)


def test_only_the_temp_files_of_dead_builds_are_removed(tmp_path: Path) -> None:
    """A live process's temp file stays, a dead one's goes, a folder named like a temp file is no crash."""
    root, out = project(tmp_path), tmp_path / "out"
    out.mkdir()
    dead_pid = subprocess.Popen(["true"])  # a pid that has exited
    dead_pid.wait()
    live = out / ".japan-basing.html.1.abc123.tmp"  # pid 1 is always running
    dead = out / f".japan-basing.html.{dead_pid.pid}.def456.tmp"
    folder = out / ".stuck.tmp"
    for path in (live, dead):
        path.write_bytes(b"in flight")
    folder.mkdir()
    result = build("--root", root, "--out", out)
    assert result.exit_code == 0, result.output
    assert live.read_bytes() == b"in flight" and folder.is_dir() and not dead.exists()


def test_outputs_of_a_removed_map_file_are_reported_then_pruned(tmp_path: Path) -> None:
    root, out = project(tmp_path), tmp_path / "out"
    assert build("--root", root, "--out", out).exit_code == 0
    (root / "japan-basing.map.yaml").unlink()
    result = build("--root", root, "--out", out)
    assert result.exit_code == 0, result.output
    assert (f"stale   {root / 'japan-basing.map.yaml'}: japan-basing.embed.html, japan-basing.geojson, "
            "japan-basing.html, japan-basing.orbat.svg (map file gone; outputs kept (--prune removes them))") \
        in result.output
    assert "0 built, 1 skipped, 0 failed, 1 stale" in result.output
    assert (out / "japan-basing.html").exists()
    result = build("--root", root, "--out", out, "--prune")
    assert f"pruned  {root / 'japan-basing.map.yaml'}" in result.output
    assert not any(out.glob("japan-basing.*"))
    assert sorted(json.loads((out / MANIFEST).read_text(encoding="utf-8"))) == ["indo-pacific-diplomacy"]


@pytest.mark.parametrize("url", ["javascript:alert(1)//", "JavaScript:alert(1)//", "data:text/html,<script>x</script>/",
                                 "//evil.example/", "https://news.example/maps", " https://news.example/", "vbscript:x/"])
def test_base_url_takes_http_or_a_relative_path_ending_in_a_slash(url: str, tmp_path: Path) -> None:
    root, out = project(tmp_path), tmp_path / "out"
    result = build("--root", root, "--out", out, "--base-url", url)
    assert result.exit_code == 2 and "Invalid value for '--base-url'" in result.output, result.output
    assert "give http(s)://host/path/ or a relative path ending in /" in result.output
    assert not out.exists()


def test_a_good_base_url_prefixes_the_embed(tmp_path: Path) -> None:
    root, out = project(tmp_path), tmp_path / "out"
    for url in ("https://news.example/maps/", "../maps/"):
        assert build("--root", root, "--out", out, "--base-url", url).exit_code == 0
        assert f'src="{url}japan-basing.html"' in (out / "japan-basing.embed.html").read_text(encoding="utf-8")


def test_build_of_a_named_map_file_needs_no_seeds_folder(tmp_path: Path, monkeypatch) -> None:
    root = project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = build(root / "japan-basing.map.yaml", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output


def test_outputs_inside_a_records_folder_are_not_read_back_as_records(tmp_path: Path) -> None:
    root = project(tmp_path)
    out = root / "records" / "maps"
    for _ in range(2):
        result = build("--root", root, "--out", out, "--force")
        assert result.exit_code == 0, result.output


@pytest.mark.browser
def test_layers_titled_like_object_properties_are_drawn(tmp_path: Path, open_page) -> None:
    root, out = project(tmp_path), tmp_path / "out"
    (root / "proto.map.yaml").write_text(
        "title: Proto\nrecords: {paths: [records/]}\nlayers:\n  - bases: {title: constructor}\n"
        "  - events: {title: __proto__}\n  - commands: {title: toString}\n", encoding="utf-8")
    assert build(root / "proto.map.yaml", "--out", out).exit_code == 0
    page = open_page(out / "proto.html")
    counts = page.eval("() => { const n = {}; deploymap.records().forEach(r => "
                       "{ n['k' + r.layer] = (n['k' + r.layer] || 0) + 1; }); return n; }")
    assert counts.get("kconstructor", 0) >= 3 and counts.get("k__proto__", 0) >= 3, counts
    assert page.eval("() => deploymap.layers.get('toString').count") > 0
    assert page.errors == []


# ------------------------------------------------------------------ watch through every case of the issue


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_watch_reports_every_broken_edit_and_keeps_watching(tmp_path: Path) -> None:
    """A date typo, an impossible as_of, a 5,000-digit number, a FIFO, records deleted and re-created
    during builds: each is reported, the watcher lives, and the last good edit is published."""
    root, out = project(tmp_path), tmp_path / "out"
    bases, events = root / "records" / "bases.csv", root / "records" / "events.yaml"
    good_bases, good_events = bases.read_text(encoding="utf-8"), events.read_text(encoding="utf-8")
    mapfile = root / "japan-basing.map.yaml"
    good_map = mapfile.read_text(encoding="utf-8")
    log_path = tmp_path / "watch.log"
    log = log_path.open("wb")
    proc = subprocess.Popen([DEPLOYMAP, "watch", "--root", root, "--out", out], stdout=log, stderr=subprocess.STDOUT)

    def logged(text: str) -> bool:
        return text in log_path.read_text(encoding="utf-8", errors="replace")

    try:
        wait_for(lambda: logged("watching"), 120, "the first build", log_path)
        steps = [
            (events, good_events.replace("2024-07-28", "2024-02-30", 1), "is not a calendar date"),
            (events, good_events + f"- id: huge\n  kind: event\n  name: H\n  lat: 1\n  lon: 1\n  count: {'9' * 5000}\n",
             "a number of 5000 digits is too long"),
            (mapfile, good_map.replace("records:\n", "records:\n  as_of: 2024-02-30\n", 1),
             "records.as_of: '2024-02-30' is not an ISO 8601 date"),
        ]
        for path, text, expected in steps:
            path.write_text(text, encoding="utf-8")
            wait_for(lambda: logged(expected), 60, expected, log_path)
        events.write_text(good_events, encoding="utf-8")
        mapfile.write_text(good_map, encoding="utf-8")
        os.mkfifo(root / "records" / "pipe.csv")
        (root / "stray.map.yaml").symlink_to("/dev/zero")
        wait_for(lambda: logged("is not a regular file"), 60, "the FIFO and /dev/zero reported", log_path)
        for i in range(40):  # what git checkout, rsync and some editors do: delete, then write anew
            bases.unlink()
            time.sleep(0.01)
            bases.write_text(good_bases.replace("Naval Air Facility Atsugi", f"Atsugi {i}"), encoding="utf-8")
            time.sleep(0.04)
        (root / "records" / "pipe.csv").unlink()
        (root / "stray.map.yaml").unlink()
        marker = f"Final edit {uuid.uuid4().hex[:8]}"
        bases.write_text(good_bases.replace("Naval Air Facility Atsugi", marker), encoding="utf-8")
        wait_for(lambda: all(marker in (out / f"{m}.html").read_text(encoding="utf-8") for m in MAPS), 90,
                 "the final edit", log_path)
        assert proc.poll() is None, "the watcher died"
    finally:
        stop(proc)
        log.close()
    text = log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text[-3000:]
