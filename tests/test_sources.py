"""Sourced records are the product: a record without a source is a warning, an error with --strict."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.errors import Problem, RecordError, RecordWarning
from geo.records import load_records, read_records
from output.cli import main

UNSOURCED = "id,kind,name,place,source\nsourced,base,A,NAF Atsugi,CNRJ\nbare,base,B,Yokota Air Base,\n"


def test_a_record_without_a_source_is_a_warning_beside_the_frame(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(UNSOURCED, encoding="utf-8")
    loaded = load_records([path])
    [warning] = loaded.warnings
    assert isinstance(warning, RecordWarning) and not isinstance(warning, Problem)
    assert str(warning) == (f"warning: {path}:3: source: is missing; cite where the record comes from "
                            "(a release, an article, a dataset)")
    assert list(loaded.frame["id"]) == ["sourced", "bare"] == list(read_records([path])["id"])
    with pytest.raises(RecordError) as err:
        load_records([path], strict=True)
    assert [(p.where, p.field) for p in err.value.problems] == [("3", "source")]


def test_check_prints_warnings_and_passes_and_strict_fails(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(UNSOURCED, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0
    assert f"warning: {path}:3: source: is missing" in result.stderr
    assert "2 records in 1 file, all valid (1 warning)" in result.stdout
    strict = CliRunner().invoke(main, ["check", "--strict", str(path)])
    assert strict.exit_code == 1
    assert f"{path}:3: source: is missing" in strict.stderr and "Error: 1 problem." in strict.stderr


def test_build_prints_the_warnings_of_the_maps_it_builds(project: Path, tmp_path):
    bases = project / "records" / "bases.csv"
    lines = bases.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace('"Commander, Navy Region Japan: NAF Atsugi, cnrj.cnic.navy.mil"', "")
    bases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(tmp_path / "maps")])
    assert result.exit_code == 0 and "2 built" in result.output
    assert result.stderr.count(f"warning: {bases}:2: source: is missing") == 2  # once per map that uses it


def test_render_prints_warnings_and_writes_the_map(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(UNSOURCED, encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 0 and (tmp_path / "m.html").exists()
    assert f"warning: {path}:3: source: is missing" in result.stderr
