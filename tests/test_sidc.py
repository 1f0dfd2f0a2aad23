"""Symbol codes: a record's sidc checked position by position through `deploymap check`, and the
symbol derived from what a record says when it gives none."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.fields import FieldError
from geo.sidc import derive, lookup_key, validate
from output.cli import main

HEADER = "id,kind,name,place,branch,sidc,echelon,affiliation,status\n"


def check(tmp_path: Path, rows: str):
    path = tmp_path / "units.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return CliRunner().invoke(main, ["check", str(path)])


def test_check_names_the_bad_position_of_a_20_digit_code(tmp_path):
    result = check(tmp_path, "u1,deployment,Unit,NAF Atsugi,US Navy,10091000001211000000,,,\n")
    assert result.exit_code == 1
    assert ("units.csv:2: sidc: position 4 (standard identity) is '9', not one of 0-6 "
            "(3 friend, 6 hostile, 4 neutral, 1 unknown); correct position 4") in result.output


def test_check_reports_every_bad_symbol_field_at_once(tmp_path):
    result = check(tmp_path, "u1,deployment,A,NAF Atsugi,,1003100000121100000,,,\n"
                             "u2,deployment,B,NAF Atsugi,,10031700001211000000,,,\n"
                             "u3,deployment,C,NAF Atsugi,,10031000009999990000,,,\n"
                             "u4,deployment,D,NAF Atsugi,,SXGPUCI----D---,,,\n"
                             "u5,deployment,E,NAF Atsugi,,,brigadier,ally,soon\n")
    assert result.exit_code == 1
    out = result.output
    assert "units.csv:2: sidc: '1003100000121100000' has 19 digits, not 20" in out
    assert "units.csv:3: sidc: positions 5-6 (symbol set) is '17'" in out
    assert "units.csv:4: sidc: positions 11-16 (entity) '999999' is not a symbol of symbol set 10" in out
    assert "units.csv:5: sidc: position 2 (affiliation) is 'X'" in out
    assert "units.csv:6: echelon: 'brigadier' is not an echelon; use one of team" in out
    assert "units.csv:6: affiliation: 'ally' is not an affiliation; use one of friend, hostile, neutral, unknown" in out
    assert "units.csv:6: status: 'soon' is not a status; use one of current, planned, former" in out
    assert "Error: 7 problems." in out


def test_good_codes_pass_check(tmp_path):
    result = check(tmp_path, "u1,deployment,A,NAF Atsugi,,10031000161211000000,battalion,friend,planned\n"
                             "u2,deployment,B,NAF Atsugi,,sfgpuci----d---,,hostile,\n")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("code", ["SFG*UCI----D---", "SFGPUCI----D-/-", "SFGPUCI-----", "10031000"])
def test_letter_codes_must_be_15_characters_and_digits_20(code):
    with pytest.raises(FieldError):
        validate(code)


def test_letter_codes_with_status_p_find_their_symbol():
    """milsymbol keys its letter codes with '-' for the status: 'P' (present) would draw a '?'."""
    assert validate("SFGPUCI----D---") == "SFGPUCI----D---"
    assert lookup_key("SFGPUCI----D---") == "SFG-UCI----D"
    assert lookup_key("SHSPCLCV-------") == "SHS-CLCV--"


def test_derived_symbols_say_what_the_record_says():
    usfj = derive({"kind": "command", "branch": "Joint"})
    assert usfj.code == "10031002001100000000" and usfj.words == "Friendly joint headquarters"
    assert derive({"kind": "base", "branch": "US Navy"}).words == "Friendly naval installation"
    assert derive({"kind": "base", "branch": "US Air Force"}).code[4:6] == "20"
    hostile = derive({"kind": "deployment", "branch": "Navy", "affiliation": "hostile", "echelon": "brigade"})
    assert hostile.code == "10061000181701000000" and hostile.words == "Hostile naval unit, brigade"
    assert derive({"kind": "event"}) is None


def test_the_map_default_affiliation_applies_unless_the_record_has_one():
    assert derive({"kind": "base"}, default_affiliation="neutral").code[3] == "4"
    assert derive({"kind": "base", "affiliation": "friend"}, default_affiliation="neutral").code[3] == "3"


def test_planned_units_by_their_status():
    by_status = derive({"kind": "deployment", "status": "planned"})
    assert by_status.planned and by_status.code[6] == "1" and by_status.words.startswith("Friendly planned")
    assert not derive({"kind": "deployment", "status": "current"}).planned
    given = derive({"kind": "deployment", "sidc": "SFGPUCI----D---", "status": "planned"})
    assert given.code == "SFGAUCI----D---" and given.planned
