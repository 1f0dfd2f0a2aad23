"""The deploymap command: thin click commands over geo, layers and output.

Heavy libraries (geopandas, folium) are imported inside the commands, so --help answers at once.
"""
from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import click

from geo.collector import paused
from geo.worker import one_arena
from output.mapspec import THEMES

# One map's commands (check, render, export) run with the cycle collector paused: what they read and
# draw lives until the command ends, so its passes found nothing (0.2 s at 100,000 records, 1.1 s at
# 1,000,000) and memory peaks the same. Not build and watch, which draw map after map.

records_argument = click.argument("records", nargs=-1, required=True, type=click.Path(path_type=Path))
allow_outside_option = click.option("--allow-outside", is_flag=True, help="Read records files (or symlinks) that "
                                    "lead outside the project folder; refused by default.")
online_option = click.option("--online", is_flag=True, help="Ask OpenStreetMap's Nominatim for places unknown "
                             "offline (needs the network; answers are cached, so rebuilds ask nothing).")


@contextmanager
def reported(outcome: str = "") -> Iterator[None]:
    """Turn the project's own errors into their messages on stderr and exit status 1."""
    from geo.errors import RecordError

    try:
        yield
    except RecordError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        count = len(err.problems)
        click.echo(f"Error: {count} problem{'s' * (count != 1)}{outcome}.", err=True)
        sys.exit(1)


class EchoWarnings(logging.Handler):
    """The library's warnings (a cache set aside) on stderr as plain lines, like every other message."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(record.getMessage(), err=True)


def run() -> None:
    """The deploymap program, as its console script starts it: main, then the process ends there.

    Python's own exit walks and frees every object the command imported or made, one by one, only
    for the process to give its memory back whole: 0.06 s of a 100,000-record render, 0.3 s at
    1,000,000 (bench/PROFILE.md). Every command has closed (and renamed into place) each file it
    wrote and waited for its worker and build processes before main returns; the output streams
    are flushed here. A crash (any other exception) leaves through Python's exit, with its traceback.
    """
    one_arena()
    try:
        main()
        status: Any = 0
    except SystemExit as done:
        status = done.code
    if status is None:
        status = 0
    elif not isinstance(status, int):  # as Python's exit treats sys.exit("message")
        print(status, file=sys.stderr)
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        status = 120  # Python's exit status when it cannot flush them (a reader that closed the pipe)
    os._exit(status)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="deploymap")
def main() -> None:
    """Sourced records of bases, deployments, commands and meetings to layered HTML maps."""
    # deploymap does no linear algebra: the OpenBLAS thread per core that numpy's import starts only
    # cost every command 0.05 s of clock and CPU (bench/PROFILE.md). A user's own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    logger = logging.getLogger("deploymap")
    logger.handlers = [EchoWarnings()]
    logger.propagate = False


@main.command()
@records_argument
@online_option
@click.option("--strict", is_flag=True, help="Treat warnings (a record without a source, a point at sea "
              "outside its country) as errors.")
@allow_outside_option
def check(records: tuple[Path, ...], online: bool, strict: bool, allow_outside: bool) -> None:
    """Validate and geocode RECORDS (files or folders); list every problem at once."""
    with reported(), paused():
        from geo.records import load_records

        loaded = load_records(records, online, strict=strict, allow_outside=allow_outside)
    for warning in loaded.warnings:
        click.echo(str(warning), err=True)
    click.echo(summary_table(loaded.frame, len(loaded.warnings)))


def records_said(count: int) -> str:
    """'1 record', '15 records': what a command reports it read or drew."""
    return f"{count} record" if count == 1 else f"{count} records"


def summary_table(frame: Any, warnings: int = 0) -> str:
    """Records per kind and how each was located, as a plain-text table."""
    import pandas as pd

    table = pd.crosstab(frame["kind"], frame["resolved"], margins=True, margins_name="total")
    files = frame["origin"].str.rsplit(":", n=1).str[0].nunique()
    said = f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""
    return f"{records_said(len(frame))} in {files} file{'s' * (files != 1)}, all valid{said}\n{table.to_string()}"


@main.command()
@click.argument("places", nargs=-1, required=True)
@click.option("--country", "-c", help="ISO 3166-1 alpha-2 code to narrow the search, e.g. JP.")
@online_option
def geocode(places: tuple[str, ...], country: str | None, online: bool) -> None:
    """Show what the gazetteer and GeoNames make of each PLACE."""
    from geo.geocode import PlaceError, resolve

    failed = False
    for text in places:
        try:
            place = resolve(text, country.upper() if country else None, online)
        except PlaceError as err:
            failed = True
            click.echo(f"{text}: {err.what}; {err.fix}", err=True)
            continue
        extra = f"  {place.operator}" if place.operator else ""
        click.echo(f"{text}: {place.name}, {place.country}  {place.lat:.4f}, {place.lon:.4f}  "
                   f"({place.how}){extra}")
    if failed:
        sys.exit(1)


@main.command()
@click.argument("query", required=False)
@click.option("--country", "-c", help="Only places in this country (ISO 3166-1 alpha-2), e.g. PH.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "geojson"]), default="table", show_default=True)
def gazetteer(query: str | None, country: str | None, fmt: str) -> None:
    """List the installations the offline geocoder knows, or search them and GeoNames for QUERY."""
    from geo.fields import FieldError, country as country_code
    from geo.geocode import known
    from output.places import FORMATS

    try:
        code = country_code(country) if country else None
    except FieldError as err:
        raise click.BadParameter(f"{err.what}; {err.fix}", param_hint="--country") from None
    places = known(query, code)
    if not places:
        click.echo(f"nothing known offline for {query!r}" + (f" in {code}" if code else ""), err=True)
        sys.exit(1)
    click.echo(FORMATS[fmt](places))


def progress(message: str) -> None:
    """Say what long work is doing, on a terminal only (a pipe or a log stays quiet)."""
    if sys.stderr.isatty():
        click.echo(message, err=True)


assets_option = click.option("--assets", type=click.Choice(["inline", "cdn"]), default="inline", show_default=True,
                             help="inline: works offline; cdn: a smaller page that loads Leaflet from unpkg.")
pdf_option = click.option("--pdf", is_flag=True, help="Also write NAME.pdf: the map as a vector PDF, printed by "
                          "headless Chromium.")
social_option = click.option("--social", is_flag=True, help="Also write NAME.social.png: a 1200x630 share image "
                             "with the title and no controls.")
out_option = click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                          default=Path("maps"), show_default=True, help="Folder for the built maps.")


def comma_list(_ctx: click.Context, _param: click.Parameter, value: str | None) -> list[str] | None:
    """'bases, events' -> ['bases', 'events']."""
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def kind_list(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
    """Record kinds, each one deploymap knows."""
    from geo.fields import KINDS

    kinds = comma_list(ctx, param, value)
    unknown = [k for k in kinds or [] if k not in KINDS]
    if unknown:
        raise click.BadParameter(f"{unknown[0]!r} is not a record kind; use {', '.join(KINDS)}")
    return kinds


def iso_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A YYYY-MM-DD date, checked."""
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


