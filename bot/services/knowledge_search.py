"""Search the knowledge base for a question NLU was unsure about.

A question and each entry's questions and title are reduced to French lemmas
without accents (spaCy ``fr_core_news_md``). An entry's score is its best
match: the share of the question's weight (IDF) that the entry's text covers,
blended with the cosine of their word vectors (``faq_answer`` decides what
to do with the ranking).
"""

import difflib
import math
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from bot.knowledge import Entry, load_entries

SPACY_MODEL = "fr_core_news_md"
LEXICAL_WEIGHT = 0.6
TYPO_CUTOFF = 0.85


@dataclass(frozen=True)
class Match:
    """The entry found for a question, and how strongly."""

    entry: Entry
    score: float


@dataclass(frozen=True)
class Text:
    """A piece of text reduced for matching: its lemmas and its mean word vector (unit length)."""

    lemmas: frozenset[str]
    vector: np.ndarray


def strip_accents(word: str) -> str:
    """``électricité`` → ``electricite``: residents often type without accents."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


class KnowledgeIndex:
    """The entries' texts, reduced once; ``search`` answers a question."""

    def __init__(self, entries: list[Entry], nlp: Language) -> None:
        self._nlp = nlp
        self._entries = entries
        sizes = [1 + len(entry.questions) for entry in entries]
        reduced = iter(self._reduce_all(t for entry in entries for t in (entry.title, *entry.questions)))
        self._texts = [[next(reduced) for _ in range(size)] for size in sizes]
        document_frequency = Counter(
            lemma for texts in self._texts for lemma in set().union(*(t.lemmas for t in texts))
        )
        self._unknown_idf = math.log(len(entries) + 1)
        self._idf = {lemma: math.log((len(entries) + 1) / df) for lemma, df in document_frequency.items()}
        self._vocabulary = sorted(self._idf)

    def rank(self, question: str) -> list[Match]:
        """Every entry with its score for ``question``, best first."""
        query = self._reduce_doc(self._nlp(question.lower()), correct_typos=True)
        if not query.lemmas:
            return []
        weight = sum(self._idf.get(lemma, self._unknown_idf) for lemma in query.lemmas)
        scores = [max(self._similarity(query, weight, text) for text in texts) for texts in self._texts]
        return sorted((Match(e, s) for e, s in zip(self._entries, scores, strict=True)), key=lambda m: -m.score)

    def _similarity(self, query: Text, weight: float, text: Text) -> float:
        """Blend of the IDF share of the query that ``text`` covers and their vectors' cosine."""
        covered = sum(self._idf[lemma] for lemma in query.lemmas & text.lemmas)
        cosine = float(query.vector @ text.vector)
        return LEXICAL_WEIGHT * covered / weight + (1 - LEXICAL_WEIGHT) * max(cosine, 0.0)

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
        norm = float(np.linalg.norm(vector))
        return Text(lemmas=frozenset(lemmas), vector=vector / norm if norm else vector)

    def _closest_known(self, lemma: str) -> str:
        """The known lemma a misspelt one stands for (``electrcite`` → ``electricite``)."""
        if lemma in self._idf:
            return lemma
        close = difflib.get_close_matches(lemma, self._vocabulary, n=1, cutoff=TYPO_CUTOFF)
        return close[0] if close else lemma


@lru_cache(maxsize=1)
def default_index() -> KnowledgeIndex:
    """The index of knowledge/, built on first use (loading spaCy takes seconds)."""
    nlp = spacy.load(SPACY_MODEL, exclude=["parser", "ner", "senter"])
    return KnowledgeIndex(load_entries(), nlp)
