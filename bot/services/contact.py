"""A resident's contact details as they write them: French phone numbers, names."""

import re

# 0X XX XX XX XX, +33 X XX XX XX XX or 0033 X…, with spaces, dots or dashes anywhere.
_FRENCH_PHONE = re.compile(r"(?:\+33|0033|0)\s*\(?0?\)?\s*([1-9](?:[\s.\-]*\d){8})")
# Letters (accents included), spaces, hyphens, apostrophes: "Anne-Marie N'Diaye".
_NAME = re.compile(r"[^\W\d_]+(?:[\s'’\-.][^\W\d_]+)*")
MAX_NAME_LENGTH = 80


def normalise_phone(text: str) -> str | None:
    """``+33XXXXXXXXX`` for a French phone number written any usual way; None if it is not one."""
    match = _FRENCH_PHONE.fullmatch(text.strip())
    if match is None:
        return None
    return "+33" + re.sub(r"\D", "", match.group(1))


def find_phone(text: str) -> str | None:
    """The first French phone number inside a longer text, normalised."""
    match = _FRENCH_PHONE.search(text)
    return None if match is None else "+33" + re.sub(r"\D", "", match.group(1))


def display_phone(phone: str) -> str:
    """``+33612345678`` as residents write it: ``06 12 34 56 78``."""
    national = "0" + phone.removeprefix("+33")
    return " ".join(national[i : i + 2] for i in range(0, len(national), 2))


def clean_name(text: str) -> str | None:
    """A person's name as given (spaces tidied), or None when it does not look like one."""
    name = " ".join(text.split())
    if not 2 <= len(name) <= MAX_NAME_LENGTH or len(name.split()) > 6:
        return None
    return name if _NAME.fullmatch(name) else None
