"""Every map of a project, rebuilt only when its inputs changed: a manifest of content hashes.

A build is a transaction per map: all of a map's outputs are rendered first and renamed into place
together, the manifest last; a lock on the output folder lets one build (or watch) in at a time.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import os
import re
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path

from geo.errors import Problem, RecordError, RecordWarning
from geo.files import commit_atomic, file_hash
from geo.readers import record_files
from geo.records import Records, load_records
from output.document import Shared, render
from output.embed import base_url_problem, embed_snippet
from output.export import export_name, map_exports
from output.mapfile import load_mapfile
from output.mapspec import MapSpec
from output.preview import STILLS

MANIFEST = ".deploymap-manifest.json"
LOCK = ".deploymap.lock"
CODE_SUFFIXES = (".py", ".js", ".css", ".csv", ".geojson")
TEMP_NAME = re.compile(r"\.(\d+)\.[A-Za-z0-9_]+\.tmp$")  # geo.files.temp_prefix: '.NAME.PID.XXXX.tmp'


@dataclass
class Outcome:
    """What happened to one map file: built, skipped (and why), failed (and the problems), or stale
    (its map file is gone: outputs kept) or pruned (outputs removed)."""

    mapfile: Path
    status: str  # built, skipped, failed, stale, pruned
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


def input_hash(mapfile: Path, files: list[Path], options: str) -> str:
    """Hash of everything a map's output depends on: map file, records files, deploymap's code, options.
    Each file is checked (regular, within the size limit) and hashed in chunks before anything is read."""
    digest = hashlib.sha256()
    digest.update(f"{code_fingerprint()}\n{options}\n".encode())
    for path in [mapfile, *files]:
        digest.update(f"{path.as_posix()}\n".encode())
        digest.update(file_hash(path))
    return digest.hexdigest()


def read_manifest(out_dir: Path, say: Callable[[str], None] = lambda _: None) -> dict[str, dict]:
    """The manifest of the last builds in ``out_dir``: its well-formed entries (an entry of another
    shape is dropped, so that map is rebuilt, with a word; a manifest not JSON is read as empty)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict):
        say(f"{out_dir / MANIFEST}: is not a manifest; every map is rebuilt")
        return {}
    good = {name: entry for name, entry in data.items() if _entry_ok(entry)}
    if len(good) != len(data):
        say(f"{out_dir / MANIFEST}: {len(data) - len(good)} entries of the wrong shape; those maps are rebuilt")
    return good


def _entry_ok(entry: object) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("hash"), str) and isinstance(entry.get("mapfile"), str)
            and isinstance(entry.get("files"), dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in entry["files"].items()))


def outputs_of(spec: MapSpec, out_dir: Path, stills: tuple[str, ...]) -> list[Path]:
    """The files one map writes (``stills``: which still pictures, by their STILLS kind)."""
    names = [f"{spec.output}.html", f"{spec.output}.embed.html", f"{spec.output}.geojson",
             *(export_name(spec.output, fmt) for fmt in spec.exports)]
    return [out_dir / n for n in names + [f"{spec.output}{STILLS[kind]}" for kind in stills]]


@contextmanager
def locked(out_dir: Path, say: Callable[[str], None]) -> Iterator[int]:
    """Hold the output folder's lock (flock on OUT/.deploymap.lock, holding the owner's pid): a second
    build or watch waits, saying which process holds it. Yields the lock's file descriptor."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 20, 0).decode("ascii", "replace").strip() or "unknown"
            say(f"waiting for the build that holds {out_dir / LOCK} (pid {holder})")
            fcntl.flock(fd, fcntl.LOCK_EX)
        owner = f"{os.getpid()}\n".encode()
        if os.pread(fd, 20, 0) != owner:  # rewritten only when the owner changes: a skipped build touches nothing
            os.ftruncate(fd, 0)
            os.pwrite(fd, owner, 0)
        yield fd
    finally:
        os.close(fd)  # closing releases the lock


@dataclass(frozen=True)
class Job:
    """How one build runs: where it writes, what it may read, what it tells the user."""

    out_dir: Path
    force: bool = False
    stills: tuple[str, ...] = ()  # still pictures to take, by their STILLS kind: preview, social, pdf
    base_url: str = ""
    online: bool = False
    root: Path | None = None  # the project folder records may not leave; None: each map file's folder
    allow_outside: bool = False
    complete: bool = False  # the map files are all the project's: outputs of others are stale
    prune: bool = False  # remove stale outputs
    say: Callable[[str], None] = lambda _: None  # progress
    note: Callable[[str], None] | None = None  # what a user must see (a lock wait, a dropped manifest entry)
    jobs: int = 1  # processes that render maps at once
    loaded: dict[tuple[tuple[Path, bytes], ...], Records] = field(default_factory=dict)  # by files and contents
    shared: Shared = field(default_factory=Shared)  # layers and label plans the maps have in common

    def records(self, files: list[Path]) -> Records:
        """The records of ``files``, read, validated and geocoded once per build however many maps use them
        (once per content: a file edited during the build is read again, never served from before)."""
        key = tuple(sorted((p.resolve(), file_hash(p)) for p in files))
        if key not in self.loaded:
            self.loaded[key] = load_records(files, self.online, allow_outside=True)  # files were checked before
        return self.loaded[key]

    def tell(self, message: str) -> None:
        """Say what the user must see (to ``note``, else ``say``)."""
        (self.note or self.say)(message)

    def boundary(self, mapfile: Path) -> Path | None:
        """The folder a map's records may not leave (None when --allow-outside)."""
        return None if self.allow_outside else (self.root or mapfile.parent)


