"""The knowledge search on the real spaCy model and the real knowledge/."""

import pytest

from bot.services.knowledge_search import default_index, strip_accents


@pytest.fixture(scope="module")
def index():
    return default_index()


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("je n'arrive plus à régler ma facture d'électricité, que faire ?", "energy_cant_pay_bill"),
        ("jarrive plu a payer ma facture d electrcite", "energy_cant_pay_bill"),
        ("des moucherons partout autour de mon bioseau", "biowaste_flies"),
        ("comment postuler pour un emploi a la regie", "regie_apply_job"),
    ],
)
def test_a_clear_question_finds_its_entry_even_with_typos_and_no_accents(index, question, entry):
    match = index.search(question)

    assert match is not None and match.entry.id == entry


@pytest.mark.parametrize(
    "question",
    ["quel temps fera t il demain a lille", "qui a gagne le match de foot hier soir", "recette du boeuf bourguignon"],
)
def test_an_unrelated_question_finds_nothing(index, question):
    assert index.search(question) is None


def test_a_question_with_no_content_word_finds_nothing(index):
    assert index.search("et alors ?") is None


def test_accents_are_removed_for_matching():
    assert strip_accents("électricité chèque") == "electricite cheque"
