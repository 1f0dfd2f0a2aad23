"""How place names are compared: one folding, applied alike to what a record says and to what the
gazetteer and GeoNames know, so that only spelling that a reader would not notice is ignored."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

FOLDING = "fold2"  # names caches of folded keys: change it whenever fold() changes

# Military abbreviations and their spelled-out forms fold to one token, so 'Lumbia AB' is 'Lumbia Air Base'.
SYNONYMS = {
    "marine corps air station": "mcas", "marine corps base": "mcb", "naval air station": "nas",
    "naval air facility": "naf", "air force base": "afb", "air base": "ab", "joint base": "jb",
    "commander fleet activities": "cfa", "naval base": "nb", "cp": "camp", "ft": "fort",
    "airport": "airfield", "air field": "airfield",
}
_SYNONYM = re.compile(r"(?<!\S)(" + "|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)) + r")(?!\S)")
_APOSTROPHES = dict.fromkeys(map(ord, "'’ʼ`´"), None)  # O'Donnell and ODonnell are one name
_ASCII_PUNCTUATION = re.compile(r"[^0-9a-z]+")


def _is_latin(char: str) -> bool:
    return bool(char) and unicodedata.name(char, "").startswith("LATIN")


def _strip_latin_accents(name: str) -> str:
    """Drop accents from Latin letters only: a Japanese voicing mark or a Hangul jamo changes the word."""
    out: list[str] = []
    base = ""
    for char in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(char):
            if _is_latin(base):
                continue
        else:
            base = char
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def _word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """The lookup key of a place name: 'NAF  Atsugi.', 'naf atsugi' and 'Naval Air Facility Atsugi' agree.

    Case, Latin accents, full-width forms (NFKC), every kind of dash, punctuation and spacing are
    ignored; Japanese, Korean and Chinese characters are kept as they are. A name with any
    character other than spaces never folds to '' (a name of punctuation only keys as itself).
    """
    if name.isascii():  # most names, and all 230,000 GeoNames alternates we index: the short road
        plain = name.lower()
        words = _ASCII_PUNCTUATION.sub(" ", plain.translate(_APOSTROPHES))
    else:
        plain = unicodedata.normalize("NFKC", name).casefold()
        words = "".join(c if _word_char(c) else " " for c in _strip_latin_accents(plain.translate(_APOSTROPHES)))
    key = _SYNONYM.sub(lambda m: SYNONYMS[m.group(1)], " ".join(words.split()))
    return key or " ".join(plain.split())