def build(mapfiles: list[Path], out_dir: Path, force: bool = False, preview: bool = False,
          base_url: str = "", online: bool = False, say: Callable[[str], None] = lambda _: None,
          root: Path | None = None, allow_outside: bool = False, complete: bool = False, prune: bool = False,
          note: Callable[[str], None] | None = None, pdf: bool = False, social: bool = False,
          jobs: int = 1) -> list[Outcome]:
    """Render each map whose inputs changed since the manifest; a failing map leaves its old files alone.
    ``preview``, ``social`` and ``pdf`` add NAME.png (2x), NAME.social.png and NAME.pdf; the other
    options are those of Job."""
    stills = tuple(kind for kind, wanted in (("preview", preview), ("social", social), ("pdf", pdf)) if wanted)
    job = Job(out_dir, force, stills, base_url, online, root, allow_outside, complete, prune, say, note, jobs)
    if base_url_problem(job.base_url):
        raise RecordError([Problem("--base-url", "", "base_url", base_url_problem(job.base_url),
                                   "give http(s)://host/path/ or a relative path ending in /")])
    specs: list[tuple[Path, MapSpec | RecordError]] = []
    for mapfile in mapfiles:
        try:
            specs.append((mapfile, load_mapfile(mapfile)))
        except RecordError as err:
            specs.append((mapfile, err))
    if all(isinstance(spec, RecordError) for _, spec in specs):  # nothing to write: the output folder is not touched
        return [Outcome(m, "failed", "invalid input", error=spec) for m, spec in specs]
    try:
        return _build_locked(specs, job)
    except OSError as err:  # the output folder cannot be created or locked
        return [Outcome(m, "failed", "output", error=_unwritable(out_dir, err)) for m, _ in specs]


def _build_locked(specs: list[tuple[Path, MapSpec | RecordError]], job: Job) -> list[Outcome]:
    with locked(job.out_dir, job.tell) as lock:
        manifest = read_manifest(job.out_dir, job.tell)
        remove_leftovers(job.out_dir)
        outcomes = []
        claimed: dict[str, Path] = {}
        with render_ahead(specs, manifest, job, lock) as ahead:
            for mapfile, spec in specs:
                try:
                    if isinstance(spec, RecordError):
                        raise spec
                    if spec.output in claimed:
                        raise _clash(mapfile, spec, claimed[spec.output])
                    claimed[spec.output] = mapfile
                    outcomes.append(_build_one(mapfile, spec, manifest, job, ahead))
                except RecordError as err:
                    outcomes.append(Outcome(mapfile, "failed", "invalid input", error=err))
                except Exception as err:  # noqa: BLE001 - the last resort: one map's bug must not stop the others
                    outcomes.append(Outcome(mapfile, "failed", "error", error=RecordError([Problem(
                        str(mapfile), "", "build", f"failed ({type(err).__name__}: {_first_line(err)})",
                        "check the records with `deploymap check`; if they pass, report this with the map file; "
                        "the previous files are kept")])))
        if job.complete:
            outcomes += _stale(manifest, claimed, {m.as_posix() for m, _ in specs}, job.out_dir, job.prune)
    return outcomes


