"""Place text to coordinates, offline: the gazetteer first, then GeoNames cities and countries."""
from __future__ import annotations

import difflib

from geo import gazetteer, geonames
from geo.fields import FieldError
from geo.geonames import Place
from geo.names import normalise

DOMINANT = 10  # a city ten times the size of its namesakes is the one a story means


class PlaceError(FieldError):
    """A place that resolves to nothing, or to more than one thing; carries the candidates."""

    def __init__(self, what: str, fix: str, candidates: list[Place] | list[str]):
        super().__init__(what, fix)
        self.candidates = candidates


def split_hint(text: str) -> tuple[str, str | None]:
    """'Vientiane, Laos' -> ('Vientiane', 'LA'); text without a country after its last comma is kept whole."""
    head, sep, tail = text.rpartition(",")
    if sep and head.strip():
        code = geonames.country_code(tail)
        if code:
            return head.strip(), code
    return text.strip(), None


def resolve(text: str, country: str | None = None, online: bool = False) -> Place:
    """The one place ``text`` names; PlaceError lists the candidates when there are none or several.

    With ``online``, a name unknown offline is asked of the online geocoder (answers cached on disk).
    """
    name, hint = split_hint(text)
    if hint and country and hint != country:
        raise PlaceError(f"{text!r} names country {hint} but the record's country is {country}",
                         "make the two agree", [])
    country = hint or country
    for found in (gazetteer.installations(text, country), gazetteer.installations(name, country)):
        if len(found) == 1:
            return found[0]
        if found:
            raise _ambiguous(text, found)
    found = geonames.cities(name, country)
    if found:
        top = found[0]
        if (len(found) == 1 or geonames.is_capital(top)
                or top.population >= DOMINANT * max(found[1].population, 1)):
            return top
        raise _ambiguous(text, found)
    code = geonames.country_code(name)
    if code and country in (None, code):
        from geo.countries import label_point  # late: it loads geopandas, which `deploymap geocode` rarely needs

        lon, lat = label_point(code)
        return Place(geonames.country_names()[code], code, lat, lon, how="country")
    known = {**geonames.city_names(), **gazetteer.names()}
    close = [known[k] for k in difflib.get_close_matches(normalise(name), known, n=4, cutoff=0.75)]
    hint_text = f" in {country}" if country else ""
    if online:
        return _online(text, name, country, hint_text, close)
    advice = "give lat and lon, or --online to ask the online geocoder"
    raise PlaceError(f"{text!r} is not in the gazetteer or GeoNames{hint_text}",
                     f"did you mean {', '.join(repr(c) for c in close)}? Otherwise {advice}" if close
                     else advice, close)


def _online(text: str, name: str, country: str | None, hint_text: str, close: list[str]) -> Place:
    from geo.online import lookup

    try:
        place = lookup(name, country)
    except OSError as err:
        raise PlaceError(f"{text!r} is not known offline and {err}", "check the network, or give lat and lon",
                         close) from None
    if place is None:
        raise PlaceError(f"{text!r} is not in the gazetteer, GeoNames or the online geocoder{hint_text}",
                         "check the spelling, or give lat and lon", close)
    return place


def _ambiguous(text: str, found: list[Place]) -> PlaceError:
    shown = "; ".join(p.label() for p in found[:6])
    return PlaceError(f"{text!r} is ambiguous: {shown}",
                      "add the country (e.g. 'Name, JP' or a country field) or give lat and lon", found)
