"""Other languages: locale: in the map file and --locale on render give the page's own words from one
message catalogue, numbers and dates from Babel, country names in that language, lang and dir set,
and a right-to-left page for Arabic; records' own text stays as written."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from geo.errors import RecordError
from layers.messages import CATALOGUE, LOCALES, RUNTIME_WORDS, say
from output.cli import main
from output.mapfile import load_mapfile
from tests.conftest import SEEDS
from tests.test_a11y import axe_violations

CODE = Path(__file__).resolve().parent.parent


def build_in(project: Path, out: Path, locale: str) -> Path:
    """The Indo-Pacific seed map built with ``locale:`` added to its map file."""
    mapfile = project / "indo-pacific-diplomacy.map.yaml"
    mapfile.write_text(mapfile.read_text() + f"locale: {locale}\n")
    result = CliRunner().invoke(main, ["build", str(mapfile), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "indo-pacific-diplomacy.html"


@pytest.mark.browser
def test_a_japanese_map_has_japanese_words_dates_and_country_names(project, tmp_path, open_page):
    page = open_page(build_in(project, tmp_path, "ja"))
    assert page.eval("[document.documentElement.lang, document.documentElement.dir]") == ["ja", "ltr"]
    page.page.get_by_role("button", name="Blinken meets Wang Yi, 会談, 2024年7月27日").click()
    popup = page.page.locator(".leaflet-popup")
    expect(popup).to_have_count(1)
    assert popup.locator("dt").all_inner_texts()[:4] == ["日付", "場所", "位置", "参加者"]  # 位置: approximate (a city)
    assert popup.locator("dd").first.inner_text() == "2024年7月27日"
    assert popup.locator("dd").nth(1).inner_text() == "Vientiane, Laos"  # the record's own text
    key = page.page.locator("details.dm-legend")
    assert key.locator("summary").inner_text() == "凡例" and "基地" in key.inner_text()
    assert "54,000 人" in page.eval("[...document.querySelectorAll('.dm-label, .dm-total')].map(l => l.textContent).join('|')")
    assert page.page.get_by_role("checkbox", name="基地").count() == 1  # a default title; "Meetings" is the author's
    assert page.page.get_by_role("button", name="拡大").count() == 1
    table = page.records_table()
    assert table.locator("caption").inner_text() == "この地図の記録"
    assert "Naval Air Facility Atsugi, 日本" in table.inner_text()  # the country named in Japanese
    places = page.eval("[...document.querySelectorAll('.dm-label-city, .dm-label-sea')].map(l => l.textContent)")
    assert {"マニラ", "ヴィエンチャン"} <= set(places) and "Manila" not in places  # Natural Earth's names
    assert page.page.get_by_role("region", name=re.compile("^インタラクティブ地図：")).count() == 1
    assert page.errors == []


@pytest.mark.browser
def test_an_arabic_map_reads_right_to_left_with_its_controls_mirrored(project, tmp_path, open_page):
    page = open_page(build_in(project, tmp_path, "ar"))
    assert page.eval("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    layers = page.eval("document.querySelector('.leaflet-control-layers').getBoundingClientRect().left")
    zoom = page.eval("document.querySelector('.leaflet-control-zoom').getBoundingClientRect().right")
    left, right = page.eval("(r => [r.left, r.right])(deploymap.map.getContainer().getBoundingClientRect())")
    assert layers < left + 30 and right - 30 < zoom  # the layer list on the map's left, the zoom buttons on its right
    story = page.eval("document.getElementById('dm-story').getBoundingClientRect().right")
    assert story <= left  # on a wide page the story's words stand beside the map, on its left
    title = page.eval("document.querySelector('.dm-legend li').getBoundingClientRect().right")
    assert title > 1100  # the key starts at the right edge
    assert page.page.get_by_role("checkbox", name="القواعد").count() == 1
    assert axe_violations(page) == []
    assert page.errors == []


def test_language_is_pointed_to_locale(project):
    mapfile = project / "japan-basing.map.yaml"
    mapfile.write_text(mapfile.read_text() + "language: ja\n")
    with pytest.raises(RecordError) as err:
        load_mapfile(mapfile)
    assert str(err.value.problems[0]).endswith("language: is not a map file key; did you mean locale?")


def test_render_formats_numbers_and_dates_for_german_readers(tmp_path):
    out = tmp_path / "de.html"
    result = CliRunner().invoke(main, ["render", str(SEEDS / "records"), "-o", str(out), "--locale", "de"])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert '<html lang="de" dir="ltr"' in html
    assert "54.000 Soldaten" in html and "27. Juli 2024" in html and "Stützpunkte" in html
    assert "Foreign Affairs Office Wang Yi', 27 July 2024" in html  # a record's source, as written


def test_an_unknown_locale_is_refused_with_the_languages_to_choose_from(project, tmp_path):
    mapfile = project / "japan-basing.map.yaml"
    mapfile.write_text(mapfile.read_text() + "locale: klingon\n")
    with pytest.raises(RecordError) as err:
        load_mapfile(mapfile)
    lines = mapfile.read_text().count("\n")
    assert str(err.value.problems[0]) == (f"{mapfile}:{lines}: locale: 'klingon' is not a language deploymap speaks; "
                                          f"use one of {', '.join(LOCALES)}")
    result = CliRunner().invoke(main, ["render", str(SEEDS / "records"), "-o", str(tmp_path / "x.html"),
                                       "--locale", "xx"])
    assert result.exit_code == 2 and "'xx' is not a language deploymap speaks" in result.output
    assert not (tmp_path / "x.html").exists()


def said_in_code() -> set[str]:
    """Every message the code says: say("...") literals, popup and table field names, shapes, roles."""
    from importlib import import_module

    from layers.style import ROLE_COLORS
    from output import document

    texts = set()
    for path in [*CODE.glob("layers/*.py"), *CODE.glob("output/*.py")]:
        texts |= {m[1] for m in re.findall(r"""\bsay\((['"])(.+?)\1""", path.read_text(encoding="utf-8"))}
    for kind in ("bases", "commands", "deployments", "events"):
        texts |= {label for label, _ in import_module(f"layers.{kind}").POPUP}
    texts |= set(document.TABLE_HEADS) | {label for label, _ in document.DETAILS} | set(document.SHAPES.values())
    texts |= set(RUNTIME_WORDS) | set(ROLE_COLORS) | {r.capitalize() for r in ROLE_COLORS}
    texts |= {"base", "command", "deployment", "event", "symbol"}
    texts |= {f"{{count}} {k}{s}" for k in ("base", "deployment", "command", "event") for s in ("", "s")}
    return texts


def test_the_catalogue_has_every_message_the_code_says_in_every_language():
    missing = sorted(t for t in said_in_code() if t not in CATALOGUE)
    assert missing == []
    for text, words in CATALOGUE.items():
        fields = set(re.findall(r"\{\w+\}", text))
        assert all(set(re.findall(r"\{\w+\}", w)) == fields for w in words), text
    assert say("Key", "ko") == "범례" and say("Key", "en") == "Key"
