"""Rebuild on change: every edit under the root triggers an incremental build of its maps."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from output.build import build
from output.mapfile import find_mapfiles


def watch(root: Path, out_dir: Path, on_build: Callable[[list[Any]], Any],
          say: Callable[[str], None] = print, allow_outside: bool = False) -> None:
    """Build now, then after each batch of changes; a failing map keeps its last good output, and
    nothing a build meets (a file vanishing mid-build, a full disk) ends the watching."""
    import watchfiles

    out = out_dir.resolve()

    def relevant(_change: object, path: str) -> bool:
        """Edits to inputs; not hidden files, nor the maps this command writes (out may sit in root)."""
        return not Path(path).name.startswith(".") and out not in Path(path).resolve().parents

    def rebuild() -> None:
        try:
            on_build(build(find_mapfiles(root), out_dir, root=root, allow_outside=allow_outside, complete=True,
                           note=say))
        except Exception as err:  # noqa: BLE001 - watch outlives any one build: say what happened, keep watching
            say(f"error: the build stopped ({type(err).__name__}: {err}); the previous maps are kept, "
                "and the next change rebuilds")

    batches = watchfiles.watch(root, debounce=200, step=50, watch_filter=relevant, rust_timeout=200,
                               yield_on_timeout=True)
    next(batches)  # the watcher runs from here on: an edit made during the first build is not missed
    rebuild()
    say(f"watching {root} for changes (Ctrl-C stops)")
    for changes in batches:
        if changes:
            rebuild()
