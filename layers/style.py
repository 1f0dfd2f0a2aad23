"""Colours and the wording of values in popups: one place, so every layer and the legend agree."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from babel.dates import format_skeleton

from geo.dates import interval
from geo.records import unused
from layers.locale import cldr, long_date, medium_date, number, short_date
from layers.locale import country_name as cldr_country_name
from layers.messages import say

import pandas as pd


COLORS = {
    "base": "#1d3557",
    "deployment": "#c1121f",
    "command": "#6a4c93",
    "event": "#e76f51",
    "route": "#e76f51",
    "link": "#6a4c93",
    "ring": "#2a9d8f",
}
# Country roles, tinted at ROLE_OPACITY over the land: hues no layer's symbol uses (no red, orange,
# navy, purple or teal), each told from the others, the land and the sea (tests/test_words.py checks).
ROLE_COLORS = {
    "host": "#e3a92b",
    "ally": "#4f8fd6",
    "partner": "#6fb36a",
    "adversary": "#6e6e6e",
    "venue": "#c48bd6",
    "other": "#a3957a",
}
ROLE_OPACITY = 0.55
ROLE_WORDS = {"host": "Host", "ally": "Ally", "partner": "Partner", "adversary": "Adversary",
              "venue": "Meeting venue", "other": "Other"}
ROLE_ALIASES = {"named": "other"}  # the word earlier map files used
SOURCE_FIELDS = [("Summary", "summary"), ("Source", "source"), ("Quote", "quote")]
LOCATION_FIELD = ("Location", "precision")  # "approximate (town)" where the point is not the place itself
STATUS_FIELD = ("Status", "status_words")  # said for a planned or former record; a current one says nothing


def status_words(records: pd.DataFrame, locale: str = "en") -> list[str | None]:
    """Each record's status in words for its popup and name ('planned', 'former'); None when current."""
    said = {"planned": say("planned", locale), "former": say("former", locale)}
    return list(map(said.get, records["status"].tolist()))


def each(words: Callable[..., Any], *columns: Iterable[Any]) -> list[Any]:
    """``words`` of each row's values, called once per distinct row: a large map's dates, places and
    countries repeat (or are empty), and a date in words is a CLDR lookup (333,000 dated events took
    75 s one by one, 0.06 s by distinct date)."""
    # a Series as a list by tolist(), the same values as iterating it, three times as fast
    columns = tuple(c.tolist() if isinstance(c, pd.Series) else list(c) for c in columns)
    # one value in every row (a large map's dates, most often None): counted, which compares the one
    # object with itself, at a fifth of hashing every row
    if columns[0] and all(c.count(c[0]) == len(c) for c in columns):
        return [words(*(c[0] for c in columns))] * len(columns[0])
    distinct = [dict.fromkeys(c) for c in columns]
    if len(columns) == 1:
        said = {v: words(v) for v in distinct[0]}
        return list(map(said.__getitem__, columns[0]))
    rows = list(zip(*columns))
    said = {row: words(*row) for row in dict.fromkeys(rows)}
    return list(map(said.__getitem__, rows))


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


def country_name(code: object, locale: str = "en") -> str | None:
    """'KR' as 'South Korea' (in ``locale``: '韓国'), as readers say it; the code when CLDR has no name."""
    return cldr_country_name(code, locale) if isinstance(code, str) and code else None


def gives(series: pd.Series) -> bool:
    """Whether any record gives this field (a value not missing). Without a test of every value where
    the first says so, or where the column is all None, as a field no record gives is: a large map's
    layers ask this of a dozen popup fields each, and pandas' test of 333,333 values took 5 ms a field."""
    values = series.to_numpy()
    if values.dtype == object and len(values):
        if isinstance(values[0], (str, tuple, list)):
            return True
        if unused(values.tolist()):
            return False
    return bool(series.notna().any())


def once(records: pd.DataFrame, popup: list[tuple[str, str]]) -> None:
    """Blank, in place, a popup field that repeats an earlier field's value in the same record
    (Operator and Branch both 'US Army' show once, as Operator); the source fields are left whole."""
    # a field no record gives neither repeats another (None equals nothing here) nor is blanked: left out,
    # so a large map with few fields filled compares a few columns, not every pair of them
    present = [f for pair in popup if pair not in SOURCE_FIELDS and (f := pair[1]) in records
               and gives(records[f])]
    written = records[present]  # compared as written (copy-on-write: blanking records leaves it whole)
    for k, f in enumerate(present[1:], 1):
        earlier = written[present[:k]].eq(written[f], axis=0).any(axis=1)
        repeats = written.loc[earlier, f].map(lambda v: isinstance(v, str) and v != "")
        records.loc[repeats[repeats].index, f] = None


def figure(name: str, country: str | None, troops: object, count: object, locale: str = "en") -> str:
    """A country-level figure in words and numbers: 'About 54,000 US troops' for 'US troops in Japan'
    with 54000 troops, else the name with its number ('US aircraft in Japan: 120'); in another
    language the record's name as written, then the page's own words ('…: etwa 54.000 Soldaten')."""
    counted = troops is not None and troops == troops
    number = troops if counted else count
    if number is None or number != number:
        return name
    if locale != "en":
        words = say("about {count} troops", locale, count=thousands(number, locale))
        return f"{name}: {words if counted else thousands(number, locale)}"
    place = f" in {country}"
    if counted and country and name.endswith(place):
        return f"About {int(number):,} {name[: -len(place)]}"
    return f"{name}: {'about ' if counted else ''}{int(number):,}"


def thousands(n: object, locale: str = "en") -> str | None:
    """54000 as '54,000' (in ``locale``: '54.000', '54 000')."""
    return None if n is None or n != n else number(int(n), locale)
