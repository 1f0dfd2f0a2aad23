"""How place names are compared: accents, case and punctuation do not matter."""
from __future__ import annotations

import re
import unicodedata


def normalise(name: str) -> str:
    """Fold a place name for lookup: 'NAF  Atsugi.' and 'naf atsugi' are the same key."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded).split())
