"""Colours and the wording of values in popups: one place, so every layer and the legend agree."""
from __future__ import annotations

from geo.dates import short, words

COLORS = {
    "base": "#1d3557",
    "deployment": "#c1121f",
    "command": "#6a4c93",
    "event": "#e76f51",
    "route": "#e76f51",
    "link": "#6a4c93",
    "ring": "#2a9d8f",
}
ROLE_COLORS = {
    "host": "#f4a261",
    "ally": "#8ecae6",
    "partner": "#b7e4c7",
    "named": "#e5989b",
    "venue": "#ffe8a3",
}
SOURCE_FIELDS = [("Summary", "summary"), ("Source", "source"), ("Quote", "quote")]
LOCATION_FIELD = ("Location", "precision")  # "approximate (town)" where the point is not the place itself


def day(iso: str | None) -> str | None:
    """'2024-07-28' as '28 July 2024', '2024-07' as 'July 2024', '2023' as '2023'."""
    return words(iso) if iso else None


def short_day(iso: str | None) -> str | None:
    """'2024-07-28' as '28 Jul', '2024-07' as 'Jul 2024'."""
    return short(iso) if iso else None


def period(start: str | None, end: str | None) -> str | None:
    """A date or a range of dates, in words."""
    if start and end and end != start:
        return f"{day(start)} to {day(end)}"
    return day(start) or (f"until {day(end)}" if end else None)


def thousands(n: object) -> str | None:
    """54000 as '54,000'."""
    return None if n is None or n != n else f"{int(n):,}"
