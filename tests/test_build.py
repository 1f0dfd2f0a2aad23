"""deploymap build and watch: regenerate exactly what changed, keep the last good output."""
from __future__ import annotations

import json
import os
import struct
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from output.build import Job, render_ahead
from output.cli import main
from output.mapfile import load_mapfile
from tests.conftest import DEPLOYMAP

MAPS = ("japan-basing", "indo-pacific-diplomacy")


def build(project: Path, out: Path, *args: str):
    return CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(out), *args])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(out.iterdir())}


def test_build_writes_every_map_then_skips_what_did_not_change(project, tmp_path):
    out = tmp_path / "maps"
    first = build(project, out)
    assert first.exit_code == 0, first.output
    for name in MAPS:
        assert f"-> {out}/{name}.html (new)" in first.output
        for suffix in (".html", ".embed.html", ".geojson"):
            assert (out / f"{name}{suffix}").stat().st_size > 0
    before = snapshot(out)
    second = build(project, out)
    assert second.exit_code == 0
    assert "0 built, 2 skipped, 0 failed" in second.output and "(inputs unchanged)" in second.output
    assert snapshot(out) == before
    assert "2 built" in build(project, out, "--force").output


def test_maps_built_around_the_project_keep_its_records_and_never_read_their_own(project, tmp_path):
    for out in (project.parent, project, project / "records" / "maps"):
        result = build(project, out, "--force")
        assert result.exit_code == 0, result.output
        ids = {f["properties"].get("id") for f in json.loads((out / "japan-basing.geojson").read_text())["features"]}
        assert {"usfj", "naf-atsugi", "us-troops-japan"} <= ids, out
    # the GeoJSON written into records/maps on the last build is an output, not a records file
    assert "2 built" in build(project, project / "records" / "maps", "--force").output


def test_editing_one_record_rebuilds_exactly_the_maps_that_use_it(project, tmp_path):
    out = tmp_path / "maps"
    build(project, out)
    before = snapshot(out)
    edit(project / "records" / "events.yaml", "Blinken meets Wang Yi", "Blinken meets Wang")
    result = build(project, out)
    assert "built   " + str(project / "indo-pacific-diplomacy.map.yaml") in result.output
    assert "(inputs changed)" in result.output
    assert "skipped " + str(project / "japan-basing.map.yaml") in result.output
    after = snapshot(out)
    for suffix in (".html", ".embed.html", ".geojson"):
        assert after[f"japan-basing{suffix}"] == before[f"japan-basing{suffix}"]  # bytes and mtime
    assert b"Blinken meets Wang\"" in (out / "indo-pacific-diplomacy.geojson").read_bytes()


def test_an_invalid_edit_keeps_every_previous_output_and_exits_non_zero(project, tmp_path):
    out = tmp_path / "maps"
    build(project, out)
    before = snapshot(out)
    bases = project / "records" / "bases.csv"
    edit(bases, "naf-atsugi,base", "naf-atsugi,bunker")
    result = build(project, out)
    assert result.exit_code == 1
    assert f"{bases}:2: kind: 'bunker' is not a record kind" in result.output
    assert "previous output kept" in result.output and "0 built, 0 skipped, 2 failed" in result.output
    assert snapshot(out) == before


def test_a_removed_output_is_rebuilt(project, tmp_path):
    out = tmp_path / "maps"
    build(project, out)
    (out / "japan-basing.geojson").unlink()
    assert "1 built, 1 skipped" in build(project, out).output
    assert (out / "japan-basing.geojson").exists()


