"""The knowledge search and the FAQ choice, on the real spaCy model and knowledge/."""

import pytest

from bot.knowledge import load_entries
from bot.services.faq_answer import Blend, choose_answer, pick, selector_ranking
from bot.services.knowledge_search import Match, Ranking, default_index, out_of_scope_examples, strip_accents


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
    assert index.rank(question).matches[0].entry.id == entry


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


def test_the_blend_answers_only_with_a_clear_and_strong_enough_winner():
    first, second = load_entries()[:2]
    blend = Blend(selector_weight=0.5, temperature=0.1, min_score=0.3, min_margin=0.05)
    # The search alone: softmax(0.6, 0.5) at temperature 0.1 gives 0.73 and 0.27.
    search = Ranking(matches=[Match(first, 0.6), Match(second, 0.5)], looks_out_of_scope=False)

    assert pick(search, {first.id: 0.9}, blend).entry == first
    # 0.5 × 0.9 + 0.5 × 0.27 = 0.58 against 0.5 × 0.73 = 0.37.
    assert pick(search, {second.id: 0.9}, blend).entry == second
    # 0.5 × 0.3 + 0.5 × 0.27 = 0.28 against 0.37: the selector's doubt is not enough.
    assert pick(search, {second.id: 0.3}, blend).entry == first
    # 0.5 × 0.46 + 0.5 × 0.27 = 0.365 against 0.37: a tie is no answer.
    assert pick(search, {second.id: 0.46}, blend) is None
    # Two equal entries and no selector opinion: 0.25 each, under 0.3.
    weak = Ranking(matches=[Match(first, 0.1), Match(second, 0.1)], looks_out_of_scope=False)
    assert pick(weak, {}, blend) is None


def test_a_question_closer_to_an_out_of_scope_example_gets_no_answer(index):
    assert index.rank("tu connais une recette de crepes sans oeufs ?").looks_out_of_scope
    assert not index.rank("des moucherons partout autour de mon bioseau").looks_out_of_scope
    first, second = load_entries()[:2]
    out_of_scope = Ranking(matches=[Match(first, 0.9), Match(second, 0.1)], looks_out_of_scope=True)
    assert pick(out_of_scope, {}) is None
    assert pick(out_of_scope, {second.id: 1.0}) is None


def test_the_search_and_the_selector_agreeing_outweigh_the_out_of_scope_reading():
    first, second = load_entries()[:2]
    sms_question = Ranking(matches=[Match(first, 0.9), Match(second, 0.1)], looks_out_of_scope=True)

    assert pick(sms_question, {first.id: 0.8, second.id: 0.1}).entry == first


def test_the_out_of_scope_examples_are_read_from_the_nlu_files():
    examples = out_of_scope_examples()

    assert "raconte moi une blague" in examples and len(examples) >= 200
