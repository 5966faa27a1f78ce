"""A typed answer that means one of the buttons just offered: residents type instead of tapping.

"oui", "ok je confirme" or "Oui, tout effacer" typed under Yes/No buttons,
"le premier" or "le 2eme" under a list, a button's title typed whole: each
is read as that button's payload, so every question the bot asks accepts its
typed equivalent. Anything longer or different ("non je veux changer
l'heure") is no button: it goes to the bot as text, which reads it.
"""

import re
from collections.abc import Sequence

from bot.services.conversations import Button
from bot.services.when import plain

# Everyday ways of saying yes and no, as whole messages or their first words.
YES = (
    "oui", "ouais", "ouai", "ouii", "oue", "ok", "okay", "oki", "okk", "d'accord", "d accord", "daccord", "dac",
    "c'est bon", "cest bon", "c bon", "je confirme", "confirme", "confirmer", "bien sur", "parfait", "exactement",
    "tout a fait", "yes", "volontiers", "vas y", "vas-y", "allez y", "go", "c'est ca", "ca marche", "carrement",
    "absolument", "bien entendu", "evidemment", "voila", "ca me va", "celui la", "celui-la", "celui ci", "celui-ci",
)  # fmt: skip
NO = ("non", "nan", "no", "non merci", "pas du tout", "surtout pas", "finalement non", "pas maintenant", "nope")
# Words that may follow a yes or a no without changing its meaning ("oui je veux bien, merci").
FILLER = frozenset((
    "je", "j'", "le", "la", "l'", "les", "c'", "est", "ca", "moi", "vous", "tu", "bien", "veux", "voudrais",
    "souhaite", "svp", "stp", "merci", "please", "alors", "donc", "ben", "bah", "euh", "eh", "et", "absolument",
    "vraiment", "sur",
))  # fmt: skip
ORDINALS = {
    "premier": 0, "premiere": 0, "1er": 0, "1ere": 0, "1": 0, "un": 0,
    "deuxieme": 1, "second": 1, "seconde": 1, "2eme": 1, "2e": 1, "2": 1, "deux": 1,
    "troisieme": 2, "3eme": 2, "3e": 2, "3": 2, "trois": 2,
    "quatrieme": 3, "4eme": 3, "4e": 3, "4": 3, "quatre": 3,
    "cinquieme": 4, "5eme": 4, "5e": 4, "5": 4, "cinq": 4,
    "dernier": -1, "derniere": -1,
}  # fmt: skip
# Words around an ordinal: "le 2eme creneau svp", "numero 3", "je prends le premier".
ORDINAL_FILLER = frozenset((
    "le", "la", "celui", "celle", "creneau", "choix", "numero", "n", "je", "prends", "prend", "veux", "svp", "stp",
    "merci", "bon", "ben", "bah", "alors", "donc", "euh", "ok", "va", "pour", "plutot", "mettez", "moi",
))  # fmt: skip
MAX_ORDINAL_WORDS = 6


def typed_button(text: str, buttons: Sequence[Button]) -> str | None:
    """The payload of the button ``text`` means, if it means exactly one of ``buttons``."""
    if not buttons:
        return None
    words = _words(text)
    if not words:
        return None
    for read in (_title, _yes_or_no, _ordinal, _only_choice):
        if (payload := read(words, buttons)) is not None:
            return payload
    return None


def _words(text: str) -> list[str]:
    """Plain words: no accents, no punctuation, "14 h 00" as "14h00"."""
    flat = re.sub(r"(\d)\s*h\s*(\d{2})?", lambda m: f"{m.group(1)}h{m.group(2) or ''}", plain(text))
    return re.sub(r"[^\w']+", " ", flat.replace("'", "' ")).split()


def _title(words: list[str], buttons: Sequence[Button]) -> str | None:
    """The button whose title (without its bracketed detail) the resident typed."""
    typed = " ".join(words)
    for button in buttons:
        title = re.sub(r"\([^)]*\)", "", button.title)
        if typed in (" ".join(_words(button.title)), " ".join(_words(title))):
            return button.payload
    return None


def _yes_or_no(words: list[str], buttons: Sequence[Button]) -> str | None:
    """Under a Yes/No pair, a yes or a no, with only filler and the button's own words after it."""
    yes = next((b for b in buttons if plain(b.title).startswith("oui")), None)
    no = next((b for b in buttons if plain(b.title).startswith("non")), None)
    if yes is None or no is None:
        return None
    for answer, button in ((YES, yes), (NO, no)):
        rest = _after_expression(words, answer)
        if rest is not None and _only_filler(rest, button, answer):
            return button.payload
    return None


def _after_expression(words: list[str], expressions: tuple[str, ...]) -> list[str] | None:
    """The words after the expression the message starts with, or None if it starts with none."""
    typed = " ".join(words)
    for expression in sorted(expressions, key=len, reverse=True):
        flat = " ".join(_words(expression))
        if typed == flat or typed.startswith(flat + " "):
            return words[len(flat.split()) :]
    return None


def _only_filler(rest: list[str], button: Button, answer: tuple[str, ...]) -> bool:
    """Whether ``rest`` only repeats the answer ("oui oui"), courtesy, or the button's own words."""
    # Word starts compare: "garde" is the title's "garder", "annule" its "annuler".
    own = {word[:5] for word in _words(button.title)}
    repeated = {word for expression in answer for word in _words(expression)}
    return all(word in FILLER or word in repeated or word[:5] in own for word in rest)


def _ordinal(words: list[str], buttons: Sequence[Button]) -> str | None:
    """Read "le premier", "le 2eme creneau" as that button of the list (not the way-out buttons after it)."""
    if len(words) > MAX_ORDINAL_WORDS:
        return None
    positions = [ORDINALS[word] for word in words if word in ORDINALS]
    others = [word for word in words if word not in ORDINALS and word not in ORDINAL_FILLER]
    if len(positions) != 1 or others:
        return None
    listed = _list_of_choices(buttons)
    position = positions[0]
    if position >= len(listed):
        return None
    return listed[position].payload


def _only_choice(words: list[str], buttons: Sequence[Button]) -> str | None:
    """A yes under a list of one choice ("ok" to the only slot left) means that choice."""
    listed = _list_of_choices(buttons)
    if len(listed) != 1 or not listed[0].payload.startswith("/choose"):
        return None
    rest = _after_expression(words, YES)
    return listed[0].payload if rest is not None and _only_filler(rest, listed[0], YES) else None


def _list_of_choices(buttons: Sequence[Button]) -> list[Button]:
    """The buttons of the same kind as the first: a list's items, not the "Parler à un médiateur" after them."""
    kind = _kind(buttons[0].payload)
    return [button for button in buttons if _kind(button.payload) == kind]


def _kind(payload: str) -> str:
    """``/choose{"booking_slot": "12"}`` → ``/choose booking_slot``: the intent and the entity chosen."""
    intent, _, entities = payload.partition("{")
    entity = re.match(r'\s*"(\w+)"', entities)
    return f"{intent} {entity.group(1) if entity else ''}"