def test_build_by_subprocess_is_quiet_in_a_pipe(project, tmp_path):
    out = tmp_path / "maps"
    done = subprocess.run([DEPLOYMAP, "build", "--root", str(project), "--out", str(out)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0
    assert done.stderr == ""  # no progress lines when not on a terminal
    assert done.stdout.strip().endswith("2 built, 0 skipped, 0 failed")


def wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_watch_rebuilds_after_a_good_edit_and_holds_after_a_bad_one(project, tmp_path):
    out = tmp_path / "maps"
    log = (tmp_path / "watch.log").open("w")
    watcher = subprocess.Popen([DEPLOYMAP, "watch", "--root", str(project), "--out", str(out)], stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        html = out / "indo-pacific-diplomacy.html"
        assert wait_for(lambda: "watching" in (tmp_path / "watch.log").read_text())
        time.sleep(0.5)  # the watcher thread starts just after it says so
        events = project / "records" / "events.yaml"
        text = events.read_text(encoding="utf-8")
        events.write_text(text.replace("Blinken meets Wang Yi", "Blinken and Wang Yi meet"), encoding="utf-8")
        assert wait_for(lambda: "Blinken and Wang Yi meet" in html.read_text(encoding="utf-8"))
        good = html.read_bytes()
        events.write_text(text.replace("start: 2024-07-27", "start: 27 July"), encoding="utf-8")
        assert wait_for(lambda: "is not an ISO 8601 date" in (tmp_path / "watch.log").read_text())
        assert html.read_bytes() == good and watcher.poll() is None
        events.write_text(text, encoding="utf-8")
        assert wait_for(lambda: "Blinken meets Wang Yi" in html.read_text(encoding="utf-8"))
        assert watcher.poll() is None
    finally:
        watcher.terminate()
        watcher.wait(timeout=30)
        log.close()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.browser
def test_preview_is_a_png_of_the_map_at_twice_its_size(project, tmp_path):
    out = tmp_path / "maps"
    # a subprocess: the preview starts its own Playwright, which cannot nest in the tests' one
    done = subprocess.run([DEPLOYMAP, "build", "--preview", "--out", str(out), str(project / "japan-basing.map.yaml")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = (out / "japan-basing.png").read_bytes()
    assert png_size(data) == (1600, 1200)  # 800x600 at 2x, for retina screens
    assert len(data) > 40_000  # a drawn map, not a blank page


@pytest.mark.browser
def test_embed_snippet_has_a_titled_frame_a_fallback_link_and_an_inert_amp_variant(project, tmp_path, browser):
    out = tmp_path / "maps"
    build(project, out, str(project / "japan-basing.map.yaml"))
    snippet = (out / "japan-basing.embed.html").read_text(encoding="utf-8")
    assert 'title="US forces in Japan after the July 2024 &quot;2+2&quot;"' in snippet
    assert '<amp-iframe src="japan-basing.html"' in snippet and 'layout="responsive" resizable' in snippet
    assert '<a href="japan-basing.html">' in snippet
    article = out / "article.html"
    article.write_text(f"<!DOCTYPE html><html><body style='margin:0'>{snippet}</body></html>", encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(article.as_uri())
        box = page.locator("iframe").bounding_box()
        assert box["width"] == pytest.approx(1280, abs=1)
        assert box["height"] >= 1280 * 600 / 800 - 1  # until the page says its height: the map's ratio
        page.frame_locator("iframe").locator(".leaflet-container").wait_for()
        assert page.locator("amp-iframe").count() == 0  # the AMP variant is inert in a normal page
    finally:
        page.close()


def test_maps_over_the_same_records_read_them_once_per_build(project, tmp_path, monkeypatch):
    import output.build

    text = (project / "japan-basing.map.yaml").read_text(encoding="utf-8")
    for n in range(3):
        (project / f"copy{n}.map.yaml").write_text(text.replace("output: japan-basing", f"output: copy{n}"),
                                                   encoding="utf-8")
    reads = []
    real = output.build.load_records
    monkeypatch.setattr(output.build, "load_records",
                        lambda files, *a, **k: reads.append(files) or real(files, *a, **k))
    result = build(project, tmp_path / "maps")
    assert result.exit_code == 0, result.output
    assert "5 built, 0 skipped" in result.output
    # one read (validated, geocoded) per distinct set of files: Japan's three files, and the other map's folder
    assert sorted(len(files) for files in reads) == [3, 4]
    assert (tmp_path / "maps" / "copy2.geojson").read_bytes() == (tmp_path / "maps" / "japan-basing.geojson").read_bytes()


def die(n: int) -> None:
    """A worker process's end as if it were killed (out of memory, say)."""
    os._exit(1)


def test_maps_whose_worker_died_are_rendered_by_the_build(project, tmp_path, monkeypatch):
    import output.build

    text = (project / "indo-pacific-diplomacy.map.yaml").read_text(encoding="utf-8")
    (project / "again.map.yaml").write_text(text.replace("output: indo-pacific-diplomacy", "output: again"),
                                            encoding="utf-8")
    monkeypatch.setattr(output.build, "_render_ahead", die)
    result = build(project, tmp_path / "maps", "-j", "2")
    assert result.exit_code == 0, result.output
    assert "3 built, 0 skipped, 0 failed" in result.output
    assert b"Blinken" in (tmp_path / "maps" / "again.geojson").read_bytes()


def test_maps_that_share_layers_are_the_bytes_of_maps_built_alone(project, tmp_path):
    text = (project / "japan-basing.map.yaml").read_text(encoding="utf-8")
    variants = {"retitled": ('title: US forces in Japan after the July 2024 "2+2"', "title: Japan, again"),
                "wider": ("bounds: [128, 29, 146, 41]", "bounds: [120, 20, 150, 45]"),
                "fewer": ("  - bases\n", "")}
    for name, (old, new) in variants.items():
        assert old in text
        (project / f"{name}.map.yaml").write_text(text.replace("output: japan-basing", f"output: {name}")
                                                  .replace(old, new), encoding="utf-8")
    together = build(project, tmp_path / "together", "-j", "1")  # one process: every map after the first shares
    assert together.exit_code == 0 and "5 built" in together.output, together.output
    for name in ("japan-basing", *variants):
        alone = tmp_path / f"alone-{name}"
        result = CliRunner().invoke(main, ["build", str(project / f"{name}.map.yaml"), "--out", str(alone),
                                           "--root", str(project)])
        assert result.exit_code == 0, result.output
        for suffix in (".html", ".geojson", ".orbat.svg"):
            assert (alone / f"{name}{suffix}").read_bytes() == (tmp_path / "together" / f"{name}{suffix}").read_bytes()
    pages = {name: (tmp_path / "together" / f"{name}.html").read_text(encoding="utf-8") for name in variants}
    assert "Japan, again" in pages["retitled"] and '"title":"Bases"' not in pages["fewer"]
    assert '"title":"Bases"' in pages["wider"]


def test_maps_rendered_in_parallel_are_the_bytes_of_one_process(project, tmp_path):
    text = (project / "indo-pacific-diplomacy.map.yaml").read_text(encoding="utf-8")
    (project / "again.map.yaml").write_text(text.replace("output: indo-pacific-diplomacy", "output: again"),
                                            encoding="utf-8")
    (project / "broken.map.yaml").write_text("title: Broken\nrecords: {paths: [records/missing.csv]}\n",
                                             encoding="utf-8")
    one, two = tmp_path / "one", tmp_path / "two"
    serial, parallel = build(project, one, "-j", "1"), build(project, two, "-j", "2")
    assert serial.exit_code == parallel.exit_code == 1  # the broken map fails alone, in either
    assert serial.output == parallel.output.replace(str(two), str(one))
    assert "3 built, 0 skipped, 1 failed" in parallel.output and "broken.map.yaml" in parallel.output
    assert {p.name: p.read_bytes() for p in one.iterdir() if p.name[0] != "."} == \
        {p.name: p.read_bytes() for p in two.iterdir() if p.name[0] != "."}
    specs = [(m, load_mapfile(m)) for m in sorted(project.glob("[ai]*.map.yaml"))]
    with render_ahead(specs, {}, Job(tmp_path / "three", jobs=2)) as ahead:  # what the worker processes hand back
        assert sorted(ahead) == ["again", "indo-pacific-diplomacy"]
        assert ahead["again"][1].result()["again.geojson"] == (one / "again.geojson").read_bytes()
    result = subprocess.run([DEPLOYMAP, "build", "--help"], capture_output=True, text=True, check=True)
    assert "-j, --jobs" in result.stdout and "the machine's cores" in result.stdout
