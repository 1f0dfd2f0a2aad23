"""Records files of every format to one validated GeoDataFrame."""
from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo.errors import RecordError
from geo.records import read_records
from tests.conftest import SEEDS


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(paths) -> list[str]:
    with pytest.raises(RecordError) as err:
        read_records(paths)
    return [str(p) for p in err.value.problems]


def test_seed_records_load_as_one_geodataframe_in_wgs84():
    frame = read_records([SEEDS / "records"])
    assert isinstance(frame, gpd.GeoDataFrame)
    assert frame.crs.to_epsg() == 4326
    assert len(frame) == 15
    assert set(frame["kind"]) == {"base", "deployment", "command", "event"}
    assert frame.loc[frame["id"] == "naf-atsugi", "resolved"].item() == "gazetteer"
    assert frame.loc[frame["id"] == "hsm-51-atsugi", "resolved"].item() == "at"
    assert frame.loc[frame["id"] == "us-troops-japan", "resolved"].item() == "country"
    assert frame.loc[frame["id"] == "us-troops-japan", "troops"].item() == 54000
    vientiane = frame.loc[frame["id"] == "blinken-wang-vientiane"].iloc[0]
    assert vientiane["resolved"] == "geonames" and vientiane["country"] == "LA"
    assert vientiane["participants"] == ("Antony Blinken", "Wang Yi")
    assert vientiane["start"] == "2024-07-27"


def test_csv_reader_keeps_unknown_columns_and_lines(tmp_path):
    path = write(tmp_path, "r.csv", "id,kind,name,lat,lon,unit_code\nx1,base,Somewhere,35.1,139.2,ABC-7\n")
    frame = read_records([path])
    assert frame.loc[0, "unit_code"] == "ABC-7"
    assert frame.loc[0, "origin"] == f"{path}:2"
    assert frame.loc[0, "resolved"] == "given"
    assert frame.geometry[0].equals(shapely.Point(139.2, 35.1))


def test_yaml_reader_uses_safe_load_semantics_and_lines(tmp_path):
    path = write(tmp_path, "r.yaml", "# comment\n- id: e1\n  kind: event\n  name: Talks\n  lat: 14.6\n  lon: 121.0\n"
                                     "  start: 2024-07-30\n  participants: [A, B]\n")
    frame = read_records([path])
    assert frame.loc[0, "origin"] == f"{path}:2"
    assert frame.loc[0, "start"] == "2024-07-30"
    assert frame.loc[0, "participants"] == ("A", "B")


def test_geojson_reader_takes_location_from_the_geometry(tmp_path):
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [144.93, 13.58]},
         "properties": {"id": "g1", "kind": "base", "name": "Guam strip", "source": "test"}}]}
    path = write(tmp_path, "r.geojson", json.dumps(data))
    frame = read_records([path])
    assert (frame.loc[0, "lat"], frame.loc[0, "lon"]) == (13.58, 144.93)
    assert frame.loc[0, "origin"] == f"{path}:feature 1"


def test_geopackage_reader_via_pyogrio(tmp_path):
    path = tmp_path / "r.gpkg"
    gpd.GeoDataFrame({"id": ["k1"], "kind": ["base"], "name": ["Kadena"], "troops": [18000]},
                     geometry=[shapely.Point(127.7675, 26.3556)], crs="EPSG:4326").to_file(path)
    frame = read_records([path])
    assert frame.loc[0, "troops"] == 18000 and frame.loc[0, "resolved"] == "given"
    assert frame.loc[0, "origin"] == f"{path}:feature 1"


def test_geopackage_in_another_crs_is_reprojected(tmp_path):
    path = tmp_path / "r.gpkg"
    frame = gpd.GeoDataFrame({"id": ["k1"], "kind": ["base"], "name": ["Kadena"]},
                             geometry=[shapely.Point(127.7675, 26.3556)], crs="EPSG:4326").to_crs(3857)
    frame.to_file(path)
    loaded = read_records([path])
    assert loaded.loc[0, "lat"] == pytest.approx(26.3556, abs=1e-6)


