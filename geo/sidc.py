"""Symbol identification codes (SIDC) of APP-6 / MIL-STD-2525: validating a code a record gives, and
deriving one from what a record says (kind, branch, echelon, affiliation, status).

Two forms are read: the 20-digit code of APP-6(D) and 2525D/E, and the 15-character letter code of
2525B/C and APP-6(B). Every position is checked and named in the error, so a typo is found at once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from geo.fields import FieldError, text

AFFILIATIONS = {"friend": "3", "hostile": "6", "neutral": "4", "unknown": "1"}
AFFILIATION_WORDS = {"friend": "Friendly", "hostile": "Hostile", "neutral": "Neutral", "unknown": "Unknown"}
ALIASES = {"friendly": "friend", "enemy": "hostile", "anticipated": "planned", "present": "current"}
# A record's status: what is there now, what is planned (APP-6's anticipated frame), what was there
STATUSES = ("current", "planned", "former")
ECHELONS = {
    "team": "11", "crew": "11", "squad": "12", "section": "13", "platoon": "14", "detachment": "14",
    "company": "15", "battery": "15", "troop": "15", "battalion": "16", "squadron": "16",
    "regiment": "17", "group": "17", "wing": "17", "brigade": "18", "division": "21", "corps": "22",
    "army": "23", "army group": "24", "front": "24", "region": "25", "theater": "25", "theatre": "25",
    "command": "26",
}

# 20-digit codes, position by position (1-based, as the standard numbers them)
SYMBOL_SETS = ("01", "02", "05", "06", "10", "11", "15", "20", "25", "27", "30", "35", "36", "40", "45",
               "46", "47", "50", "51", "52", "60")
MOBILITY = tuple(f"{n}" for n in (31, 32, 33, 34, 35, 36, 37, 41, 42, 51, 52, 61, 62, 71, 72))
NUMBER_POSITIONS: list[tuple[int, int, str, tuple[str, ...], str]] = [
    (1, 2, "version", ("10", "11", "13"), "10 (APP-6(D), 2525D), 11 or 13 (2525E)"),
    (3, 3, "context", tuple("012"), "one of 0-2"),
    (4, 4, "standard identity", tuple("0123456"), "one of 0-6 (3 friend, 6 hostile, 4 neutral, 1 unknown)"),
    (5, 6, "symbol set", SYMBOL_SETS, "a symbol set such as 10 (land unit), 20 (land installation), 30 (sea surface)"),
    (7, 7, "status", tuple("012345"), "one of 0-5 (0 present, 1 planned)"),
    (8, 8, "headquarters/task force/dummy", tuple("01234567"), "one of 0-7 (2 headquarters)"),
    (9, 10, "echelon/mobility", ("00", *sorted(set(ECHELONS.values())), *MOBILITY),
     "00, an echelon 11-18 or 21-26, or a mobility 31-37, 41-42, 51-52, 61-62, 71-72"),
]

# 15-character letter codes (2525B/C, APP-6(B))
LETTER_POSITIONS: list[tuple[int, int, str, str, str]] = [
    (1, 1, "coding scheme", "SIOE", "S (warfighting), I (signals intelligence), O (stability operations) or E (emergency)"),
    (2, 2, "affiliation", "PUAFNSHGWDLMJK", "one of P U A F N S H G W D L M J K"),
    (3, 3, "battle dimension", "PAGSUFXZ", "one of P A G S U F X Z"),
    (4, 4, "status", "APCDXF-", "A (anticipated/planned), P (present), C, D, X or F"),
]
LETTER_CODE = re.compile(r"[A-Z]{4}[A-Z0-9-]{6}[A-Z-]{2}[A-Z-]{2}[A-Z-]")


@dataclass(frozen=True)
class Symbol:
    """A checked code and what it means in words, e.g. 'Friendly naval installation'."""

    code: str
    words: str

    @property
    def planned(self) -> bool:
        """Whether the code's status is planned/anticipated (its frame is drawn dashed)."""
        return self.code[6] == "1" if self.code.isdigit() else self.code[3] == "A"


