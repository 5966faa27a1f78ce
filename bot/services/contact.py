"""A resident's contact details as they write them: French phone numbers, names."""

import re

from bot.services.when import plain

# 0X XX XX XX XX, +33 X XX XX XX XX or 0033 X…, with spaces, dots or dashes anywhere.
_FRENCH_PHONE = re.compile(r"(?:\+33|0033|0)\s*\(?0?\)?\s*([1-9](?:[\s.\-]*\d){8})")
# Letters (accents included), spaces, hyphens, apostrophes: "Anne-Marie N'Diaye".
_NAME = re.compile(r"[^\W\d_]+(?:[\s'’\-.][^\W\d_]+)*")
MAX_NAME_LENGTH = 80
# Answers that look like a name but are none: "c'est bon" must not book under the name "bon".
NOT_NAMES = frozenset((
    "bon", "ok", "oui", "non", "merci", "bonjour", "bonsoir", "salut", "d'accord", "pardon", "rien", "aucun",
    "stop", "annuler", "personne", "moi", "lui", "elle", "parfait", "super", "bien", "voila", "ouais", "nan",
))  # fmt: skip
# How a sentence introduces a name, wherever it is typed: "je m'appelle …", "au nom de mon mari …".
_NAME_LEAD_IN = re.compile(
    r"^.*?\b(?:je m'?appelle|mon nom(?: de famille)? (?:est|c'?est)|le nom c'?est|au nom de)\s+"
    r"(?:(?:mon|ma) (?:mari|femme|[eé]poux|[eé]pouse|conjointe?|m[eè]re|p[eè]re|fils|fille|fr[eè]re|s(?:oe|œ)ur|"
    r"voisine?)\s+)?",
    re.IGNORECASE,
)
# How an answer to "what name?" may start: "c'est Awa Diallo", "moi c'est …", "je suis …", "nom : …".
_ANSWER_LEAD_IN = re.compile(r"^(?:c'?est|c|moi c'?est|moi|je suis|nom ?:|mettez|notez)\s+", re.IGNORECASE)
_COURTESY_END = re.compile(r"[\s,.!]*(?:merci|svp|stp|s'il vous pla[iî]t)?[\s,.!]*$", re.IGNORECASE)
# "je n'ai pas de téléphone", "pas de portable", "j'en ai pas".
_NO_PHONE = re.compile(
    r"\b(?:pas de|sans|aucun|n'?ai pas de|n'?ai plus de) ?(?:telephone|portable|tel|numero|phone|mobile)\b|"
    r"^(?:j'?en ai pas|je n'?en ai pas|j'?en ai plus|jen ai pas|aucun|non j'?en ai pas)\b"
)


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
    """``+33612345678`` as residents write it: ``06 12 34 56 78``; an empty phone (none given) as such."""
    if not phone:
        return "pas de téléphone"
    national = "0" + phone.removeprefix("+33")
    return " ".join(national[i : i + 2] for i in range(0, len(national), 2))


def says_no_phone(text: str) -> bool:
    """Whether the resident says they have no phone ("je n'ai pas de téléphone", "j'en ai pas")."""
    return _NO_PHONE.search(plain(text)) is not None


def name_in(text: str) -> str | None:
    """The name a sentence introduces ("je m'appelle Awa Diallo", "au nom de mon mari Karim Benali"), if one does.

    "le nom c'est pas ça, c'est Nadia Bouzid": the name is after the last "c'est".
    """
    match = _NAME_LEAD_IN.match(plain_quotes(text))
    if match is None:
        return None
    rest = _COURTESY_END.sub("", plain_quotes(text)[match.end() :])
    last_cest = re.split(r"\bc'?est\s+", rest, flags=re.IGNORECASE)[-1]
    return clean_name(rest) or clean_name(last_cest)


def name_given(text: str) -> str | None:
    """The name in an answer to "what name?": the whole answer, or what a sentence introduces ("c'est Awa Diallo")."""
    tidy = _COURTESY_END.sub("", plain_quotes(text).strip())
    return name_in(tidy) or clean_name(_ANSWER_LEAD_IN.sub("", tidy))


def plain_quotes(text: str) -> str:
    """Typographic apostrophes as straight ones, so "m’appelle" reads as "m'appelle"."""
    return text.replace("’", "'")


def clean_name(text: str) -> str | None:
    """A person's name as given (spaces tidied), or None when it does not look like one."""
    name = " ".join(text.split())
    if not 2 <= len(name) <= MAX_NAME_LENGTH or len(name.split()) > 6 or plain(name) in NOT_NAMES:
        return None
    return name if _NAME.fullmatch(name) else None
