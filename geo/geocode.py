"""Place text to coordinates, offline: the gazetteer first, then GeoNames cities and countries.

A name resolves only on an exact match after folding (geo.names.fold) of an installation's name,
alias or id, or of a city's main name, within the record's country when one is given. Anything
weaker is an error that lists the candidates with what tells them apart.
"""
from __future__ import annotations

import difflib
import math

from geo import gazetteer, geonames
from geo.errors import FieldError
from geo.geodesic import distance_km
from geo.geonames import Place
from geo.names import fold

DOMINANT = 10  # a city ten times the size of its namesakes is the one a story means
NEAR_KM = 30  # an installation this close to a same-named city is named for it (NAF Atsugi, Atsugi)
COARSE_M = 5000  # a gazetteer point less precise than this is shown to readers as approximate
SHOWN = 8  # candidates listed in one message
_COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


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
    found = _exact(text, name, country) or _head_of(text, name, country)
    if found:
        return found
    code = geonames.country_code(name)
    if code and country in (None, code):
        from geo.countries import label_point  # late: it loads geopandas, which `deploymap geocode` rarely needs

        lon, lat = label_point(code)
        return Place(geonames.country_names()[code], code, lat, lon, how="country")
    elsewhere = _unique(gazetteer.installations(text) or gazetteer.installations(name)) + geonames.cities(name)
    if elsewhere:
        raise PlaceError(f"{text!r} is not in {country}; it names {_listed(elsewhere, country)}",
                         "check the record's country, or give lat and lon", elsewhere)
    return _unknown(text, name, country, online)


def _exact(text: str, name: str, country: str | None) -> Place | None:
    """The place an exact folded match names in ``country``; PlaceError when it names several."""
    every = _unique(gazetteer.installations(text) or gazetteer.installations(name))
    cities = geonames.cities(name)
    here = [p for p in every if country in (None, p.country)]
    towns = [c for c in cities if country in (None, c.country)]
    if len(here) == 1:
        rivals = [c for c in towns if c.country != here[0].country or _km(c, here[0]) > NEAR_KM]
        if not rivals:
            return here[0]
        raise _ambiguous(text, [here[0], *rivals], country)
    if here:
        raise _ambiguous(text, here, country)
    if towns:
        top = towns[0]
        if (len(towns) == 1 or geonames.is_capital(top)
                or top.population >= DOMINANT * max(towns[1].population, 1)):
            return top
        raise _ambiguous(text, towns, country)
    return None


def _head_of(text: str, name: str, country: str | None) -> Place | None:
    """'Camp X, Town, Province': the place before the first comma, if the rest does not contradict it."""
    head, sep, rest = name.partition(",")
    if not sep or not head.strip():
        return None
    found = _exact(head.strip(), head.strip(), country)
    if found is None:
        return None
    for part in (p.strip() for p in rest.split(",") if p.strip()):
        clash = _contradiction(part, found)
        if clash:
            raise PlaceError(f"{text!r}: {head.strip()!r} is {describe(found)}, but {part!r} {clash}",
                             "correct the place, or give lat and lon", [found])
    return found


def _contradiction(part: str, found: Place) -> str | None:
    """How a trailing locality contradicts a place: it names another country, or a town known only elsewhere."""
    code = geonames.country_code(part)
    if code:
        return None if code == found.country else f"names country {code}"
    towns = geonames.cities(part) or gazetteer.installations(part)
    if towns and all(t.country != found.country for t in towns):
        return f"is in {', '.join(sorted({t.country for t in towns}))}"
    return None