def test_every_problem_is_reported_at_once_with_file_line_field_and_fix(tmp_path):
    path = write(tmp_path, "bad.csv", "id,kind,name,lat,lon,troops,start,end\n"
                 ",base,No id,35,139,,,\n"
                 "a,fortress,Odd kind,35,139,,,\n"
                 "b,base,Too far north,95,139,,,\n"
                 "c,base,Swapped,139.5,35.4,,,\n"
                 "d,base,Too far east,35,190,,,\n"
                 "e,deployment,Negative,35,139,-5,,\n"
                 "f,deployment,Fraction,35,139,12.5,,\n"
                 "g,event,Bad date,35,139,,28/07/2024,\n"
                 "h,event,Backwards,35,139,,2024-07-30,2024-07-28\n"
                 "b,base,Duplicate,35,139,,,\n")
    found = problems([path])
    expected = [
        f"{path}:2: id: is missing; give every record its id",
        f"{path}:3: kind: 'fortress' is not a record kind; use one of base, deployment, command, event",
        f"{path}:4: lat: 95.0 is outside [-90, 90]; give degrees north",
        f"{path}:5: lat: 139.5 is outside [-90, 90]; lat and lon look swapped: write lat 35.4, lon 139.5",
        f"{path}:6: lon: 190.0 is outside [-180, 180]; give degrees east, from -180 to 180",
        f"{path}:7: troops: -5 is negative; give zero or more",
        f"{path}:8: troops: '12.5' is not a whole number; give a whole number, e.g. 54000",
        f"{path}:9: start: '28/07/2024' is not an ISO 8601 date; write it as YYYY-MM-DD, e.g. 2024-07-28 "
            "(or YYYY-MM, or YYYY, when the source gives no day)",
        f"{path}:10: end: 2024-07-28 is before start 2024-07-30; swap the dates or correct one",
        f"{path}:11: id: 'b' is already used at {path}:4 (ids ignore case); give each record its own id",
    ]
    for line in expected:
        assert line in found
    assert len(found) == len(expected)


def test_links_must_name_records_and_locations_must_exist(tmp_path):
    path = write(tmp_path, "links.yaml", """
- {id: hq, kind: command, name: HQ, lat: 35, lon: 139}
- {id: unit, kind: deployment, name: Unit, at: hqq}
- {id: sub, kind: command, name: Sub, lat: 35, lon: 139, reports_to: nobody}
- {id: lost, kind: base, name: Lost}
- {id: loop-a, kind: deployment, name: A, at: loop-b}
- {id: loop-b, kind: deployment, name: B, at: loop-a}
""")
    found = "\n".join(problems([path]))
    assert f"{path}:3: at: 'hqq' names no record; did you mean hq? use the id of a record in the same map" in found
    assert f"{path}:4: reports_to: 'nobody' names no record" in found
    assert f"{path}:5: place: is missing, and so are lat/lon, at and country" in found
    assert f"{path}:6: at: goes round in a cycle: loop-a -> loop-b -> loop-a" in found


def test_deployment_takes_its_location_from_at_and_operator_from_gazetteer(tmp_path):
    path = write(tmp_path, "d.yaml", "- {id: kadena, kind: base, name: Kadena, place: Kadena Air Base}\n"
                                     "- {id: wing, kind: deployment, name: 18th Wing, at: kadena, troops: 1000}\n")
    frame = read_records([path]).set_index("id")
    assert frame.loc["wing", "lat"] == frame.loc["kadena", "lat"]
    assert frame.loc["wing", "country"] == "JP"
    assert frame.loc["kadena", "operator"] == "US Air Force"


def test_unknown_place_is_an_error_listing_close_candidates(tmp_path):
    path = write(tmp_path, "p.csv", "id,kind,name,place\nx,event,Talks,Vientaine\n")
    [found] = problems([path])
    assert found.startswith(f"{path}:2: place: 'Vientaine' is not in the gazetteer or GeoNames; "
                            "did you mean 'Vientiane, LA', ")
    assert found.endswith("? Otherwise give lat and lon, or --online to ask the online geocoder")
