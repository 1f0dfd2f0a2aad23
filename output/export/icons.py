"""Placemark icons: a small PNG per record kind, the map's marker shape in the kind's colour with a white
rim, drawn with numpy (supersampled edges) and written by a tiny PNG encoder, the same bytes everywhere.

A symbol set (APP-6 images, say) plugs in by giving the KMZ writer another ``icon(kind) -> PNG bytes``.
"""
from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable
from functools import cache

import numpy as np

from layers.style import COLORS

SIZE = 32
SAMPLES = 4  # per pixel side: 16 samples smooth the edges
RIM = 0.76  # the coloured shape's size inside its white rim
STAR = [(r * math.sin(math.pi * k / 5), -r * math.cos(math.pi * k / 5)) for k, r in zip(range(10), [1.0, 0.45] * 5)]


def _star(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Inside a five-pointed star, point up, of radius 1 (even-odd rule)."""
    inside = np.zeros(x.shape, dtype=bool)
    for (x1, y1), (x2, y2) in zip(STAR, STAR[1:] + STAR[:1]):
        crosses = (y1 > y) != (y2 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            inside ^= crosses & (x < x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    return inside


SHAPES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "base": lambda x, y: np.maximum(abs(x), abs(y)) <= 0.8,
    "deployment": lambda x, y: abs(x) + abs(y) <= 1.0,
    "command": _star,
    "event": lambda x, y: x * x + y * y <= 0.85,
}


@cache
def icon(kind: str) -> bytes:
    """The PNG icon of a record kind: its marker shape in its colour, rimmed in white, on transparency."""
    inside = SHAPES[kind]
    steps = (np.arange(SIZE * SAMPLES) + 0.5) / (SIZE * SAMPLES) * 2 - 1
    x, y = np.meshgrid(steps, steps)

    def coverage(scale: float) -> np.ndarray:
        hits = inside(x / scale, y / scale).astype(float)
        return hits.reshape(SIZE, SAMPLES, SIZE, SAMPLES).mean(axis=(1, 3))

    outer, inner = coverage(0.95), coverage(0.95 * RIM)
    share = np.divide(inner, outer, out=np.zeros_like(outer), where=outer > 0)
    colour = np.array([int(COLORS[kind][i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    rgb = 255 + (colour - 255) * share[..., None]
    rgba = np.dstack([rgb, 255 * outer]).round().astype(np.uint8)
    scanlines = b"".join(b"\x00" + row.tobytes() for row in rgba)  # filter type 0 (none) per scanline
    return png(SIZE, SIZE, scanlines)


def png(width: int, height: int, scanlines: bytes) -> bytes:
    """A PNG file of 8-bit RGBA ``scanlines`` (each starting with its filter byte)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(scanlines, 9))
            + chunk(b"IEND", b""))
