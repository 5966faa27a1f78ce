"""Choose the knowledge entry that answers a question, or none.

Two opinions are blended: Rasa's ResponseSelector (trained on the entries'
questions) and our knowledge search (lemmas and word vectors). Either can be
wrong on a new phrasing; together they are wrong less often, and when
neither is convinced the bot says what it can do instead of guessing.
"""

from bot.services.knowledge_search import KnowledgeIndex, Match

# Chosen on the held-out questions (make eval): an equal blend did best.
# Most out-of-scope questions are caught before, by the out_of_scope intent;
# the margin drops the rest, which match two entries about equally badly.
SELECTOR_WEIGHT = 0.5
MIN_SCORE = 0.2
MIN_MARGIN = 0.04


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


def choose_answer(index: KnowledgeIndex, question: str, selector: dict[str, float]) -> Match | None:
    """The clearly best entry for ``question``, or None when no entry clearly fits."""
    blended = sorted(
        (
            Match(m.entry, SELECTOR_WEIGHT * selector.get(m.entry.id, 0.0) + (1 - SELECTOR_WEIGHT) * m.score)
            for m in index.rank(question)
        ),
        key=lambda match: -match.score,
    )
    if not blended or blended[0].score < MIN_SCORE:
        return None
    if len(blended) > 1 and blended[0].score - blended[1].score < MIN_MARGIN:
        return None
    return blended[0]