def validate(value: Any) -> str:
    """A 20-digit or 15-character SIDC, checked position by position; FieldError names the first bad one."""
    raw = text(value).replace(" ", "")
    if raw.isdigit():
        return _check_number(raw)
    if len(raw) != 15 or not raw.isascii():
        raise FieldError(f"{raw!r} is {len(raw)} characters, neither a 20-digit code nor a 15-character letter code",
                         "give the 20 digits of an APP-6(D)/2525D code (e.g. 10031000001211000000) or the "
                         "15 characters of a 2525C letter code (e.g. SFGPUCI----D---)")
    return _check_letters(raw.upper())


def _check_number(code: str) -> str:
    if len(code) != 20:
        raise FieldError(f"{code!r} has {len(code)} digits, not 20",
                         "give all 20 digits of the APP-6(D)/2525D code, e.g. 10031000001211000000")
    for first, last, name, allowed, said in NUMBER_POSITIONS:
        part = code[first - 1:last]
        if part not in allowed:
            where = f"position {first}" if first == last else f"positions {first}-{last}"
            raise FieldError(f"{where} ({name}) is {part!r}, not {said}",
                             f"correct {where} of the code (20 digits, counted from 1)")
    if not known(code):
        raise FieldError(f"positions 11-16 (entity) {code[10:16]!r} is not a symbol of symbol set {code[4:6]}",
                         "check the entity, type and subtype digits against APP-6(D) / 2525D")
    return code


def _check_letters(code: str) -> str:
    for first, _, name, allowed, said in LETTER_POSITIONS:
        if code[first - 1] not in allowed:
            raise FieldError(f"position {first} ({name}) is {code[first - 1]!r}, not {said}",
                             f"correct position {first} of the letter code (15 characters, counted from 1)")
    if not LETTER_CODE.fullmatch(code):
        bad = next(i for i, c in enumerate(code) if not (c.isalnum() or c == "-"))
        raise FieldError(f"position {bad + 1} is {code[bad]!r}, not a letter, digit or '-'",
                         "write the code in capital letters, digits and '-', 15 in all")
    if not known(code):
        raise FieldError(f"positions 5-10 (function id) {code[4:10]!r} is not a symbol of battle dimension {code[2]}",
                         "check the function id against 2525C / APP-6(B)")
    return code


def known(code: str) -> bool:
    """Whether milsymbol's catalogue has a symbol for the code (letter codes through lookup_key)."""
    from milsymbol import Symbol as Drawn  # the standard's catalogue of symbols, not only a drawing library

    return Drawn(lookup_key(code)).is_valid()


def lookup_key(code: str) -> str:
    """The form of a code milsymbol's catalogue is keyed by.

    milsymbol (Python) keys its letter codes with '-' for the status and without the country and
    order-of-battle positions, so 'SFGPUCI----D---' as written would not be found; the status it
    leaves out is drawn by the caller (see ``Symbol.planned``). 20-digit codes are used as they are.
    """
    if code.isdigit():
        return code
    return f"{code[:3]}-{code[4:10]}" + ("" if code[10:12] == "--" else code[10:12])


def choice(value: Any, allowed: tuple[str, ...] | dict[str, str], what: str) -> str:
    """One of ``allowed`` (case and aliases aside); FieldError lists them."""
    out = ALIASES.get(text(value).lower(), text(value).lower())
    if out not in allowed:
        raise FieldError(f"{text(value)!r} is not {what}", f"use one of {', '.join(dict.fromkeys(allowed))}")
    return out


def affiliation(value: Any) -> str:
    """friend, hostile, neutral or unknown."""
    return choice(value, tuple(AFFILIATIONS), "an affiliation")


def echelon(value: Any) -> str:
    """An echelon by name: team, squad, ..., battalion, brigade, division, corps, army, command."""
    return choice(value, ECHELONS, "an echelon")


def status(value: Any) -> str:
    """current (or present), planned (or anticipated), or former."""
    return choice(value, STATUSES, "a status")


