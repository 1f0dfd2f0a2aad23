"""Rebuild on change: every edit under the root triggers an incremental build of its maps."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from output.build import build
from output.mapfile import find_mapfiles


def watch(root: Path, out_dir: Path, on_build: Callable[[list[Any]], Any],
          say: Callable[[str], None] = print) -> None:
    """Build now, then after each batch of changes; a failing map keeps its last good output."""
    import watchfiles

    out = out_dir.resolve()

    def relevant(_change: object, path: str) -> bool:
        """Edits to inputs; not hidden files, nor the maps this command writes (out may sit in root)."""
        return not Path(path).name.startswith(".") and out not in Path(path).resolve().parents

    on_build(build(find_mapfiles(root), out_dir))
    say(f"watching {root} for changes (Ctrl-C stops)")
    for _changes in watchfiles.watch(root, debounce=200, step=50, watch_filter=relevant):
        on_build(build(find_mapfiles(root), out_dir))
