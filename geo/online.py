"""The online geocoder (OpenStreetMap's Nominatim through geopy): only when asked for, never as a
silent fallback, and with every answer kept on disk so a rebuild asks nothing and gives the same map."""
from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from geo.errors import RecordError
from geo.files import read_limited, set_aside, write_atomic
from geo.files import cache_dir
from geo.geonames import Place

USER_AGENT = "deploymap (https://pypi.org/project/deploymap/)"
TIMEOUT_S = 10
VERSION = 1  # of the cache file's shape: {"version": 1, "answers": {query: [name, CC, lat, lon] or null}}


def cache_file() -> Path:
    """Where online answers are kept: one JSON file of query -> place (or null for 'not found')."""
    return cache_dir() / "online-geocode.json"


def answer_ok(hit: Any) -> bool:
    """An answer as cached: null, or [name, two-letter country, lat, lon] with a real position."""
    return hit is None or (isinstance(hit, list) and len(hit) == 4 and isinstance(hit[0], str)
                           and isinstance(hit[1], str) and len(hit[1]) <= 2 and _position_ok(hit[2], hit[3]))


def _position_ok(lat: Any, lon: Any) -> bool:
    return (all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (lat, lon))
            and -90 <= lat <= 90 and -180 <= lon <= 180)


def _load() -> dict[str, list | None]:
    """The cached answers; a file of the wrong shape, version or with impossible answers is set aside
    (its good answers kept), never silently emptied."""
    path = cache_file()
    if not path.exists():
        return {}
    try:
        data = json.loads(read_limited(path).decode("utf-8"))
    except (RecordError, ValueError):
        data = None
    if isinstance(data, dict) and "version" not in data:  # the first shape: the answers alone
        data = {"version": VERSION, "answers": data}
    answers = data.get("answers") if isinstance(data, dict) and data.get("version") == VERSION else None
    if not isinstance(answers, dict):
        set_aside(path, "is not a cache of online answers (not JSON, or of another shape or version)")
        return {}
    good = {k: v for k, v in answers.items() if isinstance(k, str) and answer_ok(v)}
    if len(good) != len(answers):
        set_aside(path, f"has {len(answers) - len(good)} impossible answers (a position off the globe, NaN, "
                  "or the wrong shape); the others are kept")
        _save(good)
    return good


def _save(answers: dict[str, list | None]) -> None:
    try:
        write_atomic(cache_file(), (json.dumps({"version": VERSION, "answers": answers}, ensure_ascii=False,
                                               indent=1, sort_keys=True) + "\n").encode())
    except OSError:
        pass  # a read-only cache folder: the answer is used, and asked again next time


def lookup(text: str, country: str | None) -> Place | None:
    """The place Nominatim gives for ``text`` (from the cache when asked before); None when not found.

    Raises OSError with the reason when the service cannot be reached or answers an impossible position.
    """
    key = f"{text}|{country or ''}"
    cached = _load()
    if key not in cached:
        cached[key] = _ask(text, country)
        _save(cached)
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
    except ValueError as err:  # geopy's float() of a malformed latitude
        raise OSError(f"the online geocoder gave an answer that is not a position ({err})") from None
    if found is None:
        return None
    if not _position_ok(found.latitude, found.longitude):
        raise OSError(f"the online geocoder gave an impossible position (lat {found.latitude}, "
                      f"lon {found.longitude})")
    code = str(found.raw.get("address", {}).get("country_code", country or "")).upper()[:2]
    return [str(found.address).split(",")[0], code, round(found.latitude, 4), round(found.longitude, 4)]
