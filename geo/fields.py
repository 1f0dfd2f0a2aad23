"""The record model: each field's parser, turning a value as written into a typed value or a problem."""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from operator import itemgetter
from typing import Any, Callable

from geo import dates
from geo.errors import FieldError

KINDS = ("base", "deployment", "command", "event")
MAX_WHOLE = 10**12  # troops and counts: past this a value is a typo, and the page's numbers stop being exact
MAX_RANGE_KM = 20_038  # half the equator: a ring any wider wraps the globe
LIST_SEPARATOR = ";"


def text(value: Any) -> str:
    """A plain scalar as stripped text."""
    if isinstance(value, (dict, list)):
        raise FieldError(f"is a {'mapping' if isinstance(value, dict) else 'list'}", "give a plain value")
    if isinstance(value, (set, frozenset, tuple, bytes, bytearray)):  # YAML's !!set, !!binary, !!omap
        raise FieldError(f"is a {type(value).__name__}", "give a plain value, without a !! tag")
    if isinstance(value, float) and not math.isfinite(value):
        raise FieldError(f"is {value}", "give a text value")
    return str(value).strip()


_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def slug(value: Any) -> str:
    """An id: letters, digits, '.', '_' and '-', no spaces."""
    out = text(value)
    if not _SLUG.match(out):
        raise FieldError(f"{out!r} is not a slug", "use letters, digits and hyphens, e.g. naf-atsugi")
    return out


def kind(value: Any) -> str:
    """One of the record kinds."""
    out = text(value).lower()
    if out not in KINDS:
        raise FieldError(f"{text(value)!r} is not a record kind", f"use one of {', '.join(KINDS)}")
    return out


_DMS = re.compile(
    r"""^\s*([NSEW])?\s*(\d+(?:\.\d+)?)\s*(?:°|º|d|\s)\s*
        (?:(\d+(?:\.\d+)?)\s*(?:'|′|’|m)?\s*)?
        (?:(\d+(?:\.\d+)?)\s*(?:"|″|''|s)?\s*)?([NSEW])?\s*$""",
    re.X | re.I,
)


def degrees(value: Any, hemispheres: str) -> float:
    """Decimal degrees from a number, a decimal string or a degrees-minutes-seconds string."""
    if isinstance(value, bool):
        raise FieldError(f"is {value}", "give decimal degrees, e.g. 35.4546")
    if isinstance(value, (int, float)):
        number = math.inf if abs(value) >= 1e300 else float(value)  # float() of a huge int overflows
    else:
        raw = text(value)
        try:
            number = float(raw)
        except ValueError:
            number = _dms(raw, hemispheres)
    if not math.isfinite(number):
        raise FieldError(f"is {number}", "give decimal degrees, e.g. 35.4546")
    return number


def _dms(raw: str, hemispheres: str) -> float:
    match = _DMS.match(raw)
    if not match or not (match.group(3) or match.group(1) or match.group(5)):
        raise FieldError(f"{raw!r} is not a coordinate", "give decimal degrees (35.4546) or "
                         "degrees-minutes-seconds (35°27′17″N)")
    lead, deg, minutes, seconds, trail = match.groups()
    hemi = (lead or trail or "").upper()
    if hemi and hemi not in hemispheres:
        raise FieldError(f"{raw!r} has hemisphere {hemi}", f"use {' or '.join(hemispheres)} here")
    if float(minutes or 0) >= 60 or float(seconds or 0) >= 60:
        raise FieldError(f"{raw!r} has minutes or seconds of 60 or more", "check the coordinate")
    number = float(deg) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
    return -number if hemi in ("S", "W") else number


def latitude(value: Any) -> float:
    """Degrees north."""
    return degrees(value, "NS")


def longitude(value: Any) -> float:
    """Degrees east."""
    return degrees(value, "EW")


def country(value: Any) -> str:
    """An ISO 3166-1 alpha-2 code known to GeoNames."""
    from geo.geonames import country_names

    out = text(value).upper()
    if out not in country_names():
        raise FieldError(f"{text(value)!r} is not an ISO 3166-1 alpha-2 code",
                         "use two letters, e.g. JP, US, PH")
    return out


