"""Python's cycle collector, paused while work makes many objects in no cycle: each full collection
they trigger walks every object of the process and finds nothing to free (bench/PROFILE.md)."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The cycle collector off for the block, and back as it was after, with what the block made counted
    as old: the young generation's first pass after the block would walk every object made in it (a
    render's imports and records: 0.05 s at 100,000 records) only to find them all in use."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # every tracked object into the permanent generation, and back into the oldest
        gc.unfreeze()
        if enabled:
            gc.enable()
