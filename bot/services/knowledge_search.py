"""Search the knowledge base: every entry scored for a resident's question.

A question and each entry's title, questions and answer are reduced to French
lemmas without accents (spaCy ``fr_core_news_md``). An entry's score blends
three views of it (``faq_answer`` decides what to do with the ranking):

- its best match: the entry question closest to the asked one (the share of
  the question's weight, IDF, that it covers, and their word vectors' cosine);
- its profile: all its words at once, answer included, as a TF-IDF cosine, so
  a question about a fact the answer states finds it without a close variant;
- its centroid: the mean word vector of its questions, for synonyms.

The out-of-scope training examples (nlu/) are reduced the same way: a
question that one of them matches better than any entry's question looks out
of scope, whatever the entries' scores.
"""

import difflib
import math
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from bot.knowledge import Entry, load_entries
from bot.nlu_data import nlu_examples
from bot.settings import PROJECT_ROOT

SPACY_MODEL = "fr_core_news_md"
LEXICAL_WEIGHT = 0.6
# Chosen by cross-validation on the entries' own questions (a quarter of them
# left out in turn), not on the held-out file that make eval scores.
BEST_MATCH_WEIGHT = 0.3
PROFILE_WEIGHT = 0.5
CENTROID_WEIGHT = 0.2
TYPO_CUTOFF = 0.85
NLU_DIR = PROJECT_ROOT / "nlu"


@dataclass(frozen=True)
class Match:
    """The entry found for a question, and how strongly."""

    entry: Entry
    score: float


@dataclass(frozen=True)
class Ranking:
    """Every entry scored for a question, best first, and whether it reads as out of scope."""

    matches: list[Match]
    looks_out_of_scope: bool


@dataclass(frozen=True)
class Text:
    """A piece of text reduced for matching: its lemmas and its mean word vector (unit length)."""

    lemmas: frozenset[str]
    vector: np.ndarray