@main.command()
@records_argument
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write.")
@click.option("--title", default="Map", show_default=True)
@click.option("--dek", default="", help="The sentence under the title.")
@click.option("--source", default="", help="Source line under the map.")
@click.option("--credit", default="", help="Credit line under the map.")
@click.option("--alt", default="", help="The map's text alternative for screen readers (default: written from "
              "the records).")
@click.option("--layers", callback=comma_list, help="Layers in order, e.g. countries,bases,events (default: all "
              "that have something to draw).")
@click.option("--kinds", callback=kind_list, help="Only these record kinds, e.g. base,event.")
@click.option("--tags", callback=comma_list, help="Only records with any of these tags.")
@click.option("--as-of", callback=iso_date, help="Only records valid on this date (YYYY-MM-DD).")
@click.option("--basemap", default="natural-earth", show_default=True,
              help="natural-earth (offline) or an xyzservices name such as OpenStreetMap.Mapnik.")
@click.option("--locale", default="en", show_default=True,
              help="The page's language (en ja ko zh fr de es ar): its own words, numbers and dates; records "
              "stay as written.")
@click.option("--theme", default="auto", show_default=True, type=click.Choice(THEMES),
              help="auto follows the reader's light or dark setting (or the embed's #theme=dark).")
@click.option("--large/--small", "large", default=None,
              help="Force the large-layer (canvas) path, or rich markers; default: by record count.")