def _build_one(mapfile: Path, spec: MapSpec, manifest: dict[str, dict], job: Job,
               ahead: dict[str, tuple[str, Future]] | None = None) -> Outcome:
    """Build one map as one transaction: every output and the manifest renamed into place together
    (its files taken from ``ahead`` when a worker process renders them)."""
    files, key, outputs, entry = _plan(mapfile, spec, manifest, job)
    if key is None:
        return Outcome(mapfile, "skipped", "inputs unchanged", outputs)
    job.say(f"rendering {mapfile}")
    loaded = job.records(files)
    planned, future = (ahead or {}).get(spec.output, (None, None))
    data = None
    if planned == key:  # else its files changed since
        with suppress(Exception):  # not handed back (a worker killed, out of memory say): rendered here
            data = future.result()
    if data is None:  # render it here, from what its files are now (a failure is then reported in map order)
        data = _outputs(mapfile, spec, files, job)
    if f"{spec.output}.orbat.svg" in data:
        outputs.append(job.out_dir / f"{spec.output}.orbat.svg")
    new_entry = {"hash": key, "mapfile": mapfile.as_posix(),
                 "files": {name: hashlib.sha256(blob).hexdigest() for name, blob in data.items()}}
    writes = {job.out_dir / name: blob for name, blob in data.items()}
    writes[job.out_dir / MANIFEST] = _manifest_bytes({**manifest, spec.output: new_entry})
    try:
        commit_atomic(writes)  # all of the map's files and the manifest, or none
    except OSError as err:
        raise _unwritable(job.out_dir, err) from None
    manifest[spec.output] = new_entry
    return Outcome(mapfile, "built", "forced" if job.force else ("new" if not entry else "inputs changed"), outputs,
                   warnings=loaded.warnings)


def _plan(mapfile: Path, spec: MapSpec, manifest: dict[str, dict],
          job: Job) -> tuple[list[Path], str | None, list[Path], dict]:
    """The map's records files, its input hash (None when its outputs are up to date), its outputs
    and its manifest entry."""
    files = record_files(spec.records, root=job.boundary(mapfile), allow_outside=job.allow_outside, skip=job.out_dir)
    key = input_hash(mapfile, files, f"stills={list(job.stills)} base_url={job.base_url} online={job.online}")
    outputs = outputs_of(spec, job.out_dir, job.stills)
    entry = manifest.get(spec.output, {})
    written = [job.out_dir / name for name in entry.get("files", {})]  # also those only some builds write (orbat)
    if not job.force and entry.get("hash") == key and all(_unchanged(p, entry) for p in outputs + written):
        return files, None, outputs, entry
    return files, key, outputs, entry


def _outputs(mapfile: Path, spec: MapSpec, files: list[Path], job: Job) -> dict[str, bytes]:
    """Every file of one map, by name: the page, its embed, GeoJSON, exports, ORBAT and stills."""
    loaded = job.records(files)
    rendered = render(loaded.frame, spec, job.base_url, "social" in job.stills, job.shared)
    data = {
        f"{spec.output}.html": rendered.html.encode(),
        f"{spec.output}.embed.html": embed_snippet(spec, f"{job.base_url}{spec.output}.html").encode(),
        f"{spec.output}.geojson": (rendered.geojson_text() + "\n").encode(),
        **map_exports(loaded.frame, spec),
    }
    if rendered.orbat:
        data[f"{spec.output}.orbat.svg"] = rendered.orbat
    if job.stills:
        data |= {f"{spec.output}{STILLS[kind]}": blob
                 for kind, blob in _stills(mapfile, spec, rendered.html, job.stills).items()}
    return data


PR_SET_PDEATHSIG = 1  # linux/prctl.h
# The maps a forked pool renders, inherited by its processes (records already read), never pickled.
_AHEAD: list[tuple[Path, MapSpec, list[Path], Job, str]] = []


def _render_ahead(n: int) -> dict[str, bytes] | None:
    """Map ``n`` of _AHEAD rendered in a worker; None on any failure, which the build then meets and
    reports itself, in map order, as it would without workers."""
    try:
        return _outputs(*_AHEAD[n][:4])
    except Exception:  # noqa: BLE001 - reported by the build's own pass
        return None


def _worker_start(lock: int | None) -> None:
    """A worker lets go of the build's lock and dies with the build: a killed build's workers must not
    live on holding the output folder's lock."""
    if lock is not None:
        os.close(lock)
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the build died before prctl took hold
        os._exit(1)


