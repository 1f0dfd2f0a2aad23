"""Seeded synthetic records in the western Pacific, for the benchmark and the large-map tests."""
from __future__ import annotations

import csv
import random
from pathlib import Path

KINDS = ("base", "deployment", "event")


def write_records(path: Path, count: int, seed: int = 7) -> Path:
    """``count`` records with ids, names, kinds, troop counts and lat/lon between 0-45 N and 100-180 E."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "kind", "name", "lat", "lon", "troops", "source"])
        for i in range(count):
            kind = KINDS[i % len(KINDS)]
            out.writerow([f"r{i}", kind, f"Site {i} ({kind})", f"{rng.uniform(0, 45):.5f}",
                          f"{rng.uniform(100, 180):.5f}", rng.randint(10, 5000) if kind == "deployment" else "",
                          "synthetic"])
    return path
