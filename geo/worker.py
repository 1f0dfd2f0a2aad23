"""The one worker thread of a process, for work that runs without the GIL (numpy over a records file's
bytes, zlib): it goes on beside the main thread's Python on a second core, with the same results as
in line. One thread, so the main thread keeps a core of its own on a two-core machine."""
from __future__ import annotations

import ctypes
import os
from concurrent.futures import ThreadPoolExecutor

_WORKER: tuple[int, ThreadPoolExecutor] | None = None  # (the process it belongs to, the worker)
M_ARENA_MAX = -8  # glibc's mallopt parameter: how many malloc arenas the threads of the process share


def worker() -> ThreadPoolExecutor:
    """The worker thread, one per process: build -j forks, and a forked process has no threads."""
    global _WORKER
    if _WORKER is None or _WORKER[0] != os.getpid():
        _WORKER = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="deploymap-worker"))
    return _WORKER[1]


def one_arena() -> None:
    """Every thread's memory from one malloc arena (glibc): the worker's results are freed by the main
    thread, and in the worker's own arena what it freed stayed there, unused (11 MB more peak at 100,000
    records once the columns were gathered there: bench/PROFILE.md). Set by the console script, for the
    process deploymap owns; a program that imports deploymap keeps its own malloc settings."""
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is not None:
        mallopt(M_ARENA_MAX, 1)
