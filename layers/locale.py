"""Numbers, dates, country names and writing direction in the page's language, from Babel's CLDR
data at build time (the page itself formats nothing)."""
from __future__ import annotations

import datetime as dt
from functools import cache

from babel import Locale
from babel.dates import format_date, format_skeleton, get_date_format, get_month_names
from babel.numbers import format_decimal

# deploymap's English is British: '27 July 2024', '27 Jul'
CLDR = {"en": "en_GB"}


@cache
def cldr(locale: str) -> Locale:
    """Babel's locale for one of deploymap's locale names."""
    return Locale.parse(CLDR.get(locale, locale))


def long_date(date: dt.date, locale: str) -> str:
    """A date in full: '27 July 2024', '2024年7月27日'."""
    return format_date(date, format="long", locale=cldr(locale))


def date_pattern(locale: str) -> tuple[str, list[str]]:
    """The long date's CLDR pattern ('d MMMM y') and the twelve month names, for the page's timeline,
    which names any day of its span as ``long_date`` would."""
    names = get_month_names("wide", locale=cldr(locale))
    return get_date_format("long", locale=cldr(locale)).pattern, [names[m] for m in range(1, 13)]


def short_date(date: dt.date, locale: str) -> str:
    """Day and month: '27 Jul', '7月27日'."""
    return format_skeleton("dMMM", date, locale=cldr(locale))


def medium_date(date: dt.date, locale: str) -> str:
    """A date that contains its short form, for names a listener hears: '27 Jul 2024', '2024年7月27日'."""
    return format_skeleton("yMMMd", date, locale=cldr(locale))


def number(n: int | float, locale: str) -> str:
    """A count with the locale's grouping: '54,000', '54.000', '54 000'."""
    if locale == "en" and isinstance(n, int):  # en_GB's whole numbers are Python's: no CLDR data loaded
        return f"{n:,}"
    return format_decimal(n, locale=cldr(locale))


def country_name(code: str, locale: str) -> str:
    """A country's name from its ISO alpha-2 code: 'South Korea', '韓国'; the code when CLDR has none."""
    return cldr(locale).territories.get(code.upper(), code)


def direction(locale: str) -> str:
    """'rtl' for right-to-left scripts (Arabic), else 'ltr': the page's dir attribute."""
    if locale == "en":  # a large map's page says nothing else from CLDR: its 14 ms of data is not loaded
        return "ltr"
    return "rtl" if cldr(locale).character_order == "right-to-left" else "ltr"
