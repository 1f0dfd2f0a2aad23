"""Dates as sources give them: ISO 8601 calendar dates of full or reduced precision ('2024-07-28',
'2024-07', '2023'), kept as written, each standing for the interval of days it covers.

``valid_on`` is the one rule for whether a record holds on a day: the build's ``as_of`` uses it, and
the page's timeline mirrors it.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from geo.errors import FieldError

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
FIX = "write it as YYYY-MM-DD, e.g. 2024-07-28 (or YYYY-MM, or YYYY, when the source gives no day)"


def parse(value: Any) -> str:
    """An ISO 8601 date of any precision, checked and returned as ISO text ('2024', '2024-07', '2024-07-28')."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # YAML reads `start: 2023` as a number
    if not isinstance(value, str):
        raise FieldError(f"{value!r} is not an ISO 8601 date", FIX)
    raw = value.strip()
    match = _ISO.fullmatch(raw)
    if not match:
        raise FieldError(f"{raw!r} is not an ISO 8601 date", FIX)
    year, month, day = (int(g) if g else None for g in match.groups())
    if year == 0:
        raise FieldError(f"{raw!r} is not a calendar date", "there is no year 0000: check the year")
    try:
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise FieldError(f"{raw!r} is not a calendar date", "check the month and day") from None
    return raw


def interval(iso: str) -> tuple[dt.date, dt.date]:
    """The first and last day a date stands for: '2024-07' is 1 to 31 July 2024."""
    parts = [int(p) for p in iso.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = parts[1]
    if len(parts) == 2:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = dt.date(year, month, parts[2])
    return day, day


def _day(day: str | dt.date) -> dt.date:
    return day if isinstance(day, dt.date) else dt.date.fromisoformat(day)


def valid_on(start: str | None, end: str | None, day: str | dt.date, announced: str | None = None) -> bool:
    """Whether a record from ``start`` to ``end`` (either may be missing) is on the map on ``day``.

    It is unless it starts after the day or ended before it, each date taken as the whole interval
    it stands for: a deployment from 2024-07 holds on 2024-07-15, one that ended in 2023 does not hold
    on 2024-01-01. Events have only a start, so an 'as of' map shows those that have happened. A
    change ``announced`` before it starts is on the map from its announcement, as planned (status_on).
    """
    when = _day(day)
    begins = min((interval(d)[0] for d in (start, announced) if d), default=None)
    return (begins is None or begins <= when) and (not end or when <= interval(end)[1])


def status_on(status: str | None, start: str | None, day: str | dt.date) -> str:
    """A record's status on ``day``: as its record writes it, else planned until it starts, else current."""
    if status:
        return status
    return "planned" if start and interval(start)[0] > _day(day) else "current"


def ends_before(end: str, start: str) -> bool:
    """Whether ``end`` is wholly before ``start`` (2024-06 ends before 2024-07-28; 2024-07 does not)."""
    return interval(end)[1] < interval(start)[0]


def words(iso: str) -> str:
    """A date as written, in words: '2023', 'July 2024', '27 July 2024'."""
    first, _ = interval(iso)
    return {1: f"{first.year}", 2: f"{first:%B} {first.year}"}.get(iso.count("-") + 1,
                                                                   f"{first.day} {first:%B} {first.year}")


def short(iso: str) -> str:
    """A date as a badge: '2023', 'Jul 2024', '28 Jul'."""
    first, _ = interval(iso)
    return {1: f"{first.year}", 2: f"{first:%b} {first.year}"}.get(iso.count("-") + 1, f"{first.day} {first:%b}")