def _unknown(text: str, name: str, country: str | None, online: bool) -> Place:
    """Nothing matched exactly: the near misses (other names of cities, similar names) as candidates."""
    hint_text = f" in {country}" if country else ""
    others = geonames.also_called(name, country)
    mentions = [p for p in gazetteer.mentioning(name) if country in (None, p.country)]
    known = {**geonames.city_names(), **gazetteer.names()}
    close = list(dict.fromkeys(known[k] for k in difflib.get_close_matches(fold(name), known, n=6, cutoff=0.75)))
    if online:
        return _online(text, name, country, hint_text, close)
    what = f"{text!r} is not in the gazetteer or GeoNames{hint_text}"
    advice = "give lat and lon, or --online to ask the online geocoder"
    near = ([f"installations named with it: {_listed(mentions, country)}"] if mentions else []) + (
        [f"it is another name of {_listed(others, country)}"] if others else [])
    if near:
        raise PlaceError(f"{what} ({'; '.join(near)})",
                         f"write the name as listed if you mean one of them; otherwise {advice}",
                         _unique(mentions + others))
    raise PlaceError(what, f"did you mean {', '.join(repr(c) for c in close)}? Otherwise {advice}" if close
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


def _ambiguous(text: str, found: list[Place], country: str | None) -> PlaceError:
    found = _unique(found)
    countries = sorted({p.country for p in found})
    if len(countries) > 1 and not country:
        fix = f"add the country ({' or '.join(countries)}) as a country field or 'Name, CC', or give lat and lon"
    elif any(p.how == "gazetteer" for p in found):
        fix = "use the installation's full name or id, or give lat and lon"
    else:
        fix = "give the lat and lon of the one you mean, or the name of a place unique to it"
    return PlaceError(f"{text!r} is ambiguous: {_listed(found, country)}", fix, found)


def _unique(places: list[Place]) -> list[Place]:
    """One candidate per installation or city, in order."""
    return list({(p.ident or p.name, p.country, p.lat, p.lon): p for p in places}.values())


def _listed(places: list[Place], country: str | None) -> str:
    shown = "; ".join(describe(p, country) for p in places[:SHOWN])
    return shown + (f"; and {len(places) - SHOWN} more" if len(places) > SHOWN else "")


def describe(place: Place, country: str | None = None) -> str:
    """A candidate with what tells it apart: type or population, where in its country, and its point."""
    facts = [place.kind or "installation"] if place.how == "gazetteer" else ["city"]
    if place.operator:
        facts.append(place.operator)
    if geonames.admin_name(place):
        facts.append(geonames.admin_name(place))
    if place.population:
        facts.append(f"pop. {place.population:,}")
    capital = geonames.capital(place.country)
    if capital and place.how != "gazetteer" and _km(place, capital) >= 1:
        facts.append(f"{_km(place, capital):,.0f} km {_bearing(capital, place)} of {capital.name}")
    if country and place.country != country:
        home = geonames.capital(country)
        if home:
            facts.append(f"{_km(place, home):,.0f} km from {home.name}, {country}")
    return f"{place.name}, {place.country} ({', '.join(facts)}; {place.lat:.4f}, {place.lon:.4f})"


def known(query: str | None = None, country: str | None = None) -> list[tuple[Place, str]]:
    """What the offline geocoder knows, each with how it matched: every installation (match ''), or
    with ``query`` the installations and cities it names ('name'), the installations it is part of a
    name of ('in a name'), and the cities it is another name of ('other name')."""
    if not query or not query.strip():
        every = [gazetteer.place(row) for row in gazetteer.rows()]
        return [(p, "") for p in sorted((p for p in every if country in (None, p.country)),
                                        key=lambda p: (p.country, p.name, p.ident))]
    found = [(p, "name") for p in gazetteer.installations(query, country) + geonames.cities(query, country)]
    found += [(p, "in a name") for p in gazetteer.mentioning(query) if country in (None, p.country)]
    found += [(p, "other name") for p in geonames.also_called(query, country)]
    firsts = _unique([p for p, _ in found])
    return [(p, next(how for q, how in found if q == p)) for p in firsts]


def approximate(place: Place) -> str | None:
    """What a reader should be told about a point that is not the installation itself, or None."""
    if place.how == "gazetteer":
        if place.precision == "town":
            return "approximate (town)"
        if place.precision.isdigit() and int(place.precision) > COARSE_M:
            return f"approximate (within {int(place.precision) / 1000:g} km)"
        return None
    return {"geonames": "approximate (city)", "country": "approximate (country)"}.get(place.how)


def _km(a: Place, b: Place) -> float:
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def _bearing(origin: Place, to: Place) -> str:
    """The compass point (of eight) from one place to another, on a flat approximation good enough for words."""
    east = (to.lon - origin.lon) * math.cos(math.radians((to.lat + origin.lat) / 2))
    angle = math.degrees(math.atan2(east, to.lat - origin.lat)) % 360
    return _COMPASS[round(angle / 45) % 8]
