"""Issue 6: building is atomic under SIGKILL, `watch` survives a storm of good and bad edits, and no
output name from a map file can write outside the output folder."""
from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.errors import RecordError
from output.build import LOCK, MANIFEST, build
from output.cli import main
from output.mapfile import find_mapfiles, load_mapfile
from tests.conftest import DEPLOYMAP, SEEDS, stop, wait_for

NEW_NAME = "Naval Air Facility Atsugi (edited)"


def copy_seeds(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(SEEDS, root)
    return root


def outputs(out: Path) -> dict[str, bytes]:
    """The visible files of an output folder (temp files and the manifest start with '.')."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and not p.name.startswith(".")}


def edit_records(root: Path) -> None:
    """A second version of the records that changes both seed maps."""
    bases = root / "records" / "bases.csv"
    bases.write_text(bases.read_text(encoding="utf-8").replace("Naval Air Facility Atsugi", NEW_NAME),
                     encoding="utf-8")


def manifest(out: Path) -> dict:
    return json.loads((out / MANIFEST).read_text(encoding="utf-8"))


# ------------------------------------------------------------------ atomic builds

@pytest.mark.slow
@pytest.mark.timeout(240)
def test_build_killed_at_random_points_leaves_old_or_new_files(tmp_path: Path) -> None:
    """SIGKILL at random moments: every output is the previous or the new complete version; the next build repairs."""
    root = copy_seeds(tmp_path)
    before = tmp_path / "before"
    assert all(o.status == "built" for o in build(find_mapfiles(root), before))
    old = outputs(before)
    edit_records(root)
    fresh = tmp_path / "fresh"
    assert all(o.status == "built" for o in build(find_mapfiles(root), fresh))
    new = outputs(fresh)
    assert set(old) == set(new) and len(old) == 7  # with japan-basing.orbat.svg
    assert any(old[n] != new[n] for n in old)

    started = time.monotonic()
    subprocess.run([DEPLOYMAP, "build", "--root", root, "--out", tmp_path / "timing"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    duration = time.monotonic() - started

    rng = random.Random(6)
    # half the kills anywhere, half in the last third, where the files are written
    delays = sorted([rng.uniform(0.2, duration) for _ in range(3)]
                    + [rng.uniform(max(0.2, duration * 2 / 3), duration) for _ in range(3)])
    mixed = 0
    for n, delay in enumerate(delays):
        out = tmp_path / f"killed-{n}"
        shutil.copytree(before, out)
        proc = subprocess.Popen([DEPLOYMAP, "build", "--root", root, "--out", out],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

        now = outputs(out)
        assert set(now) == set(old), f"kill at {delay:.2f}s: unexpected files {set(now) ^ set(old)}"
        for name, data in now.items():
            assert data in (old[name], new[name]), f"kill at {delay:.2f}s: {name} is neither version"
        mixed += any(now[n] != old[n] for n in now) and any(now[n] != new[n] for n in now)
        leftovers = [p.name for p in out.iterdir() if p.name.startswith(".") and p.name not in (MANIFEST, LOCK)]
        assert all(name.endswith(".tmp") for name in leftovers), leftovers
        assert isinstance(manifest(out), dict)

        outcomes = build(find_mapfiles(root), out)
        assert all(o.status in ("built", "skipped") for o in outcomes)
        assert outputs(out) == new, f"kill at {delay:.2f}s: the next build did not repair the outputs"
        assert all(o.status == "skipped" for o in build(find_mapfiles(root), out))
        assert manifest(out) == manifest(fresh)


# ------------------------------------------------------------------ watch under a storm of edits

def bad_versions(good: str) -> list[bytes]:
    """Ways an editor, a sync tool or a person leaves a records file broken for a moment."""
    lines = good.splitlines(keepends=True)
    return [
        b"",  # truncated to nothing before the new content lands
        good[: len(good) // 2].encode(),  # half written
        (lines[0] + "naf-atsugi,base\n").encode(),  # ragged row
        good.replace("Naval Air Facility Atsugi", "Base aérienne d'Atsugi").encode("latin-1"),
        good.replace(",JP,", ",Japan,", 1).encode(),  # unknown country
        (lines[0] + 'x,base,"unclosed\n').encode(),
        b"\x00" * 64,
        (lines[0] + "".join(lines[1:]) * 2).encode(),  # duplicate ids
    ]


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_watch_survives_100_rapid_good_and_bad_edits(tmp_path: Path) -> None:
    """100 edits 20-50 ms apart, good and broken mixed, the last one good: the watcher lives and catches up."""
    root = copy_seeds(tmp_path)
    out = tmp_path / "out"
    bases = root / "records" / "bases.csv"
    good = bases.read_text(encoding="utf-8")
    log = (tmp_path / "watch.log").open("wb")
    proc = subprocess.Popen([DEPLOYMAP, "watch", "--root", root, "--out", out], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: len(outputs(out)) == 7 if out.exists() else False, 60, "the first build")
        time.sleep(0.5)  # the watcher is now between builds, waiting for changes
        rng = random.Random(100)
        broken = bad_versions(good)
        for i in range(100):
            if i == 99:
                marker = f"Final edit {uuid.uuid4().hex[:8]}"
                data = good.replace("Naval Air Facility Atsugi", marker).encode()
            elif rng.random() < 0.5:
                data = good.replace("Naval Air Facility Atsugi", f"Atsugi edit {i}").encode()
            else:
                data = rng.choice(broken)
            bases.write_bytes(data)
            time.sleep(rng.uniform(0.02, 0.05))
        html = [out / "japan-basing.html", out / "indo-pacific-diplomacy.html", out / "japan-basing.geojson"]
        wait_for(lambda: all(marker in p.read_text(encoding="utf-8") for p in html), 60,
                 "the outputs to show the final edit")
        assert proc.poll() is None, "the watcher died"
        assert all(entry["files"] for entry in manifest(out).values())
    finally:
        stop(proc)
        log.close()
    text = (tmp_path / "watch.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text[-3000:]
    assert "failed" in text, "no broken edit was ever built: the storm did not test anything"


# ------------------------------------------------------------------ output names stay inside the output folder

ESCAPE = f"/tmp/deploymap-escape-{uuid.uuid4().hex[:8]}"
BAD_NAMES = ["../x", "../../x", ESCAPE, "a/b", "a\\b", "..", ".", "", " ", "x y", "x.html", ".hidden", "Japan",
             "карта", "ñandú", "map\u2028", "$(id)", "`id`", "x;rm -rf ~", "~x", "*", "x" * 82, "-x", "_x", "\t",
             "\x00", "%2e%2e%2fx", "x/../../y", "./x"]


def mapfile_text(output: str) -> str:
    return f"title: Escape\noutput: {json.dumps(output)}\nrecords: {{paths: [records/]}}\n"


@pytest.mark.parametrize("name", [*BAD_NAMES, "abc\n"], ids=repr)
def test_output_names_cannot_leave_the_output_folder(name: str, tmp_path: Path) -> None:
    """A map file's output name is a plain name or an error; building it writes nothing, least of all outside OUT."""
    root = copy_seeds(tmp_path)
    for old in find_mapfiles(root):
        old.unlink()
    mapfile = root / "escape.map.yaml"
    mapfile.write_text(mapfile_text(name), encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        load_mapfile(mapfile)
    assert [p.field for p in caught.value.problems] == ["output"]
    out = tmp_path / "work" / "out"
    before = sorted(p for p in tmp_path.rglob("*") if out not in p.parents)
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out)])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "output:" in result.output
    assert sorted(p for p in tmp_path.rglob("*") if out not in p.parents) == before
    assert not out.exists() or not any(out.iterdir())
    assert not list(Path("/tmp").glob(Path(ESCAPE).name + "*"))


