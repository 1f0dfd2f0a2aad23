"""Choosing the records a map shows: by kind, by tag, and by the date the map is 'as of'."""
from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from geo.dates import status_on, valid_on


def select(frame: gpd.GeoDataFrame, kinds: Sequence[str] | None = None, tags: Sequence[str] | None = None,
           as_of: str | None = None) -> gpd.GeoDataFrame:
    """Records of the given kinds, carrying any of the tags, and on the map on ``as_of`` (ISO date),
    each with its status on that day (a change announced but not yet started is planned).

    Both are geo.dates' rules: dates of reduced precision ('2024-07') stand for their interval.
    """
    keep = frame["kind"].notna()
    if kinds:
        keep &= frame["kind"].isin(list(kinds))
    if tags:
        wanted = set(tags)
        keep &= frame["tags"].map(lambda t: bool(wanted & set(t)) if isinstance(t, tuple) else False)
    if not as_of:
        return frame[keep]
    chosen = frame[keep & on_day(frame, as_of)]
    return chosen.assign(status=[status_on(_text(st), _text(s), as_of) for st, s in zip(chosen["status"], chosen["start"])])


def on_day(frame: gpd.GeoDataFrame, day: str) -> pd.Series:
    """Which records are on the map on ``day`` (geo.dates.valid_on: from announced or start to end)."""
    return pd.Series([valid_on(_text(s), _text(e), day, _text(a))
                      for s, e, a in zip(frame["start"], frame["end"], frame["announced"])], index=frame.index, dtype=bool)


def _text(value: object) -> str | None:
    """A cell as text, or None where the record left it empty (NaN, None)."""
    return value if isinstance(value, str) else None
