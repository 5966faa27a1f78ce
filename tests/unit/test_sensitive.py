"""Sensitive matters in what residents type: found despite accents and typos, not in everyday topics."""

import pytest

from bot.services import sensitive


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("je suis malade depuis 2 mois", "health"),
        ("mon fils est handicapé, on a l'AAH", "health"),
        ("j'ai des dettes partout", "debts"),
        ("on a des IMPAYÉS de loyer", "debts"),
        ("un retard de loyer de 3 mois", "debts"),
        ("je suis enceinte de 6 mois", "health"),
        ("pendant le ramadan on cuisine tard", "beliefs"),
        ("j'ai pas de titre de séjour", "origins_and_status"),
        ("il sort de prison", "justice"),
    ],
)
def test_sensitive_matters_are_found(text, kind):
    assert kind in sensitive.detect(text)


@pytest.mark.parametrize(
    "text",
    [
        "où va le traitement des biodéchets ?",
        "l'enceinte de la résidence est sale",
        "à combien régler le chauffage ?",
        "je voudrais un rendez-vous mardi",
        "",
        None,
    ],
)
def test_everyday_questions_are_not_flagged(text):
    assert sensitive.detect(text) == ()