def whole(value: Any) -> int:
    """A non-negative whole number; thousands commas are allowed (54,000)."""
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        raise FieldError(f"is {value}", "give a whole number, e.g. 54000")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,3}(,\d{3})+\s*", value):
        value = value.replace(",", "")
    try:
        number = int(text(value)) if not isinstance(value, int) else value
    except ValueError:
        raise FieldError(f"{text(value)[:40]!r} is not a whole number", "give a whole number, e.g. 54000") from None
    if number < 0:
        raise FieldError(f"{number} is negative", "give zero or more")
    if number > MAX_WHOLE:
        raise FieldError(f"{str(number)[:12]}... ({len(str(number))} digits) is too large",
                         f"give a whole number up to {MAX_WHOLE:,}")
    return number


def positive(value: Any) -> float:
    """A distance in kilometres above zero, up to half the equator."""
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if not math.isfinite(number) or number <= 0:
        raise FieldError(f"{text(value)[:40]!r} is not a positive number", "give kilometres, e.g. 1000")
    if number > MAX_RANGE_KM:
        raise FieldError(f"{number:g} km is more than half the equator", f"give at most {MAX_RANGE_KM:,} km")
    return number


def names(value: Any) -> tuple[str, ...]:
    """A list, or text separated by ';'; each in Unicode NFC, so 'café' typed two ways is one tag."""
    items = value if isinstance(value, list) else text(value).split(LIST_SEPARATOR)
    return tuple(t for t in (key(item) for item in items) if t)


def key(value: Any) -> str:
    """Text that groups or selects records (a trip, a tag): stripped and in Unicode NFC."""
    return unicodedata.normalize("NFC", text(value))


# Military symbols: the parsers live beside the codes they check (geo/sidc.py).
def sidc(value: Any) -> str:
    """A 20-digit APP-6(D)/2525D code or a 15-character 2525C letter code, checked position by position."""
    from geo.sidc import validate

    return validate(value)


def echelon(value: Any) -> str:
    """An echelon by name (squad, company, battalion, brigade, division, corps, command...)."""
    from geo.sidc import echelon as parse

    return parse(value)


def affiliation(value: Any) -> str:
    """friend, hostile, neutral or unknown."""
    from geo.sidc import affiliation as parse

    return parse(value)


def status(value: Any) -> str:
    """current, planned or former."""
    from geo.sidc import status as parse

    return parse(value)


SYMBOL_PARSERS: dict[str, Callable[[Any], Any]] = {
    "sidc": sidc, "echelon": echelon, "affiliation": affiliation, "status": status,
}


PARSERS: dict[str, Callable[[Any], Any]] = {
    "id": slug, "kind": kind, "name": text, "place": text, "lat": latitude, "lon": longitude,
    "country": country, "at": slug, "reports_to": slug, "start": dates.parse, "end": dates.parse,
    "announced": dates.parse, "trip": key,
    "branch": text, "troops": whole, "assets": text, "count": whole, "participants": names,
    "range_km": positive, "summary": text, "source": text, "quote": text, "tags": names,
    **SYMBOL_PARSERS,
}
FIELDS = tuple(PARSERS)


def parse_column(field: str, values: Sequence[Any], stripped: bool = False,
                 numbers: list[int | float | None] | None = None) -> tuple[list[Any], list[int]]:
    """Each value of a column parsed as PARSERS[field] parses it, and the rows whose value it refuses.

    A column of text (as a CSV gives it) is parsed a column at a time: text and ids stripped (ids
    matched), coordinates converted at once, any other field once per distinct value; a column
    of other values (YAML, GeoJSON) value by value. None (blank) stays None, as does a refused value:
    its row goes the per-record way (records.parse_row), which names the problem. ``stripped``: every
    value is text that str.strip leaves as it is, or None (geo.readers.Table.stripped), so none is
    stripped again (a million values: 40 ms a column, and 25 ms to learn their types). ``numbers``: the
    values read as plain decimal numbers (geo.readers.Table.numbers), which coordinates and whole numbers
    are taken from.
    """
    parser = PARSERS.get(field, text)
    taken = _given_numbers(parser, numbers) if numbers is not None else None
    if taken is not None:
        return taken
    if not stripped and not set(map(type, values)) <= {str, type(None)}:
        return _one_by_one(parser, values)
    if parser in (text, slug):
        if stripped:
            parsed = list(values)  # its own list: a refused id is blanked here, never in the file's row
        elif None not in values:
            parsed = list(map(str.strip, values))
        else:
            parsed = [None if v is None else v.strip() for v in values]
        return parsed, ([] if parser is text else _unmatched(parsed))
    if parser in (latitude, longitude):
        return _numbers(parser, values, stripped)
    return _by_value(parser, values)


