"""Records read and validated a column at a time: the same records, and the same problems named by
file, line and field, as one record at a time; and how many records one map may hold."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

import geo.records
from bench.synthetic import write_records
from geo.errors import RecordError
from geo.readers import read_early, read_rows, read_table
from geo.records import read_records
from output.cli import main


def quoted_copy(path: Path, folder: Path) -> Path:
    """The same records with every value quoted: a CSV the plain reading leaves to the csv module."""
    folder.mkdir()
    copy = folder / path.name
    with path.open(encoding="utf-8", newline="") as f, copy.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, quoting=csv.QUOTE_ALL).writerows(csv.reader(f))
    return copy


def problems(path: Path) -> list[str]:
    with pytest.raises(RecordError) as err:
        read_records([path])
    return [str(p) for p in err.value.problems]


def test_a_plain_csv_and_the_same_records_quoted_give_the_same_frame(tmp_path):
    plain = write_records(tmp_path / "records.csv", 3000)
    with plain.open("a", encoding="utf-8", newline="") as f:
        f.write("x-dms,base,Atsugi by DMS,35°27′17″N,139°27′0″E,,synthetic\n")  # parsed by parse_row
    frame = read_records([plain])
    again = read_records([quoted_copy(plain, tmp_path / "quoted")])
    assert len(frame) == 3001
    assert frame.drop(columns=["origin"]).equals(again.drop(columns=["origin"]))
    assert list(frame["origin"].str.replace(str(plain), "", regex=False)) == \
        list(again["origin"].str.replace(str(tmp_path / "quoted" / "records.csv"), "", regex=False))
    dms = frame.loc[frame["id"] == "x-dms"].iloc[0]
    assert (round(dms["lat"], 4), round(dms["lon"], 2), dms["origin"]) == (35.4547, 139.45, f"{plain}:3002")


def test_values_padded_with_whitespace_in_a_plain_csv_are_read_as_the_same_records(tmp_path):
    clean, padded = tmp_path / "clean.csv", tmp_path / "padded.csv"
    clean.write_text("id,kind,name,lat,lon,source\na1,base,Alpha,35.1,139.2,src\nb2,base,Beta,36.5,140.5,src\n",
                     encoding="utf-8")
    # spaces, a tab, information separators (str.strip's too) and an ideographic space at either end, in
    # rows with nothing else wrong (a refused value sends its whole row to parse_row, which strips)
    padded.write_text("id,kind,name,lat,lon,source\na1,base,\tAlpha\x1f,35.1 ,139.2, src\n"
                      "b2 ,base,Beta\u3000,36.5, 140.5,src\t\n", encoding="utf-8")
    assert read_table(padded).rows is None  # read a column at a time
    frame, again = read_records([clean]), read_records([padded])
    assert frame.drop(columns=["origin"]).equals(again.drop(columns=["origin"]))
    assert list(again["name"]) == ["Alpha", "Beta"] and list(again["lat"]) == [35.1, 36.5]


@pytest.mark.parametrize("rows", [
    # plain decimals, read from the bytes: whole coordinates, -0.0, leading zeros, 14 and 15 digits, a blank,
    # and 0.3 (3 * 0.1 is 0.30000000000000004)
    ["35,-139,54000", "-0.0,007.50,0", "35.12345678901,139.99999999999,999999999999", "1.5,-2.25,", "0.3,-0.7,1"],
    # and others, which float() and int() take as text: 16 digits, an exponent, a '+', a bare '.'
    ["35.1234567890123,1e2,+5", "1.,-.5,0054000", "35,139,1_000"],
])
def test_numbers_in_a_plain_csv_are_read_as_the_csv_module_reads_them(tmp_path, rows):
    plain = tmp_path / "records.csv"
    plain.write_text("id,kind,name,lat,lon,troops,source\n" + "".join(
        f"r{n},deployment,Site {n},{row},src\n" for n, row in enumerate(rows)), encoding="utf-8")
    assert read_table(plain).rows is None  # read a column at a time
    frame, again = read_records([plain]), read_records([quoted_copy(plain, tmp_path / "quoted")])
    assert frame.drop(columns=["origin"]).equals(again.drop(columns=["origin"]))
    for field in ("lat", "lon", "troops"):  # -0.0 and 0.0 are equal: the values as written, and their types
        assert list(map(repr, frame[field])) == list(map(repr, again[field]))


def test_numbers_refused_in_a_plain_csv_are_named_as_the_csv_module_names_them(tmp_path):
    plain = tmp_path / "records.csv"
    plain.write_text("id,kind,name,lat,lon,troops,source\n" + "".join(
        f"r{n},deployment,Site {n},{row},src\n" for n, row in enumerate(
            ["35,139,-5", "35,139,5.0", "35,139,1000000000001", "95,139,1", "-35.5,-181,1", "35,139,12"])),
        encoding="utf-8")
    quoted = quoted_copy(plain, tmp_path / "quoted")
    assert [p.replace(str(plain), "") for p in problems(plain)] == \
        [p.replace(str(quoted), "") for p in problems(quoted)] == [
        ":2: troops: -5 is negative; give zero or more",
        ":3: troops: '5.0' is not a whole number; give a whole number, e.g. 54000",
        ":4: troops: 100000000000... (13 digits) is too large; give a whole number up to 1,000,000,000,000",
        ":5: lat: 95.0 is outside [-90, 90]; give degrees north",
        ":6: lon: -181.0 is outside [-180, 180]; give degrees east, from -180 to 180",
    ]


def test_problems_deep_in_a_large_csv_are_named_by_line_and_field(tmp_path):
    path = write_records(tmp_path / "records.csv", 5000)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[100] = "R98,base,Site 99,95,139,,synthetic"  # line 101: off the globe, and the id of line 100
    lines[2000] = "r1999,fort,Site 1999,30,140,,synthetic"  # line 2001: not a kind
    lines[3000] = "r2999,base,,30,140,,synthetic"  # line 3001: no name
    lines[4000] = "r3999,base,Site 3999,30,,,synthetic"  # line 4001: lat without lon
    lines[4500] = "bad id,base,Site,30,140,,synthetic"  # line 4501: not a slug
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problems(path) == [
        f"{path}:101: lat: 95.0 is outside [-90, 90]; give degrees north",
        f"{path}:2001: kind: 'fort' is not a record kind; use one of base, deployment, command, event",
        f"{path}:3001: name: is missing; give every record its name",
        f"{path}:4001: lon: is missing while lat is given; give both lat and lon, or neither",
        f"{path}:4501: id: 'bad id' is not a slug; use letters, digits and hyphens, e.g. naf-atsugi",
        f"{path}:101: id: 'R98' is already used at {path}:100 (ids ignore case); give each record its own id",
    ]


def test_a_map_of_more_records_than_the_limit_is_refused_and_nothing_written(tmp_path, monkeypatch):
    records = write_records(tmp_path / "records.csv", 1001)
    out = tmp_path / "map.html"
    out.write_text("the previous map", encoding="utf-8")
    monkeypatch.setattr(geo.records, "MAX_RECORDS", 1000)
    result = CliRunner().invoke(main, ["render", str(records), "-o", str(out)])
    assert result.exit_code != 0
    assert "records: are 1,001, over the limit of 1,000 for one map; choose fewer records" in result.output
    assert out.read_text(encoding="utf-8") == "the previous map"



@pytest.mark.parametrize("text, columnar", [
    # CRLF; empty, space, tab, ideographic-space and no-break-space fields; values of no ASCII letter at all
    ("id,name,place\r\na, ,東京\r\nb,\t,\u3000\r\nc,\xa0x\xa0,\xa0\r\nd,,\u00e9\r\n", True),
    ("id,name,place\na,,\nb,x,", True),  # the last field empty at the very end, no newline
    ("id,name,place\r\na,x,y\r\n , \t,\u3000\r\nb,x,y", False),  # a row of blank fields: skipped
    ("id\na\n\nb\n", False),  # an empty line: skipped, and counted
    ("id\r\na\r\n \r\nb\r\n", False),  # a blank line with CRLF
    ("id,name\na,x\rb,y\n", False),  # a lone CR ends a line for the csv module
    ("id,name\na,x\nb,y,z\nc,w\n", False),  # too many fields: named by the csv module's reading
    ("id,name\na,x,y\nb,z\n", False),  # too many on the first line, where pandas would only warn
])
@pytest.mark.filterwarnings("error")  # a reader's warning would reach the user's terminal as noise
def test_a_plain_csv_reads_blanks_and_line_ends_as_the_csv_module(tmp_path, text, columnar):
    path = tmp_path / "records.csv"
    path.write_bytes(text.encode("utf-8"))
    try:
        rows = read_rows(path)
    except RecordError as err:
        for early in ({}, read_early([path])):  # read as render reads it too: begun on the worker thread
            with pytest.raises(RecordError) as again:
                read_table(path, early.get(path))
            assert again.value.problems == err.problems
        return
    for early in ({}, read_early([path])):
        table = read_table(path, early.get(path))
        assert [table.row(i) for i in range(len(table))] == rows
        assert (table.rows is None) == columnar  # read a column at a time, or left to the csv module
