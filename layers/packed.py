"""Binary columns for the large-layer path: a layer's coordinates and popup columns as typed arrays,
deflated and base64-encoded into one string that layers/runtime/cloud.js inflates with the
browser's own DecompressionStream. At 1,000,000 records the JSON text of ids and names alone passed
20 MB; deflated, with numbers byte-planed, the whole layer is a fraction of that.

Deflating is the one step of the large path that needs no Python: zlib and the encoder release the GIL,
so each layer's bytes are deflated on another core (geo.worker) while the build goes on, and the
page's JSON takes the text when it is written (``Deflated``): the same bytes, in the same order.

Each part is written at an offset of the packed bytes and named in the spec as [type, offset, count]:
``i4``/``f8``/``u1``/``u2``/``u4`` numbers stored byte-plane by byte-plane (all first bytes, then all
second bytes...: the high bytes of nearby numbers repeat, so deflate finds them), ``utf8`` raw text.
"""
from __future__ import annotations

import base64
import zlib
from concurrent.futures import Future
from typing import Any

import numpy as np
import pandas as pd

from geo.worker import worker

TYPES = {"i4": "<i4", "f8": "<f8", "u1": "u1", "u2": "<u2", "u4": "<u4"}
# what infer_dtype says of a column whose every value is one such scalar (no list among them)
SCALARS = ("string", "empty", "integer", "floating", "mixed-integer-float", "boolean", "decimal", "bytes")
COORDINATE_SCALE = 10_000  # whole numbers of 1/10,000 degree: about 10 m, finer than a crowd of points shows


class Pack:
    """The bytes of one layer's parts, appended in order."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, kind: str, values: np.ndarray) -> list[Any]:
        """Append ``values`` as ``kind`` and return the part's [type, offset, count] for the spec."""
        if kind == "utf8":
            data = values.tobytes()
            count = len(data)
        else:
            planes = np.ascontiguousarray(values, dtype=TYPES[kind])
            count = len(planes)
            data = planes.view(np.uint8).reshape(count, planes.itemsize).T.tobytes()  # (0, -1) is no shape
        part = [kind, self.size, count]
        self.chunks.append(data)
        self.size += len(data)
        return part

    def encoded(self) -> Deflated:
        """The parts deflated (zlib format, which DecompressionStream calls "deflate") and base64-encoded."""
        return Deflated(b"".join(self.chunks))


# zlib's level 5: on these byte planes and texts it deflates as small as level 6, the default (1,000,000
# records: 10,080,014 against 10,097,966 bytes), in 0.54 s of CPU against 1.24 s (bench/PROFILE.md)
DEFLATE_LEVEL = 5


def _deflated(data: bytes) -> str:
    return base64.b64encode(zlib.compress(data, DEFLATE_LEVEL)).decode("ascii")


class Deflated:
    """The base64 text of ``data`` deflated, worked out on the worker thread; ``text()`` waits for it."""

    def __init__(self, data: bytes):
        self._future: Future[str] = worker().submit(_deflated, data)

    def text(self) -> str:
        """The text, once the worker has made it."""
        return self._future.result()

    def json(self) -> str:
        """The text as a JSON string (base64 needs no escape)."""
        return f'"{self.text()}"'


def _index_type(distinct: int) -> str:
    return "u1" if distinct <= 0xFF else "u2" if distinct <= 0xFFFF else "u4"


def _plain(v: Any) -> Any:
    """A dictionary value as plain JSON: numpy scalars as Python numbers."""
    return v.item() if hasattr(v, "item") else v


def _numbers(series: pd.Series, inferred: str) -> np.ndarray | None:
    """The column (of which infer_dtype says ``inferred``) as float64 with NaN for missing, or None when it
    holds anything but numbers."""
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_numeric_dtype(series) or inferred in ("integer", "floating", "mixed-integer-float"):
        return series.to_numpy(dtype="f8", na_value=np.nan)
    return None


def _one(values: np.ndarray) -> Any:
    """The value every row holds, when it is one text or one list of texts and no row misses it (a
    source, 'based here' where no record is at another), as the dictionary would give it; else None.
    Counted in one pass that finds the shared object by identity, not hashed row by row."""
    first = values[0] if len(values) else None
    if isinstance(first, (list, tuple)) and all(isinstance(v, str) for v in first):
        value: Any = tuple(first)
    elif isinstance(first, str):
        value = _plain(first)
    else:
        return None
    same = values[-1] is first or values[-1] == first  # ids and names differ here already: no count
    return value if same and values.tolist().count(first) == len(values) else None


