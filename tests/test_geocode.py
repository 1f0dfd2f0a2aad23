"""Offline geocoding: the gazetteer of installations, then GeoNames cities and countries."""
from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.errors import RecordError
from geo.geocode import PlaceError, resolve
from geo.geodesic import distance_km
from geo.gazetteer import COLUMNS, INSTALLATIONS, SHARED_KEYS, keys, rows
from geo.names import fold
from geo.records import load_records, read_records
from output.cli import main

# NAF Atsugi's airfield reference point, from Japan's AIP (independent of the gazetteer's source)
ATSUGI = (35.4546, 139.4500)


def test_gazetteer_ships_at_least_60_sourced_installations_to_four_decimals():
    with INSTALLATIONS.open(encoding="utf-8") as f:
        assert next(csv.reader(f)) == list(COLUMNS)
    assert len(rows()) >= 60
    assert len({r["id"] for r in rows()}) == len(rows())
    for row in rows():
        assert row["source"].startswith("http"), row["id"]
        assert row["type"] and row["point"], row["id"]
        assert row["precision"] == "town" or row["precision"].isdigit(), row["id"]
        assert len(row["lat"].split(".")[1]) == 4 and len(row["lon"].split(".")[1]) == 4, row["id"]
    countries = {r["country"] for r in rows()}
    assert {"JP", "KR", "GU", "US", "PH", "AU", "IO"} <= countries


def test_no_two_installations_share_a_name_or_alias_after_folding_unless_listed():
    owners: dict[str, set[str]] = {}
    for row in rows():
        for key in keys(row):
            owners.setdefault(key, set()).add(row["id"])
    shared = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert set(shared) == set(SHARED_KEYS), shared


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
    assert "is ambiguous" in err.value.what and "Springfield, US (city, Missouri, pop. 170,188" in err.value.what
    assert len(err.value.candidates) > 1
    with pytest.raises(PlaceError) as err:
        resolve("San Jose")
    assert "add the country (CR or PH or US)" in err.value.fix
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
        [cached] = tmp_path.glob("geonames-*-cities15000-*.json")
        assert cached.stat().st_size > 500_000
        cached.write_text("{not json", encoding="utf-8")
        geonames._primary_index.cache_clear()
        assert resolve("Manila").country == "PH"  # rebuilt from the package's data
        assert cached.read_text(encoding="utf-8").startswith("[[")
    finally:
        geonames._primary_index.cache_clear()


# ---------------------------------------------------------------- folding

@given(st.text(min_size=1))
@settings(max_examples=500, deadline=None)
def test_a_name_with_anything_but_spaces_never_folds_to_an_empty_key(name):
    assert fold(name) != "" or not name.strip()


