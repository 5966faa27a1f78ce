"""The knowledge search and the FAQ choice, on the real spaCy model and knowledge/."""

import pytest

from bot.services.faq_answer import choose_answer, selector_ranking
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
def test_a_clear_question_ranks_its_entry_first_even_with_typos_and_no_accents(index, question, entry):
    assert index.rank(question)[0].entry.id == entry


def test_the_selector_and_the_search_agreeing_give_an_answer(index):
    choice = choose_answer(index, "des moucherons partout autour de mon bioseau", {"biowaste_flies": 0.9})

    assert choice is not None and choice.entry.id == "biowaste_flies"


@pytest.mark.parametrize("question", ["zorglub blorp", "qui a gagne le match de foot hier soir"])
def test_a_question_that_matches_nothing_gets_no_answer(index, question):
    # Out-of-scope questions are mostly caught before, by the out_of_scope intent.
    assert choose_answer(index, question, {}) is None


def test_a_question_with_no_content_word_gets_no_answer(index):
    assert choose_answer(index, "et alors ?", {}) is None


def test_the_selector_ranking_is_read_from_rasa_parse_data():
    parse_data = {
        "response_selector": {
            "faq": {
                "ranking": [
                    {"intent_response_key": "faq/energy_fsl", "confidence": 0.7},
                    {"intent_response_key": "faq/energy_standby", "confidence": 0.2},
                ]
            }
        }
    }

    assert selector_ranking(parse_data) == {"energy_fsl": 0.7, "energy_standby": 0.2}
    assert selector_ranking({}) == {}


def test_accents_are_removed_for_matching():
    assert strip_accents("électricité chèque") == "electricite cheque"
