"""Plain decimal numbers (-12.3456, 54000) read by numpy from a CSV's bytes, each the very value float() or
int() gives its text: a column of coordinates or counts converted on the worker thread without the GIL,
beside the imports, not by a Python call per value on the main thread."""
from __future__ import annotations

import numpy as np

DIGITS = 15  # at most: the digits as one integer stay under 2**53, exact in a float
WIDTH = DIGITS + 2  # the digits, a '-' and a '.'
SAMPLE = 1024  # a column's first fields, tried before the whole column (an id or a name fails there)
POWERS = 10 ** np.arange(DIGITS + 1, dtype=np.int64)


def plain_numbers(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> list[int | float | None] | None:
    """The fields of ``data`` at ``starts`` of ``lengths`` bytes as numbers, None for an empty field, when
    every field is empty or a plain decimal (digits, maybe a '-' before them and a '.' between two of them,
    at most DIGITS digits): ints, as int() reads them, when no field has a '.', else floats, as float()
    reads them. None when any field is anything else (a space, a '+', an exponent, degrees and minutes)."""
    if _values(data, starts[:SAMPLE], lengths[:SAMPLE]) is None:
        return None
    values = _values(data, starts, lengths)
    if values is None:
        return None
    numbers: list[int | float | None] = values.tolist()
    for i in np.flatnonzero(lengths == 0).tolist():
        numbers[i] = None
    return numbers


def _values(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray | None:
    """The fields' values (see plain_numbers; 0 for an empty field), int64 or float64, or None. Read a
    byte place at a time over every field at once (a field's bytes are its digits read as one integer)."""
    width = int(lengths.max(initial=0))
    if width == 0 or width > WIDTH:
        return None
    count = len(starts)
    whole, digits, decimals = (np.zeros(count, np.int64) for _ in range(3))
    bad, dotted, after_dot, after_digit = (np.zeros(count, bool) for _ in range(4))
    minus = (lengths > 0) & (data.take(starts, mode="clip") == ord("-"))
    for place in range(width):
        inside = lengths > place
        byte = data.take(starts + place, mode="clip")
        value = byte - np.uint8(ord("0"))  # a digit's value; other bytes wrap past 9
        digit = inside & (value < 10)
        dot = inside & (byte == ord("."))
        other = inside & ~digit & ~dot
        bad |= other & ~minus if place == 0 else other  # a '-' only before the digits
        bad |= (dot & (dotted | ~after_digit)) | (after_dot & ~digit)  # one '.', between two digits
        whole = np.where(digit, whole * 10 + value, whole)
        digits += digit
        decimals += digit & dotted
        dotted |= dot
        after_dot, after_digit = dot, digit
    bad |= after_dot | (digits > DIGITS) | ((digits == 0) & (lengths > 0))
    if bad.any():
        return None
    whole[minus] *= -1
    if not dotted.any():
        return whole
    # both exact (under 2**53, and a power of ten up to 1e15), so the quotient is the correctly rounded
    # value of the decimal, as float() gives it (Clinger's fast path)
    values = np.abs(whole) / POWERS[decimals].astype(float)
    return np.where(minus, -values, values)
