"""The command line, through click's runner and as a real subprocess."""
from __future__ import annotations

import os
import subprocess
import sys

from click.testing import CliRunner

from output.cli import main
from tests.conftest import DEPLOYMAP, SEEDS


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_check_passes_on_the_seed_records_and_prints_a_summary_table():
    result = run("check", str(SEEDS))
    assert result.exit_code == 0, result.output
    assert "15 records in 4 files, all valid" in result.output
    lines = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()[2:]}
    # columns: at country gazetteer geonames total
    assert lines["base"][-1] == "4" and lines["event"][-1] == "4" and lines["total"][-1] == "15"


def test_check_lists_every_problem_and_exits_non_zero(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,kind,name,lat,lon\na,base,A,95,139\nb,fort,B,35,139\n", encoding="utf-8")
    result = run("check", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:2: lat: 95.0 is outside [-90, 90]" in result.output
    assert f"{bad}:3: kind: 'fort' is not a record kind" in result.output
    assert "Error: 2 problems." in result.output


def test_check_of_a_missing_file_says_so():
    result = run("check", "no/such/file.csv")
    assert result.exit_code == 1
    assert "no/such/file.csv: file: does not exist; check the path" in result.output


def test_geocode_prints_coordinates_and_how_they_were_found():
    result = run("geocode", "NAF Atsugi", "Vientiane, Laos")
    assert result.exit_code == 0
    assert "NAF Atsugi: Naval Air Facility Atsugi, JP  35.45" in result.output
    assert "(gazetteer)  US Navy" in result.output
    assert "Vientiane, Laos: Vientiane, LA  17.9667, 102.6000  (geonames)" in result.output


def test_geocode_of_an_ambiguous_name_lists_candidates_and_fails():
    result = run("geocode", "Portland")
    assert result.exit_code == 1
    assert "Portland: 'Portland' is ambiguous: Portland, US" in result.output
    assert run("geocode", "Portland", "--country", "us").exit_code == 1
    assert run("geocode", "Kadena", "--country", "JP").exit_code == 0


def test_check_and_geocode_as_real_subprocesses():
    check = subprocess.run([DEPLOYMAP, "check", str(SEEDS)], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0 and "all valid" in check.stdout and check.stderr == ""
    geocode = subprocess.run([DEPLOYMAP, "geocode", "Vientaine"], capture_output=True, text=True, timeout=120)
    assert geocode.returncode == 1 and "did you mean 'Vientiane, LA'" in geocode.stderr


def test_render_as_a_real_subprocess_writes_its_map_and_says_so_before_the_process_ends(tmp_path):
    # the program ends without Python's teardown (output/cli.py run): what it wrote and said is all there
    records = tmp_path / "records.csv"
    records.write_text("id,kind,name,lat,lon,source\nkadena,base,Kadena Air Base,26.35,127.77,USFJ\n", encoding="utf-8")
    out = tmp_path / "map.html"
    done = subprocess.run([DEPLOYMAP, "render", str(records), "-o", str(out)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stdout == f"wrote {out} (1 record, {out.stat().st_size // 1024} KiB)\n"
    assert out.read_text(encoding="utf-8").rstrip().endswith("</html>") and "Kadena Air Base" in out.read_text()
    records.write_text("id,kind,name,lat,lon\nkadena,base,Kadena,95,127.77\n", encoding="utf-8")
    failed = subprocess.run([DEPLOYMAP, "render", str(records), "-o", str(out)], capture_output=True, text=True,
                            timeout=120)
    assert failed.returncode == 1 and failed.stdout == ""
    assert failed.stderr == (f"{records}:2: lat: 95.0 is outside [-90, 90]; give degrees north\n"
                             "Error: 1 problem; nothing was written.\n")
    assert "Kadena Air Base" in out.read_text(encoding="utf-8")  # the previous map, untouched
    usage = subprocess.run([DEPLOYMAP, "render"], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and "Missing argument 'RECORDS...'" in usage.stderr


def test_help_answers_without_importing_the_heavy_libraries():
    out = subprocess.run([DEPLOYMAP, "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "render" in out.stdout and "build" in out.stdout
    probe = subprocess.run([sys.executable, "-c",
                            "import sys, output.cli; print(sorted(m for m in ('geopandas', 'folium', 'pandas') "
                            "if m in sys.modules))"], capture_output=True, text=True, timeout=60)
    assert probe.stdout.strip() == "[]"  # how fast that makes --help is measured in bench/run.py


def test_csv_records_are_read_without_pyyaml(tmp_path):
    (tmp_path / "bases.csv").write_text("id,kind,name,lat,lon\nkadena,base,Kadena,26.35,127.77\n", encoding="utf-8")
    (tmp_path / "bases.yaml").write_text("- id: misawa\n  kind: base\n  name: Misawa\n  lat: 40.7\n  lon: 141.37\n",
                                         encoding="utf-8")
    probe = ("import sys; from pathlib import Path; from geo.readers import read_rows; "
             "rows = read_rows(Path(sys.argv[1])); print(rows[0]['id'], 'yaml' in sys.modules)")
    csv = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "bases.csv")], capture_output=True, text=True,
                         timeout=60)
    yml = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "bases.yaml")], capture_output=True, text=True,
                         timeout=60)
    assert (csv.stdout, yml.stdout) == ("kadena False\n", "misawa True\n")  # PyYAML's 15 ms only when asked for


# Reports, before anything else imports it, what OpenBLAS was told when numpy's import began.
NUMPY_WATCH = """
import importlib.abc, os, sys
seen = []
class Watch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "numpy" and not seen:
            seen.append(os.environ.get("OPENBLAS_NUM_THREADS"))
sys.meta_path.insert(0, Watch())
from output.cli import main
main(["check", sys.argv[1]], standalone_mode=False)
print("numpy saw", seen)
"""


def test_numpy_is_imported_only_once_openblas_is_asked_for_one_thread_and_a_users_setting_wins():
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    for given, expected in ((None, "['1']"), ("2", "['2']")):
        run_env = env if given is None else {**env, "OPENBLAS_NUM_THREADS": given}
        out = subprocess.run([sys.executable, "-c", NUMPY_WATCH, str(SEEDS)], capture_output=True, text=True,
                             timeout=120, env=run_env)
        assert out.returncode == 0, out.stderr
        assert out.stdout.splitlines()[-1] == f"numpy saw {expected}"
