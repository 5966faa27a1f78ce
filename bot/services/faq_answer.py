"""Choose the knowledge entry that answers a question, or none.

Two opinions are blended: Rasa's ResponseSelector (trained on the entries'
questions) and our knowledge search (lemmas and word vectors). Either can be
wrong on a new phrasing; together they are wrong less often, and when
neither is convinced the bot says what it can do instead of guessing.
"""

import math
from dataclasses import dataclass

from bot.services.knowledge_search import KnowledgeIndex, Match, Ranking


@dataclass(frozen=True)
class Blend:
    """How the two opinions are weighed, and how sure the blend must be to answer."""

    selector_weight: float
    # The search's scores become probabilities (a softmax at this temperature),
    # the scale of the selector's confidences: averaging them is then fair.
    temperature: float
    # Most out-of-scope questions are caught before, by the out_of_scope intent
    # or by the search (``Ranking.looks_out_of_scope``); these two drop the rest:
    # a weak best entry, or two entries about equally good.
    min_score: float
    min_margin: float


# Tuned on tests/nlu_dev/ (python -m bench.faq_blend), never on the held-out
# questions that make test scores. With the model trained on 2026-11-30
# (AVX2, ResponseSelector of 128) it answers 0.966 of that set's FAQ
# questions and 1 of its 40 out-of-scope ones.
BLEND = Blend(selector_weight=0.6, temperature=0.01, min_score=0.25, min_margin=0.0)


def selector_ranking(parse_data: dict) -> dict[str, float]:
    """Entry id → confidence, from the ``response_selector`` part of Rasa's parse data."""
    selectors = parse_data.get("response_selector", {})
    # "default" is where Rasa puts a ResponseSelector trained without ``retrieval_intent``.
    ranking = (selectors.get("faq") or selectors.get("default") or {}).get("ranking", [])
    return {
        item["intent_response_key"].removeprefix("faq/"): float(item["confidence"])
        for item in ranking
        if isinstance(item, dict) and str(item.get("intent_response_key", "")).startswith("faq/")
    }


def search_probabilities(matches: list[Match], temperature: float) -> list[float]:
    """The search's scores as probabilities summing to 1 (softmax)."""
    top = max(match.score for match in matches)
    weights = [math.exp((match.score - top) / temperature) for match in matches]
    total = sum(weights)
    return [weight / total for weight in weights]


def agree(search: Ranking, selector: dict[str, float]) -> bool:
    """Whether the search and the selector put the same entry first.

    The search reads a question as out of scope when an out-of-scope example
    is closer than any entry question, which a short SMS-style question can
    trip ("cmb de degres ds le salon": "cmb", "ds" and "c" are in such
    examples too). Two opinions that agree on one entry outweigh that.
    """
    return bool(search.matches and selector) and max(selector, key=selector.get) == search.matches[0].entry.id


def pick(search: Ranking, selector: dict[str, float], blend: Blend = BLEND) -> Match | None:
    """The clearly best entry once the search's opinion and the selector's are blended, or None."""
    if not search.matches or (search.looks_out_of_scope and not agree(search, selector)):
        return None
    weight = blend.selector_weight
    probabilities = search_probabilities(search.matches, blend.temperature)
    blended = sorted(
        (
            Match(m.entry, weight * selector.get(m.entry.id, 0.0) + (1 - weight) * probability)
            for m, probability in zip(search.matches, probabilities, strict=True)
        ),
        key=lambda match: -match.score,
    )
    if blended[0].score < blend.min_score:
        return None
    if len(blended) > 1 and blended[0].score - blended[1].score < blend.min_margin:
        return None
    return blended[0]


def choose_answer(index: KnowledgeIndex, question: str, selector: dict[str, float]) -> Match | None:
    """The clearly best entry for ``question``, or None when no entry clearly fits."""
    return pick(index.rank(question), selector)