@pytest.mark.parametrize("filename", ["Bad Name.map.yaml", "..map.yaml", "карта.map.yaml", "UPPER.map.yaml",
                                      "a.b.map.yaml"])
def test_output_names_from_file_names_are_checked_too(filename: str, tmp_path: Path) -> None:
    """Without output:, the name comes from the map file's name, under the same rule."""
    root = copy_seeds(tmp_path)
    mapfile = root / filename
    mapfile.write_text("title: From the file name\nrecords: {paths: [records/]}\n", encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        load_mapfile(mapfile)
    assert [p.field for p in caught.value.problems] == ["output"]
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(mapfile), "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_good_maps_build_beside_bad_ones_and_nothing_else_is_written(tmp_path: Path) -> None:
    """Hostile map files next to the seed maps: the seeds build, the rest fail, OUT holds only the seeds' files."""
    root = copy_seeds(tmp_path)
    for n, name in enumerate(BAD_NAMES[:8]):
        (root / f"bad-{n}.map.yaml").write_text(mapfile_text(name), encoding="utf-8")
    (root / "clash.map.yaml").write_text(mapfile_text("japan-basing"), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "2 built, 0 skipped, 9 failed" in result.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [f"{m}{suffix}" for m in ("indo-pacific-diplomacy", "japan-basing")
         for suffix in (".html", ".embed.html", ".geojson")] + ["japan-basing.orbat.svg"])
    assert "is also the output of" in result.output
    assert sorted(manifest(out)) == ["indo-pacific-diplomacy", "japan-basing"]
