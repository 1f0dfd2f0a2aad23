"""Many pixel boxes against many others at once, on a coarse grid of counts: which boxes surely meet
none of the others, and which surely meet one. Label placement tests tens of
thousands of boxes per zoom; at a crowded zoom each meets hundreds, and at a sparse one almost none,
so the grid settles nearly all of them with a few array sums and leaves the exact test to the rest.

Every answer is exact in floating point, not just likely: a cell is ``floor((x - origin) / size)``,
which never decreases as x grows. So two boxes that meet share a cell, and a box whose cells reach a
cell strictly inside another box's first and last cells overlaps it (x0 < its x1 because x0's cell
is before x1's, and so on for each side).
"""
from __future__ import annotations

import numpy as np

CELLS = (16, 256)  # cells along the longer side, fewest and most: 8 per square root of the shapes


def _sum(table: np.ndarray, cx0: np.ndarray, cy0: np.ndarray, cx1: np.ndarray, cy1: np.ndarray) -> np.ndarray:
    """The counts in cells cx0..cx1 x cy0..cy1 (inclusive, clipped to the grid; empty when reversed)."""
    nx, ny = table.shape[1] - 1, table.shape[0] - 1
    x0, x1 = np.clip(cx0, 0, nx), np.clip(cx1 + 1, 0, nx)
    y0, y1 = np.clip(cy0, 0, ny), np.clip(cy1 + 1, 0, ny)
    x1, y1 = np.maximum(x1, x0), np.maximum(y1, y0)
    flat, width = table.ravel(), nx + 1  # flat reads: far quicker than two index arrays
    y0, y1 = y0 * width, y1 * width
    return flat.take(y1 + x1) - flat.take(y0 + x1) - flat.take(y1 + x0) + flat.take(y0 + x0)


class BoxGrid:
    """Shapes by two boxes each (n x 4: x0, y0, x1, y1; at least one shape): ``outer`` holds all of the
    shape, ``inner`` lies inside it (the same box, for a box; a square inside a disc). Each shape is
    counted on every cell its outer box touches, and on every cell strictly inside its inner box."""

    def __init__(self, outer: np.ndarray, inner: np.ndarray | None = None) -> None:
        x0, y0 = outer[:, 0].min(), outer[:, 1].min()
        span = max(outer[:, 2].max() - x0, outer[:, 3].max() - y0, 1.0)  # 1: no cell is tiny
        self.count = min(max(int(8 * len(outer) ** 0.5), CELLS[0]), CELLS[1])
        self.origin, self.size = (x0, y0), span / self.count
        self.outer = self.cells(outer)
        cx0, cy0, cx1, cy1 = self.cells(outer if inner is None else inner)
        self.inner = cx0 + 1, cy0 + 1, cx1 - 1, cy1 - 1
        # how many shapes touch and fill each cell, each counted when first asked (fan-out's crowds
        # only ever ask which boxes surely meet)
        self.touched: np.ndarray | None = None
        self.filled: np.ndarray | None = None

    def _counts(self, cx0: np.ndarray, cy0: np.ndarray, cx1: np.ndarray, cy1: np.ndarray) -> np.ndarray:
        """Summed-area table of how many of the cell ranges cover each cell (empty ranges none)."""
        n = self.count + 2  # the far edge's own cell, and one past it for the difference marks
        keep = (cx0 <= cx1) & (cy0 <= cy1)
        cx0, cy0 = np.clip(cx0[keep], 0, n - 1), np.clip(cy0[keep], 0, n - 1)
        cx1, cy1 = np.clip(cx1[keep] + 1, 0, n - 1), np.clip(cy1[keep] + 1, 0, n - 1)
        # a zero row and column in front, then the marks: summed once they give each cell's count,
        # twice the summed-area table (the sum of any cell range in four reads); summed in place, as
        # a fresh array for each sum costs more than the sum
        table = np.zeros((n + 1, n + 1), dtype=np.int64)
        marks = table[1:, 1:]
        np.add.at(marks, (cy0, cx0), 1)
        np.add.at(marks, (cy0, cx1), -1)
        np.add.at(marks, (cy1, cx0), -1)
        np.add.at(marks, (cy1, cx1), 1)
        for _ in range(2):
            np.cumsum(table, axis=0, out=table)
            np.cumsum(table, axis=1, out=table)
        return table

    def cells(self, boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The first and last cell column and row each box touches."""
        x = np.floor((boxes[:, 0::2] - self.origin[0]) / self.size).astype(np.int64)
        y = np.floor((boxes[:, 1::2] - self.origin[1]) / self.size).astype(np.int64)
        return x[:, 0], y[:, 0], x[:, 1], y[:, 1]

    def _others(self, table: np.ndarray, ranges: tuple[np.ndarray, ...], boxes: np.ndarray | tuple[np.ndarray, ...],
                own: np.ndarray) -> np.ndarray:
        """For each box (or its ``cells``), the counts in ``table`` over its cells, less what its own
        shape's ``ranges`` add."""
        cx0, cy0, cx1, cy1 = self.cells(boxes) if isinstance(boxes, np.ndarray) else boxes
        total = _sum(table, cx0, cy0, cx1, cy1)
        mine = own >= 0
        ox0, oy0, ox1, oy1 = (c[own[mine]] for c in ranges)
        total[mine] -= (np.maximum(np.minimum(cx1[mine], ox1) - np.maximum(cx0[mine], ox0) + 1, 0)
                        * np.maximum(np.minimum(cy1[mine], oy1) - np.maximum(cy0[mine], oy0) + 1, 0))
        return total

    def meets_and_near(self, boxes: np.ndarray, own: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each of ``boxes``, whether it surely meets a shape other than its own (index ``own``, or
        -1): its cells reach a cell strictly inside that shape's inner box, so the two overlap by more
        than rounding; and whether it shares a cell with any such shape (False: it surely meets none)."""
        cells = self.cells(boxes)
        hit = self.surely_met(cells, own) > 0
        near = hit.copy()  # a box that surely meets a shape shares its cells: only the others are counted
        rest = np.flatnonzero(~hit)
        if self.touched is None:
            self.touched = self._counts(*self.outer)
        near[rest] = self._others(self.touched, self.outer, tuple(c.take(rest) for c in cells), own.take(rest)) > 0
        return hit, near

    def surely_met(self, boxes: np.ndarray | tuple[np.ndarray, ...], own: np.ndarray) -> np.ndarray:
        """For each of ``boxes`` that is one cell (a point), how many shapes other than its own it
        surely meets (as ``meets_and_near``); for a larger box, a count of shape cells, not of shapes."""
        if self.filled is None:
            self.filled = self._counts(*self.inner)
        return self._others(self.filled, self.inner, boxes, own)
