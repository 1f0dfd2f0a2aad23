"""Python's cycle collector, paused while work makes many objects in no cycle: each full collection
they trigger walks every object of the process and finds nothing to free (bench/PROFILE.md)."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The cycle collector off for the block, and back as it was after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