def strip_accents(word: str) -> str:
    """``électricité`` → ``electricite``: residents often type without accents."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


def unit(vector: np.ndarray) -> np.ndarray:
    """``vector`` scaled to length 1 (a zero vector stays zero)."""
    length = float(np.linalg.norm(vector))
    return vector / length if length else vector


def norm(weights: dict[str, float]) -> float:
    """The Euclidean length of a sparse vector."""
    return math.sqrt(sum(w * w for w in weights.values()))


def inverse_document_frequencies(documents: list[set[str]]) -> dict[str, float]:
    """Lemma → log((N + 1) / documents holding it): rare words weigh more."""
    frequency = Counter(lemma for document in documents for lemma in document)
    return {lemma: math.log((len(documents) + 1) / count) for lemma, count in frequency.items()}


class KnowledgeIndex:
    """The entries' texts, reduced once; ``rank`` scores them for a question."""

    def __init__(self, entries: list[Entry], nlp: Language, out_of_scope: Iterable[str] = ()) -> None:
        self._nlp = nlp
        self._entries = entries
        sizes = [2 + len(entry.questions) for entry in entries]
        reduced = iter(self._reduce_all(t for e in entries for t in (e.title, *e.questions, e.answer)))
        # Each entry's texts: title and questions (for the best match), then its answer.
        texts = [[next(reduced) for _ in range(size)] for size in sizes]
        self._texts = [entry_texts[:-1] for entry_texts in texts]
        self._unknown_idf = math.log(len(entries) + 1)
        self._idf = inverse_document_frequencies([set().union(*(t.lemmas for t in ts)) for ts in texts])
        self._vocabulary = sorted(self._idf)
        self._profiles = [self._profile(entry_texts) for entry_texts in texts]
        self._centroids = [unit(np.mean([t.vector for t in ts], axis=0)) for ts in self._texts]
        self._out_of_scope = self._reduce_all(out_of_scope)

    def rank(self, question: str) -> Ranking:
        """Every entry with its score for ``question``, best first."""
        query = self._reduce_doc(self._nlp(question.lower()), correct_typos=True)
        if not query.lemmas:
            return Ranking(matches=[], looks_out_of_scope=True)
        weights = {lemma: self._idf.get(lemma, self._unknown_idf) for lemma in query.lemmas}
        # Computed once per question, not once per compared text.
        total, length = sum(weights.values()), norm(weights)
        shares = {lemma: weight / total for lemma, weight in weights.items()}
        best_matches = [max(self._similarity(query, shares, text) for text in texts) for texts in self._texts]
        scores = [
            BEST_MATCH_WEIGHT * best_match
            + PROFILE_WEIGHT * sum(w * profile.get(lemma, 0.0) for lemma, w in weights.items()) / length
            + CENTROID_WEIGHT * max(float(query.vector @ centroid), 0.0)
            for best_match, profile, centroid in zip(best_matches, self._profiles, self._centroids, strict=True)
        ]
        closest_out_of_scope = max((self._similarity(query, shares, text) for text in self._out_of_scope), default=0.0)
        return Ranking(
            matches=sorted((Match(e, s) for e, s in zip(self._entries, scores, strict=True)), key=lambda m: -m.score),
            looks_out_of_scope=closest_out_of_scope >= max(best_matches),
        )

    def _profile(self, texts: list[Text]) -> dict[str, float]:
        """The entry's lemmas weighted by TF-IDF, at unit length."""
        counts = Counter(lemma for text in texts for lemma in text.lemmas)
        weights = {lemma: (1 + math.log(count)) * self._idf[lemma] for lemma, count in counts.items()}
        length = norm(weights)
        return {lemma: weight / length for lemma, weight in weights.items()} if length else {}

    def _similarity(self, query: Text, shares: dict[str, float], text: Text) -> float:
        """Blend of the IDF share of the query that ``text`` covers and their vectors' cosine."""
        covered = sum(shares[lemma] for lemma in query.lemmas & text.lemmas)
        cosine = float(query.vector @ text.vector)
        return LEXICAL_WEIGHT * covered + (1 - LEXICAL_WEIGHT) * max(cosine, 0.0)

    def _reduce_all(self, texts: Iterable[str]) -> list[Text]:
        return [self._reduce_doc(doc) for doc in self._nlp.pipe(text.lower() for text in texts)]

    def _reduce_doc(self, doc: Doc, correct_typos: bool = False) -> Text:
        tokens = [t for t in doc if (t.is_alpha or t.is_digit) and not t.is_stop and len(t) > 1]
        lemmas = {strip_accents(t.lemma_) for t in tokens}
        if correct_typos:
            lemmas = {self._closest_known(lemma) for lemma in lemmas}
        vectors = [t.vector for t in tokens if t.has_vector]
        vector = np.mean(vectors, axis=0) if vectors else np.zeros(self._nlp.vocab.vectors_length)
        # Stored at unit length, so a cosine is a dot product on the message path.
        return Text(lemmas=frozenset(lemmas), vector=unit(vector))

    def _closest_known(self, lemma: str) -> str:
        """The known lemma a misspelt one stands for (``electrcite`` → ``electricite``)."""
        if lemma in self._idf:
            return lemma
        close = difflib.get_close_matches(lemma, self._vocabulary, n=1, cutoff=TYPO_CUTOFF)
        return close[0] if close else lemma


def out_of_scope_examples(folder: Path = NLU_DIR) -> list[str]:
    """The examples of intent ``out_of_scope`` in the NLU training files."""
    return [
        text for path in sorted(folder.glob("*.yml")) for intent, text in nlu_examples(path) if intent == "out_of_scope"
    ]


@lru_cache(maxsize=1)
def default_index() -> KnowledgeIndex:
    """The index of knowledge/, built on first use (loading spaCy takes seconds)."""
    nlp = spacy.load(SPACY_MODEL, exclude=["parser", "ner", "senter"])
    return KnowledgeIndex(load_entries(), nlp, out_of_scope_examples())
