"""The Python API for notebooks: the README's example runs, the CLI is the same functions, and the
inline view is the self-contained page in a sandboxed iframe that makes no request."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import deploymap
from output.cli import main
from tests.conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def seeds():
    return deploymap.read_records(SEEDS / "records")


def test_the_readmes_python_example_runs_and_returns_the_page(project, monkeypatch):
    block = re.search(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    monkeypatch.chdir(project.parent)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - the README's own example
    html = namespace["html"]
    assert html.startswith("<!DOCTYPE html>") and "<title>A week of alliance diplomacy, July 2024</title>" in html
    saved = (project.parent / "japan.html").read_text(encoding="utf-8")
    assert "<h1 id=\"dm-title\">US forces in Japan</h1>" in saved and "<script src=" not in saved
    exported = deploymap.read_records(project.parent / "japan.kmz")
    assert set(exported["kind"]) == {"base", "deployment", "command"} and len(exported) == 11
    assert {f["properties"]["layer"] for f in namespace["drawn"]["features"]} >= {"Troops", "Bases"}


def test_the_cli_render_writes_exactly_what_the_api_makes(seeds, tmp_path):
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["render", str(SEEDS / "records"), "-o", str(out), "--title", "Week",
                                       "--layers", "bases,events", "--as-of", "2024-07-28"])
    assert result.exit_code == 0, result.output
    page = deploymap.Map(seeds, title="Week", layers=["bases", "events"], as_of="2024-07-28")
    assert out.read_text(encoding="utf-8") == page.to_html()
    assert len(page.records) == 14 and "(14 of 15 records" in result.output and page.save(tmp_path / "again.html").read_bytes() == out.read_bytes()


def test_a_map_from_a_map_file_is_the_page_build_writes(project, tmp_path):
    assert CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(tmp_path)]).exit_code == 0
    page = deploymap.Map.from_file(project / "japan-basing.map.yaml")
    assert page.to_html() == (tmp_path / "japan-basing.html").read_text(encoding="utf-8")
    assert page.spec.title == 'US forces in Japan after the July 2024 "2+2"'


def test_unknown_options_and_layers_are_refused_by_name(seeds):
    with pytest.raises(TypeError, match="Map\\(\\) has no option 'colour'"):
        deploymap.Map(seeds, colour="red")
    with pytest.raises(ValueError, match="'base' is not a layer; use bases"):
        deploymap.Map(seeds, layers=["base"])
    with pytest.raises(deploymap.RecordError, match="does not exist"):
        deploymap.read_records("no/such/records.csv")


@pytest.mark.browser
def test_the_inline_view_runs_in_a_sandboxed_iframe_with_no_request(seeds, browser, tmp_path):
    title = 'Map "with" <b>quotes</b> & a </iframe><script>window.__xss = 1</script>'
    inline = deploymap.Map(seeds, title=title)._repr_html_()
    assert inline.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') and 'sandbox="allow-scripts"' in inline
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f"<!DOCTYPE html><html><body><div class=output>{inline}</div></body></html>", encoding="utf-8")
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else (requests.append(route.request.url), route.abort()))
        page.goto(notebook.as_uri())
        assert page.evaluate("document.querySelectorAll('iframe').length") == 1
        assert page.evaluate("document.body.querySelectorAll('script, b').length") == 0
        frame = page.frames[1]
        frame.wait_for_function("window.deploymap && deploymap.ready", timeout=30000)
        assert frame.evaluate("document.querySelectorAll('[data-record]').length") == 15  # every record, troop circles included
        assert frame.evaluate("document.querySelector('h1').textContent") == title
        assert frame.evaluate("window.__xss") is None and page.evaluate("window.__xss") is None
        assert frame.evaluate("document.querySelector('.folium-map').getBoundingClientRect().height") > 100
        assert requests == []
    finally:
        page.close()
