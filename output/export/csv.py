"""Records as CSV: lat/lon, every field, lists joined with ';' as in the input; safe to open in a spreadsheet."""
from __future__ import annotations

import codecs
import csv
import io
import re
from typing import Any

import geopandas as gpd

from output.export.columns import columns, joined, records

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


def to_bytes(frame: gpd.GeoDataFrame, title: str = "") -> bytes:
    """The records as UTF-8 CSV (with a BOM, so spreadsheets read the accents right), one row each."""
    names = columns(frame)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(n) for n in names])
    for record in records(frame):
        writer.writerow([cell(record[n]) for n in names])
    return codecs.BOM_UTF8 + out.getvalue().encode()


def cell(value: Any) -> str:
    """One cell as text: empty when missing, numbers as Python writes them (shortest exact), text neutralised."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    return neutralise(str(joined(value)))


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; plain numbers (-33.8) stay numbers."""
    if text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text):
        return "'" + text
    return text