_REFUSED = object()


def _or_refused(parser: Callable[[Any], Any], value: Any) -> Any:
    try:
        return parser(value)
    except FieldError:
        return _REFUSED


def _one_by_one(parser: Callable[[Any], Any], values: Sequence[Any]) -> tuple[list[Any], list[int]]:
    parsed = [None if v is None else _or_refused(parser, v) for v in values]
    refused = [i for i, v in enumerate(parsed) if v is _REFUSED]
    for i in refused:
        parsed[i] = None
    return parsed, refused


def _unmatched(ids: list[str | None]) -> list[int]:
    """The rows of ids (stripped) that are not slugs, which slug() refuses."""
    if None not in ids and _all_slugs(ids):
        return []
    matches = [None if v is None else _SLUG.match(v) for v in ids]
    refused = [i for i, (v, m) in enumerate(zip(ids, matches)) if v is not None and m is None]
    for i in refused:
        ids[i] = None
    return refused


_SLUG_CHARACTERS = dict.fromkeys(map(ord, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"))


def _all_slugs(ids: list[str]) -> bool:
    """Whether every id matches _SLUG, checked over the column's text at once: every character a slug's,
    and every first one a letter or a digit (a million regular-expression matches take a second)."""
    if not ids or min(map(len, ids)) == 0:
        return False
    firsts = "".join(map(itemgetter(0), ids))
    return (firsts.isascii() and firsts.isalnum() and not "".join(ids).translate(_SLUG_CHARACTERS))


def _numbers(parser: Callable[[Any], Any], values: Sequence[Any], stripped: bool) -> tuple[list[Any], list[int]]:
    """Degrees written as plain decimal numbers converted at once; a column with anything else (DMS,
    words) value by value."""
    given = values if None not in values else [v for v in values if v is not None]
    try:
        numbers = list(map(float, given if stripped else map(str.strip, given)))
    except ValueError:
        return _by_value(parser, values)
    if not all(map(math.isfinite, numbers)):
        return _by_value(parser, values)
    if len(given) == len(values):
        return numbers, []
    found = iter(numbers)
    return [None if v is None else next(found) for v in values], []


def _given_numbers(parser: Callable[[Any], Any], numbers: list[int | float | None]) -> tuple[list[Any], list[int]] | None:
    """Coordinates or whole numbers from the plain decimals a column was read as (ints where no value has
    a '.', else floats, each the value int() or float() gives its text, and so the parser's), or None
    where the parser needs the text (any other field; whole() refuses '5.0' as written)."""
    if parser not in (latitude, longitude, whole):
        return None
    given = numbers if None not in numbers else [v for v in numbers if v is not None]
    decimal = bool(given) and isinstance(given[0], float)
    if parser is not whole:
        return (list(numbers) if decimal else [None if v is None else float(v) for v in numbers]), []
    if decimal:
        return None
    if not given or (min(given) >= 0 and max(given) <= MAX_WHOLE):
        return list(numbers), []
    return _one_by_one(whole, numbers)


def _by_value(parser: Callable[[Any], Any], values: Sequence[str | None]) -> tuple[list[Any], list[int]]:
    """Text values parsed once per distinct value."""
    outs = {v: None if v is None else _or_refused(parser, v) for v in dict.fromkeys(values)}
    parsed = list(map(outs.__getitem__, values))
    refused = [i for i, v in enumerate(parsed) if v is _REFUSED] if any(o is _REFUSED for o in outs.values()) else []
    for i in refused:
        parsed[i] = None
    return parsed, refused
