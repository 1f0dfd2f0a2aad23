"""deploymap render: the page written, byte-identical every time, and atomic."""
from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner

from output.cli import main
from tests.conftest import DEPLOYMAP, SEEDS


def test_render_writes_a_self_contained_page(tmp_path):
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["render", str(SEEDS / "records"), "-o", str(out), "--title", "Seed story"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out} (15 records" in result.output
    html = out.read_text(encoding="utf-8")
    assert "<title>Seed story</title>" in html
    assert "<script src=" not in html and "<link " not in html  # Leaflet and the runtime are inline
    assert "user-scalable=no" not in html and "jquery" not in html.lower() and "bootstrap" not in html.lower()
    assert "sourceMappingURL" not in html
    assert 'role="region"' in html and "Records on this map" in html
    # the runtime's comment lines are for its readers, not the page's; its code is all there
    script = html[html.index('(function () {\n"use strict";'):]
    assert "\n/* " not in script and "function stampOf(radius) {" in script


def test_cdn_assets_link_leaflet_with_integrity(tmp_path):
    out = tmp_path / "map.html"
    assert CliRunner().invoke(main, ["render", str(SEEDS / "records"), "-o", str(out), "--assets", "cdn"]).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert 'src="https://unpkg.com/leaflet@1.9.4/dist/leaflet.js" integrity="sha256-' in html
    assert len(html) < 400_000


def test_two_renders_in_two_processes_are_byte_identical(tmp_path):
    outputs = []
    for n in (1, 2):
        out = tmp_path / f"map{n}.html"
        subprocess.run([DEPLOYMAP, "render", str(SEEDS / "records"), "-o", str(out)], check=True, timeout=120,
                       capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_a_failed_render_leaves_the_previous_file_untouched(tmp_path):
    out = tmp_path / "map.html"
    assert CliRunner().invoke(main, ["render", str(SEEDS / "records"), "-o", str(out)]).exit_code == 0
    before = out.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("id,kind,name,lat,lon\nx,base,X,91,0\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(bad), "-o", str(out)])
    assert result.exit_code == 1 and "nothing was written" in result.output
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "map.html"]


def test_a_write_that_fails_midway_leaves_the_previous_file_and_no_temp_file(tmp_path, monkeypatch):
    from geo import files

    target = tmp_path / "map.html"
    target.write_bytes(b"previous")

    def broken_fsync(_fd):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        files.write_atomic(target, b"new and half written")
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_unknown_layer_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["render", str(SEEDS / "records"), "-o", str(tmp_path / "m.html"),
                                       "--layers", "bases,airfields"])
    assert result.exit_code == 2 and "'airfields' is not a layer" in result.output


def test_a_tile_provider_that_needs_a_key_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["render", str(SEEDS / "records"), "-o", str(tmp_path / "m.html"),
                                       "--basemap", "CartoDB.Positron"])
    assert result.exit_code == 2 and "'CartoDB.Positron' needs an API key" in result.output
    assert not (tmp_path / "m.html").exists()


def test_tiles_by_name_are_linked_with_their_attribution(tmp_path):
    out = tmp_path / "m.html"
    result = CliRunner().invoke(main, ["render", str(SEEDS / "records"), "-o", str(out),
                                       "--basemap", "OpenStreetMap.Mapnik"])
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html and "openstreetmap.org/copyright" in html


@pytest.mark.parametrize("args, message", [
    (["--kinds", "base,bunker"], "'bunker' is not a record kind"),
    (["--as-of", "31/07/2024"], "'31/07/2024' is not a date; write it as YYYY-MM-DD"),
])
def test_bad_selection_flags_are_usage_errors(tmp_path, args, message):
    result = CliRunner().invoke(main, ["render", str(SEEDS / "records"), "-o", str(tmp_path / "m.html"), *args])
    assert result.exit_code == 2 and message in result.output


def test_render_selects_by_kind_and_date(tmp_path):
    out = tmp_path / "m.html"
    result = CliRunner().invoke(main, ["render", str(SEEDS / "records"), "-o", str(out), "--kinds", "event",
                                       "--as-of", "2024-07-28"])
    assert result.exit_code == 0 and "(3 of 15 records" in result.output
    html = out.read_text(encoding="utf-8")
    assert "The map shows 3 events." in html  # Manila, on the 30th, is not yet


@pytest.mark.browser
def test_an_undated_meeting_among_dated_ones_is_drawn_without_a_date_badge(tmp_path, open_page):
    (tmp_path / "r.csv").write_text("id,kind,name,lat,lon,start,source\n"
                                    "e1,event,Meeting one,35,139,2024-07-28,S\ne2,event,Meeting two,36,140,,S\n",
                                    encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "r.csv"), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    page = open_page(tmp_path / "r.html")
    badges = page.eval("['e1', 'e2'].map(id => document.querySelector(`[data-record=${id}] .dm-badge`)?.textContent ?? null)")
    assert badges == ["28 Jul", None] and page.errors == []


@pytest.mark.browser
def test_large_with_an_empty_layer_draws_the_one_record_on_canvas(tmp_path, open_page):
    (tmp_path / "b.csv").write_text("id,kind,name,lat,lon,source\nb1,base,Base one,35,139,S\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "b.csv"), "-o", str(tmp_path / "b.html"), "--large"])
    assert result.exit_code == 0, result.output
    assert "(1 record, " in result.output and "on canvas: bases" in result.output
    page = open_page(tmp_path / "b.html")
    assert [r["id"] for r in page.eval("deploymap.records()")] == ["b1"] and page.errors == []
