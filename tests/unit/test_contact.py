"""Phone numbers, names and references as residents write them."""

import pytest

from bot.services.contact import clean_name, display_phone, find_phone, normalise_phone
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
