"""KML and KMZ placemarks read as records: round trips, Google Earth's own files, and hostile input."""
from __future__ import annotations

import zipfile
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geo.readers
from geo.errors import RecordError
from geo.records import read_records
from output.cli import main
from output.export import export
from tests.conftest import SEEDS
from tests.test_export import assert_same_records

KML = '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{}</Document></kml>\n'


def placemark(body: str, data: dict[str, str]) -> str:
    fields = "".join(f'<Data name="{k}"><value>{v}</value></Data>' for k, v in data.items())
    return f"<Placemark>{body}<ExtendedData>{fields}</ExtendedData></Placemark>"


def problems(path: Path) -> list[str]:
    with pytest.raises(RecordError) as err:
        read_records([path])
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize("suffix", ["kmz", "kml"])
def test_exported_records_import_as_the_same_records(tmp_path, suffix):
    seeds = read_records([SEEDS / "records"])
    path = export(seeds, tmp_path / f"records.{suffix}")
    back = read_records([path])
    order = {"base": 0, "deployment": 1, "command": 2, "event": 3}
    assert_same_records(seeds.sort_values("kind", key=lambda k: k.map(order), kind="stable"), back)
    assert set(back["resolved"]) == {"given"} and back["origin"].iloc[0] == f"{path}:placemark 1"


def test_a_google_earth_placemark_reads_its_name_point_time_description_and_fields(tmp_path):
    path = tmp_path / "collection.kml"
    path.write_text(KML.format(
        '<Folder><name>Meetings</name>'
        + placemark('<name> Talks in Vientiane </name><description><![CDATA[<b>Met</b> on the sidelines &amp; '
                    'talked.<br/>Second line]]></description><TimeStamp><when>2024-07-27T09:30:00+07:00</when>'
                    '</TimeStamp><Point><coordinates> 102.6,17.9667,0 </coordinates></Point>',
                    {"id": "talks", "kind": "event", "participants": "A;B"})
        + '<Placemark><name>Yokota</name><TimeSpan><begin>2024-07-28</begin><end>2025-01-01</end></TimeSpan>'
          '<ExtendedData><SchemaData schemaUrl="#s"><SimpleData name="id">yokota</SimpleData>'
          '<SimpleData name="kind">base</SimpleData><SimpleData name="summary">From QGIS.</SimpleData>'
          '</SchemaData></ExtendedData><Point><coordinates>139.3486,35.7486</coordinates></Point></Placemark>'
          '</Folder>'), encoding="utf-8")
    frame = read_records([path])
    talks, yokota = frame.iloc[0], frame.iloc[1]
    assert talks["name"] == "Talks in Vientiane" and talks["kind"] == "event"
    assert (talks["lat"], talks["lon"]) == (17.9667, 102.6) and talks["start"] == "2024-07-27"
    assert talks["summary"] == "Met on the sidelines & talked. Second line"
    assert talks["participants"] == ("A", "B")
    assert yokota["start"] == "2024-07-28" and yokota["end"] == "2025-01-01" and yokota["summary"] == "From QGIS."


def test_a_placemark_without_kind_is_named_by_number_and_the_cli_says_so(tmp_path):
    path = tmp_path / "bad.kml"
    path.write_text(KML.format(
        placemark("<name>Good</name><Point><coordinates>139,35</coordinates></Point>", {"id": "a", "kind": "base"})
        + placemark("<name>No kind</name><Point><coordinates>139,35</coordinates></Point>", {"id": "b"})),
        encoding="utf-8")
    message = f"{path}:placemark 2: kind: is missing; give every record its kind (base, deployment, command or event)"
    assert problems(path) == [message]
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1 and message in result.output


def test_a_field_named_like_deploymaps_own_keys_is_refused(tmp_path):
    path = tmp_path / "reserved.kml"
    path.write_text(KML.format(placemark("<name>A</name><Point><coordinates>139,35</coordinates></Point>",
                                         {"id": "a", "kind": "base", "_point": "x"})), encoding="utf-8")
    assert problems(path) == [f"{path}:placemark 1: _point: starts with '_', which deploymap keeps for itself; "
                              "rename the field without the leading '_'"]


def test_a_line_placemark_is_refused_as_a_geometry(tmp_path):
    path = tmp_path / "line.kml"
    path.write_text(KML.format(
        placemark("<name>Route</name><LineString><coordinates>139,35 140,36</coordinates></LineString>",
                  {"id": "c", "kind": "event"})
        + placemark("<name>Bad point</name><Point><coordinates>east,north</coordinates></Point>",
                    {"id": "d", "kind": "base"})), encoding="utf-8")
    found = problems(path)
    assert f"{path}:placemark 1: geometry: is a LineString; records are located by a Point; use a Point " \
           "geometry, or lat and lon" in found
    assert any(p.startswith(f"{path}:placemark 2: geometry: is a Point without two finite") for p in found)


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',  # entity expansion
    '<!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>',  # an external entity
    '<!DOCTYPE kml SYSTEM "http://example.com/kml.dtd">',  # an external DTD
])
def test_doctypes_and_entities_are_refused_before_anything_expands(tmp_path, doctype):
    path = tmp_path / "bomb.kml"
    body = placemark("<name>&b;</name><Point><coordinates>139,35</coordinates></Point>", {"id": "a", "kind": "base"})
    path.write_text(f'<?xml version="1.0"?>\n{doctype}\n<kml><Document>{body}</Document></kml>', encoding="utf-8")
    assert problems(path) == [f"{path}:2: xml: declares a DOCTYPE or entities, which KML never needs and "
                              "deploymap refuses; remove the <!DOCTYPE ...> part"]


