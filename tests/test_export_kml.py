"""KML and KMZ exports for Google Earth, read back with fastkml and compared record by record."""
from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import fastkml
import pytest
from click.testing import CliRunner
from fastkml import kml
from lxml import etree

from geo.records import read_records
from output.cli import main
from output.export import kml as kml_export
from tests.conftest import DEPLOYMAP, SEEDS

FOLDERS = ["Bases", "Deployments", "Commands", "Events"]


@pytest.fixture(scope="module")
def seeds():
    return read_records([SEEDS / "records"])


def export(*args: str) -> None:
    result = CliRunner().invoke(main, ["export", *args])
    assert result.exit_code == 0, result.output


def placemarks(document: bytes) -> dict[str, list]:
    """Folder name -> its placemarks, as fastkml reads them."""
    doc = kml.KML.from_string(document).features[0]
    return {folder.name: list(folder.features) for folder in doc.features}


def extended(mark) -> dict[str, str]:
    return {d.name: d.value for d in mark.extended_data.elements}


def test_kmz_holds_a_folder_per_layer_and_every_record_with_its_time_and_source(seeds, tmp_path):
    out = tmp_path / "records.kmz"
    export(str(SEEDS / "records"), "--to", str(out), "--title", "Seed records")
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert names == ["doc.kml", "icons/base.png", "icons/command.png", "icons/deployment.png", "icons/event.png"]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        document = archive.read("doc.kml")
        assert all(archive.read(n).startswith(b"\x89PNG\r\n\x1a\n") for n in names[1:])
    assert kml.KML.from_string(document).features[0].name == "Seed records"
    folders = placemarks(document)
    assert list(folders) == FOLDERS
    by_id = {extended(m)["id"]: (folder, m) for folder, marks in folders.items() for m in marks}
    assert len(by_id) == 15
    for record in seeds.itertuples():
        folder, mark = by_id[record.id]
        data = extended(mark)
        assert folder == f"{record.kind.capitalize()}s" and data["kind"] == record.kind
        assert mark.name == record.name
        assert abs(mark.geometry.x - record.lon) < 1e-6 and abs(mark.geometry.y - record.lat) < 1e-6
        assert data["source"] == record.source and record.source.split(",")[0] in mark.description
        if record.start:
            assert str(mark.times.begin) == record.start
        else:
            assert mark.times is None
        assert mark.style_url.url == f"#{record.kind}"
    assert extended(by_id["blinken-wang-vientiane"][1])["participants"] == "Antony Blinken;Wang Yi"
    assert extended(by_id["us-troops-japan"][1])["troops"] == "54000"
    assert b"<href>icons/deployment.png</href>" in document


def test_plain_kml_references_nothing_and_tints_the_pin_per_kind(tmp_path):
    out = tmp_path / "records.kml"
    export(str(SEEDS / "records"), "--to", str(out))
    text = out.read_text(encoding="utf-8")
    # nothing Google Earth would fetch: no icon, link or network link (sources may cite web pages as text)
    assert not any(tag in text for tag in ("<href>", "<Link", "<NetworkLink", "<Icon>"))
    assert '<Style id="base">' in text and "<color>ff57351d</color>" in text  # #1d3557 as aabbggrr
    assert sum(len(marks) for marks in placemarks(out.read_bytes()).values()) == 15


def test_record_text_is_escaped_in_the_xml_and_in_the_balloon_html(tmp_path):
    records = tmp_path / "r.csv"
    hostile = '<script>alert(1)</script></name><Placemark>&amp;"\x0b'
    records.write_text(f'id,kind,name,lat,lon,summary,source\na,base,"{hostile.replace(chr(34), chr(34) * 2)}",'
                       f'35,139,"<img src=x onerror=alert(1)>","<b>src</b>"\n', encoding="utf-8")
    out = tmp_path / "r.kml"
    export(str(records), "--to", str(out))
    (mark,) = placemarks(out.read_bytes())["Bases"]
    assert mark.name == hostile.replace("\x0b", "").strip() or mark.name == hostile.replace("\x0b", "\ufffd").strip()
    assert "<img" not in mark.description and "&lt;img src=x onerror=alert(1)&gt;" in mark.description
    assert "&lt;b&gt;src&lt;/b&gt;" in mark.description and extended(mark)["source"] == "<b>src</b>"


def test_dates_of_a_year_or_a_month_pass_through_as_kml_dates(seeds):
    frame = seeds.copy()
    frame.loc[frame["id"] == "usfj", "start"] = "2024"
    frame.loc[frame["id"] == "csg-yokosuka", ["start", "end"]] = ["2015-10", "2024-07"]
    document = kml_export.to_kml(frame[frame["id"].isin(["usfj", "csg-yokosuka"])], "t")
    marks = {extended(m)["id"]: m for ms in placemarks(document).values() for m in ms}
    assert str(marks["usfj"].times.begin) == "2024" and marks["usfj"].times.begin.resolution.name == "year"
    assert str(marks["csg-yokosuka"].times.begin) == "2015-10" and str(marks["csg-yokosuka"].times.end) == "2024-07"


def test_the_kml_is_valid_against_the_ogc_kml_22_schema(seeds, tmp_path):
    schema = etree.XMLSchema(etree.parse(str(Path(fastkml.__file__).parent / "schema" / "ogckml22.xsd")))
    frame = seeds.copy()
    frame.loc[frame["id"] == "usfj", ["start", "end"]] = ["2024", "2025-03"]
    for document in (kml_export.to_kml(frame, "Seeds"), zipfile.ZipFile(
            io.BytesIO(kml_export.to_kmz(frame, "Seeds"))).read("doc.kml")):
        assert schema.validate(etree.fromstring(document)), schema.error_log.last_error


def test_kmz_bytes_are_the_same_in_two_processes(tmp_path):
    for n in (1, 2):
        done = subprocess.run([DEPLOYMAP, "export", str(SEEDS / "records"), "--to", str(tmp_path / f"{n}.kmz"),
                               "--title", "Seeds"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "1.kmz").read_bytes() == (tmp_path / "2.kmz").read_bytes()
