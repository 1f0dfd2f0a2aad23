"""Choosing the records a map shows: by kind, by tag, and by the date the map is 'as of'."""
from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from geo.dates import valid_on


def select(frame: gpd.GeoDataFrame, kinds: Sequence[str] | None = None, tags: Sequence[str] | None = None,
           as_of: str | None = None) -> gpd.GeoDataFrame:
    """Records of the given kinds, carrying any of the tags, and valid on ``as_of`` (ISO date).

    Validity is geo.dates.valid_on: dates of reduced precision ('2024-07') stand for their interval.
    """
    keep = frame["kind"].notna()
    if kinds:
        keep &= frame["kind"].isin(list(kinds))
    if tags:
        wanted = set(tags)
        keep &= frame["tags"].map(lambda t: bool(wanted & set(t)) if isinstance(t, tuple) else False)
    if as_of:
        keep &= pd.Series([valid_on(s if isinstance(s, str) else None, e if isinstance(e, str) else None, as_of)
                           for s, e in zip(frame["start"], frame["end"])], index=frame.index, dtype=bool)
    return frame[keep]
