"""Choosing the records a map shows: by kind, by tag, and by the date the map is 'as of'."""
from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd


def select(frame: gpd.GeoDataFrame, kinds: Sequence[str] | None = None, tags: Sequence[str] | None = None,
           as_of: str | None = None) -> gpd.GeoDataFrame:
    """Records of the given kinds, carrying any of the tags, and valid on ``as_of`` (ISO date).

    A record is valid on a date unless it starts after it or ended before it; events count
    from their start, so an 'as of' map shows the meetings that have happened.
    """
    keep = frame["kind"].notna()
    if kinds:
        keep &= frame["kind"].isin(list(kinds))
    if tags:
        wanted = set(tags)
        keep &= frame["tags"].map(lambda t: bool(wanted & set(t)) if isinstance(t, tuple) else False)
    if as_of:
        keep &= frame["start"].map(lambda s: not isinstance(s, str) or s <= as_of)
        keep &= frame["end"].map(lambda e: not isinstance(e, str) or e >= as_of)
    return frame[keep]
