"""How place names are compared: accents, case and punctuation do not matter."""
from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(name: str) -> str:
    """Fold a place name for lookup: 'NAF  Atsugi.' and 'naf atsugi' are the same key."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(_NOT_ALNUM.sub(" ", name.lower()).split())