# What a record's kind and branch make of it: (symbol set, entity, words); the first pattern that
# matches the branch (or, for units, the assets) wins, the row with None matches anything.
DERIVED: dict[str, list[tuple[str | None, str, str, str]]] = {
    "command": [
        (r"navy|naval|fleet", "10", "170100", "naval headquarters"),
        (r"air force", "10", "120800", "air force headquarters"),
        (r"marine", "10", "120300", "marine headquarters"),
        (r"joint", "10", "110000", "joint headquarters"),
        (None, "10", "110000", "headquarters"),
    ],
    "base": [
        (r"navy|naval", "20", "121309", "naval installation"),
        (r"air force|air base", "20", "121301", "air base"),
        (None, "20", "120802", "military base"),
    ],
    "deployment": [
        (r"helicopter|rotary|seahawk", "10", "120600", "rotary-wing aviation unit"),
        (r"navy|naval", "10", "170100", "naval unit"),
        (r"air force|aircraft", "10", "120800", "fixed-wing aviation unit"),
        (r"marine", "10", "120300", "amphibious unit"),
        (None, "10", "000000", "unit"),
    ],
}


def derive(record: dict[str, Any], default_affiliation: str = "friend") -> Symbol | None:
    """The symbol of a record: its own ``sidc``, or one derived from its kind, branch, echelon,
    affiliation and status; None for kinds without a symbol (events).

    A record is planned when its ``status`` says so (geo.select sets it for a map's ``as_of``).
    """
    planned = record.get("status") == "planned"
    given = record.get("sidc")
    if isinstance(given, str) and given:
        return Symbol(with_status(given, planned), describe(given, planned))
    rules = DERIVED.get(record.get("kind") or "")
    if rules is None:
        return None
    side = record.get("affiliation") or default_affiliation
    said = " ".join(str(record.get(f) or "") for f in ("branch", "assets", "name")).lower()
    unit = record["kind"] != "base"
    for pattern, symbol_set, entity, words in rules:
        if pattern is None or re.search(pattern, said if record["kind"] == "deployment" else
                                        str(record.get("branch") or "").lower()):
            break
    hq = "2" if record["kind"] == "command" else "0"
    level = ECHELONS.get(record.get("echelon") or "", "00") if unit else "00"
    code = f"100{AFFILIATIONS[side]}{symbol_set}{int(planned)}{hq}{level}{entity}0000"
    prefix = f"{AFFILIATION_WORDS[side]} {'planned ' if planned else ''}"
    suffix = f", {record['echelon']}" if unit and record.get("echelon") else ""
    return Symbol(code, f"{prefix}{words}{suffix}")


def with_status(code: str, planned: bool) -> str:
    """The code with its status set to planned (anticipated) when ``planned``, else as given."""
    if not planned:
        return code
    return f"{code[:6]}1{code[7:]}" if code.isdigit() else f"{code[:3]}A{code[4:]}"


IDENTITY_WORDS = {"0": "Pending", "1": "Unknown", "2": "Assumed friend", "3": "Friendly", "4": "Neutral",
                  "5": "Suspect", "6": "Hostile"}
LETTER_IDENTITY = {"P": "0", "U": "1", "A": "2", "F": "3", "N": "4", "S": "5", "H": "6", "G": "3", "W": "1",
                   "D": "3", "L": "6", "M": "2", "J": "5", "K": "5"}
SET_WORDS = {"01": "air", "05": "space", "10": "land unit", "11": "civilian land unit", "15": "land equipment",
             "20": "land installation", "25": "control measure", "27": "dismounted individual",
             "30": "sea surface", "35": "subsurface", "40": "activity", "60": "cyberspace"}
DIMENSION_WORDS = {"P": "space", "A": "air", "G": "ground", "S": "sea surface", "U": "subsurface", "F": "special operations"}


def describe(code: str, planned: bool = False) -> str:
    """A given code in words, as far as its frame goes: 'Friendly land unit headquarters (SIDC ...)'."""
    if code.isdigit():
        identity, kind = code[3], SET_WORDS.get(code[4:6], "symbol")
        kind += " headquarters" if code[7] in "2367" else ""
        planned = planned or code[6] == "1"
    else:
        identity, kind = LETTER_IDENTITY[code[1]], DIMENSION_WORDS.get(code[2], "symbol")
        planned = planned or code[3] == "A"
    return f"{IDENTITY_WORDS[identity]} {'planned ' if planned else ''}{kind} (SIDC {code})"
