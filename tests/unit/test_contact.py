"""Phone numbers, names and references as residents write them."""

import pytest

from bot.services.contact import (
    clean_name,
    display_phone,
    find_phone,
    name_given,
    name_in,
    normalise_phone,
    says_no_phone,
)
from bot.services.references import ALPHABET, find_reference, new_reference


@pytest.mark.parametrize(
    "text",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033612345678",
    ],
)
def test_usual_writings_of_a_french_number_are_normalised(text: str) -> None:
    assert normalise_phone(text) == "+33612345678"


@pytest.mark.parametrize("text", ["12345", "06 12 34 56", "06 12 34 56 78 90", "0012345678", "+44 7911 123456", "abc"])
def test_other_shapes_are_not_phone_numbers(text: str) -> None:
    assert normalise_phone(text) is None


def test_a_phone_number_is_found_inside_a_sentence_and_shown_in_pairs() -> None:
    assert find_phone("annuler RDV-K7M2PQ mon numero 07 11 22 33 44") == "+33711223344"
    assert display_phone("+33711223344") == "07 11 22 33 44"


@pytest.mark.parametrize("text", ["Awa Diallo", "Anne-Marie N'Diaye", "Mme Lefèvre", "  jean   dupont "])
def test_names_are_accepted_and_tidied(text: str) -> None:
    assert clean_name(text) == " ".join(text.split())


@pytest.mark.parametrize("text", ["06 12 34 56 78", "a", "x" * 81, "un deux trois quatre cinq six sept", "/stop"])
def test_what_is_not_a_name_is_refused(text: str) -> None:
    assert clean_name(text) is None


def test_references_avoid_ambiguous_characters_and_are_found_however_typed() -> None:
    reference = new_reference("RDV")
    assert reference.startswith("RDV-") and len(reference) == 10
    assert set(reference[4:]) <= set(ALPHABET) and not set("01IOL") & set(ALPHABET)
    assert find_reference("RDV", f"je veux annuler {reference.lower().replace('-', ' ')} svp") == reference
    assert find_reference("RDV", "RDV-K7M2P0") is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("je m'appelle Jean-Éric Lefèvre", "Jean-Éric Lefèvre"),
        ("ah non pardon, le rendez-vous doit être au nom de mon mari Karim Benali", "Karim Benali"),
        ("mon nom c’est Awa Diallo merci", "Awa Diallo"),
        ("Awa Diallo", None),
        ("je suis disponible jeudi", None),
    ],
)
def test_a_sentence_introduces_a_name(text: str, name: str | None) -> None:
    assert name_in(text) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [("Awa Diallo", "Awa Diallo"), ("c Karim Benali", "Karim Benali"), ("moi c'est Fatou Sow svp", "Fatou Sow")],
)
def test_an_answer_to_what_name_may_start_with_a_lead_in(text: str, name: str) -> None:
    assert name_given(text) == name


@pytest.mark.parametrize(
    ("text", "none"),
    [
        ("je n'ai pas de téléphone", True),
        ("pas de portable", True),
        ("j'en ai pas", True),
        ("06 12 34 56 78", False),
        ("mon telephone est en panne, c'est le 06 12 34 56 78", False),
    ],
)
def test_no_phone_is_understood(text: str, none: bool) -> None:
    assert says_no_phone(text) is none


def test_no_phone_is_shown_as_such() -> None:
    assert display_phone("") == "pas de téléphone"