@assets_option
@pdf_option
@social_option
@online_option
@allow_outside_option
def render(records: tuple[Path, ...], output: Path, title: str, dek: str, source: str, credit: str, alt: str,
           layers: list[str] | None, kinds: list[str] | None, tags: list[str] | None, as_of: str | None,
           basemap: str, locale: str, theme: str, large: bool | None, assets: str, pdf: bool, social: bool,
           online: bool, allow_outside: bool) -> None:
    """Render one map from RECORDS (files or folders) to an HTML file."""
    with reported("; nothing was written"), paused():
        from geo.errors import Problem, RecordError
        from geo.readers import read_early, record_files

        # the folders walked once, here: load_records takes the files found (or, when a path is refused,
        # the paths as given, and names the problem in its turn)
        files: Sequence[Path] = records
        early = {}
        with suppress(RecordError):
            files = record_files(records, allow_outside=allow_outside)
            early = read_early(files)  # while the libraries import
        from geo.files import commit_atomic
        from layers.basemap import BASEMAP_FIX, basemap_problem
        from geo.records import load_records
        from layers.messages import LOCALES
        from output.api import Map, layer_choices

        try:
            layer_choices(layers or [])
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="--layers") from None
        if basemap_problem(basemap):
            raise click.BadParameter(f"{basemap_problem(basemap)}; {BASEMAP_FIX}", param_hint="--basemap")
        # checked here, not by an option's callback: the catalogue's package imports every layer (pandas,
        # geopandas, folium), and a callback runs before read_early could start
        if locale not in LOCALES:
            raise click.BadParameter(f"{locale!r} is not a language deploymap speaks; use {', '.join(LOCALES)}",
                                     param_hint="'--locale'")  # quoted, as click names an option
        progress(f"reading {len(records)} path(s)")
        loaded = load_records(files, online, allow_outside=allow_outside, early=early)
        frame = loaded.frame
        for warning in loaded.warnings:
            click.echo(str(warning), err=True)
        page = Map(frame, title=title, layers=layers, dek=dek, source=source, credit=credit, kinds=kinds, tags=tags,
                   as_of=as_of, basemap=basemap, assets=assets, large=large, alt=alt, locale=locale,
                   theme=theme)
        progress(f"drawing {records_said(len(frame))}")
        rendered = page.render()
        stills = [kind for kind, wanted in (("social", social), ("pdf", pdf)) if wanted]
        pictures: dict[Path, bytes] = {}
        if stills:
            from output.preview import STILLS, take_stills

            progress("taking " + " and ".join(stills))
            pictures = {output.with_suffix(STILLS[kind]): data for kind, data
                        in take_stills(rendered.html, page.spec.width, page.spec.height, stills).items()}
        page_bytes = rendered.html.encode()
        try:
            commit_atomic({**pictures, output: page_bytes})
        except OSError as err:
            raise RecordError([Problem(str(output), "", "output", f"cannot be written ({err.strerror or err})",
                                       "free some space or choose a folder you may write to")]) from None
    canvas = [kind for kind, layer in rendered.layers.items() if layer.large]
    note = f"; on canvas: {', '.join(canvas)}" if canvas else ""
    shown = f"{rendered.count} of {records_said(len(frame))}" if rendered.count != len(frame) else records_said(len(frame))
    click.echo(f"wrote {output} ({shown}, {len(page_bytes) // 1024} KiB{note})")
    for path in pictures:
        click.echo(f"wrote {path}")


