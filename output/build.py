"""Every map of a project, rebuilt only when its inputs changed: a manifest of content hashes."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from importlib.metadata import version
from pathlib import Path

from geo.errors import Problem, RecordError, RecordWarning
from geo.files import write_atomic
from geo.records import load_records, record_files
from output.document import render
from output.embed import embed_snippet
from output.export import export_name, map_exports
from output.mapfile import load_mapfile
from output.mapspec import MapSpec
from output.preview import STILLS, take_stills

MANIFEST = ".deploymap-manifest.json"
CODE_SUFFIXES = (".py", ".js", ".css", ".csv", ".geojson")


@dataclass
class Outcome:
    """What happened to one map file: built, skipped (and why), or failed (and the problems)."""

    mapfile: Path
    status: str  # built, skipped, failed
    reason: str = ""
    outputs: list[Path] = field(default_factory=list)
    error: RecordError | None = None
    warnings: tuple[RecordWarning, ...] = ()


@cache
def code_fingerprint() -> str:
    """deploymap's version and a hash of its own code and data, so an upgrade or a fix rebuilds maps."""
    digest = hashlib.sha256(f"deploymap {version('deploymap')}\n".encode())
    for package in ("geo", "layers", "output"):
        root = Path(import_module(package).__file__).parent
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in CODE_SUFFIXES):
            digest.update(f"{path.relative_to(root.parent).as_posix()}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def input_hash(mapfile: Path, spec: MapSpec, options: str) -> str:
    """Hash of everything a map's output depends on: map file, records files, deploymap's code, options."""
    digest = hashlib.sha256()
    digest.update(f"{code_fingerprint()}\n{options}\n".encode())
    for path in [mapfile, *record_files(spec.records)]:
        digest.update(f"{path.as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def read_manifest(out_dir: Path) -> dict[str, dict]:
    """The manifest of the last builds in ``out_dir`` (empty when missing or unreadable)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def outputs_of(spec: MapSpec, out_dir: Path, stills: list[str]) -> list[Path]:
    """The files one map writes (``stills``: which still pictures, by their STILLS kind)."""
    names = [f"{spec.output}.html", f"{spec.output}.embed.html", f"{spec.output}.geojson",
             *(export_name(spec.output, fmt) for fmt in spec.exports)]
    return [out_dir / n for n in names + [f"{spec.output}{STILLS[kind]}" for kind in stills]]


def build(mapfiles: list[Path], out_dir: Path, force: bool = False, preview: bool = False,
          base_url: str = "", online: bool = False, say: Callable[[str], None] = lambda _: None,
          pdf: bool = False, social: bool = False) -> list[Outcome]:
    """Render each map whose inputs changed since the manifest; a failing map leaves its old files alone.
    ``preview``, ``social`` and ``pdf`` add NAME.png (2x), NAME.social.png and NAME.pdf."""
    stills = [kind for kind, wanted in (("preview", preview), ("social", social), ("pdf", pdf)) if wanted]
    manifest = read_manifest(out_dir)
    remove_leftovers(out_dir)
    outcomes = []
    claimed: dict[str, Path] = {}
    for mapfile in mapfiles:
        try:
            spec = load_mapfile(mapfile)
            if spec.output in claimed:
                raise _clash(mapfile, spec, claimed[spec.output])
            claimed[spec.output] = mapfile
            key = input_hash(mapfile, spec, f"stills={stills} base_url={base_url} online={online}")
            outputs = outputs_of(spec, out_dir, stills)
            entry = manifest.get(spec.output, {})
            written = [out_dir / name for name in entry.get("files", {})]  # also those only some builds write
            if not force and entry.get("hash") == key and all(_unchanged(p, entry) for p in outputs + written):
                outcomes.append(Outcome(mapfile, "skipped", "inputs unchanged", outputs))
                continue
            say(f"rendering {mapfile}")
            loaded = load_records(spec.records, online)
            records = loaded.frame
            rendered = render(records, spec, base_url, social)
        except RecordError as err:
            outcomes.append(Outcome(mapfile, "failed", "invalid input", error=err))
            continue
        files = {
            f"{spec.output}.html": rendered.html.encode(),
            f"{spec.output}.embed.html": embed_snippet(spec, f"{base_url}{spec.output}.html").encode(),
            f"{spec.output}.geojson": (json.dumps(rendered.geojson(), ensure_ascii=False, separators=(",", ":"))
                                       + "\n").encode(),
            **map_exports(records, spec),
        }
        if rendered.orbat:
            files[f"{spec.output}.orbat.svg"] = rendered.orbat
            outputs.append(out_dir / f"{spec.output}.orbat.svg")
        if stills:
            files |= {f"{spec.output}{STILLS[kind]}": data
                      for kind, data in take_stills(rendered.html, spec.width, spec.height, stills).items()}
        for name, data in files.items():
            write_atomic(out_dir / name, data)
        manifest[spec.output] = {"hash": key, "mapfile": mapfile.as_posix(),
                                 "files": {p.name: _digest(p) for p in outputs}}
        write_atomic(out_dir / MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())
        reason = "forced" if force else ("new" if not entry else "inputs changed")
        outcomes.append(Outcome(mapfile, "built", reason, outputs, warnings=loaded.warnings))
    return outcomes


def remove_leftovers(out_dir: Path) -> None:
    """Delete temp files a killed build left behind (write_atomic's '.NAME.*.tmp'); outputs are never touched."""
    if out_dir.is_dir():
        for temp in out_dir.glob(".*.tmp"):
            temp.unlink(missing_ok=True)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _unchanged(path: Path, entry: dict) -> bool:
    """An output is current when it still exists with the bytes the last build wrote."""
    return path.exists() and entry.get("files", {}).get(path.name) == _digest(path)


def _clash(mapfile: Path, spec: MapSpec, other: Path) -> RecordError:
    return RecordError([Problem(str(mapfile), "", "output", f"{spec.output!r} is also the output of {other}",
                                "give each map file its own output name")])
