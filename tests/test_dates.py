"""Dates as sources give them: reduced precision kept, shown as written, valid over their interval."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from geo.dates import interval, parse, status_on, valid_on, words
from geo.errors import FieldError, RecordError
from geo.records import read_records
from geo.select import select
from layers.style import period, short_day
from output.cli import main


@pytest.mark.parametrize("start, end, day, valid", [
    ("2024-07-28", None, "2024-07-28", True),   # an event counts from its day
    ("2024-07-28", None, "2024-07-27", False),
    ("2024-07", None, "2024-07-01", True),      # a month starts on its first day
    ("2024-07", None, "2024-07-15", True),
    ("2024-07", None, "2024-06-30", False),
    ("2023", None, "2023-01-01", True),
    ("2023", None, "2022-12-31", False),
    (None, "2024-07", "2024-07-31", True),      # a month ends on its last day
    (None, "2024-07", "2024-08-01", False),
    (None, "2024-02", "2024-02-29", True),      # a leap year's February
    (None, "2023-02", "2023-02-28", True),
    (None, "2023-02", "2023-03-01", False),
    (None, "2023", "2023-12-31", True),
    (None, "2023", "2024-01-01", False),
    ("2023", "2024-07", "2024-03-10", True),
    ("2024-07-28", "2024-07-28", "2024-07-28", True),
    (None, None, "1999-01-01", True),          # undated records always hold
])
def test_valid_on_takes_each_date_as_the_interval_it_stands_for(start, end, day, valid):
    assert valid_on(start, end, day) is valid
    assert valid_on(start, end, dt.date.fromisoformat(day)) is valid


@pytest.mark.parametrize("start, end, day, announced, valid, status", [
    ("2025-03", None, "2024-07-27", "2024-07-28", False, "planned"),   # not yet announced
    ("2025-03", None, "2024-07-28", "2024-07-28", True, "planned"),    # announced, not yet started
    ("2025-03", None, "2025-03-01", "2024-07-28", True, "current"),    # started
    ("2025-03", "2025-12", "2026-01-01", "2024-07", False, "current"),  # over
    ("2024-07-01", None, "2024-07-02", "2024-07-28", True, "current"),  # told of after it started
    (None, None, "2024-07-31", "2024-07", True, "current"),
])
def test_a_change_is_on_the_map_from_its_announcement_and_planned_until_it_starts(start, end, day, announced,
                                                                                   valid, status):
    assert valid_on(start, end, day, announced) is valid
    assert status_on(None, start, day) == status
    assert status_on("former", start, day) == "former"  # what the record writes stands


@pytest.mark.parametrize("value, iso, shown", [
    ("2023", "2023", "2023"), (2023, "2023", "2023"), ("2024-07", "2024-07", "July 2024"),
    ("2024-07-27", "2024-07-27", "27 July 2024"), (dt.date(2024, 7, 27), "2024-07-27", "27 July 2024"),
    (dt.datetime(2024, 7, 27, 9, 30), "2024-07-27", "27 July 2024"), (" 2024-02-29 ", "2024-02-29", "29 February 2024"),
])
def test_dates_keep_their_precision_and_show_as_written(value, iso, shown):
    assert parse(value) == iso and words(iso) == shown


@pytest.mark.parametrize("value, what", [
    ("2024-02-30", "'2024-02-30' is not a calendar date"), ("2023-02-29", "'2023-02-29' is not a calendar date"),
    ("0000-01-01", "'0000-01-01' is not a calendar date"), ("0000", "'0000' is not a calendar date"),
    ("2024-13", "'2024-13' is not a calendar date"), ("2024-00-10", "'2024-00-10' is not a calendar date"),
    ("24-07-28", "is not an ISO 8601 date"), ("2024-7", "is not an ISO 8601 date"), ("July 2024", "is not an ISO"),
    (True, "is not an ISO 8601 date"), (20.5, "is not an ISO 8601 date"), ([2024], "is not an ISO 8601 date"),
])
def test_impossible_or_foreign_dates_are_named_errors(value, what):
    with pytest.raises(FieldError) as err:
        parse(value)
    assert what in err.value.what


def test_interval_of_each_precision():
    assert interval("2024") == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert interval("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert interval("2024-07-28") == (dt.date(2024, 7, 28), dt.date(2024, 7, 28))


def test_popups_and_badges_show_dates_as_written():
    assert period("2023", None) == "2023"
    assert period("2024-07", "2024-08-15") == "July 2024 to 15 August 2024"
    assert period(None, "2024-07") == "until July 2024"
    assert short_day("2024-07-28") == "28 Jul" and short_day("2024-07") == "Jul 2024" and short_day("2023") == "2023"


def test_records_keep_reduced_dates_as_iso_text_and_as_of_uses_their_interval(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("""
- {id: a, kind: deployment, name: A, country: JP, start: 2023, source: s}
- {id: b, kind: deployment, name: B, country: JP, start: 2024-07, end: "2024-08", source: s}
- {id: c, kind: event, name: C, place: Tokyo, start: 2024-07-28, source: s}
- {id: d, kind: deployment, name: D, country: JP, end: "2024-06", source: s}
""", encoding="utf-8")
    frame = read_records([path]).set_index("id")
    assert list(frame["start"]) == ["2023", "2024-07", "2024-07-28", None]
    assert frame.loc["b", "end"] == "2024-08"
    on = lambda day: sorted(select(frame.reset_index(), as_of=day)["id"])  # noqa: E731
    assert on("2024-07-15") == ["a", "b"]
    assert on("2024-07-28") == ["a", "b", "c"]
    assert on("2024-06-30") == ["a", "d"]
    assert on("2024-08-31") == ["a", "b", "c"] and on("2024-09-01") == ["a", "c"]


def test_an_end_before_start_compares_intervals(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,kind,name,country,start,end,source\n"
                    "ok,deployment,Same month,JP,2024-07-28,2024-07,s\n"
                    "bad,deployment,Ends first,JP,2024-07,2024-06-30,s\n", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        read_records([path])
    assert [str(p).split(": ", 1)[1] for p in err.value.problems] == [
        "end: 2024-06-30 is before start 2024-07; swap the dates or correct one"]


def test_check_names_an_impossible_date_without_a_traceback(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,kind,name,country,start,source\nx,event,X,JP,2024-02-30,s\ny,event,Y,JP,0000-01-01,s\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "d.csv:2: start: '2024-02-30' is not a calendar date; check the month and day" in result.output
    assert "d.csv:3: start: '0000-01-01' is not a calendar date; there is no year 0000" in result.output


def test_an_impossible_yaml_date_is_named_not_a_crash(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("- {id: a, kind: event, name: A, country: JP, start: 2024-02-30, source: s}\n"
                    "- {id: b, kind: event, name: B, country: JP, start: 0000-01-01, source: s}\n"
                    "- {id: c, kind: event, name: C, country: JP, start: 2024-07-28, source: s}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1 and result.exception is not None and isinstance(result.exception, SystemExit)
    assert "d.yaml:1: start: '2024-02-30' is not a calendar date" in result.output
    assert "d.yaml:2: start: '0000-01-01' is not a calendar date" in result.output
    assert "d.yaml:3" not in result.output