def export_path(_ctx: click.Context, _param: click.Parameter, value: Path) -> Path:
    """A file name whose suffix names an export format."""
    from output.export import format_of

    try:
        format_of(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None
    return value


@main.command()
@records_argument
@click.option("--to", "to", type=click.Path(dir_okay=False, path_type=Path), required=True, callback=export_path,
              help="The file to write: .kmz or .kml (Google Earth), .gpkg (QGIS), .csv or .geojson.")
@click.option("--title", help="The document's name in Google Earth (default: the file's name).")
@click.option("--kinds", callback=kind_list, help="Only these record kinds, e.g. base,event.")
@click.option("--tags", callback=comma_list, help="Only records with any of these tags.")
@click.option("--as-of", callback=iso_date, help="Only records valid on this date (YYYY-MM-DD).")
@online_option
def export(records: tuple[Path, ...], to: Path, title: str | None, kinds: list[str] | None,
           tags: list[str] | None, as_of: str | None, online: bool) -> None:
    """Export RECORDS (files or folders) to FILE for Google Earth, QGIS or a spreadsheet."""
    with reported("; nothing was written"), paused():
        from output.api import Map, read_records

        chosen = Map(read_records(records, online), title=title or to.stem, kinds=kinds, tags=tags, as_of=as_of)
        chosen.export(to)
    click.echo(f"wrote {to} ({records_said(len(chosen.records))})")


def base_url(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """An http(s) address or a relative path, ending in '/'."""
    from output.embed import base_url_problem

    if base_url_problem(value):
        raise click.BadParameter(f"{base_url_problem(value)}; give http(s)://host/path/ or a relative path ending "
                                 "in /, e.g. https://example.org/maps/")
    return value


root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="The project folder: map files (*.map.yaml) are found there when none are named, "
                           "and records may not lead out of it.  [default: seeds, or each named map file's folder]")
allow_outside_build = click.option("--allow-outside", is_flag=True, help="Let map files name records (or "
                                   "symlinks) outside --root.")


def project_root(root: Path | None, named: bool) -> Path | None:
    """--root, else seeds/ (or None when map files are named: each one's folder); it must be a folder."""
    folder = root or (None if named else Path("seeds"))
    if folder is not None and not folder.is_dir():
        raise click.BadParameter(f"{str(folder)!r} is not a folder", param_hint="--root")
    return folder


@main.command()
@click.argument("mapfiles", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@out_option
@root_option
@click.option("--force", is_flag=True, help="Rebuild every map, changed or not.")
@click.option("--preview", is_flag=True, help="Also write NAME.png at twice the map's size, without controls, "
              "taken by headless Chromium.")
@pdf_option
@social_option
@click.option("--base-url", default="", callback=base_url, help="Where the maps are published (https://host/path/ "
              "or a relative path, ending in /): prefix for the map's address in the embed snippet, and for the "
              "share tags (og:, twitter:) in the page.")
@click.option("--prune", is_flag=True, help="Remove the outputs of map files that were deleted or renamed.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=lambda: os.cpu_count() or 1,
              show_default="the machine's cores", help="Maps rendered at once, in as many processes.")
@allow_outside_build
@online_option
def build(mapfiles: tuple[Path, ...], out_dir: Path, root: Path | None, force: bool, preview: bool, pdf: bool,
          social: bool, base_url: str, prune: bool, jobs: int, allow_outside: bool, online: bool) -> None:
    """Build every map (or MAPFILES): HTML, embed snippet and GeoJSON; only what changed."""
    from output.build import build as build_maps
    from output.mapfile import find_mapfiles

    folder = project_root(root, bool(mapfiles))
    files = list(mapfiles) or find_mapfiles(folder)  # folder is None only when map files are named
    if not files:
        raise click.UsageError(f"no map files (*.map.yaml) under {folder}")
    with reported():
        outcomes = build_maps(files, out_dir, force=force, preview=preview, base_url=base_url, online=online,
                              say=progress, root=folder, allow_outside=allow_outside, complete=not mapfiles,
                              prune=prune, note=lambda line: click.echo(line, err=True), pdf=pdf, social=social,
                              jobs=jobs)
    if not report(outcomes):
        sys.exit(1)


def report(outcomes: list[Any]) -> bool:
    """Print one line per map (and the problems of failed ones); True when none failed."""
    for outcome in outcomes:
        if outcome.status == "failed":
            click.echo(f"failed  {outcome.mapfile}: previous output kept", err=True)
            for problem in outcome.error.problems:
                click.echo(f"  {problem}", err=True)
        elif outcome.status in ("stale", "pruned"):
            click.echo(f"{outcome.status:7} {outcome.mapfile}: {', '.join(p.name for p in outcome.outputs)} "
                       f"({outcome.reason})", err=True)
        else:
            click.echo(f"{outcome.status:7} {outcome.mapfile} -> {outcome.outputs[0]} ({outcome.reason})")
            for warning in outcome.warnings:
                click.echo(f"  {warning}", err=True)
    failed = sum(o.status == "failed" for o in outcomes)
    built = sum(o.status == "built" for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    old = sum(o.status in ("stale", "pruned") for o in outcomes)
    click.echo(f"{built} built, {skipped} skipped, {failed} failed" + (f", {old} stale" if old else ""),
               err=bool(failed))
    return not failed


@main.command()
@out_option
@root_option
@allow_outside_build
def watch(out_dir: Path, root: Path | None, allow_outside: bool) -> None:
    """Rebuild the maps under --root whenever a record or map file changes; Ctrl-C stops."""
    from output.watch import watch as watch_maps

    watch_maps(project_root(root, False), out_dir, on_build=report, say=lambda line: click.echo(line, err=True),
               allow_outside=allow_outside)
