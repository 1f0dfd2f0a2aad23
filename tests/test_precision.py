"""Precision reaches the reader: a point that is a town, a city or a country says it is approximate."""
from __future__ import annotations

from geo.geocode import approximate
from geo.geonames import Place
from geo.records import read_records
from tests.test_browser import popup_of


def test_how_a_point_was_found_decides_what_the_reader_is_told():
    station = Place("Station", "AU", -21.8, 114.1, how="gazetteer", precision="500")
    assert approximate(station) is None
    assert approximate(Place("Camp", "PH", 17.0, 121.8, how="gazetteer", precision="town")) == "approximate (town)"
    assert approximate(Place("Range", "AU", -20.0, 130.0, how="gazetteer", precision="20000")) == \
        "approximate (within 20 km)"
    assert approximate(Place("Tokyo", "JP", 35.7, 139.7)) == "approximate (city)"


def test_the_frame_carries_precision_through_places_at_and_countries(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,kind,name,place,lat,lon,country,at,source\n"
                    "base,base,Atsugi,NAF Atsugi,,,,,s\n"
                    "given,base,Given,,35.0,139.0,,,s\n"
                    "meet,event,Meeting,Tokyo,,,,,s\n"
                    "there,deployment,At the meeting,,,,,meet,s\n"
                    "troops,deployment,Troops,,,,JP,,s\n", encoding="utf-8")
    frame = read_records([path]).set_index("id")
    assert frame["precision"].to_dict() == {"base": None, "given": None, "meet": "approximate (city)",
                                            "there": "approximate (city)", "troops": "approximate (country)"}


def test_a_popup_says_when_a_location_is_approximate(tmp_path, open_page):
    page, popup = popup_of(tmp_path, open_page, "id,kind,name,place,source\nx1,event,Talks,Tokyo,s\n")
    assert "Location" in popup.inner_text() and "approximate (city)" in popup.inner_text()
    page, popup = popup_of(tmp_path, open_page, "id,kind,name,lat,lon,source\nx1,event,Talks,35.6,139.7,s\n")
    assert "Location" not in popup.inner_text()
