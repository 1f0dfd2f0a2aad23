"""Reading and writing files safely: only regular files within a size limit are read (a FIFO, a
device or a symlink to one is refused before any byte is read), and no reader ever sees a
half-written file (temp file, fsync, rename)."""
from __future__ import annotations

import codecs
import hashlib
import json
import logging
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO

from geo.errors import Problem, RecordError

MAX_BYTES = 100 * 1024 * 1024  # 100,000 records are ~15 MB of CSV; past this is a mistake, not data
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def file_size(path: Path, limit: int = MAX_BYTES) -> int:
    """The size of a regular file, checked by stat alone (nothing is opened); RecordError when it is
    missing, unreadable, not a regular file (FIFO, device, folder) or over ``limit`` bytes."""
    try:
        info = os.stat(path)
    except OSError as err:
        raise RecordError([Problem(str(path), "", "file", f"cannot be read ({err.strerror})",
                                   "check that it exists and that you may read it")]) from None
    _check(path, info, limit)
    return info.st_size


def _check(path: Path, info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
        raise RecordError([Problem(str(path), "", "file", f"is not a regular file but {kind}",
                                   "give a file of records or a map file; pipes and devices are never read")])
    if info.st_size > limit:
        raise RecordError([Problem(str(path), "", "file", f"is {info.st_size / 2**20:.0f} MiB, over the "
                                   f"{limit // 2**20} MiB limit for an input file",
                                   "split it into several files or keep only the records a map needs")])


@contextmanager
def open_regular(path: Path, limit: int = MAX_BYTES) -> Iterator[BinaryIO]:
    """``path`` opened for reading once stat shows a regular file within ``limit``; checked again on
    the open file, so a file swapped for a FIFO in between is refused too (O_NONBLOCK: never hangs)."""
    file_size(path, limit)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        raise RecordError([Problem(str(path), "", "file", f"cannot be read ({err.strerror})",
                                   "check that it exists and that you may read it")]) from None
    with os.fdopen(fd, "rb") as f:
        _check(path, os.fstat(fd), limit)
        yield f


def read_limited(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (a file growing past it is refused)."""
    with open_regular(path, limit) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise RecordError([Problem(str(path), "", "file", f"grew past the {limit // 2**20} MiB limit while "
                                   "being read", "split it into several files")])
    return data


def decode(path: Path) -> str:
    """Text of a file: UTF-8 (a BOM is stripped) or UTF-16 with a BOM; anything else is an error."""
    data = read_limited(path)  # a FIFO, a device or a huge file is refused before a byte is read
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as err:  # a UTF-16 BOM does not make the rest valid UTF-16 (odd length, lone surrogate)
        line = data[: err.start].decode(err.encoding, "replace").count("\n") + 1
        raise RecordError([Problem(str(path), str(line), "file",
                                   f"is not {'UTF-16' if utf16 else 'UTF-8'} (byte 0x{data[err.start]:02X})",
                                   "save it as UTF-8 (in a spreadsheet: CSV UTF-8)")]) from None
    if "\x00" in text:
        raise RecordError([Problem(str(path), "", "file", "contains NUL bytes (binary, or UTF-16 without a BOM)",
                                   "save it as UTF-8 text")])
    return text


def file_hash(path: Path, limit: int = MAX_BYTES) -> bytes:
    """SHA-256 of a regular file within ``limit``, read in chunks (never the whole file in memory)."""
    with open_regular(path, limit) as f:
        return hashlib.file_digest(f, "sha256").digest()


def cache_dir() -> Path:
    """Where derived data is kept between runs: $DEPLOYMAP_CACHE, else the user's cache folder."""
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "deploymap"
    return Path(os.environ.get("DEPLOYMAP_CACHE") or default)


def kept_json(path: Path, sound: Callable[[object], bool], unsound: str, make: Callable[[], Any]) -> Any:
    """JSON derived once and kept at ``path`` in the cache folder: read back when ``sound`` says it is;
    one that is not is set aside (NAME.corrupt, warned ``unsound``) and, like a missing one, made
    again by ``make`` and kept. A read-only cache folder only costs making it again each run."""
    def read(data: bytes) -> Any:
        value = json.loads(data.decode("utf-8"))
        return value if sound(value) else None

    return _kept(path, unsound, read, make, lambda value: json.dumps(value, separators=(",", ":")).encode())


def kept_text(path: Path, unsound: str, make: Callable[[], str]) -> str:
    """JSON text (ASCII, as json.dumps writes it) derived once by ``make`` and kept at ``path`` in the
    cache folder with its SHA-256, read back as it is when the digest matches: no parse or check of
    each value (the base map's 30,000 numbers took longer to check and write again than to read).
    The file is JSON, ``{"sha256": DIGEST, "data": TEXT}``; one that is not, or whose digest differs,
    is set aside as in kept_json and made again."""
    def read(data: bytes) -> str | None:
        kept = data.decode("ascii")
        text = kept[len(KEPT[0]) + 64 + len(KEPT[1]):-len(KEPT[2])]
        return text if kept == _with_digest(text) else None

    return _kept(path, unsound, read, make, lambda text: _with_digest(text).encode("ascii"))


def _kept(path: Path, unsound: str, read: Callable[[bytes], Any], make: Callable[[], Any],
          write: Callable[[Any], bytes]) -> Any:
    """What ``make`` makes, kept at ``path``: ``read`` gives it back from the file's bytes (None: the
    file is not sound, and is set aside, warned ``unsound``); ``write`` is what is kept of it."""
    if path.exists():
        try:
            kept = read(read_limited(path))
        except (RecordError, ValueError):
            kept = None
        if kept is not None:
            with suppress(OSError):
                os.utime(path)  # used now: kept_last goes by this time
            return kept
        try:
            set_aside(path, unsound)
        except OSError:
            pass
    made = make()
    try:
        write_atomic(path, write(made))
    except OSError:
        pass
    return made


KEPT = ('{"sha256":"', '","data":', "}")  # kept_text's file: the text's digest, then the text


def _with_digest(text: str) -> str:
    """kept_text's file for ``text``."""
    return f"{KEPT[0]}{hashlib.sha256(text.encode('ascii')).hexdigest()}{KEPT[1]}{text}{KEPT[2]}"


def kept_last(folder: Path, pattern: str, keep: int) -> None:
    """Remove all but the ``keep`` files matching ``pattern`` in ``folder`` used last (kept_json marks a
    read as a use): a cache of one file per view must not grow without end."""
    files = []
    for path in folder.glob(pattern):
        with suppress(OSError):
            files.append((path.stat().st_mtime_ns, path.name, path))
    for _, _, path in sorted(files, reverse=True)[keep:]:
        with suppress(OSError):
            path.unlink()


def set_aside(path: Path, why: str) -> Path:
    """Rename a cache file found corrupt to NAME.corrupt (kept for a look, never silently emptied) and warn."""
    corrupt = path.with_name(path.name + ".corrupt")
    os.replace(path, corrupt)
    logging.getLogger("deploymap").warning(f"warning: {path}: {why}; set aside as {corrupt.name}, rebuilt from scratch")
    return corrupt


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step; on any failure the old file is left as it was."""
    commit_atomic({path: data})


def temp_prefix(path: Path) -> str:
    """The start of the names of this process's temp files for ``path``: '.NAME.PID.'; a build removes
    only leftovers whose PID is no longer running, never another live build's file."""
    return f".{path.name}.{os.getpid()}."


def commit_atomic(files: dict[Path, bytes]) -> None:
    """Write every file to a temp file beside it, fsync them all, then rename them all: when any
    write fails (full disk, read-only folder) none is renamed and every old file is left as it was.
    The renames come in the order given, so put the file that declares the set (a manifest) last."""
    temps: dict[Path, str] = {}
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temps[path] = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path), suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(temps[path], 0o644)
        for path, temp in temps.items():
            os.replace(temp, path)
    except BaseException:
        for temp in temps.values():
            Path(temp).unlink(missing_ok=True)
        raise
