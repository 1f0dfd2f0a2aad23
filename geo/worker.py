"""The one worker thread of a process, for work that runs without the GIL (numpy over a records file's
bytes, zlib): it goes on beside the main thread's Python on a second core, with the same results as
in line. One thread, so the main thread keeps a core of its own on a two-core machine."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

_WORKER: tuple[int, ThreadPoolExecutor] | None = None  # (the process it belongs to, the worker)


def worker() -> ThreadPoolExecutor:
    """The worker thread, one per process: build -j forks, and a forked process has no threads."""
    global _WORKER
    if _WORKER is None or _WORKER[0] != os.getpid():
        _WORKER = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="deploymap-worker"))
    return _WORKER[1]