def test_broken_xml_names_its_line(tmp_path):
    path = tmp_path / "broken.kml"
    path.write_text('<kml>\n<Document>\n<Placemark><name>A & B</name></Placemark>\n</Document></kml>',
                    encoding="utf-8")
    assert problems(path) == [f"{path}:3: xml: not well-formed (invalid token); fix the XML at that line "
                              "(save it from Google Earth again)"]


def kmz(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_kmz_reads_doc_kml_or_its_first_kml_and_nothing_reaches_the_disk(tmp_path):
    one = KML.format(placemark("<name>One</name><Point><coordinates>139,35</coordinates></Point>",
                               {"id": "one", "kind": "base"})).encode()
    two = one.replace(b"One", b"Two").replace(b"one", b"two")
    folder = tmp_path / "in"
    folder.mkdir()
    first = kmz(folder / "a.kmz", {"../../evil.kml": one, "files/b.kml": two})
    assert list(read_records([first])["id"]) == ["one"]
    named = kmz(tmp_path / "b.kmz", {"files/b.kml": two, "doc.kml": one})
    assert list(read_records([named])["id"]) == ["one"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.kmz", "b.kmz", "in"]


def test_a_broken_empty_or_oversized_kmz_is_refused(tmp_path, monkeypatch):
    not_zip = tmp_path / "not.kmz"
    not_zip.write_bytes(b"PK\x03\x04 not really a zip")
    assert problems(not_zip)[0].startswith(f"{not_zip}: file: is not a readable KMZ (zip) archive")
    empty = kmz(tmp_path / "empty.kmz", {"icons/a.png": b"\x89PNG"})
    assert problems(empty) == [f"{empty}: file: has no .kml document inside; save the KMZ from Google Earth "
                               "again, or give the .kml"]
    big = kmz(tmp_path / "big.kmz", {"doc.kml": KML.format(" " * 5000).encode()})
    monkeypatch.setattr(geo.readers, "MAX_BYTES", 4096)
    assert problems(big)[0].startswith(f"{big}: file: holds doc.kml, 0 MiB unpacked, over the 0 MiB limit")


PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TEXT = st.text(alphabet=st.sampled_from(list("ab019 .,;-<>&\"'/é\x00\x0bT:")), max_size=12)
PLACEMARK = st.fixed_dictionaries({}, optional={
    "name": TEXT, "coordinates": st.one_of(TEXT, st.sampled_from(["139,35", "200,95", "nan,inf", "1,2,3,4", ""])),
    "begin": st.one_of(TEXT, st.sampled_from(["2024", "2024-07", "2024-07-28T10:00:00Z", "2024-02-30"])),
    "data": st.dictionaries(st.sampled_from(["id", "kind", "_x", "", "troops", "at", "note"]),
                            st.one_of(TEXT, st.sampled_from(["base", "event", "a", "b", "12"])), max_size=5),
})


def load_or_raise(path: Path) -> None:
    """The readers' contract: a checked frame, or RecordError naming this file, a field, what and the fix."""
    try:
        frame = read_records([path])
    except RecordError as err:
        assert err.problems and all(p.file == str(path) and p.field and p.what and p.fix for p in err.problems)
        return
    assert frame["lat"].between(-90, 90).all() and frame["lon"].between(-180, 180).all()


@PROPERTY
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".kml", ".kmz"]))
def test_any_bytes_as_kml_or_kmz_load_or_raise(tmp_path, data, suffix):
    path = tmp_path / f"records{suffix}"
    path.write_bytes(data or b" ")
    load_or_raise(path)


@PROPERTY
@given(marks=st.lists(PLACEMARK, max_size=4), zipped=st.booleans())
def test_any_placemarks_load_or_raise(tmp_path, marks, zipped):
    def xml(text: str) -> str:
        return escape(text.replace("\x00", "").replace("\x0b", ""), quote=True)

    body = ""
    for mark in marks:
        parts = f"<name>{xml(mark['name'])}</name>" if "name" in mark else ""
        if "begin" in mark:
            parts += f"<TimeSpan><begin>{xml(mark['begin'])}</begin></TimeSpan>"
        if "coordinates" in mark:
            parts += f"<Point><coordinates>{xml(mark['coordinates'])}</coordinates></Point>"
        body += placemark(parts, {xml(k): xml(v) for k, v in mark.get("data", {}).items()})
    document = KML.format(body).encode()
    path = kmz(tmp_path / "records.kmz", {"doc.kml": document}) if zipped else tmp_path / "records.kml"
    if not zipped:
        path.write_bytes(document)
    load_or_raise(path)


@pytest.fixture(scope="module")
def seed_kmz(tmp_path_factory) -> bytes:
    return export(read_records([SEEDS / "records"]), tmp_path_factory.mktemp("kmz") / "seeds.kmz").read_bytes()


@PROPERTY
@given(changes=st.lists(st.tuples(st.integers(-300, 150), st.integers(0, 255)), min_size=1, max_size=6),
       cut=st.one_of(st.none(), st.floats(0, 1)))
def test_a_damaged_kmz_loads_or_raises(tmp_path, seed_kmz, changes, cut):
    data = bytearray(seed_kmz)
    for where, byte in changes:  # a zip's headers sit at its two ends (negative: counted from the end)
        data[where] = byte
    path = tmp_path / "damaged.kmz"
    path.write_bytes(bytes(data[: max(1, int(cut * len(data)))] if cut is not None else data))
    load_or_raise(path)


def test_an_unknown_encoding_is_named(tmp_path):
    path = tmp_path / "odd.kml"
    path.write_bytes(b'<?xml version="1.0" encoding="UTF-m"?>\n<kml/>')
    assert problems(path) == [f"{path}:1: xml: declares an unknown encoding: UTF-m; save it as UTF-8"]
