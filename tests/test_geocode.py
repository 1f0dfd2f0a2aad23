"""Offline geocoding: the gazetteer of installations, then GeoNames cities and countries."""
from __future__ import annotations

import csv

import pytest

from geo.geocode import PlaceError, resolve
from geo.geodesic import distance_km
from geo.gazetteer import INSTALLATIONS

# NAF Atsugi's airfield reference point, from Japan's AIP (independent of the gazetteer's source)
ATSUGI = (35.4546, 139.4500)


def test_gazetteer_ships_at_least_60_sourced_installations_to_four_decimals():
    rows = list(csv.DictReader(INSTALLATIONS.open(encoding="utf-8")))
    assert len(rows) >= 60
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert row["source"].startswith("http"), row["id"]
        assert len(row["lat"].split(".")[1]) == 4 and len(row["lon"].split(".")[1]) == 4, row["id"]
    countries = {r["country"] for r in rows}
    assert {"JP", "KR", "GU", "US", "PH", "AU", "IO"} <= countries


@pytest.mark.parametrize("text", ["NAF Atsugi", "Atsugi", "naval air facility atsugi", "NAF  Atsugi."])
def test_installation_names_and_aliases_resolve_from_the_gazetteer(text):
    place = resolve(text)
    assert place.how == "gazetteer" and place.country == "JP"
    assert distance_km(place.lat, place.lon, *ATSUGI) < 1.0


@pytest.mark.parametrize("text, country, lat, lon", [
    ("Vientiane, Laos", "LA", 17.9667, 102.6),
    ("Manila", "PH", 14.6042, 120.9822),
    ("Tokyo", "JP", 35.6895, 139.6917),
])
def test_cities_resolve_from_geonames(text, country, lat, lon):
    place = resolve(text)
    assert (place.how, place.country) == ("geonames", country)
    assert distance_km(place.lat, place.lon, lat, lon) < 1.0


def test_an_ambiguous_city_lists_its_candidates_and_a_country_hint_narrows_it():
    with pytest.raises(PlaceError) as err:
        resolve("Springfield")
    assert "is ambiguous" in err.value.what and "Springfield, US" in err.value.what
    assert len(err.value.candidates) > 1
    assert "add the country" in err.value.fix
    assert resolve("San Jose", "CR").country == "CR"
    assert resolve("San Jose, Costa Rica").country == "CR"


def test_an_alias_shared_by_two_installations_is_ambiguous():
    with pytest.raises(PlaceError) as err:
        resolve("JBPHH")
    assert len(err.value.candidates) == 2


def test_a_country_hint_that_contradicts_the_record_is_an_error():
    with pytest.raises(PlaceError, match="names country LA but the record's country is JP"):
        resolve("Vientiane, Laos", "JP")


def test_a_country_name_resolves_to_its_label_point():
    place = resolve("Japan")
    assert place.how == "country" and place.country == "JP"
    assert 30 < place.lat < 42 and 130 < place.lon < 142


def test_the_geonames_index_is_cached_and_a_broken_cache_is_rebuilt(tmp_path, monkeypatch):
    from geo import geonames

    monkeypatch.setenv("DEPLOYMAP_CACHE", str(tmp_path))
    geonames._primary_index.cache_clear()
    try:
        assert resolve("Manila").country == "PH"
        [cached] = tmp_path.glob("geonames-*-cities15000.json")
        assert cached.stat().st_size > 500_000
        cached.write_text("{not json", encoding="utf-8")
        geonames._primary_index.cache_clear()
        assert resolve("Manila").country == "PH"  # rebuilt from the package's data
        assert cached.read_text(encoding="utf-8").startswith("[[")
    finally:
        geonames._primary_index.cache_clear()
