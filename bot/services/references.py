"""References a person can read out on the phone: ``RDV-K7M2PQ``, ``DEM-3XH9TW``."""

import re
import secrets
from collections.abc import Callable

# No 0/O, 1/I/L, which are misread when spoken or handwritten.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
# 31**6 references: a draw is taken once in a blue moon, five in a row mean something is wrong.
ATTEMPTS = 5


def new_reference(prefix: str) -> str:
    """A random reference with ``prefix`` (``RDV`` or ``DEM``)."""
    return f"{prefix}-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def unused_reference(prefix: str, is_taken: Callable[[str], bool]) -> str:
    """A new reference with ``prefix`` that ``is_taken`` says is free."""
    for _ in range(ATTEMPTS):
        reference = new_reference(prefix)
        if not is_taken(reference):
            return reference
    raise RuntimeError(f"no unused {prefix} reference after {ATTEMPTS} draws")


def find_reference(prefix: str, text: str) -> str | None:
    """The reference with ``prefix`` in ``text``, however it was typed ("rdv k7m2pq"), upper-cased."""
    match = re.search(rf"\b{prefix}[\s\-_]?([{ALPHABET}]{{{LENGTH}}})\b", text.upper())
    return None if match is None else f"{prefix}-{match.group(1)}"
