"""Benchmark: a project of many maps over one shared records folder.

Writes 10,000 records (BENCH_MANY_RECORDS) and one map file, times ``deploymap build --force`` of that
one map, then of 50 map files (BENCH_MANY_MAPS) over the same folder, with -j 1 and with -j at the
machine's cores, each as its own process, in alternating rounds (BENCH_RUNS, default 3); prints the
medians and the ratios to the one map. The target: 50 maps in at most 4 times one map's time.
Run with ``make bench``; never part of the test suite.
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.synthetic import write_records  # noqa: E402

DEPLOYMAP = str(Path(sys.executable).parent / "deploymap")
MAP = "title: Map {n}\noutput: map-{n}\nrecords: {{paths: [records/]}}\nlayers: [bases, deployments, events]\n"


def project(folder: Path, records: int, maps: int) -> Path:
    """A project folder with ``records`` synthetic records and ``maps`` map files over all of them."""
    (folder / "records").mkdir(parents=True)
    write_records(folder / "records" / "records.csv", records)
    for n in range(maps):
        (folder / f"map-{n}.map.yaml").write_text(MAP.format(n=n), encoding="utf-8")
    return folder


def timed(folder: Path, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds (the build's and its workers': what other work on the machine does not
    inflate) of one forced build of every map in ``folder``, whole process."""
    start, used = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([DEPLOYMAP, "build", "--root", str(folder), "--out", str(folder / "out"), "--force",
                    "-j", str(jobs)], check=True, capture_output=True)
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - start, now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime


def main() -> None:
    records = int(os.environ.get("BENCH_MANY_RECORDS", "10000"))
    maps = int(os.environ.get("BENCH_MANY_MAPS", "50"))
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        one = project(Path(tmp) / "one", records, 1)
        many = project(Path(tmp) / "many", records, maps)
        cases = {"1 map": (one, 1), f"{maps} maps, -j 1": (many, 1), f"{maps} maps, -j {cores}": (many, cores)}
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, (folder, jobs) in cases.items():
                times[name].append(timed(folder, jobs))
    base = statistics.median(wall for wall, _ in times["1 map"])
    print(f"{records:,} records, medians of {runs} runs, {cores} cores")
    for name, values in times.items():
        median = statistics.median(wall for wall, _ in values)
        cpu = statistics.median(cpu for _, cpu in values)
        print(f"  {name:<16} {median:6.2f} s   {median / base:5.2f}x one map   ({cpu:.2f} s CPU)")


if __name__ == "__main__":
    main()
