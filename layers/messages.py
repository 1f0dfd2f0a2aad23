"""The page's own words, one message catalogue: each message is its English text, translated per
locale. Records' own text is never looked up here; it stays as written."""
from __future__ import annotations

from typing import Any

LOCALES = ("en",)
MESSAGES: dict[str, dict[str, str]] = {}
# The words the page's runtime needs (control names), written into the page as JSON data.
RUNTIME_WORDS = ("Zoom in", "Zoom out", "Layers", "Close")


def say(text: str, locale: str = "en", **values: Any) -> str:
    """``text`` (the English message) in ``locale``, with ``values`` filled into its {fields}."""
    return MESSAGES.get(locale, {}).get(text, text).format(**values)


def labelled(pairs: list[tuple[str, str]], locale: str) -> list[tuple[str, str]]:
    """Popup rows (field name, record column) with the field names in ``locale``."""
    return [(say(label, locale), column) for label, column in pairs]


def runtime_words(locale: str) -> dict[str, str]:
    """The messages the page's runtime uses, in ``locale``."""
    return {text: say(text, locale) for text in RUNTIME_WORDS}