@contextmanager
def render_ahead(specs: list[tuple[Path, MapSpec | RecordError]], manifest: dict[str, dict],
                 job: Job, lock: int | None = None) -> Iterator[dict[str, tuple[str, Future]]]:
    """The files of every map the build must render, rendering in ``job.jobs`` processes (forked after
    each distinct set of records is read once) while the build writes those done, in map order: by
    output name, the input hash each is rendered for and its files to come; {} when one process is enough."""
    if job.jobs < 2:
        yield {}
        return
    todo = []
    for mapfile, spec in specs:
        try:
            if isinstance(spec, MapSpec) and spec.output not in {t[1].output for t in todo}:  # clashes: later
                files, key, _, _ = _plan(mapfile, spec, manifest, job)
                if key is not None:
                    job.records(files)
                    todo.append((mapfile, spec, files, job, key))
        except RecordError:
            continue  # the build's own pass reports it
    if len(todo) < 2:
        yield {}
        return
    _AHEAD[:] = todo
    try:
        with ProcessPoolExecutor(min(job.jobs, len(todo)), mp_context=get_context("fork"),
                                 initializer=_worker_start, initargs=(lock,)) as pool:
            yield {spec.output: (key, pool.submit(_render_ahead, n)) for n, (_, spec, _, _, key) in enumerate(todo)}
    finally:
        _AHEAD.clear()


def _manifest_bytes(manifest: dict[str, dict]) -> bytes:
    return (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()


def _stills(mapfile: Path, spec: MapSpec, html: str, kinds: tuple[str, ...]) -> dict[str, bytes]:
    """The still pictures of a page not yet published (taken from a private copy in Chromium), so a
    failure leaves every output old."""
    from output.preview import take_stills  # late: Playwright is only needed for pictures

    try:
        return take_stills(html, spec.width, spec.height, kinds)
    except Exception as err:  # noqa: BLE001 - Playwright and Chromium fail in many ways; all mean "no picture"
        raise RecordError([Problem(str(mapfile), "", "preview", f"could not be taken ({type(err).__name__}: "
                                   f"{_first_line(err)})", "check that Chromium is at /usr/bin/chromium, or "
                                   "build without --preview, --social and --pdf; the previous files are kept")]) from None


def _unwritable(out_dir: Path, err: OSError) -> RecordError:
    full = err.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT)
    return RecordError([Problem(str(out_dir), "", "output", f"cannot be written ({err.strerror or err})",
                                "free some space or make the folder writable; the previous files are kept" if full
                                else "check the output folder; the previous files are kept")])


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [""])[0][:200]


def _stale(manifest: dict[str, dict], claimed: dict[str, Path], mapfiles: set[str], out_dir: Path,
           prune: bool) -> list[Outcome]:
    """Outputs of map files that were removed or renamed: reported, and removed with ``prune``."""
    outcomes = []
    for name, entry in sorted(manifest.items()):
        if name in claimed or entry["mapfile"] in mapfiles:
            continue
        files = [out_dir / f for f in entry["files"] if "/" not in f and not f.startswith(".")]
        if prune:
            for path in files:
                path.unlink(missing_ok=True)
            del manifest[name]
            commit_atomic({out_dir / MANIFEST: _manifest_bytes(manifest)})
        outcomes.append(Outcome(Path(entry["mapfile"]), "pruned" if prune else "stale",
                                "outputs removed" if prune else "map file gone; outputs kept (--prune removes them)",
                                files))
    return outcomes


def remove_leftovers(out_dir: Path) -> None:
    """Delete temp files that killed builds left behind ('.NAME.PID.*.tmp' of a process no longer
    running); another live process's temp file, a folder or anything else is never touched."""
    for temp in out_dir.glob(".*.tmp"):
        match = TEMP_NAME.search(temp.name)
        if match and temp.is_file() and not temp.is_symlink() and not _running(int(match.group(1))):
            temp.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process is between writes: none of its temp files is in flight
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _unchanged(path: Path, entry: dict) -> bool:
    """An output is current when it still exists with the bytes the last build wrote."""
    try:
        return entry["files"].get(path.name) == file_hash(path).hex()
    except RecordError:
        return False


def _clash(mapfile: Path, spec: MapSpec, other: Path) -> RecordError:
    return RecordError([Problem(str(mapfile), "", "output", f"{spec.output!r} is also the output of {other}",
                                "give each map file its own output name")])