def _distinct(series: pd.Series, inferred: str, missing: np.ndarray | None) -> int:
    """How many distinct values, missing ones left out, ``series`` holds: of text, a set of its values
    counts them at a third of pandas' cost (83,334 ids: 6 against 19 ms)."""
    if inferred == "string" and missing is not None:
        return len(set(series.to_numpy()[~missing].tolist()))
    return series.nunique()


def packed_column(series: pd.Series, pack: Pack) -> Any:
    """One popup column: the one value every row shares, each distinct value once with an index per row
    (when values repeat), numbers as float64 (NaN: missing), text as UTF-8 with a byte length per row
    (-1: missing); a column holding lists or mixed types stays plain JSON values."""
    n = len(series)
    one = _one(series.to_numpy())
    if one is not None:
        return {"dict": [one]}
    # one pass in C: "string" holds no list; without skipping missing values, "string" is text in every
    # row (ids and names), which needs no test for missing values (1.3 ms a column of 33,334)
    whole = pd.api.types.infer_dtype(series, skipna=False) == "string"
    inferred = "string" if whole else pd.api.types.infer_dtype(series, skipna=True)
    # values are iterated from the array: a Series iterates three times slower (33,334 names: 2.8 against 0.6 ms)
    lists = (inferred not in SCALARS and series.dtype == object
             and any(isinstance(v, (list, tuple)) for v in series.to_numpy()))
    if lists:  # hashable, so repeated lists (most often none at all) are found like any value
        series = pd.Series([tuple(map(str, v)) if isinstance(v, (list, tuple)) else v for v in series.to_numpy()],
                           dtype=object)
    missing = (np.zeros(n, dtype=bool) if whole else series.isna().to_numpy()) if inferred == "string" else None
    most = max(2, n // 4)  # distinct values (missing counted as one) a column may have to be a dictionary
    # ids and names are distinct in the first quarter of the rows already: not hashed all through
    head = series.iloc[: most + 1]
    if _distinct(head, inferred, None if missing is None else missing[: most + 1]) < most:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        if len(uniques) + 1 <= most:
            distinct = [None] + [_plain(v) for v in uniques]  # index 0: missing
            if len(distinct) == 2 and not (codes < 0).any():
                return {"dict": distinct[1:]}
            return {"dict": distinct, "idx": pack.add(_index_type(len(distinct)), codes + 1)}
    if lists:
        return [None if v is None or (isinstance(v, float) and v != v) else _plain(v) for v in series]
    numbers = _numbers(series, inferred)
    if numbers is not None:
        return {"num": pack.add("f8", numbers)}
    if missing is None:
        missing = series.isna().to_numpy()
    # a list, not the array: joined and measured in a third of the time (33,334 names: 1.1 against 2.7 ms)
    texts = np.where(missing, "", series.to_numpy()).tolist() if missing.any() else series.to_numpy().tolist()
    if inferred not in ("string", "empty") and not all(isinstance(v, str) for v in texts):
        return [None if m else _plain(v) for v, m in zip(series, missing)]
    joined = "".join(texts)
    if joined.isascii():
        lengths = np.fromiter(map(len, texts), dtype="i8", count=n)  # twice as fast as pandas' .str.len()
    else:
        lengths = np.fromiter((len(t.encode("utf-8")) for t in texts), dtype="i8", count=n)
    lengths[missing] = -1
    data = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
    return {"len": pack.add("i4", lengths), "text": pack.add("utf8", data)}


def packed_points(lats: np.ndarray, lons: np.ndarray, columns: dict[str, pd.Series]) -> dict[str, Any]:
    """A large layer's spec part: its point count, coordinates and popup columns in one packed string."""
    pack = Pack()
    where = {"lat": pack.add("i4", np.round(lats * COORDINATE_SCALE)),
             "lon": pack.add("i4", np.round(lons * COORDINATE_SCALE))}
    packed = {name: packed_column(series, pack) for name, series in columns.items()}
    return {"count": len(lats), "scale": COORDINATE_SCALE, "packed": {**where, "columns": packed, "data": pack.encoded()}}
