"""The online geocoder (OpenStreetMap's Nominatim through geopy): only when asked for, never as a
silent fallback, and with every answer kept on disk so a rebuild asks nothing and gives the same map."""
from __future__ import annotations

import json
import os
from pathlib import Path

from geo.files import write_atomic
from geo.geonames import Place, cache_dir

USER_AGENT = "deploymap (https://pypi.org/project/deploymap/)"
TIMEOUT_S = 10


def cache_file() -> Path:
    """Where online answers are kept: one JSON file of query -> place (or null for 'not found')."""
    return cache_dir() / "online-geocode.json"


def _load() -> dict[str, list | None]:
    try:
        data = json.loads(cache_file().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def lookup(text: str, country: str | None) -> Place | None:
    """The place Nominatim gives for ``text`` (from the cache when asked before); None when not found.

    Raises OSError with the reason when the service cannot be reached.
    """
    key = f"{text}|{country or ''}"
    cached = _load()
    if key not in cached:
        cached[key] = _ask(text, country)
        write_atomic(cache_file(), (json.dumps(cached, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())
    hit = cached[key]
    return Place(hit[0], hit[1], hit[2], hit[3], how="online") if hit else None


def _ask(text: str, country: str | None) -> list | None:
    from geopy.exc import GeopyError
    from geopy.geocoders import Nominatim

    # DEPLOYMAP_NOMINATIM points at another Nominatim server (a newsroom's own, or a test's)
    domain = os.environ.get("DEPLOYMAP_NOMINATIM", "nominatim.openstreetmap.org")
    scheme = "http" if domain.startswith(("127.", "localhost")) else "https"
    service = Nominatim(user_agent=USER_AGENT, domain=domain, scheme=scheme, timeout=TIMEOUT_S)
    try:
        found = service.geocode(text, exactly_one=True, addressdetails=True,
                                country_codes=country.lower() if country else None)
    except GeopyError as err:
        raise OSError(f"the online geocoder did not answer ({type(err).__name__})") from None
    if found is None:
        return None
    code = str(found.raw.get("address", {}).get("country_code", country or "")).upper()
    return [str(found.address).split(",")[0], code, round(found.latitude, 4), round(found.longitude, 4)]
