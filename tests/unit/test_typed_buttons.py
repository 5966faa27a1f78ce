"""A typed answer is read as the button it means: yes/no, a title, "le premier"; anything else stays text."""

import pytest

from bot.services.conversations import Button
from bot.services.typed_buttons import typed_button

CANCEL = (
    Button("Oui, annuler", '/confirm_cancel{"booking_reference": "RDV-AB2C3D"}'),
    Button("Non, le garder", "/deny"),
)
ERASE = (Button("Oui, tout effacer", "/confirm_erase"), Button("Non, garder", "/deny"))
RECAP = (Button("Oui, je confirme", "/affirm"), Button("Non, corriger", "/deny"))
SLOTS = (
    Button("Jeudi 10 décembre à 14 h 00 (à domicile)", '/choose{"booking_slot": "12"}'),
    Button("Vendredi 11 décembre à 9 h 30 (permanence)", '/choose{"booking_slot": "13"}'),
    Button("Lundi 14 décembre à 10 h 00 (à domicile)", '/choose{"booking_slot": "14"}'),
    Button("Parler à un médiateur", "/request_human"),
)
FIELDS = (
    Button("Le créneau", '/choose{"booking_field": "booking_slot"}'),
    Button("Le nom", '/choose{"booking_field": "booking_name"}'),
    Button("Tout annuler", "/stop"),
)


@pytest.mark.parametrize(
    ("text", "buttons", "payload"),
    [
        ("oui", CANCEL, CANCEL[0].payload),
        ("Oui !", CANCEL, CANCEL[0].payload),
        ("je confirme", CANCEL, CANCEL[0].payload),
        ("ok", CANCEL, CANCEL[0].payload),
        ("oui annuler", CANCEL, CANCEL[0].payload),
        ("oui je veux bien annuler svp", CANCEL, CANCEL[0].payload),
        ("non je le garde", CANCEL, "/deny"),
        ("nan", CANCEL, "/deny"),
        ("Oui, tout effacer", ERASE, "/confirm_erase"),
        ("ouais", ERASE, "/confirm_erase"),
        ("non finalement", ERASE, "/deny"),
        ("d'accord", RECAP, "/affirm"),
        ("c'est bon", RECAP, "/affirm"),
        ("jeudi 10 decembre a 14h00", SLOTS, SLOTS[0].payload),
        ("Vendredi 11 décembre à 9 h 30 (permanence)", SLOTS, SLOTS[1].payload),
        ("le premier", SLOTS, SLOTS[0].payload),
        ("je prends le 2eme creneau", SLOTS, SLOTS[1].payload),
        ("3", SLOTS, SLOTS[2].payload),
        ("le dernier", SLOTS, SLOTS[2].payload),
        ("parler a un mediateur", SLOTS, "/request_human"),
        ("ok", SLOTS[:1], SLOTS[0].payload),
        ("oui celui-la", SLOTS[:1] + SLOTS[3:], SLOTS[0].payload),
        ("le nom", FIELDS, FIELDS[1].payload),
    ],
)
def test_a_typed_answer_means_the_button(text: str, buttons: tuple[Button, ...], payload: str) -> None:
    assert typed_button(text, buttons) == payload


@pytest.mark.parametrize(
    ("text", "buttons"),
    [
        # A yes that says more is the bot's to read: it must not cancel what the resident keeps.
        ("oui je le garde", CANCEL),
        ("non je veux changer l'heure", RECAP),
        ("oui mais pas ce jour la", RECAP),
        ("bonjour", CANCEL),
        ("", CANCEL),
        # A yes means a list's item only when one is left.
        ("ok", SLOTS),
        ("le sixieme", SLOTS),
        ("le 2 decembre a 14h", SLOTS),
        # The only button is no choice to agree to: "ok" after a mediator button is no request for one.
        ("ok", SLOTS[3:]),
        ("oui", ()),
    ],
)
def test_other_text_is_no_button(text: str, buttons: tuple[Button, ...]) -> None:
    assert typed_button(text, buttons) is None
