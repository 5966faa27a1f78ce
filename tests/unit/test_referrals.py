"""Questions we do not cover get who can help; questions an entry covers are left to it."""

import pytest

from bot.faq.evaluation import DEVELOPMENT_DIR, questions
from bot.faq.referrals import load_referrals, referral_for


@pytest.mark.parametrize(
    ("text", "referral"),
    [
        ("j'arrive plus a payer mon loyer", "rent_arrears"),
        ("jai 3 mois de loyer en retard", "rent_arrears"),
        ("je voudrais changer de logement, le mien est trop petit", "housing_transfer"),
        ("comment on demande une mutation", "housing_transfer"),
        ("mon APL a baissé pourquoi", "housing_benefit"),
        ("j'ai reçu un courrier d'huissier pour m'expulser", "eviction"),
        ("le voisin fait du bruit toute la nuit, c'est legal ?", "neighbour_noise"),
    ],
)
def test_a_subject_we_do_not_cover_is_referred(text: str, referral: str) -> None:
    found = referral_for(text)
    assert found is not None and found.id == referral


def test_no_development_question_is_referred_away_from_its_entry() -> None:
    referred = [(text, entry) for text, entry in questions(DEVELOPMENT_DIR) if entry and referral_for(text)]
    assert referred == []


def test_every_referral_names_who_can_help() -> None:
    for referral in load_referrals():
        assert "médiateur" in referral.answer and len(referral.answer) <= 700
