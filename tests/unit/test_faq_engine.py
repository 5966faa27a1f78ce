"""The FAQ engine, fitted on the real knowledge base: typed questions, out of scope, reproducible."""

import numpy as np
import pytest

from actions.context import settings as action_settings
from bot.faq.engine import CachedEncoder, FaqEngine
from bot.faq.entries import load_entries
from bot.faq.live import live_faq, sentence_encoder
from bot.faq.training_data import out_of_scope_examples
from bot.services.when import plain


@pytest.fixture(scope="module")
def engine() -> FaqEngine:
    return live_faq(action_settings().knowledge_dir).engine


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("c koi le cheque energi", "energy_cheque_energie_what"),
        ("Je peux mettre les épluchures d'orange dans le bioseau ?", "biowaste_citrus_peel"),
        ("il fait combien de degres conseillé ds la chambre", "energy_heating_temperature"),
    ],
)
def test_a_question_typed_as_residents_write_gets_its_entry(engine, question, entry_id):
    choice = engine.choose(question)

    assert choice is not None and choice.entry.id == entry_id


@pytest.mark.parametrize(
    "question", ["qui a gagne le match hier soir", "asdfgh qsdf", "donne moi une recette de crepes"]
)
def test_a_question_out_of_scope_gets_no_entry(engine, question):
    assert engine.choose(question) is None


def test_each_score_is_the_svms_own_decision(engine):
    """``choose`` sums the SVM's weight blocks itself: it must give what sklearn's decision_function gives."""
    questions = ["c koi le cheque energi", "qui a gagne le match hier soir", "ou jeter les coquilles d oeufs"]
    for question in questions:
        text = plain(question)
        features = engine._features([text], engine._encoder.encode_once([text]))

        assert np.allclose(engine._scores(text), engine._svm.decision_function(features)[0])


def test_the_same_data_fits_the_same_engine():
    entries = load_entries()[:6]
    examples = out_of_scope_examples()
    encoder = CachedEncoder(sentence_encoder())
    first, second = FaqEngine(entries, examples, encoder), FaqEngine(entries, examples, encoder)
    questions = [question for entry in entries for question in entry.questions[:5]]

    assert [first.choose(q) for q in questions] == [second.choose(q) for q in questions]


class CountingEncoder:
    """The real encoder, counting the texts it is given."""

    def __init__(self) -> None:
        self.encoder = sentence_encoder()
        self.texts: list[str] = []

    def encode(self, texts: list[str]):
        self.texts.extend(texts)
        return self.encoder.encode(texts)


def test_a_refit_encodes_only_the_texts_it_has_not_seen():
    counting = CountingEncoder()
    cached = CachedEncoder(counting)
    cached.encode(["un", "deux"])

    vectors = cached.encode(["deux", "trois", "un"])

    assert counting.texts == ["un", "deux", "trois"]
    assert vectors.shape == (3, 512)
