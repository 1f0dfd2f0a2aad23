"""Colours and the wording of values in popups: one place, so every layer and the legend agree."""
from __future__ import annotations

from babel.dates import format_skeleton

from geo.dates import interval
from layers.locale import cldr, long_date, medium_date, number, short_date
from layers.messages import say

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


def _date(iso: str, locale: str, full, month: str, year: str = "y") -> str:
    """A date of any precision in ``locale``: ``full`` formats a day; a month or a year use Babel's skeletons."""
    first = interval(iso)[0]
    if len(iso) == 10:
        return full(first, locale)
    return format_skeleton(month if len(iso) == 7 else year, first, locale=cldr(locale))


def day(iso: str | None, locale: str = "en") -> str | None:
    """'2024-07-28' as '28 July 2024', '2024-07' as 'July 2024', '2023' as '2023' (in ``locale``: '2024年7月28日')."""
    return _date(iso, locale, long_date, "yMMMM") if iso else None


def short_day(iso: str | None, locale: str = "en") -> str | None:
    """'2024-07-28' as '28 Jul', '2024-07' as 'Jul 2024' (in ``locale``: '7月28日')."""
    return _date(iso, locale, short_date, "yMMM") if iso else None


def spoken_day(iso: str | None, locale: str = "en") -> str | None:
    """'2024-07-28' as '28 Jul 2024': the marker's visible date badge, with its year."""
    return _date(iso, locale, medium_date, "yMMM") if iso else None


def period(start: str | None, end: str | None, locale: str = "en") -> str | None:
    """A date or a range of dates, in words."""
    if start and end and end != start:
        return say("{start} to {end}", locale, start=day(start, locale), end=day(end, locale))
    return day(start, locale) or (say("until {end}", locale, end=day(end, locale)) if end else None)


def thousands(n: object, locale: str = "en") -> str | None:
    """54000 as '54,000' (in ``locale``: '54.000', '54 000')."""
    return None if n is None or n != n else number(int(n), locale)