@pytest.mark.parametrize("a, b", [
    ("Mactan-Benito Ebuen Air Base", "Mactan–Benito Ebuen Air Base"),  # hyphen, en dash
    ("Joint Base Pearl Harbor-Hickam", "Joint Base Pearl Harbor—Hickam"),  # em dash
    ("Pearl Harbor‐Hickam", "Pearl Harbor−Hickam"),  # Unicode hyphen, minus sign
    ("ＮＡＦ　Ａｔｓｕｇｉ", "NAF Atsugi"),  # full-width forms and an ideographic space
    ("Malacañang", "MALACANANG"),
    ("Lumbia AB", "Lumbia Air Base"), ("Andersen AFB", "Andersen Air Force Base"),
    ("NAS Whidbey", "Naval Air Station Whidbey"), ("NAF Atsugi", "Naval Air Facility Atsugi"),
    ("MCAS Iwakuni", "Marine Corps Air Station Iwakuni"), ("MCB Camp Blaz", "Marine Corps Base Camp Blaz"),
    ("JB Pearl Harbor", "Joint Base Pearl Harbor"), ("CFA Yokosuka", "Commander Fleet Activities Yokosuka"),
    ("Cp Casey", "Camp Casey"), ("Ft. Shafter", "Fort Shafter"), ("NB Guam", "Naval Base Guam"),
    ("Lumbia Airport", "Lumbia Airfield"),
])
def test_spellings_a_reader_would_not_notice_fold_alike(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize("name", ["嘉手納飛行場", "캠프 험프리스", "車力通信所", "가데나", "がでな"])
def test_japanese_korean_and_chinese_names_keep_their_characters(name):
    assert fold(name) == unicodedata.normalize("NFC", name)
    assert fold("が") != fold("か")  # a voicing mark changes the word: only Latin accents are dropped


def test_an_empty_name_matches_nothing():
    from geo import gazetteer

    assert gazetteer.installations("") == [] and gazetteer.installations("  ") == []
    assert fold("—") == "—" and gazetteer.installations("—") == []


# ---------------------------------------------------------------- the cases of issue 9, one by one

def geocode(*args: str):
    return CliRunner().invoke(main, ["geocode", *args])


def check(path: Path, *args: str):
    return CliRunner().invoke(main, ["check", str(path), *args])


def one_record(tmp_path: Path, place: str, country: str = "") -> Path:
    path = tmp_path / "r.csv"
    path.write_text(f"id,kind,name,place,country,source\nr,base,R,\"{place}\",{country},A source\n",
                    encoding="utf-8")
    return path


RESOLVED = [  # query, country, the installation, its country
    ("嘉手納飛行場", "", "Kadena Air Base", "JP"),
    ("캠프 험프리스", "", "Camp Humphreys", "KR"),
    ("Mactan-Benito Ebuen Air Base", "", "Mactan–Benito Ebuen Air Base", "PH"),
    ("Joint Base Pearl Harbor-Hickam", "", "Joint Base Pearl Harbor–Hickam", "US"),
    ("Lumbia AB", "", "Lumbia Airfield", "PH"),
    ("USFK", "", "Camp Humphreys", "KR"),
    ("INDOPACOM", "", "Camp H. M. Smith", "US"),
    ("Clark", "", "Clark Air Base", "PH"),
    ("Tinian", "", "Tinian International Airport", "MP"),
    ("Camp Melchor Dela Cruz, Gamu, Isabela", "", "Camp Melchor F. dela Cruz", "PH"),
    ("Camp Melchor Dela Cruz, Gamu, Isabela, Philippines", "PH", "Camp Melchor F. dela Cruz", "PH"),
    ("Exmouth", "AU", "Naval Communication Station Harold E. Holt", "AU"),
    ("Atsugi", "", "Naval Air Facility Atsugi", "JP"),  # the installation beats Atsugi city, a few km away
]


@pytest.mark.parametrize("query, country, name, code", RESOLVED)
def test_names_as_people_write_them_resolve_in_the_library(query, country, name, code):
    place = resolve(query, country or None)
    assert (place.name, place.country, place.how) == (name, code, "gazetteer")


@pytest.mark.parametrize("query, country, name, code", RESOLVED)
def test_names_as_people_write_them_resolve_through_geocode_and_check(tmp_path, query, country, name, code):
    result = geocode(query, *(["--country", country] if country else []))
    assert result.exit_code == 0, result.output
    assert f"{query}: {name}, {code} " in result.output
    checked = check(one_record(tmp_path, query, country))
    assert checked.exit_code == 0, checked.output
    assert "1 record in 1 file, all valid" in checked.output


FAILS = [  # query, country, what the error must say, what it must never say
    ("Gamu", "", "another name of Jammu, IN (city, pop. 576,198", "Jammu, IN  32"),
    ("Gamu", "PH", "Camp Melchor F. dela Cruz, PH (army base", "Jammu"),
    ("Exmouth", "", "'Exmouth' is ambiguous: Naval Communication Station Harold E. Holt, AU "
                    "(communications station", "Exmouth, GB  50"),
    ("San Jose", "PH", "San Jose, PH (city, pop. 143,495, 249 km S of Manila", "add the country"),
    ("Camp Melchor Dela Cruz, Tokyo", "", "but 'Tokyo' is in JP", "(gazetteer)"),
    ("嘉手納空港", "", "is not in the gazetteer or GeoNames", "Shariki"),
    ("캠프", "", "is not in the gazetteer or GeoNames", "Shariki"),
    ("JBPHH", "", "Hickam Field, US (air base", "(gazetteer)"),
    ("Kadena", "KR", "'Kadena' is not in KR; it names Kadena Air Base, JP (air base", "(gazetteer)"),
    ("Exmouth", "PH", "'Exmouth' is not in PH; it names Naval Communication Station Harold E. Holt, AU", "(geonames)"),
]


@pytest.mark.parametrize("query, country, says, never", FAILS)
def test_anything_weaker_than_an_exact_match_is_an_error_with_candidates(tmp_path, query, country, says, never):
    with pytest.raises(PlaceError) as err:
        resolve(query, country or None)
    assert says in f"{err.value.what}; {err.value.fix}"
    result = geocode(query, *(["--country", country] if country else []))
    assert result.exit_code == 1 and says in result.output and never not in result.output
    checked = check(one_record(tmp_path, query, country))
    assert checked.exit_code == 1 and "r.csv:2: place: " in checked.output and says in checked.output


def test_exmouth_without_a_country_names_both_countries_and_san_jose_in_ph_does_not_ask_for_one():
    with pytest.raises(PlaceError) as err:
        resolve("Exmouth")
    assert "add the country (AU or GB)" in err.value.fix
    assert {p.country for p in err.value.candidates} == {"AU", "GB"}
    with pytest.raises(PlaceError) as err:
        resolve("San Jose", "PH")
    assert "country" not in err.value.fix and len(err.value.candidates) == 3


def test_suggestions_name_each_installation_once():
    with pytest.raises(PlaceError) as err:
        resolve("INDOPACOM H Q")
    assert err.value.candidates.count("Camp H. M. Smith") == 1
    with pytest.raises(PlaceError) as err:
        resolve("Mactan Benito Ebuen Airbase")
    assert [c for c in err.value.candidates if "Mactan" in c] == ["Mactan–Benito Ebuen Air Base"]


# ---------------------------------------------------------------- a point must sit in its country

def test_a_point_in_another_country_is_an_error_with_the_distance(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,kind,name,lat,lon,country,source\n"
                    "seoul,base,Not in Japan,37.5,127.0,JP,s\n"
                    "naha,base,Naha,26.1958,127.6460,JP,s\n"
                    "pier,base,A pier just off the coast,35.29,139.70,JP,s\n", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        read_records([path])
    [problem] = err.value.problems
    assert (problem.where, problem.field) == ("2", "country")
    assert "is 383 km outside JP (Japan), in KR (South Korea)" in problem.what
    result = check(path)
    assert result.exit_code == 1 and "r.csv:2: country: the point of lat/lon (37.5000, 127.0000)" in result.output


def test_a_point_at_sea_far_from_its_country_is_a_warning_and_strict_makes_it_an_error(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,kind,name,lat,lon,country,source\niwo,base,Iwo To,24.784,141.323,JP,s\n",
                    encoding="utf-8")
    [warning] = load_records([path]).warnings
    assert warning.field == "country" and "at sea or on an island too small for the base map" in warning.what
    assert check(path).exit_code == 0
    assert check(path, "--strict").exit_code == 1


def test_checking_100000_points_against_their_countries_is_one_vectorised_pass():
    import numpy as np

    from geo.countries import km_outside

    rng = np.random.default_rng(9)
    lons, lats = rng.uniform(129, 142, 100_000), rng.uniform(31, 41, 100_000)
    away = km_outside(["JP"] * len(lons), lons, lats)
    assert away.shape == (100_000,) and (away == 0).any() and (away > 25).any()


# ---------------------------------------------------------------- deploymap gazetteer

def gazetteer_cli(*args: str):
    return CliRunner().invoke(main, ["gazetteer", *args])


def test_gazetteer_lists_every_installation_in_a_stable_order():
    first, again = gazetteer_cli(), gazetteer_cli()
    assert first.exit_code == 0 and first.output == again.output
    lines = first.output.splitlines()
    assert lines[0].split() == ["id", "name", "country", "type", "lat", "lon", "precision", "how", "match"]
    assert len(lines) == 1 + len(rows())
    philippines = gazetteer_cli("--country", "ph").output.splitlines()[1:]
    assert philippines and all("  PH  " in line for line in philippines)
    assert any(line.startswith("camp-melchor-dela-cruz ") for line in philippines)


def test_gazetteer_search_shows_installations_and_geonames_and_how_each_matched():
    table = gazetteer_cli("Exmouth").output.splitlines()
    assert table[1].split()[0] == "ncs-harold-e-holt" and table[1].rstrip().endswith("gazetteer  name")
    assert "Exmouth" in table[2] and "  GB  " in table[2] and table[2].rstrip().endswith("geonames   name")
    gamu = list(csv.DictReader(gazetteer_cli("Gamu", "--format", "csv").output.splitlines()))
    assert [(r["name"], r["how"], r["match"]) for r in gamu] == [
        ("Camp Melchor F. dela Cruz", "gazetteer", "in a name"), ("Jammu", "geonames", "other name")]
    assert gamu[1]["population"] == "576198"


def test_gazetteer_writes_geojson_points():
    import json

    data = json.loads(gazetteer_cli("Tinian", "--format", "geojson").output)
    [feature] = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [145.6194, 14.9992]}
    assert feature["properties"]["id"] == "tinian-airport" and feature["properties"]["type"] == "airport"


def test_gazetteer_says_when_nothing_is_known_and_refuses_a_bad_country():
    result = gazetteer_cli("Nowhereville Xyzzy")
    assert result.exit_code == 1 and "nothing known offline for 'Nowhereville Xyzzy'" in result.output
    result = gazetteer_cli("--country", "XX")
    assert result.exit_code == 2 and "'XX' is not an ISO 3166-1 alpha-2 code" in result.output
