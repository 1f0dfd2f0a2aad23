"""The deploymap command: thin click commands over geo, layers and output.

Heavy libraries (geopandas, folium) are imported inside the commands, so --help answers at once.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

records_argument = click.argument("records", nargs=-1, required=True, type=click.Path(path_type=Path))


@contextmanager
def reported() -> Iterator[None]:
    """Turn the project's own errors into their messages on stderr and exit status 1."""
    from geo.errors import RecordError

    try:
        yield
    except RecordError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        count = len(err.problems)
        click.echo(f"Error: {count} problem{'s' * (count != 1)}; nothing was written.", err=True)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="deploymap")
def main() -> None:
    """Sourced records of bases, deployments, commands and meetings to layered HTML maps."""


@main.command()
@records_argument
def check(records: tuple[Path, ...]) -> None:
    """Validate and geocode RECORDS (files or folders); list every problem at once."""
    with reported():
        from geo.records import read_records

        frame = read_records(records)
    click.echo(summary_table(frame))


def summary_table(frame: Any) -> str:
    """Records per kind and how each was located, as a plain-text table."""
    import pandas as pd

    table = pd.crosstab(frame["kind"], frame["resolved"], margins=True, margins_name="total")
    files = frame["origin"].str.rsplit(":", n=1).str[0].nunique()
    return f"{len(frame)} records in {files} files, all valid\n{table.to_string()}"


@main.command()
@click.argument("places", nargs=-1, required=True)
@click.option("--country", "-c", help="ISO 3166-1 alpha-2 code to narrow the search, e.g. JP.")
def geocode(places: tuple[str, ...], country: str | None) -> None:
    """Show what the gazetteer and GeoNames make of each PLACE."""
    from geo.geocode import PlaceError, resolve

    failed = False
    for text in places:
        try:
            place = resolve(text, country.upper() if country else None)
        except PlaceError as err:
            failed = True
            click.echo(f"{text}: {err.what}; {err.fix}", err=True)
            continue
        extra = f"  {place.operator}" if place.operator else ""
        click.echo(f"{text}: {place.name}, {place.country}  {place.lat:.4f}, {place.lon:.4f}  "
                   f"({place.how}){extra}")
    if failed:
        sys.exit(1)
