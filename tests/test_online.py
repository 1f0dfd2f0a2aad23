"""The online geocoder: only with --online, answers kept on disk, and a clear error offline."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from geo.errors import RecordError
from geo.records import read_records
from output.cli import main


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("DEPLOYMAP_CACHE", str(folder))
    monkeypatch.setenv("DEPLOYMAP_NOMINATIM", "127.0.0.1:9")  # nothing listens there: no request leaves
    return folder


def records(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,kind,name,place\nx,event,Talks,Camp Nowhere\n", encoding="utf-8")
    return path


def test_an_unknown_place_never_goes_online_without_the_flag(tmp_path, cache):
    with pytest.raises(RecordError) as err:
        read_records([records(tmp_path)])
    assert "or --online to ask the online geocoder" in str(err.value)
    assert not (cache / "online-geocode.json").exists()


def test_a_cached_online_answer_is_used_and_recorded_as_online(tmp_path, cache):
    cache.mkdir()
    (cache / "online-geocode.json").write_text(json.dumps({"Camp Nowhere|": ["Camp Nowhere", "PH", 15.1, 120.5]}))
    frame = read_records([records(tmp_path)], online=True)
    assert frame.loc[0, "resolved"] == "online"
    assert (frame.loc[0, "lat"], frame.loc[0, "lon"], frame.loc[0, "country"]) == (15.1, 120.5, "PH")
    result = CliRunner().invoke(main, ["geocode", "--online", "Camp Nowhere"])
    assert result.exit_code == 0
    assert "Camp Nowhere: Camp Nowhere, PH  15.1000, 120.5000  (online)" in result.output


def test_an_unreachable_geocoder_is_a_clear_error(tmp_path, cache):
    result = CliRunner().invoke(main, ["check", "--online", str(records(tmp_path))])
    assert result.exit_code == 1
    assert ("place: 'Camp Nowhere' is not known offline and the online geocoder did not answer "
            "(GeocoderUnavailable); check the network, or give lat and lon") in result.output
